/**
 * One connection as a program holds it: awaitable reads and connect, writes, shutdown, close and
 * abort, each a syscall on the World. A call that would block parks on the socket until the
 * kernel wakes it; every await settles through the simulation's clock, never on its own.
 */
import type { Endpoint } from '../model/segment.js';
import type { TcpState } from '../model/states.js';
import type { ReadAmount } from '../scenario/types.js';
import type { Waiter } from '../sim/socket.js';
import type { ProgramContext, ProcessTraits } from './context.js';
import { toMicros, type Duration } from './duration.js';
import { SimError, type SimSyscall } from './simError.js';

/** How long a read or connect may wait before it fails with ETIMEDOUT (a program's own timeout). */
export interface WaitOptions {
  readonly timeout?: Duration;
}

/** The largest read(2) `read()` makes when no size is given. */
const DEFAULT_READ = 65_536;

/** A connected (or connecting) socket of a simulated process. */
export class Conn implements Waiter {
  private retry: (() => void) | null = null;
  private openFd: number;
  /** Connection number, shared by both ends (the trace and `sim.table(conn)` use it). */
  readonly conn: number;
  readonly local: Endpoint;
  readonly remote: Endpoint;
  readonly role: 'client' | 'server';
  /** The stream has ended: a read returned EOF. */
  private ended = false;

  constructor(
    private readonly ctx: ProgramContext,
    private readonly proc: ProcessTraits,
    fd: number,
  ) {
    this.openFd = fd;
    const view = ctx.world.socketView(proc.index, fd);
    if (view === undefined || view.role === 'listener') throw new Error(`conn: fd ${fd} of ${proc.name} is not a connection`);
    this.conn = view.conn;
    this.local = view.local;
    this.remote = view.remote;
    this.role = view.role;
  }

  /** The fd, or -1 once closed. */
  get fd(): number {
    return this.openFd;
  }

  /** The socket's RFC 9293 state; after close() the kernel's orphaned socket's, CLOSED once it is gone. */
  get state(): TcpState {
    const world = this.ctx.world;
    if (this.openFd >= 0) return world.stateOf(this.proc.index, this.openFd);
    for (const s of world.sockets()) if (s.conn === this.conn && s.role === this.role && s.process === this.proc.name) return s.state;
    return 'CLOSED';
  }

  /** Whether a read has returned the end of the stream. */
  get eof(): boolean {
    return this.ended;
  }

  /** Wakes the pending read or connect (the kernel calls this). */
  wake(): void {
    this.retry?.();
  }

  /** One line, its '\n' included; at the end of the stream what is left, '' once nothing is (Python's readline()). */
  readLine(options: WaitOptions = {}): Promise<string> {
    return this.readWith({ kind: 'line' }, options);
  }

  /** One read(2) of at most `max` bytes (default 64 KiB): what has arrived, waiting only while nothing has; '' at the end of the stream. */
  read(max = DEFAULT_READ, options: WaitOptions = {}): Promise<string> {
    if (!Number.isInteger(max) || max < 1) return Promise.reject(new RangeError(`conn.read: max must be a whole number of bytes ≥ 1, got ${max}`));
    return this.readWith({ kind: 'upTo', count: max }, options);
  }

  /** Everything up to the end of the stream. */
  readAll(options: WaitOptions = {}): Promise<string> {
    let got = '';
    return this.block(
      () => {
        const r = this.readOnce({ kind: 'eof' });
        if (r === undefined) return undefined;
        got += r.data;
        return r.eof ? got : undefined;
      },
      'read',
      options.timeout,
    );
  }

  /** write(2): queues `data` for the peer; rejects with EPIPE or ECONNRESET when the connection is gone. */
  write(data: string): Promise<void> {
    const world = this.ctx.world;
    this.ctx.woke();
    if (this.openFd < 0) return Promise.reject(new SimError('EBADF', 'write', 'the connection was closed'));
    const r = world.write(this.proc.index, this.openFd, data);
    return typeof r === 'string' ? Promise.reject(new SimError(r, 'write')) : Promise.resolve();
  }

  /** shutdown(SHUT_WR): sends FIN, keeps reading. Throws ENOTCONN when there is nothing to shut. */
  shutdown(): void {
    if (this.openFd < 0) throw new SimError('EBADF', 'shutdown', 'the connection was closed');
    const r = this.ctx.world.shutdown(this.proc.index, this.openFd);
    if (r !== 0) throw new SimError(r, 'shutdown');
  }

  /** close(2): frees the fd; the kernel finishes the close handshake. Closing twice is harmless (Node's destroy()). */
  close(): void {
    this.release('close');
  }

  /** SO_LINGER 0, then close(): RST, no TIME_WAIT (Node's resetAndDestroy()). */
  abort(): void {
    this.release('abort');
  }

  /** Waits for connect() to finish; on failure closes the fd (as Java's Socket and Go's Dial do) and rejects. */
  connected(options: WaitOptions = {}): Promise<Conn> {
    const world = this.ctx.world;
    const p = this.proc.index;
    return this.block(
      () => {
        const outcome = world.connectOutcome(p, this.openFd);
        if (outcome === 'pending') return undefined;
        if (outcome !== 'connected') {
          this.release('close');
          throw new SimError(outcome, 'connect');
        }
        if (this.proc.keepalive !== null) world.setKeepalive(p, this.openFd, this.proc.keepalive);
        return this;
      },
      'connect',
      options.timeout,
      () => this.release('close'),
    );
  }

  private release(call: 'close' | 'abort'): void {
    if (this.openFd < 0) return;
    const fd = this.openFd;
    this.openFd = -1;
    if (call === 'close') this.ctx.world.close(this.proc.index, fd);
    else this.ctx.world.abort(this.proc.index, fd);
  }

  private readWith(amount: ReadAmount, options: WaitOptions): Promise<string> {
    return this.block(() => this.readOnce(amount)?.data, 'read', options.timeout);
  }

  /** One read attempt: undefined when it would block; throws the errno. */
  private readOnce(amount: ReadAmount): { data: string; eof: boolean } | undefined {
    if (this.openFd < 0) throw new SimError('EBADF', 'read', 'the connection was closed');
    const r = this.ctx.world.read(this.proc.index, this.openFd, amount);
    if (r === null) return undefined;
    if (typeof r === 'string') throw new SimError(r, 'read');
    if (r.eof) {
      this.ended = true;
      if (this.proc.closeOnEof) this.release('close');
    }
    return r;
  }

  /**
   * Runs `attempt` now and again each time the kernel wakes the socket, until it returns a value
   * or throws; with a timeout, fails with ETIMEDOUT (after `onTimeout`) if it has not by then.
   */
  private block<T>(attempt: () => T | undefined, call: SimSyscall, timeout: Duration | undefined, onTimeout?: () => void): Promise<T> {
    const ctx = this.ctx;
    ctx.woke();
    if (this.retry !== null) return Promise.reject(new Error(`conn: a ${call} was called while another call still waits on connection ${this.conn}`));
    let first: T | undefined;
    try {
      first = attempt();
    } catch (e) {
      return Promise.reject(e);
    }
    if (first !== undefined) return Promise.resolve(first);
    const world = ctx.world;
    const limit = timeout === undefined ? undefined : toMicros(timeout, `${call} timeout`);
    return new Promise<T>((resolve, reject) => {
      const retry = (): void => {
        let r: T | undefined;
        try {
          r = attempt();
        } catch (e) {
          this.retry = null;
          ctx.woke();
          reject(e);
          return;
        }
        if (r === undefined) {
          world.waitOn(this.proc.index, this.openFd, this);
          return;
        }
        this.retry = null;
        ctx.woke();
        resolve(r);
      };
      this.retry = retry;
      world.waitOn(this.proc.index, this.openFd, this);
      if (limit !== undefined) {
        world.at(world.now + limit, () => {
          if (this.retry !== retry) return;
          this.retry = null;
          onTimeout?.();
          ctx.woke();
          reject(new SimError('ETIMEDOUT', call, `no answer within ${typeof timeout === 'number' ? `${timeout} ms` : timeout}`));
        });
      }
    });
  }
}
