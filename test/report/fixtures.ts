/**
 * Hand-made traces for the reporters, written event by event the way the engine will emit them:
 * RFC 9293 Figure 12 (normal close) and Figure 13 (simultaneous close) with the RFC's sequence
 * numbers (A's next sequence number 100, B's 300), plus variants with a handshake, loss and RST.
 */
import { ACK, FIN, RST, SYN } from '../../src/model/segment.js';
import type { Endpoint, Segment } from '../../src/model/segment.js';
import type { TcpState } from '../../src/model/states.js';
import type { AppCall, DropReason, Errno, SocketInfo, StateCause, Trace, TraceEvent } from '../../src/sim/trace.js';

export const CLIENT: Endpoint = { addr: '10.0.0.1', port: 40000 };
export const SERVER: Endpoint = { addr: '10.0.0.2', port: 8080 };

/** Socket ids used by every fixture: 1 = client (Peer A), 2 = accepted server socket, 3 = listener. */
export const A = 1;
export const B = 2;
export const LISTENER = 3;

const SOCKETS: readonly SocketInfo[] = [
  { id: A, host: 'client', process: 'client', local: CLIENT, remote: SERVER, conn: 0, role: 'client' },
  { id: B, host: 'server', process: 'server', local: SERVER, remote: CLIENT, conn: 0, role: 'server' },
  { id: LISTENER, host: 'server', process: 'server', local: SERVER, remote: { addr: '0.0.0.0', port: 0 }, conn: -1, role: 'listener' },
];

/** One-way link latency in the fixtures: 10 ms. */
export const LATENCY = 10_000;
/** RFC 9293 2MSL: 4 minutes. */
export const TWO_MSL = 240_000_000;

/** Appends trace events in order; segment ids are handed out by `send`. */
export class TraceBuilder {
  readonly events: TraceEvent[] = [];
  private nextSegmentId = 1;

  call(at: number, socket: number, call: AppCall, result = '0'): this {
    this.events.push({ kind: 'call', at, process: socket === A ? 'client' : 'server', socket, call, result });
    return this;
  }

  state(at: number, socket: number, from: TcpState, to: TcpState, cause: StateCause): this {
    this.events.push({ kind: 'state', at, socket, from, to, cause });
    return this;
  }

  /** Sends a segment from `socket` (A sends client→server, anything else server→client); returns its id. */
  send(at: number, socket: number, flags: number, seq: number, ack: number, payload = '', retransmission = false): number {
    const segmentId = this.nextSegmentId++;
    const [src, dst] = socket === A ? [CLIENT, SERVER] : [SERVER, CLIENT];
    const segment: Segment = { src, dst, seq, ack, flags, payload };
    this.events.push({ kind: 'send', at, socket, segmentId, segment, retransmission });
    return segmentId;
  }

  deliver(at: number, segmentId: number, socket: number | null): this {
    this.events.push({ kind: 'deliver', at, segmentId, socket });
    return this;
  }

  drop(at: number, segmentId: number, reason: DropReason = 'loss'): this {
    this.events.push({ kind: 'drop', at, segmentId, reason });
    return this;
  }

  timer(at: number, socket: number, timer: string): this {
    this.events.push({ kind: 'timer', at, socket, timer });
    return this;
  }

  error(at: number, socket: number, errno: Errno): this {
    this.events.push({ kind: 'error', at, process: socket === A ? 'client' : 'server', socket, errno });
    return this;
  }

  trace(): Trace {
    return { sockets: SOCKETS, events: [...this.events] };
  }
}

const byCall = (call: AppCall): StateCause => ({ by: 'call', call });
const bySegment = (segmentId: number): StateCause => ({ by: 'segment', segmentId });
const byTimer = (timer: string): StateCause => ({ by: 'timer', timer });

/** RFC 9293 Figure 12: A closes first, B acknowledges, B closes 5 s later, A waits 2 MSL. */
export function normalClose(t = new TraceBuilder(), start = 0): Trace {
  const L = LATENCY;
  t.call(start, A, 'close').state(start, A, 'ESTABLISHED', 'FIN_WAIT_1', byCall('close'));
  const finA = t.send(start, A, FIN | ACK, 100, 300);
  t.deliver(start + L, finA, B).state(start + L, B, 'ESTABLISHED', 'CLOSE_WAIT', bySegment(finA));
  const ackB = t.send(start + L, B, ACK, 300, 101);
  t.deliver(start + 2 * L, ackB, A).state(start + 2 * L, A, 'FIN_WAIT_1', 'FIN_WAIT_2', bySegment(ackB));
  const closeB = start + 5_000_000;
  t.call(closeB, B, 'close').state(closeB, B, 'CLOSE_WAIT', 'LAST_ACK', byCall('close'));
  const finB = t.send(closeB, B, FIN | ACK, 300, 101);
  t.deliver(closeB + L, finB, A).state(closeB + L, A, 'FIN_WAIT_2', 'TIME_WAIT', bySegment(finB));
  const ackA = t.send(closeB + L, A, ACK, 101, 301);
  t.deliver(closeB + 2 * L, ackA, B).state(closeB + 2 * L, B, 'LAST_ACK', 'CLOSED', bySegment(ackA));
  const expiry = closeB + L + TWO_MSL;
  t.timer(expiry, A, 'twoMsl').state(expiry, A, 'TIME_WAIT', 'CLOSED', byTimer('twoMsl'));
  return t.trace();
}

/**
 * RFC 9293 Figure 13: both close at once, the FINs cross (B's arrives first), both go CLOSING,
 * the ACKs cross, both wait 2 MSL. Events are in the order the figure reads.
 */
export function simultaneousClose(): Trace {
  const t = new TraceBuilder();
  const L = LATENCY;
  t.call(0, A, 'close').state(0, A, 'ESTABLISHED', 'FIN_WAIT_1', byCall('close'));
  const finA = t.send(0, A, FIN | ACK, 100, 300);
  t.call(0, B, 'close').state(0, B, 'ESTABLISHED', 'FIN_WAIT_1', byCall('close'));
  const finB = t.send(0, B, FIN | ACK, 300, 100);
  t.deliver(L, finB, A).state(L, A, 'FIN_WAIT_1', 'CLOSING', bySegment(finB));
  t.deliver(L, finA, B).state(L, B, 'FIN_WAIT_1', 'CLOSING', bySegment(finA));
  const ackA = t.send(L, A, ACK, 101, 301);
  const ackB = t.send(L, B, ACK, 301, 101);
  t.deliver(2 * L, ackB, A).state(2 * L, A, 'CLOSING', 'TIME_WAIT', bySegment(ackB));
  t.deliver(2 * L, ackA, B).state(2 * L, B, 'CLOSING', 'TIME_WAIT', bySegment(ackA));
  const expiry = 2 * L + TWO_MSL;
  t.timer(expiry, A, 'twoMsl').state(expiry, A, 'TIME_WAIT', 'CLOSED', byTimer('twoMsl'));
  t.timer(expiry, B, 'twoMsl').state(expiry, B, 'TIME_WAIT', 'CLOSED', byTimer('twoMsl'));
  return t.trace();
}

/**
 * Simultaneous close in the order a causal engine would log it: each side answers a FIN the moment
 * it arrives, so A's ACK is sent before A's FIN reaches B.
 */
export function simultaneousCloseCausal(): Trace {
  const t = new TraceBuilder();
  const L = LATENCY;
  t.call(0, A, 'close').state(0, A, 'ESTABLISHED', 'FIN_WAIT_1', byCall('close'));
  const finA = t.send(0, A, FIN | ACK, 100, 300);
  t.call(0, B, 'close').state(0, B, 'ESTABLISHED', 'FIN_WAIT_1', byCall('close'));
  const finB = t.send(0, B, FIN | ACK, 300, 100);
  t.deliver(L, finB, A).state(L, A, 'FIN_WAIT_1', 'CLOSING', bySegment(finB));
  const ackA = t.send(L, A, ACK, 101, 301);
  t.deliver(L, finA, B).state(L, B, 'FIN_WAIT_1', 'CLOSING', bySegment(finA));
  const ackB = t.send(L, B, ACK, 301, 101);
  t.deliver(2 * L, ackA, B).state(2 * L, B, 'CLOSING', 'TIME_WAIT', bySegment(ackA));
  t.deliver(2 * L, ackB, A).state(2 * L, A, 'CLOSING', 'TIME_WAIT', bySegment(ackB));
  const expiry = 2 * L + TWO_MSL;
  t.timer(expiry, B, 'twoMsl').state(expiry, B, 'TIME_WAIT', 'CLOSED', byTimer('twoMsl'));
  t.timer(expiry, A, 'twoMsl').state(expiry, A, 'TIME_WAIT', 'CLOSED', byTimer('twoMsl'));
  return t.trace();
}

/**
 * Handshake (client ISN 99, server ISN 299), one request line each way, then Figure 12's close:
 * the close segments carry the same sequence numbers as in the RFC figure (100/300 plus data).
 */
export function handshakeAndNormalClose(): Trace {
  const t = new TraceBuilder();
  const L = LATENCY;
  t.call(0, A, 'connect').state(0, A, 'CLOSED', 'SYN_SENT', byCall('connect'));
  const syn = t.send(0, A, SYN, 99, 0);
  t.deliver(L, syn, LISTENER).state(L, B, 'LISTEN', 'SYN_RECEIVED', bySegment(syn));
  const synAck = t.send(L, B, SYN | ACK, 299, 100);
  t.deliver(2 * L, synAck, A).state(2 * L, A, 'SYN_SENT', 'ESTABLISHED', bySegment(synAck));
  const ack = t.send(2 * L, A, ACK, 100, 300);
  t.deliver(3 * L, ack, B).state(3 * L, B, 'SYN_RECEIVED', 'ESTABLISHED', bySegment(ack));
  return normalClose(t, 1_000_000);
}

/** Figure 12 with B's first FIN lost on the link and retransmitted after an RTO of 200 ms. */
export function normalCloseWithLostFin(): Trace {
  const t = new TraceBuilder();
  const L = LATENCY;
  t.call(0, A, 'close').state(0, A, 'ESTABLISHED', 'FIN_WAIT_1', byCall('close'));
  const finA = t.send(0, A, FIN | ACK, 100, 300);
  t.deliver(L, finA, B).state(L, B, 'ESTABLISHED', 'CLOSE_WAIT', bySegment(finA));
  const ackB = t.send(L, B, ACK, 300, 101);
  t.deliver(2 * L, ackB, A).state(2 * L, A, 'FIN_WAIT_1', 'FIN_WAIT_2', bySegment(ackB));
  t.call(50_000, B, 'close').state(50_000, B, 'CLOSE_WAIT', 'LAST_ACK', byCall('close'));
  const lost = t.send(50_000, B, FIN | ACK, 300, 101);
  t.drop(55_000, lost, 'loss');
  t.timer(250_000, B, 'finRto');
  const finB = t.send(250_000, B, FIN | ACK, 300, 101, '', true);
  t.deliver(250_000 + L, finB, A).state(250_000 + L, A, 'FIN_WAIT_2', 'TIME_WAIT', bySegment(finB));
  const ackA = t.send(250_000 + L, A, ACK, 101, 301);
  t.deliver(250_000 + 2 * L, ackA, B).state(250_000 + 2 * L, B, 'LAST_ACK', 'CLOSED', bySegment(ackA));
  return t.trace();
}

/** The server closes with unread data (RFC 2525 §2.17): it sends RST, both sockets vanish. */
export function resetOnUnreadData(): Trace {
  const t = new TraceBuilder();
  const L = LATENCY;
  const data = t.send(0, A, ACK | 0x08, 100, 300, 'GET / HTTP/1.0\r\n');
  t.deliver(L, data, B);
  t.call(20_000, B, 'close').state(20_000, B, 'ESTABLISHED', 'CLOSED', byCall('close'));
  const rst = t.send(20_000, B, RST | ACK, 300, 116);
  t.deliver(20_000 + L, rst, A).state(20_000 + L, A, 'ESTABLISHED', 'CLOSED', bySegment(rst));
  t.error(20_000 + L, A, 'ECONNRESET');
  return t.trace();
}
