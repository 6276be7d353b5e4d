/**
 * Segment classification: a segment plus the TCB become the abstract events the state table
 * understands (ACK_OF_FIN, FIN, FIN_ACK_OF_FIN, ...). All guards on numbers live here, so the
 * xstate machine stays a graph of names. Follows the order of RFC 9293 §3.10.7.4: sequence
 * check, RST, SYN, ACK, text, FIN. Updates the TCB's receive and acknowledgement bookkeeping.
 */
import type { EndpointEvent } from './endpointMachine.js';
import { ACK, FIN, RST, SYN, type Segment } from './segment.js';
import { seqAdd, seqDiff, seqLe } from './seq.js';
import type { TcpState } from './states.js';
import { acknowledge, learnPeerSyn, type Tcb } from './tcb.js';

/** What an arriving segment means for the endpoint. */
export interface Arrival {
  /** Events for the table, in processing order. */
  readonly events: readonly EndpointEvent[];
  /** New in-order payload for the receive buffer. */
  readonly data: string;
  /** SND.UNA advanced: something we sent was newly acknowledged. */
  readonly advanced: boolean;
}

const NOTHING: Arrival = { events: [], data: '', advanced: false };
const RST_ONLY: Arrival = { events: ['RST'], data: '', advanced: false };

/** How far past RCV.NXT a RST may start and still be believed (RFC 9293 §3.10.7.4, in-window). */
export const RST_WINDOW = 1 << 20;

/**
 * Classifies `segment` arriving at an endpoint in `state`, updating `tcb`. `rcvSpace` is the
 * free room in the receive buffer (RCV.WND): data beyond it is not accepted, and neither is a
 * FIN queued behind that data.
 */
export function classify(tcb: Tcb, state: TcpState, segment: Segment, rcvSpace = Infinity): Arrival {
  const { flags, seq, ack, payload } = segment;
  switch (state) {
    case 'CLOSED':
      return NOTHING;
    case 'LISTEN':
      // LISTEN: RST ignored, ACK would get a RST from the kernel, SYN opens (RFC 9293 §3.10.7.2)
      if (flags & SYN && !(flags & (ACK | RST))) {
        learnPeerSyn(tcb, seq);
        return { events: ['SYN'], data: '', advanced: false };
      }
      return NOTHING;
    case 'SYN_SENT': {
      // SYN_SENT: a RST is acceptable only if it acknowledges our SYN (RFC 9293 §3.10.7.3)
      const ackOk = (flags & ACK) !== 0 && ack === tcb.sndNxt;
      if (flags & RST) return ackOk ? RST_ONLY : NOTHING;
      if (!(flags & SYN)) return NOTHING;
      learnPeerSyn(tcb, seq);
      if (ackOk) {
        acknowledge(tcb, ack);
        return { events: ['SYN_ACK'], data: '', advanced: true };
      }
      return { events: ['SYN'], data: '', advanced: false };
    }
    default:
      return classifySynchronized(tcb, state, segment, rcvSpace);
  }
}

function classifySynchronized(tcb: Tcb, state: TcpState, segment: Segment, rcvSpace: number): Arrival {
  const { flags, ack, payload } = segment;
  // A SYN occupies the first sequence number; the text starts after it.
  const seq = flags & SYN ? seqAdd(segment.seq, 1) : segment.seq;

  if (flags & RST) {
    // RST acceptable when it starts inside the receive window (RFC 9293 §3.10.7.4, first/second check)
    const offset = seqDiff(tcb.rcvNxt, seq);
    return offset >= 0 && offset < RST_WINDOW ? RST_ONLY : NOTHING;
  }

  const events: EndpointEvent[] = [];
  let advanced = false;
  let ackOfFin = false;
  if (flags & ACK) {
    const finWasOutstanding = tcb.finSeq >= 0 && seqLe(tcb.sndUna, tcb.finSeq);
    advanced = acknowledge(tcb, ack);
    // every acceptable ACK carries the peer's window (RFC 9293 §3.10.7.4, fifth check: update SND.WND)
    if (segment.window !== undefined) tcb.sndWnd = segment.window;
    if (advanced) {
      // the ACK covers our SYN: the handshake completes (RFC 9293 §3.10.7.4, fifth check, SYN-RECEIVED)
      if (state === 'SYN_RECEIVED') events.push('ACK_OF_SYN');
      // the ACK covers our FIN (RFC 9293 §3.10.7.4, fifth check, FIN-WAIT-1 / CLOSING / LAST-ACK)
      ackOfFin = finWasOutstanding && ack === seqAdd(tcb.finSeq, 1);
    }
  }
  if (state === 'SYN_RECEIVED' && events.length === 0) return { events, data: '', advanced };
  if (flags & SYN) {
    // a retransmitted SYN or SYN,ACK in a synchronized state: answer with an ACK
    if (!advanced) return { events: ['STRAY'], data: '', advanced };
  }

  let data = '';
  let stray = false;
  let fin = false;
  let truncated = false;
  if (payload.length > 0) {
    const offset = seqDiff(seq, tcb.rcvNxt); // bytes of this segment already received
    const room = Math.min(payload.length - offset, rcvSpace);
    if (!tcb.finReceived && offset >= 0 && offset < payload.length && room > 0) {
      // take what fits in the receive window; the rest waits for the window to open (RFC 9293 §3.8.6)
      truncated = room < payload.length - offset;
      data = offset === 0 && !truncated ? payload : payload.slice(offset, offset + room);
      tcb.rcvNxt = seqAdd(tcb.rcvNxt, data.length);
    } else {
      // duplicate, beyond a gap, or no room: not acceptable, re-ACK (RFC 9293 §3.10.7.4, first check)
      stray = true;
    }
  }
  if (flags & FIN && !stray && !truncated) {
    const finAt = seqAdd(seq, payload.length);
    if (!tcb.finReceived && finAt === tcb.rcvNxt) {
      tcb.rcvNxt = seqAdd(tcb.rcvNxt, 1);
      tcb.finReceived = true;
      fin = true;
    } else if (tcb.finReceived && seqAdd(finAt, 1) === tcb.rcvNxt) {
      // the peer's FIN again: our ACK of it was lost (RFC 9293 §3.10.7.4, eighth check)
      fin = true;
    } else {
      stray = true;
    }
  }

  if (ackOfFin && fin && data.length === 0) events.push('FIN_ACK_OF_FIN');
  else {
    if (ackOfFin) events.push('ACK_OF_FIN');
    if (data.length > 0) events.push('DATA');
    if (fin) events.push('FIN');
  }
  if (stray) events.push('STRAY');
  return { events, data, advanced };
}
