/** `tcpsim diagram`: the endpoint state diagram generated from the xstate machine, laid out as RFC 9293 Figure 5. */
import { DIAGRAM_HELP } from './helpTexts.js';
import { parseFlags } from './parseFlags.js';
import { endpointGraph } from '../model/endpointGraph.js';
import { featuresOf, resolveProfile } from '../model/profile.js';
import { dotStateDiagram } from '../report/dot.js';
import { figure5Graph } from '../report/figure5Graph.js';
import { mermaidStateDiagram } from '../report/mermaid.js';
import { UsageError } from './usageError.js';
import { withNewline } from './withNewline.js';


/** Runs `tcpsim diagram`; returns the exit code. */
export function diagramCommand(argv: string[]): number {
  const { values, positionals } = parseFlags('diagram', argv, { profile: { type: 'string' }, format: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    process.stdout.write(`${DIAGRAM_HELP}\n`);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`tcpsim diagram takes no scenario (found "${positionals[0] ?? ''}"); it draws the model itself`);
  const profile = values.profile ?? 'linux';
  const format = values.format ?? 'mermaid';
  if (profile !== 'linux' && profile !== 'rfc9293') throw new UsageError(`--profile: expected linux or rfc9293, found "${profile}"`);
  if (format !== 'mermaid' && format !== 'dot') throw new UsageError(`--format: expected mermaid or dot, found "${format}"`);
  const graph = figure5Graph(endpointGraph(featuresOf(resolveProfile(profile))));
  if (format === 'mermaid') process.stdout.write(withNewline(mermaidStateDiagram(graph)));
  else process.stdout.write(withNewline(dotStateDiagram(graph, `tcp_${profile}`)));
  return 0;
}
