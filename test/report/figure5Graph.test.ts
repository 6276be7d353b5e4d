/**
 * `tcpsim diagram`'s Figure 5 arrangement: the edges into CLOSED grouped (one per source state,
 * to the top box, the bottom box or a stub beside it) without losing any of the model's
 * transitions into CLOSED, and the rows in Figure 5's order.
 */
import { describe, expect, it } from 'vitest';
import { endpointGraph } from '../../src/model/endpointGraph.js';
import { featuresOf, resolveProfile } from '../../src/model/profile.js';
import { dotStateDiagram } from '../../src/report/dot.js';
import { CLOSED_END, closedStub, figure5Graph } from '../../src/report/figure5Graph.js';
import { mermaidStateDiagram } from '../../src/report/mermaid.js';
import { titleOf } from '../../src/report/stateGraph.js';
import { checkDot, checkMermaidStateDiagram } from './mermaidGrammar.js';

describe.each(['linux', 'rfc9293'] as const)('figure5Graph, profile %s', (profile) => {
  const model = endpointGraph(featuresOf(resolveProfile(profile)));
  const graph = figure5Graph(model);
  const intoClosed = graph.edges.filter((e) => titleOf(graph, e.to) === 'CLOSED');

  it('has at most one edge from each state into a box shown as CLOSED', () => {
    const sources = intoClosed.map((e) => e.from);
    expect(sources.length).toBeGreaterThan(5);
    expect(new Set(sources).size).toBe(sources.length);
  });

  it('keeps every (state, event → CLOSED) transition of the model in the label of that state\'s edge', () => {
    const transitions = model.edges.filter((e) => e.to === 'CLOSED').flatMap((e) => e.label.split('\n').map((event) => ({ from: e.from, event })));
    expect(transitions.length).toBeGreaterThan(10);
    for (const { from, event } of transitions) {
      const edge = intoClosed.find((e) => e.from === from);
      expect(edge?.label.split('\n'), `${from}: ${event}`).toContain(event);
    }
  });

  it('only LISTEN goes back into the top CLOSED; the closes end in the bottom one; the others in their stubs', () => {
    expect(graph.edges.filter((e) => e.to === 'CLOSED').map((e) => e.from)).toEqual(['LISTEN']);
    expect(graph.edges.filter((e) => e.to === CLOSED_END).map((e) => e.from).sort()).toEqual(['LAST_ACK', 'TIME_WAIT']);
    for (const s of ['SYN_SENT', 'SYN_RECEIVED', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSING', 'CLOSE_WAIT']) {
      expect(graph.edges.filter((e) => e.from === s && e.to === closedStub(s)), s).toHaveLength(1);
    }
  });

  it('puts CLOSED on top, the opening above ESTABLISHED, the closes below, each stub in its state\'s row', () => {
    const row = (s: string): number => graph.rows!.findIndex((r) => r.includes(s));
    expect(row('CLOSED')).toBe(0);
    expect(row('SYN_SENT')).toBeLessThan(row('ESTABLISHED'));
    expect(row('SYN_RECEIVED')).toBeLessThan(row('ESTABLISHED'));
    for (const s of ['FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSING', 'TIME_WAIT', 'CLOSE_WAIT', 'LAST_ACK', CLOSED_END]) expect(row(s), s).toBeGreaterThan(row('ESTABLISHED'));
    for (const e of intoClosed) if (e.to === closedStub(e.from)) expect(row(e.to)).toBe(row(e.from));
    expect(graph.rows!.flat().sort()).toEqual([...graph.states].sort());
  });

  it('renders as Mermaid and DOT that pass the grammar checkers, each box shown as CLOSED declared so', () => {
    const mermaid = mermaidStateDiagram(graph);
    expect(checkMermaidStateDiagram(mermaid)).toEqual([]);
    expect(mermaid).toContain(`    state "CLOSED" as ${closedStub('ESTABLISHED')}\n`);
    expect(mermaid.indexOf('    CLOSED\n')).toBeLessThan(mermaid.indexOf('    LISTEN\n'));
    const dot = dotStateDiagram(graph);
    expect(checkDot(dot)).toEqual([]);
    expect(dot).toContain(`  "${CLOSED_END}" [label="CLOSED"];\n`);
    expect(dot).toContain('  { rank=same; "SYN_RECEIVED"; "SYN_RECEIVED_to_CLOSED"; "SYN_SENT"; "SYN_SENT_to_CLOSED"; }\n');
    expect(dot).toContain('  "CLOSED" -> "LISTEN" [style=invis];\n');
  });
});
