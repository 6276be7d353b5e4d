/**
 * How late a program at the run's priority wakes up on this machine, for programs that cannot
 * say it themselves (commands). A small Node child, started like the programs (same namespace,
 * same nice value, its own process group), runs a 10 ms timer and reports on stdout how late it
 * fired at worst. A command's sleeps and its reactions to the peer wait for the scheduler the
 * same way, so what follows from them in the kernel may be that much later than the model.
 * A proxy, not a measurement of the command itself: a JVM's own pauses (a GC's safepoint) are
 * not in it.
 */
import type { CleanupRegistry } from './cleanup.js';
import { spawnRunChild } from './runChild.js';

/** The probe's program: a 10 ms timer; each new worst lateness is printed as one line of milliseconds. */
export const PROBE_SCRIPT = `let worst = 0; let due = Date.now() + 10;
setInterval(() => { const late = Date.now() - due; due = Date.now() + 10;
  if (late > worst) { worst = late; process.stdout.write(worst + '\\n'); } }, 10);
process.stdin.on('end', () => process.exit(0)); process.stdin.resume();`;

/** A running probe. */
export interface LatenessProbe {
  /** The worst lateness reported so far, milliseconds. */
  worstMs(): number;
}

/** Starts the probe in `netns` (or here); it is killed by `registry` with the run. */
export function startLatenessProbe(registry: CleanupRegistry, options: { readonly runTag: string; readonly netns: string | null }): LatenessProbe {
  const child = spawnRunChild(registry, [process.execPath, '-e', PROBE_SCRIPT], { runTag: options.runTag, netns: options.netns ?? undefined, stdio: ['pipe', 'pipe', 'ignore'] });
  let worst = 0;
  let buffer = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    buffer += chunk;
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      const ms = Number(line);
      if (Number.isFinite(ms)) worst = Math.max(worst, ms);
    }
  });
  child.stdin?.on('error', () => undefined);
  return { worstMs: () => worst };
}
