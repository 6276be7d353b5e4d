#!/usr/bin/env node
/**
 * The tcpsim command line: parses the command word and dispatches; nothing else. Every command
 * is imported only when it runs, so `tcpsim --help` loads this file and little more.
 */
import { BROKEN_PIPE_STATUS, exitQuietlyOnBrokenPipe, isBrokenPipe } from './brokenPipe.js';
import { COMMAND_NAMES, MAIN_HELP, commandSummaries, type CommandName } from './commandTable.js';
import { enableCompileCache } from './compileCache.js';
import { loadRealModule } from './realModule.js';
import { suggest } from '../scenario/suggest.js';
import { ScenarioError } from '../scenario/scenarioError.js';
import { UsageError } from './usageError.js';

type Command = (argv: string[]) => Promise<number> | number;

const COMMANDS: Readonly<Record<CommandName, () => Promise<Command>>> = {
  run: async () => (await import('./runCommand.js')).runCommand,
  list: async () => (await import('./listCommand.js')).listCommand,
  trace: async () => (await import('./traceCommand.js')).traceCommand,
  diagram: async () => (await import('./diagramCommand.js')).diagramCommand,
  real: async () => (await loadRealModule()).realCommand,
  watch: async () => (await import('./watchCommand.js')).watchCommand,
  compare: async () => (await import('./compareCommand.js')).compareCommand,
  teach: async () => (await import('./teachCommand.js')).teachCommand,
  help: async () => helpCommand,
};

function isCommand(word: string): word is CommandName {
  return (COMMAND_NAMES as readonly string[]).includes(word);
}

/** The help text of `command`, loaded without the command itself (real mode keeps its own). */
async function helpOf(command: CommandName): Promise<string> {
  if (command === 'help') return MAIN_HELP;
  if (command === 'real') return (await loadRealModule()).REAL_HELP;
  const texts = await import('./helpTexts.js');
  return { run: texts.RUN_HELP, list: texts.LIST_HELP, trace: texts.TRACE_HELP, diagram: texts.DIAGRAM_HELP, watch: texts.WATCH_HELP, compare: texts.COMPARE_HELP, teach: texts.TEACH_HELP }[command];
}

/** `tcpsim help [COMMAND]`: the overview, or that command's own --help. */
async function helpCommand(argv: string[]): Promise<number> {
  const topic = argv.find((a) => !a.startsWith('-'));
  if (topic !== undefined && !isCommand(topic)) throw unknownCommand(topic, 'help');
  process.stdout.write(`${await helpOf(topic ?? 'help')}\n`);
  return 0;
}

/** Whether the words after a command ask for its help (before `--`, which ends the options). */
function asksForHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

function unknownCommand(word: string, context: 'command' | 'help'): UsageError {
  const close = suggest(word, COMMAND_NAMES);
  const what = context === 'help' ? `no help on "${word}": tcpsim has no such command` : `unknown command "${word}"`;
  return new UsageError(`${what}${close === undefined ? '' : `; did you mean \`tcpsim ${close}\`?`}\nCommands:\n${commandSummaries()}`);
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help') {
    process.stdout.write(`${MAIN_HELP}\n`);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-V') {
    process.stdout.write('tcpsim 0.1.0\n');
    return 0;
  }
  if (command.startsWith('-')) throw new UsageError(`${command} before a command: options go after it, as in \`tcpsim run NAME ${command}\``);
  if (!isCommand(command)) throw unknownCommand(command, 'command');
  if (asksForHelp(rest)) return helpCommand([command]);
  try {
    return await (await COMMANDS[command]())(rest);
  } catch (err) {
    const mapped = await withOurWords(command, err);
    if (mapped instanceof UsageError && command !== 'help') mapped.command ??= command;
    throw mapped;
  }
}

/** Node's own parser errors (real mode still uses util.parseArgs) in tcpsim's words. */
async function withOurWords(command: CommandName, err: unknown): Promise<unknown> {
  if (!(err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) return err;
  const { flagsInHelp } = await import('./flagsInHelp.js');
  const known = await flagsInHelp(command);
  const unknown = /'(-[^']*)'/.exec(err.message)?.[1];
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown !== undefined) {
    const { unknownFlag } = await import('./parseFlags.js');
    return unknownFlag(command, unknown, known);
  }
  const option = /'(--[a-z-]+)/.exec(err.message)?.[1] ?? 'an option';
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return new UsageError(`${option}: missing or unusable value (write ${option}=VALUE for a value that starts with -)`);
  return new UsageError(`tcpsim ${command}: unexpected argument${unknown === undefined ? '' : ` ${unknown}`}`);
}

enableCompileCache();
exitQuietlyOnBrokenPipe();
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  async (err: unknown) => {
    if (isBrokenPipe(err)) {
      process.exitCode = BROKEN_PIPE_STATUS;
    } else if (err instanceof ScenarioError) {
      const [{ formatScenarioError }, { wantsColor }] = await Promise.all([import('../scenario/formatScenarioError.js'), import('./paint.js')]);
      process.stderr.write(`${formatScenarioError(err, { color: wantsColor(process.stderr, false) })}\n`);
      process.exitCode = 2;
    } else if (err instanceof UsageError) {
      process.stderr.write(`tcpsim: ${err.message}\nTry \`tcpsim help${err.command === undefined ? '' : ` ${err.command}`}\`.\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`tcpsim: internal error — please report it with the command you ran\n${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 70;
    }
  },
);
