/**
 * Relative sequence numbers, Wireshark's convention: each direction counts from its initial
 * sequence number (ISN), so a SYN has relative seq 0 and the first data byte or FIN after it 1.
 * Without a SYN in the trace the ISN is taken as one below the first sequence number seen.
 */
import { SYN, ACK } from '../model/segment.js';
import type { Segment } from '../model/segment.js';
import type { Side } from './connection.js';

/** Sequence and acknowledgment numbers as a reporter prints them. */
export interface ShownNumbers {
  readonly seq: number;
  readonly ack: number;
}

/** Maps a segment sent by a side to the numbers to print. */
export type SeqMapper = (segment: Segment, sender: Side) => ShownNumbers;

const MOD = 2 ** 32;

function minus(x: number, base: number): number {
  return (((x - base) % MOD) + MOD) % MOD; // 32-bit wrap-around (RFC 9293 §3.4)
}

/** The identity mapping: numbers as they are on the wire. */
export const absoluteSeq: SeqMapper = (segment) => ({ seq: segment.seq, ack: segment.ack });

/** A mapper printing each side's numbers relative to its ISN, inferred from `segments` (in trace order). */
export function relativeSeq(segments: readonly { readonly segment: Segment; readonly sender: Side }[]): SeqMapper {
  const isn: Partial<Record<Side, number>> = {};
  const other = (side: Side): Side => (side === 'A' ? 'B' : 'A');
  for (const { segment, sender } of segments) {
    if (segment.flags & SYN) isn[sender] = segment.seq;
  }
  for (const { segment, sender } of segments) {
    isn[sender] ??= minus(segment.seq, 1);
    if (segment.flags & ACK) isn[other(sender)] ??= minus(segment.ack, 1);
  }
  return (segment, sender) => ({
    seq: minus(segment.seq, isn[sender] ?? 0),
    ack: segment.flags & ACK ? minus(segment.ack, isn[other(sender)] ?? 0) : 0,
  });
}
