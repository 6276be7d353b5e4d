/**
 * Runs a scenario in the simulator: builds the World, starts the programs, samples the socket
 * states and fd counts like the article's `netstat | awk` loop, and checks the expectations.
 */
import { resolveProfile, type Profile } from '../model/profile.js';
import { TCP_STATES, type TcpState } from '../model/states.js';
import { overridesFromSysctls } from '../model/sysctlProfile.js';
import type { Bound, Expectation, Scenario } from '../scenario/types.js';
import { startPrograms, type ProgramStats } from './programs.js';
import type { Errno } from './trace.js';
import { World } from './world.js';

/** The errno counts every result reports. */
export const REPORTED_ERRNOS = ['EMFILE', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'EADDRNOTAVAIL'] as const;

/** One sample: time in milliseconds, live sockets per state (CLOSED omitted), open fds per process. */
export interface Sample {
  readonly t: number;
  readonly states: Partial<Record<TcpState, number>>;
  readonly fds: Record<string, number>;
  /** Of those fds, the ones whose socket is already CLOSED (invisible to netstat/ss), per process. */
  readonly closedFds: Record<string, number>;
  /** Per-process state counts (for expectations with `process:`). */
  readonly byProcess: Record<string, Partial<Record<TcpState, number>>>;
}

/** The end of a run. */
export interface FinalState extends Sample {
  readonly errors: Record<(typeof REPORTED_ERRNOS)[number], number>;
  readonly errorsByProcess: Record<string, Record<Errno, number>>;
}

/** The verdict on one expectation. */
export interface ExpectationResult {
  readonly what: string;
  readonly pass: boolean;
  /** What was observed, when it failed. */
  readonly actual?: string;
  readonly source: string;
}

/** Everything a simulated run produced. */
export interface SimulationResult {
  readonly scenario: string;
  readonly seed: number;
  readonly profile: Profile;
  readonly samples: readonly Sample[];
  readonly final: FinalState;
  readonly expectations: readonly ExpectationResult[];
  readonly stats: ProgramStats;
  /** Engine events processed. */
  readonly events: number;
  /** The World after the run, for traces and inspection. */
  readonly world: World;
}

/** Options of a run. */
export interface SimulateOptions {
  /** Record a trace (all connections or a filter on connection numbers). */
  readonly trace?: boolean | ((conn: number) => boolean);
  /** Called after each sample. */
  readonly onSample?: (sample: Sample) => void;
  /** Called every few thousand events with the virtual time reached and the events so far (progress on a long run). */
  readonly onProgress?: (virtualMicros: number, events: number) => void;
  /** The local port each client connection must use (real mode replays the kernel's choices). */
  readonly ephemeralPortFor?: (conn: number) => number | undefined;
  /** The kernel's jiffies count at time 0 for the timer wheel (real mode reads it; default: from the seed). */
  readonly wheelOrigin?: number;
}

/** Builds the World a scenario describes, without running it. */
export function buildWorld(scenario: Scenario, options: SimulateOptions = {}): { world: World; processIndex: Map<string, number> } {
  // the scenario's sysctls are profile values too (model/sysctlProfile.ts); explicit overrides,
  // which the loader keeps from contradicting them, come last
  const profile = resolveProfile(scenario.profile, { ...overridesFromSysctls(scenario.sysctls), ...scenario.profileOverrides });
  const world = new World({
    profile,
    seed: scenario.seed,
    network: scenario.network,
    faults: scenario.faults,
    ...(options.trace !== undefined ? { trace: options.trace } : {}),
    ...(options.ephemeralPortFor !== undefined ? { ephemeralPortFor: options.ephemeralPortFor } : {}),
    ...(options.wheelOrigin !== undefined ? { wheelOrigin: options.wheelOrigin } : {}),
  });
  const hostIndex = new Map<string, number>();
  for (const host of scenario.hosts) hostIndex.set(host.name, world.addHost(host.name, host.address));
  const processIndex = new Map<string, number>();
  for (const spec of scenario.processes) {
    const host = hostIndex.get(spec.host);
    if (host === undefined) throw new Error(`scenario: process ${spec.name} names unknown host ${spec.host}`);
    processIndex.set(
      spec.name,
      world.addProcess({ name: spec.name, host, nofile: spec.nofile, baselineFds: spec.baselineFds, acceptPolicy: spec.acceptPolicy }),
    );
  }
  return { world, processIndex };
}

/** Runs `scenario` to its `sample.until` and returns samples, final state and verdicts. */
export function simulate(scenario: Scenario, options: SimulateOptions = {}): SimulationResult {
  const { world, processIndex } = buildWorld(scenario, options);
  const stats = startPrograms(world, scenario, processIndex);
  const { every, until } = scenario.sample;
  const checkpoints = new Set<number>();
  for (const e of scenario.expectations) if (typeof e.at === 'number' && e.at <= until) checkpoints.add(e.at);
  const sampleTimes: number[] = [];
  for (let t = 0; t <= until; t += every) sampleTimes.push(t);
  if (sampleTimes[sampleTimes.length - 1] !== until) sampleTimes.push(until);
  const times = [...new Set([...sampleTimes, ...checkpoints])].sort((a, b) => a - b);
  const sampleSet = new Set(sampleTimes);

  const samples: Sample[] = [];
  const atCheckpoint = new Map<number, Sample>();
  const onProgress = options.onProgress;
  for (const t of times) {
    if (onProgress === undefined) world.runUntil(t);
    else runReporting(world, t, onProgress);
    const sample = takeSample(world, t);
    if (sampleSet.has(t)) {
      samples.push(sample);
      options.onSample?.(sample);
    }
    if (checkpoints.has(t)) atCheckpoint.set(t, sample);
  }
  const last = samples[samples.length - 1] ?? takeSample(world, until);
  const errorsByProcess: Record<string, Record<Errno, number>> = {};
  world.processNames().forEach((name, i) => (errorsByProcess[name] = world.errors(i)));
  const all = world.errors();
  const final: FinalState = {
    ...last,
    errors: Object.fromEntries(REPORTED_ERRNOS.map((e) => [e, all[e]])) as FinalState['errors'],
    errorsByProcess,
  };
  const expectations = scenario.expectations.map((e) => judge(e, final, samples, atCheckpoint));
  return {
    scenario: scenario.name,
    seed: scenario.seed,
    profile: world.profile,
    samples,
    final,
    expectations,
    stats,
    events: world.eventsProcessed,
    world,
  };
}

/** Events between two progress calls. */
const PROGRESS_EVERY = 1 << 14;

/** world.runUntil(t), telling `onProgress` where it is every PROGRESS_EVERY events (the same events, in the same order). */
function runReporting(world: World, t: number, onProgress: (virtualMicros: number, events: number) => void): void {
  // one look at the agenda per event (nextEventTime() then step() took two)
  while (world.runSome(t, PROGRESS_EVERY) === PROGRESS_EVERY) onProgress(world.now, world.eventsProcessed);
  world.runUntil(t);
  onProgress(world.now, world.eventsProcessed);
}

function takeSample(world: World, t: number): Sample {
  const fds: Record<string, number> = {};
  const closedFds: Record<string, number> = {};
  const byProcess: Record<string, Partial<Record<TcpState, number>>> = {};
  world.processNames().forEach((name, i) => {
    fds[name] = world.fdsInUse(i);
    closedFds[name] = world.closedSocketFds(i);
    byProcess[name] = world.stateCounts(i);
  });
  return { t: t / 1000, states: world.stateCounts(), fds, closedFds, byProcess };
}

/** Text of a bound: `= 5`, `≥ 1`, `≤ 256`, `in 1…5`. */
export function boundText(bound: Bound): string {
  if ('exact' in bound) return `= ${bound.exact}`;
  if (bound.min !== undefined && bound.max !== undefined) return `in ${bound.min}…${bound.max}`;
  if (bound.min !== undefined) return `≥ ${bound.min}`;
  if (bound.max !== undefined) return `≤ ${bound.max}`;
  return 'any';
}

/** Whether `value` satisfies `bound`. */
export function withinBound(value: number, bound: Bound): boolean {
  if ('exact' in bound) return value === bound.exact;
  return (bound.min === undefined || value >= bound.min) && (bound.max === undefined || value <= bound.max);
}

/** What an expectation reads of a sample (errors come from the final state). */
type Counts = Pick<Sample, 'states' | 'fds' | 'byProcess'>;

/** The largest count of each state, fd table and process over the samples and the final state. */
function peakOf(samples: readonly Sample[], final: Sample): Counts {
  const states: Partial<Record<TcpState, number>> = {};
  const fds: Record<string, number> = {};
  const byProcess: Record<string, Partial<Record<TcpState, number>>> = {};
  for (const s of [...samples, final]) {
    for (const [k, v] of Object.entries(s.states)) states[k as TcpState] = Math.max(states[k as TcpState] ?? 0, v);
    for (const [k, v] of Object.entries(s.fds)) fds[k] = Math.max(fds[k] ?? 0, v);
    for (const [proc, counts] of Object.entries(s.byProcess)) {
      const into = (byProcess[proc] ??= {});
      for (const [k, v] of Object.entries(counts)) into[k as TcpState] = Math.max(into[k as TcpState] ?? 0, v);
    }
  }
  return { states, fds, byProcess };
}

function judge(e: Expectation, final: FinalState, samples: readonly Sample[], atCheckpoint: ReadonlyMap<number, Sample>): ExpectationResult {
  const sample: Counts | undefined = e.at === 'end' ? final : e.at === 'peak' ? peakOf(samples, final) : atCheckpoint.get(e.at);
  const when = e.at === 'end' ? 'at the end' : e.at === 'peak' ? 'at peak' : `at ${e.at / 1_000_000}s`;
  const scope = e.process ? ` (${e.process})` : '';
  const parts: string[] = [];
  const misses: string[] = [];
  const check = (label: string, value: number, bound: Bound): void => {
    parts.push(`${label} ${boundText(bound)}`);
    if (!withinBound(value, bound)) misses.push(`${label} was ${value}`);
  };
  if (!sample) {
    return { what: `${when}: sample missing`, pass: false, actual: 'the run ended before this time', source: e.source };
  }
  const counts = e.process ? (sample.byProcess[e.process] ?? {}) : sample.states;
  for (const state of TCP_STATES) {
    const bound = e.states?.[state];
    if (bound) check(state, counts[state] ?? 0, bound);
  }
  for (const [proc, bound] of Object.entries(e.fds ?? {})) check(`fds of ${proc}`, sample.fds[proc] ?? 0, bound);
  for (const [errno, bound] of Object.entries(e.errors ?? {})) {
    const counted = e.process ? (final.errorsByProcess[e.process]?.[errno as Errno] ?? 0) : (final.errors as Record<string, number>)[errno] ?? 0;
    check(errno, counted, bound as Bound);
  }
  const what = e.note ?? `${when}${scope}: ${parts.join(', ')}`;
  return misses.length === 0 ? { what, pass: true, source: e.source } : { what, pass: false, actual: misses.join(', '), source: e.source };
}
