import { describe, expect, it } from 'vitest';
import { RST_WINDOW, classify } from '../../src/model/classify.js';
import { ACK, FIN, RST, SYN, type Segment } from '../../src/model/segment.js';
import { createTcb, emit, learnPeerSyn, type Tcb } from '../../src/model/tcb.js';

const ISS = 100;
const IRS = 300;

/** A segment from the peer, at the peer's next sequence number, acknowledging nothing new. */
const FROM_PEER: Segment = {
  src: { addr: '127.0.0.1', port: 8888 },
  dst: { addr: '127.0.0.1', port: 40000 },
  seq: IRS + 1,
  ack: ISS + 1,
  flags: ACK,
  payload: '',
};

/** A synchronized TCB: our SYN (100) and the peer's SYN (300) both sent and acknowledged. */
function synchronized(): Tcb {
  const tcb = createTcb(ISS);
  emit(tcb, SYN);
  learnPeerSyn(tcb, IRS);
  tcb.sndUna = ISS + 1;
  tcb.unacked = null;
  return tcb;
}

/** A TCB that has sent its FIN (seq 101), not yet acknowledged. */
function finSent(): Tcb {
  const tcb = synchronized();
  emit(tcb, FIN);
  return tcb;
}

describe('classification in LISTEN', () => {
  it('a SYN opens and records the peer ISN', () => {
    const tcb = createTcb(ISS);
    expect(classify(tcb, 'LISTEN', { ...FROM_PEER, seq: IRS, ack: 0, flags: SYN }).events).toEqual(['SYN']);
    expect(tcb.rcvNxt).toBe(IRS + 1);
  });
  it('an ACK or RST is not a connection request', () => {
    expect(classify(createTcb(ISS), 'LISTEN', FROM_PEER).events).toEqual([]);
    expect(classify(createTcb(ISS), 'LISTEN', { ...FROM_PEER, flags: RST }).events).toEqual([]);
  });
});

describe('classification in SYN_SENT', () => {
  it('a SYN,ACK acknowledging our SYN completes the handshake', () => {
    const tcb = createTcb(ISS);
    emit(tcb, SYN);
    expect(classify(tcb, 'SYN_SENT', { ...FROM_PEER, seq: IRS, flags: SYN | ACK }).events).toEqual(['SYN_ACK']);
    expect(tcb.sndUna).toBe(ISS + 1);
  });
  it('a RST is believed only if it acknowledges our SYN (RFC 9293 §3.10.7.3)', () => {
    const tcb = createTcb(ISS);
    emit(tcb, SYN);
    expect(classify(tcb, 'SYN_SENT', { ...FROM_PEER, flags: RST | ACK, ack: ISS + 5 }).events).toEqual([]);
    expect(classify(tcb, 'SYN_SENT', { ...FROM_PEER, flags: RST | ACK }).events).toEqual(['RST']);
  });
  it('a bare SYN is a simultaneous open', () => {
    const tcb = createTcb(ISS);
    emit(tcb, SYN);
    expect(classify(tcb, 'SYN_SENT', { ...FROM_PEER, seq: IRS, ack: 0, flags: SYN }).events).toEqual(['SYN']);
  });
});

describe('classification in ESTABLISHED', () => {
  it('in-order data is DATA and advances RCV.NXT', () => {
    const tcb = synchronized();
    const arrival = classify(tcb, 'ESTABLISHED', { ...FROM_PEER, payload: 'hello' });
    expect(arrival).toEqual({ events: ['DATA'], data: 'hello', advanced: false });
    expect(tcb.rcvNxt).toBe(IRS + 1 + 5);
  });
  it('data and FIN in one segment are DATA then FIN', () => {
    expect(classify(synchronized(), 'ESTABLISHED', { ...FROM_PEER, flags: FIN | ACK, payload: 'bye' }).events).toEqual(['DATA', 'FIN']);
  });
  it('data beyond a gap is STRAY, and a FIN behind the gap is not accepted', () => {
    const tcb = synchronized();
    expect(classify(tcb, 'ESTABLISHED', { ...FROM_PEER, seq: IRS + 10, flags: FIN | ACK, payload: 'late' }).events).toEqual(['STRAY']);
    expect(tcb.finReceived).toBe(false);
  });
  it('a duplicate of data already received is STRAY; a partial overlap yields only the new bytes', () => {
    const tcb = synchronized();
    classify(tcb, 'ESTABLISHED', { ...FROM_PEER, payload: 'abc' });
    expect(classify(tcb, 'ESTABLISHED', { ...FROM_PEER, payload: 'abc' }).events).toEqual(['STRAY']);
    expect(classify(tcb, 'ESTABLISHED', { ...FROM_PEER, payload: 'abcdef' }).data).toBe('def');
  });
  it('a RST is believed when it starts inside the window, ignored otherwise', () => {
    expect(classify(synchronized(), 'ESTABLISHED', { ...FROM_PEER, flags: RST }).events).toEqual(['RST']);
    expect(classify(synchronized(), 'ESTABLISHED', { ...FROM_PEER, seq: IRS - 5, flags: RST }).events).toEqual([]);
  });
  it('a retransmitted SYN,ACK is STRAY (our ACK of it was lost)', () => {
    expect(classify(synchronized(), 'ESTABLISHED', { ...FROM_PEER, seq: IRS, flags: SYN | ACK }).events).toEqual(['STRAY']);
  });
});

describe('classification in FIN_WAIT_1', () => {
  it('the ACK of our FIN is ACK_OF_FIN', () => {
    expect(classify(finSent(), 'FIN_WAIT_1', { ...FROM_PEER, ack: ISS + 2 }).events).toEqual(['ACK_OF_FIN']);
  });
  it('an ACK that stops short of our FIN acknowledges data only', () => {
    const tcb = synchronized();
    emit(tcb, ACK, 'data');
    emit(tcb, FIN);
    expect(classify(tcb, 'FIN_WAIT_1', { ...FROM_PEER, ack: ISS + 1 + 4 })).toEqual({ events: [], data: '', advanced: true });
  });
  it('a FIN that acknowledges our FIN is FIN_ACK_OF_FIN', () => {
    expect(classify(finSent(), 'FIN_WAIT_1', { ...FROM_PEER, ack: ISS + 2, flags: FIN | ACK }).events).toEqual(['FIN_ACK_OF_FIN']);
  });
  it('a FIN that does not acknowledge ours is FIN: simultaneous close', () => {
    expect(classify(finSent(), 'FIN_WAIT_1', { ...FROM_PEER, flags: FIN | ACK }).events).toEqual(['FIN']);
  });
});

describe('classification in TIME_WAIT', () => {
  it('the peer FIN again (our last ACK was lost) is FIN', () => {
    const tcb = finSent();
    classify(tcb, 'FIN_WAIT_2', { ...FROM_PEER, ack: ISS + 2, flags: FIN | ACK });
    expect(tcb.finReceived).toBe(true);
    expect(classify(tcb, 'TIME_WAIT', { ...FROM_PEER, ack: ISS + 2, flags: FIN | ACK }).events).toEqual(['FIN']);
  });
});

describe('sequence numbers', () => {
  it('wrap modulo 2^32', () => {
    const tcb = createTcb(0xffff_ffff);
    const syn = emit(tcb, SYN);
    expect(syn.seq).toBe(0xffff_ffff);
    expect(tcb.sndNxt).toBe(0);
    learnPeerSyn(tcb, IRS);
    const data = emit(tcb, ACK, 'xy');
    expect(data.seq).toBe(0);
    expect(tcb.sndNxt).toBe(2);
  });
});

describe('classification: what the engine is told besides the events', () => {
  it('in CLOSED nothing is an event; in LISTEN a SYN,ACK is not a connection request', () => {
    expect(classify(createTcb(ISS), 'CLOSED', { ...FROM_PEER, flags: SYN })).toEqual({ events: [], data: '', advanced: false });
    const listening = createTcb(ISS);
    expect(classify(listening, 'LISTEN', { ...FROM_PEER, seq: IRS, flags: SYN | ACK }).events).toEqual([]);
    expect(listening.synced).toBe(false);
  });

  it('SYN_SENT: a SYN,ACK advances SND.UNA (advanced), a bare SYN does not; a segment without SYN is nothing', () => {
    const opening = () => {
      const tcb = createTcb(ISS);
      emit(tcb, SYN);
      return tcb;
    };
    expect(classify(opening(), 'SYN_SENT', { ...FROM_PEER, seq: IRS, flags: SYN | ACK })).toEqual({ events: ['SYN_ACK'], data: '', advanced: true });
    expect(classify(opening(), 'SYN_SENT', { ...FROM_PEER, seq: IRS, flags: SYN, ack: 0 })).toEqual({ events: ['SYN'], data: '', advanced: false });
    expect(classify(opening(), 'SYN_SENT', { ...FROM_PEER, seq: IRS, flags: SYN | ACK, ack: ISS + 7 })).toEqual({ events: ['SYN'], data: '', advanced: false });
    expect(classify(opening(), 'SYN_SENT', FROM_PEER)).toEqual({ events: [], data: '', advanced: false });
    expect(classify(opening(), 'SYN_SENT', { ...FROM_PEER, flags: RST })).toEqual({ events: [], data: '', advanced: false });
  });

  it('SYN_RECEIVED: only the ACK of our SYN completes the handshake; anything else is nothing', () => {
    const half = () => {
      const tcb = createTcb(ISS);
      learnPeerSyn(tcb, IRS);
      emit(tcb, SYN);
      return tcb;
    };
    expect(classify(half(), 'SYN_RECEIVED', FROM_PEER)).toEqual({ events: ['ACK_OF_SYN'], data: '', advanced: true });
    expect(classify(half(), 'SYN_RECEIVED', { ...FROM_PEER, ack: ISS })).toEqual({ events: [], data: '', advanced: false });
  });

  it('a RST right at the edge of the window is ignored, one just inside it believed', () => {
    expect(classify(synchronized(), 'ESTABLISHED', { ...FROM_PEER, flags: RST, seq: IRS + 1 + RST_WINDOW - 1 }).events).toEqual(['RST']);
    expect(classify(synchronized(), 'ESTABLISHED', { ...FROM_PEER, flags: RST, seq: IRS + 1 + RST_WINDOW }).events).toEqual([]);
    expect(classify(synchronized(), 'ESTABLISHED', { ...FROM_PEER, flags: RST, seq: IRS }).events).toEqual([]);
  });

  it('every ACK carries the peer window; a segment without one leaves SND.WND alone', () => {
    const tcb = synchronized();
    classify(tcb, 'ESTABLISHED', { ...FROM_PEER, window: 0 });
    expect(tcb.sndWnd).toBe(0);
    classify(tcb, 'ESTABLISHED', FROM_PEER);
    expect(tcb.sndWnd).toBe(0);
    classify(tcb, 'ESTABLISHED', { ...FROM_PEER, window: 512 });
    expect(tcb.sndWnd).toBe(512);
  });

  it('data beyond the receive room is cut to what fits, and a FIN behind it waits', () => {
    const tcb = synchronized();
    expect(classify(tcb, 'ESTABLISHED', { ...FROM_PEER, flags: ACK | FIN, payload: 'abcdef' }, 4)).toEqual({ events: ['DATA'], data: 'abcd', advanced: false });
    expect(tcb.rcvNxt).toBe(IRS + 5);
    expect(tcb.finReceived).toBe(false);
    // no room at all: not acceptable, re-ACK
    expect(classify(tcb, 'ESTABLISHED', { ...FROM_PEER, seq: IRS + 5, payload: 'ef' }, 0).events).toEqual(['STRAY']);
    // the rest, once there is room, with the FIN
    expect(classify(tcb, 'ESTABLISHED', { ...FROM_PEER, seq: IRS + 1, flags: ACK | FIN, payload: 'abcdef' }, 10)).toEqual({ events: ['DATA', 'FIN'], data: 'ef', advanced: false });
  });

  it('data after the peer FIN is not taken; a FIN at the wrong place is STRAY', () => {
    const tcb = synchronized();
    classify(tcb, 'ESTABLISHED', { ...FROM_PEER, flags: ACK | FIN });
    expect(classify(tcb, 'CLOSE_WAIT', { ...FROM_PEER, seq: IRS + 2, payload: 'late' }).events).toEqual(['STRAY']);
    expect(classify(synchronized(), 'ESTABLISHED', { ...FROM_PEER, seq: IRS, flags: ACK | FIN }).events).toEqual(['STRAY']);
  });

  it('a FIN with data that also acknowledges our FIN is ACK_OF_FIN, DATA, FIN (not FIN_ACK_OF_FIN), and advances SND.UNA', () => {
    expect(classify(finSent(), 'FIN_WAIT_1', { ...FROM_PEER, ack: ISS + 2, flags: ACK | FIN, payload: 'bye' })).toEqual({ events: ['ACK_OF_FIN', 'DATA', 'FIN'], data: 'bye', advanced: true });
  });
});
