/**
 * Starting a child process of a run: its own process group (so the whole group can be killed),
 * the run tag in its environment (so leftovers can be found), and its kill registered for cleanup.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { killProcessGroup, type CleanupRegistry } from './cleanup.js';
import type { Argv } from './runCommand.js';
import { withNetns } from './runCommand.js';
import { RealModeError } from './realModeError.js';
import { RUN_TAG_ENV } from './runTag.js';

/** How to start a run's child. */
export interface RunChildOptions {
  readonly runTag: string;
  readonly netns?: string | undefined;
  readonly stdio?: StdioOptions | undefined;
  readonly env?: Readonly<Record<string, string>> | undefined;
  /** Working directory (default: this process's). */
  readonly cwd?: string | undefined;
}

/** Spawns `argv` (no shell) in a new process group whose SIGKILL is registered with `registry`. */
export function spawnRunChild(registry: CleanupRegistry, argv: Argv, options: RunChildOptions): ChildProcess {
  const [file, ...args] = withNetns(argv, options.netns);
  const child = spawn(file, args, {
    detached: true,
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    stdio: options.stdio ?? ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env, [RUN_TAG_ENV]: options.runTag },
  });
  const pid = child.pid;
  if (pid === undefined) {
    child.on('error', () => undefined);
    throw new RealModeError(`could not start ${argv.join(' ')}`);
  }
  // Stays registered after the leader exits: members of its group may live on.
  registry.add(`process group ${pid} (${argv[0]})`, () => killProcessGroup(pid, 'SIGKILL'));
  return child;
}
