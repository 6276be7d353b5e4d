/**
 * A server's accept loop, as the runtimes run it. `posix`: accept() in a loop — it waits while no
 * connection is queued and fails with EMFILE as soon as the fd table is full, connection queued
 * or not; then `onAcceptError` decides (retry later, stop the loop, end the process). `libuv`:
 * accept() only when a connection is queued, and EMFILE is answered with uv__emfile_trick
 * (accept and close at once; the program never hears of it). With `workers`, at most that many
 * handlers run at once; the others' connections wait, accepted, in a queue.
 */
import type { AcceptPolicy } from '../scenario/types.js';
import type { Waiter } from '../sim/socket.js';
import type { ProgramContext, ProcessTraits } from './context.js';
import { Conn } from './conn.js';
import { runTask } from './task.js';

/** What a posix server does when accept() fails with EMFILE. */
export type AcceptErrorAction = 'retry' | 'stop' | 'exit';

/** A connection handler. */
export type ConnectionHandler = (conn: Conn) => unknown;

/** The accept loop's settings, resolved. */
export interface AcceptSettings {
  readonly policy: AcceptPolicy;
  readonly workers: number | null;
  readonly onAcceptError: AcceptErrorAction;
  /** µs before accept() is tried again after EMFILE (retry). */
  readonly retryAfter: number;
}

/** Counts an accept loop keeps. */
export interface AcceptCounts {
  accepted: number;
  /** Connections the libuv policy accepted and closed at once on EMFILE. */
  dropped: number;
  /** accept() calls that failed with EMFILE. */
  emfile: number;
}

/** One listener's accept loop. */
export class AcceptLoop implements Waiter {
  private busy = 0;
  private readonly waiting: number[] = [];
  private retryPending = false;
  private stopped = false;
  readonly counts: AcceptCounts = { accepted: 0, dropped: 0, emfile: 0 };

  constructor(
    private readonly ctx: ProgramContext,
    private readonly proc: ProcessTraits,
    private readonly listenFd: number,
    private readonly settings: AcceptSettings,
    private readonly handler: ConnectionHandler,
  ) {}

  /** Ends the loop (the listener is being closed). */
  stop(): void {
    this.stopped = true;
  }

  wake(): void {
    const world = this.ctx.world;
    const p = this.proc.index;
    const libuv = this.settings.policy === 'libuv';
    for (;;) {
      if (world.exited(p) || this.stopped) return;
      if (libuv && world.pendingConnections(p, this.listenFd) === 0) return world.waitOn(p, this.listenFd, this);
      const fd = world.accept(p, this.listenFd);
      if (fd === null) return world.waitOn(p, this.listenFd, this);
      if (fd === 'EMFILE') {
        this.counts.emfile++;
        if (libuv) {
          while (world.acceptAndDrop(p, this.listenFd)) this.counts.dropped++;
          continue;
        }
        return this.acceptFailed();
      }
      if (typeof fd === 'string') return;
      this.counts.accepted++;
      this.proc.notePeak();
      if (this.proc.keepalive !== null) world.setKeepalive(p, fd, this.proc.keepalive);
      this.dispatch(fd);
    }
  }

  private acceptFailed(): void {
    const world = this.ctx.world;
    switch (this.settings.onAcceptError) {
      case 'retry':
        if (!this.retryPending) {
          this.retryPending = true;
          world.at(world.now + this.settings.retryAfter, () => {
            this.retryPending = false;
            this.wake();
          });
        }
        return;
      case 'stop':
        this.stopped = true;
        return;
      case 'exit':
        world.exit(this.proc.index);
    }
  }

  private dispatch(fd: number): void {
    const workers = this.settings.workers;
    if (workers !== null && this.busy >= workers) {
      this.waiting.push(fd);
      return;
    }
    this.busy++;
    const conn = new Conn(this.ctx, this.proc, fd);
    runTask(this.ctx, this.proc.name, () => this.handler(conn), () => {
      if (this.proc.closeWhenDone && !this.ctx.world.exited(this.proc.index)) conn.close();
      this.busy--;
      const next = this.waiting.shift();
      if (next !== undefined) this.dispatch(next);
    });
  }
}
