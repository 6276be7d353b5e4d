/**
 * Every command line the README shows exits as the README says: each `tcpsim …` in backticks
 * (the table of commands, the prose, the headings of generated blocks) and `npx tcpsim …`, run
 * as a user would, from an empty folder, against the built CLI. None of them is documented to
 * fail, so each must exit 0. Lines with placeholders (NAME, FILE, OUT, PID, SCENARIO) are templates, not commands.
 * `tcpsim real …` runs for real sockets' whole scenario time (70 s for normal-close): it runs when
 * TCPSIM_README_REAL=1, and is otherwise reported as skipped. `tcpsim teach` serves until
 * stopped: test/cli/teach.test.ts starts and stops it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = resolve('dist/cli/main.js');
const README = readFileSync('README.md', 'utf8');

/** The README's command lines, in order of first appearance, without `npx`. */
export function readmeCommandLines(readme: string): string[] {
  const spans = [...readme.matchAll(/`((?:npx )?tcpsim [^`]+)`/g)].map((m) => (m[1] ?? '').replace(/^npx /, '').trim());
  return [...new Set(spans)].filter((line) => !/\b(NAME|FILE|OUT|COMMAND|PID|PORT|SCENARIO)\b|…/.test(line));
}

const LINES = readmeCommandLines(README);
const runReal = process.env['TCPSIM_README_REAL'] === '1';


describe('the README’s command lines', () => {
  it('are found: the table of commands and the generated sections’ headings', () => {
    expect(LINES).toEqual(expect.arrayContaining(['tcpsim run article-java-forgot-close', 'tcpsim list', 'tcpsim diagram', 'tcpsim help run', 'tcpsim trace normal-close --time']));
    expect(LINES.length).toBeGreaterThanOrEqual(12);
  });

  const cwd = mkdtempSync(join(tmpdir(), 'tcpsim-readme-'));
  it.each(LINES.filter((l) => !l.startsWith('tcpsim real') && l !== 'tcpsim teach'))('%s exits 0', (line) => {
    const args = line.split(/\s+/).slice(1);
    const out = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 << 20, timeout: 120_000 });
    expect(out.status, `${line}\n${out.stderr}`).toBe(0);
    expect(out.stdout.length).toBeGreaterThan(0);
  });

  it.skipIf(!runReal).each(LINES.filter((l) => l.startsWith('tcpsim real')))('%s exits 0 (TCPSIM_README_REAL=1)', (line) => {
    const out = spawnSync(process.execPath, [CLI, ...line.split(/\s+/).slice(1)], { cwd, encoding: 'utf8', timeout: 300_000 });
    expect(out.status, `${line}\n${out.stderr}`).toBe(0);
  });
});
