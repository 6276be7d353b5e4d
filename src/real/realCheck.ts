/**
 * The whole of real mode for one scenario: refuse what the kernel cannot run (before touching
 * it), run it on the kernel (cleaning up however the run ends), replay it in the model, compare.
 * What `tcpsim real` and the CI suite call.
 */
import type { Scenario } from '../scenario/types.js';
import { withCleanup } from './cleanup.js';
import { crossCheck, type CrossCheck } from './crossCheck.js';
import { modelReplay, type ModelReplay } from './modelReplay.js';
import { realRun, type RealRun } from './realRun.js';
import { locatedError, realPreflight } from './realPreflight.js';
import { scaleScenario } from './scaleScenario.js';

/** Options of a checked real run. */
export interface RealCheckOptions {
  /** Multiplies the scenario's own times (not kernel timers); default 1. */
  readonly timeScale?: number | undefined;
  readonly netns?: boolean | undefined;
  /** Cleanup on SIGINT/SIGTERM/exit too (the CLI); default true. */
  readonly processHooks?: boolean | undefined;
  /** Give up (and clean up) after this long; default: the scenario's length + 30 s. */
  readonly timeoutMs?: number | undefined;
  readonly log?: ((line: string) => void) | undefined;
}

/** A real run, the model's replay of it and the comparison. */
export interface RealCheckResult {
  readonly timeScale: number;
  readonly run: RealRun;
  readonly replay: ModelReplay;
  readonly check: CrossCheck;
}

/** Runs `scenario` on real sockets and cross-checks it with the model. */
export async function realCheck(scenario: Scenario, options: RealCheckOptions = {}): Promise<RealCheckResult> {
  const timeScale = options.timeScale ?? 1;
  // refused before anything touches the kernel: no namespace, no process (realPreflight.ts)
  const problems = realPreflight(scenario, { timeScale });
  if (problems.length > 0) throw locatedError(scenario, problems);
  const scaled = scaleScenario(scenario, timeScale);
  const run = await withCleanup((registry) => realRun(scaled, registry, { netns: options.netns, log: options.log }), {
    timeoutMs: options.timeoutMs ?? scaled.sample.until / 1000 + 30_000,
    processHooks: options.processHooks ?? true,
  });
  const replay = modelReplay(run);
  return { timeScale, run, replay, check: crossCheck(run, replay) };
}
