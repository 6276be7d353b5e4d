/**
 * A listener's two queues (Linux inet_connection_sock): the SYN queue of half-open connections,
 * with SYN cookies once it is full, and the accept queue of established ones waiting for
 * accept(). What a SYN and a cookie's ACK do at a listener, and how a connection joins the
 * accept queue.
 */
import { SYNCOOKIE_VALID, synCookie } from '../model/synCookie.js';
import { ACK, SYN, type Segment } from '../model/segment.js';
import { seqAdd } from '../model/seq.js';
import { TCP_STATES } from '../model/states.js';
import type { Kernel } from './kernel.js';
import { Socket, connectionKey } from './socket.js';
import { dropped, put } from './wire.js';

const CLOSED = TCP_STATES.indexOf('CLOSED');
const LISTEN = TCP_STATES.indexOf('LISTEN');
const ESTABLISHED = TCP_STATES.indexOf('ESTABLISHED');

/** A connection completed its handshake at a listener: it joins the accept queue, and a program waiting in accept() wakes. */
export function enqueueAccepted(k: Kernel, sock: Socket): void {
  const listener = sock.listener;
  if (!listener?.acceptQueue) return;
  listener.acceptQueue.push(sock);
  const waiter = listener.acceptWaiter;
  if (waiter) {
    listener.acceptWaiter = null;
    k.queue.push(k.now + k.profile.wakeLatency, waiter);
  }
}

/**
 * A SYN for a listener (Linux tcp_conn_request): a full SYN queue — more half-open
 * connections than the backlog — means a SYN cookie, or a drop without cookies; a full accept
 * queue drops the SYN whatever the SYN queue says, and the client retries. Otherwise a
 * half-open connection joins the SYN queue. Returns it, or null when the SYN got no socket.
 */
export function synAtListener(k: Kernel, hostIndex: number, listener: Socket, segment: Segment, segmentId: number, conn: number): Socket | null {
  let cookie = false;
  // the SYN queue is full past the backlog (inet_csk_reqsk_queue_is_full, `>` since Linux 6.13)
  if (listener.synQueue > listener.backlog) {
    listener.synOverflowAt = k.now;
    if (!k.profile.syncookies) {
      k.synDrops++;
      dropped(k, segmentId, 'syn-queue-full', conn);
      return null;
    }
    cookie = true;
  }
  if (listener.acceptQueue!.length > listener.backlog) {
    k.synDrops++;
    k.listenOverflows++;
    dropped(k, segmentId, 'backlog-full', conn);
    return null;
  }
  if (cookie) {
    k.syncookiesSent++;
    if (k.tracer.on) k.tracer.record({ kind: 'deliver', at: k.now, segmentId, socket: null }, conn);
    const isn = synCookie(listener.local.port, segment.src, segment.seq);
    const reply: Segment = { src: segment.dst, dst: segment.src, seq: isn, ack: seqAdd(segment.seq, 1), flags: SYN | ACK, payload: '', window: k.profile.rcvBuf };
    put(k, -1, reply, conn, false);
    return null;
  }
  // the connection's local address is the one the SYN came to, even on a listener bound to 0.0.0.0
  const sock = k.newSocket(hostIndex, listener.process, segment.dst, segment.src, conn, 'server');
  sock.leaf = k.table.leafIndex('LISTEN');
  k.tally.leave(sock.process, CLOSED);
  k.tally.enter(sock.process, LISTEN);
  sock.listener = listener;
  listener.synQueue++;
  listener.synYoung++;
  k.hosts[hostIndex]!.sockets.set(connectionKey(segment.dst.port, segment.src), sock);
  return sock;
}

/** Whether an ACK at a listener returns one of its SYN cookies, sent in the last 2 minutes (Linux tcp_synq_no_recent_overflow, cookie_v4_check). */
export function isSynCookie(k: Kernel, listener: Socket, segment: Segment): boolean {
  if (!k.profile.syncookies || listener.synOverflowAt < 0 || k.now - listener.synOverflowAt > SYNCOOKIE_VALID) return false;
  const clientIsn = seqAdd(segment.seq, -1);
  return segment.ack === seqAdd(synCookie(listener.local.port, segment.src, clientIsn), 1);
}

/** The connection a valid cookie stands for, ESTABLISHED and in the accept queue (Linux tcp_get_cookie_sock). */
export function cookieConnection(k: Kernel, hostIndex: number, listener: Socket, segment: Segment, segmentId: number, conn: number): Socket {
  const iss = seqAdd(segment.ack, -1);
  const sock = new Socket(k.nextSocketId++, hostIndex, listener.process, segment.dst, segment.src, conn, 'server', iss);
  k.byId[sock.id] = sock;
  if (k.tracer.on) {
    k.tracer.socket({ id: sock.id, host: k.hosts[hostIndex]!.name, process: k.processes[listener.process]!.name, local: segment.dst, remote: segment.src, conn, role: 'server' });
  }
  sock.leaf = k.table.leafIndex('ESTABLISHED');
  k.tally.enter(sock.process, ESTABLISHED);
  const tcb = sock.tcb;
  tcb.sndUna = segment.ack;
  tcb.sndNxt = segment.ack;
  tcb.irs = seqAdd(segment.seq, -1);
  tcb.rcvNxt = segment.seq;
  tcb.synced = true;
  if (k.tracer.wants(conn)) {
    k.tracer.record({ kind: 'state', at: k.now, socket: sock.id, from: 'LISTEN', to: 'ESTABLISHED', cause: { by: 'segment', segmentId } }, conn);
  }
  k.hosts[hostIndex]!.sockets.set(connectionKey(segment.dst.port, segment.src), sock);
  sock.listener = listener;
  enqueueAccepted(k, sock);
  return sock;
}
