/**
 * The real subjects of the watch tests: the small Node server of fixtures/server.mjs (leaky or
 * good, optionally under prlimit), clients that connect to it on 127.0.0.1 and close, and
 * `tcpsim watch` run in the background while they do. Everything started here is stopped by pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { resolve } from 'node:path';
import { CLI, type Outcome } from '../cli/tcpsim.js';

/** The fixture server's path. */
export const SERVER = resolve('test/watch/fixtures/server.mjs');

/** A started server. */
export interface LiveServer {
  readonly pid: number;
  readonly port: number;
  readonly child: ChildProcess;
  /** Kills it (SIGKILL) and waits for it to go. */
  stop(): Promise<void>;
}

/** Resolves with the first line of `child`'s stdout that matches `pattern`. */
export function lineMatching(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((done, fail) => {
    let text = '';
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('utf8');
      const match = pattern.exec(text);
      if (match !== null) {
        child.stdout?.off('data', onData);
        done(match);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => fail(new Error(`exited (${String(code)}) before printing ${String(pattern)}: ${text}`)));
  });
}

/**
 * Resolves with the first sample line of `tcpsim watch --json` on `child`'s stdout for which
 * `holds` is true: a test ends the watch on what it waits for (then Ctrl-C), not after a time
 * that a loaded machine may not keep. Rejects, quoting the latest sample, if the watch ends first.
 */
export function sampleMatching<S>(child: ChildProcess, holds: (sample: S) => boolean): Promise<S> {
  return new Promise((done, fail) => {
    let text = '';
    let latest = '';
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('utf8');
      let nl: number;
      while ((nl = text.indexOf('\n')) >= 0) {
        const line = text.slice(0, nl);
        text = text.slice(nl + 1);
        if (!line.startsWith('{"kind":"sample"')) continue;
        latest = line;
        const sample = JSON.parse(line) as S;
        if (holds(sample)) {
          child.stdout?.off('data', onData);
          done(sample);
          return;
        }
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => fail(new Error(`the watch ended (${String(code)}) before the sample waited for; the latest: ${latest}`)));
  });
}

/** Starts the fixture server (`prefix`, such as prlimit, goes before node) and waits for its listener. */
export async function startServer(mode: 'leaky' | 'good', prefix: readonly string[] = []): Promise<LiveServer> {
  const argv = [...prefix, process.execPath, SERVER, mode, '0'];
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  const match = await lineMatching(child, /listening (\d+) (\d+)\n/);
  return {
    pid: Number(match[2]),
    port: Number(match[1]),
    child,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = once(child, 'exit');
      child.kill('SIGKILL');
      await gone;
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/**
 * `count` clients, one every `gapMs`, each connecting to 127.0.0.1:`port`, sending a line and
 * closing 30 ms later; resolves when the last has closed. A refused or reset client is counted,
 * not thrown.
 */
export async function driveClients(port: number, count: number, gapMs: number): Promise<{ connected: number; failed: number }> {
  let connected = 0;
  let failed = 0;
  const running: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    running.push(
      new Promise<void>((done) => {
        const socket = net.connect(port, '127.0.0.1', () => {
          connected += 1;
          socket.write('hello\n');
          setTimeout(() => socket.destroy(), 30);
        });
        socket.on('error', () => {
          failed += 1;
        });
        socket.on('close', () => done());
      }),
    );
    await sleep(gapMs);
  }
  await Promise.all(running);
  return { connected, failed };
}

/** `tcpsim watch ARGS` (or any tcpsim command) running in the background. */
export interface Background {
  readonly child: ChildProcess;
  /** Resolves when it exits, with everything it printed. */
  readonly done: Promise<Outcome>;
}

/** Starts `tcpsim ARGS` without waiting for it. */
export function tcpsimInBackground(args: readonly string[]): Background {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (stdout += chunk));
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  const done = new Promise<Outcome>((resolveDone) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolveDone({ code, signal, stdout, stderr });
    });
  });
  return { child, done };
}

/** The newline-delimited JSON objects of `tcpsim watch --json`. */
export function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

export { sleep };
