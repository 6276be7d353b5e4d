/**
 * TIME_WAIT in small form: a socket in TIME_WAIT that nobody holds gives way to a
 * TimeWaitSocket in its host's table (as Linux's inet_timewait_sock), and the full socket comes
 * back when a segment arrives or an expiry needs more than a state change.
 */
import { EVENT_INDEX } from '../model/compileTable.js';
import { ACK, RST, SYN, type Segment } from '../model/segment.js';
import { seqAdd, seqLt } from '../model/seq.js';
import { TCP_STATES } from '../model/states.js';
import type { Kernel } from './kernel.js';
import { Socket, TimeWaitSocket, connectionKey } from './socket.js';
import type { StateCause } from './trace.js';
import { applyColumn } from './transitions.js';

const TIME_WAIT = TCP_STATES.indexOf('TIME_WAIT');

/**
 * A socket in TIME_WAIT that nobody holds (no fd, not in an accept queue, nothing unread or
 * unacknowledged, no timer but 2MSL) gives way to its small form in the host's table.
 */
export function shrinkIfIdle(k: Kernel, sock: Socket): void {
  if (k.table.rfcStateOf[sock.leaf] !== TIME_WAIT) return;
  if (sock.fd >= 0 || sock.listener !== null || sock.acceptQueue !== null || sock.waiter !== null || sock.rcvBuf !== '' || sock.retries !== 0) return;
  if (sock.synRtoTimer !== null || sock.finRtoTimer !== null || sock.finWait2Timer !== null || sock.dataRtoTimer !== null) return;
  const tcb = sock.tcb;
  if (tcb.unacked !== null || !tcb.synced || !tcb.finReceived || tcb.sndUna !== tcb.sndNxt || tcb.finSeq !== seqAdd(tcb.sndNxt, -1)) return;
  const host = k.hosts[sock.host]!;
  const key = connectionKey(sock.local.port, sock.remote);
  if (host.sockets.get(key) !== sock) return;
  const small = new TimeWaitSocket(sock.id, sock.host, sock.process, sock.leaf, sock.local.port, sock.remote, sock.conn, sock.role, tcb.sndNxt, tcb.rcvNxt);
  small.lastReceived = sock.lastReceived;
  const timer = sock.twoMslTimer;
  if (timer !== null) {
    timer.owner = small;
    small.twoMslTimer = timer;
    sock.twoMslTimer = null;
  }
  host.sockets.set(key, small);
}

/** The full socket again, in the small one's place (a segment arrived, or an expiry needs more than a state change). */
export function inflate(k: Kernel, small: TimeWaitSocket): Socket {
  const host = k.hosts[small.host]!;
  const sndNxt = small.sndNxt >>> 0;
  const sock = new Socket(small.id, small.host, small.process, { addr: host.address, port: small.localPort }, small.remote, small.conn, small.role, sndNxt);
  sock.leaf = small.leaf;
  sock.eof = true;
  sock.lastReceived = small.lastReceived;
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

/** Linux's TCP timestamp clock ticks once a millisecond (TCP_TS_HZ). */
const TIMESTAMP_TICK = 1000;

/**
 * Does `segment` open a new connection over `found`, a connection in TIME_WAIT? Only a plain SYN
 * to a port a listener has, newer than the old connection: beyond RCV.NXT, or a timestamp tick
 * after its last segment (Linux tcp_timewait_state_process → TCP_TW_SYN, with timestamps on).
 */
export function synReopens(k: Kernel, hostIndex: number, found: Socket | TimeWaitSocket, segment: Segment): boolean {
  if (!k.profile.synReopensTimeWait || (segment.flags & (SYN | ACK | RST)) !== SYN) return false;
  const small = found instanceof TimeWaitSocket;
  if (!small && k.table.rfcStateOf[found.leaf] !== TIME_WAIT) return false;
  if (!k.hosts[hostIndex]!.listeners.has(segment.dst.port)) return false;
  const rcvNxt = small ? found.rcvNxt >>> 0 : found.tcb.rcvNxt;
  return seqLt(rcvNxt, segment.seq) || k.now - found.lastReceived >= TIMESTAMP_TICK;
}

/**
 * TIME_WAIT ends at once for the new connection's SYN (inet_twsk_deschedule_put): the table's
 * end of TIME_WAIT, caused by the segment, not by the 2MSL timer.
 */
export function endForNewSyn(k: Kernel, found: Socket | TimeWaitSocket, cause: StateCause): void {
  const sock = found instanceof TimeWaitSocket ? inflate(k, found) : found;
  applyColumn(k, sock, EVENT_INDEX.TIMEOUT_twoMsl, cause);
}
