/**
 * Whole-process figures for the benchmark: wall time from spawn to exit as the parent sees it,
 * and peak RSS — for a Node child read at its exit through a preloaded module (rssAtExit.ts),
 * for another program from /proc/PID/status's VmHWM, polled while it runs.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const RSS_AT_EXIT = pathToFileURL(fileURLToPath(new URL('./rssAtExit.js', import.meta.url))).href;

/** One process's run as seen from outside. */
export interface ProcessFigures {
  readonly wallMs: number;
  readonly peakRssBytes: number;
  readonly stdout: string;
  /** Kept apart from the bench's own output (tcpsim's progress line, ns-3's warnings). */
  readonly stderr: string;
  readonly code: number | null;
}

function vmHwm(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Runs `command args`, polling its peak RSS every 5 ms. */
export function runProcess(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<ProcessFigures> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let peak = 0;
    const poll = setInterval(() => {
      if (child.pid !== undefined) peak = Math.max(peak, vmHwm(child.pid));
    }, 5);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      clearInterval(poll);
      reject(e);
    });
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      clearInterval(poll);
      resolve({ wallMs, peakRssBytes: peak, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code });
    });
  });
}

/** Runs a Node program as its own process; its peak RSS is exact (read by the program itself at exit). */
export async function runNode(args: readonly string[]): Promise<ProcessFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'tcpsim-bench-'));
  const file = join(dir, 'rss');
  try {
    const run = await runProcess(process.execPath, ['--max-old-space-size=4096', '--import', RSS_AT_EXIT, ...args], { ...process.env, TCPSIM_BENCH_RSS_FILE: file });
    const exact = Number(readFileSync(file, 'utf8'));
    return { ...run, peakRssBytes: exact };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
