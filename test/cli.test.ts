import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = 'dist/cli/main.js';

function tcpsim(...args: string[]) {
  const out = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: out.status, stdout: out.stdout, stderr: out.stderr };
}

interface RunDoc {
  scenario: string;
  seed: number;
  profile: string;
  samples: Array<{ t: number; states: Record<string, number>; fds: Record<string, number> }>;
  final: { t: number; states: Record<string, number>; fds: Record<string, number>; errors: Record<string, number> };
  expectations: Array<{ what: string; pass: boolean }>;
}

function runJson(...args: string[]): RunDoc {
  const out = tcpsim('run', ...args, '--json');
  expect(out.stderr).toBe('');
  return JSON.parse(out.stdout) as RunDoc;
}


describe('tcpsim run, the article’s demos', () => {
  it('forgot close: once the clients’ FIN_WAIT_2 sockets expire, CLOSE_WAIT is 1000 to the end, and the server holds 1006 fds as the real program did', () => {
    const doc = runJson('scenarios/article-java-forgot-close.yaml');
    const expired = doc.samples.findIndex((s, i) => i > 0 && (s.states['FIN_WAIT_2'] ?? 0) === 0 && (doc.samples[i - 1]!.states['FIN_WAIT_2'] ?? 0) > 0);
    expect(expired).toBeGreaterThan(0);
    // measured with the article's programs: FIN_WAIT_2 gone by the 90-s sample
    expect(doc.samples[expired]!.t).toBeLessThanOrEqual(90_000);
    for (const s of doc.samples.slice(expired)) {
      expect(s.states['CLOSE_WAIT']).toBe(1000);
      expect(s.states['FIN_WAIT_2'] ?? 0).toBe(0);
    }
    // 4 + listener + OpenJDK's pre-close socketpair + 1000 connections
    expect(doc.final.fds['server']).toBe(1006);
    expect(doc.final.errors['EMFILE']).toBe(0);
  });

  it('with close: CLOSE_WAIT for the 10 s until each Worker closes, TIME_WAIT 1000 on the clients for 60–62 s, then only the listener; fds back', () => {
    const doc = runJson('scenarios/article-java-close.yaml');
    expect(Math.max(...doc.samples.map((s) => s.states['CLOSE_WAIT'] ?? 0))).toBe(1000);
    expect(Math.max(...doc.samples.map((s) => s.states['TIME_WAIT'] ?? 0))).toBe(1000);
    // the last Worker closes ~3 s (storm) + 3 s + 30 s in; TIME_WAIT is gone 62 s after that
    for (const s of doc.samples.filter((x) => x.t >= 100_000)) expect(Object.keys(s.states)).toEqual(['LISTEN']);
    expect(doc.final.states).toEqual({ LISTEN: 1 });
    expect(doc.final.fds).toEqual({ server: 6, client: 5, rerun: 4 });
  });

  it('a second run of the client: EMFILE ends the accept loop, CLOSE_WAIT plateaus at 1000, and the summary says so in words', () => {
    const doc = runJson('scenarios/article-java-forgot-close.yaml', '--param', 'rerun=1000');
    // the loop sits in one try: the first IOException ends it
    expect(doc.final.errors['EMFILE']).toBe(1);
    for (const s of doc.samples) expect(s.fds['server']).toBeLessThanOrEqual(1024);
    // measured with the real programs at 90–200 s: 18 accepted beyond the pool of 1000 threads and 51
    // in the accept queue, unanswered, both ends ESTABLISHED
    expect(doc.samples.find((x) => x.t === 180_000)!.states).toMatchObject({ CLOSE_WAIT: 1000, ESTABLISHED: 138 });
    // when the first Workers' 30-minute sleep ends, their threads serve the 18 queued connections
    expect(doc.final.states['CLOSE_WAIT']).toBe(1018);
    const text = tcpsim('run', 'scenarios/article-java-forgot-close.yaml', '--param', 'rerun=1000', '--quiet').stdout;
    expect(text).toMatch(/server never closes its connections/);
    expect(text).toMatch(/reached its fd limit \(nofile 1024\)/);
    expect(text).toMatch(/accept\(\) failed with EMFILE, which ended its accept loop/);
  });

  it('the JSON document has the documented shape', () => {
    const doc = runJson('normal-close');
    expect(Object.keys(doc).slice(0, 6)).toEqual(['scenario', 'seed', 'profile', 'samples', 'final', 'accepted']);
    expect(doc).toMatchObject({ scenario: 'normal-close', seed: 1, profile: 'linux' });
    expect(Object.keys(doc.final.errors)).toEqual(expect.arrayContaining(['EMFILE', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE']));
    expect(doc.samples[0]).toEqual({ t: 0, states: expect.any(Object), fds: { server: 4, client: 4 }, closedFds: { server: 0, client: 0 } });
    expect(doc.expectations.every((e) => e.pass)).toBe(true);
  });
});

describe('tcpsim exit codes and errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tcpsim-cli-'));
  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('--help prints usage and exits 0', () => {
    const out = tcpsim('--help');
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^Usage:/m);
    expect(tcpsim('run', '--help').stdout).toMatch(/--param NAME=VALUE/);
  });

  it('list shows every shipped scenario with its description', () => {
    const out = tcpsim('list');
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^article-java-forgot-close\s+The article's Java server without socket\.close\(\)/m);
  });

  it('a failed expectation exits 1', () => {
    const path = write('fails.yaml', 'processes:\n  server:\n    listen: 8888\n    onConnection: [close]\n  client:\n    steps: [{ connect: server }, close]\nsample: { every: 1s, until: 5s }\nexpect:\n  - states: { LISTEN: 2 }\n');
    const out = tcpsim('run', path);
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/✗ at the end: LISTEN = 2 — LISTEN was 1/);
  });

  it('bad YAML exits 2 with file:line:col and a caret, and no stack trace', () => {
    const path = write('bad.yaml', 'name: x\nprocesses:\n  server: [unclosed\n');
    const out = tcpsim('run', path);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(`${path}:`);
    expect(out.stderr).toMatch(/\^/);
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });

  it('a wrong type deep in a step exits 2 naming the field path and its position', () => {
    const path = write('deep.yaml', 'processes:\n  server:\n    listen: 8888\n    onConnection:\n      - read: lines\n  client:\n    steps: [{ connect: server }]\n');
    const out = tcpsim('run', path);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(`${path}:5:15: processes.server.onConnection[0].read`);
  });

  it('an unknown field exits 2 with a did-you-mean', () => {
    const path = write('unknown.yaml', 'processes:\n  server:\n    listen: 8888\n    onConnection: [close]\n    nofiles: 10\n  client:\n    steps: [{ connect: server }]\n');
    const out = tcpsim('run', path);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(`${path}:5:5: processes.server`);
    expect(out.stderr).toMatch(/nofile/);
  });

  it('usage mistakes exit 2', () => {
    expect(tcpsim('run').code).toBe(2);
    expect(tcpsim('run', 'no-such-scenario').code).toBe(2);
    expect(tcpsim('run', 'normal-close', '--every', 'soon').code).toBe(2);
    expect(tcpsim('frobnicate').code).toBe(2);
    expect(tcpsim('run', 'normal-close', '--param', 'bogus=1').code).toBe(2);
  });
});
