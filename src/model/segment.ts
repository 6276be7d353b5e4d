/**
 * A TCP segment as the model sends it: the header fields the close handshake needs, and the
 * payload as text (one character is one byte; tcpsim's programs write ASCII).
 */

/** TCP control bits, as in the header (RFC 9293 §3.1). */
export const FIN = 0x01;
export const SYN = 0x02;
export const RST = 0x04;
export const PSH = 0x08;
export const ACK = 0x10;

/** An IPv4 address and port. */
export interface Endpoint {
  readonly addr: string;
  readonly port: number;
}

/** One TCP segment on the wire. Sequence numbers are 32-bit unsigned (RFC 9293 §3.4). */
export interface Segment {
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly seq: number;
  readonly ack: number;
  /** Bitwise OR of FIN, SYN, RST, PSH, ACK. */
  readonly flags: number;
  /** Payload bytes; `payload.length` is the segment length excluding SYN/FIN. */
  readonly payload: string;
  /** Advertised receive window in bytes (RFC 9293 §3.8.6); absent means "not limited". */
  readonly window?: number;
}

/** The control bits of `flags` as RFC 9293 writes them: `SYN,ACK`, `FIN,ACK`, `RST`. */
export function ctlText(flags: number): string {
  const names: string[] = [];
  if (flags & SYN) names.push('SYN');
  if (flags & FIN) names.push('FIN');
  if (flags & RST) names.push('RST');
  if (flags & PSH) names.push('PSH');
  if (flags & ACK) names.push('ACK');
  return names.join(',');
}

/** Sequence space a segment occupies: payload plus one for each of SYN and FIN (RFC 9293 §3.4). */
export function segmentLength(segment: Pick<Segment, 'flags' | 'payload'>): number {
  return segment.payload.length + (segment.flags & SYN ? 1 : 0) + (segment.flags & FIN ? 1 : 0);
}
