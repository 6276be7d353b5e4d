import { readFileSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { parse, stringify } from 'yaml';
import { formatScenarioError, loadScenarioText, ScenarioError } from '../../src/scenario/index.js';
import { MINIMAL } from './helpers.js';
import { mutateTree, treeMutationOf } from './treeMutation.js';

const RUNS = Number(process.env['TCPSIM_PROPERTY_RUNS'] ?? '200');
const BASES = [readFileSync('test/scenario/fixtures/java-forgot-close.yaml', 'utf8'), MINIMAL];
const JUNK = ['', '0', '-1', '1e400', '.nan', 'null', '~', 'true', '"x"', '[', ']', '{', '}', '{}', '[]', '${clients}', '${nope}', '"${linger}s"', '*a', '&a x', '- x', ': x', '!!str x', '? x', '|', '>', '"', "'", '#', '\t', 'FIN_WAIT2', '20', '20s', '1m30s', 'close', 'never'];

/** A loader call is acceptable when it returns a scenario or throws a ScenarioError whose every problem is located. */
function loadsOrExplains(text: string): void {
  try {
    loadScenarioText(text, 'fuzz.yaml', { limits: { maxNodes: 20_000 } });
  } catch (err) {
    if (!(err instanceof ScenarioError)) throw err;
    expect(err.problems.length).toBeGreaterThan(0);
    for (const p of err.problems) {
      expect(p.line, JSON.stringify(p)).toBeGreaterThanOrEqual(1);
      expect(p.col, JSON.stringify(p)).toBeGreaterThanOrEqual(1);
      expect(p.file).toBe('fuzz.yaml');
      expect(p.expected.length).toBeGreaterThan(0);
    }
    expect(formatScenarioError(err, { color: true }).length).toBeGreaterThan(0);
  }
}

const textMutation = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('deleteLine' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insertLine' as const), at: fc.nat(), indent: fc.nat({ max: 8 }), key: fc.constantFrom('junk', 'prot', 'listen', 'steps', 'read', '- read', '-'), value: fc.constantFrom(...JUNK) }),
  fc.record({ kind: fc.constant('replaceToken' as const), at: fc.nat(), value: fc.constantFrom(...JUNK) }),
  fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), value: fc.string({ maxLength: 12, unit: 'binary' }) }),
);
type TextMutation = typeof textMutation extends fc.Arbitrary<infer T> ? T : never;

function mutateText(text: string, m: TextMutation): string {
  const lines = text.split('\n');
  switch (m.kind) {
    case 'truncate':
      return text.slice(0, m.at % (text.length + 1));
    case 'deleteLine':
      lines.splice(m.at % lines.length, 1);
      return lines.join('\n');
    case 'insertLine':
      lines.splice(m.at % (lines.length + 1), 0, `${' '.repeat(m.indent)}${m.key}: ${m.value}`);
      return lines.join('\n');
    case 'replaceToken': {
      const tokens = text.split(/(\s+)/);
      const words = tokens.flatMap((t, i) => (/\S/.test(t) ? [i] : []));
      const i = words[m.at % Math.max(1, words.length)] ?? 0;
      tokens[i] = m.value;
      return tokens.join('');
    }
    case 'splice': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.value + text.slice(at);
    }
  }
}

/** Structural mutations on the parsed document, re-serialised: drop keys, swap values for junk, add keys. */
const treeMutation = treeMutationOf(fc.jsonValue({ maxDepth: 2 }));

describe('the loader on hostile input', () => {
  test.prop([fc.constantFrom(...BASES), fc.array(textMutation, { minLength: 1, maxLength: 4 })], { numRuns: RUNS })(
    'text mutations of valid scenarios load or explain themselves, with a location for every problem',
    (base, mutations) => {
      loadsOrExplains(mutations.reduce(mutateText, base));
    },
  );

  test.prop([fc.constantFrom(...BASES), fc.array(treeMutation, { minLength: 1, maxLength: 4 })], { numRuns: RUNS })(
    'structural mutations (deleted keys, swapped types, junk keys) load or explain themselves',
    (base, mutations) => {
      const doc = mutations.reduce(mutateTree, parse(base) as unknown);
      loadsOrExplains(stringify(doc));
      loadsOrExplains(JSON.stringify(doc) ?? 'null');
    },
  );

  test.prop([fc.string({ maxLength: 400, unit: fc.constantFrom('a', ':', ' ', '\n', '-', '[', ']', '{', '}', '"', '&', '*', '$', '{', '#', '\t', '1', 's', '!', '|', '>', '?', ',') })], { numRuns: RUNS })(
    'random YAML-ish text is never a crash',
    (text) => {
      loadsOrExplains(text);
    },
  );

  test.prop([fc.uint8Array({ maxLength: 300 })], { numRuns: RUNS })('random bytes are never a crash', (bytes) => {
    loadsOrExplains(new TextDecoder().decode(bytes));
  });
});
