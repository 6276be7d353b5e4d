/**
 * What became of each CLOSE_WAIT socket of a watched process: the peer sent FIN, and the socket
 * waits for the program's close(). From one sample to the next a CLOSE_WAIT socket either
 * - stays (its age grows: first seen → now),
 * - is **closed** by the program: its fd is gone from /proc/PID/fd (the socket passes through
 *   LAST_ACK to CLOSED) — the time it sat in CLOSE_WAIT is how long the program takes to close,
 * - or **leaves CLOSE_WAIT with its fd still open** (at two samples in a row, since an exiting
 *   process still lists fds whose sockets the kernel is releasing): the kernel ended the connection (a RST, such
 *   as the peer's answer to a keepalive probe once its orphaned FIN_WAIT_2 expired — Go's
 *   default) or the program shut down its side without close(). The fd stays leaked, and netstat
 *   and ss no longer show it.
 * Ages are measured from the first sample that saw the socket in CLOSE_WAIT, so they are lower
 * bounds (a socket already in CLOSE_WAIT when the watch began is as old as the watch).
 * A socket that left the table while its fd stayed open still counts as waiting until the next
 * sample decides: its fd is still held, and a process that exits with CLOSE_WAIT sockets — the
 * kernel releases them as it tears the process down — did not close them.
 */
import { fourTupleKey, type SocketRow } from '../real/socketRow.js';

/** One process's CLOSE_WAIT history so far. */
export interface CloseWaitTally {
  /** When each socket now in CLOSE_WAIT (or just out of it, its fd still held) was first seen there (ms), oldest first. */
  readonly openSince: readonly number[];
  /** Sockets the program closed after their peer's FIN. */
  readonly closed: number;
  /** The longest a closed one sat in CLOSE_WAIT, as sampled (ms; 0 when none). */
  readonly longestCloseMs: number;
  /** Sockets that left CLOSE_WAIT while the program kept their fd. */
  readonly leftWithFd: number;
}

interface Entry {
  readonly pid: number;
  readonly inode: number;
  readonly since: number;
}

interface Counts {
  closed: number;
  longestCloseMs: number;
  leftWithFd: number;
}

/** Follows the CLOSE_WAIT sockets of the watched processes of one namespace across samples. */
export class CloseWaitTracker {
  private readonly open = new Map<string, Entry>();
  private readonly leaving = new Map<string, Entry>();
  private readonly counts = new Map<number, Counts>();

  /**
   * Takes one sample at `t` (ms): each process's own rows, and its socket fds (null when
   * unreadable: then a socket that left CLOSE_WAIT counts as closed).
   */
  update(t: number, own: ReadonlyMap<number, readonly SocketRow[]>, socketInodes: ReadonlyMap<number, ReadonlySet<number> | null>): void {
    const now = new Map<string, Entry>();
    for (const [pid, rows] of own) {
      for (const row of rows) {
        if (row.state !== 'CLOSE_WAIT') continue;
        const key = fourTupleKey(row);
        now.set(key, this.open.get(key) ?? { pid, inode: row.inode ?? 0, since: t });
      }
    }
    const held = (entry: Entry): boolean => {
      const fds = socketInodes.get(entry.pid);
      return entry.inode !== 0 && fds !== undefined && fds !== null && fds.has(entry.inode);
    };
    // left CLOSE_WAIT with the fd open at the sample before: a leak if the fd is still open now
    // (a process that is exiting lists fds whose sockets the kernel is already releasing)
    for (const [key, entry] of this.leaving) {
      if (now.has(key)) continue;
      if (held(entry)) this.countsOf(entry.pid).leftWithFd += 1;
      else if (socketInodes.has(entry.pid)) this.closedAt(entry, t);
    }
    this.leaving.clear();
    for (const [key, entry] of this.open) {
      if (now.has(key)) continue;
      if (held(entry)) this.leaving.set(key, entry);
      else if (socketInodes.has(entry.pid)) this.closedAt(entry, t);
      // a process that is gone closed nothing: the kernel did, at its exit
    }
    this.open.clear();
    for (const [key, entry] of now) this.open.set(key, entry);
  }

  private closedAt(entry: Entry, t: number): void {
    const counts = this.countsOf(entry.pid);
    counts.closed += 1;
    counts.longestCloseMs = Math.max(counts.longestCloseMs, t - entry.since);
  }

  /** The tally of process `pid`. */
  tally(pid: number): CloseWaitTally {
    const counts = this.counts.get(pid) ?? { closed: 0, longestCloseMs: 0, leftWithFd: 0 };
    const openSince = [...this.open.values(), ...this.leaving.values()]
      .filter((e) => e.pid === pid)
      .map((e) => e.since)
      .sort((a, b) => a - b);
    return { openSince, ...counts };
  }

  private countsOf(pid: number): Counts {
    let counts = this.counts.get(pid);
    if (counts === undefined) {
      counts = { closed: 0, longestCloseMs: 0, leftWithFd: 0 };
      this.counts.set(pid, counts);
    }
    return counts;
  }
}
