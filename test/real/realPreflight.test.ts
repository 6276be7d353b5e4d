/**
 * Real mode refuses what the kernel cannot run before it touches anything: every bad input
 * exits 2 with file:line:col, the field and what was expected, and never "internal error". The
 * CLI runs with PATH holding only recording stand-ins for ip, nft, prlimit, grep, tee, cat,
 * sleep and ss, so the test sees that no external command ran: no namespace, no process.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realPreflight } from '../../src/real/realPreflight.js';
import { loadScenarioText } from '../../src/scenario/index.js';

const CLI = 'dist/cli/main.js';
const built = existsSync(CLI);
const BASE = `processes:
  server: { listen: 7420, onConnection: [ { read: eof }, close ] }
  client: { steps: [ { connect: server }, close ] }
sample: { every: 1s, until: 62s }
`;

let dir = '';
let fakeBin = '';
let log = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tcpsim-preflight-'));
  fakeBin = join(dir, 'bin');
  log = join(dir, 'calls.log');
  spawnSync('mkdir', [fakeBin]);
  for (const tool of ['ip', 'nft', 'prlimit', 'grep', 'tee', 'cat', 'sleep', 'ss', 'python3', 'sh']) {
    const path = join(fakeBin, tool);
    writeFileSync(path, `#!/bin/sh\necho "${tool} $*" >> ${log}\nexit 1\n`);
    chmodSync(path, 0o755);
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function realWith(yaml: string, ...args: string[]): { code: number | null; stderr: string; calls: string } {
  const file = join(dir, 'scenario.yaml');
  writeFileSync(file, yaml);
  writeFileSync(log, '');
  const out = spawnSync(process.execPath, [CLI, 'real', file, '--netns', ...args], {
    encoding: 'utf8',
    timeout: 20_000,
    env: { ...process.env, PATH: fakeBin, NO_COLOR: '1' },
  });
  return { code: out.status, stderr: out.stderr.replaceAll(file, 'scenario.yaml'), calls: readFileSync(log, 'utf8') };
}

describe.skipIf(!built || process.platform !== 'linux')(`tcpsim real refuses before it starts anything${built ? '' : ' (skipped: npm run build first)'}`, () => {
  it.each([
    ['a sysctl this kernel does not have', `sysctls: { net.ipv4.tcp_bogus_thing: 5 }\n${BASE}`, [], /^scenario\.yaml:1:12: sysctls\["net\.ipv4\.tcp_bogus_thing"\]: expected a sysctl this kernel has, found net\.ipv4\.tcp_bogus_thing, which it does not have/],
    ['a sysctl value out of range', `sysctls: { net.ipv4.tcp_fin_timeout: -5 }\n${BASE}`, [], /^scenario\.yaml:1:38: sysctls\["net\.ipv4\.tcp_fin_timeout"\]: expected seconds, 1…2,147,483 .*found -5/],
    ['a sysctl the model does not follow', `sysctls: { net.ipv4.tcp_max_tw_buckets: 0 }\n${BASE}`, [], /^scenario\.yaml:1:12: sysctls\["net\.ipv4\.tcp_max_tw_buckets"\]: expected a sysctl the model follows \(.*tcp_fin_timeout.*\), found net\.ipv4\.tcp_max_tw_buckets: cap on TIME_WAIT sockets/],
    ['the rfc9293 profile', `profile: rfc9293\n${BASE}`, [], /^scenario\.yaml:1:10: profile: expected the linux profile \(real mode compares with the Linux kernel\), found rfc9293/],
    ['a TIME_WAIT Linux does not have', `profile: { timeWait: 30s }\n${BASE}`, [], /^scenario\.yaml:1:22: profile\.timeWait: expected Linux's 60s \(TIME_WAIT lasts TCP_TIMEWAIT_LEN, 60 s, compiled into Linux\), found 30s/],
    ['an orphaned FIN_WAIT_2 that never expires', `profile: { finTimeout: never }\n${BASE}`, [], /^scenario\.yaml:1:24: profile\.finTimeout: expected a value net\.ipv4\.tcp_fin_timeout can be set to .*found never: Linux always ends/],
    ['a time scale that overflows a timer (40000)', BASE, ['--time-scale', '40000'], /^scenario\.yaml:4:29: sample\.until: expected a time that scaled by 40000 fits Node's timers: at most 24\.9 days .*found 62s × 40000 = 28\.7 days[\s\S]*use --time-scale 34600 or less/],
    ['a time scale that overflows a timer (1e9)', BASE, ['--time-scale', '1e9'], /^scenario\.yaml:4:29: sample\.until: expected a time that scaled by 1000000000 fits/],
  ])('%s: exit 2, at its line and column, nothing run', (_what, yaml, args, message) => {
    const out = realWith(yaml, ...args);
    expect(out.stderr).toMatch(message);
    expect(out.stderr).not.toMatch(/internal error/);
    expect(out.code).toBe(2);
    expect(out.calls).toBe('');
  });

  it('a bad --time-scale is a usage error', () => {
    for (const scale of ['0', '-1', 'abc', 'Infinity']) {
      const out = realWith(BASE, `--time-scale=${scale}`);
      expect({ scale, code: out.code, stderr: out.stderr }).toEqual({ scale, code: 2, stderr: expect.stringMatching(/--time-scale: expected a positive number/) as unknown });
      expect(out.calls).toBe('');
    }
  });
});

describe('the preflight, function by function', () => {
  const load = (yaml: string) => loadScenarioText(yaml, 'x.yaml');
  const all = (): boolean => true;

  it('accepts a profile field a sysctl decides, and the sysctls the model follows', () => {
    expect(realPreflight(load(`profile: { finTimeout: 2s, synRetries: 3 }\nsysctls: { net.ipv4.tcp_rfc1337: 1 }\n${BASE}`), { timeScale: 1, kernelHas: all })).toEqual([]);
  });

  it('refuses a field a sysctl decides when this kernel lacks the sysctl', () => {
    const problems = realPreflight(load(`profile: { rtoMax: 60s }\n${BASE}`), { timeScale: 1, kernelHas: (s) => s !== 'net.ipv4.tcp_rto_max_ms' });
    expect(problems).toEqual([{ path: ['profile', 'rtoMax'], expected: 'a field this kernel can set (net.ipv4.tcp_rto_max_ms, Linux ≥ 6.15)', found: '60s, but this kernel has no net.ipv4.tcp_rto_max_ms' }]);
  });

  it('accepts a Linux value written out, and a time scale that fits', () => {
    expect(realPreflight(load(`profile: { timeWait: 60s, delAck: 40ms }\n${BASE}`), { timeScale: 1000, kernelHas: all })).toEqual([]);
  });

  it('names the process whose sleep overflows', () => {
    const problems = realPreflight(load(`processes:\n  server: { listen: 7420, onConnection: [ { sleep: 1h }, close ] }\n  client: { steps: [ { connect: server }, close ] }\nsample: { every: 1s, until: 2s }\n`), { timeScale: 1000, kernelHas: all });
    expect(problems).toEqual([expect.objectContaining({ path: ['processes', 'server'], found: expect.stringMatching(/a wait of 41\.7 days in server/) as unknown })]);
  });
});
