/** `tcpsim diagram`: the endpoint state diagram generated from the xstate machine. */
import { parseFlags } from './parseFlags.js';
import { endpointGraph } from '../model/endpointGraph.js';
import { featuresOf, resolveProfile } from '../model/profile.js';
import { dotStateDiagram } from '../report/dot.js';
import { mermaidStateDiagram } from '../report/mermaid.js';
import { UsageError } from './usageError.js';
import { withNewline } from './withNewline.js';

/** Help text of `tcpsim diagram`. */
export const DIAGRAM_HELP = `Usage: tcpsim diagram [--profile linux|rfc9293] [--format mermaid|dot]

Print the TCP endpoint state diagram (RFC 9293 Figure 5) as tcpsim runs it:
generated from the xstate machine, so it cannot drift from the model. The
profiles differ: linux has the tcp_fin_timeout edge out of FIN_WAIT_2.

Options:
  --profile P    linux (default) or rfc9293
  --format F     mermaid (default, a stateDiagram-v2) or dot (Graphviz)
  -h, --help     this help`;

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
  const graph = endpointGraph(featuresOf(resolveProfile(profile)));
  if (format === 'mermaid') process.stdout.write(withNewline(mermaidStateDiagram(graph)));
  else process.stdout.write(withNewline(dotStateDiagram(graph, `tcp_${profile}`)));
  return 0;
}
