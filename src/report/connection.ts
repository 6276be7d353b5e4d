/**
 * One connection's slice of a trace: its two sockets, named Peer A and Peer B as in the RFC
 * figures, and the events that concern them in trace order.
 */
import type { Endpoint, Segment } from '../model/segment.js';
import type { SocketInfo, Trace, TraceEvent } from '../sim/trace.js';

/** Which end of the connection an event concerns: Peer A (left) or Peer B (right). */
export type Side = 'A' | 'B';

/** The two ends of connection `conn` and the events about them, in trace order. */
export interface ConnectionView {
  readonly conn: number;
  readonly a: SocketInfo;
  readonly b: SocketInfo;
  readonly events: readonly TraceEvent[];
  /** Side of a socket id of this connection, or undefined for any other socket. */
  sideOfSocket(socket: number | null): Side | undefined;
  /** Side that sent `segment` (matched by source endpoint). */
  sideOfSegment(segment: Segment): Side | undefined;
}

function sameEndpoint(x: Endpoint, y: Endpoint): boolean {
  return x.addr === y.addr && x.port === y.port;
}

/**
 * The view of connection `conn`; Peer A is the socket whose role is `peerA` (default the client).
 * Segments are attributed by socket id or, for segments sent by no socket of the connection
 * (a RST from a host with no matching socket), by their 4-tuple.
 */
export function connectionView(trace: Trace, conn: number, peerA: 'client' | 'server' = 'client'): ConnectionView {
  const ends = trace.sockets.filter((s) => s.conn === conn && s.role !== 'listener');
  const a = ends.find((s) => s.role === peerA);
  const b = ends.find((s) => s !== a);
  if (a === undefined || b === undefined) {
    throw new RangeError(`trace has no connection ${conn} with a ${peerA} and a peer (found ${ends.length} sockets)`);
  }
  const sideOfSocket = (socket: number | null): Side | undefined =>
    socket === a.id ? 'A' : socket === b.id ? 'B' : undefined;
  const sideOfSegment = (segment: Segment): Side | undefined => {
    if (sameEndpoint(segment.src, a.local) && sameEndpoint(segment.dst, b.local)) return 'A';
    if (sameEndpoint(segment.src, b.local) && sameEndpoint(segment.dst, a.local)) return 'B';
    return undefined;
  };
  const segmentIds = new Set<number>();
  const events: TraceEvent[] = [];
  for (const event of trace.events) {
    switch (event.kind) {
      case 'send':
        if (sideOfSocket(event.socket) !== undefined || sideOfSegment(event.segment) !== undefined) {
          segmentIds.add(event.segmentId);
          events.push(event);
        }
        break;
      case 'deliver':
      case 'drop':
        if (segmentIds.has(event.segmentId)) events.push(event);
        break;
      case 'state':
      case 'timer':
        if (sideOfSocket(event.socket) !== undefined) events.push(event);
        break;
      case 'call':
      case 'error':
        if (sideOfSocket(event.socket) !== undefined) events.push(event);
        break;
    }
  }
  return { conn, a, b, events, sideOfSocket, sideOfSegment };
}
