/**
 * What tcpsim reads: a regular file, at most maxSourceBytes of it, the limit enforced while
 * reading. `tcpsim run /dev/zero` used to read until memory ran out, a FIFO without a writer hung
 * forever, and the size limit was checked only after the whole file was in memory.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, ScenarioError } from '../../src/scenario/index.js';
import { tcpsim } from './tcpsim.js';

const dir = mkdtempSync(join(tmpdir(), 'tcpsim-inputs-'));


function problemOf(path: string, maxSourceBytes?: number): string {
  try {
    loadScenarioFile(path, maxSourceBytes === undefined ? {} : { limits: { maxSourceBytes } });
  } catch (err) {
    if (err instanceof ScenarioError) return err.message;
    throw err;
  }
  throw new Error(`${path} loaded`);
}

describe('scenario files that are not regular files are refused with exit 2, before a byte is read', () => {
  it('a character device: tcpsim run /dev/zero', () => {
    const out = tcpsim(['run', '/dev/zero'], { timeoutMs: 30_000 });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('/dev/zero:1:1: expected a regular file, found a character device');
  });

  it('a FIFO nobody writes to does not hang', () => {
    const fifo = join(dir, 'scenario.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const out = tcpsim(['run', fifo], { timeoutMs: 30_000 });
    expect(out.signal).toBeNull();
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('found a FIFO (named pipe)');
  });

  it('a symbolic link loop says so', () => {
    const a = join(dir, 'a.yaml');
    const b = join(dir, 'b.yaml');
    symlinkSync(b, a);
    symlinkSync(a, b);
    const out = tcpsim(['run', a]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('found a symbolic link loop');
  });

  it('a directory', () => {
    expect(problemOf(dir)).toContain('expected a regular file, found a directory');
  });
});

describe('the size limit', () => {
  it('is checked against the file size before reading', () => {
    const big = join(dir, 'big.yaml');
    writeFileSync(big, `# ${'x'.repeat(2 * 1024 * 1024)}\n`);
    const out = tcpsim(['run', big]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('expected a file of at most 262,144 bytes (limit maxSourceBytes), found 2,097,155 bytes');
    expect(out.stderr).toContain('raise it with --allow-large');
  });

  it('is enforced while reading a file whose size is not known in advance (/proc reports 0)', () => {
    expect(problemOf('/proc/self/maps', 64)).toContain('found more than 64 bytes');
  });
});
