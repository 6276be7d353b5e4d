import { describe, expect, it } from 'vitest';
import { ACK, FIN, PSH, RST, SYN, ctlText, segmentLength } from '../../src/model/segment.js';
import { acknowledge, createTcb, emit, hasOutstanding, learnPeerSyn, outstanding } from '../../src/model/tcb.js';

const MAX = 2 ** 32;

describe('sequence bookkeeping (RFC 9293 §3.4)', () => {
  it('a fresh TCB has sent nothing: SND.UNA = SND.NXT = ISS, no FIN, nothing queued, the window unknown', () => {
    expect(createTcb(1000)).toEqual({ iss: 1000, sndUna: 1000, sndNxt: 1000, irs: 0, rcvNxt: 0, finSeq: -1, synced: false, finReceived: false, sndWnd: Infinity, unacked: null });
  });

  it('SYN and FIN take one sequence number each, data its length; the first SYN carries no ACK', () => {
    const tcb = createTcb(100);
    expect(emit(tcb, SYN)).toEqual({ seq: 100, ack: 0, flags: SYN, payload: '' });
    learnPeerSyn(tcb, 5000);
    expect([tcb.irs, tcb.rcvNxt, tcb.synced]).toEqual([5000, 5001, true]);
    expect(emit(tcb, PSH, 'hello')).toEqual({ seq: 101, ack: 5001, flags: PSH | ACK, payload: 'hello' });
    expect(emit(tcb, FIN)).toEqual({ seq: 106, ack: 5001, flags: FIN | ACK, payload: '' });
    expect([tcb.sndNxt, tcb.finSeq]).toEqual([107, 106]);
  });

  it('a FIN with data sits after the data; a bare ACK takes no sequence space and is not queued', () => {
    const tcb = createTcb(0);
    learnPeerSyn(tcb, 0);
    emit(tcb, ACK);
    expect(hasOutstanding(tcb)).toBe(false);
    emit(tcb, FIN, 'abc');
    expect([tcb.finSeq, tcb.sndNxt]).toEqual([3, 4]);
  });

  it('an ACK drops what it covers from the retransmission queue, oldest first, and only that', () => {
    const tcb = createTcb(0);
    emit(tcb, SYN);
    learnPeerSyn(tcb, 0);
    emit(tcb, PSH, 'abcd'); // 1..4
    emit(tcb, PSH, 'ef'); // 5..6
    emit(tcb, FIN); // 7
    expect(acknowledge(tcb, 1)).toBe(true); // the SYN
    expect(outstanding(tcb).map((o) => o.seq)).toEqual([1, 5, 7]);
    expect(acknowledge(tcb, 3)).toBe(true); // part of 'abcd': it stays
    expect(outstanding(tcb).map((o) => o.seq)).toEqual([1, 5, 7]);
    expect(acknowledge(tcb, 7)).toBe(true);
    expect(outstanding(tcb)).toEqual([{ seq: 7, ack: 1, flags: FIN | ACK, payload: '' }]);
    expect(acknowledge(tcb, 8)).toBe(true);
    expect([hasOutstanding(tcb), outstanding(tcb), tcb.sndUna]).toEqual([false, [], 8]);
  });

  it('an ACK of nothing new or of something never sent is not acceptable', () => {
    const tcb = createTcb(MAX - 2); // wraps around 2^32
    emit(tcb, SYN);
    learnPeerSyn(tcb, 0);
    emit(tcb, PSH, 'xyz');
    expect(acknowledge(tcb, MAX - 2)).toBe(false); // SND.UNA itself
    expect(acknowledge(tcb, 3)).toBe(false); // beyond SND.NXT (= 2 after wrapping)
    expect(acknowledge(tcb, 2)).toBe(true);
    expect(hasOutstanding(tcb)).toBe(false);
  });

  it('before the handshake, a retransmitted SYN carries no ACK', () => {
    const tcb = createTcb(9);
    emit(tcb, SYN);
    expect(outstanding(tcb)).toEqual([{ seq: 9, ack: 0, flags: SYN, payload: '' }]);
  });
});

describe('segments', () => {
  it('names control bits in the RFC figures\' order', () => {
    expect([ctlText(SYN), ctlText(SYN | ACK), ctlText(FIN | ACK), ctlText(RST | ACK), ctlText(PSH | ACK), ctlText(0)]).toEqual(['SYN', 'SYN,ACK', 'FIN,ACK', 'RST,ACK', 'PSH,ACK', '']);
    expect(ctlText(SYN | FIN | RST | PSH | ACK)).toBe('SYN,FIN,RST,PSH,ACK');
  });

  it('the length of a segment in sequence space counts SYN and FIN', () => {
    expect([segmentLength({ flags: SYN, payload: '' }), segmentLength({ flags: FIN | ACK, payload: 'ab' }), segmentLength({ flags: ACK, payload: 'abc' }), segmentLength({ flags: SYN | FIN, payload: 'a' })]).toEqual([1, 3, 3, 3]);
  });
});
