/**
 * A simulated process: an fd table under RLIMIT_NOFILE on a host, and the programs it runs —
 * servers (listen with a connection handler) and tasks (async functions that connect, read,
 * write, sleep). What its runtime does without being asked (accept policy, keepalive, close on
 * EOF, baseline fds) comes from the runtime it names.
 */
import type { AcceptPolicy, RuntimeName } from '../scenario/types.js';
import type { RuntimeDefaults } from '../scenario/runtimes.js';
import type { KeepaliveOptions } from '../sim/socket.js';
import { startAcceptLoop, type AcceptCounts, type AcceptErrorAction, type ConnectionHandler } from './acceptLoop.js';
import type { ProgramContext, ProcessTraits } from './context.js';
import { Conn, type WaitOptions } from './conn.js';
import { toMicros, type Duration } from './duration.js';
import { SimError } from './simError.js';
import { runTask } from './task.js';

/** How a process is set up. */
export interface ProcessOptions {
  /** RLIMIT_NOFILE: most fds open at once (default 1024). */
  readonly nofile?: number;
  /** The runtime whose defaults apply: java, go, node, python or c (default c). */
  readonly runtime?: RuntimeName;
  /** fds open before the program opens any (default: the runtime's; 3 for c). */
  readonly baselineFds?: number;
  /** The host's IPv4 address; processes given the same address share a host (default: a host of its own, 127.0.0.N). */
  readonly address?: string;
}

/** How a server listens. */
export interface ListenOptions {
  /** listen() backlog, capped by the profile's somaxconn (default: the runtime's). */
  readonly backlog?: number;
  /** posix (accept in a loop) or libuv (Node's); default the runtime's. */
  readonly acceptPolicy?: AcceptPolicy;
  /** Most handlers running at once (a thread pool); default unbounded. */
  readonly workers?: number;
  /** posix: what the loop does when accept() fails with EMFILE (default: the runtime's). */
  readonly onAcceptError?: AcceptErrorAction;
  /** posix, retry: how long before accept() is tried again (default: the runtime's, 1 s for c). */
  readonly retryAfter?: Duration;
}

/** Where a client connects. */
export interface ConnectOptions extends WaitOptions {
  /** The process (by name) or IPv4 address to connect to; default the process listening on the port. */
  readonly to?: string;
}

/** A listening socket and its accept loop. */
export interface Listener {
  readonly port: number;
  readonly fd: number;
  /** Connections accepted, dropped by libuv's EMFILE trick, and accept() calls that failed with EMFILE. */
  readonly counts: Readonly<AcceptCounts>;
  /** Ends the accept loop and closes the listener (queued connections are reset). */
  close(): void;
}

/** A process in the simulation. */
export class SimProcess implements ProcessTraits {
  readonly closeOnEof: boolean;
  readonly closeWhenDone: boolean;
  readonly keepalive: KeepaliveOptions | null;
  private peak: number;

  constructor(
    private readonly ctx: ProgramContext,
    readonly index: number,
    readonly name: string,
    private readonly runtime: RuntimeDefaults,
  ) {
    const profile = ctx.world.profile;
    this.closeOnEof = runtime.closeOnEof;
    this.closeWhenDone = runtime.closeWhenDone;
    const ka = runtime.keepalive;
    this.keepalive =
      ka === null ? null : { idle: ka.idle ?? profile.keepaliveTime, interval: ka.interval ?? profile.keepaliveIntvl, probes: ka.probes ?? profile.keepaliveProbes };
    this.peak = ctx.world.fdsInUse(index);
  }

  /** Open fds, baseline included. */
  get fds(): number {
    return this.ctx.world.fdsInUse(this.index);
  }

  /** The most fds it has held at once. */
  get peakFds(): number {
    return this.peak;
  }

  /** Whether it has exited. */
  get exited(): boolean {
    return this.ctx.world.exited(this.index);
  }

  notePeak(): void {
    const n = this.ctx.world.fdsInUse(this.index);
    if (n > this.peak) this.peak = n;
  }

  /** Listens on `port` and runs `handler` for every connection it accepts. Throws SimError (EADDRINUSE, EMFILE). */
  listen(port: number, handler: ConnectionHandler): Listener;
  listen(port: number, options: ListenOptions, handler: ConnectionHandler): Listener;
  listen(port: number, a: ListenOptions | ConnectionHandler, b?: ConnectionHandler): Listener {
    const options = typeof a === 'function' ? {} : a;
    const handler = typeof a === 'function' ? a : b;
    if (handler === undefined) throw new TypeError(`${this.name}.listen(${port}): a connection handler is required`);
    if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new RangeError(`${this.name}.listen: port must be 1…65535, got ${port}`);
    const world = this.ctx.world;
    const backlog = options.backlog ?? this.runtime.backlog;
    const fd = world.listen(this.index, port, backlog);
    if (typeof fd === 'string') throw new SimError(fd, 'listen', `port ${port}`);
    this.notePeak();
    this.ctx.listening(port, this.index);
    const loop = startAcceptLoop(
      this.ctx,
      this,
      fd,
      {
        policy: options.acceptPolicy ?? this.runtime.acceptPolicy,
        workers: options.workers ?? null,
        onAcceptError: options.onAcceptError ?? this.runtime.onAcceptError.kind,
        retryAfter:
          options.retryAfter !== undefined
            ? toMicros(options.retryAfter, 'retryAfter')
            : this.runtime.onAcceptError.kind === 'retry'
              ? this.runtime.onAcceptError.after
              : 1_000_000,
      },
      handler,
    );
    return {
      port,
      fd,
      counts: loop.counts,
      close: () => {
        loop.stop();
        world.close(this.index, fd);
      },
    };
  }

  /** connect() to `port`; resolves once the handshake completes, rejects with SimError (ECONNREFUSED, ETIMEDOUT, EMFILE, …). */
  connect(port: number, options: ConnectOptions = {}): Promise<Conn> {
    const ctx = this.ctx;
    ctx.woke();
    let address: string;
    try {
      address = ctx.addressOf(port, options.to, this.index);
    } catch (e) {
      return Promise.reject(e);
    }
    const fd = ctx.world.connect(this.index, address, port);
    if (typeof fd === 'string') return Promise.reject(new SimError(fd, 'connect', `${address}:${port}`));
    this.notePeak();
    return new Conn(ctx, this, fd).connected(options);
  }

  /** Runs `body` as a task of this process, now or at virtual time `at` (from the start of the run). */
  spawn(body: () => unknown, options: { readonly at?: Duration } = {}): void {
    const world = this.ctx.world;
    const start = (): void => runTask(this.ctx, this.name, body, () => {});
    if (options.at === undefined) start();
    else world.at(toMicros(options.at, 'spawn at'), start);
  }

  /** Resolves after `d` of virtual time (ms or text: '20s'); the same as sim.sleep. */
  sleep(d: Duration): Promise<void> {
    return this.ctx.sleep(toMicros(d, 'sleep'));
  }

  /** Opens an fd that is not a socket (a file, a pipe); returns it. Throws SimError EMFILE at the limit. */
  openFile(what = 'file'): number {
    const fd = this.ctx.world.openFile(this.index, what);
    if (typeof fd === 'string') throw new SimError(fd, 'open', what);
    this.notePeak();
    return fd;
  }

  /** Closes a file opened with openFile. */
  closeFile(fd: number): void {
    this.ctx.world.close(this.index, fd);
  }

  /** The process ends; the kernel closes every fd it held. Its tasks stop at their next call. */
  exit(): void {
    this.ctx.world.exit(this.index);
  }
}
