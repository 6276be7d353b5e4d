/**
 * Graphviz DOT for a state graph, for `dot -Tsvg`: every name and label is a quoted DOT string,
 * so any text is safe.
 */
import { allStates } from './stateGraph.js';
import type { StateGraph } from './stateGraph.js';

/** `text` as a DOT quoted string (backslash, quote and line breaks escaped). */
export function dotString(text: string): string {
  const escaped = text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r\n|\r|\n/g, '\\n');
  return `"${escaped.replace(/[\u0000-\u001f\u007f]/g, ' ')}"`;
}

/** A `digraph` of `graph`: one node per state, one labelled edge per transition. */
export function dotStateDiagram(graph: StateGraph, name = 'tcp'): string {
  const out = [`digraph ${dotString(name)} {`, '  node [shape=box, style=rounded];'];
  for (const state of allStates(graph)) out.push(`  ${dotString(state)};`);
  if (graph.initial !== undefined) {
    out.push('  "__start" [shape=point, label=""];', `  "__start" -> ${dotString(graph.initial)};`);
  }
  for (const e of graph.edges) {
    out.push(`  ${dotString(e.from)} -> ${dotString(e.to)} [label=${dotString(e.label)}];`);
  }
  out.push('}');
  return out.join('\n') + '\n';
}
