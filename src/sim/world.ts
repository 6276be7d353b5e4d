/**
 * The deterministic engine: a virtual clock, one event queue, hosts with a kernel each (socket
 * table, listeners with accept queues, ephemeral ports), processes with fd tables, and the
 * network between them. Programs (and tests) call the syscall methods; the engine applies the
 * compiled endpoint table and performs its effects. Time is integer microseconds.
 */
import { EVENT_COUNT, EVENT_INDEX, cancelTimerBit, startTimerBit, ACTION_BIT, tableFor, type TransitionTable } from '../model/compileTable.js';
import { probeTimeout, rtoRetryLimit, rtoTimeout, synRetryLimit, synTimeout } from '../model/backoff.js';
import { ArrivalBuffer, classifyInto } from '../model/classify.js';
import { TIMERS, type EndpointEvent } from '../model/endpointMachine.js';
import { featuresOf, type Profile } from '../model/profile.js';
import { ACK, FIN, PSH, RST, SYN, segmentLength, type Endpoint, type Segment } from '../model/segment.js';
import { seqAdd } from '../model/seq.js';
import { TCP_STATES, type TcpState } from '../model/states.js';
import { hasOutstanding, outstanding, takeSequence, type Outgoing } from '../model/tcb.js';
import { originFromSeed, wheelExpiry } from '../model/timerWheel.js';
import { synCookie, SYNCOOKIE_VALID } from '../model/synCookie.js';
import type { AcceptPolicy, FaultSpec, NetworkSpec, ReadAmount } from '../scenario/types.js';
import { EphemeralPortTable, type PortExhaustion } from './ephemeralPorts.js';
import { EventQueue } from './eventQueue.js';
import { FdTable } from './fdTable.js';
import { LOOPBACK, Network } from './network.js';
import { createPrng, type Prng } from './prng.js';
import { OpenFile, Socket, TIMER_SLOTS, TimeWaitSocket, connectionKey, setTimerOf, timerOf, type KeepaliveOptions, type TimerLink, type Waiter } from './socket.js';
import type { AppCall, DropReason, Errno, SocketInfo, StateCause, Trace, TraceEvent } from './trace.js';

/** How a World is set up. */
export interface WorldOptions {
  readonly profile: Profile;
  readonly seed: number;
  readonly network?: NetworkSpec;
  readonly faults?: readonly FaultSpec[];
  /** Record a trace: all connections, or those `conn` numbers for which the filter is true. */
  readonly trace?: boolean | ((conn: number) => boolean);
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

/** A process as the kernel sees it. */
export interface ProcessOptions {
  readonly name: string;
  readonly host: number;
  readonly nofile: number;
  readonly baselineFds: number;
  readonly acceptPolicy?: AcceptPolicy;
}

/** A segment in flight that a manual-network caller decides about. */
export interface HeldSegment {
  readonly segmentId: number;
  readonly segment: Segment;
  readonly host: number;
  readonly conn: number;
}

/** Result of read(): the bytes taken and whether the stream has ended. */
export interface ReadResult {
  readonly data: string;
  readonly eof: boolean;
}

/** A socket as inspection reports it. */
export interface SocketView {
  readonly id: number;
  readonly host: string;
  readonly process: string;
  readonly state: TcpState;
  /** The fine state of FIN_WAIT_1/FIN_WAIT_2: the program has closed its fd. */
  readonly orphaned: boolean;
  readonly local: Endpoint;
  readonly remote: Endpoint;
  readonly conn: number;
  readonly role: 'client' | 'server' | 'listener';
  readonly fd: number;
  readonly unread: number;
}

interface HostState {
  readonly name: string;
  readonly address: string;
  /** Connections by demux key; TIME_WAIT sockets nobody holds are in their small form. */
  readonly sockets: Map<number, Socket | TimeWaitSocket>;
  readonly listeners: Map<number, Socket>;
  /** Until when its kernel is busy receiving segments (profile rxCost). */
  busyUntil: number;
  /** Its timer wheel's buckets still to fire, by instant (profile hz). */
  readonly buckets: Map<number, WheelBucket>;
}

interface ProcessState {
  readonly name: string;
  readonly host: number;
  readonly fds: FdTable<Socket | OpenFile>;
  readonly acceptPolicy: AcceptPolicy;
  exited: boolean;
}

/**
 * What the agenda holds: a segment's delivery, a timer expiry, a program step to wake (the
 * Waiter itself) or a call (the function itself) — no wrapper object for the last two.
 */
type Agenda = DeliverItem | TimerItem | WheelBucket | Waiter | (() => void);

/** A segment due at a host. */
class DeliverItem {
  /** It waited for the host's kernel to finish the segments before it, and its turn has come. */
  reserved = false;

  constructor(
    readonly host: number,
    readonly segment: Segment,
    readonly segmentId: number,
    readonly conn: number,
  ) {}
}

/** A queued timer expiry; `owner` is the socket while the timer is live, null once stopped, restarted or expired. */
class TimerItem implements TimerLink {
  constructor(
    public owner: Socket | TimeWaitSocket | null,
    readonly slot: number,
  ) {}
}

/**
 * The kernel timers of one host that fire at one instant: a bucket of Linux's timer wheel.
 * enqueue_timer() adds a timer at the head of its bucket's list and expire_timers() runs the
 * list from the head, so the newest timer fires first (measured: SYNs retried 7,6,…,1, the next
 * round 1,2,…,7).
 */
class WheelBucket {
  readonly timers: TimerItem[] = [];
  constructor(
    readonly host: number,
    readonly at: number,
  ) {}
}

/** The queue lane of segments waiting for their host's kernel (they come back in turn order). */
const RECEIVE_LANE = Number.MAX_SAFE_INTEGER;

/** Stands in for a state change's cause when no trace is recorded. */
const UNTRACED_CAUSE: StateCause = { by: 'segment', segmentId: -1 };
const S = Object.fromEntries(TCP_STATES.map((s, i) => [s, i])) as Record<TcpState, number>;
const ERRNOS: readonly Errno[] = ['EMFILE', 'ETIMEDOUT', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'EADDRINUSE', 'EADDRNOTAVAIL', 'EBADF', 'ENOTCONN'];
/** The machine event of each machine timer's expiry, by slot. */
const TIMEOUT_EVENT: readonly EndpointEvent[] = TIMERS.map((t) => `TIMEOUT_${t}` as const);
const SLOT_SYN_RTO = TIMER_SLOTS.indexOf('synRto');
const SLOT_FIN_RTO = TIMER_SLOTS.indexOf('finRto');
const SLOT_TWO_MSL = TIMER_SLOTS.indexOf('twoMsl');
const SLOT_FIN_WAIT_2 = TIMER_SLOTS.indexOf('finWait2');
const SLOT_DEL_ACK = TIMER_SLOTS.indexOf('delAck');
const SLOT_DATA_RTO = TIMER_SLOTS.indexOf('dataRto');
const SLOT_KEEPALIVE = TIMER_SLOTS.indexOf('keepalive');
const CANCEL_BITS = TIMERS.map((t) => cancelTimerBit(t));
const START_BITS = TIMERS.map((t) => startTimerBit(t));
const CANCEL_MASK = CANCEL_BITS.reduce((m, b) => m | b, 0);
const START_MASK = START_BITS.reduce((m, b) => m | b, 0);
const SEND_MASK = ACTION_BIT.sendSyn | ACTION_BIT.sendSynAck | ACTION_BIT.sendAck | ACTION_BIT.sendFin | ACTION_BIT.sendRst | ACTION_BIT.retransmit;
const NOTIFY_MASK =
  ACTION_BIT.notifyConnected | ACTION_BIT.notifyEof | ACTION_BIT.notifyReset | ACTION_BIT.notifyRefused | ACTION_BIT.notifyPipe | ACTION_BIT.notifyTimeout;

/** A simulated network of hosts, kernels and processes over a virtual clock. */
export class World {
  /** Virtual time, integer microseconds. */
  now = 0;
  readonly profile: Profile;
  readonly table: TransitionTable;
  private readonly queue = new EventQueue<Agenda>();
  private readonly prng: Prng;
  private readonly network: Network;
  private readonly hosts: HostState[] = [];
  private readonly hostByAddress = new Map<string, number>();
  private readonly processes: ProcessState[] = [];
  /** Live sockets per (process, RFC state): counts[process * 11 + state]. */
  private counts = new Int32Array(0);
  /** Errors that reached programs, per (process, errno). */
  private errorCounts = new Int32Array(0);
  private nextSocketId = 0;
  private nextSegmentId = 0;
  private nextConn = 0;
  private readonly traceEvents: TraceEvent[] | null;
  private readonly traceSockets: SocketInfo[] = [];
  private readonly traceFilter: ((conn: number) => boolean) | null;
  private readonly manual: boolean;
  private readonly held: HeldSegment[] = [];
  /** While processing an arriving segment, ACKs are coalesced into one. */
  private ackOwed: Socket | null = null;
  private deferAcks = false;
  private readonly arrival = new ArrivalBuffer();
  private readonly endpoints = new Map<string, Map<number, Endpoint>>();
  private readonly firstErrors = new Map<Errno, number>();
  private readonly ephemeralPortFor: ((conn: number) => number | undefined) | undefined;
  private readonly ports: EphemeralPortTable;
  /** Room for this many processes in `counts` and `errorCounts` (grown by doubling). */
  private processCapacity = 0;
  /** SYNs dropped because an accept queue (or, without SYN cookies, a SYN queue) was full. */
  synDrops = 0;
  /** Handshakes a full accept queue held back (Linux ListenOverflows): SYNs dropped, and final ACKs dropped. */
  listenOverflows = 0;
  /** SYN,ACKs sent with a SYN cookie because a SYN queue was full (Linux SyncookiesSent). */
  syncookiesSent = 0;
  /** Largest payload of one segment. */
  private readonly mss: number;
  /** The jiffies count at time 0 (timerWheel.ts). */
  readonly wheelOrigin: number;
  /** Timer expiries per timer slot (synRto, finRto, twoMsl, finWait2, dataRto). */
  readonly expiries = new Float64Array(TIMER_SLOTS.length);
  /** Events processed so far (for benchmarks). */
  eventsProcessed = 0;
  /** Opt-in coverage (npm run matrix): per compiled table, how often apply() ran each handled (leaf, event) cell; null = off. */
  static coverage: Map<TransitionTable, Uint32Array> | null = null;

  constructor(options: WorldOptions) {
    this.profile = options.profile;
    this.table = tableFor(featuresOf(options.profile));
    this.prng = createPrng(options.seed);
    this.network = new Network(options.network ?? LOOPBACK, options.faults ?? [], this.prng);
    const trace = options.trace ?? false;
    this.traceEvents = trace === false ? null : [];
    this.traceFilter = typeof trace === 'function' ? trace : null;
    this.manual = options.manualNetwork ?? false;
    this.ephemeralPortFor = options.ephemeralPortFor;
    this.mss = options.mss ?? LOOPBACK_MSS;
    this.wheelOrigin = options.wheelOrigin ?? originFromSeed(options.seed);
    this.ports = new EphemeralPortTable(options.profile.ephemeralPorts, (host, port) => this.hosts[host]!.listeners.has(port));
  }

  // ───────────────────────────── set-up ─────────────────────────────

  /** Adds a host with an IPv4 address; returns its index. */
  addHost(name: string, address: string): number {
    if (this.hostByAddress.has(address)) throw new Error(`world: address ${address} is already used`);
    this.hosts.push({ name, address, sockets: new Map(), listeners: new Map(), busyUntil: 0, buckets: new Map() });
    this.hostByAddress.set(address, this.hosts.length - 1);
    return this.hosts.length - 1;
  }

  /** Adds a process with its fd table; returns its index. */
  addProcess(options: ProcessOptions): number {
    if (!this.hosts[options.host]) throw new Error(`world: no host ${options.host}`);
    this.processes.push({
      name: options.name,
      host: options.host,
      fds: new FdTable<Socket | OpenFile>(options.nofile, options.baselineFds),
      acceptPolicy: options.acceptPolicy ?? 'posix',
      exited: false,
    });
    const n = this.processes.length;
    if (n > this.processCapacity) this.growProcessCounts(n);
    return n - 1;
  }

  /** Room in the per-process count arrays for at least `n` processes: doubling, so adding N processes costs O(N). */
  private growProcessCounts(n: number): void {
    this.processCapacity = Math.max(n, this.processCapacity * 2, 4);
    const counts = new Int32Array(this.processCapacity * TCP_STATES.length);
    counts.set(this.counts);
    this.counts = counts;
    const errors = new Int32Array(this.processCapacity * ERRNOS.length);
    errors.set(this.errorCounts);
    this.errorCounts = errors;
  }

  /** Index of the process named `name`. */
  processIndex(name: string): number {
    const i = this.processes.findIndex((p) => p.name === name);
    if (i < 0) throw new Error(`world: no process ${name}`);
    return i;
  }

  /** Address of host `host`. */
  hostAddress(host: number): string {
    return this.hosts[host]!.address;
  }

  /** Host index of process `process`. */
  hostOf(process: number): number {
    return this.processes[process]!.host;
  }

  /** Accept policy of process `process`. */
  acceptPolicyOf(process: number): AcceptPolicy {
    return this.processes[process]!.acceptPolicy;
  }

  // ───────────────────────────── syscalls ─────────────────────────────

  /** listen(): a listening socket on `port` of the host's address, or of every address (`0.0.0.0`); returns its fd or an errno. */
  listen(process: number, port: number, backlog: number, address?: string): number | Errno {
    const proc = this.liveProcess(process);
    if (!proc) return 'EBADF';
    const host = this.hosts[proc.host]!;
    if (host.listeners.has(port)) return this.fail(process, 'listen', null, 'EADDRINUSE');
    const sock = this.newSocket(proc.host, process, { addr: address ?? host.address, port }, { addr: '0.0.0.0', port: 0 }, -1, 'listener');
    const fd = proc.fds.open(sock);
    if (fd < 0) return this.fail(process, 'listen', null, 'EMFILE');
    sock.fd = fd;
    sock.acceptQueue = [];
    // the kernel caps the backlog silently (net.core.somaxconn; listen(2))
    sock.backlog = Math.min(backlog, this.profile.somaxconn);
    host.listeners.set(port, sock);
    this.record({ kind: 'call', at: this.now, process: proc.name, socket: sock.id, call: 'listen', result: String(fd) }, sock.conn);
    this.apply(sock, 'LISTEN', { by: 'call', call: 'listen' });
    return fd;
  }

  /** connect(): a socket in SYN_SENT towards address:port; returns its fd or an errno (EMFILE). */
  connect(process: number, address: string, port: number, conn?: number): number | Errno {
    const proc = this.liveProcess(process);
    if (!proc) return 'EBADF';
    if (proc.fds.full) return this.fail(process, 'connect', null, 'EMFILE');
    const host = this.hosts[proc.host]!;
    const remote = this.endpoint(address, port);
    const connNumber = conn ?? this.nextConn++;
    if (connNumber >= this.nextConn) this.nextConn = connNumber + 1;
    const localPort = this.ephemeralPortFor?.(connNumber) ?? this.ports.take(proc.host, remote, this.now);
    // every port towards this destination is taken (TIME_WAIT included): connect(2) EADDRNOTAVAIL
    if (localPort < 0) return this.fail(process, 'connect', null, 'EADDRNOTAVAIL');
    const sock = this.newSocket(proc.host, process, { addr: host.address, port: localPort }, remote, connNumber, 'client');
    sock.fd = proc.fds.open(sock);
    host.sockets.set(connectionKey(localPort, remote), sock);
    if (this.traceEvents !== null) this.record({ kind: 'call', at: this.now, process: proc.name, socket: sock.id, call: 'connect', result: String(sock.fd) }, sock.conn);
    this.apply(sock, 'CONNECT', { by: 'call', call: 'connect' });
    return sock.fd;
  }

  /** accept(): takes the oldest established connection; returns its fd, null when none waits (EAGAIN), or an errno. */
  accept(process: number, listenFd: number): number | Errno | null {
    const proc = this.liveProcess(process);
    const listener = this.socketOf(process, listenFd);
    if (!proc || !listener?.acceptQueue) return 'EBADF';
    // accept(2) takes a free fd before it looks at the queue (Linux __sys_accept4_file:
    // get_unused_fd_flags, then do_accept): with the table full it fails with EMFILE whether or
    // not a connection waits, and a waiting one stays queued
    if (proc.fds.full) return this.fail(process, 'accept', listener.id, 'EMFILE');
    if (listener.acceptQueue.length === 0) return null;
    const sock = listener.acceptQueue.shift()!;
    sock.listener = null;
    sock.fd = proc.fds.open(sock);
    if (this.traceEvents !== null) this.record({ kind: 'call', at: this.now, process: proc.name, socket: sock.id, call: 'accept', result: String(sock.fd) }, sock.conn);
    return sock.fd;
  }

  /**
   * libuv's answer to EMFILE (uv__emfile_trick): close the reserved fd, accept the connection,
   * close it at once, reopen the reserve. The program never hears of it. Returns false when no
   * connection was waiting.
   */
  acceptAndDrop(process: number, listenFd: number): boolean {
    const proc = this.liveProcess(process);
    const listener = this.socketOf(process, listenFd);
    if (!proc || !listener?.acceptQueue || listener.acceptQueue.length === 0) return false;
    this.countError(process, 'EMFILE');
    this.record({ kind: 'error', at: this.now, process: proc.name, socket: listener.id, errno: 'EMFILE' }, -1);
    const sock = listener.acceptQueue.shift()!;
    sock.listener = null;
    this.record({ kind: 'call', at: this.now, process: proc.name, socket: sock.id, call: 'close', result: 'emfile-trick' }, sock.conn);
    this.apply(sock, sock.rcvBuf.length > 0 ? 'CLOSE_UNREAD' : 'CLOSE', { by: 'call', call: 'close' });
    return true;
  }

  /** Opens an fd that is not a socket (`what`: a pipe, a file); returns it, or EMFILE at the limit. */
  openFile(process: number, what: string): number | Errno {
    const proc = this.liveProcess(process);
    if (!proc) return 'EBADF';
    const fd = proc.fds.open(new OpenFile(what));
    return fd < 0 ? this.fail(process, 'socket', null, 'EMFILE') : fd;
  }

  /** Connections waiting in the accept queue of listening fd `listenFd` (what poll() reports as readable). */
  pendingConnections(process: number, listenFd: number): number {
    return this.socketOf(process, listenFd)?.acceptQueue?.length ?? 0;
  }

  /**
   * setsockopt(SO_KEEPALIVE) with TCP_KEEPIDLE, TCP_KEEPINTVL and TCP_KEEPCNT (null turns it
   * off). The first probe goes `idle` after the last segment received (Linux
   * tcp_sock_set_keepidle_locked re-arms the timer with the idle time left).
   */
  setKeepalive(process: number, fd: number, options: KeepaliveOptions | null): 0 | Errno {
    const sock = this.socketOf(process, fd);
    if (!sock) return 'EBADF';
    sock.keepalive = options;
    if (options === null) this.disarmTimer(sock, SLOT_KEEPALIVE);
    else if (sock.acceptQueue === null && this.rfcState(sock) !== S.CLOSED) {
      this.armTimer(sock, SLOT_KEEPALIVE, Math.max(0, options.idle - (this.now - sock.lastReceived)));
    }
    return 0;
  }

  /** write(): queues `data` for the peer; returns the byte count or an errno (EPIPE, ECONNRESET, ...). */
  write(process: number, fd: number, data: string): number | Errno {
    const sock = this.socketOf(process, fd);
    if (!sock) return 'EBADF';
    const pending = this.takeError(process, sock, 'write');
    if (pending) return pending;
    const state = this.rfcState(sock);
    if (state !== S.ESTABLISHED && state !== S.CLOSE_WAIT) {
      // writing after shutdown(SHUT_WR) or after the connection is gone: EPIPE (POSIX write(2))
      const errno: Errno = state === S.SYN_SENT || state === S.SYN_RECEIVED ? 'ENOTCONN' : 'EPIPE';
      return this.fail(process, 'write', sock.id, errno, sock.conn);
    }
    if (this.traceEvents !== null) this.record({ kind: 'call', at: this.now, process: this.processes[process]!.name, socket: sock.id, call: 'write', result: String(data.length) }, sock.conn);
    if (data.length > 0) {
      // one segment per MSS, the last one pushed (RFC 9293 §3.7.1)
      const mss = this.mss;
      for (let at = 0; at < data.length; at += mss) {
        const end = Math.min(at + mss, data.length);
        this.emit(sock, end === data.length ? PSH | ACK : ACK, at === 0 && end === data.length ? data : data.slice(at, end));
      }
      if (sock.dataRtoTimer === null) this.armTimer(sock, SLOT_DATA_RTO);
    }
    return data.length;
  }

  /** read(): takes bytes per `amount`; null when it would block; an errno after a reset. */
  read(process: number, fd: number, amount: ReadAmount): ReadResult | Errno | null {
    const sock = this.socketOf(process, fd);
    if (!sock) return 'EBADF';
    let take = -1;
    const buffered = sock.rcvBuf.length;
    if (amount.kind === 'line') {
      const nl = sock.rcvBuf.indexOf('\n');
      if (nl >= 0) take = nl + 1;
    } else if (amount.kind === 'bytes') {
      if (buffered >= amount.count) take = amount.count;
    } else if (amount.kind === 'upTo') {
      // one read(2): whatever has arrived, up to the buffer's size
      if (buffered > 0) take = Math.min(buffered, amount.count);
    } else if (buffered > 0) {
      // reading to EOF drains what has arrived, as a read loop does
      take = buffered;
    }
    if (take < 0) {
      if (sock.eof || buffered > 0 && (sock.error || this.rfcState(sock) === S.CLOSED)) take = buffered;
      else if (sock.error) {
        const pending = this.takeError(process, sock, 'read');
        if (pending) return pending;
        take = 0;
      } else if (this.rfcState(sock) === S.CLOSED) take = 0;
      else return null;
    }
    const windowWasClosed = this.freeSpace(sock) === 0;
    const data = sock.rcvBuf.slice(0, take);
    sock.rcvBuf = take === buffered ? '' : sock.rcvBuf.slice(take);
    // the window reopens: tell the peer at once (window update, RFC 9293 §3.8.6.2.2)
    if (windowWasClosed && take > 0 && this.rfcState(sock) !== S.CLOSED) this.sendSegment(sock, sock.tcb.sndNxt, sock.tcb.rcvNxt, ACK, '', false);
    const ended = sock.eof || sock.error !== null || this.rfcState(sock) === S.CLOSED;
    const eof = ended && sock.rcvBuf.length === 0;
    if (this.traceEvents !== null) this.record({ kind: 'call', at: this.now, process: this.processes[process]!.name, socket: sock.id, call: 'read', result: eof ? `${data.length}+EOF` : String(data.length) }, sock.conn);
    return { data, eof };
  }

  /** shutdown(SHUT_WR): sends FIN, keeps the fd and the read side. */
  shutdown(process: number, fd: number): 0 | Errno {
    const sock = this.socketOf(process, fd);
    if (!sock) return 'EBADF';
    const state = this.rfcState(sock);
    if (state !== S.ESTABLISHED && state !== S.CLOSE_WAIT) return this.fail(process, 'shutdown', sock.id, 'ENOTCONN', sock.conn);
    this.record({ kind: 'call', at: this.now, process: this.processes[process]!.name, socket: sock.id, call: 'shutdown', result: '0' }, sock.conn);
    this.apply(sock, 'SHUTDOWN', { by: 'call', call: 'shutdown' });
    return 0;
  }

  /** close(): frees the fd at once; the kernel keeps the socket (orphaned) until it reaches CLOSED. */
  close(process: number, fd: number): 0 | Errno {
    return this.releaseFd(process, fd, 'close');
  }

  /** SO_LINGER 0 then close(): RST, no TIME_WAIT (Node's socket.resetAndDestroy()). */
  abort(process: number, fd: number): 0 | Errno {
    return this.releaseFd(process, fd, 'abort');
  }

  private releaseFd(process: number, fd: number, call: 'close' | 'abort'): 0 | Errno {
    const proc = this.processes[process];
    const sock = proc?.fds.close(fd);
    if (!proc || !sock) return 'EBADF';
    if (sock instanceof OpenFile) return 0;
    sock.fd = -1;
    if (this.traceEvents !== null) this.record({ kind: 'call', at: this.now, process: proc.name, socket: sock.id, call, result: '0' }, sock.conn);
    if (sock.acceptQueue) this.closeListener(sock);
    else if (this.rfcState(sock) === S.CLOSED) this.forget(sock);
    else if (call === 'abort') this.apply(sock, 'ABORT', { by: 'call', call });
    else this.apply(sock, sock.rcvBuf.length > 0 ? 'CLOSE_UNREAD' : 'CLOSE', { by: 'call', call });
    this.shrinkIfIdle(sock);
    return 0;
  }

  /** The process ends: the kernel closes every fd it held, lowest first. */
  exit(process: number): void {
    const proc = this.processes[process];
    if (!proc || proc.exited) return;
    this.record({ kind: 'call', at: this.now, process: proc.name, socket: null, call: 'exit', result: '0' }, -1);
    for (const [fd] of proc.fds.entries()) this.close(process, fd);
    proc.exited = true;
  }

  /** Whether the process has exited. */
  exited(process: number): boolean {
    return this.processes[process]!.exited;
  }

  // ───────────────────────────── waiting ─────────────────────────────

  /** Tells `waiter` when socket `fd` changes (data, EOF, connected, error). */
  waitOn(process: number, fd: number, waiter: Waiter): void {
    const sock = this.socketOf(process, fd);
    if (!sock) return;
    if (sock.acceptQueue) sock.acceptWaiter = waiter;
    else sock.waiter = waiter;
  }

  /** Runs `fn` at time `at` (programs' sleeps and starts). */
  at(at: number, fn: () => void): void {
    this.queue.push(Math.max(at, this.now), fn);
  }

  /** Whether the socket behind `fd` is connected or has failed (connect() has finished). */
  connectOutcome(process: number, fd: number): 'pending' | 'connected' | Errno {
    const sock = this.socketOf(process, fd);
    if (!sock) return 'EBADF';
    const state = this.rfcState(sock);
    if (state === S.SYN_SENT || state === S.SYN_RECEIVED) return 'pending';
    if (state === S.CLOSED) return this.takeError(process, sock, 'connect') ?? 'ECONNRESET';
    return 'connected';
  }

  // ───────────────────────────── running ─────────────────────────────

  /** Processes every event due at or before `time`, then sets the clock to `time`. */
  runUntil(time: number): void {
    for (let item = this.queue.popItemUntil(time); item !== undefined; item = this.queue.popItemUntil(time)) this.run(item);
    if (time > this.now) this.now = time;
  }

  /** Processes events until none is left or `limit` is reached; returns the time of the last. */
  runUntilQuiet(limit = Number.MAX_SAFE_INTEGER): number {
    for (let item = this.queue.popItemUntil(limit); item !== undefined; item = this.queue.popItemUntil(limit)) this.run(item);
    return this.now;
  }

  /** Whether any event is pending. */
  get idle(): boolean {
    return this.queue.size === 0;
  }

  /** Time of the next pending event, or Infinity. */
  nextEventTime(): number {
    return this.queue.peekTime();
  }

  /** Processes the next event. */
  step(): void {
    const item = this.queue.popItem();
    if (item !== undefined) this.run(item);
  }

  /** Runs an item just taken from the agenda. */
  private run(item: Agenda): void {
    this.now = this.queue.lastAt;
    this.eventsProcessed++;
    if (item instanceof DeliverItem) {
      if (this.waitForReceiver(item)) return;
      this.deliver(item.host, item.segment, item.segmentId, item.conn);
    } else if (item instanceof TimerItem) this.fire(item);
    else if (item instanceof WheelBucket) {
      this.hosts[item.host]!.buckets.delete(item.at);
      // newest first, as the kernel runs a bucket
      const timers = item.timers;
      for (let i = timers.length - 1; i >= 0; i--) this.fire(timers[i]!);
    } else if (typeof item === 'function') item();
    else item.wake();
  }

  /** A timer's expiry, unless it was stopped or restarted since it was queued. */
  private fire(item: TimerItem): void {
    const owner = item.owner;
    if (owner instanceof TimeWaitSocket) this.expireTimeWait(owner);
    else if (owner !== null) {
      this.expire(owner, item.slot);
      this.shrinkIfIdle(owner);
    }
  }

  /**
   * A host's kernel receives one segment at a time, each taking the profile's rxCost: a segment
   * that arrives while earlier ones are still being handled waits its turn (once: its place is
   * reserved). Without it, a burst of segments arriving in one instant would all be handled
   * before any program runs, which no kernel on a machine with another core does.
   */
  private waitForReceiver(item: DeliverItem): boolean {
    const cost = this.profile.rxCost;
    if (cost === 0 || item.reserved) return false;
    const host = this.hosts[item.host]!;
    if (host.busyUntil <= this.now) {
      host.busyUntil = this.now + cost;
      return false;
    }
    item.reserved = true;
    this.queue.push(host.busyUntil, item, RECEIVE_LANE);
    host.busyUntil += cost;
    return true;
  }

  // ───────────────────────────── manual network ─────────────────────────────

  /** Segments held in manual-network mode, oldest first. */
  heldSegments(): readonly HeldSegment[] {
    return this.held;
  }

  /** Delivers held segment `index` now (manual network). */
  deliverHeld(index: number): void {
    const [held] = this.held.splice(index, 1);
    if (held) this.deliver(held.host, held.segment, held.segmentId, held.conn);
  }

  /** Loses held segment `index` (manual network). */
  dropHeld(index: number): void {
    const [held] = this.held.splice(index, 1);
    if (held) this.record({ kind: 'drop', at: this.now, segmentId: held.segmentId, reason: 'loss' }, held.conn);
  }

  /** Delivers a copy of held segment `index` now and keeps the original in flight (manual network). */
  duplicateHeld(index: number): void {
    const held = this.held[index];
    if (held) this.deliver(held.host, held.segment, held.segmentId, held.conn);
  }

  // ───────────────────────────── inspection ─────────────────────────────

  /** Every socket the kernels hold, host by host, in creation order. */
  sockets(): SocketView[] {
    const out: SocketView[] = [];
    const seen = new Set<Socket | TimeWaitSocket>();
    const add = (sock: Socket | TimeWaitSocket): void => {
      if (seen.has(sock)) return;
      seen.add(sock);
      out.push(this.view(sock));
    };
    for (const host of this.hosts) {
      for (const sock of host.listeners.values()) add(sock);
      for (const sock of host.sockets.values()) add(sock);
    }
    for (const proc of this.processes) for (const [, sock] of proc.fds.entries()) if (sock instanceof Socket) add(sock);
    return out.sort((a, b) => a.id - b.id);
  }

  /** The socket behind a process's fd. */
  socketView(process: number, fd: number): SocketView | undefined {
    const sock = this.socketOf(process, fd);
    return sock ? this.view(sock) : undefined;
  }

  /** RFC state of the socket behind a process's fd (CLOSED when the fd is not a socket). */
  stateOf(process: number, fd: number): TcpState {
    const sock = this.socketOf(process, fd);
    return sock ? TCP_STATES[this.rfcState(sock)]! : 'CLOSED';
  }

  /** Live sockets per state for one process, or for all when `process` is undefined (CLOSED omitted). */
  stateCounts(process?: number): Partial<Record<TcpState, number>> {
    const out: Partial<Record<TcpState, number>> = {};
    const n = TCP_STATES.length;
    // one process: its row only (a sample of N processes asks N times; summing all rows each time was O(N²))
    const first = process ?? 0;
    const end = process === undefined ? this.processes.length : Math.min(process + 1, this.processes.length);
    for (let s = 1; s < n; s++) {
      let total = 0;
      for (let p = first; p < end; p++) total += this.counts[p * n + s]!;
      if (total > 0) out[TCP_STATES[s]!] = total;
    }
    return out;
  }

  /** Open fds of a process, baseline included. */
  fdsInUse(process: number): number {
    return this.processes[process]!.fds.inUse;
  }

  /**
   * fds a process holds on sockets that are already CLOSED — reset by the peer (a keepalive
   * probe answered with RST, say) while the program never called close(). netstat and ss show
   * nothing for them; /proc/PID/fd and /proc/net/sockstat still count them.
   */
  closedSocketFds(process: number): number {
    return this.counts[process * TCP_STATES.length + S.CLOSED]!;
  }

  /** Errors that reached programs, per errno, for one process or all. */
  errors(process?: number): Record<Errno, number> {
    const out = Object.fromEntries(ERRNOS.map((e) => [e, 0])) as Record<Errno, number>;
    const first = process ?? 0;
    const end = process === undefined ? this.processes.length : Math.min(process + 1, this.processes.length);
    for (let p = first; p < end; p++) {
      ERRNOS.forEach((e, i) => (out[e] += this.errorCounts[p * ERRNOS.length + i]!));
    }
    return out;
  }

  /** The destinations whose ephemeral ports ran out (connect() got EADDRNOTAVAIL), in order. */
  portExhaustions(): readonly PortExhaustion[] {
    return this.ports.exhaustions();
  }

  /** When a program first got `errno`, or undefined. */
  firstErrorAt(errno: Errno): number | undefined {
    return this.firstErrors.get(errno);
  }

  /** Names of the processes, in index order. */
  processNames(): string[] {
    return this.processes.map((p) => p.name);
  }

  /** The trace recorded so far (empty when tracing is off). */
  trace(): Trace {
    return { sockets: this.traceSockets, events: this.traceEvents ?? [] };
  }

  // ───────────────────────────── the kernel ─────────────────────────────

  private liveProcess(process: number): ProcessState | undefined {
    const proc = this.processes[process];
    return proc && !proc.exited ? proc : undefined;
  }

  private socketOf(process: number, fd: number): Socket | undefined {
    const open = this.processes[process]?.fds.get(fd);
    return open instanceof Socket ? open : undefined;
  }

  private rfcState(sock: Socket): number {
    return this.table.rfcStateOf[sock.leaf]!;
  }

  private view(sock: Socket | TimeWaitSocket): SocketView {
    if (sock instanceof TimeWaitSocket) {
      return {
        id: sock.id,
        host: this.hosts[sock.host]!.name,
        process: this.processes[sock.process]!.name,
        state: TCP_STATES[this.table.rfcStateOf[sock.leaf]!]!,
        orphaned: this.table.orphanedLeaf[sock.leaf] === 1,
        local: { addr: this.hosts[sock.host]!.address, port: sock.localPort },
        remote: sock.remote,
        conn: sock.conn,
        role: sock.role,
        fd: -1,
        unread: 0,
      };
    }
    return {
      id: sock.id,
      host: this.hosts[sock.host]!.name,
      process: this.processes[sock.process]!.name,
      state: TCP_STATES[this.rfcState(sock)]!,
      orphaned: this.table.orphanedLeaf[sock.leaf] === 1,
      local: sock.local,
      remote: sock.remote,
      conn: sock.conn,
      role: sock.role,
      fd: sock.fd,
      unread: sock.rcvBuf.length,
    };
  }

  private newSocket(host: number, process: number, local: Endpoint, remote: Endpoint, conn: number, role: Socket['role']): Socket {
    const sock = new Socket(this.nextSocketId++, host, process, local, remote, conn, role, this.prng.uint32());
    this.counts[process * TCP_STATES.length + this.rfcState(sock)]!++;
    if (this.traceEvents && this.tracing(conn)) {
      this.traceSockets.push({ id: sock.id, host: this.hosts[host]!.name, process: this.processes[process]!.name, local, remote, conn, role });
    }
    return sock;
  }

  /** One shared Endpoint object per (address, port) a client connects to, instead of one per connection. */
  private endpoint(addr: string, port: number): Endpoint {
    let byPort = this.endpoints.get(addr);
    if (byPort === undefined) this.endpoints.set(addr, (byPort = new Map()));
    let endpoint = byPort.get(port);
    if (endpoint === undefined) byPort.set(port, (endpoint = { addr, port }));
    return endpoint;
  }

  /** Counts and records a failed call; `conn` is the socket's connection, so a per-connection trace keeps it. */
  private fail(process: number, call: AppCall, socket: number | null, errno: Errno, conn = -1): Errno {
    this.countError(process, errno);
    const name = this.processes[process]!.name;
    this.record({ kind: 'call', at: this.now, process: name, socket, call, result: errno }, conn);
    return errno;
  }

  private countError(process: number, errno: Errno): void {
    this.errorCounts[process * ERRNOS.length + ERRNOS.indexOf(errno)]!++;
    if (!this.firstErrors.has(errno)) this.firstErrors.set(errno, this.now);
  }

  /** The socket's pending error, reported once; after that a dead socket answers EPIPE to writes. */
  private takeError(process: number, sock: Socket, call: AppCall): Errno | null {
    if (sock.error && !sock.errorReported) {
      sock.errorReported = true;
      return this.fail(process, call, sock.id, sock.error, sock.conn);
    }
    if (sock.errorReported && call === 'write') return this.fail(process, call, sock.id, 'EPIPE', sock.conn);
    return null;
  }

  private tracing(conn: number): boolean {
    return this.traceEvents !== null && (this.traceFilter === null || this.traceFilter(conn));
  }

  private record(event: TraceEvent, conn: number): void {
    if (this.traceEvents && (this.traceFilter === null || this.traceFilter(conn))) this.traceEvents.push(event);
  }

  /** Runs one abstract event through the compiled table and performs the effects. */
  private apply(sock: Socket, event: EndpointEvent, cause: StateCause): void {
    this.applyColumn(sock, EVENT_INDEX[event], cause);
  }

  /** apply() by table column (EVENT_INDEX). */
  private applyColumn(sock: Socket, column: number, cause: StateCause): void {
    const table = this.table;
    const cell = sock.leaf * EVENT_COUNT + column;
    if (table.handled[cell] === 0) return;
    if (World.coverage) {
      let counts = World.coverage.get(table);
      if (!counts) World.coverage.set(table, (counts = new Uint32Array(table.handled.length)));
      counts[cell]!++;
    }
    const fx = table.effects[cell]!;
    const to = table.next[cell]!;
    if (fx & CANCEL_MASK) {
      for (let t = 0; t < CANCEL_BITS.length; t++) if (fx & CANCEL_BITS[t]!) this.disarmTimer(sock, t);
    }
    const from = table.rfcStateOf[sock.leaf]!;
    const toRfc = table.rfcStateOf[to]!;
    sock.leaf = to;
    if (from !== toRfc) this.changed(sock, from, toRfc, cause);
    if (fx & SEND_MASK) this.send(sock, fx);
    if (fx & NOTIFY_MASK) this.notify(sock, fx);
    if (fx & START_MASK) {
      for (let t = 0; t < START_BITS.length; t++) if (fx & START_BITS[t]!) this.armTimer(sock, t);
    }
    if (toRfc === S.CLOSED) this.release(sock);
  }

  private changed(sock: Socket, from: number, to: number, cause: StateCause): void {
    // a half-open connection leaves the listener's SYN queue (Linux reqsk_queue_removed)
    if (from === S.SYN_RECEIVED && sock.listener !== null) {
      sock.listener.synQueue--;
      if (sock.retries === 0) sock.listener.synYoung--;
    }
    const base = sock.process * TCP_STATES.length;
    this.counts[base + from]!--;
    this.counts[base + to]!++;
    sock.retries = 0;
    if (to !== S.ESTABLISHED && to !== S.CLOSE_WAIT) this.disarmTimer(sock, SLOT_DATA_RTO);
    if (to === S.TIME_WAIT) this.disarmTimer(sock, SLOT_KEEPALIVE);
    if (this.traceEvents && this.tracing(sock.conn)) {
      this.traceEvents.push({ kind: 'state', at: this.now, socket: sock.id, from: TCP_STATES[from]!, to: TCP_STATES[to]!, cause });
    }
  }

  private send(sock: Socket, fx: number): void {
    const tcb = sock.tcb;
    if (fx & ACTION_BIT.sendSyn) this.emit(sock, SYN, '');
    if (fx & ACTION_BIT.sendSynAck) this.emit(sock, SYN, '');
    if (fx & ACTION_BIT.retransmit) for (const out of outstanding(tcb)) this.transmit(sock, out, true);
    if (fx & ACTION_BIT.sendFin) this.emit(sock, FIN, '');
    if (fx & ACTION_BIT.sendAck) {
      if (this.deferAcks) this.ackOwed = sock;
      else this.sendSegment(sock, tcb.sndNxt, tcb.rcvNxt, ACK, '', false);
    }
    // RST carries SND.NXT and acknowledges what was received (Linux tcp_send_active_reset)
    if (fx & ACTION_BIT.sendRst) this.sendSegment(sock, tcb.sndNxt, tcb.rcvNxt, RST | ACK, '', false);
  }

  private notify(sock: Socket, fx: number): void {
    if (fx & ACTION_BIT.notifyConnected && sock.role === 'server') this.enqueueAccepted(sock);
    if (fx & ACTION_BIT.notifyEof) sock.eof = true;
    if (fx & ACTION_BIT.notifyReset) sock.error = 'ECONNRESET';
    if (fx & ACTION_BIT.notifyRefused) sock.error = 'ECONNREFUSED';
    // RST after the peer's FIN: Linux tcp_reset sets EPIPE for CLOSE_WAIT
    if (fx & ACTION_BIT.notifyPipe) sock.error = 'EPIPE';
    if (fx & ACTION_BIT.notifyTimeout) sock.error = 'ETIMEDOUT';
    this.wakeWaiter(sock);
  }

  private wakeWaiter(sock: Socket): void {
    const waiter = sock.waiter;
    if (waiter) {
      sock.waiter = null;
      this.queue.push(this.now + this.profile.wakeLatency, waiter);
    }
  }

  private enqueueAccepted(sock: Socket): void {
    const listener = sock.listener;
    if (!listener?.acceptQueue) return;
    listener.acceptQueue.push(sock);
    const waiter = listener.acceptWaiter;
    if (waiter) {
      listener.acceptWaiter = null;
      this.queue.push(this.now + this.profile.wakeLatency, waiter);
    }
  }

  /** A socket reached CLOSED: the kernel forgets it (the fd, if still held, stays until close()). */
  private release(sock: Socket): void {
    for (let t = 0; t < TIMER_SLOTS.length; t++) this.disarmTimer(sock, t);
    const host = this.hosts[sock.host]!;
    if (sock.acceptQueue) host.listeners.delete(sock.local.port);
    else {
      host.sockets.delete(connectionKey(sock.local.port, sock.remote));
      if (sock.role === 'client') this.ports.give(sock.host, sock.remote, sock.local.port);
    }
    const listener = sock.listener;
    if (listener?.acceptQueue) {
      const i = listener.acceptQueue.indexOf(sock);
      if (i >= 0) listener.acceptQueue.splice(i, 1);
      sock.listener = null;
    }
    if (sock.fd < 0) this.forget(sock);
  }

  /** Drops a CLOSED socket from the counts once no fd refers to it. */
  private forget(sock: Socket): void {
    this.counts[sock.process * TCP_STATES.length + S.CLOSED]!--;
  }

  private closeListener(listener: Socket): void {
    const host = this.hosts[listener.host]!;
    // closing a listener resets the connections nobody accepted (Linux inet_csk_listen_stop)
    const orphans = [...(listener.acceptQueue ?? [])];
    for (const sock of host.sockets.values()) if (sock instanceof Socket && sock.listener === listener && !orphans.includes(sock)) orphans.push(sock);
    listener.acceptQueue = [];
    for (const sock of orphans) {
      sock.listener = null;
      this.apply(sock, 'ABORT', { by: 'call', call: 'close' });
    }
    this.apply(listener, 'CLOSE', { by: 'call', call: 'close' });
  }

  // ───────────────────────────── timers ─────────────────────────────

  private timerDuration(sock: Socket, slot: number): number {
    const p = this.profile;
    switch (slot) {
      case SLOT_SYN_RTO:
        return synTimeout(p, this.rfcState(sock) === S.SYN_SENT, sock.retries);
      case SLOT_TWO_MSL:
        return p.timeWait;
      case SLOT_FIN_WAIT_2:
        return p.finTimeout ?? Number.MAX_SAFE_INTEGER;
      case SLOT_DEL_ACK:
        return p.delAck ?? 0;
      default:
        return sock.probes > 0 ? probeTimeout(p, sock.probes) : rtoTimeout(p, sock.retries);
    }
  }

  /**
   * Starts (or restarts) a timer: a new queued expiry becomes the slot's live one; the old one is
   * detached. It fires `duration` from now, rounded up to the kernel's timer wheel when the
   * profile has one (timerWheel.ts); the nominal duration names its queue lane.
   */
  private armTimer(sock: Socket, slot: number, duration = this.timerDuration(sock, slot)): void {
    this.disarmTimer(sock, slot);
    const item = new TimerItem(sock, slot);
    setTimerOf(sock, slot, item);
    const hz = this.profile.hz;
    if (hz === null) return this.queue.push(this.now + duration, item, duration);
    const at = wheelExpiry(this.now, duration, hz, this.wheelOrigin);
    const buckets = this.hosts[sock.host]!.buckets;
    let bucket = buckets.get(at);
    if (bucket === undefined) {
      bucket = new WheelBucket(sock.host, at);
      buckets.set(at, bucket);
      this.queue.push(at, bucket, duration);
    }
    bucket.timers.push(item);
  }

  /** Stops a timer: its queued expiry, if any, is detached and will not fire. */
  private disarmTimer(sock: Socket, slot: number): void {
    const live = timerOf(sock, slot);
    if (live !== null) {
      live.owner = null;
      setTimerOf(sock, slot, null);
    }
  }

  private expire(sock: Socket, slot: number): void {
    this.disarmTimer(sock, slot);
    this.expiries[slot]!++;
    const name = TIMER_SLOTS[slot]!;
    if (this.traceEvents && this.tracing(sock.conn)) this.traceEvents.push({ kind: 'timer', at: this.now, socket: sock.id, timer: name });
    const cause: StateCause = { by: 'timer', timer: name };
    if (slot === SLOT_KEEPALIVE) return this.keepaliveExpired(sock, cause);
    // a zero window is probed, not given up on, while a program holds the fd (Linux tcp_probe_timer)
    const probing = sock.tcb.sndWnd === 0 && sock.fd >= 0;
    if (slot === SLOT_DATA_RTO) {
      if (!hasOutstanding(sock.tcb)) return;
      if (probing) sock.probes++;
      else {
        if (sock.retries >= rtoRetryLimit(this.profile)) return this.apply(sock, 'GIVE_UP', cause);
        sock.retries++;
      }
      for (const out of outstanding(sock.tcb)) this.transmit(sock, out, true);
      this.armTimer(sock, SLOT_DATA_RTO);
      return;
    }
    if (slot === SLOT_SYN_RTO || slot === SLOT_FIN_RTO) {
      const state = this.rfcState(sock);
      const limit =
        slot === SLOT_FIN_RTO ? rtoRetryLimit(this.profile) : state === S.SYN_SENT ? synRetryLimit(this.profile, true) : this.synAckRetryLimit(sock);
      if (probing && slot === SLOT_FIN_RTO) sock.probes++;
      else {
        if (sock.retries >= limit) return this.apply(sock, 'GIVE_UP', cause);
        // its first SYN,ACK timeout makes a half-open connection old (Linux reqsk_timer_handler)
        if (sock.retries === 0 && state === S.SYN_RECEIVED && sock.listener !== null) sock.listener.synYoung--;
        sock.retries++;
      }
    }
    this.apply(sock, TIMEOUT_EVENT[slot]!, cause);
  }

  /**
   * SYN,ACK retransmissions a half-open connection gets: tcp_synack_retries, fewer when the SYN
   * queue is more than half full of old requests — "we reserve half of room for young embrions;
   * and abort old ones without pity" (Linux reqsk_timer_handler: one retry less each time the
   * young are outnumbered twice over, down to 2).
   */
  private synAckRetryLimit(sock: Socket): number {
    let limit = synRetryLimit(this.profile, false);
    const listener = sock.listener;
    if (listener === null) return limit;
    const queued = listener.synQueue;
    if (queued * 2 > Math.max(8, listener.backlog)) {
      let young = listener.synYoung * 2;
      while (limit > 2 && queued >= young) {
        limit--;
        young *= 2;
      }
    }
    return limit;
  }

  /**
   * The keepalive timer (Linux tcp_keepalive_timer): while something is in flight the
   * retransmission timer watches the peer, so wait a whole idle time again; once the connection
   * has been idle long enough, send a probe every interval, and after `probes` unanswered ones
   * give up with RST and ETIMEDOUT. Orphaned sockets and TIME_WAIT send none (Linux keeps those
   * as timewait socks, which have no keepalive).
   */
  private keepaliveExpired(sock: Socket, cause: StateCause): void {
    const ka = sock.keepalive;
    const state = this.rfcState(sock);
    if (ka === null || state === S.SYN_SENT || state === S.SYN_RECEIVED || state === S.TIME_WAIT || state === S.CLOSED) return;
    if (this.table.orphanedLeaf[sock.leaf] === 1) return;
    if (hasOutstanding(sock.tcb)) return this.armTimer(sock, SLOT_KEEPALIVE, ka.idle);
    const idle = this.now - sock.lastReceived;
    if (idle < ka.idle) return this.armTimer(sock, SLOT_KEEPALIVE, ka.idle - idle);
    if (sock.keepaliveProbes >= ka.probes) return this.apply(sock, 'KEEPALIVE_GIVE_UP', cause);
    // the probe: SEQ = SND.UNA − 1 and no data, which the peer must answer with an ACK (Linux tcp_xmit_probe_skb)
    this.sendSegment(sock, seqAdd(sock.tcb.sndUna, -1), sock.tcb.rcvNxt, ACK, '', false);
    sock.keepaliveProbes++;
    this.armTimer(sock, SLOT_KEEPALIVE, ka.interval);
  }

  // ─────────────────────── TIME_WAIT in small form ───────────────────────

  /**
   * A socket in TIME_WAIT that nobody holds (no fd, not in an accept queue, nothing unread or
   * unacknowledged, no timer but 2MSL) gives way to its small form in the host's table.
   */
  private shrinkIfIdle(sock: Socket): void {
    if (this.table.rfcStateOf[sock.leaf] !== S.TIME_WAIT) return;
    if (sock.fd >= 0 || sock.listener !== null || sock.acceptQueue !== null || sock.waiter !== null || sock.rcvBuf !== '' || sock.retries !== 0) return;
    if (sock.synRtoTimer !== null || sock.finRtoTimer !== null || sock.finWait2Timer !== null || sock.dataRtoTimer !== null) return;
    const tcb = sock.tcb;
    if (tcb.unacked !== null || !tcb.synced || !tcb.finReceived || tcb.sndUna !== tcb.sndNxt || tcb.finSeq !== seqAdd(tcb.sndNxt, -1)) return;
    const host = this.hosts[sock.host]!;
    const key = connectionKey(sock.local.port, sock.remote);
    if (host.sockets.get(key) !== sock) return;
    const small = new TimeWaitSocket(sock.id, sock.host, sock.process, sock.leaf, sock.local.port, sock.remote, sock.conn, sock.role, tcb.sndNxt, tcb.rcvNxt);
    const timer = sock.twoMslTimer;
    if (timer !== null) {
      timer.owner = small;
      small.twoMslTimer = timer;
      sock.twoMslTimer = null;
    }
    host.sockets.set(key, small);
  }

  /** The full socket again, in the small one's place (a segment arrived, or an expiry needs more than a state change). */
  private inflate(small: TimeWaitSocket): Socket {
    const host = this.hosts[small.host]!;
    const sndNxt = small.sndNxt >>> 0;
    const sock = new Socket(small.id, small.host, small.process, { addr: host.address, port: small.localPort }, small.remote, small.conn, small.role, sndNxt);
    sock.leaf = small.leaf;
    sock.eof = true;
    const tcb = sock.tcb;
    tcb.sndUna = sndNxt;
    tcb.sndNxt = sndNxt;
    tcb.finSeq = seqAdd(sndNxt, -1);
    tcb.rcvNxt = small.rcvNxt >>> 0;
    tcb.synced = true;
    tcb.finReceived = true;
    const timer = small.twoMslTimer;
    if (timer !== null) {
      timer.owner = sock;
      sock.twoMslTimer = timer;
      small.twoMslTimer = null;
    }
    host.sockets.set(connectionKey(small.localPort, small.remote), sock);
    return sock;
  }

  /**
   * 2MSL expired on a small TIME_WAIT socket: expire() and apply() for the one case the table has
   * (TIMEOUT_twoMsl → CLOSED, no action), in their order; anything else runs on the full socket.
   */
  private expireTimeWait(small: TimeWaitSocket): void {
    const table = this.table;
    const cell = small.leaf * EVENT_COUNT + EVENT_INDEX.TIMEOUT_twoMsl;
    const to = table.next[cell]!;
    if (World.coverage !== null || table.handled[cell] === 0 || (table.effects[cell]! & ~CANCEL_MASK) !== 0 || table.rfcStateOf[to] !== S.CLOSED) {
      const sock = this.inflate(small);
      this.expire(sock, SLOT_TWO_MSL);
      this.shrinkIfIdle(sock);
      return;
    }
    small.twoMslTimer = null;
    this.expiries[SLOT_TWO_MSL]!++;
    const traced = this.traceEvents !== null && this.tracing(small.conn);
    if (traced) this.traceEvents!.push({ kind: 'timer', at: this.now, socket: small.id, timer: 'twoMsl' });
    const from = table.rfcStateOf[small.leaf]!;
    const base = small.process * TCP_STATES.length;
    this.counts[base + from]!--;
    // CLOSED with no fd: counted and forgotten at once (changed(), then release() and forget())
    if (traced) this.traceEvents!.push({ kind: 'state', at: this.now, socket: small.id, from: TCP_STATES[from]!, to: 'CLOSED', cause: { by: 'timer', timer: 'twoMsl' } });
    this.hosts[small.host]!.sockets.delete(connectionKey(small.localPort, small.remote));
    if (small.role === 'client') this.ports.give(small.host, small.remote, small.localPort);
  }

  // ───────────────────────────── the wire ─────────────────────────────

  private transmit(sock: Socket, out: Outgoing, retransmission: boolean): void {
    this.sendSegment(sock, out.seq, out.ack, out.flags, out.payload, retransmission);
  }

  /** tcb.ts emit() straight into a Segment (no Outgoing object): new sequence space, then the wire. */
  private emit(sock: Socket, flags: number, payload: string): void {
    const tcb = sock.tcb;
    const seq = takeSequence(tcb, flags, payload);
    const withAck = tcb.synced ? flags | ACK : flags;
    this.sendSegment(sock, seq, withAck & ACK ? tcb.rcvNxt : 0, withAck, payload, false);
  }

  private sendSegment(sock: Socket, seq: number, ack: number, flags: number, payload: string, retransmission: boolean): void {
    // any segment carrying the ACK makes a delayed one unnecessary (Linux tcp_event_ack_sent)
    if (sock.delAckTimer !== null && flags & ACK) this.disarmTimer(sock, SLOT_DEL_ACK);
    const segment: Segment = { src: sock.local, dst: sock.remote, seq, ack, flags, payload, window: this.freeSpace(sock) };
    this.put(sock.id, segment, sock.conn, retransmission);
  }

  /** Room left in the socket's receive buffer: the window it advertises (RFC 9293 §3.8.6). */
  private freeSpace(sock: Socket): number {
    return Math.max(0, this.profile.rcvBuf - sock.rcvBuf.length);
  }

  private put(socketId: number, segment: Segment, conn: number, retransmission: boolean): void {
    const segmentId = this.nextSegmentId++;
    // the event object only when a trace is recorded
    if (this.traceEvents !== null) this.record({ kind: 'send', at: this.now, socket: socketId, segmentId, segment, retransmission }, conn);
    const host = this.hostByAddress.get(segment.dst.addr);
    if (host === undefined) {
      this.record({ kind: 'drop', at: this.now, segmentId, reason: 'link-down' }, conn);
      return;
    }
    if (this.manual) {
      this.held.push({ segmentId, segment, host, conn });
      return;
    }
    const fate = this.network.fate(segment, this.now);
    if (fate.lost) {
      this.record({ kind: 'drop', at: this.now, segmentId, reason: 'loss' }, conn);
      return;
    }
    const delays = fate.delays;
    for (let i = 0; i < delays.length; i++) this.queue.push(this.now + delays[i]!, new DeliverItem(host, segment, segmentId, conn));
  }

  private dropped(segmentId: number, reason: DropReason, conn: number): void {
    this.record({ kind: 'drop', at: this.now, segmentId, reason }, conn);
  }

  private deliver(hostIndex: number, segment: Segment, segmentId: number, conn: number): void {
    const host = this.hosts[hostIndex]!;
    const found = host.sockets.get(connectionKey(segment.dst.port, segment.src));
    let sock = found instanceof TimeWaitSocket ? this.inflate(found) : found;
    if (!sock) {
      const listener = host.listeners.get(segment.dst.port);
      const flags = segment.flags;
      if (listener === undefined || flags & RST) return this.noSocket(segment, segmentId, conn);
      if (flags & SYN && !(flags & ACK)) {
        const child = this.synAtListener(hostIndex, listener, segment, segmentId, conn);
        if (child === null) return;
        sock = child;
      } else if (!(flags & SYN) && flags & ACK && this.isSynCookie(listener, segment)) {
        // the ACK of a cookie SYN,ACK rebuilds the connection, unless the accept queue is full (Linux cookie_v4_check)
        if (listener.acceptQueue!.length > listener.backlog) {
          this.listenOverflows++;
          return this.dropped(segmentId, 'backlog-full', conn);
        }
        sock = this.cookieConnection(hostIndex, listener, segment, segmentId, conn);
      } else return this.noSocket(segment, segmentId, conn);
    } else if (sock.listener && this.rfcState(sock) === S.SYN_RECEIVED && !(segment.flags & RST) && segment.flags & ACK) {
      // accept queue full when the handshake completes: Linux drops the ACK and keeps the
      // half-open connection, whose SYN,ACK retransmissions (or the client's data) try again
      // (tcp_v4_syn_recv_sock: exit_overflow; tcp_abort_on_overflow=0)
      if (sock.listener.acceptQueue!.length > sock.listener.backlog) {
        this.listenOverflows++;
        return this.dropped(segmentId, 'backlog-full', conn);
      }
    }
    if (this.traceEvents !== null) this.record({ kind: 'deliver', at: this.now, segmentId, socket: sock.id }, conn);
    // keepalive counts idle time from the last segment received, and any ACK answers its probes (Linux tcp_ack: rcv_tstamp, icsk_probes_out)
    sock.lastReceived = this.now;
    if (segment.flags & ACK) sock.keepaliveProbes = 0;
    const peerWindowWas = sock.tcb.sndWnd;
    // one buffer for every arrival (deliver() never runs inside itself): no objects per segment
    const arrival = this.arrival;
    classifyInto(sock.tcb, TCP_STATES[this.rfcState(sock)]!, segment, this.freeSpace(sock), arrival);
    const data = arrival.data;
    const events = arrival.events;
    const count = arrival.count;
    if (data.length > 0) sock.rcvBuf += data;
    // the peer's window opened: send what waited behind it now (RFC 9293 §3.8.6.1), not at the next RTO
    if (sock.probes !== 0 && sock.tcb.sndWnd > 0) sock.probes = 0;
    if (peerWindowWas === 0 && sock.tcb.sndWnd > 0 && hasOutstanding(sock.tcb) && this.rfcState(sock) !== S.CLOSED) {
      for (const out of outstanding(sock.tcb)) this.transmit(sock, out, true);
    }
    if (arrival.advanced) {
      sock.retries = 0;
      if (sock.dataRtoTimer !== null) {
        this.disarmTimer(sock, SLOT_DATA_RTO);
        if (hasOutstanding(sock.tcb)) this.armTimer(sock, SLOT_DATA_RTO);
      }
    }
    // the cause only feeds the trace: no object per segment when nobody records
    const cause: StateCause = this.traceEvents ? { by: 'segment', segmentId } : UNTRACED_CAUSE;
    this.deferAcks = true;
    this.ackOwed = null;
    for (let i = 0; i < count; i++) {
      this.applyColumn(sock, events[i]!, cause);
      if (this.rfcState(sock) === S.CLOSED) break;
    }
    this.deferAcks = false;
    const owed = this.ackOwed as Socket | null;
    this.ackOwed = null;
    if (owed && this.rfcState(owed) !== S.CLOSED) this.sendSegment(owed, owed.tcb.sndNxt, owed.tcb.rcvNxt, ACK, '', false);
    if (data.length > 0) this.wakeWaiter(sock);
    this.shrinkIfIdle(sock);
  }

  /**
   * A SYN for a listener (Linux tcp_conn_request): a full SYN queue — more half-open
   * connections than the backlog — means a SYN cookie, or a drop without cookies; a full accept
   * queue drops the SYN whatever the SYN queue says, and the client retries. Otherwise a
   * half-open connection joins the SYN queue. Returns it, or null when the SYN got no socket.
   */
  private synAtListener(hostIndex: number, listener: Socket, segment: Segment, segmentId: number, conn: number): Socket | null {
    let cookie = false;
    // the SYN queue is full past the backlog (inet_csk_reqsk_queue_is_full, `>` since Linux 6.13)
    if (listener.synQueue > listener.backlog) {
      listener.synOverflowAt = this.now;
      if (!this.profile.syncookies) {
        this.synDrops++;
        this.dropped(segmentId, 'syn-queue-full', conn);
        return null;
      }
      cookie = true;
    }
    if (listener.acceptQueue!.length > listener.backlog) {
      this.synDrops++;
      this.listenOverflows++;
      this.dropped(segmentId, 'backlog-full', conn);
      return null;
    }
    if (cookie) {
      this.syncookiesSent++;
      if (this.traceEvents !== null) this.record({ kind: 'deliver', at: this.now, segmentId, socket: null }, conn);
      const isn = synCookie(listener.local.port, segment.src, segment.seq);
      const reply: Segment = { src: segment.dst, dst: segment.src, seq: isn, ack: seqAdd(segment.seq, 1), flags: SYN | ACK, payload: '', window: this.profile.rcvBuf };
      this.put(-1, reply, conn, false);
      return null;
    }
    // the connection's local address is the one the SYN came to, even on a listener bound to 0.0.0.0
    const sock = this.newSocket(hostIndex, listener.process, segment.dst, segment.src, conn, 'server');
    sock.leaf = this.table.leafIndex('LISTEN');
    const base = sock.process * TCP_STATES.length;
    this.counts[base + S.CLOSED]!--;
    this.counts[base + S.LISTEN]!++;
    sock.listener = listener;
    listener.synQueue++;
    listener.synYoung++;
    this.hosts[hostIndex]!.sockets.set(connectionKey(segment.dst.port, segment.src), sock);
    return sock;
  }

  /** Whether an ACK at a listener returns one of its SYN cookies, sent in the last 2 minutes (Linux tcp_synq_no_recent_overflow, cookie_v4_check). */
  private isSynCookie(listener: Socket, segment: Segment): boolean {
    if (!this.profile.syncookies || listener.synOverflowAt < 0 || this.now - listener.synOverflowAt > SYNCOOKIE_VALID) return false;
    const clientIsn = seqAdd(segment.seq, -1);
    return segment.ack === seqAdd(synCookie(listener.local.port, segment.src, clientIsn), 1);
  }

  /** The connection a valid cookie stands for, ESTABLISHED and in the accept queue (Linux tcp_get_cookie_sock). */
  private cookieConnection(hostIndex: number, listener: Socket, segment: Segment, segmentId: number, conn: number): Socket {
    const iss = seqAdd(segment.ack, -1);
    const sock = new Socket(this.nextSocketId++, hostIndex, listener.process, segment.dst, segment.src, conn, 'server', iss);
    if (this.traceEvents && this.tracing(conn)) {
      this.traceSockets.push({ id: sock.id, host: this.hosts[hostIndex]!.name, process: this.processes[listener.process]!.name, local: segment.dst, remote: segment.src, conn, role: 'server' });
    }
    sock.leaf = this.table.leafIndex('ESTABLISHED');
    this.counts[sock.process * TCP_STATES.length + S.ESTABLISHED]!++;
    const tcb = sock.tcb;
    tcb.sndUna = segment.ack;
    tcb.sndNxt = segment.ack;
    tcb.irs = seqAdd(segment.seq, -1);
    tcb.rcvNxt = segment.seq;
    tcb.synced = true;
    if (this.traceEvents && this.tracing(conn)) {
      this.traceEvents.push({ kind: 'state', at: this.now, socket: sock.id, from: 'LISTEN', to: 'ESTABLISHED', cause: { by: 'segment', segmentId } });
    }
    this.hosts[hostIndex]!.sockets.set(connectionKey(segment.dst.port, segment.src), sock);
    sock.listener = listener;
    this.enqueueAccepted(sock);
    return sock;
  }

  /** No socket for the segment: answer with RST unless it is one (RFC 9293 §3.10.7.1). */
  private noSocket(segment: Segment, segmentId: number, conn: number): void {
    this.record({ kind: 'deliver', at: this.now, segmentId, socket: null }, conn);
    if (segment.flags & RST) return;
    const reply: Segment =
      segment.flags & ACK
        ? { src: segment.dst, dst: segment.src, seq: segment.ack, ack: 0, flags: RST, payload: '' }
        : { src: segment.dst, dst: segment.src, seq: 0, ack: seqAdd(segment.seq, segmentLength(segment)), flags: RST | ACK, payload: '' };
    this.put(-1, reply, conn, false);
  }
}
