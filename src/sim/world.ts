/**
 * The deterministic engine's door: a virtual clock, one agenda, hosts with a kernel each and
 * processes with fd tables, over the network between them. Programs (and tests) make socket
 * calls here; the clock runs here, each agenda item going to its room — a segment to arrival.ts,
 * a timer to expiry.ts, a program step back to the program. The kernels' state is kernel.ts;
 * the rooms are socketCalls.ts (the calls), arrival.ts (receiving), transitions.ts (the table
 * and its effects), timers.ts and expiry.ts, listeners.ts (SYN and accept queues), wire.ts
 * (sending) and inspection.ts. Time is integer microseconds.
 */
import type { TransitionTable } from '../model/compileTable.js';
import type { Errno } from '../model/errno.js';
import type { Profile } from '../model/profile.js';
import { TCP_STATES, type TcpState } from '../model/states.js';
import type { AcceptPolicy, ReadAmount } from '../scenario/types.js';
import { DeliverItem, WheelBucket } from './agenda.js';
import { deliver, waitForReceiver } from './arrival.js';
import { tableCoverage } from './coverage.js';
import type { PortExhaustion } from './ephemeralPorts.js';
import { fireBucket } from './expiry.js';
import { FdTable } from './fdTable.js';
import { allSockets, viewOf, type SocketView } from './inspection.js';
import { Kernel, type HeldSegment, type WorldOptions } from './kernel.js';
import * as calls from './socketCalls.js';
import type { KeepaliveOptions, OpenFile, Socket, Waiter } from './socket.js';
import type { Trace } from './trace.js';

export { LOOPBACK_MSS, type HeldSegment, type WorldOptions } from './kernel.js';
export type { SocketView } from './inspection.js';
export type { ReadResult } from './socketCalls.js';

const CLOSED = TCP_STATES.indexOf('CLOSED');

/** A process as the kernel sees it. */
export interface ProcessOptions {
  readonly name: string;
  readonly host: number;
  readonly nofile: number;
  readonly baselineFds: number;
  readonly acceptPolicy?: AcceptPolicy;
}

/** A simulated network of hosts, kernels and processes over a virtual clock. */
export class World {
  private readonly k: Kernel;

  /** Opt-in coverage (npm run matrix): per compiled table, how often apply() ran each handled (leaf, event) cell; null = off. */
  static get coverage(): Map<TransitionTable, Uint32Array> | null {
    return tableCoverage.cells;
  }

  static set coverage(cells: Map<TransitionTable, Uint32Array> | null) {
    tableCoverage.cells = cells;
  }

  constructor(options: WorldOptions) {
    this.k = new Kernel(options);
  }

  /** Virtual time, integer microseconds. */
  get now(): number {
    return this.k.now;
  }

  /** The profile the kernels follow. */
  get profile(): Profile {
    return this.k.profile;
  }

  /** The compiled endpoint table the sockets run on. */
  get table(): TransitionTable {
    return this.k.table;
  }

  /** SYNs dropped because an accept queue (or, without SYN cookies, a SYN queue) was full. */
  get synDrops(): number {
    return this.k.synDrops;
  }

  /** Handshakes a full accept queue held back (Linux ListenOverflows): SYNs dropped, and final ACKs dropped. */
  get listenOverflows(): number {
    return this.k.listenOverflows;
  }

  /** SYN,ACKs sent with a SYN cookie because a SYN queue was full (Linux SyncookiesSent). */
  get syncookiesSent(): number {
    return this.k.syncookiesSent;
  }

  /** The jiffies count at time 0 (timerWheel.ts). */
  get wheelOrigin(): number {
    return this.k.wheelOrigin;
  }

  /** Timer expiries per timer slot (TIMER_SLOTS order: synRto, finRto, twoMsl, finWait2, delAck, dataRto, keepalive). */
  get expiries(): Float64Array {
    return this.k.expiries;
  }

  /** Events processed so far (for benchmarks). */
  get eventsProcessed(): number {
    return this.k.eventsProcessed;
  }

  // ───────────────────────────── set-up ─────────────────────────────

  /** Adds a host with an IPv4 address; returns its index. */
  addHost(name: string, address: string): number {
    const k = this.k;
    if (k.hostByAddress.has(address)) throw new Error(`world: address ${address} is already used`);
    k.hosts.push({ name, address, sockets: new Map(), listeners: new Map(), busyUntil: 0, buckets: new Map(), lastBucket: null });
    k.hostByAddress.set(address, k.hosts.length - 1);
    return k.hosts.length - 1;
  }

  /** Adds a process with its fd table; returns its index. */
  addProcess(options: ProcessOptions): number {
    const k = this.k;
    if (!k.hosts[options.host]) throw new Error(`world: no host ${options.host}`);
    k.processes.push({
      name: options.name,
      host: options.host,
      fds: new FdTable<Socket | OpenFile>(options.nofile, options.baselineFds),
      acceptPolicy: options.acceptPolicy ?? 'posix',
      exited: false,
    });
    k.tally.addProcess();
    return k.processes.length - 1;
  }

  /** Index of the process named `name`. */
  processIndex(name: string): number {
    const i = this.k.processes.findIndex((p) => p.name === name);
    if (i < 0) throw new Error(`world: no process ${name}`);
    return i;
  }

  /** Address of host `host`. */
  hostAddress(host: number): string {
    return this.k.hosts[host]!.address;
  }

  /** Host index of process `process`. */
  hostOf(process: number): number {
    return this.k.processes[process]!.host;
  }

  /** Accept policy of process `process`. */
  acceptPolicyOf(process: number): AcceptPolicy {
    return this.k.processes[process]!.acceptPolicy;
  }

  // ───────────────────────────── socket calls (socketCalls.ts) ─────────────────────────────

  /** listen(): a listening socket on `port` of the host's address, or of every address (`0.0.0.0`); returns its fd or an errno. */
  listen(process: number, port: number, backlog: number, address?: string): number | Errno {
    return calls.listen(this.k, process, port, backlog, address);
  }

  /** connect(): a socket in SYN_SENT towards address:port; returns its fd or an errno (EMFILE). */
  connect(process: number, address: string, port: number, conn?: number): number | Errno {
    return calls.connect(this.k, process, address, port, conn);
  }

  /** accept(): takes the oldest established connection; returns its fd, null when none waits (EAGAIN), or an errno. */
  accept(process: number, listenFd: number): number | Errno | null {
    return calls.accept(this.k, process, listenFd);
  }

  /** libuv's uv__emfile_trick: accept the oldest waiting connection and close it at once; false when none waits. */
  acceptAndDrop(process: number, listenFd: number): boolean {
    return calls.acceptAndDrop(this.k, process, listenFd);
  }

  /** Opens an fd that is not a socket (`what`: a pipe, a file); returns it, or EMFILE at the limit. */
  openFile(process: number, what: string): number | Errno {
    return calls.openFile(this.k, process, what);
  }

  /** Connections waiting in the accept queue of listening fd `listenFd` (what poll() reports as readable). */
  pendingConnections(process: number, listenFd: number): number {
    return this.k.socketOf(process, listenFd)?.acceptQueue?.length ?? 0;
  }

  /** setsockopt(SO_KEEPALIVE) with its idle time, interval and probe count (null turns it off). */
  setKeepalive(process: number, fd: number, options: KeepaliveOptions | null): 0 | Errno {
    return calls.setKeepalive(this.k, process, fd, options);
  }

  /** write(): queues `data` for the peer; returns the byte count or an errno (EPIPE, ECONNRESET, ...). */
  write(process: number, fd: number, data: string): number | Errno {
    return calls.write(this.k, process, fd, data);
  }

  /** read(): takes bytes per `amount`; null when it would block; an errno after a reset. */
  read(process: number, fd: number, amount: ReadAmount): calls.ReadResult | Errno | null {
    return calls.read(this.k, process, fd, amount);
  }

  /** shutdown(SHUT_WR): sends FIN, keeps the fd and the read side. */
  shutdown(process: number, fd: number): 0 | Errno {
    return calls.shutdown(this.k, process, fd);
  }

  /** close(): frees the fd at once; the kernel keeps the socket (orphaned) until it reaches CLOSED. */
  close(process: number, fd: number): 0 | Errno {
    return calls.releaseFd(this.k, process, fd, 'close');
  }

  /** SO_LINGER 0 then close(): RST, no TIME_WAIT (Node's socket.resetAndDestroy()). */
  abort(process: number, fd: number): 0 | Errno {
    return calls.releaseFd(this.k, process, fd, 'abort');
  }

  /** The process ends: the kernel closes every fd it held, lowest first. */
  exit(process: number): void {
    calls.exit(this.k, process);
  }

  /** Whether the process has exited. */
  exited(process: number): boolean {
    return this.k.processes[process]!.exited;
  }

  /** Tells `waiter` when socket `fd` changes (data, EOF, connected, error). */
  waitOn(process: number, fd: number, waiter: Waiter): void {
    calls.waitOn(this.k, process, fd, waiter);
  }

  /** Runs `fn` at time `at` (programs' sleeps and starts). */
  at(at: number, fn: () => void): void {
    this.k.queue.push(Math.max(at, this.k.now), fn);
  }

  /** Whether the socket behind `fd` is connected or has failed (connect() has finished). */
  connectOutcome(process: number, fd: number): 'pending' | 'connected' | Errno {
    return calls.connectOutcome(this.k, process, fd);
  }

  // ───────────────────────────── running ─────────────────────────────

  /** Processes every event due at or before `time`, then sets the clock to `time`. */
  runUntil(time: number): void {
    const queue = this.k.queue;
    for (let item = queue.popItemUntil(time); item !== undefined; item = queue.popItemUntil(time)) this.run(item);
    if (time > this.k.now) this.k.now = time;
  }

  /**
   * Processes at most `budget` of the events due at or before `time`, in order, and returns how
   * many ran (fewer than `budget`: none due is left). The clock stays at the last one's time.
   */
  runSome(time: number, budget: number): number {
    const queue = this.k.queue;
    let n = 0;
    while (n < budget) {
      const item = queue.popItemUntil(time);
      if (item === undefined) break;
      this.run(item);
      n++;
    }
    return n;
  }

  /** Processes events until none is left or `limit` is reached; returns the time of the last. */
  runUntilQuiet(limit = Number.MAX_SAFE_INTEGER): number {
    const queue = this.k.queue;
    for (let item = queue.popItemUntil(limit); item !== undefined; item = queue.popItemUntil(limit)) this.run(item);
    return this.k.now;
  }

  /** Whether no event is pending. */
  get idle(): boolean {
    return this.k.queue.size === 0;
  }

  /** Time of the next pending event, or Infinity. */
  nextEventTime(): number {
    return this.k.queue.peekTime();
  }

  /** Processes the next event. */
  step(): void {
    const item = this.k.queue.popItem();
    if (item !== undefined) this.run(item);
  }

  /** Runs an item just taken from the agenda. */
  private run(item: unknown): void {
    const k = this.k;
    k.now = k.queue.lastAt;
    k.eventsProcessed++;
    if (item instanceof DeliverItem) {
      if (waitForReceiver(k, item)) return;
      deliver(k, item.host, item.segment, item.segmentId, item.conn);
    } else if (item instanceof WheelBucket) fireBucket(k, item);
    else if (typeof item === 'function') (item as () => void)();
    else (item as Waiter).wake();
  }

  // ───────────────────────────── manual network ─────────────────────────────

  /** Segments held in manual-network mode, oldest first. */
  heldSegments(): readonly HeldSegment[] {
    return this.k.held;
  }

  /** Delivers held segment `index` now (manual network). */
  deliverHeld(index: number): void {
    const [held] = this.k.held.splice(index, 1);
    if (held) deliver(this.k, held.host, held.segment, held.segmentId, held.conn);
  }

  /** Loses held segment `index` (manual network). */
  dropHeld(index: number): void {
    const [held] = this.k.held.splice(index, 1);
    if (held) this.k.tracer.record({ kind: 'drop', at: this.k.now, segmentId: held.segmentId, reason: 'loss' }, held.conn);
  }

  /** Delivers a copy of held segment `index` now and keeps the original in flight (manual network). */
  duplicateHeld(index: number): void {
    const held = this.k.held[index];
    if (held) deliver(this.k, held.host, held.segment, held.segmentId, held.conn);
  }

  // ───────────────────────────── inspection (inspection.ts, tally.ts) ─────────────────────────────

  /** Every socket the kernels hold, host by host, in creation order. */
  sockets(): SocketView[] {
    return allSockets(this.k);
  }

  /** How many TIME_WAIT sockets are in small form, rows of the TIME_WAIT table (the rest of TIME_WAIT is held whole). */
  smallTimeWaits(): number {
    return this.k.timeWait.size;
  }

  /** The socket behind a process's fd. */
  socketView(process: number, fd: number): SocketView | undefined {
    const sock = this.k.socketOf(process, fd);
    return sock ? viewOf(this.k, sock) : undefined;
  }

  /** RFC state of the socket behind a process's fd (CLOSED when the fd is not a socket). */
  stateOf(process: number, fd: number): TcpState {
    const sock = this.k.socketOf(process, fd);
    return sock ? TCP_STATES[this.k.rfcState(sock)]! : 'CLOSED';
  }

  /** Live sockets per state for one process, or for all when `process` is undefined (CLOSED omitted). */
  stateCounts(process?: number): Partial<Record<TcpState, number>> {
    return this.k.tally.stateCounts(process);
  }

  /** Open fds of a process, baseline included. */
  fdsInUse(process: number): number {
    return this.k.processes[process]!.fds.inUse;
  }

  /**
   * fds a process holds on sockets that are already CLOSED — reset by the peer (a keepalive
   * probe answered with RST, say) while the program never called close(). netstat and ss show
   * nothing for them; /proc/PID/fd and /proc/net/sockstat still count them.
   */
  closedSocketFds(process: number): number {
    return this.k.tally.count(process, CLOSED);
  }

  /** Errors that reached programs, per errno, for one process or all. */
  errors(process?: number): Record<Errno, number> {
    return this.k.tally.errors(process);
  }

  /** The destinations whose ephemeral ports ran out (connect() got EADDRNOTAVAIL), in order. */
  portExhaustions(): readonly PortExhaustion[] {
    return this.k.ports.exhaustions();
  }

  /** When a program first got `errno`, or undefined. */
  firstErrorAt(errno: Errno): number | undefined {
    return this.k.tally.firstErrorAt(errno);
  }

  /** Names of the processes, in index order. */
  processNames(): string[] {
    return this.k.processes.map((p) => p.name);
  }

  /** The trace recorded so far (empty when tracing is off). */
  trace(): Trace {
    return this.k.tracer.trace();
  }
}
