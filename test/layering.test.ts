/**
 * The layers of src/ (docs: the design's "shape"), checked on the source: each folder imports
 * only from folders before it in LAYERS, and no files import each other in a circle. Every
 * `import`, `import type`, `export … from` and `import('…')` with a relative path counts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../src');

/**
 * Lowest first. model is the pure TCP endpoint; scenario the description of a run (types,
 * schema, loading), which the engine in sim runs; report reads results and traces; api runs
 * programs written as async functions on the engine, and testing adapts it to vitest and
 * fast-check; real and watch touch the OS; site serves the teaching page; bench measures; cli
 * dispatches; src/index.ts re-exports the public API.
 */
const LAYERS = ['model', 'scenario', 'sim', 'report', 'api', 'testing', 'real', 'watch', 'site', 'bench', 'cli', '.'];

/**
 * web/ (what runs in a browser, bundled by scripts/build-web.mjs) sits above src: its pages take
 * the model, the scenario types, the engine and the reporters from src, and nothing that touches
 * the OS, serves, measures or parses a command line. web/common is shared by the pages, which do
 * not import each other.
 */
const WEB_MAY_USE = ['model', 'scenario', 'sim', 'report'];

/** Every .ts file under src, as paths relative to src. */
function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [relative(SRC, path)] : [];
  });
}

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'";]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)|(?:^|[\s;])import\s+['"](\.[^'"]+)['"]/g;

/** The files `file` imports (relative to src), from its text. */
export function importsOf(file: string, text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3]!;
    out.push(relative(SRC, resolve(SRC, dirname(file), spec)).replace(/\.js$/, '.ts'));
  }
  return out;
}

/** The layer (top folder) of a file relative to src; '.' for files directly in src. */
function layerOf(file: string): string {
  const slash = file.indexOf('/');
  return slash < 0 ? '.' : file.slice(0, slash);
}

/** The circles in a graph of files: its strongly connected components with more than one file, or a file importing itself (Tarjan). */
export function circles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    indexOf.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indexOf.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indexOf.get(w)!));
    }
    if (low.get(v) === indexOf.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!indexOf.has(v)) visit(v);
  return out;
}

/** The engine's files stay readable in one sitting (issue 13: the kernel in rooms). */
const MAX_SIM_FILE_LINES = 400;

const files = sourceFiles().sort();
const graph = new Map(files.map((f) => [f, importsOf(f, readFileSync(join(SRC, f), 'utf8'))] as const));

describe('the layers of src/', () => {
  it('every folder of src is a known layer', () => {
    expect([...new Set(files.map(layerOf))].filter((l) => !LAYERS.includes(l))).toEqual([]);
  });

  it('no file imports from a layer above its own', () => {
    const upward: string[] = [];
    for (const [file, imports] of graph) {
      for (const target of imports) {
        if (LAYERS.indexOf(layerOf(target)) > LAYERS.indexOf(layerOf(file))) upward.push(`${file} → ${target}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('no files import each other in a circle', () => {
    expect(circles(graph).map((c) => c.join(' ⇄ '))).toEqual([]);
  });

  it('no file of the engine (src/sim) is longer than 400 lines: one idea per file', () => {
    const long = files
      .filter((f) => layerOf(f) === 'sim')
      .map((f) => [f, readFileSync(join(SRC, f), 'utf8').split('\n').length] as const)
      .filter(([, lines]) => lines > MAX_SIM_FILE_LINES);
    expect(long).toEqual([]);
  });

  it('every import names a file that exists', () => {
    const missing = [...graph].flatMap(([file, imports]) => imports.filter((t) => !graph.has(t)).map((t) => `${file} → ${t}`));
    expect(missing).toEqual([]);
  });
});

const WEB = resolve(SRC, '../web');

describe('web/ on top of src/', () => {
  const webFiles = sourceFiles(WEB).map((f) => relative(SRC, join(WEB, f)));
  const webGraph = new Map(webFiles.map((f) => [f, importsOf(f, readFileSync(join(SRC, f), 'utf8'))] as const));

  it('takes from src only the model, scenario, engine and reporters', () => {
    const wrong = [...webGraph].flatMap(([file, imports]) => imports.filter((t) => !t.startsWith('../') && !WEB_MAY_USE.includes(layerOf(t))).map((t) => `${file} → ${t}`));
    expect(webFiles.length).toBeGreaterThan(5);
    expect(wrong).toEqual([]);
  });

  it('shares through web/common: a page imports no other page, and common no page', () => {
    const page = (f: string): string => f.split('/')[2] ?? '';
    const wrong = [...webGraph].flatMap(([file, imports]) =>
      imports.filter((t) => t.startsWith('../web/') && page(t) !== 'common' && page(t) !== page(file)).map((t) => `${file} → ${t}`),
    );
    expect(wrong).toEqual([]);
    expect(circles(webGraph).map((c) => c.join(' ⇄ '))).toEqual([]);
  });

  it('and src imports nothing from web/', () => {
    expect([...graph].flatMap(([file, imports]) => imports.filter((t) => t.startsWith('../')).map((t) => `${file} → ${t}`))).toEqual([]);
  });
});

describe('the checks themselves', () => {
  it('see every form of import', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../model/b.js';",
      "export { c } from './c.js';",
      "export type { D } from './d.js';",
      "const e = await import('./e.js');",
      "import {\n  f,\n  g,\n} from './fg.js';",
      "import 'node:fs'; import x from 'xstate';",
      "import './sideEffect.js';",
    ].join('\n');
    expect(importsOf('sim/x.ts', text)).toEqual(['sim/a.ts', 'model/b.ts', 'sim/c.ts', 'sim/d.ts', 'sim/e.ts', 'sim/fg.ts', 'sim/sideEffect.ts']);
  });

  it('find a circle of two and of three, and none in a chain', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['a']],
      ['c', ['d']],
      ['d', ['e']],
      ['e', ['c']],
      ['f', ['g']],
      ['g', []],
    ]);
    expect(circles(g)).toEqual([
      ['a', 'b'],
      ['c', 'd', 'e'],
    ]);
    expect(circles(new Map([['a', ['a']]]))).toEqual([['a']]);
  });
});
