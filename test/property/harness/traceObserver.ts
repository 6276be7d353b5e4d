/**
 * Reads a World's trace as it grows and checks the rules that hold event by event: no segment
 * leaves a CLOSED socket except RST; a socket's new sequence numbers and acknowledgement numbers
 * never go backwards; a retransmission never carries new sequence space; a retransmitted FIN
 * sits where the first one did; TIME_WAIT lasts 2MSL from its start or the peer's last FIN. It also keeps the facts the state invariants need: which sockets
 * sent a FIN, had the peer's FIN delivered, and had their own FIN acknowledged.
 */
import { wheelExpiry } from '../../../src/model/timerWheel.js';
import { ACK, FIN, RST, segmentLength, type Segment } from '../../../src/model/segment.js';
import { seqAdd, seqDiff, seqLe } from '../../../src/model/seq.js';
import type { TcpState } from '../../../src/model/states.js';
import type { Trace } from '../../../src/sim/trace.js';

/** What the trace says about one socket. */
export interface SocketFacts {
  state: TcpState | undefined;
  /** Sequence number of the first byte after everything sent so far. */
  sentEnd: number | undefined;
  lastSeq: number | undefined;
  lastAck: number | undefined;
  /** Sequence number our FIN occupies. */
  finSeq: number | undefined;
  /** A segment carrying the peer's FIN was delivered to this socket. */
  peerFinDelivered: boolean;
  /** A segment acknowledging our FIN was delivered to this socket. */
  finAcked: boolean;
  /** When TIME_WAIT began or was last restarted by the peer's retransmitted FIN. */
  timeWaitSince: number | undefined;
  /** Highest acknowledgement number delivered to this socket. */
  ackedUpTo: number | undefined;
  /** The program has closed or aborted the fd. */
  orphaned: boolean;
}

/**
 * The only state changes a timer may cause, by the timer that fires (RFC 9293 §3.8, Linux): the
 * retransmission timers' retry limits, tcp_fin_timeout and 2MSL. LISTEN, an idle ESTABLISHED or
 * CLOSE_WAIT and an attached FIN_WAIT_2 have no timer that ends them: they may last forever.
 */
const TIMER_EXITS: Readonly<Partial<Record<TcpState, string>>> = {
  SYN_SENT: 'synRto',
  SYN_RECEIVED: 'synRto',
  ESTABLISHED: 'dataRto',
  CLOSE_WAIT: 'dataRto',
  FIN_WAIT_1: 'finRto',
  CLOSING: 'finRto',
  LAST_ACK: 'finRto',
  FIN_WAIT_2: 'finWait2',
  TIME_WAIT: 'twoMsl',
};

/** Incremental checker of a trace. */
export class TraceObserver {
  private cursor = 0;

  /** An observer for a run whose TIME_WAIT lasts `timeWait` µs (the profile's 2MSL), rounded up to the timer wheel at `hz` (null: exact). */
  constructor(
    private readonly timeWait: number,
    private readonly hz: number | null = null,
    private readonly origin = 0,
  ) {}

  /** When a TIME_WAIT entered (or restarted) at `since` ends. */
  private timeWaitEnd(since: number): number {
    return this.hz === null ? since + this.timeWait : wheelExpiry(since, this.timeWait, this.hz, this.origin);
  }

  private readonly segments = new Map<number, Segment>();
  readonly facts = new Map<number, SocketFacts>();

  /** Facts of socket `id` (created empty on first use). */
  of(id: number): SocketFacts {
    let facts = this.facts.get(id);
    if (!facts) {
      facts = { state: undefined, sentEnd: undefined, lastSeq: undefined, lastAck: undefined, finSeq: undefined, peerFinDelivered: false, finAcked: false, timeWaitSince: undefined, ackedUpTo: undefined, orphaned: false };
      this.facts.set(id, facts);
    }
    return facts;
  }

  /** Reads the events added since the last call; throws on the first broken rule. */
  advance(trace: Trace): void {
    const events = trace.events;
    for (; this.cursor < events.length; this.cursor++) {
      const event = events[this.cursor]!;
      switch (event.kind) {
        case 'state': {
          const facts = this.of(event.socket);
          if (facts.state !== undefined && facts.state !== event.from) {
            throw new Error(`socket ${event.socket}: trace says ${event.from} → ${event.to} but it was ${facts.state}`);
          }
          // TIME_WAIT lasts 2MSL from its start or from the last retransmitted FIN (RFC 9293 §3.10.7.4)
          if (event.from === 'TIME_WAIT' && event.cause.by === 'timer' && event.at !== this.timeWaitEnd(facts.timeWaitSince ?? NaN)) {
            throw new Error(`socket ${event.socket}: TIME_WAIT ended at ${event.at}, not 2MSL after ${facts.timeWaitSince}`);
          }
          if (event.to === 'TIME_WAIT') facts.timeWaitSince = event.at;
          if (event.cause.by === 'timer') {
            const where = `socket ${event.socket}: timer ${event.cause.timer} took it ${event.from} → ${event.to}`;
            if (TIMER_EXITS[event.from] !== event.cause.timer || event.to !== 'CLOSED') throw new Error(`${where}, which no timer may do`);
            // only an orphaned FIN_WAIT_2 times out; only unacknowledged data times out ESTABLISHED and CLOSE_WAIT
            if (event.from === 'FIN_WAIT_2' && !facts.orphaned) throw new Error(`${where} while its program still holds the fd`);
            if ((event.from === 'ESTABLISHED' || event.from === 'CLOSE_WAIT') && facts.ackedUpTo !== undefined && facts.ackedUpTo === facts.sentEnd) {
              throw new Error(`${where} although everything it sent was acknowledged (idle)`);
            }
          }
          facts.state = event.to;
          break;
        }
        case 'send':
          this.segments.set(event.segmentId, event.segment);
          if (event.socket >= 0) this.sent(event.socket, event.segment, event.retransmission, event.segmentId);
          break;
        case 'deliver': {
          if (event.socket === null) break;
          const segment = this.segments.get(event.segmentId);
          if (!segment) throw new Error(`segment ${event.segmentId} delivered but never sent`);
          const facts = this.of(event.socket);
          if (segment.flags & FIN) facts.peerFinDelivered = true;
          if (segment.flags & ACK && !(segment.flags & RST) && (facts.ackedUpTo === undefined || seqDiff(facts.ackedUpTo, segment.ack) > 0)) facts.ackedUpTo = segment.ack;
          // the peer's FIN again (FINs carry no data here): TIME_WAIT restarts
          if (segment.flags & FIN && !(segment.flags & RST) && segment.payload === '' && facts.state === 'TIME_WAIT') facts.timeWaitSince = event.at;
          if (segment.flags & ACK && facts.finSeq !== undefined && segment.ack === seqAdd(facts.finSeq, 1)) facts.finAcked = true;
          break;
        }
        case 'call':
          if ((event.call === 'close' || event.call === 'abort') && event.socket !== null) this.of(event.socket).orphaned = true;
          break;
        default:
          break;
      }
    }
  }

  private sent(id: number, segment: Segment, retransmission: boolean, segmentId: number): void {
    const facts = this.of(id);
    const what = `socket ${id} segment ${segmentId} <SEQ=${segment.seq}><ACK=${segment.ack}><CTL=${segment.flags}>`;
    // no segment is sent from CLOSED except RST (RFC 9293 §3.10.7.1: a CLOSED socket has no TCB)
    if (facts.state === 'CLOSED' && !(segment.flags & RST)) throw new Error(`${what} sent from CLOSED`);
    const end = seqAdd(segment.seq, segmentLength(segment));
    if (retransmission) {
      if (facts.sentEnd === undefined || !seqLe(end, facts.sentEnd)) throw new Error(`${what}: retransmission beyond what was sent`);
      if (segment.flags & FIN && facts.finSeq !== seqAdd(segment.seq, segment.payload.length)) throw new Error(`${what}: FIN retransmitted elsewhere`);
    } else {
      if (facts.lastSeq !== undefined && seqDiff(facts.lastSeq, segment.seq) < 0) throw new Error(`${what}: sequence number went back from ${facts.lastSeq}`);
      facts.lastSeq = segment.seq;
      if (facts.sentEnd === undefined || seqDiff(facts.sentEnd, end) > 0) facts.sentEnd = end;
      if (segment.flags & FIN) {
        const finSeq = seqAdd(segment.seq, segment.payload.length);
        if (facts.finSeq !== undefined && facts.finSeq !== finSeq) throw new Error(`${what}: a second FIN at a new sequence number`);
        facts.finSeq = finSeq;
      }
    }
    if (segment.flags & ACK && !(segment.flags & RST)) {
      if (facts.lastAck !== undefined && seqDiff(facts.lastAck, segment.ack) < 0) throw new Error(`${what}: acknowledgement went back from ${facts.lastAck}`);
      facts.lastAck = segment.ack;
    }
  }
}
