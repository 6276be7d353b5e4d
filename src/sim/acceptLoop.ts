/**
 * A server program's accept loop, one for every way programs run (the scenario runner's steps
 * and the library's async handlers). `posix`: accept() in a loop — it waits while no connection
 * is queued, and fails with EMFILE as soon as the fd table is full, queued connection or not;
 * then onAcceptError decides (retry later, stop the loop, end the process). `libuv`: accept()
 * only when a connection is queued, and EMFILE is answered with uv__emfile_trick. With
 * `workers`, at most that many connections are served at once; the others wait, accepted.
 */
import type { AcceptErrorAction, AcceptPolicy } from '../scenario/types.js';
import type { KeepaliveOptions, Waiter } from './socket.js';
import type { World } from './world.js';

/** How the loop runs. */
export interface AcceptLoopSettings {
  readonly policy: AcceptPolicy;
  /** Most connections served at once (a thread pool); null = unbounded. */
  readonly workers: number | null;
  /** posix: what the program does when accept() fails. */
  readonly onAcceptError: AcceptErrorAction;
  /** Program time per accepted connection before the next accept() (µs); 0 = none. */
  readonly acceptCost: number;
  /** SO_KEEPALIVE set on every accepted connection (Go), or null. */
  readonly keepalive: KeepaliveOptions | null;
}

/** What the program does with what the loop gets. */
export interface AcceptLoopProgram {
  /** Serves accepted connection `fd`; calls `done` when its handler has ended. */
  serve(fd: number, done: () => void): void;
  /** A connection was accepted (before it is served). */
  accepted?(fd: number): void;
  /** libuv's EMFILE trick accepted and closed `count` connections. */
  dropped?(count: number): void;
  /** accept() failed with EMFILE. */
  refused?(): void;
  /** The loop ended on an accept() error (`exited`: and the process with it). */
  ended?(exited: boolean): void;
}

/** One listener's accept loop; `wake()` starts it. */
export class AcceptLoop implements Waiter {
  private busy = 0;
  private readonly waiting: number[] = [];
  private retryPending = false;
  private stopped = false;

  constructor(
    private readonly world: World,
    private readonly process: number,
    private readonly listenFd: number,
    private readonly settings: AcceptLoopSettings,
    private readonly program: AcceptLoopProgram,
  ) {}

  /** Ends the loop (the listener is being closed). */
  stop(): void {
    this.stopped = true;
  }

  wake(): void {
    const world = this.world;
    const p = this.process;
    const libuv = this.settings.policy === 'libuv';
    for (;;) {
      if (world.exited(p) || this.stopped) return;
      // libuv accepts only when epoll reports the listener readable
      if (libuv && world.pendingConnections(p, this.listenFd) === 0) return world.waitOn(p, this.listenFd, this);
      const fd = world.accept(p, this.listenFd);
      if (fd === null) return world.waitOn(p, this.listenFd, this);
      if (fd === 'EMFILE') {
        this.program.refused?.();
        if (libuv) {
          // uv__emfile_trick: accept and close every pending connection; the program never knows
          let dropped = 0;
          while (world.acceptAndDrop(p, this.listenFd)) dropped++;
          this.program.dropped?.(dropped);
          continue;
        }
        return this.acceptFailed();
      }
      if (typeof fd === 'string') return;
      this.program.accepted?.(fd);
      if (this.settings.keepalive !== null) world.setKeepalive(p, fd, this.settings.keepalive);
      this.dispatch(fd);
      // a program that spends time per connection (starting a thread) comes back to accept() later
      if (this.settings.acceptCost > 0) {
        world.at(world.now + this.settings.acceptCost, () => this.wake());
        return;
      }
    }
  }

  private acceptFailed(): void {
    const world = this.world;
    const action = this.settings.onAcceptError;
    switch (action.kind) {
      case 'retry':
        if (!this.retryPending) {
          this.retryPending = true;
          world.at(world.now + action.after, () => {
            this.retryPending = false;
            this.wake();
          });
        }
        return;
      case 'stop':
        this.stopped = true;
        this.program.ended?.(false);
        return;
      case 'exit':
        this.program.ended?.(true);
        world.exit(this.process);
    }
  }

  private dispatch(fd: number): void {
    const workers = this.settings.workers;
    if (workers !== null && this.busy >= workers) {
      this.waiting.push(fd);
      return;
    }
    this.busy++;
    this.program.serve(fd, () => this.done());
  }

  private done(): void {
    this.busy--;
    const next = this.waiting.shift();
    if (next !== undefined) this.dispatch(next);
  }
}
