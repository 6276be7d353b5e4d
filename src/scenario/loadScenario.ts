/**
 * Loading a scenario: YAML/JSON text ⇒ positions ⇒ params ⇒ `${}` substitution ⇒ zod validation
 * ⇒ resolution and limits ⇒ `Scenario`. Each stage reports every problem it finds; a stage runs
 * only when the ones before it found none, so later complaints never stem from earlier ones.
 */
import type { Scenario } from './types.js';
import type { LimitAdvice, Limits } from './limits.js';
import { LOAD_OPTION_ADVICE, resolveLimits } from './limits.js';
import { readSource } from './readSource.js';
import { countProblems } from './countProblems.js';
import type { CommandLineOverrides } from './commandLineOverrides.js';
import { applyOverrides } from './commandLineOverrides.js';
import { ScenarioError } from './scenarioError.js';
import type { ScenarioProblem } from './scenarioError.js';
import { parseSource } from './sourceDocument.js';
import { readParamSpecs, resolveParamValues, substituteParams } from './params.js';
import { scenarioSchema } from './schema.js';
import { zodProblems } from './zodProblems.js';
import { resolveScenario } from './resolveScenario.js';
import { isPlainMap } from './describeValue.js';

/** Options for loading: `--param` overrides (name ⇒ text), other command-line overrides, raised limits. */
export interface LoadOptions {
  readonly params?: Readonly<Record<string, string>>;
  readonly limits?: Partial<Limits>;
  /** `--seed`, `--profile`, `--every`, `--until` as typed: held to the same rules and limits as the file's fields. */
  readonly overrides?: CommandLineOverrides;
  /** How a refusal says to raise a limit (default: the `limits` load option). */
  readonly limitAdvice?: LimitAdvice;
}

/** Loads a scenario from YAML or JSON text; `file` names it in messages. Throws ScenarioError. */
export function loadScenarioText(text: string, file: string, options: LoadOptions = {}): Scenario {
  const limits = resolveLimits(options.limits);
  const advice = options.limitAdvice ?? LOAD_OPTION_ADVICE;
  if (text.length > limits.maxSourceBytes) {
    const hint = advice('maxSourceBytes', text.length);
    throw new ScenarioError([
      { file, line: 1, col: 1, path: '', expected: `a file of at most ${limits.maxSourceBytes.toLocaleString('en-US')} bytes (limit maxSourceBytes)`, found: `${text.length.toLocaleString('en-US')} characters`, ...(hint === undefined ? {} : { hint }) },
    ]);
  }
  const parsed = parseSource(text, file, limits, advice);
  stop(parsed.problems);
  const { index } = parsed;
  if (!isPlainMap(parsed.value)) {
    stop([index.problem([], 'a scenario: a map with name, processes, sample, expect, …', describeRoot(parsed.value))]);
    throw new Error('unreachable');
  }
  const root = parsed.value;
  // counts first: a 50,000-process file is refused before anything looks at its processes
  stop(countProblems(root, index, limits, advice));
  const { specs, problems: paramProblems } = readParamSpecs(root['params'], index);
  stop(paramProblems);
  const { values, problems: overrideProblems } = resolveParamValues(specs, options.params ?? {}, index);
  stop(overrideProblems);
  const substituted = substituteParams(root, values, index);
  const overridden = applyOverrides(substituted.value, options.overrides ?? {});
  stop(overridden.problems);
  const checked = scenarioSchema.safeParse(overridden.value);
  const failedRefs = new Set(substituted.problems.map((p) => p.path));
  const schemaProblems = checked.success
    ? []
    : zodProblems(checked.error.issues, overridden.value, scenarioSchema, index).filter((p) => !failedRefs.has(p.path) || p.found.startsWith('unknown key'));
  stop([...substituted.problems, ...schemaProblems]);
  if (!checked.success) throw new Error('zod rejected a document without saying why');
  const resolved = resolveScenario(checked.data, { index, file, params: specs, paramValues: values, limits, advice, flags: overridden.flags });
  stop(resolved.problems);
  if (resolved.scenario === undefined) throw new Error('resolution produced neither a scenario nor problems');
  return resolved.scenario;
}

/** Reads and loads a scenario file (path as given on the command line). Throws ScenarioError. */
export function loadScenarioFile(path: string, options: LoadOptions = {}): Scenario {
  const text = readSource(path, resolveLimits(options.limits), options.limitAdvice ?? LOAD_OPTION_ADVICE);
  return loadScenarioText(text, path, options);
}

function stop(problems: readonly ScenarioProblem[]): void {
  if (problems.length > 0) throw new ScenarioError(problems);
}

function describeRoot(value: unknown): string {
  if (value === null || value === undefined) return 'an empty document';
  if (Array.isArray(value)) return 'a list';
  return `${typeof value === 'string' ? 'text' : typeof value} ${JSON.stringify(value).slice(0, 40)}`;
}
