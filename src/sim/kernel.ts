/**
 * The kernels' shared state: the clock, the agenda, hosts with their socket tables, processes
 * with their fd tables, the counts and the trace. The rooms of the engine (socket calls, segment
 * arrival, transitions, timers, the wire, the listeners' queues) are functions over it; the
 * World is the door to them. Time is integer microseconds.
 */
import { ArrivalBuffer } from '../model/classify.js';
import { tableFor, type TransitionTable } from '../model/compileTable.js';
import type { Errno } from '../model/errno.js';
import { featuresOf, type Profile } from '../model/profile.js';
import type { Endpoint, Segment } from '../model/segment.js';
import { originFromSeed } from '../model/timerWheel.js';
import type { AcceptPolicy, FaultSpec, NetworkSpec } from '../scenario/types.js';
import type { Agenda, WheelBucket } from './agenda.js';
import { EphemeralPortTable } from './ephemeralPorts.js';
import { EventQueue } from './eventQueue.js';
import type { FdTable } from './fdTable.js';
import { LOOPBACK, Network } from './network.js';
import { createPrng, type Prng } from './prng.js';
import { Socket, TIMER_SLOTS, type OpenFile } from './socket.js';
import { Tally } from './tally.js';
import { TimeWaitTable } from './timeWaitTable.js';
import type { AppCall, StateCause } from './trace.js';
import { Tracer, type TraceChoice } from './tracer.js';

/** How a World is set up. */
export interface WorldOptions {
  readonly profile: Profile;
  readonly seed: number;
  readonly network?: NetworkSpec;
  readonly faults?: readonly FaultSpec[];
  /** Record a trace: all connections, or those `conn` numbers for which the filter is true. */
  readonly trace?: TraceChoice;
  /** Hold every segment until the caller delivers, drops or duplicates it (model-based tests). */
  readonly manualNetwork?: boolean;
  /** The local port a client connection must use (real mode replays the kernel's choices); undefined = pick one. */
  readonly ephemeralPortFor?: (conn: number) => number | undefined;
  /** Largest payload of one segment (default: loopback's 65483); a longer write goes out as several. */
  readonly mss?: number;
  /** The kernel's jiffies count at time 0, for the timer wheel (real mode reads it; default: from the seed). */
  readonly wheelOrigin?: number;
}

/** Loopback's MSS: lo's MTU 65536, capped at IPv4's 65535, minus 40 bytes of headers and 12 of timestamps (ss: advmss:65483). */
export const LOOPBACK_MSS = 65_483;

/** A segment in flight that a manual-network caller decides about. */
export interface HeldSegment {
  readonly segmentId: number;
  readonly segment: Segment;
  readonly host: number;
  readonly conn: number;
}

/** A host: its address and its kernel's tables. */
export interface HostState {
  readonly name: string;
  readonly address: string;
  /** Connections by demux key; a TIME_WAIT socket nobody holds is its row of the TIME_WAIT table. */
  readonly sockets: Map<number, Socket | number>;
  readonly listeners: Map<number, Socket>;
  /** Until when its kernel is busy receiving segments (profile rxCost). */
  busyUntil: number;
  /** Its timer wheel's buckets still to fire, by instant (profile hz). */
  readonly buckets: Map<number, WheelBucket>;
  /** The bucket a timer went into last: the next one armed at the same instant usually joins it. */
  lastBucket: WheelBucket | null;
}

/** A process as the kernel sees it. */
export interface ProcessState {
  readonly name: string;
  readonly host: number;
  readonly fds: FdTable<Socket | OpenFile>;
  readonly acceptPolicy: AcceptPolicy;
  exited: boolean;
}

/** Stands in for a state change's cause when no trace is recorded. */
export const UNTRACED_CAUSE: StateCause = { by: 'segment', segmentId: -1 };

/** The shared state of every host's kernel in one run. */
export class Kernel {
  /** Virtual time, integer microseconds. */
  now = 0;
  readonly profile: Profile;
  readonly table: TransitionTable;
  readonly queue = new EventQueue<Agenda>();
  readonly prng: Prng;
  readonly network: Network;
  readonly hosts: HostState[] = [];
  readonly hostByAddress = new Map<string, number>();
  readonly processes: ProcessState[] = [];
  readonly tally = new Tally();
  /**
   * Every socket the kernels still know, by id: the Socket, or its row of the TIME_WAIT table in
   * small form; undefined once forgotten. A timer's expiry finds its socket here (agenda.ts).
   */
  readonly byId: (Socket | number | undefined)[] = [];
  /** The number the last timer was started with (0: none yet). */
  timerSeq = 0;
  /** TIME_WAIT sockets nobody holds, in small form. */
  readonly timeWait = new TimeWaitTable();
  readonly tracer: Tracer;
  nextSocketId = 0;
  nextSegmentId = 0;
  nextConn = 0;
  readonly manual: boolean;
  readonly held: HeldSegment[] = [];
  /** While processing an arriving segment, ACKs are coalesced into one. */
  ackOwed: Socket | null = null;
  deferAcks = false;
  /** One buffer for every arrival (deliver() never runs inside itself): no objects per segment. */
  readonly arrival = new ArrivalBuffer();
  private readonly endpoints = new Map<string, Map<number, Endpoint>>();
  readonly ephemeralPortFor: ((conn: number) => number | undefined) | undefined;
  readonly ports: EphemeralPortTable;
  /** SYNs dropped because an accept queue (or, without SYN cookies, a SYN queue) was full. */
  synDrops = 0;
  /** Handshakes a full accept queue held back (Linux ListenOverflows): SYNs dropped, and final ACKs dropped. */
  listenOverflows = 0;
  /** SYN,ACKs sent with a SYN cookie because a SYN queue was full (Linux SyncookiesSent). */
  syncookiesSent = 0;
  /** Largest payload of one segment. */
  readonly mss: number;
  /** The jiffies count at time 0 (timerWheel.ts). */
  readonly wheelOrigin: number;
  /** Timer expiries per timer slot (TIMER_SLOTS order). */
  readonly expiries = new Float64Array(TIMER_SLOTS.length);
  /** Events processed so far (for benchmarks). */
  eventsProcessed = 0;

  constructor(options: WorldOptions) {
    this.profile = options.profile;
    this.table = tableFor(featuresOf(options.profile));
    this.prng = createPrng(options.seed);
    this.network = new Network(options.network ?? LOOPBACK, options.faults ?? [], this.prng);
    this.tracer = new Tracer(options.trace ?? false);
    this.manual = options.manualNetwork ?? false;
    this.ephemeralPortFor = options.ephemeralPortFor;
    this.mss = options.mss ?? LOOPBACK_MSS;
    this.wheelOrigin = options.wheelOrigin ?? originFromSeed(options.seed);
    this.ports = new EphemeralPortTable(options.profile.ephemeralPorts, (host, port) => this.hosts[host]!.listeners.has(port));
  }

  /** RFC state (index into TCP_STATES) of a socket. */
  rfcState(sock: Socket): number {
    return this.table.rfcStateOf[sock.leaf]!;
  }

  /** A live process, or undefined when it has exited (or never was). */
  liveProcess(process: number): ProcessState | undefined {
    const proc = this.processes[process];
    return proc && !proc.exited ? proc : undefined;
  }

  /** The socket behind a process's fd, or undefined when the fd is not an open socket. */
  socketOf(process: number, fd: number): Socket | undefined {
    const open = this.processes[process]?.fds.get(fd);
    return open instanceof Socket ? open : undefined;
  }

  /** A new socket, CLOSED, attributed to `process` and counted; its identity goes into the trace. */
  newSocket(host: number, process: number, local: Endpoint, remote: Endpoint, conn: number, role: Socket['role']): Socket {
    const sock = new Socket(this.nextSocketId++, host, process, local, remote, conn, role, this.prng.uint32());
    this.byId[sock.id] = sock;
    this.tally.enter(process, this.rfcState(sock));
    if (this.tracer.on) this.tracer.socket({ id: sock.id, host: this.hosts[host]!.name, process: this.processes[process]!.name, local, remote, conn, role });
    return sock;
  }

  /** One shared Endpoint object per (address, port) a client connects to, instead of one per connection. */
  endpoint(addr: string, port: number): Endpoint {
    let byPort = this.endpoints.get(addr);
    if (byPort === undefined) this.endpoints.set(addr, (byPort = new Map()));
    let endpoint = byPort.get(port);
    if (endpoint === undefined) byPort.set(port, (endpoint = { addr, port }));
    return endpoint;
  }

  /** Counts an error that reached a program. */
  countError(process: number, errno: Errno): void {
    this.tally.countError(process, errno, this.now);
  }

  /** Counts and records a failed call; `conn` is the socket's connection, so a per-connection trace keeps it. */
  fail(process: number, call: AppCall, socket: number | null, errno: Errno, conn = -1): Errno {
    this.countError(process, errno);
    const name = this.processes[process]!.name;
    this.tracer.record({ kind: 'call', at: this.now, process: name, socket, call, result: errno }, conn);
    return errno;
  }
}
