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
  /** Run every process with the built-in runner, ignoring the scenario's `command:` entries. */
  readonly builtin?: boolean | undefined;
}

/** A real run, the model's replay of it and the comparison. */
export interface RealCheckResult {
  readonly timeScale: number;
  readonly run: RealRun;
  readonly replay: ModelReplay;
  readonly check: CrossCheck;
}

/** The scenario with every process's `command:` left out: the built-in runner runs them all. */
export function withoutCommands(scenario: Scenario): Scenario {
  return { ...scenario, processes: scenario.processes.map(({ command: _command, ...rest }) => rest) };
}

/** Extra time a run with commands may take: a JVM on a loaded machine takes seconds to listen. */
const COMMAND_START_MS = 30_000;

/**
 * The replays at either end of what the kernel's table told about the command clients'
 * connections: each started as early as its accept's bracket allows, and as late as it allows
 * plus how late the programs may have run (connectionAnchors.ts, latenessProbe.ts).
 */
export function uncertaintyReplays(run: RealRun): ModelReplay[] {
  const anchors = run.anchors?.anchors ?? [];
  if (anchors.length === 0) return [];
  const spread = new Map(anchors.map((a) => [a.conn, Math.max(a.at - a.bracket.after, a.bracket.by - a.at)] as const));
  const late = Math.round(Math.max(0, ...run.processes.filter((p) => p.runtime === 'command').map((p) => p.lateMs)) * 1000);
  return [modelReplay(run, (conn) => -(spread.get(conn) ?? 0)), modelReplay(run, (conn) => (spread.get(conn) ?? 0) + late)];
}

/** Runs `scenario` on real sockets and cross-checks it with the model. */
export async function realCheck(given: Scenario, options: RealCheckOptions = {}): Promise<RealCheckResult> {
  const timeScale = options.timeScale ?? 1;
  const scenario = options.builtin === true ? withoutCommands(given) : given;
  const commands = scenario.processes.some((p) => p.command !== undefined);
  // refused before anything touches the kernel: no namespace, no process (realPreflight.ts)
  const problems = realPreflight(scenario, { timeScale });
  if (problems.length > 0) throw locatedError(scenario, problems);
  const scaled = scaleScenario(scenario, timeScale);
  const run = await withCleanup((registry) => realRun(scaled, registry, { netns: options.netns, log: options.log }), {
    timeoutMs: options.timeoutMs ?? scaled.sample.until / 1000 + 30_000 + (commands ? COMMAND_START_MS : 0),
    processHooks: options.processHooks ?? true,
  });
  const replay = modelReplay(run);
  return { timeScale, run, replay, check: crossCheck(run, replay, uncertaintyReplays(run)) };
}
