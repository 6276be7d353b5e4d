/** `tcpsim list`: the shipped scenarios with their one-line descriptions. */
import { LIST_HELP } from './helpTexts.js';
import { parseFlags } from './parseFlags.js';
import { shippedScenarios } from './shippedScenarios.js';
import { UsageError } from './usageError.js';


/** Prints the shipped scenarios; returns the exit code. */
export function listCommand(argv: string[]): number {
  const { values, positionals } = parseFlags('list', argv, { help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    process.stdout.write(`${LIST_HELP}\n`);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`tcpsim list takes no arguments (found "${positionals[0] ?? ''}")`);
  const all = shippedScenarios();
  const width = Math.max(...all.map((s) => s.name.length));
  const lines = all.map((s) => `${s.name.padEnd(width)}  ${s.description}`.trimEnd());
  lines.push('', `Run one with \`tcpsim run NAME\`; copy its file from ${all[0]?.file.replace(/[^/]+$/, '') ?? 'scenarios/'} to make your own.`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
