/** The commands tcpsim has, with the one-line summaries the overview and "did you mean" show. */

/** Every command word, in the order the overview lists them. */
export const COMMAND_NAMES = ['run', 'list', 'trace', 'diagram', 'real', 'watch', 'compare', 'teach', 'help'] as const;

/** One of tcpsim's commands. */
export type CommandName = (typeof COMMAND_NAMES)[number];

const SUMMARIES: Readonly<Record<CommandName, readonly [usage: string, summary: string]>> = {
  run: ['tcpsim run FILE [options]', 'simulate a scenario: netstat-style samples, summary, diagnosis'],
  list: ['tcpsim list', 'the shipped scenarios'],
  trace: ['tcpsim trace FILE [options]', 'one connection as an RFC 9293 table, Mermaid, pcapng or JSON'],
  diagram: ['tcpsim diagram [options]', 'the endpoint state diagram, drawn from the model'],
  real: ['tcpsim real FILE [options]', 'run it on real sockets and cross-check the model, socket by socket'],
  watch: ['tcpsim watch --pid PID | --port PORT | -- CMD', 'watch a live process: sockets by state, fds, time to EMFILE, diagnosis'],
  compare: ['tcpsim compare RECORDED.json FILE', 'line up a recorded timeline with a scenario\'s model run'],
  teach: ['tcpsim teach [--port N]', 'serve the interactive teaching page on 127.0.0.1'],
  help: ['tcpsim help [COMMAND]', 'help for a command'],
};

/** The commands, one per line, usage and summary aligned. */
export function commandSummaries(): string {
  const width = Math.max(...COMMAND_NAMES.map((c) => SUMMARIES[c][0].length));
  return COMMAND_NAMES.map((c) => `  ${SUMMARIES[c][0].padEnd(width)}   ${SUMMARIES[c][1]}`).join('\n');
}

/** Help text of `tcpsim`. */
export const MAIN_HELP = `tcpsim — a deterministic simulator of the TCP close handshake

Usage:
${commandSummaries()}

Start with:  tcpsim run article-java-forgot-close
\`tcpsim help COMMAND\` (or \`tcpsim COMMAND --help\`) explains a command.
Scenario files are described in docs/scenario-format.md.`;
