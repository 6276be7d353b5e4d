/**
 * Learning an external client's connections from the kernel's table. A command reports nothing
 * to real mode, so which socket is the model's connection `conn` must be read from the table:
 * frequent reads while connections are being made give each client connection its 4-tuple,
 * its owner (the process holding the socket's inode), and three instants, each known to lie
 * between the start of the last read that did not show it and the end of the first that did:
 *
 * - `seen`: the socket is in the table (SYN_SENT or later);
 * - `established`: the client's end is ESTABLISHED or later (the handshake completed);
 * - `accepted`: the server's end has an inode — /proc/net/tcp's inode column is 0 until
 *   accept(2) attaches the socket to a file, so this is when the server program accepted it.
 *
 * Each file of the table (tcp, tcp6) is read on its own, so each has its own brackets. Pure:
 * reads go in, connections come out; which process holds an inode is asked of the caller.
 * Times are microseconds since the run's t0.
 */
import type { TcpState } from '../model/states.js';
import { fourTupleKey, type Endpoint, type SocketRow } from './socketRow.js';

/** An instant known to lie in (after, by]. */
export interface Bracket {
  readonly after: number;
  readonly by: number;
}

/** The middle of a bracket: the estimate used for the instant. */
export function bracketMiddle(b: Bracket): number {
  return Math.round((b.after + b.by) / 2);
}

/** One file of one read of the table: which file, when its read started and ended (µs since t0), its rows. */
export interface LearnerPart {
  readonly file: number;
  readonly start: number;
  readonly end: number;
  readonly rows: readonly SocketRow[];
}

/** A client connection learned from the table. */
export interface LearnedConnection {
  /** The process holding the client's socket, or null when no read showed its inode held by a known process. */
  readonly process: string | null;
  /** The client's end. */
  readonly local: Endpoint;
  readonly remote: Endpoint;
  readonly seen: Bracket;
  readonly established: Bracket | null;
  readonly accepted: Bracket | null;
}

/** States a client's end reaches only after its handshake completed. */
const AFTER_HANDSHAKE: ReadonlySet<TcpState> = new Set(['ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSING', 'TIME_WAIT', 'CLOSE_WAIT', 'LAST_ACK']);

interface Entry {
  process: string | null;
  /** The client end's inode (0 until a row shows it held). */
  inode: number;
  readonly local: Endpoint;
  readonly remote: Endpoint;
  readonly seen: Bracket;
  established: Bracket | null;
  accepted: Bracket | null;
}

/** Reads go in (`observe`), learned connections come out (`connections`). */
export class ConnectionLearner {
  private readonly entries = new Map<string, Entry>();
  /** Start of the previous read of each file: an instant a file's read did not show happened after it. */
  private readonly previousStart = new Map<number, number>();

  /**
   * @param serverPorts the listening ports of the run's servers (a row whose remote port is one
   *   of them is a client's end; whose local port is, a server's end)
   * @param since when watching began (µs since t0): nothing learned can have happened before
   */
  constructor(
    private readonly serverPorts: ReadonlySet<number>,
    private readonly since: number,
  ) {}

  /** Takes one read (its files' parts). */
  observe(parts: readonly LearnerPart[]): void {
    for (const part of parts) this.observePart(part);
  }

  /**
   * Names the process of each client end not yet attributed whose inode `ownerOf` knows (the
   * process holding the socket; undefined when none of the watched processes does).
   */
  resolveOwners(ownerOf: (inode: number) => string | undefined): void {
    for (const e of this.entries.values()) if (e.process === null && e.inode !== 0) e.process = ownerOf(e.inode) ?? null;
  }

  /** Client ends seen held by a process whose owner is not known yet. */
  get unresolved(): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.process === null && e.inode !== 0) n++;
    return n;
  }

  private observePart(read: LearnerPart): void {
    const bracket: Bracket = { after: this.previousStart.get(read.file) ?? this.since, by: read.end };
    for (const row of read.rows) {
      if (row.state === 'LISTEN') continue;
      const clientEnd = this.serverPorts.has(row.remote.port) && !this.serverPorts.has(row.local.port);
      if (clientEnd) {
        const key = fourTupleKey(row);
        let entry = this.entries.get(key);
        if (entry === undefined) {
          entry = { process: null, inode: 0, local: row.local, remote: row.remote, seen: bracket, established: null, accepted: null };
          this.entries.set(key, entry);
        }
        if (entry.inode === 0 && row.inode !== undefined && row.inode !== 0) entry.inode = row.inode;
        if (entry.established === null && AFTER_HANDSHAKE.has(row.state)) entry.established = bracket;
        continue;
      }
      if (!this.serverPorts.has(row.local.port) || row.inode === undefined || row.inode === 0) continue;
      // the server's end, held by a process: accepted; it is named by the client's 4-tuple
      const key = fourTupleKey({ local: row.remote, remote: row.local });
      let entry = this.entries.get(key);
      if (entry === undefined) {
        // the server's end showed up first (the client's row is read later in the same pass)
        entry = { process: null, inode: 0, local: row.remote, remote: row.local, seen: bracket, established: null, accepted: null };
        this.entries.set(key, entry);
      }
      if (entry.accepted === null) entry.accepted = bracket;
      // accepted means the handshake completed, whatever the client's row said in this read
      if (entry.established === null) entry.established = bracket;
    }
    this.previousStart.set(read.file, read.start);
  }

  /** Every client connection learned so far, in the order first seen. */
  connections(): LearnedConnection[] {
    return [...this.entries.values()].map((e) => ({ process: e.process, local: e.local, remote: e.remote, seen: e.seen, established: e.established, accepted: e.accepted }));
  }

  /** How many connections of `process` (of any process, when null) have been seen accepted. */
  acceptedCount(process: string | null): number {
    let n = 0;
    for (const e of this.entries.values()) if ((process === null || e.process === process) && e.accepted !== null) n++;
    return n;
  }

}

/** The files whose parts show a row on one of `ports` (listeners included). */
export function filesWithRows(parts: readonly LearnerPart[], ports: ReadonlySet<number>): Set<number> {
  const files = new Set<number>();
  for (const part of parts) if (part.rows.some((r) => ports.has(r.local.port) || ports.has(r.remote.port))) files.add(part.file);
  return files;
}
