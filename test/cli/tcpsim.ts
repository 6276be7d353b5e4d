/** Runs the built CLI (dist/cli/main.js) as a user would, for the command-line tests. */
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/** Path of the built command line. */
export const CLI = resolve('dist/cli/main.js');

/** What a finished tcpsim printed and how it exited. */
export interface Outcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `tcpsim ARGS` to the end (a generous timeout guards against hangs only). */
export function tcpsim(args: readonly string[], options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number; nodeArgs?: readonly string[] } = {}): Outcome {
  const out = spawnSync(process.execPath, [...(options.nodeArgs ?? []), CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    timeout: options.timeoutMs ?? 60_000,
    maxBuffer: 256 << 20,
  });
  return { code: out.status, signal: out.signal, stdout: out.stdout, stderr: out.stderr };
}

/** Runs `tcpsim ARGS` with a stdout nobody reads: the read end is closed before tcpsim writes. */
export function tcpsimIntoClosedPipe(args: readonly string[]): Promise<Outcome> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout: '', stderr });
    });
  });
}
