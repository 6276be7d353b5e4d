/**
 * What the parent of a real-mode run tells each program child (one child per scenario process)
 * and what the child reports back, one JSON object per line on its stdout. The child script
 * imports only types from here (nothing but Node built-ins at run time), so it can run on its own.
 */
import type { Step } from '../scenario/types.js';

/** Where a connect step of a child goes. */
export interface RunnerTarget {
  readonly address: string;
  readonly port: number;
}

/** The program one child runs; times are integer microseconds (already time-scaled). */
export interface RunnerSpec {
  readonly process: string;
  /** The address every socket of this process binds (its scenario host's, loopback). */
  readonly address: string;
  readonly server?: {
    readonly port: number;
    readonly backlog: number;
    readonly workers: number | null;
    readonly steps: readonly Step[];
  };
  readonly client?: {
    readonly connections: number;
    /** The connection number (model `conn`) of this process's first connection. */
    readonly firstConn: number;
    readonly start: number;
    readonly ramp: number;
    readonly steps: readonly Step[];
  };
  /** Listening address of each server process, by name, for `connect: NAME`. */
  readonly targets: Readonly<Record<string, RunnerTarget>>;
}

/** A line a child writes on stdout. `at` is milliseconds since the run's t0 (Date.now based). */
export type RunnerMessage =
  | { readonly ev: 'listening'; readonly port: number }
  | { readonly ev: 'ready' }
  | { readonly ev: 'connecting'; readonly conn: number; readonly localAddress: string; readonly localPort: number; readonly at: number }
  | { readonly ev: 'connected'; readonly conn: number; readonly localAddress: string; readonly localPort: number; readonly at: number }
  | { readonly ev: 'accepted'; readonly at: number }
  | { readonly ev: 'error'; readonly conn: number | null; readonly code: string; readonly at: number }
  | { readonly ev: 'eof'; readonly conn: number | null; readonly at: number }
  | { readonly ev: 'reset-on-close'; readonly conn: number | null; readonly unread: number; readonly at: number }
  /** A timer of the program (a sleep step, a client's start, its 10 ms heartbeat) fired this late, its worst so far. */
  | { readonly ev: 'late'; readonly ms: number; readonly at: number }
  | { readonly ev: 'done' }
  | { readonly ev: 'fatal'; readonly message: string };

/** The line the parent writes on a child's stdin to start the clock: `go <t0 epoch ms>`. */
export const GO_PREFIX = 'go ';

/**
 * What the parent writes first on a child's stdin: its RunnerSpec as one line of JSON (argv is
 * too small: one argument is at most 128 KiB on Linux, and a `write: { bytes: 524288 }` step is
 * 512 KiB). Nothing goes to disk, so there is nothing to clean up, even if the parent is killed.
 */
export function specLine(spec: RunnerSpec): string {
  return `${JSON.stringify(spec)}\n`;
}
