/**
 * The library as a user gets it: `npm pack`, the tarball unpacked as node_modules/tcpsim of a
 * scratch project, and examples/library run there with vitest and fast-check, importing only
 * `tcpsim`, `tcpsim/vitest` and `tcpsim/fast-check`. The leaky examples must fail with the
 * message that names the leak, the fixed ones pass, and `tsc --noEmit` accepts the examples
 * with no `any`. No network: tcpsim's own dependencies, vitest, fast-check and typescript are
 * linked from this repository's node_modules (the test is skipped, saying why, if they are missing).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const MODULES = join(ROOT, 'node_modules');
const EXAMPLES = join(ROOT, 'examples/library');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
/** What the scratch project links: tcpsim's dependencies, the peers and the tools. */
const LINKED = [...Object.keys(pkg.dependencies), 'vitest', 'fast-check', 'typescript', '@types/node'];
const missing = LINKED.filter((name) => !existsSync(join(MODULES, name)));
if (missing.length > 0) console.warn(`packed-package test skipped: node_modules lacks ${missing.join(', ')} (run npm ci)`);

interface AssertionResult {
  readonly title: string;
  readonly status: string;
  readonly failureMessages: readonly string[];
}
interface JsonReport {
  readonly testResults: readonly { readonly name: string; readonly assertionResults: readonly AssertionResult[] }[];
}

let project = '';
let report: JsonReport = { testResults: [] };
let vitestOutput = '';

function run(command: string, args: readonly string[], cwd: string): { status: number | null; out: string } {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' }, timeout: 180_000 });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

/** The result of the example test `title` in file `file`. */
function result(file: string, title: string): AssertionResult {
  const f = report.testResults.find((t) => t.name.endsWith(`/${file}`));
  const a = f?.assertionResults.find((x) => x.title === title);
  if (a === undefined) throw new Error(`no result for ${file} › ${title}; vitest said:\n${vitestOutput.slice(-3000)}`);
  return a;
}

describe.skipIf(missing.length > 0)('the packed package, installed in a scratch project', () => {
  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'tcpsim-packed-'));
    // dist/ is fresh (the global set-up built it); --ignore-scripts keeps pack from building again
    const packed = run('npm', ['pack', '--ignore-scripts', '--pack-destination', project], ROOT);
    if (packed.status !== 0) throw new Error(`npm pack failed:\n${packed.out}`);
    const tarball = readdirSync(project).find((f) => f.endsWith('.tgz'));
    if (tarball === undefined) throw new Error(`npm pack wrote no tarball:\n${packed.out}`);
    const installed = join(project, 'node_modules/tcpsim');
    mkdirSync(installed, { recursive: true });
    const untar = run('tar', ['xzf', join(project, tarball), '-C', installed, '--strip-components=1'], project);
    if (untar.status !== 0) throw new Error(`tar failed:\n${untar.out}`);
    for (const name of LINKED) {
      const link = join(project, 'node_modules', name);
      mkdirSync(resolve(link, '..'), { recursive: true });
      symlinkSync(join(MODULES, name), link, 'dir');
    }
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
    cpSync(EXAMPLES, join(project, 'examples'), { recursive: true });
    const vitest = run(process.execPath, [join(MODULES, 'vitest/vitest.mjs'), 'run', '--reporter=json', '--outputFile=report.json', 'examples'], project);
    vitestOutput = vitest.out;
    if (!existsSync(join(project, 'report.json'))) throw new Error(`vitest wrote no report:\n${vitest.out}`);
    report = JSON.parse(readFileSync(join(project, 'report.json'), 'utf8')) as JsonReport;
  }, 240_000);

  afterAll(() => {
    if (project !== '') rmSync(project, { recursive: true, force: true });
  });

  it('the tarball holds dist and the shipped scenarios, and the examples import only tcpsim and its subpaths', () => {
    const installed = join(project, 'node_modules/tcpsim');
    expect(existsSync(join(installed, 'dist/testing/vitest.js'))).toBe(true);
    expect(existsSync(join(installed, 'dist/testing/fastCheck.d.ts'))).toBe(true);
    expect(existsSync(join(installed, 'scenarios/article-java-forgot-close.yaml'))).toBe(true);
    for (const file of readdirSync(EXAMPLES).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(join(EXAMPLES, file), 'utf8');
      for (const m of text.matchAll(/from '([^']+)'|import '([^']+)'/g)) expect(m[1] ?? m[2]).toMatch(/^(tcpsim(\/vitest|\/fast-check)?|vitest(\/config)?|\.\/[\w-]+\.js)$/);
      expect(text, `${file} uses any`).not.toMatch(/\bany\b/);
    }
  });

  it('leaky-server fails: the shrunk counterexample and the connection in CLOSE_WAIT', () => {
    const r = result('leaky-server.test.ts', 'the leaky server closes every connection');
    expect(r.status).toBe('failed');
    const message = r.failureMessages.join('\n');
    expect(message).toContain('counterexample:');
    expect(message).toContain('in CLOSE_WAIT: the peer closed and the program never called close()');
    expect(message).toContain('CLOSE-WAIT');
  });

  it('fixed-server passes, the property and the step-by-step test', () => {
    expect(result('fixed-server.test.ts', 'the fixed server closes every connection').status).toBe('passed');
    expect(result('fixed-server.test.ts', 'one garbage request, step by step').status).toBe('passed');
  });

  it('the client that forgets close() on its timeout path fails with CLOSE_WAIT; the fixed one passes', () => {
    const leaky = result('leaky-client.test.ts', 'the leaky client leaves no CLOSE_WAIT behind');
    expect(leaky.status).toBe('failed');
    expect(leaky.failureMessages.join('\n')).toMatch(/client holds fd \d+ on connection 0 .* in CLOSE_WAIT/);
    expect(result('leaky-client.test.ts', 'the fixed client leaves no CLOSE_WAIT behind').status).toBe('passed');
  });

  it('EMFILE under a storm passes', () => {
    expect(result('emfile-storm.test.ts', 'EMFILE under a storm: the server sheds load and recovers').status).toBe('passed');
  });

  it('tsc --noEmit accepts the examples against the packed types', () => {
    const tsc = run(process.execPath, [join(MODULES, 'typescript/bin/tsc'), '--noEmit', '-p', 'examples/tsconfig.json'], project);
    expect(tsc.out.trim()).toBe('');
    expect(tsc.status).toBe(0);
  });
});
