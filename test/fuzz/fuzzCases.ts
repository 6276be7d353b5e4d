/**
 * The scenario files the fuzz test feeds to tcpsim, by kind: mutations of the shipped scenarios
 * (text and structure), numbers swapped for huge or odd ones, YAML alias bombs, deep nesting,
 * many processes, hosts, parameters or steps, and random bytes. Each kind is a fast-check
 * arbitrary; `fuzzCases(n, seed)` draws n of them, the same n for the same seed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { mutateTree, treeMutationOf } from '../scenario/treeMutation.js';
import type { FuzzCase } from './fuzzPool.js';

/** The shipped scenarios (bench-lifecycle's million connections are a benchmark, not a fuzz base). */
const BASES: readonly string[] = readdirSync('scenarios')
  .filter((f) => f.endsWith('.yaml') && !f.startsWith('bench-'))
  .sort()
  .map((f) => readFileSync(`scenarios/${f}`, 'utf8'));

const JUNK = ['', '0', '-1', '1e400', '.nan', '.inf', 'null', '~', 'true', '"x"', '[', ']', '{', '}', '{}', '[]', '${clients}', '${nope}', '"${linger}s"', '*a', '&a x', '- x', ': x', '!!str x', '? x', '|', '>', '"', "'", '#', '\t', 'FIN_WAIT2', '20', '20s', '1m30s', 'close', 'never', '<<: *a', '!!binary x', '2026-01-01'];

/** Numbers at and beyond every limit, and the odd ones YAML allows. */
const HUGE = ['1e9', '4294967295', '4294967296', '9007199254740993', '1e308', '1e400', '-1', '-0', '0', '0.5', '.nan', '.inf', '-.inf', '2000000', '2000001', '1048576', '1048577', '99999999999999999999', '0x7fffffff', '0o777', '1_000_000', '100000', '10001', '65536', '65535', '1000d', '7d', '8d', '1us', '0.5us', '999999999999h'];

const textMutation = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('deleteLine' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicateLine' as const), at: fc.nat(), times: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ kind: fc.constant('insertLine' as const), at: fc.nat(), indent: fc.nat({ max: 8 }), key: fc.constantFrom('junk', 'prot', 'listen', 'steps', 'read', '- read', '-', 'connections', 'nofile', 'every', 'until'), value: fc.constantFrom(...JUNK, ...HUGE) }),
  fc.record({ kind: fc.constant('replaceToken' as const), at: fc.nat(), value: fc.constantFrom(...JUNK, ...HUGE) }),
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
    case 'duplicateLine': {
      const i = m.at % lines.length;
      lines.splice(i, 0, ...Array<string>(m.times).fill(lines[i] ?? ''));
      return lines.join('\n');
    }
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

const treeMutation = treeMutationOf(fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(1e9, 2 ** 32, 2 ** 53 + 2, 1e308, -1, 0.5, 'never', '1000d', 'unbounded')));

/** `text` with one of its numbers (the `at`-th, wrapping round) replaced by a huge or odd value. */
function swapNumber(text: string, at: number, value: string): string {
  let i = 0;
  const count = [...text.matchAll(/(?<=[:\s[{,])\d+(?:\.\d+)?(?=[\s,\]}]|$)/gm)].length;
  const target = count === 0 ? -1 : at % count;
  return text.replace(/(?<=[:\s[{,])\d+(?:\.\d+)?(?=[\s,\]}]|$)/gm, (n) => (i++ === target ? value : n));
}

/** A billion-laughs document: `levels` anchors, each a list of `width` aliases of the one before. */
function aliasBomb(levels: number, width: number, where: 'root' | 'description' | 'steps'): string {
  const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < levels; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: width }, () => `*a${i - 1}`).join(', ')}]`);
  const top = `*a${levels - 1}`;
  const base = 'processes:\n  server: { listen: 8888, onConnection: [ { read: eof }, close ] }\n';
  if (where === 'root') return `${lines.join('\n')}\n${base}`;
  if (where === 'description') return `bomb:\n${lines.map((l) => `  ${l}`).join('\n')}\ndescription: ${top}\n${base}`;
  return `${lines.join('\n')}\n${base}  client: { steps: ${top} }\n`;
}

function manyOf(what: 'processes' | 'hosts' | 'params' | 'steps' | 'expect', n: number): string {
  const server = '  server: { listen: 8888, onConnection: [ { read: eof }, close ] }';
  switch (what) {
    case 'processes':
      return ['processes:', server, ...Array.from({ length: n }, (_, i) => `  c${i}: { steps: [ { connect: server }, close ] }`), 'sample: { every: 5s, until: 2m }'].join('\n');
    case 'hosts':
      return ['hosts:', ...Array.from({ length: n }, (_, i) => `  - { name: h${i}, address: 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255} }`), 'processes:', server].join('\n');
    case 'params':
      return ['params:', ...Array.from({ length: n }, (_, i) => `  p${i}: ${i}`), 'processes:', server, `  client: { connections: \${p${n - 1}}, steps: [ { connect: server }, close ] }`].join('\n');
    case 'steps':
      return ['processes:', server, `  client: { steps: [ { connect: server }, ${Array.from({ length: n }, () => '{ sleep: 1ms }').join(', ')}, close ] }`].join('\n');
    case 'expect':
      return ['processes:', server, '  client: { steps: [ { connect: server }, close ] }', 'expect:', ...Array.from({ length: n }, (_, i) => `  - { at: ${5 * (i % 60)}s, states: { LISTEN: 1 } }`)].join('\n');
  }
}

/** Every kind of generated file, with the arbitrary that makes it. */
export const FUZZ_KINDS: Readonly<Record<string, fc.Arbitrary<string>>> = {
  'text-mutation': fc.tuple(fc.constantFrom(...BASES), fc.array(textMutation, { minLength: 1, maxLength: 4 })).map(([base, ms]) => ms.reduce(mutateText, base)),
  'tree-mutation': fc
    .tuple(fc.constantFrom(...BASES), fc.array(treeMutation, { minLength: 1, maxLength: 4 }), fc.boolean())
    .map(([base, ms, json]) => {
      const doc = ms.reduce(mutateTree, parse(base) as unknown);
      return json ? (JSON.stringify(doc) ?? 'null') : stringify(doc);
    }),
  'huge-number': fc.tuple(fc.constantFrom(...BASES), fc.nat(), fc.constantFrom(...HUGE)).map(([base, at, value]) => swapNumber(base, at, value)),
  'alias-bomb': fc.tuple(fc.integer({ min: 2, max: 12 }), fc.integer({ min: 2, max: 12 }), fc.constantFrom('root', 'description', 'steps') as fc.Arbitrary<'root' | 'description' | 'steps'>).map(([levels, width, where]) => aliasBomb(levels, width, where)),
  'deep-nesting': fc.tuple(fc.integer({ min: 10, max: 20_000 }), fc.boolean()).map(([depth, lists]) => `processes: ${lists ? '['.repeat(depth) + ']'.repeat(depth) : `${'{a: '.repeat(depth)}1${'}'.repeat(depth)}`}\n`),
  'many-items': fc
    .tuple(fc.constantFrom('processes', 'hosts', 'params', 'steps', 'expect') as fc.Arbitrary<'processes' | 'hosts' | 'params' | 'steps' | 'expect'>, fc.oneof(fc.integer({ min: 1, max: 2_000 }), fc.integer({ min: 4_990, max: 6_000 }), fc.integer({ min: 20_000, max: 80_000 })))
    .map(([what, n]) => manyOf(what, n)),
  'random-bytes': fc.uint8Array({ maxLength: 2_000 }).map((bytes) => new TextDecoder().decode(bytes)),
  'yaml-ish': fc.string({ maxLength: 600, unit: fc.constantFrom('a', ':', ' ', '\n', '-', '[', ']', '{', '}', '"', '&', '*', '$', '#', '\t', '1', 's', '!', '|', '>', '?', ',', 'processes', 'listen', 'steps', '<<') }),
};

/** `n` generated files, drawn round-robin over the kinds so every kind is well represented; deterministic in `seed`. */
export function fuzzCases(n: number, seed: number): FuzzCase[] {
  const kinds = Object.keys(FUZZ_KINDS);
  const perKind = Math.ceil(n / kinds.length);
  const drawn = kinds.map((kind, i) => fc.sample(FUZZ_KINDS[kind]!, { numRuns: perKind, seed: seed + i }).map((text) => ({ kind, text })));
  const out: FuzzCase[] = [];
  for (let j = 0; out.length < n; j++) for (const list of drawn) if (out.length < n && list[j] !== undefined) out.push(list[j]!);
  return out;
}
