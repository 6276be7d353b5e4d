/**
 * A state graph as the diagram reporters take it: plain names and labelled edges, so it can be
 * fed from the xstate machine (`xstate/graph` `toDirectedGraph`) or written by hand.
 */

/** One labelled transition. */
export interface StateEdge {
  readonly from: string;
  readonly to: string;
  /** Event or rule that fires the transition (`rcv FIN / snd ACK`); may be empty. */
  readonly label: string;
}

/** States (in the order to list them), transitions, and optionally the state a diagram starts in. */
export interface StateGraph {
  readonly states: readonly string[];
  readonly edges: readonly StateEdge[];
  readonly initial?: string;
}

/** Every state of `graph`: the listed ones, then any that only edges name, each once. */
export function allStates(graph: StateGraph): string[] {
  const names = new Set(graph.states);
  if (graph.initial !== undefined) names.add(graph.initial);
  for (const edge of graph.edges) {
    names.add(edge.from);
    names.add(edge.to);
  }
  return [...names];
}
