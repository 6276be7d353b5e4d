import { describe, expect, it } from 'vitest';
import { ACK, FIN } from '../../src/model/segment.js';
import { rfcTable } from '../../src/report/rfcTable.js';
import {
  A,
  B,
  LATENCY,
  TWO_MSL,
  TraceBuilder,
  handshakeAndNormalClose,
  normalClose,
  normalCloseWithLostFin,
  resetOnUnreadData,
  simultaneousClose,
  simultaneousCloseCausal,
} from './fixtures.js';
import { FIGURE_12, FIGURE_13, closeSequences, stateColumns } from './rfcFigures.js';

const RFC_LAYOUT = { seq: 'absolute', time: false, legend: false } as const;

describe('rfcTable', () => {
  it('draws a normal close exactly as RFC 9293 Figure 12', () => {
    expect(rfcTable(normalClose(), 0, RFC_LAYOUT)).toBe(FIGURE_12);
  });

  it('draws a simultaneous close exactly as RFC 9293 Figure 13', () => {
    expect(rfcTable(simultaneousClose(), 0, RFC_LAYOUT)).toBe(FIGURE_13);
  });

  it('keeps the state columns of Figures 12 and 13 with relative numbers and a time column', () => {
    expect(stateColumns(rfcTable(normalClose(), 0))).toEqual(stateColumns(FIGURE_12));
    expect(stateColumns(rfcTable(simultaneousClose(), 0))).toEqual(stateColumns(FIGURE_13));
    expect(stateColumns(FIGURE_12)).toEqual([
      ['1', 'ESTABLISHED', 'ESTABLISHED'],
      ['2', 'FIN-WAIT-1', 'CLOSE-WAIT'],
      ['3', 'FIN-WAIT-2', 'CLOSE-WAIT'],
      ['4', 'TIME-WAIT', 'LAST-ACK'],
      ['5', 'TIME-WAIT', 'CLOSED'],
      ['6', 'CLOSED', ''],
    ]);
  });

  it('prints virtual time in seconds and sequence numbers relative to each ISN by default', () => {
    const table = rfcTable(normalClose(), 0);
    expect(table).toContain('2.  0.000s    (Close)');
    expect(table).toContain('    0.000s    FIN-WAIT-1  --> <SEQ=1><ACK=1><CTL=FIN,ACK>  --> CLOSE-WAIT');
    expect(table).toContain('5.  5.010s    TIME-WAIT   --> <SEQ=2><ACK=2><CTL=ACK>      --> CLOSED');
    expect(table).toContain('6.  245.010s  (2 MSL)');
    expect(table.trimEnd().split('\n').at(-1)).toBe(
      "A = client 10.0.0.1:40000, B = server 10.0.0.2:8080; sequence numbers relative to each side's ISN",
    );
  });

  it('counts relative numbers from the SYN when the handshake is in the trace', () => {
    const table = rfcTable(handshakeAndNormalClose(), 0);
    expect(table).toContain('--> <SEQ=0><CTL=SYN>');
    expect(table).toContain('<-- <SEQ=0><ACK=1><CTL=SYN,ACK>');
    expect(table).toContain('FIN-WAIT-1   --> <SEQ=1><ACK=1><CTL=FIN,ACK>  --> CLOSE-WAIT');
    expect(rfcTable(handshakeAndNormalClose(), 0, RFC_LAYOUT)).toContain('--> <SEQ=100><ACK=300><CTL=FIN,ACK>  --> CLOSE-WAIT');
  });

  it('shows a causally ordered simultaneous close with the peer still in FIN-WAIT-1 while its FIN is in flight', () => {
    expect(rfcTable(simultaneousCloseCausal(), 0, RFC_LAYOUT)).toBe(`
    TCP Peer A                                           TCP Peer B

1.  ESTABLISHED                                          ESTABLISHED

2.  (Close)                                              (Close)
    FIN-WAIT-1  --> <SEQ=100><ACK=300><CTL=FIN,ACK>  ... FIN-WAIT-1
                <-- <SEQ=300><ACK=100><CTL=FIN,ACK>  <--

3.  CLOSING     --> <SEQ=101><ACK=301><CTL=ACK>      ... FIN-WAIT-1
                ... <SEQ=100><ACK=300><CTL=FIN,ACK>  -->

4.  CLOSING     ... <SEQ=301><ACK=101><CTL=ACK>      <-- CLOSING
                ... <SEQ=101><ACK=301><CTL=ACK>      -->
                <-- <SEQ=301><ACK=101><CTL=ACK>      ...

5.  TIME-WAIT                                            TIME-WAIT
    (2 MSL)                                              (2 MSL)
    CLOSED                                               CLOSED
`.slice(1));
  });

  it('marks a lost FIN with XXX and its retransmission after the RTO', () => {
    const table = rfcTable(normalCloseWithLostFin(), 0, RFC_LAYOUT);
    expect(table).toContain('    FIN-WAIT-2  XXX <SEQ=300><ACK=101><CTL=FIN,ACK>  <-- LAST-ACK  (lost)');
    expect(table).toContain('5.                                                       (RTO)');
    expect(table).toContain('    TIME-WAIT   <-- <SEQ=300><ACK=101><CTL=FIN,ACK>  <-- LAST-ACK  (retransmission)');
  });

  it('draws a lost segment in flight as ... then XXX on a row of its own', () => {
    const trace = normalCloseWithLostFin();
    // Move the drop after A's next event so the loss is not the next thing that happens.
    const events = [...trace.events];
    const dropAt = events.findIndex((e) => e.kind === 'drop');
    const [drop] = events.splice(dropAt, 1);
    const rtoAt = events.findIndex((e) => e.kind === 'timer');
    if (drop === undefined) throw new Error('fixture has no drop');
    events.splice(rtoAt + 1, 0, drop);
    const table = rfcTable({ ...trace, events }, 0, RFC_LAYOUT);
    expect(table).toContain('    FIN-WAIT-2  ... <SEQ=300><ACK=101><CTL=FIN,ACK>  <-- LAST-ACK\n');
    expect(table).toContain('    FIN-WAIT-2  XXX <SEQ=300><ACK=101><CTL=FIN,ACK>  ... LAST-ACK  (lost)\n');
  });

  it('shows a reset, its data and the error the peer sees', () => {
    const table = rfcTable(resetOnUnreadData(), 0, RFC_LAYOUT);
    expect(table).toContain('--> <SEQ=100><ACK=300><CTL=PSH,ACK><DATA=16>  --> ESTABLISHED');
    expect(table).toContain('CLOSED       <-- <SEQ=300><ACK=116><CTL=RST,ACK>           <-- CLOSED  (A: ECONNRESET)');
  });

  it('puts the server on the left when asked', () => {
    const table = rfcTable(normalClose(), 0, { ...RFC_LAYOUT, peerA: 'server' });
    expect(table).toContain('2.                                                       (Close)');
    expect(table).toContain('    CLOSE-WAIT  <-- <SEQ=100><ACK=300><CTL=FIN,ACK>  <-- FIN-WAIT-1');
  });

  it('refuses a connection the trace does not have', () => {
    expect(() => rfcTable(normalClose(), 7)).toThrow(/no connection 7/);
  });
});

describe('rfcTable on traces in the order an engine writes them', () => {
  /** Figure 12 with B closing the moment it reads EOF: its ACK and FIN leave, and arrive, together. */
  function closeOnEof() {
    const t = new TraceBuilder();
    const L = LATENCY;
    t.call(0, A, 'close').state(0, A, 'ESTABLISHED', 'FIN_WAIT_1', { by: 'call', call: 'close' });
    const finA = t.send(0, A, FIN | ACK, 100, 300);
    t.deliver(L, finA, B).state(L, B, 'ESTABLISHED', 'CLOSE_WAIT', { by: 'segment', segmentId: finA });
    const ackB = t.send(L, B, ACK, 300, 101);
    t.call(L, B, 'read', '0+EOF').call(L, B, 'close').state(L, B, 'CLOSE_WAIT', 'LAST_ACK', { by: 'call', call: 'close' });
    const finB = t.send(L, B, FIN | ACK, 300, 101);
    t.deliver(2 * L, ackB, A).state(2 * L, A, 'FIN_WAIT_1', 'FIN_WAIT_2', { by: 'segment', segmentId: ackB });
    t.deliver(2 * L, finB, A).state(2 * L, A, 'FIN_WAIT_2', 'TIME_WAIT', { by: 'segment', segmentId: finB });
    const ackA = t.send(2 * L, A, ACK, 101, 301);
    t.deliver(3 * L, ackA, B).state(3 * L, B, 'LAST_ACK', 'CLOSED', { by: 'segment', segmentId: ackA });
    t.timer(2 * L + TWO_MSL, A, 'twoMsl').state(2 * L + TWO_MSL, A, 'TIME_WAIT', 'CLOSED', { by: 'timer', timer: 'twoMsl' });
    return t.trace();
  }

  it('starts a new line for a call made after its side sent a segment, and prints a state a later row replaces', () => {
    expect(rfcTable(closeOnEof(), 0, RFC_LAYOUT)).toBe(`
    TCP Peer A                                           TCP Peer B

1.  ESTABLISHED                                          ESTABLISHED

2.  (Close)
    FIN-WAIT-1  --> <SEQ=100><ACK=300><CTL=FIN,ACK>  --> CLOSE-WAIT

3.  FIN-WAIT-1  ... <SEQ=300><ACK=101><CTL=ACK>      <-- CLOSE-WAIT

4.                                                       (Close)
    FIN-WAIT-1  ... <SEQ=300><ACK=101><CTL=FIN,ACK>  <-- LAST-ACK
    FIN-WAIT-2  <-- <SEQ=300><ACK=101><CTL=ACK>      ...
                <-- <SEQ=300><ACK=101><CTL=FIN,ACK>  ...

5.  TIME-WAIT   --> <SEQ=101><ACK=301><CTL=ACK>      --> CLOSED

6.  (2 MSL)
    CLOSED
`.slice(1));
    expect(closeSequences(rfcTable(closeOnEof(), 0))).toEqual(closeSequences(FIGURE_12));
  });

  it('notes a call that fails with an errno, as it does an error event', () => {
    const trace = resetOnUnreadData();
    const events = trace.events.map((e) => (e.kind === 'error' ? { kind: 'call' as const, at: e.at, process: e.process, socket: e.socket, call: 'read' as const, result: e.errno } : e));
    expect(rfcTable({ ...trace, events }, 0, RFC_LAYOUT)).toContain('<-- CLOSED  (A: ECONNRESET)');
  });
});
