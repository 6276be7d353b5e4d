/**
 * TIME_WAIT in small form: a socket in TIME_WAIT that nobody holds gives way to a row of the
 * TIME_WAIT table (timeWaitTable.ts; as Linux's inet_timewait_sock), whose number its host's
 * socket table holds, and the full socket comes back when a segment arrives or an expiry needs
 * more than a state change.
 */
import { EVENT_INDEX } from '../model/compileTable.js';
import { ACK, RST, SYN, type Segment } from '../model/segment.js';
import { seqAdd, seqLt } from '../model/seq.js';
import { TCP_STATES } from '../model/states.js';
import type { Kernel } from './kernel.js';
import { Socket, connectionKey } from './socket.js';
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
  if (sock.synRtoTimer !== 0 || sock.finRtoTimer !== 0 || sock.finWait2Timer !== 0 || sock.dataRtoTimer !== 0) return;
  const tcb = sock.tcb;
  if (tcb.unacked !== null || !tcb.synced || !tcb.finReceived || tcb.sndUna !== tcb.sndNxt || tcb.finSeq !== seqAdd(tcb.sndNxt, -1)) return;
  const host = k.hosts[sock.host]!;
  const key = connectionKey(sock.local.port, sock.remote);
  if (host.sockets.get(key) !== sock) return;
  const row = k.timeWait.add(sock);
  host.sockets.set(key, row);
  k.byId[sock.id] = row;
}

/** The full socket again, in row `row`'s place (a segment arrived, or an expiry needs more than a state change). */
export function inflate(k: Kernel, row: number): Socket {
  const table = k.timeWait;
  const hostIndex = table.host[row]!;
  const host = k.hosts[hostIndex]!;
  const sndNxt = table.sndNxt[row]!;
  const localPort = table.localPort[row]!;
  const remote = table.remote[row]!;
  const sock = new Socket(table.id[row]!, hostIndex, table.process[row]!, { addr: host.address, port: localPort }, remote, table.conn[row]!, table.role(row), sndNxt);
  sock.leaf = table.leaf[row]!;
  sock.eof = true;
  sock.lastReceived = table.lastReceived[row]!;
  const tcb = sock.tcb;
  tcb.sndUna = sndNxt;
  tcb.sndNxt = sndNxt;
  tcb.finSeq = seqAdd(sndNxt, -1);
  tcb.rcvNxt = table.rcvNxt[row]!;
  tcb.synced = true;
  tcb.finReceived = true;
  sock.twoMslTimer = table.twoMsl[row]!;
  table.remove(row);
  host.sockets.set(connectionKey(localPort, remote), sock);
  k.byId[sock.id] = sock;
  return sock;
}

/** Linux's TCP timestamp clock ticks once a millisecond (TCP_TS_HZ). */
const TIMESTAMP_TICK = 1000;

/**
 * Does `segment` open a new connection over `found`, a connection in TIME_WAIT? Only a plain SYN
 * to a port a listener has, newer than the old connection: beyond RCV.NXT, or a timestamp tick
 * after its last segment (Linux tcp_timewait_state_process → TCP_TW_SYN, with timestamps on).
 */
export function synReopens(k: Kernel, hostIndex: number, found: Socket | number, segment: Segment): boolean {
  if (!k.profile.synReopensTimeWait || (segment.flags & (SYN | ACK | RST)) !== SYN) return false;
  const small = typeof found === 'number';
  if (!small && k.table.rfcStateOf[found.leaf] !== TIME_WAIT) return false;
  if (!k.hosts[hostIndex]!.listeners.has(segment.dst.port)) return false;
  const rcvNxt = small ? k.timeWait.rcvNxt[found]! : found.tcb.rcvNxt;
  const lastReceived = small ? k.timeWait.lastReceived[found]! : found.lastReceived;
  return seqLt(rcvNxt, segment.seq) || k.now - lastReceived >= TIMESTAMP_TICK;
}

/**
 * TIME_WAIT ends at once for the new connection's SYN (inet_twsk_deschedule_put): the table's
 * end of TIME_WAIT, caused by the segment, not by the 2MSL timer.
 */
export function endForNewSyn(k: Kernel, found: Socket | number, cause: StateCause): void {
  const sock = typeof found === 'number' ? inflate(k, found) : found;
  applyColumn(k, sock, EVENT_INDEX.TIMEOUT_twoMsl, cause);
}
