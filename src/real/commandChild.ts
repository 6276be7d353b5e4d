/**
 * A scenario process run as its own program (`command:`): started with no shell under
 * `prlimit --nofile=N:N` (its scenario nofile) in the run's namespace, in its own process group
 * (killed with the run, whatever way it ends), stdin /dev/null, stdout and stderr drained so it
 * never blocks on a full pipe (the tail is kept for messages).
 */
import type { ChildProcess } from 'node:child_process';
import type { CleanupRegistry } from './cleanup.js';
import { RealModeError } from './realModeError.js';
import { spawnRunChild } from './runChild.js';
import type { CommandSpec } from '../scenario/types.js';

/** How much of each output stream is kept, bytes. */
const TAIL_BYTES = 4096;

/** A running command. */
export interface CommandChild {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  /** The end of what it wrote (stderr first), trimmed. */
  output(): string;
  /** How it ended (`exited with 1`, `killed by SIGSEGV`), or null while it runs. */
  ended(): string | null;
}

function keepTail(tail: { text: string }, chunk: Buffer): void {
  tail.text = (tail.text + chunk.toString('utf8')).slice(-TAIL_BYTES);
}

/** The argv real mode runs for a command: its own, under prlimit at `nofile`. */
export function commandArgv(command: CommandSpec, nofile: number): [string, ...string[]] {
  return ['prlimit', `--nofile=${nofile}:${nofile}`, ...command.argv];
}

/** Starts `command` as process `name`; its process group is killed by `registry`. */
export function startCommand(registry: CleanupRegistry, name: string, command: CommandSpec, nofile: number, options: { readonly runTag: string; readonly netns: string | null }): CommandChild {
  const child = spawnRunChild(registry, commandArgv(command, nofile), {
    runTag: options.runTag,
    netns: options.netns ?? undefined,
    cwd: command.cwd,
    env: command.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new RealModeError(`program ${name}: could not start ${command.argv.join(' ')}`);
  const stdout = { text: '' };
  const stderr = { text: '' };
  child.stdout?.on('data', (chunk: Buffer) => keepTail(stdout, chunk));
  child.stderr?.on('data', (chunk: Buffer) => keepTail(stderr, chunk));
  let end: string | null = null;
  child.on('exit', (code, signal) => {
    end = signal === null ? `exited with ${String(code)}` : `killed by ${signal}`;
  });
  child.on('error', (error) => {
    end = `could not run: ${error.message}`;
  });
  return {
    name,
    child,
    pid,
    output: () => [stderr.text.trim(), stdout.text.trim()].filter((t) => t !== '').join('\n'),
    ended: () => end,
  };
}
