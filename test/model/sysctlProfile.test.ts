/**
 * The sysctl ⇄ profile table (src/model/sysctlProfile.ts): conversions both ways, the loader's
 * range and conflict checks with positions, `tcpsim run` applying a scenario's sysctls, and that
 * every profile field is either decided by a row or listed as compiled into Linux.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LINUX, resolveProfile } from '../../src/model/profile.js';
import { LINUX_FIXED_FIELDS, MODELLED_SYSCTLS, SYSCTL_TABLE, ignoredSysctls, overridesFromSysctls, sysctlForField, sysctlRow } from '../../src/model/sysctlProfile.js';
import { ScenarioError, loadScenarioFile, loadScenarioText } from '../../src/scenario/index.js';
import { simulate } from '../../src/sim/simulate.js';

const BASE = `processes:
  server: { listen: 8888, onConnection: [ { read: eof }, close ] }
  client: { steps: [ { connect: server }, close ] }
sample: { every: 1s, until: 5s }
`;

function problemOf(text: string): string {
  try {
    loadScenarioText(text, 'x.yaml');
  } catch (error) {
    if (error instanceof ScenarioError) return error.message;
    throw error;
  }
  throw new Error('loaded without a problem');
}

describe('the sysctl ⇄ profile table', () => {
  it('turns sysctl values into profile values in their units', () => {
    expect(
      overridesFromSysctls({
        'net.ipv4.tcp_fin_timeout': 2,
        'net.ipv4.tcp_orphan_retries': 0,
        'net.ipv4.tcp_rfc1337': 1,
        'net.ipv4.tcp_early_retrans': 2,
        'net.ipv4.tcp_rto_max_ms': 30_000,
        'net.ipv4.tcp_retries2': 3,
        'net.ipv4.tcp_bogus_thing': 5,
      }),
    ).toEqual({ finTimeout: 2_000_000, finRetries: 8, rstEndsTimeWait: false, tailLossProbe: false, rtoMax: 30_000_000 });
  });

  it('gives back, for every modelled row, the sysctl value of the profile it made', () => {
    for (const row of MODELLED_SYSCTLS) {
      for (const value of [row.min, row.max, Math.floor((row.min + row.max) / 2)]) {
        const profile = resolveProfile('linux', row.toProfile(value));
        const back = row.fromProfile(profile);
        // tcp_orphan_retries 0 means 8; tcp_early_retrans 1, 2 mean "no probe" like 0, 4 like 3
        const same = row.sysctl === 'net.ipv4.tcp_orphan_retries' && value === 0 ? 8 : row.sysctl === 'net.ipv4.tcp_early_retrans' ? (value >= 3 ? 3 : 0) : value;
        expect({ sysctl: row.sysctl, value, back }).toEqual({ sysctl: row.sysctl, value, back: same });
      }
    }
  });

  it('says why a profile value has no sysctl', () => {
    const never = sysctlRow('net.ipv4.tcp_fin_timeout')?.fromProfile({ ...LINUX, finTimeout: null });
    expect(never).toEqual({ reason: expect.stringMatching(/never/) as unknown });
    expect(sysctlRow('net.ipv4.tcp_fin_timeout')?.fromProfile({ ...LINUX, finTimeout: 2_500_000 })).toEqual({ reason: expect.stringMatching(/whole seconds/) as unknown });
    expect(sysctlRow('net.ipv4.tcp_rto_max_ms')?.fromProfile({ ...LINUX, rtoMax: 500_000 })).toEqual({ reason: expect.stringMatching(/outside 1000…120000/) as unknown });
  });

  it('decides each profile field in one row at most, and lists every other field as compiled into Linux', () => {
    const fields = Object.keys(LINUX).filter((k) => k !== 'name' && k !== 'ephemeralPorts');
    for (const field of fields) {
      const rows = SYSCTL_TABLE.filter((r) => r.field === field);
      expect({ field, rows: rows.length, fixed: field in LINUX_FIXED_FIELDS }).toEqual({ field, rows: rows.length === 1 ? 1 : 0, fixed: rows.length === 0 });
    }
    expect(sysctlForField('finTimeout')?.sysctl).toBe('net.ipv4.tcp_fin_timeout');
  });

  it('names the sysctls the model ignores and why', () => {
    expect(ignoredSysctls({ 'net.ipv4.tcp_fin_timeout': 2, 'net.ipv4.tcp_max_tw_buckets': 0, 'net.ipv4.tcp_bogus_thing': 5 })).toEqual([
      { sysctl: 'net.ipv4.tcp_max_tw_buckets', why: expect.stringMatching(/TIME_WAIT/) as unknown },
      { sysctl: 'net.ipv4.tcp_bogus_thing', why: 'not a sysctl tcpsim knows' },
    ]);
  });
});

describe('sysctls in a scenario file', () => {
  it('refuses a value out of the range, at its line and column, saying what was expected', () => {
    const message = problemOf(`sysctls: { net.ipv4.tcp_fin_timeout: -5 }\n${BASE}`);
    expect(message).toMatch(/^x\.yaml:1:38: sysctls\["net\.ipv4\.tcp_fin_timeout"\]: expected seconds, 1…2,147,483 .*found -5/);
  });

  it('refuses a fraction', () => {
    expect(problemOf(`sysctls: { net.ipv4.tcp_syn_retries: 2.5 }\n${BASE}`)).toMatch(/expected an integer.*found 2\.5/);
  });

  it('refuses a sysctl that contradicts a profile override, naming both places; accepts one that agrees', () => {
    const message = problemOf(`profile: { finTimeout: 30s }\nsysctls: { net.ipv4.tcp_fin_timeout: 2 }\n${BASE}`);
    expect(message).toMatch(/^x\.yaml:2:38: .*expected the same setting as profile\.finTimeout \(30s, at x\.yaml:1:24\), found 2, which means finTimeout 2s/);
    const agreed = loadScenarioText(`profile: { finTimeout: 2s }\nsysctls: { net.ipv4.tcp_fin_timeout: 2 }\n${BASE}`, 'x.yaml');
    expect(simulate(agreed).profile.finTimeout).toBe(2_000_000);
  });
});

describe('tcpsim run applies the sysctls it models', () => {
  it('orphan-fin-wait-2 (tcp_fin_timeout=2) holds its expectations for every seed', () => {
    const scenario = loadScenarioFile('scenarios/real/orphan-fin-wait-2.yaml');
    for (let seed = 1; seed <= 10; seed++) {
      const result = simulate({ ...scenario, seed });
      expect(result.profile.finTimeout).toBe(2_000_000);
      expect(result.expectations.filter((e) => !e.pass)).toEqual([]);
    }
  });

  it('the CLI says which sysctls the model ignores', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tcpsim-sysctl-'));
    const file = join(dir, 's.yaml');
    writeFileSync(file, `sysctls: { net.ipv4.tcp_max_tw_buckets: 0, net.ipv4.tcp_fin_timeout: 2 }\n${BASE}`);
    const out = spawnSync(process.execPath, ['dist/cli/main.js', 'run', file, '--quiet'], { encoding: 'utf8' });
    rmSync(dir, { recursive: true, force: true });
    expect(out.status).toBe(0);
    expect(out.stderr).toBe('note: the model ignores sysctl net.ipv4.tcp_max_tw_buckets: cap on TIME_WAIT sockets; the model keeps every TIME_WAIT\n');
  });
});
