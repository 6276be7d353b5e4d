import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dotStateDiagram, dotString } from '../../src/report/dot.js';
import { mermaidSequence, mermaidStateDiagram, mermaidText } from '../../src/report/mermaid.js';
import type { StateGraph } from '../../src/report/stateGraph.js';
import type { Trace } from '../../src/sim/trace.js';
import { normalClose, normalCloseWithLostFin, resetOnUnreadData, simultaneousClose, simultaneousCloseCausal } from './fixtures.js';
import { checkDot, checkMermaidSequence, checkMermaidStateDiagram, decodeDotString, decodeMermaidText } from './mermaidGrammar.js';
import { hasTool } from './hasTool.js';

const HOSTILE = [
  'a;b',
  '#lt;',
  '<script>alert(1)</script>',
  'x --> y: z',
  '%%{init: {"theme":"dark"}}%%',
  'line\nbreak\r\nend',
  'end',
  'A->>B: forged',
  '"quoted" & `ticked` \\ back',
  '#59;#',
  'Note over A: fake',
  'rect rgb(0,0,0)',
  '\u2028sep\u0000nul',
];

function withHostileNames(trace: Trace, name: string): Trace {
  return {
    sockets: trace.sockets.map((s) => ({ ...s, local: { ...s.local, addr: `${s.local.addr}${name}` }, remote: { ...s.remote, addr: `${s.remote.addr}${name}` } })),
    events: trace.events.map((e) => {
      if (e.kind === 'send') {
        const seg = e.segment;
        return { ...e, segment: { ...seg, src: { ...seg.src, addr: `${seg.src.addr}${name}` }, dst: { ...seg.dst, addr: `${seg.dst.addr}${name}` } } };
      }
      if (e.kind === 'timer') return { ...e, timer: name };
      return e;
    }),
  };
}

const TCP_CLOSE_GRAPH: StateGraph = {
  initial: 'ESTABLISHED',
  states: ['ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSING', 'TIME_WAIT', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED'],
  edges: [
    { from: 'ESTABLISHED', to: 'FIN_WAIT_1', label: 'CLOSE / snd FIN' },
    { from: 'ESTABLISHED', to: 'CLOSE_WAIT', label: 'rcv FIN / snd ACK' },
    { from: 'FIN_WAIT_1', to: 'FIN_WAIT_2', label: 'rcv ACK of FIN' },
    { from: 'FIN_WAIT_1', to: 'CLOSING', label: 'rcv FIN / snd ACK' },
    { from: 'FIN_WAIT_2', to: 'TIME_WAIT', label: 'rcv FIN / snd ACK' },
    { from: 'CLOSING', to: 'TIME_WAIT', label: 'rcv ACK of FIN' },
    { from: 'CLOSE_WAIT', to: 'LAST_ACK', label: 'CLOSE / snd FIN' },
    { from: 'LAST_ACK', to: 'CLOSED', label: 'rcv ACK of FIN' },
    { from: 'TIME_WAIT', to: 'CLOSED', label: 'Timeout=2MSL' },
  ],
};

describe('mermaidSequence', () => {
  it('draws a normal close with a note per state change, TIME_WAIT shaded, a note where time passes and the end', () => {
    expect(mermaidSequence(normalClose(), 0)).toBe(`sequenceDiagram
    participant A as client 10.0.0.1#58;40000
    participant B as server 10.0.0.2#58;8080
    Note over A: ESTABLISHED
    Note over B: ESTABLISHED
    Note over A: close()
    Note over A: ESTABLISHED → FIN-WAIT-1
    A->>B: #lt;SEQ=1#gt;#lt;ACK=1#gt;#lt;CTL=FIN,ACK#gt;
    Note over A,B: 10 ms later (at 0#58;00.010)
    Note over B: ESTABLISHED → CLOSE-WAIT
    B->>A: #lt;SEQ=1#gt;#lt;ACK=2#gt;#lt;CTL=ACK#gt;
    Note over A,B: 10 ms later (at 0#58;00.020)
    Note over A: FIN-WAIT-1 → FIN-WAIT-2
    Note over A,B: 5 s later (at 0#58;05)
    Note over B: close()
    Note over B: CLOSE-WAIT → LAST-ACK
    B->>A: #lt;SEQ=1#gt;#lt;ACK=2#gt;#lt;CTL=FIN,ACK#gt;
    Note over A,B: 10 ms later (at 0#58;05.010)
    rect rgb(255, 243, 205)
        Note over A: FIN-WAIT-2 → TIME-WAIT
        A->>B: #lt;SEQ=2#gt;#lt;ACK=2#gt;#lt;CTL=ACK#gt;
        Note over A,B: 10 ms later (at 0#58;05.020)
        Note over B: LAST-ACK → CLOSED
        Note over A,B: 240 s later (at 4#58;05.010)
        Note over A: (2 MSL)
        Note over A: TIME-WAIT → CLOSED
    end
    Note over A: CLOSED at the end (4#58;05.010)
    Note over B: CLOSED at the end (4#58;05.010)
`);
  });

  it('notes only pauses of gapFrom or more, and the time the run ended when given', () => {
    const quiet = mermaidSequence(normalClose(), 0, { gapFrom: 1_000_000, endAt: 2_100_000_000 });
    expect(quiet.match(/Note over A,B/g)).toEqual(['Note over A,B', 'Note over A,B', 'Note over A,B']);
    expect(quiet).toContain('    Note over A,B: 5 s later (at 0#58;05)\n');
    expect(quiet).toMatch(/ {4}end\n {4}Note over A,B: 1855 s later \(at 35#58;00\)\n {4}Note over A: CLOSED at the end \(35#58;00\)\n {4}Note over B: CLOSED at the end \(35#58;00\)\n$/);
    expect(checkMermaidSequence(quiet)).toEqual([]);
  });

  it('compact: a run of three or more data segments, retransmissions or bare ACKs one way becomes one message', () => {
    const base = normalClose();
    const fin = base.events.findIndex((e) => e.kind === 'send');
    const first = base.events[fin];
    if (first?.kind !== 'send') throw new Error('fixture: no send');
    // four data segments of 100 bytes from A, delivered, before its FIN
    const data = [0, 1, 2, 3].flatMap((i) => {
      const segment = { ...first.segment, seq: first.segment.seq + 100 * i, flags: 0x18, payload: 'x'.repeat(100) };
      return [{ ...first, segmentId: 900 + i, segment }, { kind: 'deliver' as const, at: first.at, segmentId: 900 + i, socket: null }];
    });
    const trace: Trace = { ...base, events: [...base.events.slice(0, fin), ...(data as Trace['events']), ...base.events.slice(fin)] };
    const full = mermaidSequence(trace, 0);
    const compact = mermaidSequence(trace, 0, { compact: true });
    expect(full.match(/DATA=100/g)).toHaveLength(4);
    expect(compact).not.toContain('DATA=100');
    expect(compact).toContain('    A->>B: 4 segments #lt;SEQ=1..401#gt; 400 bytes\n');
    expect(compact.split('\n')).toHaveLength(full.split('\n').length - 3);
    expect(checkMermaidSequence(compact)).toEqual([]);
    // two are not a run
    const two: Trace = { ...trace, events: trace.events.filter((e) => !(e.kind === 'send' || e.kind === 'deliver') || e.segmentId < 902) };
    expect(mermaidSequence(two, 0, { compact: true }).match(/DATA=100/g)).toHaveLength(2);
  });

  it.each([
    ['normal close', normalClose],
    ['simultaneous close', simultaneousClose],
    ['simultaneous close, causal order', simultaneousCloseCausal],
    ['lost FIN', normalCloseWithLostFin],
    ['reset', resetOnUnreadData],
  ])('passes the grammar checker: %s', (_, make) => {
    expect(checkMermaidSequence(mermaidSequence(make(), 0))).toEqual([]);
    expect(checkMermaidSequence(mermaidSequence(make(), 0, { seq: 'absolute', peerA: 'server' }))).toEqual([]);
  });

  it('keeps one TIME_WAIT block while both sides are in TIME_WAIT', () => {
    const diagram = mermaidSequence(simultaneousClose(), 0);
    expect(diagram.match(/rect /g)).toHaveLength(1);
    expect(diagram).toMatch(/rect rgb\(255, 243, 205\)\n {8}Note over A: CLOSING → TIME-WAIT\n[\s\S]*TIME-WAIT → CLOSED\n {4}end\n {4}Note over A: CLOSED at the end/);
  });

  it('draws a lost segment with -x and a segment still in flight with -)', () => {
    const lost = mermaidSequence(normalCloseWithLostFin(), 0, { seq: 'absolute' });
    expect(lost).toContain('    B-xA: #lt;SEQ=300#gt;#lt;ACK=101#gt;#lt;CTL=FIN,ACK#gt; (lost)\n');
    expect(lost).toContain('B->>A: #lt;SEQ=300#gt;#lt;ACK=101#gt;#lt;CTL=FIN,ACK#gt; (retransmission)\n');
    const cut = normalClose();
    const inFlight = mermaidSequence({ ...cut, events: cut.events.slice(0, 3) }, 0);
    expect(inFlight).toContain('A-)B: #lt;SEQ=1#gt;#lt;ACK=1#gt;#lt;CTL=FIN,ACK#gt; (in flight at end of trace)\n');
    expect(checkMermaidSequence(inFlight)).toEqual([]);
  });

  it.each(HOSTILE)('escapes hostile addresses and timer names: %j', (name) => {
    const diagram = mermaidSequence(withHostileNames(normalClose(), name), 0);
    expect(checkMermaidSequence(diagram)).toEqual([]);
    expect(diagram.split('\n')).toHaveLength(normalCloseLineCount);
  });
});
const normalCloseLineCount = mermaidSequence(normalClose(), 0).split('\n').length;

describe('mermaidText', () => {
  it.each(HOSTILE)('renders back to the same text, line breaks as spaces: %j', (text) => {
    const escaped = mermaidText(text);
    expect(escaped.replace(/#(?:lt|gt|amp|quot|\d+);/g, '')).not.toMatch(/[#;<>"%:\n\r]/);
    expect(decodeMermaidText(escaped)).toBe(text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' '));
  });
});

describe('mermaidStateDiagram', () => {
  it('prints the close states and transitions', () => {
    const diagram = mermaidStateDiagram(TCP_CLOSE_GRAPH);
    expect(checkMermaidStateDiagram(diagram)).toEqual([]);
    expect(diagram).toContain('    [*] --> ESTABLISHED\n');
    expect(diagram).toContain('    FIN_WAIT_2 --> TIME_WAIT: rcv FIN / snd ACK\n');
    expect(diagram).toContain('    TIME_WAIT --> CLOSED: Timeout=2MSL\n');
  });

  it('gives hostile state names ids of their own and escapes every label', () => {
    const graph: StateGraph = {
      initial: HOSTILE[0] ?? '',
      states: HOSTILE,
      edges: HOSTILE.map((label, i) => ({ from: HOSTILE[i] ?? '', to: HOSTILE[(i + 1) % HOSTILE.length] ?? '', label })),
    };
    const diagram = mermaidStateDiagram(graph);
    expect(checkMermaidStateDiagram(diagram)).toEqual([]);
    expect(diagram.split('\n')).toHaveLength(1 + HOSTILE.length + 1 + HOSTILE.length + 1);
    expect(diagram).toContain('    state "#lt;script#gt;alert(1)#lt;/script#gt;" as s2\n');
  });

  it('adds states that only edges name, and prints unlabelled edges without a colon', () => {
    const diagram = mermaidStateDiagram({ states: ['LISTEN'], edges: [{ from: 'LISTEN', to: 'SYN_RECEIVED', label: '' }] });
    expect(diagram).toBe('stateDiagram-v2\n    LISTEN\n    SYN_RECEIVED\n    LISTEN --> SYN_RECEIVED\n');
    expect(checkMermaidStateDiagram(diagram)).toEqual([]);
  });
});

describe('dotStateDiagram', () => {
  it('prints a digraph whose strings decode back to the names and labels', () => {
    const graph: StateGraph = { initial: 'CLOSED', states: HOSTILE, edges: HOSTILE.map((label) => ({ from: 'CLOSED', to: label, label })) };
    const dot = dotStateDiagram(graph);
    expect(checkDot(dot)).toEqual([]);
    for (const text of HOSTILE) {
      expect(decodeDotString(dotString(text))).toBe(text.replace(/\r\n|\r/g, '\n').replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, ' '));
    }
    expect(checkDot(dotStateDiagram(TCP_CLOSE_GRAPH))).toEqual([]);
  });

  const hasDot = hasTool('dot', ['-V']);

  it.skipIf(!hasDot)('is accepted by Graphviz (skipped: `dot` not installed — apt-get install graphviz)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tcpsim-dot-'));
    for (const [i, graph] of [TCP_CLOSE_GRAPH, { initial: 'CLOSED', states: HOSTILE, edges: HOSTILE.map((label) => ({ from: 'CLOSED', to: label, label })) }].entries()) {
      const file = join(dir, `g${i}.dot`);
      writeFileSync(file, dotStateDiagram(graph));
      const svg = execFileSync('dot', ['-Tsvg', file], { encoding: 'utf8' });
      expect(svg).toContain('<svg');
      expect(svg).toContain(i === 0 ? 'FIN_WAIT_1' : '&lt;script&gt;');
    }
  });
});

