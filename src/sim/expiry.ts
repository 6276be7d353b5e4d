/**
 * What a timer's expiry does: retransmit with backoff or give up (SYN, SYN,ACK, FIN, data),
 * probe a zero window, probe an idle connection (keepalive), or feed the machine its timeout
 * event (2MSL, FIN_WAIT_2, delayed ACK). Every retry limit and backoff is the profile's.
 */
import { rtoRetryLimit, synRetryLimit } from '../model/backoff.js';
import { EVENT_COUNT, EVENT_INDEX } from '../model/compileTable.js';
import { TIMERS, type EndpointEvent } from '../model/endpointMachine.js';
import { ACK } from '../model/segment.js';
import { seqAdd } from '../model/seq.js';
import { TCP_STATES } from '../model/states.js';
import { hasOutstanding, outstanding } from '../model/tcb.js';
import { tableCoverage } from './coverage.js';
import type { Kernel } from './kernel.js';
import type { WheelBucket } from './agenda.js';
import { TIMER_SLOTS, connectionKey, timerOf, type Socket } from './socket.js';
import { inflate, shrinkIfIdle } from './timeWait.js';
import { SLOT_DATA_RTO, SLOT_FIN_RTO, SLOT_KEEPALIVE, SLOT_SYN_RTO, SLOT_TWO_MSL, armTimer, disarmTimer } from './timers.js';
import type { StateCause } from './trace.js';
import { CANCEL_MASK, apply } from './transitions.js';
import { sendSegment, transmit } from './wire.js';

const S = Object.fromEntries(TCP_STATES.map((s, i) => [s, i])) as Record<(typeof TCP_STATES)[number], number>;
/** The machine event of each machine timer's expiry, by slot. */
const TIMEOUT_EVENT: readonly EndpointEvent[] = TIMERS.map((t) => `TIMEOUT_${t}` as const);

/** Timer `slot` of socket `id`, started with number `seq`, is due: it fires unless it was stopped or restarted since. */
export function fire(k: Kernel, id: number, slot: number, seq: number): void {
  const owner = k.byId[id];
  if (owner === undefined) return;
  if (typeof owner === 'number') {
    if (slot === SLOT_TWO_MSL && k.timeWait.twoMsl[owner] === seq) expireTimeWait(k, owner);
    return;
  }
  if (timerOf(owner, slot) !== seq) return;
  expire(k, owner, slot);
  shrinkIfIdle(k, owner);
}

/** A timer-wheel bucket's instant came: its timers fire newest first, as the kernel runs a bucket. */
export function fireBucket(k: Kernel, bucket: WheelBucket): void {
  const host = k.hosts[bucket.host]!;
  if (host.buckets.get(bucket.at) === bucket) host.buckets.delete(bucket.at);
  if (host.lastBucket === bucket) host.lastBucket = null;
  const entries = bucket.entries;
  for (let i = entries.length - 3; i >= 0; i -= 3) fire(k, entries[i]!, entries[i + 1]!, entries[i + 2]!);
}

/** Timer `slot` of `sock` expired. */
export function expire(k: Kernel, sock: Socket, slot: number): void {
  disarmTimer(sock, slot);
  k.expiries[slot]!++;
  const name = TIMER_SLOTS[slot]!;
  if (k.tracer.wants(sock.conn)) k.tracer.record({ kind: 'timer', at: k.now, socket: sock.id, timer: name }, sock.conn);
  const cause: StateCause = { by: 'timer', timer: name };
  if (slot === SLOT_KEEPALIVE) return keepaliveExpired(k, sock, cause);
  // a zero window is probed, not given up on, while a program holds the fd (Linux tcp_probe_timer)
  const probing = sock.tcb.sndWnd === 0 && sock.fd >= 0;
  if (slot === SLOT_DATA_RTO) {
    if (!hasOutstanding(sock.tcb)) return;
    if (probing) sock.probes++;
    else {
      if (sock.retries >= rtoRetryLimit(k.profile)) return apply(k, sock, 'GIVE_UP', cause);
      sock.retries++;
    }
    for (const out of outstanding(sock.tcb)) transmit(k, sock, out, true);
    armTimer(k, sock, SLOT_DATA_RTO);
    return;
  }
  if (slot === SLOT_SYN_RTO || slot === SLOT_FIN_RTO) {
    const state = k.rfcState(sock);
    const limit = slot === SLOT_FIN_RTO ? rtoRetryLimit(k.profile) : state === S.SYN_SENT ? synRetryLimit(k.profile, true) : synAckRetryLimit(k, sock);
    if (probing && slot === SLOT_FIN_RTO) sock.probes++;
    else {
      if (sock.retries >= limit) return apply(k, sock, 'GIVE_UP', cause);
      // its first SYN,ACK timeout makes a half-open connection old (Linux reqsk_timer_handler)
      if (sock.retries === 0 && state === S.SYN_RECEIVED && sock.listener !== null) sock.listener.synYoung--;
      sock.retries++;
    }
  }
  apply(k, sock, TIMEOUT_EVENT[slot]!, cause);
}

/**
 * SYN,ACK retransmissions a half-open connection gets: tcp_synack_retries, fewer when the SYN
 * queue is more than half full of old requests — "we reserve half of room for young embrions;
 * and abort old ones without pity" (Linux reqsk_timer_handler: one retry less each time the
 * young are outnumbered twice over, down to 2).
 */
function synAckRetryLimit(k: Kernel, sock: Socket): number {
  let limit = synRetryLimit(k.profile, false);
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
function keepaliveExpired(k: Kernel, sock: Socket, cause: StateCause): void {
  const ka = sock.keepalive;
  const state = k.rfcState(sock);
  if (ka === null || state === S.SYN_SENT || state === S.SYN_RECEIVED || state === S.TIME_WAIT || state === S.CLOSED) return;
  if (k.table.orphanedLeaf[sock.leaf] === 1) return;
  if (hasOutstanding(sock.tcb)) return armTimer(k, sock, SLOT_KEEPALIVE, ka.idle);
  const idle = k.now - sock.lastReceived;
  if (idle < ka.idle) return armTimer(k, sock, SLOT_KEEPALIVE, ka.idle - idle);
  if (sock.keepaliveProbes >= ka.probes) return apply(k, sock, 'KEEPALIVE_GIVE_UP', cause);
  // the probe: SEQ = SND.UNA − 1 and no data, which the peer must answer with an ACK (Linux tcp_xmit_probe_skb)
  sendSegment(k, sock, seqAdd(sock.tcb.sndUna, -1), sock.tcb.rcvNxt, ACK, '', false);
  sock.keepaliveProbes++;
  armTimer(k, sock, SLOT_KEEPALIVE, ka.interval);
}

/**
 * 2MSL expired on a TIME_WAIT socket in small form (row `row` of the TIME_WAIT table): expire()
 * and apply() for the one case the table has (TIMEOUT_twoMsl → CLOSED, no action), in their
 * order; anything else runs on the full socket.
 */
export function expireTimeWait(k: Kernel, row: number): void {
  const table = k.table;
  const tw = k.timeWait;
  const leaf = tw.leaf[row]!;
  const cell = leaf * EVENT_COUNT + EVENT_INDEX.TIMEOUT_twoMsl;
  const to = table.next[cell]!;
  if (tableCoverage.cells !== null || table.handled[cell] === 0 || (table.effects[cell]! & ~CANCEL_MASK) !== 0 || table.rfcStateOf[to] !== S.CLOSED) {
    const sock = inflate(k, row);
    expire(k, sock, SLOT_TWO_MSL);
    shrinkIfIdle(k, sock);
    return;
  }
  const id = tw.id[row]!;
  const conn = tw.conn[row]!;
  const host = tw.host[row]!;
  const localPort = tw.localPort[row]!;
  const remote = tw.remote[row]!;
  k.expiries[SLOT_TWO_MSL]!++;
  const traced = k.tracer.wants(conn);
  if (traced) k.tracer.record({ kind: 'timer', at: k.now, socket: id, timer: 'twoMsl' }, conn);
  const from = table.rfcStateOf[leaf]!;
  k.tally.leave(tw.process[row]!, from);
  // CLOSED with no fd: counted and forgotten at once (changed(), then release() and forget())
  if (traced) k.tracer.record({ kind: 'state', at: k.now, socket: id, from: TCP_STATES[from]!, to: 'CLOSED', cause: { by: 'timer', timer: 'twoMsl' } }, conn);
  k.hosts[host]!.sockets.delete(connectionKey(localPort, remote));
  if (tw.role(row) === 'client') k.ports.give(host, remote, localPort);
  tw.remove(row);
  k.byId[id] = undefined;
}
