/** The long options a command documents in its --help text (for "did you mean" on commands that parse with util.parseArgs). */
import type { CommandName } from './commandTable.js';
import { loadRealModule } from './realModule.js';

/** The `--name` options named in `tcpsim COMMAND --help`, without the dashes. */
export async function flagsInHelp(command: CommandName): Promise<string[]> {
  const help = command === 'real' ? (await loadRealModule()).REAL_HELP : '';
  return [...new Set([...help.matchAll(/--([a-z][a-z-]*)/g)].map((m) => m[1] ?? ''))].filter((f) => f !== '');
}
