/**
 * Lining a recorded timeline up with the model's. The model's t = 0 falls at some moment of the
 * recording (`offset`): a recorded sample at t is compared with the model at u = t − offset,
 * state by state. A recorded count agrees when it lies within the model's counts over
 * [u − window, u + window] (the programs and the sampler run a few ms off the model's schedule),
 * widened by the tolerance. Samples outside the model's run (before its t = 0 or after its end)
 * are not compared.
 *
 * Unless given, the offset is searched: every offset whose model run overlaps at least 80% of
 * what it can of the recording (in time) is tried, coarsely, then finely around the best. The
 * score is agreeing samples minus disagreeing ones, then the smallest total difference; of the
 * offsets that score best, the middle of the longest run of them wins — the alignment farthest
 * from breaking on either side.
 */
import { TCP_STATES, type TcpState } from '../model/states.js';
import type { StateCounts } from './watchSample.js';

/** A tolerance on counts: a number of sockets, or a percentage of the model's count. */
export type Tolerance = { readonly sockets: number } | { readonly percent: number };

/** The model, as the alignment needs it: counts at a fixed step. */
export interface ModelCounts {
  readonly stepMs: number;
  readonly counts: readonly StateCounts[];
}

/** How to compare. */
export interface AlignOptions {
  readonly windowMs: number;
  readonly tolerance: Tolerance;
  /** The model's t = 0 on the recording's clock; searched when undefined. */
  readonly offsetMs?: number | undefined;
}

/** One state of one compared sample. */
export interface StateVerdict {
  readonly state: TcpState;
  readonly observed: number;
  /** The model's least and greatest count within the window. */
  readonly min: number;
  readonly max: number;
  readonly ok: boolean;
}

/** One recorded sample against the model. */
export interface SampleVerdict {
  /** Recording time, ms. */
  readonly t: number;
  /** Model time, ms (t − offset). */
  readonly u: number;
  readonly compared: boolean;
  readonly ok: boolean;
  readonly states: readonly StateVerdict[];
}

/** The comparison. */
export interface Alignment {
  readonly offsetMs: number;
  readonly fitted: boolean;
  readonly samples: readonly SampleVerdict[];
  readonly compared: number;
  readonly agreed: number;
}

function allowance(tolerance: Tolerance, count: number): number {
  return 'sockets' in tolerance ? tolerance.sockets : Math.ceil((count * tolerance.percent) / 100);
}

/** Compares every recorded sample with the model placed at `offsetMs`. */
export function compareAt(recorded: readonly { t: number; states: StateCounts }[], model: ModelCounts, offsetMs: number, options: Omit<AlignOptions, 'offsetMs'>): { samples: SampleVerdict[]; agreed: number; compared: number; distance: number } {
  const last = model.counts.length - 1;
  let agreed = 0;
  let compared = 0;
  let distance = 0;
  const samples = recorded.map((r): SampleVerdict => {
    const u = r.t - offsetMs;
    if (u < 0 || u > last * model.stepMs) return { t: r.t, u, compared: false, ok: false, states: [] };
    compared += 1;
    const from = Math.max(0, Math.ceil((u - options.windowMs) / model.stepMs));
    const to = Math.min(last, Math.floor((u + options.windowMs) / model.stepMs));
    const nearest = Math.min(last, Math.max(0, Math.round(u / model.stepMs)));
    const lo = Math.min(from, nearest);
    const hi = Math.max(to, nearest);
    const states: StateVerdict[] = [];
    for (const state of TCP_STATES) {
      if (state === 'CLOSED') continue;
      const observed = r.states[state] ?? 0;
      let min = Infinity;
      let max = -Infinity;
      for (let i = lo; i <= hi; i++) {
        const n = model.counts[i]?.[state] ?? 0;
        min = Math.min(min, n);
        max = Math.max(max, n);
      }
      if (observed === 0 && max === 0) continue;
      const ok = observed >= min - allowance(options.tolerance, min) && observed <= max + allowance(options.tolerance, max);
      if (!ok) distance += observed < min ? min - observed : observed - max;
      states.push({ state, observed, min, max, ok });
    }
    const ok = states.every((s) => s.ok);
    if (ok) agreed += 1;
    return { t: r.t, u, compared: true, ok, states };
  });
  return { samples, agreed, compared, distance };
}

/** Lines the recording up with the model (searching the offset unless given) and compares. */
export function alignTimelines(recorded: readonly { t: number; states: StateCounts }[], model: ModelCounts, options: AlignOptions): Alignment {
  if (options.offsetMs !== undefined) {
    const { samples, agreed, compared } = compareAt(recorded, model, options.offsetMs, options);
    return { offsetMs: options.offsetMs, fitted: false, samples, agreed, compared };
  }
  const span = (model.counts.length - 1) * model.stepMs;
  const first = recorded[0]?.t ?? 0;
  const lastT = recorded[recorded.length - 1]?.t ?? 0;
  // the model's run must overlap most of what it can of the recording, in time (not in samples:
  // a loaded machine samples unevenly)
  const needed = 0.8 * Math.min(span, lastT - first);
  const overlap = (o: number): number => Math.min(o + span, lastT) - Math.max(o, first);
  const gaps = recorded.slice(1).map((r, i) => r.t - recorded[i]!.t);
  const coarse = model.stepMs * Math.max(1, Math.floor((gaps.length === 0 ? model.stepMs : Math.min(...gaps)) / 4 / model.stepMs));
  const scores = new Map<number, { net: number; distance: number }>();
  const score = (o: number): { net: number; distance: number } | undefined => {
    if (overlap(o) < needed) return undefined;
    const known = scores.get(o);
    if (known !== undefined) return known;
    const { agreed, compared, distance } = compareAt(recorded, model, o, options);
    const result = { net: compared === 0 ? -Infinity : 2 * agreed - compared, distance };
    scores.set(o, result);
    return result;
  };
  const beats = (a: { net: number; distance: number }, b: { net: number; distance: number }): number => (a.net !== b.net ? a.net - b.net : b.distance - a.distance);
  // coarsely over every offset on a grid of whole steps (0 among them), then finely around the best
  const coarseGrid = [0];
  for (let o = Math.floor((first - span) / coarse) * coarse; o <= lastT; o += coarse) if (o !== 0) coarseGrid.push(o);
  let top: { net: number; distance: number } | undefined;
  for (const o of coarseGrid) {
    const s = score(o);
    if (s !== undefined && (top === undefined || beats(s, top) > 0)) top = s;
  }
  const fine = new Set<number>();
  for (const o of coarseGrid) {
    const s = score(o);
    if (s === undefined || top === undefined || beats(s, top) < 0) continue;
    for (let f = o - coarse; f <= o + coarse; f += model.stepMs) fine.add(f);
  }
  for (const o of fine) {
    const s = score(o);
    if (s !== undefined && (top === undefined || beats(s, top) > 0)) top = s;
  }
  // of the offsets that fit best, the middle of the longest run of them: as far from either edge as can be
  const bestOffsets = [...scores.entries()].filter(([o, s]) => top !== undefined && beats(s, top) === 0 && (o % model.stepMs === 0 || o === 0)).map(([o]) => o).sort((a, b) => a - b);
  let run: number[] = [];
  let longest: number[] = [];
  for (const o of bestOffsets) {
    run = run.length > 0 && o - run[run.length - 1]! === model.stepMs ? [...run, o] : [o];
    if (run.length > longest.length || (run.length === longest.length && Math.abs(run[0]!) < Math.abs(longest[0]!))) longest = run;
  }
  const best = { offset: longest[Math.floor((longest.length - 1) / 2)] ?? 0 };
  const { samples, agreed, compared } = compareAt(recorded, model, best.offset, options);
  return { offsetMs: best.offset, fitted: true, samples, agreed, compared };
}
