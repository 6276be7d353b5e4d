/**
 * The endpoint graph arranged as RFC 9293 Figure 5 for `tcpsim diagram` (Mermaid and Graphviz):
 * CLOSED on top, LISTEN and the opening below it, ESTABLISHED in the middle, the closes below,
 * ending in a second CLOSED at the bottom as in the figure. The many resets, aborts and timeouts
 * into CLOSED would otherwise converge on one box from every state; as on the teaching page
 * (web/common/figure5.ts), each state but LISTEN and the two that end a close gets its own small
 * "CLOSED" box beside it, reached by one edge labelled with all its events. Each edge into a
 * CLOSED box carries every event of the model that takes its state there.
 */
import type { StateEdge, StateGraph } from './stateGraph.js';

const CLOSED = 'CLOSED';
/** The bottom CLOSED box, where the closes end. */
export const CLOSED_END = 'CLOSED_end';
/**
 * Where a state's edge into CLOSED goes: LISTEN's back to the top box, the closes' to the bottom
 * one, every other a stub beside its state. (Figure 5 also draws SYN-SENT's into the top box; in
 * Mermaid that edge's label then covers CLOSED → LISTEN's, so SYN_SENT gets a stub too.)
 */
const INTO_CLOSED: Readonly<Record<string, string>> = { LISTEN: CLOSED, LAST_ACK: CLOSED_END, TIME_WAIT: CLOSED_END };
/** Figure 5's rows, top to bottom, left to right (the stubs join their state's row). */
const FIGURE5_ROWS: readonly (readonly string[])[] = [
  [CLOSED],
  ['LISTEN'],
  ['SYN_RECEIVED', 'SYN_SENT'],
  ['ESTABLISHED'],
  ['FIN_WAIT_1', 'CLOSE_WAIT'],
  ['FIN_WAIT_2', 'CLOSING', 'LAST_ACK'],
  ['TIME_WAIT', CLOSED_END],
];

/** The id of the stub CLOSED box beside `state`. */
export function closedStub(state: string): string {
  return `${state}_to_CLOSED`;
}

/** `graph` (RFC state names) with its edges into CLOSED grouped and its states in Figure 5's rows. */
export function figure5Graph(graph: StateGraph): StateGraph {
  const titles: Record<string, string> = { [CLOSED_END]: CLOSED };
  const stubOf = new Map<string, string>();
  const edges = graph.edges.map((e): StateEdge => {
    if (e.to !== CLOSED || e.from === CLOSED) return e;
    const to = INTO_CLOSED[e.from] ?? closedStub(e.from);
    if (to !== CLOSED && to !== CLOSED_END) stubOf.set(e.from, to);
    titles[to] = CLOSED;
    return { ...e, to };
  });
  const withStub = (s: string): string[] => [s, ...(stubOf.has(s) ? [stubOf.get(s)!] : [])];
  const placed = new Set(FIGURE5_ROWS.flat());
  // states Figure 5 does not have (a hand-written graph's) get a row each, below
  const rows = [...FIGURE5_ROWS.map((row) => row.flatMap(withStub)), ...graph.states.filter((s) => !placed.has(s)).map(withStub)];
  const used = new Set(edges.flatMap((e) => [e.from, e.to]).concat(graph.states));
  const shown = rows.map((row) => row.filter((s) => used.has(s))).filter((row) => row.length > 0);
  return { states: shown.flat(), edges, initial: graph.initial ?? CLOSED, titles, rows: shown };
}
