/**
 * Graphviz DOT for a state graph, for `dot -Tsvg`: every name and label is a quoted DOT string,
 * so any text is safe.
 */
import { allStates, titleOf } from './stateGraph.js';
import type { StateGraph } from './stateGraph.js';

/** `text` as a DOT quoted string (backslash, quote and line breaks escaped). */
export function dotString(text: string): string {
  const escaped = text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r\n|\r|\n/g, '\\n');
  return `"${escaped.replace(/[\u0000-\u001f\u007f]/g, ' ')}"`;
}

/**
 * A `digraph` of `graph`: one node per state (labelled with its title when it has one), one
 * labelled edge per transition, and each of the graph's rows kept on one rank, the rows in order.
 */
export function dotStateDiagram(graph: StateGraph, name = 'tcp'): string {
  const out = [`digraph ${dotString(name)} {`, '  node [shape=box, style=rounded];'];
  for (const state of allStates(graph)) {
    const title = titleOf(graph, state);
    out.push(title === state ? `  ${dotString(state)};` : `  ${dotString(state)} [label=${dotString(title)}];`);
  }
  if (graph.initial !== undefined) {
    out.push('  "__start" [shape=point, label=""];', `  "__start" -> ${dotString(graph.initial)};`);
  }
  for (const e of graph.edges) {
    out.push(`  ${dotString(e.from)} -> ${dotString(e.to)} [label=${dotString(e.label)}];`);
  }
  const rows = graph.rows ?? [];
  rows.forEach((row, i) => {
    if (row.length > 1) out.push(`  { rank=same; ${row.map(dotString).join('; ')}; }`);
    // an unseen edge from each row's first state to the next row's keeps the rows in order
    const below = rows[i + 1]?.[0];
    if (row[0] !== undefined && below !== undefined) out.push(`  ${dotString(row[0])} -> ${dotString(below)} [style=invis];`);
  });
  out.push('}');
  return out.join('\n') + '\n';
}
