/**
 * The watch's clock: a sample at t = 0 and every `every` after it (on a fixed grid, so a slow
 * sample does not push the later ones back), until `--for` has passed, the caller stops it
 * (Ctrl-C), the watched processes are all gone, or the started command exits.
 */
import { readFileSync } from 'node:fs';
import { WatchHistory } from './watchHistory.js';
import { watchFindings, type Finding, type FindingContext } from './watchFindings.js';
import type { WatchEnd } from './watchJson.js';
import type { WatchSample } from './watchSample.js';
import { WatchSampler, type WatchTarget } from './watchSampler.js';

/** How to watch. */
export interface WatchSessionOptions {
  readonly target: WatchTarget;
  readonly everyMs: number;
  readonly forMs: number | undefined;
  /** Aborted to end the watch (Ctrl-C without a command). */
  readonly stop: AbortSignal;
  /** Resolves when the started command exits. */
  readonly commandExited?: Promise<unknown>;
  /** Called after each sample, with the findings so far. */
  readonly onSample: (sample: WatchSample, history: WatchHistory, findings: readonly Finding[]) => void;
  /** performance.now() of t = 0 (default: now). */
  readonly startMs?: number;
}

/** What a watch saw. */
export interface WatchOutcome {
  readonly history: WatchHistory;
  readonly findings: readonly Finding[];
  readonly context: FindingContext;
  readonly notSeen: readonly string[];
  readonly ended: WatchEnd;
}

function sysctl(name: string): number | undefined {
  try {
    const value = Number(readFileSync(`/proc/sys/${name.replaceAll('.', '/')}`, 'utf8').trim());
    return Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The kernel settings the findings quote, with the sampling interval. */
export function findingContext(everyMs: number): FindingContext {
  return { everyMs, finTimeoutS: sysctl('net.ipv4.tcp_fin_timeout'), twReuse: sysctl('net.ipv4.tcp_tw_reuse') };
}

/** Resolves after `ms`, or as soon as one of `wakers` settles. */
function pause(ms: number, stop: AbortSignal, commandExited: Promise<unknown> | undefined): Promise<'time' | 'stop' | 'command'> {
  return new Promise((resolve) => {
    if (stop.aborted) {
      resolve('stop');
      return;
    }
    const timer = setTimeout(() => done('time'), Math.max(0, ms));
    const onStop = (): void => done('stop');
    stop.addEventListener('abort', onStop, { once: true });
    commandExited?.then(
      () => done('command'),
      () => done('command'),
    );
    let settled = false;
    function done(why: 'time' | 'stop' | 'command'): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stop.removeEventListener('abort', onStop);
      resolve(why);
    }
  });
}

/** Runs the watch to its end. */
export async function watchSession(options: WatchSessionOptions): Promise<WatchOutcome> {
  const startMs = options.startMs ?? performance.now();
  const sampler = new WatchSampler(options.target, startMs);
  const history = new WatchHistory();
  const context = findingContext(options.everyMs);
  let findings: Finding[] = [];
  let ended: WatchEnd = 'exited';
  let commandDone = false;
  void options.commandExited?.then(() => (commandDone = true));
  try {
    for (let k = 1; ; k++) {
      if (commandDone) {
        ended = 'command-exited';
        break;
      }
      const sample = sampler.sample();
      if (sample === undefined) {
        ended = options.commandExited === undefined ? 'exited' : 'command-exited';
        break;
      }
      history.add(sample);
      findings = watchFindings(history, context);
      options.onSample(sample, history, findings);
      const elapsed = performance.now() - startMs;
      k = Math.max(k, Math.ceil(elapsed / options.everyMs));
      const next = k * options.everyMs;
      if (options.forMs !== undefined && next > options.forMs) {
        ended = 'for';
        break;
      }
      const woke = await pause(next - (performance.now() - startMs), options.stop, options.commandExited);
      if (woke === 'stop') {
        ended = 'interrupted';
        break;
      }
      if (woke === 'command') {
        ended = 'command-exited';
        break;
      }
    }
  } finally {
    sampler.close();
  }
  return { history, findings, context, notSeen: sampler.notSeen(), ended };
}
