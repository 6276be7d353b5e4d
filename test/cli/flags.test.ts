/**
 * Flags meet the rules and limits the file's fields meet, checked by the same code before the run:
 * `--until 1000d --every 1d` used to skip the 7-day limit, `--every` the 1 ms minimum, `--seed 1e24`
 * was printed as 1e+24, `--seed -1` got Node's "ambiguous" message, and a refusal kept advising
 * --allow-large when it was already given.
 */
import { describe, expect, it } from 'vitest';
import { tcpsim } from './tcpsim.js';


describe('run-shaping flags', () => {
  it('--until beyond maxRunTime is refused even when --every keeps the samples few', () => {
    const out = tcpsim(['run', 'normal-close', '--until', '1000d', '--every', '1d']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('--until 1000d: expected at most 7d (limit maxRunTime), found 1000d');
  });

  it('--every below minSampleEvery is refused, with the way to raise it', () => {
    const out = tcpsim(['run', 'normal-close', '--every', '100us', '--until', '1s']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('--every 100us: expected at least 1ms (limit minSampleEvery), found 100us');
    expect(out.stderr).toContain('raise it with --allow-large');
  });

  it('with --allow-large given, a refusal does not advise --allow-large', () => {
    const out = tcpsim(['run', 'normal-close', '--until', '1000d', '--allow-large']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('expected at most 366d (limit maxRunTime)');
    expect(out.stderr).not.toContain('--allow-large');
  });

  it('a value --allow-large cannot allow is refused without advice', () => {
    const out = tcpsim(['run', 'normal-close', '--until', '1000d']);
    expect(out.stderr).not.toContain('raise it');
  });

  it('--every with expectations at other times still runs: they are judged at their own times', () => {
    expect(tcpsim(['run', 'normal-close', '--every', '10s', '--quiet']).code).toBe(0);
  });
});

describe('--seed', () => {
  it.each(['1e24', '100000000000000000000000', '4294967296', '1.5', 'seven'])('--seed %s is refused: seeds are whole numbers 0..4294967295', (seed) => {
    const out = tcpsim(['run', 'normal-close', '--seed', seed]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(`--seed ${seed}: expected a whole number from 0 to 4294967295`);
    expect(out.stdout).toBe('');
  });

  it('--seed -1 gets our words, not the parser’s "ambiguous"', () => {
    const out = tcpsim(['run', 'normal-close', '--seed', '-1']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('--seed -1: expected a whole number from 0 to 4294967295, found "-1"');
    expect(out.stderr).not.toMatch(/ambiguous|To specify/);
  });

  it('the largest seed runs and is printed as written', () => {
    const out = tcpsim(['run', 'normal-close', '--seed', '4294967295', '--quiet']);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('seed 4294967295');
  });

  it('--profile gets a did-you-mean', () => {
    expect(tcpsim(['run', 'normal-close', '--profile', 'linx']).stderr).toContain('did you mean "linux"?');
  });
});
