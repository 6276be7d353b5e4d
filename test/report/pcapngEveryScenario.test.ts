/**
 * Every shipped scenario's capture (`tcpsim run FILE --pcap OUT`) is a file tshark reads to the
 * end without a complaint, with every IP and TCP checksum Good — including the 512 KiB writes of
 * simultaneous-close-loopback, which go out as MSS-sized segments (an IPv4 packet holds at most
 * 65535 bytes). The article's demos run with 50 clients, to keep the suite quick.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasTool } from './hasTool.js';

const hasTshark = hasTool('tshark', ['--version']);

const SCENARIOS = [
  ...readdirSync('scenarios').filter((f) => f.endsWith('.yaml') && !f.startsWith('bench-')).map((f) => `scenarios/${f}`),
  ...readdirSync('scenarios/real').filter((f) => f.endsWith('.yaml')).map((f) => `scenarios/real/${f}`),
].sort();

const dir = mkdtempSync(join(tmpdir(), 'tcpsim-pcap-'));

describe.skipIf(!hasTshark)(hasTshark ? 'tshark reads every shipped scenario’s capture' : 'tshark reads every shipped scenario’s capture (skipped: tshark not installed — apt-get install tshark, or run .ci/run)', () => {
  it.each(SCENARIOS)('%s', (file) => {
    const out = join(dir, `${file.replace(/\W+/g, '_')}.pcapng`);
    const params = file.includes('article-') ? ['--param', 'clients=50', '--until', '3m'] : [];
    const run = spawnSync(process.execPath, ['dist/cli/main.js', 'run', file, '--quiet', '--pcap', out, ...params], { encoding: 'utf8' });
    // expectations may fail with fewer clients; the capture is what is checked here
    expect([0, 1], run.stderr).toContain(run.status);
    const read = spawnSync('tshark', ['-r', out, '-Y', 'tcp', '-o', 'tcp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE', '-T', 'fields', '-e', 'ip.len', '-e', 'ip.checksum.status', '-e', 'tcp.checksum.status'], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    expect(read.status, read.stderr).toBe(0);
    expect(read.stderr.replace(/^Running as user "root".*\n?/m, '').trim()).toBe('');
    const rows = read.stdout.trimEnd().split('\n').map((line) => line.split('\t'));
    expect(rows.length).toBeGreaterThan(0);
    // checksum status with validation on: 1 Good, 0 Bad, 2 not checked
    const bad = rows.filter(([, ip, tcp]) => ip !== '1' || tcp !== '1');
    expect(bad.slice(0, 3)).toEqual([]);
    for (const [len] of rows) expect(Number(len)).toBeLessThanOrEqual(65_535);
  });
});
