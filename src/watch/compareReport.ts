/**
 * The report of `tcpsim compare`: where the model's t = 0 fell on the recording, a row per
 * recorded sample with the recorded count and the model's for each state that either side has
 * (`3` when they agree; `5≠3` when not, with the model's range when it changes within the window), and
 * the agreement. `compareJson` is the same as one JSON document.
 */
import { TCP_STATES, type TcpState } from '../model/states.js';
import { clock } from '../report/clock.js';
import type { Paint } from '../report/runText.js';
import type { Alignment, StateVerdict, Tolerance } from './alignTimelines.js';

/** What the heading says. */
export interface CompareFacts {
  readonly recording: string;
  readonly source: string;
  readonly scenario: string;
  readonly seed: number;
  readonly process: string | undefined;
  readonly windowMs: number;
  readonly tolerance: Tolerance;
  readonly modelStepMs: number;
  readonly modelUntilMs: number;
}

function toleranceText(t: Tolerance): string {
  return 'sockets' in t ? `${t.sockets} ${t.sockets === 1 ? 'socket' : 'sockets'}` : `${t.percent}%`;
}

function modelText(v: StateVerdict): string {
  return v.min === v.max ? String(v.min) : `${v.min}-${v.max}`;
}

function signed(ms: number): string {
  return ms < 0 ? `-${clock(-ms)}` : clock(ms);
}

/** The text report. */
export function compareText(alignment: Alignment, facts: CompareFacts, paint: Paint): string {
  const out: string[] = [];
  const who = facts.process === undefined ? 'every socket' : `process ${facts.process} against the watched processes' own sockets`;
  out.push(`${paint.bold('tcpsim compare')} — ${facts.recording} (${facts.source}) against ${facts.scenario} (model, seed ${facts.seed}): ${who}`);
  const where = alignment.fitted ? `fitted; --offset ${signed(alignment.offsetMs)} sets it` : 'given';
  out.push(paint.dim(`model's t = 0 at ${signed(alignment.offsetMs)} of the recording (${where}) · window ±${alignment.samples.length === 0 ? 0 : facts.windowMs} ms · tolerance ${toleranceText(facts.tolerance)} · model sampled every ${facts.modelStepMs} ms to ${clock(facts.modelUntilMs)}`));
  out.push('');
  const states = TCP_STATES.filter((s) => alignment.samples.some((x) => x.states.some((v) => v.state === s)));
  const headers = ['recorded', 'model', ...states, ''];
  const rows: string[][] = [];
  for (const s of alignment.samples) {
    if (!s.compared) continue;
    const cells = states.map((state: TcpState) => {
      const v = s.states.find((x) => x.state === state);
      if (v === undefined) return '0';
      return v.ok ? String(v.observed) : `${v.observed}≠${modelText(v)}`;
    });
    rows.push([clock(s.t), clock(Math.max(0, s.u)), ...cells, s.ok ? '✓' : '✗']);
  }
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i]!)).join('  ').trimEnd();
  out.push(paint.bold(line(headers)));
  for (const r of rows) {
    const text = line(r);
    out.push(r[r.length - 1] === '✓' ? text : paint.bad(text));
  }
  const before = alignment.samples.filter((s) => !s.compared && s.u < 0).length;
  const after = alignment.samples.filter((s) => !s.compared && s.u >= 0).length;
  out.push('');
  if (before + after > 0) out.push(paint.dim(`not compared: ${[before > 0 ? `${before} before the model's t = 0` : '', after > 0 ? `${after} after its end` : ''].filter((x) => x !== '').join(', ')}`));
  out.push(`${alignment.agreed === alignment.compared && alignment.compared > 0 ? paint.good('agreement') : paint.bad('agreement')}: ${alignment.agreed}/${alignment.compared} samples (${alignment.compared === 0 ? 0 : Math.floor((alignment.agreed / alignment.compared) * 1000) / 10}%)`);
  if (alignment.compared === 0) out.push(paint.bad('no recorded sample falls within the model’s run: the recording and the scenario do not overlap (check --offset)'));
  out.push(paint.dim('cells: the recorded count, within the model’s over the window; R≠M: recorded R, the model M (or its range over the window)'));
  return out.join('\n');
}

/** The comparison as a JSON document. */
export function compareJson(alignment: Alignment, facts: CompareFacts): string {
  return JSON.stringify(
    {
      recording: facts.recording,
      source: facts.source,
      scenario: facts.scenario,
      seed: facts.seed,
      ...(facts.process === undefined ? {} : { process: facts.process }),
      timeUnit: 'ms',
      offset: alignment.offsetMs,
      fitted: alignment.fitted,
      window: facts.windowMs,
      tolerance: facts.tolerance,
      compared: alignment.compared,
      agreed: alignment.agreed,
      samples: alignment.samples.map((s) => ({ t: s.t, u: s.u, compared: s.compared, ok: s.ok, states: s.states })),
    },
    null,
    2,
  );
}
