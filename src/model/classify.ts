/**
 * Segment classification: a segment plus the TCB become the abstract events the state table
 * understands (ACK_OF_FIN, FIN, FIN_ACK_OF_FIN, ...). All guards on numbers live here, so the
 * xstate machine stays a graph of names. Follows the order of RFC 9293 §3.10.7.4: sequence
 * check, RST, SYN, ACK, text, FIN. Updates the TCB's receive and acknowledgement bookkeeping.
 */
import { EVENT_INDEX } from './compileTable.js';
import { ENDPOINT_EVENTS, type EndpointEvent } from './endpointMachine.js';
import { ACK, FIN, RST, SYN, type Segment } from './segment.js';
import { seqAdd, seqDiff, seqLe, seqLt } from './seq.js';
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

/**
 * What an arriving segment means, written into a buffer the caller reuses (the engine's hot
 * path: no object per segment). Events are table columns (EVENT_INDEX), in processing order.
 */
export class ArrivalBuffer {
  /** events[0 … count−1]: columns of the compiled table. */
  readonly events = new Int32Array(8);
  count = 0;
  /** New in-order payload for the receive buffer. */
  data = '';
  /** SND.UNA advanced: something we sent was newly acknowledged. */
  advanced = false;
}

const E_SYN = EVENT_INDEX.SYN;
const E_SYN_ACK = EVENT_INDEX.SYN_ACK;
const E_RST = EVENT_INDEX.RST;
const E_ACK_OF_SYN = EVENT_INDEX.ACK_OF_SYN;
const E_ACK_OF_FIN = EVENT_INDEX.ACK_OF_FIN;
const E_FIN_ACK_OF_FIN = EVENT_INDEX.FIN_ACK_OF_FIN;
const E_DATA = EVENT_INDEX.DATA;
const E_FIN = EVENT_INDEX.FIN;
const E_STRAY = EVENT_INDEX.STRAY;

function set(out: ArrivalBuffer, event: number, advanced: boolean): void {
  out.count = event < 0 ? 0 : 1;
  if (event >= 0) out.events[0] = event;
  out.data = '';
  out.advanced = advanced;
}

/** How far past RCV.NXT a RST may start and still be believed (RFC 9293 §3.10.7.4, in-window). */
export const RST_WINDOW = 1 << 20;

/**
 * Classifies `segment` arriving at an endpoint in `state`, updating `tcb`. `rcvSpace` is the
 * free room in the receive buffer (RCV.WND): data beyond it is not accepted, and neither is a
 * FIN queued behind that data.
 */
export function classify(tcb: Tcb, state: TcpState, segment: Segment, rcvSpace = Infinity): Arrival {
  const out = new ArrivalBuffer();
  classifyInto(tcb, state, segment, rcvSpace, out);
  const events: EndpointEvent[] = [];
  for (let i = 0; i < out.count; i++) events.push(ENDPOINT_EVENTS[out.events[i]!]!);
  return { events, data: out.data, advanced: out.advanced };
}

/** classify(), into a reused buffer. */
export function classifyInto(tcb: Tcb, state: TcpState, segment: Segment, rcvSpace: number, out: ArrivalBuffer): void {
  const { flags, seq, ack } = segment;
  switch (state) {
    case 'CLOSED':
      return set(out, -1, false);
    case 'LISTEN':
      // LISTEN: RST ignored, ACK would get a RST from the kernel, SYN opens (RFC 9293 §3.10.7.2)
      if (flags & SYN && !(flags & (ACK | RST))) {
        learnPeerSyn(tcb, seq);
        return set(out, E_SYN, false);
      }
      return set(out, -1, false);
    case 'SYN_SENT': {
      // SYN_SENT: a RST is acceptable only if it acknowledges our SYN (RFC 9293 §3.10.7.3)
      const ackOk = (flags & ACK) !== 0 && ack === tcb.sndNxt;
      if (flags & RST) return set(out, ackOk ? E_RST : -1, false);
      if (!(flags & SYN)) return set(out, -1, false);
      learnPeerSyn(tcb, seq);
      if (ackOk) {
        acknowledge(tcb, ack);
        return set(out, E_SYN_ACK, true);
      }
      return set(out, E_SYN, false);
    }
    default:
      return classifySynchronized(tcb, state, segment, rcvSpace, out);
  }
}

function classifySynchronized(tcb: Tcb, state: TcpState, segment: Segment, rcvSpace: number, out: ArrivalBuffer): void {
  const { flags, ack, payload } = segment;
  // A SYN occupies the first sequence number; the text starts after it.
  const seq = flags & SYN ? seqAdd(segment.seq, 1) : segment.seq;

  if (flags & RST) {
    // RST acceptable when it starts inside the receive window (RFC 9293 §3.10.7.4, first/second check)
    const offset = seqDiff(tcb.rcvNxt, seq);
    return set(out, offset >= 0 && offset < RST_WINDOW ? E_RST : -1, false);
  }

  const events = out.events;
  let count = 0;
  let advanced = false;
  let ackOfFin = false;
  if (flags & ACK) {
    const finWasOutstanding = tcb.finSeq >= 0 && seqLe(tcb.sndUna, tcb.finSeq);
    advanced = acknowledge(tcb, ack);
    // every acceptable ACK carries the peer's window (RFC 9293 §3.10.7.4, fifth check: update SND.WND)
    if (segment.window !== undefined) tcb.sndWnd = segment.window;
    if (advanced) {
      // the ACK covers our SYN: the handshake completes (RFC 9293 §3.10.7.4, fifth check, SYN-RECEIVED)
      if (state === 'SYN_RECEIVED') events[count++] = E_ACK_OF_SYN;
      // the ACK covers our FIN (RFC 9293 §3.10.7.4, fifth check, FIN-WAIT-1 / CLOSING / LAST-ACK)
      ackOfFin = finWasOutstanding && ack === seqAdd(tcb.finSeq, 1);
    }
  }
  if (state === 'SYN_RECEIVED' && count === 0) return set(out, -1, advanced);
  if (flags & SYN) {
    // a retransmitted SYN or SYN,ACK in a synchronized state: answer with an ACK
    if (!advanced) return set(out, E_STRAY, advanced);
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
  } else if (!(flags & FIN) && seqLt(seq, tcb.rcvNxt)) {
    // an empty segment below RCV.NXT is not acceptable: answer with an ACK (RFC 9293 §3.10.7.4,
    // first check). A keepalive probe is one: SEQ = SND.UNA − 1 (RFC 1122 §4.2.3.6, Linux tcp_xmit_probe_skb)
    stray = true;
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

  if (ackOfFin && fin && data.length === 0) events[count++] = E_FIN_ACK_OF_FIN;
  else {
    if (ackOfFin) events[count++] = E_ACK_OF_FIN;
    if (data.length > 0) events[count++] = E_DATA;
    if (fin) events[count++] = E_FIN;
  }
  if (stray) events[count++] = E_STRAY;
  out.count = count;
  out.data = data;
  out.advanced = advanced;
}
