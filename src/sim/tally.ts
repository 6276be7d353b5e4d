/**
 * What netstat and the programs' error paths would count: live sockets per (process, RFC state),
 * errors per (process, errno), and when each errno first reached a program. Kept as running
 * counts, so a sample costs one row per process, not a walk over every socket.
 */
import { ERRNOS, type Errno } from '../model/errno.js';
import { TCP_STATES, type TcpState } from '../model/states.js';

const STATES = TCP_STATES.length;
const ERRNO_INDEX = new Map(ERRNOS.map((e, i) => [e, i] as const));

/** Per-process socket and error counts. */
export class Tally {
  /** Live sockets per (process, RFC state): counts[process * 11 + state]. */
  private counts = new Int32Array(0);
  /** Errors that reached programs, per (process, errno). */
  private errorCounts = new Int32Array(0);
  /** Room for this many processes (grown by doubling, so adding N processes costs O(N)). */
  private capacity = 0;
  private processes = 0;
  private readonly firstErrors = new Map<Errno, number>();

  /** Makes room for one more process. */
  addProcess(): void {
    const n = ++this.processes;
    if (n <= this.capacity) return;
    this.capacity = Math.max(n, this.capacity * 2, 4);
    const counts = new Int32Array(this.capacity * STATES);
    counts.set(this.counts);
    this.counts = counts;
    const errors = new Int32Array(this.capacity * ERRNOS.length);
    errors.set(this.errorCounts);
    this.errorCounts = errors;
  }

  /** A socket of `process` enters RFC state `state` (index into TCP_STATES). */
  enter(process: number, state: number): void {
    this.counts[process * STATES + state]!++;
  }

  /** A socket of `process` leaves RFC state `state`. */
  leave(process: number, state: number): void {
    this.counts[process * STATES + state]!--;
  }

  /** Sockets of `process` in RFC state `state`. */
  count(process: number, state: number): number {
    return this.counts[process * STATES + state]!;
  }

  /** Live sockets per state for one process, or for all when `process` is undefined (CLOSED omitted). */
  stateCounts(process: number | undefined): Partial<Record<TcpState, number>> {
    const out: Partial<Record<TcpState, number>> = {};
    // one process: its row only (a sample of N processes asks N times; summing all rows each time was O(N²))
    const first = process ?? 0;
    const end = process === undefined ? this.processes : Math.min(process + 1, this.processes);
    for (let s = 1; s < STATES; s++) {
      let total = 0;
      for (let p = first; p < end; p++) total += this.counts[p * STATES + s]!;
      if (total > 0) out[TCP_STATES[s]!] = total;
    }
    return out;
  }

  /** An error reached a program of `process` at `now`. */
  countError(process: number, errno: Errno, now: number): void {
    this.errorCounts[process * ERRNOS.length + ERRNO_INDEX.get(errno)!]!++;
    if (!this.firstErrors.has(errno)) this.firstErrors.set(errno, now);
  }

  /** Errors that reached programs, per errno, for one process or all. */
  errors(process: number | undefined): Record<Errno, number> {
    const out = Object.fromEntries(ERRNOS.map((e) => [e, 0])) as Record<Errno, number>;
    const first = process ?? 0;
    const end = process === undefined ? this.processes : Math.min(process + 1, this.processes);
    for (let p = first; p < end; p++) {
      ERRNOS.forEach((e, i) => (out[e] += this.errorCounts[p * ERRNOS.length + i]!));
    }
    return out;
  }

  /** When a program first got `errno`, or undefined. */
  firstErrorAt(errno: Errno): number | undefined {
    return this.firstErrors.get(errno);
  }
}
