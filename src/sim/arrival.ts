/**
 * A segment arrives at a host: the kernel takes it in turn (receive cost), finds its socket by
 * the 4-tuple — or a listener, for a SYN or a SYN cookie's ACK, or nobody, which earns a RST —
 * then classifies it against the TCB into the table's events and applies them, ACKs coalesced
 * into one. Read top to bottom, this is the receive path.
 */
import { classifyInto } from '../model/classify.js';
import { ACK, RST, SYN, segmentLength, type Segment } from '../model/segment.js';
import { seqAdd } from '../model/seq.js';
import { TCP_STATES } from '../model/states.js';
import { hasOutstanding, outstanding } from '../model/tcb.js';
import { RECEIVE_LANE, type DeliverItem } from './agenda.js';
import { UNTRACED_CAUSE, type Kernel } from './kernel.js';
import { cookieConnection, isSynCookie, synAtListener } from './listeners.js';
import { connectionKey, type Socket } from './socket.js';
import { endForNewSyn, inflate, shrinkIfIdle, synReopens } from './timeWait.js';
import { SLOT_DATA_RTO, SLOT_SYN_RTO, armTimer, disarmTimer } from './timers.js';
import type { StateCause } from './trace.js';
import { applyColumn, wakeWaiter } from './transitions.js';
import { dropped, freeSpace, put, sendSegment, transmit } from './wire.js';

const S = Object.fromEntries(TCP_STATES.map((s, i) => [s, i])) as Record<(typeof TCP_STATES)[number], number>;

/**
 * A host's kernel receives one segment at a time, each taking the profile's rxCost: a segment
 * that arrives while earlier ones are still being handled waits its turn (once: its place is
 * reserved). Without it, a burst of segments arriving in one instant would all be handled
 * before any program runs, which no kernel on a machine with another core does. Returns true
 * when the segment must wait.
 */
export function waitForReceiver(k: Kernel, item: DeliverItem): boolean {
  const cost = k.profile.rxCost;
  if (cost === 0 || item.reserved) return false;
  const host = k.hosts[item.host]!;
  if (host.busyUntil <= k.now) {
    host.busyUntil = k.now + cost;
    return false;
  }
  item.reserved = true;
  k.queue.push(host.busyUntil, item, RECEIVE_LANE);
  host.busyUntil += cost;
  return true;
}

/** Segment `segment` arrives at host `hostIndex`. */
export function deliver(k: Kernel, hostIndex: number, segment: Segment, segmentId: number, conn: number): void {
  const host = k.hosts[hostIndex]!;
  let found = host.sockets.get(connectionKey(segment.dst.port, segment.src));
  if (found !== undefined && synReopens(k, hostIndex, found, segment)) {
    endForNewSyn(k, found, k.tracer.on ? { by: 'segment', segmentId } : UNTRACED_CAUSE);
    found = undefined;
  }
  let sock = typeof found === 'number' ? inflate(k, found) : found;
  if (!sock) {
    const listener = host.listeners.get(segment.dst.port);
    const flags = segment.flags;
    if (listener === undefined || flags & RST) return noSocket(k, segment, segmentId, conn);
    if (flags & SYN && !(flags & ACK)) {
      const child = synAtListener(k, hostIndex, listener, segment, segmentId, conn);
      if (child === null) return;
      sock = child;
    } else if (!(flags & SYN) && flags & ACK && isSynCookie(k, listener, segment)) {
      // the ACK of a cookie SYN,ACK rebuilds the connection, unless the accept queue is full (Linux cookie_v4_check)
      if (listener.acceptQueue!.length > listener.backlog) {
        k.listenOverflows++;
        return dropped(k, segmentId, 'backlog-full', conn);
      }
      sock = cookieConnection(k, hostIndex, listener, segment, segmentId, conn);
    } else return noSocket(k, segment, segmentId, conn);
  } else if (sock.listener && k.rfcState(sock) === S.SYN_RECEIVED && !(segment.flags & RST) && segment.flags & ACK) {
    // accept queue full when the handshake completes: Linux drops the ACK and keeps the
    // half-open connection, whose SYN,ACK retransmissions (or the client's data) try again
    // (tcp_v4_syn_recv_sock: exit_overflow; tcp_abort_on_overflow=0)
    if (sock.listener.acceptQueue!.length > sock.listener.backlog) {
      k.listenOverflows++;
      return dropped(k, segmentId, 'backlog-full', conn);
    }
  }
  if (k.tracer.on) k.tracer.record({ kind: 'deliver', at: k.now, segmentId, socket: sock.id }, conn);
  if (unacceptableInSynSent(k, sock, segment)) return resetBadAck(k, sock, segment, conn);
  // keepalive counts idle time from the last segment received, and any ACK answers its probes (Linux tcp_ack: rcv_tstamp, icsk_probes_out)
  sock.lastReceived = k.now;
  if (segment.flags & ACK) sock.keepaliveProbes = 0;
  const peerWindowWas = sock.tcb.sndWnd;
  const arrival = k.arrival;
  classifyInto(sock.tcb, TCP_STATES[k.rfcState(sock)]!, segment, freeSpace(k, sock), arrival);
  const data = arrival.data;
  const events = arrival.events;
  const count = arrival.count;
  if (data.length > 0) sock.rcvBuf += data;
  // the peer's window opened: send what waited behind it now (RFC 9293 §3.8.6.1), not at the next RTO
  if (sock.probes !== 0 && sock.tcb.sndWnd > 0) sock.probes = 0;
  if (peerWindowWas === 0 && sock.tcb.sndWnd > 0 && hasOutstanding(sock.tcb) && k.rfcState(sock) !== S.CLOSED) {
    for (const out of outstanding(sock.tcb)) transmit(k, sock, out, true);
  }
  if (arrival.advanced) {
    // a half-open connection's retries count its SYN,ACK timeouts (Linux req->num_timeout), which
    // tell the SYN queue whether it leaves young or old: changed() reads them, then resets them
    if (k.rfcState(sock) !== S.SYN_RECEIVED) sock.retries = 0;
    if (sock.dataRtoTimer !== 0) {
      disarmTimer(sock, SLOT_DATA_RTO);
      if (hasOutstanding(sock.tcb)) armTimer(k, sock, SLOT_DATA_RTO);
    }
  }
  // the cause only feeds the trace: no object per segment when nobody records
  const cause: StateCause = k.tracer.on ? { by: 'segment', segmentId } : UNTRACED_CAUSE;
  k.deferAcks = true;
  k.ackOwed = null;
  for (let i = 0; i < count; i++) {
    applyColumn(k, sock, events[i]!, cause);
    if (k.rfcState(sock) === S.CLOSED) break;
  }
  k.deferAcks = false;
  const owed = k.ackOwed as Socket | null;
  k.ackOwed = null;
  if (owed && k.rfcState(owed) !== S.CLOSED) sendSegment(k, owed, owed.tcb.sndNxt, owed.tcb.rcvNxt, ACK, '', false);
  if (data.length > 0) wakeWaiter(k, sock);
  shrinkIfIdle(k, sock);
}

/**
 * In SYN_SENT, an ACK that does not acknowledge our SYN (SEG.ACK ≠ ISS + 1), without RST: it
 * belongs to another connection on the same ports — a TIME_WAIT answering our SYN with its own
 * ACK, say (RFC 9293 §3.10.7.3, first check; Linux tcp_rcv_synsent_state_process, reset_and_undo).
 */
function unacceptableInSynSent(k: Kernel, sock: Socket, segment: Segment): boolean {
  return k.rfcState(sock) === S.SYN_SENT && (segment.flags & (ACK | RST)) === ACK && segment.ack !== sock.tcb.sndNxt;
}

/**
 * ... which is answered with <SEQ=SEG.ACK><CTL=RST> and discarded; the connection attempt goes
 * on, and on linux a SYN not yet retransmitted goes again two ticks later (TCP_TIMEOUT_MIN).
 */
function resetBadAck(k: Kernel, sock: Socket, segment: Segment, conn: number): void {
  put(k, sock.id, { src: segment.dst, dst: segment.src, seq: segment.ack, ack: 0, flags: RST, payload: '' }, conn, false);
  if (k.profile.synRetryAfterBadAck && sock.retries === 0) armTimer(k, sock, SLOT_SYN_RTO, (TCP_TIMEOUT_MIN_TICKS * 1_000_000) / (k.profile.hz ?? 250));
}

/** Linux's TCP_TIMEOUT_MIN, in timer ticks (2 jiffies: 8 ms at HZ 250, the tick `hz: exact` assumes). */
const TCP_TIMEOUT_MIN_TICKS = 2;

/** No socket for the segment: answer with RST unless it is one (RFC 9293 §3.10.7.1). */
function noSocket(k: Kernel, segment: Segment, segmentId: number, conn: number): void {
  k.tracer.record({ kind: 'deliver', at: k.now, segmentId, socket: null }, conn);
  if (segment.flags & RST) return;
  const reply: Segment =
    segment.flags & ACK
      ? { src: segment.dst, dst: segment.src, seq: segment.ack, ack: 0, flags: RST, payload: '' }
      : { src: segment.dst, dst: segment.src, seq: 0, ack: seqAdd(segment.seq, segmentLength(segment)), flags: RST | ACK, payload: '' };
  put(k, -1, reply, conn, false);
}
