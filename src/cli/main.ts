#!/usr/bin/env node
/** The tcpsim command line: parses the command word and dispatches; nothing else. */
import { ScenarioError, formatScenarioError } from '../scenario/index.js';
import { listCommand } from './listCommand.js';
import { runCommand } from './runCommand.js';
import { UsageError } from './usageError.js';
import { wantsColor } from './paint.js';

/** Help text of `tcpsim`. */
export const MAIN_HELP = `tcpsim — a deterministic simulator of the TCP close handshake

Usage:
  tcpsim run FILE [options]     simulate a scenario: netstat-style samples, summary, diagnosis
  tcpsim list                   the shipped scenarios
  tcpsim trace FILE [options]   one connection as an RFC 9293 table, Mermaid, pcapng or JSON
  tcpsim diagram [options]      the endpoint state diagram, drawn from the model
  tcpsim real FILE [options]    run it on real sockets and cross-check the model, socket by socket
  tcpsim help [COMMAND]         help for a command

Start with:  tcpsim run article-java-forgot-close
Each command takes --help. Scenario files are described in docs/scenario-format.md.`;

type Command = (argv: string[]) => Promise<number> | number;

const COMMANDS: Record<string, () => Promise<Command>> = {
  run: async () => runCommand,
  list: async () => () => listCommand(),
  trace: async () => (await import('./traceCommand.js')).traceCommand,
  diagram: async () => (await import('./diagramCommand.js')).diagramCommand,
  real: async () => (await import('./realCommand.js')).realCommand,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help') {
    process.stdout.write(`${MAIN_HELP}\n`);
    return command === undefined ? 2 : 0;
  }
  if (command === 'help') {
    const topic = rest[0];
    if (topic === undefined) {
      process.stdout.write(`${MAIN_HELP}\n`);
      return 0;
    }
    return main([topic, '--help']);
  }
  if (command === '--version' || command === '-V') {
    process.stdout.write('tcpsim 0.1.0\n');
    return 0;
  }
  const load = COMMANDS[command];
  if (!load) throw new UsageError(`unknown command "${command}"; commands: ${Object.keys(COMMANDS).join(', ')}`);
  return (await load())(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ScenarioError) {
      process.stderr.write(`${formatScenarioError(err, { color: wantsColor(process.stderr, false) })}\n`);
      process.exitCode = 2;
    } else if (err instanceof UsageError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`tcpsim: ${err.message}\nTry \`tcpsim --help\`.\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`tcpsim: internal error — please report it with the command you ran\n${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 70;
    }
  },
);
