/**
 * The installed command line is the bundle (package.json's bin, dist/bundle/tcpsim.js): it runs a
 * scenario, finds the shipped scenarios beside the package, and reaches real mode, which stays
 * outside the bundle in dist/cli/.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { bin: Record<string, string> };
const BIN = resolve(pkg.bin['tcpsim'] ?? '');

function bin(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
}


describe('the bundled command line', () => {
  it('is the bin', () => {
    expect(pkg.bin['tcpsim']).toBe('dist/bundle/tcpsim.js');
  });

  it('runs a shipped scenario by name', () => {
    const out = bin('run', 'normal-close', '--quiet');
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('all 5 hold');
  });

  it('lists the shipped scenarios', () => {
    expect(bin('list').stdout).toMatch(/^article-java-forgot-close\s+The article's Java server/m);
  });

  it('reaches real mode’s help and its options', () => {
    expect(bin('help', 'real').stdout).toMatch(/^Usage: tcpsim real FILE/);
    expect(bin('real', 'normal-close', '--time-scal', '1').stderr).toContain('did you mean --time-scale?');
  });
});
