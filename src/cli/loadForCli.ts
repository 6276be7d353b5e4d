/**
 * Loads the scenario a command names: a path, or the name of a shipped scenario
 * (`tcpsim run normal-close`), with --param overrides, --profile, --every, --until and --seed.
 * The flags go into the loader, which holds them to the rules and limits of the file's fields.
 */
import { LARGE_LIMITS, commandLineAdvice } from '../scenario/limits.js';
import { loadScenarioFile } from '../scenario/loadScenario.js';
import { parseParamAssignments } from '../scenario/params.js';
import { suggest } from '../scenario/suggest.js';
import type { Scenario } from '../scenario/types.js';
import { shippedScenarioNames } from './shippedScenarios.js';
import { isFile, shippedScenarioPath } from '../scenario/shipped.js';
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
  // lstat: a dangling link or a link loop is a file the loader explains, not an unknown name
  if (isFile(arg)) return arg;
  const shipped = shippedScenarioPath(arg);
  if (shipped !== undefined) return shipped;
  const names = shippedScenarioNames();
  const looksLikePath = /[/\\]|\.(ya?ml|json)$/i.test(arg);
  const close = suggest(arg.replace(/\.(ya?ml|json)$/i, ''), names);
  const hint = close === undefined ? '' : `; did you mean ${close}?`;
  const what = looksLikePath ? `no such file: ${arg}` : `no such file or shipped scenario: ${arg}`;
  throw new UsageError(`${what}${hint}\n  shipped scenarios: ${names.join(', ')}`);
}

/** Loads the scenario with the command-line overrides applied. Throws ScenarioError or UsageError. */
export function loadForCli(arg: string | undefined, flags: ScenarioFlags): Scenario {
  const path = scenarioPath(arg);
  const params = parseParamAssignments(flags.param ?? []);
  const allowLarge = flags['allow-large'] ?? false;
  return loadScenarioFile(path, {
    params,
    ...(allowLarge ? { limits: LARGE_LIMITS } : {}),
    limitAdvice: commandLineAdvice(allowLarge),
    overrides: { seed: flags.seed, profile: flags.profile, every: flags.every, until: flags.until },
  });
}
