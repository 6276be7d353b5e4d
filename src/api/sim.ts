/**
 * A simulation for programs written as async functions: `createSim()` builds a World, processes
 * run servers and tasks on it, and `run()` advances the virtual clock.
 *
 * Determinism by construction: program code runs only between two engine events. The run loop
 * processes one event; if that event settled something a program awaits (a read's data, a
 * connect, a sleep), it lets the JavaScript microtask queue drain completely (a setImmediate
 * turn) before the next event. Continuations therefore run in the order the engine settled their
 * promises, at the virtual time it settled them, and the clock never moves while one is pending.
 * Programs must await only the simulation (no real timers or I/O).
 */
import type { Errno } from '../model/errno.js';
import { resolveProfile, type Profile, type ProfileName, type ProfileOverrides } from '../model/profile.js';
import type { TcpState } from '../model/states.js';
import { rfcTable } from '../report/rfcTable.js';
import { RUNTIMES } from '../scenario/runtimes.js';
import type { Trace } from '../sim/trace.js';
import { World, type SocketView } from '../sim/world.js';
import { FaultyLink, type CloseFault } from './closeFaults.js';
import type { ProgramContext } from './context.js';
import { toMicros, type Duration } from './duration.js';
import { SimProcess, type ProcessOptions } from './process.js';
import { SimError } from './simError.js';

/** How a simulation is set up. */
export interface SimOptions {
  /** The OS profile: 'linux' (default) or 'rfc9293', or a profile object. */
  readonly profile?: ProfileName | Profile;
  /** Profile values to change (timeWait, finTimeout, somaxconn, …; durations in µs as the profile holds them). */
  readonly profileOverrides?: ProfileOverrides;
  /** Seed of every random choice (ISNs, ports, network); default 1. */
  readonly seed?: number;
  /** One-way latency of every link (default 50 µs, loopback). */
  readonly latency?: Duration;
  /** Faults on close segments (FIN, RST): loss, duplication, reordering, delay. */
  readonly closeFaults?: readonly CloseFault[];
  /** Record a trace for tables and leak reports (default true; turn off for very large runs). */
  readonly trace?: boolean;
}

/** How far `run` goes. */
export interface RunOptions {
  /** Virtual time to stop at, from the start of the run (ms or text: '2m'). */
  readonly until?: Duration;
  /** How long to run from now. */
  readonly for?: Duration;
}

/** A task that ended with an error it did not catch. */
export interface TaskFailure {
  readonly process: string;
  /** Virtual time, ms. */
  readonly at: number;
  readonly error: unknown;
}

/** With neither `until` nor `for`, run stops when nothing is left to happen, or after this much virtual time. */
const QUIET_LIMIT = 3_600_000_000;

const immediate = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A running simulation. */
export class Sim {
  /** The engine underneath, for what this API does not cover. */
  readonly world: World;
  private readonly processes: SimProcess[] = [];
  private readonly byName = new Map<string, SimProcess>();
  private readonly hostByAddress = new Map<string, number>();
  private readonly listeners = new Map<number, number[]>();
  private readonly failureList: TaskFailure[] = [];
  private readonly link: FaultyLink | null;
  private readonly ctx: ProgramContext;
  private pending = false;
  private fatal: { error: unknown } | null = null;
  private running = false;

  constructor(options: SimOptions = {}) {
    const base = options.profile ?? 'linux';
    const profile = typeof base === 'string' ? resolveProfile(base, options.profileOverrides ?? {}) : { ...base, ...options.profileOverrides };
    const latency = toMicros(options.latency ?? 0.05, 'latency');
    const faults = options.closeFaults ?? [];
    this.world = new World({
      profile,
      seed: options.seed ?? 1,
      trace: options.trace ?? true,
      network: { latency, jitter: 0, loss: 0, duplicate: 0, reorder: 0 },
      manualNetwork: faults.length > 0,
    });
    this.link = faults.length > 0 ? new FaultyLink(this.world, faults, latency) : null;
    this.ctx = {
      world: this.world,
      woke: () => {
        this.pending = true;
      },
      taskFailed: (process, error) => {
        this.failureList.push({ process, at: this.now, error });
        if (!(error instanceof SimError) && this.fatal === null) this.fatal = { error };
      },
      addressOf: (port, to, from) => this.addressOf(port, to, from),
      listening: (port, process) => {
        const list = this.listeners.get(port) ?? [];
        list.push(process);
        this.listeners.set(port, list);
      },
      sleep: (micros) => {
        this.pending = true;
        return new Promise((resolve) =>
          this.world.at(this.world.now + micros, () => {
            this.pending = true;
            resolve();
          }),
        );
      },
    };
  }

  /** Virtual time, ms since the start. */
  get now(): number {
    return this.world.now / 1000;
  }

  /** A new process; `name` must be unique. */
  process(name: string, options: ProcessOptions = {}): SimProcess {
    if (this.byName.has(name)) throw new Error(`sim.process: there is already a process named ${name}`);
    const runtime = RUNTIMES[options.runtime ?? 'c'];
    if (runtime === undefined) throw new RangeError(`sim.process(${name}): unknown runtime ${String(options.runtime)} (java, go, node, python, c)`);
    const nofile = options.nofile ?? 1024;
    const baselineFds = options.baselineFds ?? runtime.baselineFds;
    if (!Number.isInteger(nofile) || nofile < 1) throw new RangeError(`sim.process(${name}): nofile must be a whole number ≥ 1, got ${nofile}`);
    if (!Number.isInteger(baselineFds) || baselineFds < 0 || baselineFds >= nofile) {
      throw new RangeError(`sim.process(${name}): baselineFds must be 0…${nofile - 1} (below nofile), got ${baselineFds}`);
    }
    const address = options.address ?? `127.0.0.${this.processes.length + 1}`;
    let host = this.hostByAddress.get(address);
    if (host === undefined) {
      host = this.world.addHost(name, address);
      this.hostByAddress.set(address, host);
    }
    const index = this.world.addProcess({ name, host, nofile, baselineFds, acceptPolicy: runtime.acceptPolicy });
    const proc = new SimProcess(this.ctx, index, name, runtime);
    this.processes.push(proc);
    this.byName.set(name, proc);
    return proc;
  }

  /** Resolves after `d` of virtual time (ms or text: '20s'). */
  sleep(d: Duration): Promise<void> {
    return this.ctx.sleep(toMicros(d, 'sleep'));
  }

  /**
   * Advances the virtual clock, running programs as the engine wakes them, to `until` (from the
   * start), for `for` (from now), or — with neither — until nothing is left to happen. Rejects with
   * the first error a program threw that is not a SimError (a bug in the program, a failed expect).
   */
  async run(options: RunOptions = {}): Promise<void> {
    if (this.running) throw new Error('sim.run: the simulation is already running (await the first run)');
    const world = this.world;
    const limit =
      options.until !== undefined
        ? toMicros(options.until, 'run until')
        : options.for !== undefined
          ? world.now + toMicros(options.for, 'run for')
          : world.now + QUIET_LIMIT;
    this.running = true;
    try {
      await this.settle();
      const link = this.link;
      while (world.nextEventTime() <= limit) {
        world.step();
        if (link !== null) link.pump();
        if (this.pending) await this.settle();
      }
      if (options.until !== undefined || options.for !== undefined) world.runUntil(limit);
    } finally {
      this.running = false;
    }
  }

  /** Lets every continuation of what has settled run, then hands what they sent to the link. */
  private async settle(): Promise<void> {
    await immediate();
    this.pending = false;
    this.link?.pump();
    if (this.fatal !== null) {
      const { error } = this.fatal;
      this.fatal = null;
      throw error;
    }
  }

  // ───────────────────────── inspection ─────────────────────────

  /** A process by name. */
  processNamed(name: string): SimProcess {
    const proc = this.byName.get(name);
    if (proc === undefined) throw new RangeError(`sim: no process named ${name} (there are: ${[...this.byName.keys()].join(', ') || 'none'})`);
    return proc;
  }

  /** The processes, in the order they were created. */
  allProcesses(): readonly SimProcess[] {
    return this.processes;
  }

  /** Every socket the kernels hold (listeners, connections, orphans in FIN_WAIT/TIME_WAIT/LAST_ACK). */
  sockets(): SocketView[] {
    return this.world.sockets();
  }

  /** Live sockets per state, of one process or of all (CLOSED omitted). */
  states(process?: string): Partial<Record<TcpState, number>> {
    return this.world.stateCounts(process === undefined ? undefined : this.processNamed(process).index);
  }

  /** Open fds of a process, baseline included. */
  fds(process: string): number {
    return this.processNamed(process).fds;
  }

  /** Errors that reached programs, per errno, of one process or all. */
  errors(process?: string): Record<Errno, number> {
    return this.world.errors(process === undefined ? undefined : this.processNamed(process).index);
  }

  /** Tasks that ended with an error they did not catch, in order. */
  failures(): readonly TaskFailure[] {
    return this.failureList;
  }

  /** The trace so far (empty when created with `trace: false`). */
  trace(): Trace {
    return this.world.trace();
  }

  /** Connection `conn` drawn as an RFC 9293 table (needs the trace). */
  table(conn: number): string {
    return rfcTable(this.world.trace(), conn);
  }

  private addressOf(port: number, to: string | undefined, from: number): string {
    if (to !== undefined) {
      const named = this.byName.get(to);
      if (named !== undefined) return this.world.hostAddress(this.world.hostOf(named.index));
      if (/^\d+\.\d+\.\d+\.\d+$/.test(to)) return to;
      throw new RangeError(`connect: ${to} is neither a process nor an IPv4 address`);
    }
    const listening = this.listeners.get(port) ?? [];
    const hosts = [...new Set(listening.map((p) => this.world.hostOf(p)))];
    if (hosts.length > 1) {
      throw new RangeError(`connect(${port}): processes on ${hosts.length} hosts listen on port ${port}; say which with { to: name }`);
    }
    // nobody listens: the connecting host's own port, which refuses
    return this.world.hostAddress(hosts[0] ?? this.world.hostOf(from));
  }
}

/** A new simulation. */
export function createSim(options: SimOptions = {}): Sim {
  return new Sim(options);
}
