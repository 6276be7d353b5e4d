/**
 * TIME_WAIT in small form: a socket in TIME_WAIT that nobody holds gives way to a
 * TimeWaitSocket in its host's table (as Linux's inet_timewait_sock), and the full socket comes
 * back when a segment arrives or an expiry needs more than a state change.
 */
import { seqAdd } from '../model/seq.js';
import { TCP_STATES } from '../model/states.js';
import type { Kernel } from './kernel.js';
import { Socket, TimeWaitSocket, connectionKey } from './socket.js';

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
