/**
 * The wire: segments a socket sends (new sequence space, retransmissions, bare ACKs and RSTs),
 * the window each advertises, and their way to the destination host — lost, delayed, duplicated
 * by the network, or held for a manual-network caller.
 */
import { ACK, type Segment } from '../model/segment.js';
import { takeSequence, type Outgoing } from '../model/tcb.js';
import { DeliverItem } from './agenda.js';
import type { Kernel } from './kernel.js';
import type { Socket } from './socket.js';
import { SLOT_DEL_ACK, disarmTimer } from './timers.js';
import type { DropReason } from './trace.js';

/** Sends a queued segment again (or for the first time, from the retransmission queue). */
export function transmit(k: Kernel, sock: Socket, out: Outgoing, retransmission: boolean): void {
  sendSegment(k, sock, out.seq, out.ack, out.flags, out.payload, retransmission);
}

/** tcb.ts emit() straight into a Segment (no Outgoing object): new sequence space, then the wire. */
export function emit(k: Kernel, sock: Socket, flags: number, payload: string): void {
  const tcb = sock.tcb;
  const seq = takeSequence(tcb, flags, payload);
  const withAck = tcb.synced ? flags | ACK : flags;
  sendSegment(k, sock, seq, withAck & ACK ? tcb.rcvNxt : 0, withAck, payload, false);
}

/** A segment from `sock` with these header fields, advertising its receive window. */
export function sendSegment(k: Kernel, sock: Socket, seq: number, ack: number, flags: number, payload: string, retransmission: boolean): void {
  // any segment carrying the ACK makes a delayed one unnecessary (Linux tcp_event_ack_sent)
  if (sock.delAckTimer !== 0 && flags & ACK) disarmTimer(sock, SLOT_DEL_ACK);
  const segment: Segment = { src: sock.local, dst: sock.remote, seq, ack, flags, payload, window: freeSpace(k, sock) };
  put(k, sock.id, segment, sock.conn, retransmission);
}

/** Room left in the socket's receive buffer: the window it advertises (RFC 9293 §3.8.6). */
export function freeSpace(k: Kernel, sock: Socket): number {
  return Math.max(0, k.profile.rcvBuf - sock.rcvBuf.length);
}

/** Puts `segment` (sent by socket `socketId`, -1 for the kernel itself) on the network. */
export function put(k: Kernel, socketId: number, segment: Segment, conn: number, retransmission: boolean): void {
  const segmentId = k.nextSegmentId++;
  // the event object only when a trace is recorded
  if (k.tracer.on) k.tracer.record({ kind: 'send', at: k.now, socket: socketId, segmentId, segment, retransmission }, conn);
  const host = k.hostByAddress.get(segment.dst.addr);
  if (host === undefined) {
    k.tracer.record({ kind: 'drop', at: k.now, segmentId, reason: 'link-down' }, conn);
    return;
  }
  if (k.manual) {
    k.held.push({ segmentId, segment, host, conn });
    return;
  }
  const fate = k.network.fate(segment, k.now);
  if (fate.lost) {
    k.tracer.record({ kind: 'drop', at: k.now, segmentId, reason: 'loss' }, conn);
    return;
  }
  const delays = fate.delays;
  for (let i = 0; i < delays.length; i++) k.queue.push(k.now + delays[i]!, new DeliverItem(host, segment, segmentId, conn));
}

/** Records that segment `segmentId` was discarded on arrival. */
export function dropped(k: Kernel, segmentId: number, reason: DropReason, conn: number): void {
  k.tracer.record({ kind: 'drop', at: k.now, segmentId, reason }, conn);
}
