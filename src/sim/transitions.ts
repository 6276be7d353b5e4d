/**
 * One abstract event through the compiled table, and its effects performed in the machine's
 * order: cancel timers, change state (counts, the SYN queue, the trace), send, tell the program,
 * start timers, and let go of a socket that reached CLOSED.
 */
import { ACTION_BIT, EVENT_COUNT, EVENT_INDEX, cancelTimerBit, startTimerBit } from '../model/compileTable.js';
import { TIMERS, type EndpointEvent } from '../model/endpointMachine.js';
import { ACK, FIN, RST, SYN } from '../model/segment.js';
import { TCP_STATES } from '../model/states.js';
import { outstanding } from '../model/tcb.js';
import { tableCoverage } from './coverage.js';
import type { Kernel } from './kernel.js';
import { enqueueAccepted } from './listeners.js';
import { TIMER_SLOTS, connectionKey, type Socket } from './socket.js';
import { SLOT_DATA_RTO, SLOT_KEEPALIVE, armTimer, disarmTimer } from './timers.js';
import type { StateCause } from './trace.js';
import { emit, sendSegment, transmit } from './wire.js';

const S = Object.fromEntries(TCP_STATES.map((s, i) => [s, i])) as Record<(typeof TCP_STATES)[number], number>;
const CANCEL_BITS = TIMERS.map((t) => cancelTimerBit(t));
const START_BITS = TIMERS.map((t) => startTimerBit(t));
/** Effect bits that cancel, send, notify or start something. */
export const CANCEL_MASK = CANCEL_BITS.reduce((m, b) => m | b, 0);
const START_MASK = START_BITS.reduce((m, b) => m | b, 0);
const SEND_MASK = ACTION_BIT.sendSyn | ACTION_BIT.sendSynAck | ACTION_BIT.sendAck | ACTION_BIT.sendFin | ACTION_BIT.sendRst | ACTION_BIT.retransmit;
const NOTIFY_MASK =
  ACTION_BIT.notifyConnected | ACTION_BIT.notifyEof | ACTION_BIT.notifyReset | ACTION_BIT.notifyRefused | ACTION_BIT.notifyPipe | ACTION_BIT.notifyTimeout;

/** Runs one abstract event through the compiled table and performs the effects. */
export function apply(k: Kernel, sock: Socket, event: EndpointEvent, cause: StateCause): void {
  applyColumn(k, sock, EVENT_INDEX[event], cause);
}

/** apply() by table column (EVENT_INDEX). */
export function applyColumn(k: Kernel, sock: Socket, column: number, cause: StateCause): void {
  const table = k.table;
  const cell = sock.leaf * EVENT_COUNT + column;
  if (table.handled[cell] === 0) return;
  const coverage = tableCoverage.cells;
  if (coverage !== null) {
    let counts = coverage.get(table);
    if (!counts) coverage.set(table, (counts = new Uint32Array(table.handled.length)));
    counts[cell]!++;
  }
  const fx = table.effects[cell]!;
  const to = table.next[cell]!;
  if (fx & CANCEL_MASK) {
    for (let t = 0; t < CANCEL_BITS.length; t++) if (fx & CANCEL_BITS[t]!) disarmTimer(sock, t);
  }
  const from = table.rfcStateOf[sock.leaf]!;
  const toRfc = table.rfcStateOf[to]!;
  sock.leaf = to;
  if (from !== toRfc) changed(k, sock, from, toRfc, cause);
  if (fx & SEND_MASK) send(k, sock, fx);
  if (fx & NOTIFY_MASK) notify(k, sock, fx);
  if (fx & START_MASK) {
    for (let t = 0; t < START_BITS.length; t++) if (fx & START_BITS[t]!) armTimer(k, sock, t);
  }
  if (toRfc === S.CLOSED) release(k, sock);
}

/** Bookkeeping of an RFC state change: the SYN queue, the counts, timers that end with the state, the trace. */
function changed(k: Kernel, sock: Socket, from: number, to: number, cause: StateCause): void {
  // a half-open connection leaves the listener's SYN queue (Linux reqsk_queue_removed)
  if (from === S.SYN_RECEIVED && sock.listener !== null) {
    sock.listener.synQueue--;
    if (sock.retries === 0) sock.listener.synYoung--;
  }
  k.tally.leave(sock.process, from);
  k.tally.enter(sock.process, to);
  sock.retries = 0;
  if (to !== S.ESTABLISHED && to !== S.CLOSE_WAIT) disarmTimer(sock, SLOT_DATA_RTO);
  if (to === S.TIME_WAIT) disarmTimer(sock, SLOT_KEEPALIVE);
  if (k.tracer.wants(sock.conn)) {
    k.tracer.record({ kind: 'state', at: k.now, socket: sock.id, from: TCP_STATES[from]!, to: TCP_STATES[to]!, cause }, sock.conn);
  }
}

/** The send actions of a cell, in the machine's order. */
function send(k: Kernel, sock: Socket, fx: number): void {
  const tcb = sock.tcb;
  if (fx & ACTION_BIT.sendSyn) emit(k, sock, SYN, '');
  if (fx & ACTION_BIT.sendSynAck) emit(k, sock, SYN, '');
  if (fx & ACTION_BIT.retransmit) for (const out of outstanding(tcb)) transmit(k, sock, out, true);
  if (fx & ACTION_BIT.sendFin) emit(k, sock, FIN, '');
  if (fx & ACTION_BIT.sendAck) {
    if (k.deferAcks) k.ackOwed = sock;
    else sendSegment(k, sock, tcb.sndNxt, tcb.rcvNxt, ACK, '', false);
  }
  // RST carries SND.NXT and acknowledges what was received (Linux tcp_send_active_reset)
  if (fx & ACTION_BIT.sendRst) sendSegment(k, sock, tcb.sndNxt, tcb.rcvNxt, RST | ACK, '', false);
}

/** What the program is told: connected (into the accept queue), EOF, or an error for its next call. */
function notify(k: Kernel, sock: Socket, fx: number): void {
  if (fx & ACTION_BIT.notifyConnected && sock.role === 'server') enqueueAccepted(k, sock);
  if (fx & ACTION_BIT.notifyEof) sock.eof = true;
  if (fx & ACTION_BIT.notifyReset) sock.error = 'ECONNRESET';
  if (fx & ACTION_BIT.notifyRefused) sock.error = 'ECONNREFUSED';
  // RST after the peer's FIN: Linux tcp_reset sets EPIPE for CLOSE_WAIT
  if (fx & ACTION_BIT.notifyPipe) sock.error = 'EPIPE';
  if (fx & ACTION_BIT.notifyTimeout) sock.error = 'ETIMEDOUT';
  wakeWaiter(k, sock);
}

/** Wakes the program step blocked on `sock`, after the scheduler's wake-up latency. */
export function wakeWaiter(k: Kernel, sock: Socket): void {
  const waiter = sock.waiter;
  if (waiter) {
    sock.waiter = null;
    k.queue.push(k.now + k.profile.wakeLatency, waiter);
  }
}

/** A socket reached CLOSED: the kernel forgets it (the fd, if still held, stays until close()). */
function release(k: Kernel, sock: Socket): void {
  for (let t = 0; t < TIMER_SLOTS.length; t++) disarmTimer(sock, t);
  const host = k.hosts[sock.host]!;
  if (sock.acceptQueue) host.listeners.delete(sock.local.port);
  else {
    host.sockets.delete(connectionKey(sock.local.port, sock.remote));
    if (sock.role === 'client') k.ports.give(sock.host, sock.remote, sock.local.port);
  }
  const listener = sock.listener;
  if (listener?.acceptQueue) {
    const i = listener.acceptQueue.indexOf(sock);
    if (i >= 0) listener.acceptQueue.splice(i, 1);
    sock.listener = null;
  }
  if (sock.fd < 0) forget(k, sock);
}

/** Drops a CLOSED socket from the counts, and from the kernel, once no fd refers to it. */
export function forget(k: Kernel, sock: Socket): void {
  k.tally.leave(sock.process, S.CLOSED);
  k.byId[sock.id] = undefined;
}
