/**
 * Turns zod issues into located problems. The subtle part is unions: zod reports every branch's
 * failure, and the author wants to hear about the branch they were evidently writing (or, when
 * none fits, the union's own "expected …" phrase with a did-you-mean).
 */
import type * as z from 'zod';
import type { DocPath, SourceIndex } from './sourceDocument.js';
import type { ScenarioProblem } from './scenarioError.js';
import { describeValue, isPlainMap, valueAt } from './describeValue.js';
import { BARE_STEPS, DURATION_PHRASE, isExpectedPhrase } from './schema.js';
import { didYouMean } from './suggest.js';
import { tryParseDuration } from './duration.js';

type Issue = z.core.$ZodIssue;
type Schema = z.core.$ZodType;

/** Located problems for a failed zod parse of `root` (whose positions `index` holds). */
export function zodProblems(issues: readonly Issue[], root: unknown, schema: Schema, index: SourceIndex, base: DocPath = []): ScenarioProblem[] {
  const mapper = new IssueMapper(root, schema, index, base.length);
  return issues.flatMap((i) => mapper.problems(i, base));
}

class IssueMapper {
  constructor(
    private readonly root: unknown,
    private readonly schema: Schema,
    private readonly index: SourceIndex,
    /** How many leading path segments lead to `root` (['params'] when root is the params section). */
    private readonly rootDepth: number,
  ) {}

  problems(issue: Issue, base: DocPath): ScenarioProblem[] {
    const path: DocPath = [...base, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    const value = valueAt(this.root, path.slice(this.rootDepth));
    switch (issue.code) {
      case 'unrecognized_keys':
        return issue.keys.map((k) => this.unknownKey(path, k));
      case 'invalid_key':
        return [this.index.problem(path, 'a valid key', JSON.stringify(String(path.at(-1) ?? '')), undefined, 'key')];
      case 'invalid_union':
        return this.union(issue, path, value);
      default:
        return [this.index.problem(path, expectedOf(issue), value === undefined ? 'nothing (it is missing)' : describeValue(value), hintFor(issue, value))];
    }
  }

  private unknownKey(path: DocPath, key: string): ScenarioProblem {
    const known = knownKeys(this.schema, path.slice(this.rootDepth));
    const keyPath = [...path, key];
    const listed = known.length > 0 && known.length <= 16 ? `one of ${known.join(', ')}` : 'a known key';
    const bare = (BARE_STEPS as readonly string[]).includes(key) && known.includes('connect');
    const hint = bare ? `write "- ${key}" without the colon` : didYouMean(key, known);
    return this.index.problem(keyPath, listed, `unknown key ${JSON.stringify(key)}`, hint, 'key');
  }

  private union(issue: Extract<Issue, { code: 'invalid_union' }>, path: DocPath, value: unknown): ScenarioProblem[] {
    if (isPlainMap(value)) {
      const known = knownKeys(this.schema, path.slice(this.rootDepth));
      const unknown = Object.keys(value).filter((k) => !known.includes(k));
      if (known.length > 0 && unknown.length > 0) return unknown.map((k) => this.unknownKey(path, k));
    }
    const viable = issue.errors.filter(isViable);
    if (viable.length >= 1) {
      // Prefer the branch that got furthest: fewest complaints.
      const best = [...viable].sort((a, b) => a.length - b.length)[0] ?? [];
      return best.flatMap((i) => this.problems(i, path));
    }
    const literals = literalsIn(issue.errors.flat());
    const oneKeyStep = isPlainMap(value) && Object.keys(value).length > 1 && knownKeys(this.schema, path.slice(this.rootDepth)).includes('connect');
    const hint = oneKeyStep
      ? 'a step is a map with one key; write each as its own "- " item'
      : typeof value === 'string'
        ? didYouMean(value, literals)
        : undefined;
    return [this.index.problem(path, expectedOf(issue), describeValue(value), hint ?? hintFor(issue, value))];
  }
}

/** A branch is viable when it failed for a reason deeper than "this is the wrong kind of thing". */
function isViable(branch: readonly Issue[]): boolean {
  if (branch.length === 0) return false;
  for (const i of branch) {
    if (i.path.length > 0) continue;
    if (i.code === 'invalid_type' || i.code === 'invalid_value' || i.code === 'unrecognized_keys') return false;
    if (i.code === 'invalid_union' && !i.errors.some(isViable)) return false;
  }
  return true;
}

function literalsIn(issues: readonly Issue[]): string[] {
  const out = new Set<string>();
  for (const i of issues) {
    if (i.path.length > 0) continue;
    if (i.code === 'invalid_value') for (const v of i.values) if (typeof v === 'string') out.add(v);
    if (i.code === 'invalid_union') for (const s of literalsIn(i.errors.flat())) out.add(s);
  }
  return [...out];
}

function expectedOf(issue: Issue): string {
  if (isExpectedPhrase(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return OUR_WORDS[issue.expected] ?? 'a value of another kind';
    case 'invalid_value':
      return issue.values.map((v) => String(v)).join(', ');
    case 'too_small':
      return issue.origin === 'array' ? `at least ${String(issue.minimum)} items` : `a value ≥ ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'array' ? `at most ${String(issue.maximum)} items` : `a value ≤ ${String(issue.maximum)}`;
    default:
      return 'a valid value';
  }
}

/** zod's names for kinds of value, in the words of docs/scenario-format.md. */
const OUR_WORDS: Readonly<Record<string, string>> = {
  object: 'a map',
  record: 'a map',
  map: 'a map',
  array: 'a list',
  tuple: 'a list',
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  bigint: 'a whole number',
  nan: 'a number',
  boolean: 'true or false',
  null: 'an empty value',
};

function hintFor(issue: Issue, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (issue.message.startsWith(DURATION_PHRASE) && (typeof value === 'string' || typeof value === 'number')) {
    const d = tryParseDuration(value);
    if (!d.ok) return d.hint ?? d.reason;
  }
  if (typeof value === 'string' && /^[0-9]{1,3}(?:_[0-9]{3})+$/.test(value)) {
    return `YAML has no digit separators; write ${value.replace(/_/g, '')}`;
  }
  if (typeof value === 'string' && /^\s*-?[0-9]+(?:\.[0-9]+)?\s*$/.test(value) && /number|count|limit|port|seed/.test(issue.message)) {
    return `remove the quotes: ${value.trim()}`;
  }
  return undefined;
}

// ---- walking the zod schema to find which keys an object at a path accepts ----

function def(s: Schema): z.core.$ZodTypeDef {
  return s._zod.def;
}

/** The concrete schemas (unions, optionals, pipes unwrapped) a schema may stand for. */
function alternatives(s: Schema, depth = 0): Schema[] {
  if (depth > 20) return [];
  const d = def(s);
  switch (d.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      return alternatives((d as unknown as { innerType: Schema }).innerType, depth + 1);
    case 'pipe':
      return alternatives((d as unknown as { in: Schema }).in, depth + 1);
    case 'lazy':
      return alternatives((d as unknown as { getter: () => Schema }).getter(), depth + 1);
    case 'union':
      return (d as unknown as { options: readonly Schema[] }).options.flatMap((o) => alternatives(o, depth + 1));
    default:
      return [s];
  }
}

function child(s: Schema, seg: string | number): Schema[] {
  return alternatives(s).flatMap((alt): Schema[] => {
    const d = def(alt);
    if (d.type === 'object' && typeof seg === 'string') {
      const shape = (d as unknown as { shape: Record<string, Schema> }).shape;
      const c = Object.prototype.hasOwnProperty.call(shape, seg) ? shape[seg] : undefined;
      return c === undefined ? [] : [c];
    }
    if (d.type === 'record' && typeof seg === 'string') return [(d as unknown as { valueType: Schema }).valueType];
    if (d.type === 'array' && typeof seg === 'number') return [(d as unknown as { element: Schema }).element];
    return [];
  });
}

/** Keys accepted by any object schema the value at `path` could be. */
function knownKeys(root: Schema, path: DocPath): string[] {
  let here: Schema[] = [root];
  for (const seg of path) here = here.flatMap((s) => child(s, seg));
  const keys = new Set<string>();
  for (const s of here.flatMap((h) => alternatives(h))) {
    const d = def(s);
    if (d.type === 'object') for (const k of Object.keys((d as unknown as { shape: Record<string, Schema> }).shape)) keys.add(k);
  }
  return [...keys];
}
