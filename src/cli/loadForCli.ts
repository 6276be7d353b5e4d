/**
 * Loads the scenario a command names: a path, or the name of a shipped scenario
 * (`tcpsim run normal-close`), with --param overrides, --profile, --every, --until and --seed.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenarioFile, parseDuration, parseParamAssignments, LARGE_LIMITS } from '../scenario/index.js';
import type { ProfileName, Scenario } from '../scenario/types.js';
import { SCENARIO_DIR, shippedScenarios } from './shippedScenarios.js';
import { UsageError } from './usageError.js';

/** The options every scenario-running command shares. */
export interface ScenarioFlags {
  readonly seed?: string | undefined;
  readonly param?: string[] | undefined;
  readonly profile?: string | undefined;
  readonly every?: string | undefined;
  readonly until?: string | undefined;
  readonly 'allow-large'?: boolean | undefined;
}

/** Path of the scenario `arg` names (a file, or a shipped scenario's name). */
export function scenarioPath(arg: string | undefined): string {
  if (arg === undefined) throw new UsageError('missing FILE: name a scenario file or a shipped scenario (see `tcpsim list`)');
  if (existsSync(arg)) return arg;
  for (const ext of ['.yaml', '.yml', '.json']) {
    const shipped = join(SCENARIO_DIR, arg + ext);
    if (existsSync(shipped)) return shipped;
  }
  const names = shippedScenarios().map((s) => s.name);
  throw new UsageError(`no such file or shipped scenario: ${arg}\n  shipped: ${names.join(', ')}`);
}

function durationFlag(flag: string, text: string): number {
  try {
    return parseDuration(text);
  } catch {
    throw new UsageError(`--${flag}: expected a duration such as 500ms, 5s, 2m or 1h, found "${text}"`);
  }
}

/** Loads the scenario with the command-line overrides applied. Throws ScenarioError or UsageError. */
export function loadForCli(arg: string | undefined, flags: ScenarioFlags): Scenario {
  const path = scenarioPath(arg);
  let params: Record<string, string>;
  try {
    params = parseParamAssignments(flags.param ?? []);
  } catch (err) {
    throw new UsageError(`--param: ${err instanceof Error ? err.message : String(err)}`);
  }
  const scenario = loadScenarioFile(path, { params, ...(flags['allow-large'] ? { limits: LARGE_LIMITS } : {}) });
  let result: Scenario = scenario;
  if (flags.seed !== undefined) {
    if (!/^-?\d+$/.test(flags.seed)) throw new UsageError(`--seed: expected an integer, found "${flags.seed}"`);
    result = { ...result, seed: Number(flags.seed) };
  }
  if (flags.profile !== undefined) {
    if (flags.profile !== 'linux' && flags.profile !== 'rfc9293') throw new UsageError(`--profile: expected linux or rfc9293, found "${flags.profile}"`);
    result = { ...result, profile: flags.profile as ProfileName };
  }
  if (flags.every !== undefined || flags.until !== undefined) {
    const every = flags.every !== undefined ? durationFlag('every', flags.every) : result.sample.every;
    const until = flags.until !== undefined ? durationFlag('until', flags.until) : result.sample.until;
    if (every <= 0) throw new UsageError('--every: must be longer than 0');
    const limit = flags['allow-large'] ? LARGE_LIMITS : undefined;
    const maxSamples = limit?.maxSamples ?? 100_000;
    if (until / every > maxSamples) throw new UsageError(`--every/--until: ${Math.floor(until / every)} samples exceed the limit of ${maxSamples} (raise it with --allow-large)`);
    result = { ...result, sample: { every, until } };
  }
  return result;
}
