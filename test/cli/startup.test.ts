/**
 * Each command loads only what it needs: `tcpsim --help` used to import everything (the schema
 * library, the YAML parser, xstate, the engine, the reports, real mode) before printing its text.
 * A module-loading hook (fixtures/logImports.mjs) lists every file a command loads. Speed itself is
 * measured by `npm run bench`, not here.
 */
import { describe, expect, it } from 'vitest';
import { tcpsim } from './tcpsim.js';


/** The module files `tcpsim ARGS` loads, relative to the package (node_modules/zod/…, dist/sim/world.js). */
function loaded(args: string[]): string[] {
  const out = tcpsim(args, { nodeArgs: ['--import', './test/cli/fixtures/logImports.mjs'] });
  expect(out.code).toBe(0);
  return [...out.stderr.matchAll(/^import: file:\/\/(.*)$/gm)].map((m) => (m[1] ?? '').replace(/^.*?\/(node_modules|dist)\//, '$1/'));
}

const under = (files: string[], prefix: string): string[] => files.filter((f) => f.startsWith(prefix));

describe('what a command loads', () => {
  it('tcpsim --help: only the command table, no library and no engine', () => {
    const files = loaded(['--help']);
    expect(files).toContain('dist/cli/main.js');
    expect(under(files, 'node_modules/')).toEqual([]);
    expect(under(files, 'dist/sim/')).toEqual([]);
    expect(under(files, 'dist/report/')).toEqual([]);
    expect(files.length).toBeLessThan(15);
  });

  it('tcpsim list: no YAML parser, no schema, no engine', () => {
    const files = loaded(['list']);
    expect(under(files, 'node_modules/')).toEqual([]);
    expect(under(files, 'dist/sim/')).toEqual([]);
  });

  it('tcpsim help run: the run command’s text, not the model', () => {
    const files = loaded(['help', 'run']);
    expect(under(files, 'node_modules/xstate')).toEqual([]);
    expect(under(files, 'dist/real/')).toEqual([]);
  });

  it('tcpsim run: no real mode, no trace formats, no pcapng', () => {
    const files = loaded(['run', 'normal-close', '--quiet']);
    expect(files).toContain('dist/sim/world.js');
    expect(under(files, 'dist/real/')).toEqual([]);
    expect(files).not.toContain('dist/report/pcapng.js');
    expect(files).not.toContain('dist/report/rfcTable.js');
    expect(files).not.toContain('dist/report/mermaid.js');
  });
});
