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
  /** The name to show for a state whose id is not its name (two boxes both shown as CLOSED); default: the id. */
  readonly titles?: Readonly<Record<string, string>>;
  /** Rows of states, top to bottom, each left to right: Graphviz keeps each row on one rank. */
  readonly rows?: readonly (readonly string[])[];
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

/** The name `graph` shows for state `id`. */
export function titleOf(graph: StateGraph, id: string): string {
  return graph.titles !== undefined && Object.hasOwn(graph.titles, id) ? graph.titles[id]! : id;
}
