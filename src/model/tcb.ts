/**
 * The transmission control block's sequence bookkeeping (RFC 9293 §3.3.1): send and receive
 * sequence variables and the retransmission queue. The state lives in the table; the numbers
 * live here. Mutated in place by the engine for speed; no clock, no I/O.
 */
import { ACK, FIN, SYN } from './segment.js';
import { seqAdd, seqLe, seqLt } from './seq.js';

/** A sent segment that occupies sequence space and is not yet acknowledged. */
export interface Unacked {
  readonly seq: number;
  readonly flags: number;
  readonly payload: string;
}

/** Send/receive sequence variables of one connection. */
export interface Tcb {
  /** Initial send sequence number. */
  iss: number;
  /** Oldest unacknowledged sequence number. */
  sndUna: number;
  /** Next sequence number to send. */
  sndNxt: number;
  /** Initial receive sequence number (the peer's ISN), once known. */
  irs: number;
  /** Next sequence number expected from the peer. */
  rcvNxt: number;
  /** Sequence number our FIN occupies, or -1 before we send one. */
  finSeq: number;
  /** The peer's SYN has been received (IRS and RCV.NXT are set). */
  synced: boolean;
  /** The peer's FIN has been received in order. */
  finReceived: boolean;
  /** The peer's last advertised receive window (SND.WND); Infinity until it says otherwise. */
  sndWnd: number;
  /** Sent, unacknowledged segments, oldest first; null when empty (saves memory at scale). */
  unacked: Unacked[] | null;
}

/** A fresh TCB whose first sequence number will be `iss`. */
export function createTcb(iss: number): Tcb {
  return { iss, sndUna: iss, sndNxt: iss, irs: 0, rcvNxt: 0, finSeq: -1, synced: false, finReceived: false, sndWnd: Infinity, unacked: null };
}

/** Header fields of a segment about to be sent. */
export interface Outgoing {
  readonly seq: number;
  readonly ack: number;
  readonly flags: number;
  readonly payload: string;
}

/**
 * Takes sequence space for a new segment (SYN, FIN and data advance SND.NXT; RFC 9293 §3.4)
 * and queues it for retransmission. Every segment but the first SYN carries ACK = RCV.NXT.
 */
export function emit(tcb: Tcb, flags: number, payload = ''): Outgoing {
  const seq = takeSequence(tcb, flags, payload);
  const withAck = tcb.synced ? flags | ACK : flags;
  return { seq, ack: withAck & ACK ? tcb.rcvNxt : 0, flags: withAck, payload };
}

/**
 * emit()'s bookkeeping without the Outgoing object (the engine's hot path): takes the sequence
 * space and queues the segment for retransmission; returns its SEQ. The segment carries
 * `tcb.synced ? flags | ACK : flags`, and ACK = RCV.NXT when that has ACK set, else 0.
 */
export function takeSequence(tcb: Tcb, flags: number, payload: string): number {
  const seq = tcb.sndNxt;
  const length = payload.length + (flags & SYN ? 1 : 0) + (flags & FIN ? 1 : 0);
  if (flags & FIN) tcb.finSeq = seqAdd(seq, payload.length);
  if (length > 0) {
    tcb.sndNxt = seqAdd(seq, length);
    const entry: Unacked = { seq, flags, payload };
    if (tcb.unacked === null) tcb.unacked = [entry];
    else tcb.unacked.push(entry);
  }
  return seq;
}

/** The segments to send again, oldest first, with today's acknowledgement number (go-back-N). */
export function outstanding(tcb: Tcb): Outgoing[] {
  if (!tcb.unacked) return [];
  const synced = tcb.synced;
  return tcb.unacked.map((u) => ({
    seq: u.seq,
    ack: synced ? tcb.rcvNxt : 0,
    flags: synced ? u.flags | ACK : u.flags,
    payload: u.payload,
  }));
}

/** Whether anything sent is still unacknowledged. */
export function hasOutstanding(tcb: Tcb): boolean {
  return tcb.unacked !== null;
}

/** Records the peer's SYN: IRS and RCV.NXT = IRS + 1 (RFC 9293 §3.10.7.2). */
export function learnPeerSyn(tcb: Tcb, seq: number): void {
  tcb.irs = seq;
  tcb.rcvNxt = seqAdd(seq, 1);
  tcb.synced = true;
}

/**
 * Processes an acknowledgement number: advances SND.UNA and drops what it covers from the
 * retransmission queue. Returns true when SND.UNA moved (RFC 9293 §3.10.7.4, fifth check).
 */
export function acknowledge(tcb: Tcb, ack: number): boolean {
  if (!(seqLt(tcb.sndUna, ack) && seqLe(ack, tcb.sndNxt))) return false;
  tcb.sndUna = ack;
  const queue = tcb.unacked;
  if (queue) {
    let keep = 0;
    while (keep < queue.length) {
      const u = queue[keep]!;
      const end = seqAdd(u.seq, u.payload.length + (u.flags & SYN ? 1 : 0) + (u.flags & FIN ? 1 : 0));
      if (!seqLe(end, ack)) break;
      keep++;
    }
    if (keep === queue.length) tcb.unacked = null;
    else if (keep > 0) tcb.unacked = queue.slice(keep);
  }
  return true;
}
