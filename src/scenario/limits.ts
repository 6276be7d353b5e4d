/**
 * Guard rails against scenarios that would run for hours or exhaust memory by mistake: the one
 * place that defines them, and the one wording of a refusal. Each limit names itself in the error
 * it causes, with the way to raise it when there is one. The file and the command line's flags
 * (`--until`, `--every`) are held to the same limits by the same code.
 */
import type { Micros } from './types.js';

/** Upper and lower bounds the loader enforces; raise them with the `limits` load option. */
export interface Limits {
  /** Total client connections over all processes. */
  readonly maxConnections: number;
  /** Longest run (`sample.until`). */
  readonly maxRunTime: Micros;
  /** Shortest sampling interval (`sample.every`). */
  readonly minSampleEvery: Micros;
  /** Most samples in one run (`until / every`). */
  readonly maxSamples: number;
  /** Largest RLIMIT_NOFILE (Linux's default fs.nr_open is 1,048,576). */
  readonly maxNofile: number;
  /** Shortest `listen.acceptRetry` (a shorter one is a busy loop in virtual time). */
  readonly minAcceptRetry: Micros;
  /** Most steps in one program (`onConnection` or `steps`). */
  readonly maxSteps: number;
  /** Largest `write: { bytes: N }`. */
  readonly maxWriteBytes: number;
  /** Largest scenario file, in bytes. */
  readonly maxSourceBytes: number;
  /** Most YAML nodes after expanding aliases (stops "billion laughs" documents). */
  readonly maxNodes: number;
  /** Most processes in one scenario. */
  readonly maxProcesses: number;
  /** Most hosts in one scenario. */
  readonly maxHosts: number;
  /** Most declared parameters. */
  readonly maxParams: number;
  /** Most process samples (samples × processes): every sample counts each process's sockets and fds. */
  readonly maxProcessSamples: number;
}

const SECOND = 1_000_000;
const DAY = 86_400 * SECOND;

/** The limits in force unless the caller raises them. */
export const DEFAULT_LIMITS: Limits = {
  maxConnections: 2_000_000,
  maxRunTime: 7 * DAY,
  minSampleEvery: 1_000,
  maxSamples: 100_000,
  maxNofile: 1_048_576,
  minAcceptRetry: 1_000,
  maxSteps: 10_000,
  maxWriteBytes: 16 * 1024 * 1024,
  maxSourceBytes: 256 * 1024,
  maxNodes: 200_000,
  maxProcesses: 5_000,
  maxHosts: 5_000,
  maxParams: 1_000,
  maxProcessSamples: 2_000_000,
};

/** Much wider (still finite) limits, for a CLI flag such as `--allow-large`. */
export const LARGE_LIMITS: Limits = {
  maxConnections: 100_000_000,
  maxRunTime: 366 * DAY,
  minSampleEvery: 1,
  maxSamples: 10_000_000,
  maxNofile: 1 << 30,
  minAcceptRetry: 1,
  maxSteps: 1_000_000,
  maxWriteBytes: 1024 * 1024 * 1024,
  maxSourceBytes: 256 * 1024 * 1024,
  maxNodes: 20_000_000,
  maxProcesses: 1_000_000,
  maxHosts: 1_000_000,
  maxParams: 100_000,
  maxProcessSamples: 1_000_000_000,
};

/** The default limits with the caller's changes applied. */
export function resolveLimits(overrides: Partial<Limits> | undefined): Limits {
  return { ...DEFAULT_LIMITS, ...overrides };
}

/** Whether `value` is allowed by `limit` in `limits` (a `min…` limit is a floor, the others are ceilings). */
export function withinLimit(limits: Limits, limit: keyof Limits, value: number): boolean {
  return limit.startsWith('min') ? value >= limits[limit] : value <= limits[limit];
}

/**
 * How a refused value could be allowed, said to whoever loads: the raise, or undefined when
 * nothing they can do raises it. `needed` is the value refused (NaN when it is not known).
 */
export type LimitAdvice = (limit: keyof Limits, needed: number) => string | undefined;

/** The advice for callers of the loader: the `limits` option, with the value that would pass. */
export const LOAD_OPTION_ADVICE: LimitAdvice = (limit, needed) =>
  `raise it with the load option limits: { ${limit}: ${Number.isFinite(needed) ? needed : 'N'} }`;

/** The advice for the command line: `--allow-large` when it would allow the value and is not given yet; else none. */
export function commandLineAdvice(allowLarge: boolean): LimitAdvice {
  return (limit, needed) => (!allowLarge && (Number.isNaN(needed) || withinLimit(LARGE_LIMITS, limit, needed)) ? 'raise it with --allow-large (much larger, still finite limits)' : undefined);
}
