/**
 * The scenario's programs, run against the World's syscalls: a server's accept loop (with its
 * worker pool and accept policy) and per-connection step lists, and clients that open
 * connections on a schedule. A step that would block (connect, read, sleep) parks the task
 * until the kernel or the clock wakes it.
 *
 * What a program does on an error: a failed connect() closes its fd (Java's Socket constructor
 * and Go's Dial both do) and the task ends; any other error ends the task where it stands,
 * without closing — exactly what a handler that forgot close() in its error path does.
 */
import type { Profile } from '../model/profile.js';
import type { KeepaliveSpec, ProcessSpec, Scenario, Step } from '../scenario/types.js';
import type { KeepaliveOptions, Waiter } from './socket.js';
import type { World } from './world.js';

/** Counts the programs keep about themselves. */
export interface ProgramStats {
  /** Connections the server program accepted, per process. */
  readonly accepted: Map<string, number>;
  /** Connections the libuv policy accepted and closed at once, per process. */
  readonly droppedByEmfileTrick: Map<string, number>;
  /** Servers whose accept loop ended on an accept() error: when (µs), and whether the process exited with it. */
  readonly acceptLoopEnded: Map<string, { readonly at: number; readonly exited: boolean }>;
}

/** Where a connect step goes. */
interface Target {
  readonly address: string;
  readonly port: number;
}

/** SO_KEEPALIVE as the kernel applies it: the program's values, the profile's sysctls for what it left out. */
function keepaliveOptions(spec: KeepaliveSpec, profile: Profile): KeepaliveOptions {
  return {
    idle: spec.idle ?? profile.keepaliveTime,
    interval: spec.interval ?? profile.keepaliveIntvl,
    probes: spec.probes ?? profile.keepaliveProbes,
  };
}

/** What a process's runtime keeps for all its threads. */
class Runtime {
  /** The fds of the first write are open (or none were needed). */
  private ready: boolean;
  /** Opening them failed: every write in the process fails from now on. */
  private broken = false;

  constructor(
    private readonly world: World,
    private readonly process: number,
    private readonly spec: ProcessSpec,
  ) {
    this.ready = spec.firstWriteFds === 0;
  }

  /** Whether a socket write may go ahead; opens the runtime's first-write fds once (OpenJDK's pre-close socketpair). */
  canWrite(): boolean {
    if (this.ready) return true;
    if (this.broken) return false;
    for (let i = 0; i < this.spec.firstWriteFds; i++) {
      if (typeof this.world.openFile(this.process, 'pre-close socketpair') === 'string') {
        // the class that needed it failed to initialise, for good (ExceptionInInitializerError, then NoClassDefFoundError)
        this.broken = true;
        return false;
      }
    }
    this.ready = true;
    return true;
  }
}

class Task implements Waiter {
  private pc = 0;
  private finished = false;

  constructor(
    private readonly world: World,
    private readonly process: number,
    private readonly spec: ProcessSpec,
    private readonly runtime: Runtime,
    private readonly steps: readonly Step[],
    private readonly resolve: (step: Extract<Step, { op: 'connect' }>) => Target,
    private fd: number,
    private readonly conn: number | undefined,
    private readonly onDone: () => void,
  ) {}

  wake(): void {
    this.run();
  }

  run(): void {
    const world = this.world;
    const p = this.process;
    if (this.finished) return;
    if (world.exited(p)) return this.finish();
    while (this.pc < this.steps.length) {
      const step = this.steps[this.pc]!;
      switch (step.op) {
        case 'connect': {
          if (this.fd < 0) {
            const target = this.resolve(step);
            const fd = world.connect(p, target.address, target.port, this.conn);
            if (typeof fd === 'string') return this.finish();
            this.fd = fd;
          }
          const outcome = world.connectOutcome(p, this.fd);
          if (outcome === 'pending') return world.waitOn(p, this.fd, this);
          if (outcome !== 'connected') {
            world.close(p, this.fd);
            this.fd = -1;
            return this.finish();
          }
          // Go's Dialer sets SO_KEEPALIVE once connect() returns
          if (this.spec.keepalive !== null) world.setKeepalive(p, this.fd, keepaliveOptions(this.spec.keepalive, world.profile));
          break;
        }
        case 'write':
          // a runtime that cannot set up its writes throws: the thread dies where it stands, fd open
          if (!this.runtime.canWrite()) return this.finish();
          if (typeof world.write(p, this.fd, step.data) === 'string') return this.finish();
          break;
        case 'read': {
          const result = world.read(p, this.fd, step.amount);
          if (result === null) return world.waitOn(p, this.fd, this);
          if (typeof result === 'string') return this.finish();
          // reading to EOF consumes as data arrives until the stream ends
          if (step.amount.kind === 'eof' && !result.eof) continue;
          // Node without allowHalfOpen: the end of the stream ends the socket (end(), then destroy())
          if (result.eof && this.spec.closeOnEof && this.fd >= 0) {
            world.close(p, this.fd);
            this.fd = -1;
          }
          break;
        }
        case 'sleep':
          this.pc++;
          return world.at(world.now + step.duration, () => this.run());
        case 'shutdown':
          world.shutdown(p, this.fd);
          break;
        case 'close':
          world.close(p, this.fd);
          this.fd = -1;
          break;
        case 'abort':
          world.abort(p, this.fd);
          this.fd = -1;
          break;
        case 'exit':
          world.exit(p);
          return this.finish();
      }
      this.pc++;
    }
    this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    // CPython's reference counting closes the socket the handler drops
    if (this.spec.closeWhenDone && this.fd >= 0 && !this.world.exited(this.process)) {
      this.world.close(this.process, this.fd);
      this.fd = -1;
    }
    this.onDone();
  }
}

/**
 * A server program's accept loop. `posix`: accept() in a loop — it waits while no connection
 * is queued, and fails with EMFILE as soon as the fd table is full, queued connection or not;
 * then onAcceptError decides (retry later, stop the loop, end the process). `libuv`: accept()
 * only when a connection is queued, and EMFILE is answered with uv__emfile_trick.
 */
class Acceptor implements Waiter {
  private listenFd = -1;
  private busy = 0;
  private readonly waiting: number[] = [];
  private retryPending = false;
  private stopped = false;

  constructor(
    private readonly world: World,
    private readonly process: number,
    private readonly spec: ProcessSpec,
    private readonly runtime: Runtime,
    private readonly resolve: (step: Extract<Step, { op: 'connect' }>) => Target,
    private readonly stats: ProgramStats,
  ) {}

  start(): void {
    const server = this.spec.server!;
    const fd = this.world.listen(this.process, server.port, server.backlog, server.address ?? undefined);
    if (typeof fd === 'string') throw new Error(`program ${this.spec.name}: listen on port ${server.port} failed with ${fd}`);
    this.listenFd = fd;
    this.wake();
  }

  wake(): void {
    const world = this.world;
    const p = this.process;
    const libuv = this.spec.acceptPolicy === 'libuv';
    for (;;) {
      if (world.exited(p) || this.stopped) return;
      // libuv accepts only when epoll reports the listener readable
      if (libuv && world.pendingConnections(p, this.listenFd) === 0) return world.waitOn(p, this.listenFd, this);
      const fd = world.accept(p, this.listenFd);
      if (fd === null) return world.waitOn(p, this.listenFd, this);
      if (fd === 'EMFILE') {
        if (libuv) {
          // uv__emfile_trick: accept and close every pending connection; the program never knows
          let dropped = 0;
          while (world.acceptAndDrop(p, this.listenFd)) dropped++;
          this.stats.droppedByEmfileTrick.set(this.spec.name, (this.stats.droppedByEmfileTrick.get(this.spec.name) ?? 0) + dropped);
          continue;
        }
        return this.acceptFailed();
      }
      if (typeof fd === 'string') return;
      this.stats.accepted.set(this.spec.name, (this.stats.accepted.get(this.spec.name) ?? 0) + 1);
      // Go's listener sets SO_KEEPALIVE on every connection it accepts
      if (this.spec.keepalive !== null) world.setKeepalive(p, fd, keepaliveOptions(this.spec.keepalive, world.profile));
      this.dispatch(fd);
      // a program that spends time per connection (starting a thread) comes back to accept() later
      if (this.spec.acceptCost > 0) {
        world.at(world.now + this.spec.acceptCost, () => this.wake());
        return;
      }
    }
  }

  private acceptFailed(): void {
    const world = this.world;
    const action = this.spec.server!.onAcceptError;
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
        this.stats.acceptLoopEnded.set(this.spec.name, { at: world.now, exited: false });
        return;
      case 'exit':
        this.stats.acceptLoopEnded.set(this.spec.name, { at: world.now, exited: true });
        world.exit(this.process);
    }
  }

  private dispatch(fd: number): void {
    const workers = this.spec.server!.workers;
    if (workers !== null && this.busy >= workers) {
      this.waiting.push(fd);
      return;
    }
    this.busy++;
    new Task(this.world, this.process, this.spec, this.runtime, this.spec.server!.steps, this.resolve, fd, undefined, () => this.done()).run();
  }

  private done(): void {
    this.busy--;
    const next = this.waiting.shift();
    if (next !== undefined) this.dispatch(next);
  }
}

/** How programs start, beyond what the scenario says. */
export interface ProgramOptions {
  /**
   * When client connection `conn` (numbered over all client processes, in order) starts, in µs,
   * instead of its place in its process's ramp; undefined = the ramp's. Real mode replays the
   * kernel's order this way when it cannot tell the programs when to connect. Times must not
   * decrease with `conn` within a process.
   */
  readonly connectionStart?: ((conn: number) => number | undefined) | undefined;
}

/** Starts every process's program in `world`; `processIndex` maps names to World process indices. */
export function startPrograms(world: World, scenario: Scenario, processIndex: ReadonlyMap<string, number>, options: ProgramOptions = {}): ProgramStats {
  const stats: ProgramStats = { accepted: new Map(), droppedByEmfileTrick: new Map(), acceptLoopEnded: new Map() };
  const byName = new Map(scenario.processes.map((p) => [p.name, p] as const));
  const resolve = (step: Extract<Step, { op: 'connect' }>): Target => {
    if ('address' in step.to) return { address: step.to.address, port: step.to.port };
    const spec = byName.get(step.to.process);
    const index = processIndex.get(step.to.process);
    if (!spec?.server || index === undefined) throw new Error(`program: connect target ${step.to.process} does not listen`);
    return { address: world.hostAddress(world.hostOf(index)), port: spec.server.port };
  };
  let conn = 0;
  for (const spec of scenario.processes) {
    const p = processIndex.get(spec.name)!;
    const runtime = new Runtime(world, p, spec);
    if (spec.server) {
      const acceptor = new Acceptor(world, p, spec, runtime, resolve, stats);
      world.at(0, () => acceptor.start());
    }
    const client = spec.client;
    if (client) {
      const first = conn;
      conn += client.connections;
      const startOf = (i: number): number => options.connectionStart?.(first + i) ?? client.start + Math.floor((client.ramp * i) / client.connections);
      // one pending event spawns the connections in turn, evenly over the ramp
      const spawn = (i: number): void => {
        new Task(world, p, spec, runtime, client.steps, resolve, -1, first + i, () => {}).run();
        const next = i + 1;
        if (next < client.connections) world.at(startOf(next), () => spawn(next));
      };
      if (client.connections > 0) world.at(startOf(0), () => spawn(0));
    }
  }
  return stats;
}
