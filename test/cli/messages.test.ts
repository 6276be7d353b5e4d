/**
 * Mistakes get tcpsim's own words: unknown flags, commands and scenario names with a "did you
 * mean", `help COMMAND` for every command, and no words of the schema library (zod) or of Node's
 * argument parser.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tcpsim } from './tcpsim.js';

/** Words of zod or of util.parseArgs that users must never see. */
export const FOREIGN_WORDS = /\brecord\b|Invalid input|received|ZodError|To specify a positional|ambiguous|ERR_PARSE_ARGS|found nothing \(it is missing\)/;


describe('did you mean', () => {
  it('an unknown flag', () => {
    const out = tcpsim(['run', 'normal-close', '--parm', 'x=1']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('tcpsim run has no option --parm; did you mean --param?');
    expect(out.stderr).not.toMatch(FOREIGN_WORDS);
  });

  it('an unknown flag of real mode (which parses with util.parseArgs) is translated too', () => {
    const out = tcpsim(['real', 'normal-close', '--time-scal', '0.1']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('did you mean --time-scale?');
    expect(out.stderr).not.toMatch(FOREIGN_WORDS);
  });

  it('an unknown command', () => {
    const out = tcpsim(['rn', 'normal-close']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('unknown command "rn"; did you mean `tcpsim run`?');
  });

  it('a misspelt scenario name', () => {
    const out = tcpsim(['run', 'artcle-java-forgot-close']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('did you mean article-java-forgot-close?');
  });

  it('a flag that needs a value and has none', () => {
    expect(tcpsim(['run', 'normal-close', '--seed']).stderr).toContain('--seed needs a value');
  });
});

describe('help', () => {
  it.each([
    ['run', /^Usage: tcpsim run FILE/],
    ['list', /^Usage: tcpsim list/],
    ['trace', /^Usage: tcpsim trace FILE/],
    ['diagram', /^Usage: tcpsim diagram/],
    ['real', /^Usage: tcpsim real FILE/],
    ['help', /^tcpsim — a deterministic simulator/],
  ])('tcpsim help %s prints that command’s help', (command, usage) => {
    const out = tcpsim(['help', command]);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(usage);
  });

  it('help list is the help of list, not the list', () => {
    expect(tcpsim(['help', 'list']).stdout).not.toContain('article-java-forgot-close');
  });

  it('help on an unknown command suggests the close one', () => {
    const out = tcpsim(['help', 'trac']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('did you mean `tcpsim trace`?');
  });
});

describe('scenario problems in our words', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tcpsim-messages-'));

  it('params: NaN names the value and what a params section is', () => {
    const path = join(dir, 'nan.yaml');
    writeFileSync(path, 'params: NaN\nprocesses:\n  s: { listen: 80, onConnection: [ close ] }\n');
    const out = tcpsim(['run', path]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(`${path}:1:9: params: expected a map of parameter names to numbers`);
    expect(out.stderr).toContain('found "NaN"');
    expect(out.stderr).not.toMatch(FOREIGN_WORDS);
  });

  it('a wrong kind of value deep in the document', () => {
    const path = join(dir, 'kinds.yaml');
    writeFileSync(path, 'processes:\n  s: { listen: 80, onConnection: [ close ] }\nexpect: [ { states: { CLOSE_WAIT: { min: [1] } } } ]\nhosts: 7\n');
    const out = tcpsim(['run', path]);
    expect(out.code).toBe(2);
    expect(out.stderr).not.toMatch(FOREIGN_WORDS);
  });
});
