/**
 * Loading a scenario: YAML/JSON text ⇒ positions ⇒ params ⇒ `${}` substitution ⇒ zod validation
 * ⇒ resolution and limits ⇒ `Scenario`. Each stage reports every problem it finds; a stage runs
 * only when the ones before it found none, so later complaints never stem from earlier ones.
 */
import { readFileSync, statSync } from 'node:fs';
import type { Scenario } from './types.js';
import type { Limits } from './limits.js';
import { resolveLimits } from './limits.js';
import { ScenarioError } from './scenarioError.js';
import type { ScenarioProblem } from './scenarioError.js';
import { parseSource } from './sourceDocument.js';
import { readParamSpecs, resolveParamValues, substituteParams } from './params.js';
import { scenarioSchema } from './schema.js';
import { zodProblems } from './zodProblems.js';
import { resolveScenario } from './resolveScenario.js';
import { isPlainMap } from './describeValue.js';

/** Options for loading: `--param` overrides (name ⇒ text) and raised limits. */
export interface LoadOptions {
  readonly params?: Readonly<Record<string, string>>;
  readonly limits?: Partial<Limits>;
}

/** Loads a scenario from YAML or JSON text; `file` names it in messages. Throws ScenarioError. */
export function loadScenarioText(text: string, file: string, options: LoadOptions = {}): Scenario {
  const limits = resolveLimits(options.limits);
  if (text.length > limits.maxSourceBytes) {
    throw new ScenarioError([
      { file, line: 1, col: 1, path: '', expected: `a file of at most ${limits.maxSourceBytes.toLocaleString('en-US')} bytes (limit maxSourceBytes)`, found: `${text.length.toLocaleString('en-US')} characters`, hint: `raise it with the load option limits: { maxSourceBytes: ${text.length} } (tcpsim: --allow-large)` },
    ]);
  }
  const parsed = parseSource(text, file, limits);
  stop(parsed.problems);
  const { index } = parsed;
  if (!isPlainMap(parsed.value)) {
    stop([index.problem([], 'a scenario: a map with name, processes, sample, expect, …', describeRoot(parsed.value))]);
    throw new Error('unreachable');
  }
  const root = parsed.value;
  const { specs, problems: paramProblems } = readParamSpecs(root['params'], index);
  stop(paramProblems);
  const { values, problems: overrideProblems } = resolveParamValues(specs, options.params ?? {}, index);
  stop(overrideProblems);
  const substituted = substituteParams(root, values, index);
  const checked = scenarioSchema.safeParse(substituted.value);
  const failedRefs = new Set(substituted.problems.map((p) => p.path));
  const schemaProblems = checked.success
    ? []
    : zodProblems(checked.error.issues, substituted.value, scenarioSchema, index).filter((p) => !failedRefs.has(p.path) || p.found.startsWith('unknown key'));
  stop([...substituted.problems, ...schemaProblems]);
  if (!checked.success) throw new Error('zod rejected a document without saying why');
  const resolved = resolveScenario(checked.data, { index, file, params: specs, paramValues: values, limits });
  stop(resolved.problems);
  if (resolved.scenario === undefined) throw new Error('resolution produced neither a scenario nor problems');
  return resolved.scenario;
}

/** Reads and loads a scenario file (path as given on the command line). Throws ScenarioError. */
export function loadScenarioFile(path: string, options: LoadOptions = {}): Scenario {
  const limits = resolveLimits(options.limits);
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > limits.maxSourceBytes) {
      throw new ScenarioError([
        { file: path, line: 1, col: 1, path: '', expected: `a file of at most ${limits.maxSourceBytes.toLocaleString('en-US')} bytes (limit maxSourceBytes)`, found: `${size.toLocaleString('en-US')} bytes`, hint: `raise it with the load option limits: { maxSourceBytes: ${size} } (tcpsim: --allow-large)` },
      ]);
    }
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof ScenarioError) throw err;
    const code = err instanceof Error && 'code' in err ? String(err.code) : 'an unreadable file';
    const found = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory' : code === 'EACCES' ? 'a file without read permission' : code;
    throw new ScenarioError([{ file: path, line: 1, col: 1, path: '', expected: 'a readable scenario file (.yaml or .json)', found }]);
  }
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
