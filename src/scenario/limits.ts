/**
 * Guard rails against scenarios that would run for hours or exhaust memory by mistake. Each limit
 * names itself in the error it causes, with the loader option that raises it.
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
  maxSourceBytes: 4 * 1024 * 1024,
  maxNodes: 200_000,
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
};

/** The default limits with the caller's changes applied. */
export function resolveLimits(overrides: Partial<Limits> | undefined): Limits {
  return { ...DEFAULT_LIMITS, ...overrides };
}
