/**
 * Scenario parameters: their declarations (`params:`), command-line overrides (`--param n=v`),
 * and `${name}` substitution into the rest of the document (positions are kept, since the
 * document's shape does not change).
 */
import type { ParamSpec } from './types.js';
import type { DocPath, SourceIndex } from './sourceDocument.js';
import { ScenarioError } from './scenarioError.js';
import type { ScenarioProblem } from './scenarioError.js';
import { paramsSchema } from './schema.js';
import { zodProblems } from './zodProblems.js';
import { didYouMean } from './suggest.js';
import { describeValue, isPlainMap } from './describeValue.js';
import { namesList } from './namesList.js';

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Splits `--param` arguments (`clients=10`) into a name ⇒ text map; throws ScenarioError when malformed. */
export function parseParamAssignments(args: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const problems: ScenarioProblem[] = [];
  args.forEach((arg, i) => {
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq).trim();
    const where = { file: '--param', line: 1, col: i + 1, path: name, sourceLine: arg };
    if (eq < 0) problems.push({ ...where, path: '', expected: 'name=value', found: JSON.stringify(arg), hint: `write ${arg}=<number>` });
    else if (!PARAM_NAME.test(name)) problems.push({ ...where, path: '', expected: 'a parameter name (letters, digits, _)', found: JSON.stringify(name) });
    else if (Object.prototype.hasOwnProperty.call(out, name)) problems.push({ ...where, expected: 'each parameter set once', found: `${name} set twice` });
    else Object.defineProperty(out, name, { value: arg.slice(eq + 1).trim(), enumerable: true, writable: true, configurable: true });
  });
  if (problems.length > 0) throw new ScenarioError(problems);
  return out;
}

/** Reads and checks the `params` section; `raw` is the section's plain value (or undefined). */
export function readParamSpecs(raw: unknown, index: SourceIndex): { specs: ParamSpec[]; problems: ScenarioProblem[] } {
  if (raw === undefined || raw === null) return { specs: [], problems: [] };
  const parsed = paramsSchema.safeParse(raw);
  if (!parsed.success) return { specs: [], problems: zodProblems(parsed.error.issues, raw, paramsSchema, index, ['params']) };
  const specs: ParamSpec[] = [];
  const problems: ScenarioProblem[] = [];
  for (const [name, decl] of Object.entries(parsed.data)) {
    const path = ['params', name];
    if (!PARAM_NAME.test(name)) {
      problems.push(index.problem(path, 'a parameter name (letters, digits and _, not starting with a digit)', JSON.stringify(name), undefined, 'key'));
      continue;
    }
    const spec: ParamSpec =
      typeof decl === 'number'
        ? { name, default: decl, description: '' }
        : {
            name,
            default: decl.default,
            description: decl.description ?? '',
            ...(decl.min === undefined ? {} : { min: decl.min }),
            ...(decl.max === undefined ? {} : { max: decl.max }),
          };
    if (spec.min !== undefined && spec.max !== undefined && spec.min > spec.max) {
      problems.push(index.problem([...path, 'max'], `a max ≥ min (${spec.min})`, String(spec.max)));
    } else if (outOfRange(spec, spec.default)) {
      problems.push(index.problem(typeof decl === 'number' ? path : [...path, 'default'], rangeText(spec), String(spec.default)));
    }
    specs.push(spec);
  }
  return { specs, problems };
}

/** Defaults merged with `--param` overrides, checked against each declaration's min/max. */
export function resolveParamValues(
  specs: readonly ParamSpec[],
  overrides: Readonly<Record<string, string>>,
  index: SourceIndex,
): { values: Record<string, number>; problems: ScenarioProblem[] } {
  const values: Record<string, number> = {};
  const problems: ScenarioProblem[] = [];
  for (const s of specs) Object.defineProperty(values, s.name, { value: s.default, enumerable: true, writable: true, configurable: true });
  const names = specs.map((s) => s.name);
  const byName = new Map(specs.map((s) => [s.name, s] as const));
  for (const [name, text] of Object.entries(overrides)) {
    const spec = byName.get(name);
    const found = `--param ${name}=${text}`;
    if (spec === undefined) {
      const declared = names.length === 0 ? 'this scenario declares no params' : `declared: ${namesList(names)}`;
      problems.push(index.problem(['params'], `a parameter declared in params (${declared})`, found, didYouMean(name, names), 'key'));
      continue;
    }
    const n = text.trim() === '' ? Number.NaN : Number(text);
    if (!Number.isFinite(n)) {
      problems.push(index.problem(['params', name], `a number for parameter ${name}`, found, undefined, 'key'));
      continue;
    }
    if (outOfRange(spec, n)) {
      problems.push(index.problem(['params', name], `${name} ${rangeText(spec)}`, found, undefined, 'key'));
      continue;
    }
    values[name] = n;
  }
  return { values, problems };
}

function outOfRange(spec: ParamSpec, n: number): boolean {
  return (spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max);
}

function rangeText(spec: ParamSpec): string {
  if (spec.min !== undefined && spec.max !== undefined) return `a value from ${spec.min} to ${spec.max}`;
  if (spec.min !== undefined) return `a value ≥ ${spec.min}`;
  return `a value ≤ ${spec.max ?? ''}`;
}

const REFERENCE = /\$\$\{|\$\{([^}]*)\}/g;

/**
 * Replaces `${name}` in every string outside `params`: a string that is exactly one reference
 * becomes the number; otherwise the number's text is spliced in (`"${linger}s"` ⇒ `"20s"`).
 * `$${` stands for a literal `${`.
 */
export function substituteParams(
  root: unknown,
  values: Readonly<Record<string, number>>,
  index: SourceIndex,
): { value: unknown; problems: ScenarioProblem[] } {
  const problems: ScenarioProblem[] = [];
  const names = Object.keys(values);
  const visit = (v: unknown, path: DocPath): unknown => {
    if (typeof v === 'string') return v.includes('${') ? replace(v, path) : v;
    if (Array.isArray(v)) return v.map((item, i) => visit(item, [...path, i]));
    if (isPlainMap(v)) {
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v)) {
        const next = path.length === 0 && (k === 'params' || k === '$schema') ? item : visit(item, [...path, k]);
        Object.defineProperty(out, k, { value: next, enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    return v;
  };
  const replace = (text: string, path: DocPath): unknown => {
    const whole = /^\$\{([^}]*)\}$/.exec(text);
    if (whole !== null) {
      const n = evaluate(whole[1] ?? '', text, 0, path);
      return n === undefined ? text : n;
    }
    let failed = false;
    const replaced = text.replace(REFERENCE, (match: string, name: string | undefined, offset: number) => {
      if (match === '$${') return '${';
      const n = evaluate(name ?? '', text, offset, path);
      if (n === undefined) failed = true;
      return n === undefined ? match : String(n);
    });
    if (!failed && /\$\{[^}]*$/.test(text.replace(/\$\$\{/g, ''))) {
      problems.push(located(path, text, text.lastIndexOf('${'), 'a reference ${name} closed by }', describeValue(text), 'write $${ for a literal ${'));
      return text;
    }
    return failed ? text : replaced;
  };
  // `${name}` or `${name OP n}` with OP one of * / + - and n a whole number; division must be exact
  const evaluate = (inner: string, text: string, offset: number, path: DocPath): number | undefined => {
    const parts = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:([*/+-])\s*([0-9]+)\s*)?$/.exec(inner);
    if (parts === null) {
      problems.push(located(path, text, offset, 'a reference ${name}, or ${name * n}, ${name / n}, ${name + n}, ${name - n}', `\${${inner}}`, undefined));
      return undefined;
    }
    const value = lookup(parts[1] ?? '', text, offset, path);
    if (value === undefined || parts[2] === undefined) return value;
    const operand = Number(parts[3]);
    switch (parts[2]) {
      case '*':
        return value * operand;
      case '+':
        return value + operand;
      case '-':
        return value - operand;
      default: {
        if (operand === 0 || value % operand !== 0) {
          problems.push(located(path, text, offset, `a whole number: ${parts[1]} (${value}) divisible by ${operand}`, `\${${inner.trim()}} = ${value / operand}`, `give ${parts[1]} a multiple of ${operand}`));
          return undefined;
        }
        return value / operand;
      }
    }
  };
  const lookup = (name: string, text: string, offset: number, path: DocPath): number | undefined => {
    const n = Object.prototype.hasOwnProperty.call(values, name) ? values[name] : undefined;
    if (n !== undefined) return n;
    const expected = names.length === 0 ? 'a declared parameter (this scenario has no params section)' : `a declared parameter (${namesList(names)})`;
    problems.push(located(path, text, offset, expected, `\${${name}}`, didYouMean(name, names)));
    return undefined;
  };
  const located = (path: DocPath, text: string, offset: number, expected: string, found: string, hint: string | undefined): ScenarioProblem => {
    const source = index.sourceOf(path);
    const needle = text.slice(offset, text.indexOf('}', offset) + 1 || undefined);
    const at = source === undefined ? -1 : source.text.indexOf(needle);
    const base = source === undefined ? index.offsetOf(path) : source.start + Math.max(0, at);
    return index.problemAt(base, path, expected, found, hint);
  };
  return { value: visit(root, []), problems };
}
