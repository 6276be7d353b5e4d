/**
 * Running an external program (ss, ip, nft, sysctl) with an argument array — never through a
 * shell — with a timeout, optional stdin, and optionally inside a network namespace.
 */
import { spawn, spawnSync } from 'node:child_process';

/** What a finished command left behind. */
export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
  /** Exit code, or null when a signal ended it. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** How to run a command. */
export interface CommandOptions {
  /** Run inside this network namespace (`ip netns exec NAME ...`). */
  readonly netns?: string | undefined;
  /** Written to the command's stdin, which is then closed. */
  readonly input?: string | undefined;
  /** Kill the command (SIGKILL) after this long; default 10 s. */
  readonly timeoutMs?: number | undefined;
}

/** An argv whose first element is the program. */
export type Argv = readonly [string, ...string[]];

/** The argv that runs `argv` inside namespace `netns` (or `argv` itself when none). */
export function withNetns(argv: Argv, netns: string | undefined): Argv {
  return netns === undefined ? argv : ['ip', 'netns', 'exec', netns, ...argv];
}

/** Runs `argv` to completion and returns its output; rejects only if it cannot be started. */
export function runCommand(argv: Argv, options: CommandOptions = {}): Promise<CommandResult> {
  const [file, ...args] = withNetns(argv, options.netns);
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 10_000);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        code,
        signal,
      });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** A command real mode needed failed (the machine, not the scenario): `tcpsim real` exits 3. */
export class CommandError extends Error {
  override readonly name = 'CommandError';

  constructor(shown: string, result: CommandResult) {
    const why = result.signal !== null ? `killed by ${result.signal}` : `exit ${String(result.code)}`;
    super(`${shown}: ${why}: ${result.stderr.trim()}`);
  }
}

/** Runs `argv` and returns stdout; rejects with a CommandError (command line and stderr) when it fails. */
export async function runChecked(argv: Argv, options: CommandOptions = {}): Promise<string> {
  const result = await runCommand(argv, options);
  if (result.code !== 0) throw new CommandError(withNetns(argv, options.netns).join(' '), result);
  return result.stdout;
}

/** Synchronous variant for cleanup paths (signal handlers, process 'exit'); never throws. */
export function runSyncQuiet(argv: Argv, options: CommandOptions = {}): CommandResult {
  const [file, ...args] = withNetns(argv, options.netns);
  const result = spawnSync(file, args, {
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 10_000,
    killSignal: 'SIGKILL',
  });
  return {
    stdout: result.stdout ?? '',
    stderr: result.error !== undefined ? String(result.error) : (result.stderr ?? ''),
    code: result.status,
    signal: result.signal,
  };
}
