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
import { AcceptLoop } from './acceptLoop.js';
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

/** A server program: listens, then serves each connection the accept loop hands it with the server's steps. */
function startServer(
  world: World,
  process: number,
  spec: ProcessSpec,
  runtime: Runtime,
  resolve: (step: Extract<Step, { op: 'connect' }>) => Target,
  stats: ProgramStats,
): void {
  const server = spec.server!;
  const fd = world.listen(process, server.port, server.backlog, server.address ?? undefined);
  if (typeof fd === 'string') throw new Error(`program ${spec.name}: listen on port ${server.port} failed with ${fd}`);
  const count = (map: Map<string, number>, n: number): void => {
    map.set(spec.name, (map.get(spec.name) ?? 0) + n);
  };
  const keepalive = spec.keepalive === null ? null : keepaliveOptions(spec.keepalive, world.profile);
  new AcceptLoop(
    world,
    process,
    fd,
    { policy: spec.acceptPolicy, workers: server.workers, onAcceptError: server.onAcceptError, acceptCost: spec.acceptCost, keepalive },
    {
      accepted: () => count(stats.accepted, 1),
      dropped: (n) => count(stats.droppedByEmfileTrick, n),
      ended: (exited) => stats.acceptLoopEnded.set(spec.name, { at: world.now, exited }),
      serve: (conn, done) => new Task(world, process, spec, runtime, server.steps, resolve, conn, undefined, done).run(),
    },
  ).wake();
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
      world.at(0, () => startServer(world, p, spec, runtime, resolve, stats));
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
