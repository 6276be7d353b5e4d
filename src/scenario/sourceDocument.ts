/**
 * A scenario file parsed into plain data, remembering where every value and key was written, so
 * that any later complaint about a path (`processes.server.listen.port`) can point at its line
 * and column.
 */
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseDocument, visit } from 'yaml';
import type { Alias, Document, Node as YamlNode } from 'yaml';
import type { ScenarioProblem } from './scenarioError.js';
import type { LimitAdvice, Limits } from './limits.js';

/** A path into the document: map keys and list indexes. */
export type DocPath = readonly (string | number)[];

/** Character offsets [start, end) in the source text. */
type Span = readonly [number, number];

interface Place {
  readonly value?: Span;
  readonly key?: Span;
}

/** Deepest nesting accepted (scenarios need about eight levels). */
const MAX_DEPTH = 64;

/** Renders a path as authors read it: `processes.server.onConnection[2].read`, `sysctls["net.ipv4.x"]`. */
export function formatPath(path: DocPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** The source text with the position of every path in it; makes located problems. */
export class SourceIndex {
  readonly file: string;
  readonly text: string;
  private readonly lines: LineCounter;
  private readonly places = new Map<string, Place>();

  constructor(file: string, text: string, lines: LineCounter) {
    this.file = file;
    this.text = text;
    this.lines = lines;
  }

  /** Records where the value (and, for a map entry, the key) at `path` was written. */
  record(path: DocPath, place: Place): void {
    const k = pathKey(path);
    this.places.set(k, { ...this.places.get(k), ...place });
  }

  /** The offset to point at for `path`: its key, its value, or the nearest written ancestor. */
  offsetOf(path: DocPath, prefer: 'key' | 'value' = 'value'): number {
    for (let n = path.length; n >= 0; n--) {
      const place = this.places.get(pathKey(path.slice(0, n)));
      if (place === undefined) continue;
      // An absent child is reported at its parent's key ("listen:" when listen.port is missing).
      const span = n < path.length || prefer === 'key' ? (place.key ?? place.value) : (place.value ?? place.key);
      if (span !== undefined) return span[0];
    }
    return 0;
  }

  /** The source text of the value at `path`, when it was written. */
  sourceOf(path: DocPath): { readonly start: number; readonly text: string } | undefined {
    const span = this.places.get(pathKey(path))?.value;
    return span === undefined ? undefined : { start: span[0], text: this.text.slice(span[0], span[1]) };
  }

  /** `file:line:col` of the value at `path`. */
  where(path: DocPath): string {
    const { line, col } = this.position(this.offsetOf(path));
    return `${this.file}:${line}:${col}`;
  }

  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; col: number } {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const pos = this.lines.linePos(clamped);
    return { line: Math.max(1, pos.line), col: Math.max(1, pos.col) };
  }

  /** A problem located at an offset in this file. */
  problemAt(offset: number, path: DocPath, expected: string, found: string, hint?: string): ScenarioProblem {
    const { line, col } = this.position(offset);
    return {
      file: this.file,
      line,
      col,
      path: formatPath(path),
      expected,
      found,
      ...(hint === undefined ? {} : { hint }),
      sourceLine: this.lineText(line),
    };
  }

  /** A problem located at the value (or key) written for `path`. */
  problem(path: DocPath, expected: string, found: string, hint?: string, prefer: 'key' | 'value' = 'value'): ScenarioProblem {
    return this.problemAt(this.offsetOf(path, prefer), path, expected, found, hint);
  }

  private lineText(line: number): string {
    const starts = this.lines.lineStarts;
    const start = starts[line - 1] ?? 0;
    const next = starts[line];
    return this.text.slice(start, next === undefined ? this.text.length : next).replace(/\r?\n$/, '');
  }
}

function pathKey(path: DocPath): string {
  return path.map((s) => (typeof s === 'number' ? `#${s}` : `.${s}`)).join('\u0000');
}

/** A parsed file: its plain value, the index of positions, and any syntax problems. */
export interface ParsedSource {
  readonly value: unknown;
  readonly index: SourceIndex;
  readonly problems: readonly ScenarioProblem[];
}

/** Parses YAML (or JSON) text into plain data with positions; never throws for bad input. */
export function parseSource(text: string, file: string, limits: Limits, advice: LimitAdvice): ParsedSource {
  const lines = new LineCounter();
  const source = text.startsWith('\uFEFF') ? ` ${text.slice(1)}` : text;
  const index = new SourceIndex(file, source, lines);
  // uniqueKeys is checked by the Walker with a set per map: yaml's own check is quadratic in a map's size
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: false, keepSourceTokens: false });
  const problems: ScenarioProblem[] = [];
  const reportedLines = new Set<number>();
  for (const err of doc.errors.slice(0, 200)) {
    // One syntax error usually cascades along its line; the first one is the cause.
    // An error at a blank line or the end of the text is about the last line written.
    let offset = err.pos[0];
    while (offset > 0 && /\s/.test(source[offset - 1] ?? '') && (offset >= source.length || /^\s*$/.test(source.slice(offset, source.indexOf('\n', offset) + 1 || undefined)))) offset--;
    const { line } = index.position(offset);
    if (reportedLines.has(line)) continue;
    reportedLines.add(line);
    const described = describeSyntaxError(err.code, err.message);
    const lineText = source.slice(lines.lineStarts[line - 1] ?? 0, lines.lineStarts[line] ?? source.length);
    const hint = /(?<!["'$])\$\{/.test(lineText) && /[[{]/.test(lineText)
      ? 'inside { … } or [ … ], put parameter references in quotes: "${name}"'
      : described.hint;
    problems.push(index.problemAt(offset, [], 'valid YAML', described.found, hint));
  }
  if (problems.length > 0) return { value: undefined, index, problems };
  index.record([], { value: [0, 0] });
  const walker = new Walker(doc, index, limits, advice, problems);
  const value = walker.plain(doc.contents, [], 0);
  return { value, index, problems };
}

function describeSyntaxError(code: string, message: string): { found: string; hint?: string } {
  switch (code) {
    case 'DUPLICATE_KEY':
      return { found: 'a key written twice in one map', hint: 'each key may appear once; remove or rename one' };
    case 'MULTIPLE_DOCS':
      return { found: 'a second document (---)', hint: 'a scenario file holds one YAML document' };
    case 'TAB_AS_INDENT':
      return { found: 'a tab in the indentation', hint: 'indent YAML with spaces' };
    case 'RESOURCE_EXHAUSTION':
      return { found: 'nesting too deep to parse' };
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
      if (/end with a [\]}]/.test(message)) {
        return { found: message.replace(/\.$/, '').replace(/^./, (c) => c.toLowerCase()), hint: 'is a [ or { on an earlier line missing its closing bracket?' };
      }
      return { found: message.replace(/\.$/, '').replace(/^./, (c) => c.toLowerCase()) };
    default:
      return { found: message.replace(/\.$/, '').replace(/^./, (c) => c.toLowerCase()) };
  }
}

/** Converts yaml nodes to plain values, recording spans and counting nodes against the limit. */
class Walker {
  private nodes = 0;
  private readonly expanding = new Set<YamlNode>();
  /** Each alias's anchored node, found in one pass: yaml's Alias.resolve() walks the whole document per call. */
  private readonly targets: ReadonlyMap<Alias, YamlNode>;

  constructor(
    private readonly doc: Document,
    private readonly index: SourceIndex,
    private readonly limits: Limits,
    private readonly advice: LimitAdvice,
    private readonly problems: ScenarioProblem[],
  ) {
    this.targets = aliasTargets(doc);
  }

  plain(node: unknown, path: DocPath, depth: number): unknown {
    if (node === null || node === undefined) return null;
    if (++this.nodes > this.limits.maxNodes) {
      if (this.nodes === this.limits.maxNodes + 1) {
        this.problems.push(
          this.index.problem(path, `at most ${this.limits.maxNodes.toLocaleString('en-US')} YAML nodes (limit maxNodes)`, 'more, counting alias expansions', this.advice('maxNodes', Number.NaN)),
        );
      }
      return null;
    }
    if (depth > MAX_DEPTH) {
      if (depth === MAX_DEPTH + 1) this.problems.push(this.index.problem(path, `at most ${MAX_DEPTH} levels of nesting`, 'deeper nesting'));
      return null;
    }
    if (isAlias(node)) {
      this.index.record(path, { value: spanOf(node.range) });
      const target = this.targets.get(node);
      if (target === undefined) {
        this.problems.push(this.index.problem(path, 'an alias to an anchor defined earlier', `*${node.source}`, `define &${node.source} before using it`));
        return null;
      }
      if (this.expanding.has(target)) {
        this.problems.push(this.index.problem(path, 'an alias outside the node it names', `*${node.source} inside &${node.source}`));
        return null;
      }
      this.expanding.add(target);
      const value = this.plainInner(target, path, depth, false);
      this.expanding.delete(target);
      return value;
    }
    return this.plainInner(node, path, depth, true);
  }

  private plainInner(node: unknown, path: DocPath, depth: number, recordSpan: boolean): unknown {
    if (isScalar(node)) {
      if (recordSpan) this.index.record(path, { value: spanOf(node.range) });
      return scalarValue(node.value);
    }
    if (isSeq(node)) {
      if (recordSpan) this.index.record(path, { value: spanOf(node.range) });
      return node.items.map((item, i) => this.plain(item, [...path, i], depth + 1));
    }
    if (isMap(node)) {
      if (recordSpan) this.index.record(path, { value: spanOf(node.range) });
      const out: Record<string, unknown> = {};
      const seen = new Set<string>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key;
        if (!isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === 'object') {
          const at = isScalar(keyNode) || isMap(keyNode) || isSeq(keyNode) ? spanOf(keyNode.range)[0] : this.index.offsetOf(path);
          this.problems.push(this.index.problemAt(at, path, 'a plain key (a name)', keyNode === null || (isScalar(keyNode) && keyNode.value === null) ? 'an empty key' : 'a complex key'));
          continue;
        }
        const key = String(keyNode.value);
        const keySpan = spanOf(keyNode.range);
        if (seen.has(key)) {
          const { found, hint } = describeSyntaxError('DUPLICATE_KEY', '');
          this.problems.push(this.index.problemAt(keySpan[0], [], 'valid YAML', found, hint));
          continue;
        }
        seen.add(key);
        const childPath = [...path, key];
        this.index.record(childPath, { key: keySpan });
        if (pair.value === null || pair.value === undefined) {
          this.index.record(childPath, { value: [keySpan[1], keySpan[1]] });
        }
        const value = this.plain(pair.value, childPath, depth + 1);
        // defineProperty: a key named __proto__ must stay an ordinary (and rejected) key.
        Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    return null;
  }
}

/** Every alias's target: the last node anchored with its name before it, in document order (YAML 1.2 §7.1). */
function aliasTargets(doc: Document): Map<Alias, YamlNode> {
  const latest = new Map<string, YamlNode>();
  const targets = new Map<Alias, YamlNode>();
  visit(doc, (_key, node) => {
    if (isAlias(node)) {
      const target = latest.get(node.source);
      if (target !== undefined) targets.set(node, target);
    } else if ((isScalar(node) || isMap(node) || isSeq(node)) && node.anchor !== undefined) latest.set(node.anchor, node);
  });
  return targets;
}

function spanOf(range: readonly [number, number, number] | null | undefined): Span {
  return range === null || range === undefined ? [0, 0] : [range[0], range[1]];
}

function scalarValue(value: unknown): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  return String(value);
}
