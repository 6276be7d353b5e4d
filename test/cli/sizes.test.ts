/**
 * Sizes: counts are checked against their limits before any work, and what the limits allow runs
 * in time proportional to its work (measured with `npm run bench`-style runs, not asserted here).
 * Port exhaustion no longer makes connections vanish from the report: EADDRNOTAVAIL is counted,
 * shown and explained. (A generous spawn timeout only guards against hangs.)
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tcpsim } from './tcpsim.js';

const dir = mkdtempSync(join(tmpdir(), 'tcpsim-sizes-'));


function file(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

const SERVER = '  server: { listen: 8888, onConnection: [ { read: eof }, close ] }';

describe('counts are refused up front, at the key that holds them', () => {
  it('5,001 client processes: maxProcesses', () => {
    const path = file('procs.yaml', ['processes:', SERVER, ...Array.from({ length: 5_000 }, (_, i) => `  c${i}: {steps: [{connect: server}, close]}`)]);
    const out = tcpsim(['run', path]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(`${path}:1:1: processes: expected at most 5,000 processes (limit maxProcesses), found 5,001`);
    expect(out.stderr).toContain('raise it with --allow-large');
  });

  it('2,000 parameters: maxParams', () => {
    const path = file('params.yaml', ['params:', ...Array.from({ length: 2_000 }, (_, i) => `  p${i}: ${i}`), 'processes:', SERVER]);
    const out = tcpsim(['run', path]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('expected at most 1,000 parameters (limit maxParams), found 2,000');
  });

  it('5,001 hosts: maxHosts', () => {
    const path = file('hosts.yaml', ['hosts:', ...Array.from({ length: 5_001 }, (_, i) => `  - {name: h${i}, address: 10.0.${i >> 8}.${i & 255}}`), 'processes:', SERVER]);
    const out = tcpsim(['run', path]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('expected at most 5,000 hosts (limit maxHosts), found 5,001');
  });

  it('200,000 sleep steps: the file is over maxSourceBytes and refused before it is parsed', () => {
    const path = file('steps.yaml', ['processes:', SERVER, '  client:', '    steps:', '      - connect: server', ...Array.from({ length: 200_000 }, () => '      - sleep: 1ms')]);
    const out = tcpsim(['run', path]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('(limit maxSourceBytes)');
  });

  it('10,001 steps in a file that fits: maxSteps, at the program', () => {
    const path = file('steps2.yaml', ['processes:', SERVER, '  client:', '    steps: [ { connect: server }, ' + Array.from({ length: 10_000 }, () => 'close').join(', ') + ' ]']);
    const out = tcpsim(['run', path]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('processes.client.steps: expected at most 10,000 steps (limit maxSteps), found 10,001');
  });

  it('a duplicated key in a 1,000-key map is still found (the check is ours now, and linear)', () => {
    const path = file('dup.yaml', ['params:', ...Array.from({ length: 999 }, (_, i) => `  p${i}: ${i}`), '  p5: 1', 'processes:', SERVER]);
    const out = tcpsim(['run', path]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(`${path}:1001:3: expected valid YAML, found a key written twice in one map`);
  });
});

describe('ephemeral port exhaustion', () => {
  it('64,000 clients from one address to one port: EADDRNOTAVAIL counted in the JSON', () => {
    const out = tcpsim(['run', 'article-java-forgot-close', '--param', 'clients=64000', '--param', 'nofile=70000', '--json'], { timeoutMs: 120_000 });
    expect(out.code).toBe(0);
    const doc = JSON.parse(out.stdout) as { final: { errors: Record<string, number> } };
    expect(doc.final.errors['EADDRNOTAVAIL']).toBeGreaterThan(0);
  });

  it('…shown in the summary and explained in the diagnosis, with the fix', () => {
    const out = tcpsim(['run', 'article-java-forgot-close', '--param', 'clients=64000', '--param', 'nofile=70000', '--quiet'], { timeoutMs: 120_000 });
    expect(out.stdout).toMatch(/errors .*EADDRNOTAVAIL \d+ \(first at /);
    expect(out.stdout).toContain('ran out of ephemeral ports towards server (127.0.0.1:8888)');
    expect(out.stdout).toContain('28,232 ports');
    expect(out.stdout).toContain('spread the clients over more addresses');
  });
});
