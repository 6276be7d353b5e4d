/**
 * Reading the kernel's table often while a command's clients are making connections, so that
 * each connection's port, owner and instants (connectionLearner.ts) are known to within a read
 * or two: every `periodMs` from each command client's start until all its declared connections
 * have been accepted, or `maxWatchMs` after its start (connections that never get in: a full
 * accept queue, a dead accept loop). Every other read of the run (the samples) is fed to the
 * learner too.
 *
 * A read of a file of the table walks the kernel's whole socket hash (≈5 ms idle, tens of ms
 * with 2000 sockets on a loaded machine), so the watch reads only the files that have shown
 * rows on the run's ports (tcp for Go, tcp6 for Java's dual-stack sockets), and all of them
 * every `fullEvery`-th read, in case a program of the other family starts. Which process holds
 * each client end is asked of /proc/PID/fd every `ownersEveryMs`, not at every read.
 */
import { ConnectionLearner, filesWithRows, type LearnerPart } from './connectionLearner.js';
import type { SocketOwners } from './socketOwners.js';
import type { TableObserver, TableRead } from './tableObserver.js';

/** A client to watch for (a command's, or a built-in one whose connections reach the same servers): its name, when it starts (epoch ms), how many connections it declares. */
export interface WatchedClient {
  readonly name: string;
  readonly startMs: number;
  readonly connections: number;
}

/** How often and how long to read. */
export interface WatchTiming {
  readonly periodMs: number;
  readonly maxWatchMs: number;
  readonly fullEvery: number;
  readonly ownersEveryMs: number;
}

/** The default: every 10 ms (after the previous read ends), for at most 20 s after a client's start (a SYN dropped four times gets in after ~5 s). */
export const WATCH_TIMING: WatchTiming = { periodMs: 10, maxWatchMs: 20_000, fullEvery: 25, ownersEveryMs: 1000 };

/** The frequent reads of one run. */
export class ConnectionWatch {
  /** What was learned (fed by every read of the run). */
  readonly learner: ConnectionLearner;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private reads = 0;
  private readonly files = new Set<number>();
  private ownersAt = 0;

  constructor(
    private readonly observer: TableObserver,
    private readonly owners: SocketOwners,
    private readonly clients: readonly WatchedClient[],
    private readonly t0Ms: number,
    private readonly serverPorts: ReadonlySet<number>,
    private readonly timing: WatchTiming = WATCH_TIMING,
  ) {
    this.learner = new ConnectionLearner(serverPorts, 0);
  }

  /** Reads made by the watch itself (not the samples'). */
  get watchReads(): number {
    return this.reads;
  }

  /** Starts reading at the first client's start. */
  start(): void {
    this.schedule();
  }

  /** Gives the learner a read made for another purpose (a sample), and names owners. */
  feed(read: TableRead): void {
    this.take(read);
    this.resolveOwners();
  }

  /** Stops the reads (idempotent) and names the owners of what was seen. */
  stop(): void {
    if (!this.stopped) this.resolveOwners();
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private take(read: TableRead): void {
    const parts: LearnerPart[] = read.parts.map((p) => ({ file: p.file, start: (p.startMs - this.t0Ms) * 1000, end: (p.endMs - this.t0Ms) * 1000, rows: p.rows }));
    this.learner.observe(parts);
    for (const file of filesWithRows(parts, this.serverPorts)) this.files.add(file);
  }

  private resolveOwners(): void {
    this.ownersAt = Date.now();
    if (this.learner.unresolved === 0) return;
    this.owners.refresh();
    this.learner.resolveOwners((inode) => this.owners.ownerOf(inode));
  }

  /**
   * Some client started less than maxWatchMs ago, and fewer connections have been accepted than
   * the clients started so far declare (counted over all of them: who holds which is asked of
   * /proc only now and then).
   */
  private active(nowMs: number): boolean {
    const started = this.clients.filter((c) => nowMs >= c.startMs);
    if (!started.some((c) => nowMs < c.startMs + this.timing.maxWatchMs)) return false;
    return this.learner.acceptedCount(null) < started.reduce((n, c) => n + c.connections, 0);
  }

  private nextStart(nowMs: number): number | undefined {
    const later = this.clients.filter((c) => c.startMs > nowMs).map((c) => c.startMs);
    return later.length === 0 ? undefined : Math.min(...later);
  }

  private schedule(): void {
    if (this.stopped) return;
    const now = Date.now();
    if (this.active(now)) {
      this.timer = setTimeout(() => this.tick(), this.timing.periodMs);
      return;
    }
    const next = this.nextStart(now);
    if (next !== undefined) this.timer = setTimeout(() => this.tick(), Math.max(0, next - now));
  }

  private tick(): void {
    if (this.stopped) return;
    const now = Date.now();
    if (this.active(now)) {
      this.reads++;
      // only the files that have shown the run's rows, unless none has yet, and all every fullEvery-th read
      const full = this.files.size === 0 || this.reads % this.timing.fullEvery === 0;
      this.take(this.observer.read(full ? undefined : this.files));
      if (now - this.ownersAt >= this.timing.ownersEveryMs) this.resolveOwners();
    }
    this.schedule();
  }
}
