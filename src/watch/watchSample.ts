/**
 * One sample of a watch: what the article's `netstat | awk` loop printed every 5 s, per process —
 * its TCP sockets by state (with the ones it no longer holds an fd for), its fds against
 * RLIMIT_NOFILE, its listeners' accept queues, its CLOSE_WAIT history — and its local peers'
 * sockets. Times are milliseconds since the watch began.
 */
import { TCP_STATES, type TcpState } from '../model/states.js';
import type { CloseWaitTally } from './closeWaitTracker.js';

/** Sockets per state (CLOSED never appears: the kernel lists no closed socket). */
export type StateCounts = Partial<Record<TcpState, number>>;

/** One listener's accept queue at a sample (Recv-Q and Send-Q of its LISTEN row). */
export interface AcceptQueue {
  readonly process: string;
  /** `127.0.0.1:8080`, `[::]:8080`. */
  readonly listener: string;
  /** Connections the kernel completed that the program has not accepted yet. */
  readonly queued: number;
  /** The backlog listen() was given (capped by net.core.somaxconn; the queue holds backlog + 1); null when unknown. */
  readonly backlog: number | null;
}

/** One watched process at one sample. */
export interface ProcessSample {
  readonly pid: number;
  /** `node[4242]`. */
  readonly label: string;
  readonly comm: string;
  /** Its sockets by state, those without an fd included. */
  readonly states: StateCounts;
  /** Of those, the ones it holds no fd for (orphaned by close(), TIME_WAIT, half-open). */
  readonly orphans: StateCounts;
  /** Fds that take a slot under the soft limit; null when /proc/PID/fd cannot be read. */
  readonly fds: number | null;
  /** Soft RLIMIT_NOFILE; null for unlimited or unreadable. */
  readonly nofile: number | null;
  /**
   * Socket fds whose socket is in no table of the kernel at this sample and the one before:
   * already closed, fd never released. Null when unreadable, and at the process's first sample.
   */
  readonly closedFds: number | null;
  /** TCP sockets among its fds (null when unreadable). */
  readonly tcpFds: number | null;
  readonly closeWait: CloseWaitTally;
}

/** One sample of the watch. */
export interface WatchSample {
  /** Milliseconds since the watch began, at the middle of the sample's reads. */
  readonly t: number;
  readonly processes: readonly ProcessSample[];
  /** The local other ends of the watched connections, by state. */
  readonly peers: StateCounts;
  /** How many peer sockets are orphaned (no process holds them), by state. */
  readonly peerOrphans: StateCounts;
  readonly acceptQueues: readonly AcceptQueue[];
  /** ListenOverflows and ListenDrops since the watch began, in the watched processes' network namespaces. */
  readonly listenOverflows: number;
  readonly listenDrops: number;
}

/** `a + b`, state by state. */
export function addCounts(a: StateCounts, b: StateCounts): StateCounts {
  const sum: StateCounts = {};
  for (const state of TCP_STATES) {
    const n = (a[state] ?? 0) + (b[state] ?? 0);
    if (state in a || state in b) sum[state] = n;
  }
  return sum;
}

/** Every socket of a sample by state: the watched processes' and their local peers'. */
export function allStates(sample: WatchSample): StateCounts {
  return sample.processes.reduce((sum, p) => addCounts(sum, p.states), sample.peers);
}
