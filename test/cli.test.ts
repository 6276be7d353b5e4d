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
  it('forgot close, nofile 4096: once the clients’ FIN_WAIT_2 sockets expire, CLOSE_WAIT is 1000 to the end and the server holds 1000 more fds', () => {
    const doc = runJson('scenarios/article-java-forgot-close.yaml', '--param', 'nofile=4096');
    const expired = doc.samples.findIndex((s, i) => i > 0 && (s.states['FIN_WAIT_2'] ?? 0) === 0 && (doc.samples[i - 1]!.states['FIN_WAIT_2'] ?? 0) > 0);
    expect(expired).toBeGreaterThan(0);
    for (const s of doc.samples.slice(expired)) {
      expect(s.states['CLOSE_WAIT']).toBe(1000);
      expect(s.states['FIN_WAIT_2'] ?? 0).toBe(0);
    }
    expect(doc.final.fds['server']).toBe(doc.samples[0]!.fds['server']! + 1000);
    expect(doc.final.errors['EMFILE']).toBe(0);
  });

  it('with close: TIME_WAIT reaches 1000 on the clients and falls to 0 within 60 s of the last close; only the listener is left; fds back to baseline', () => {
    const doc = runJson('scenarios/article-java-close.yaml');
    const peak = Math.max(...doc.samples.map((s) => s.states['TIME_WAIT'] ?? 0));
    expect(peak).toBe(1000);
    // the last client closes at 49.95 s + 20 s; TIME_WAIT must be gone 60 s later
    const lastClose = 49.95 + 20;
    const after = doc.samples.filter((s) => s.t / 1000 >= lastClose + 60 + 5);
    expect(after.length).toBeGreaterThan(0);
    for (const s of after) expect(s.states['TIME_WAIT'] ?? 0).toBe(0);
    expect(doc.final.states).toEqual({ LISTEN: 1 });
    expect(doc.final.fds).toEqual({ server: 41, client: 3 });
  });

  it('nofile 256: EMFILE appears, the server never holds more than 256 fds, CLOSE_WAIT plateaus, and the summary says so in words', () => {
    const doc = runJson('scenarios/article-java-forgot-close.yaml', '--param', 'nofile=256');
    expect(doc.final.errors['EMFILE']).toBeGreaterThan(0);
    for (const s of doc.samples) expect(s.fds['server']).toBeLessThanOrEqual(256);
    const closeWait = doc.samples.map((s) => s.states['CLOSE_WAIT'] ?? 0);
    const plateau = closeWait.at(-1)!;
    expect(plateau).toBeGreaterThan(0);
    expect(closeWait.slice(closeWait.indexOf(plateau))).toEqual(closeWait.slice(closeWait.indexOf(plateau)).map(() => plateau));
    const text = tcpsim('run', 'scenarios/article-java-forgot-close.yaml', '--param', 'nofile=256', '--quiet').stdout;
    expect(text).toMatch(/server never closes its connections/);
    expect(text).toMatch(/reached its fd limit \(nofile 256\)/);
    expect(text).toMatch(/accept\(\) failed with EMFILE/);
  });

  it('the JSON document has the documented shape', () => {
    const doc = runJson('normal-close');
    expect(Object.keys(doc).slice(0, 6)).toEqual(['scenario', 'seed', 'profile', 'samples', 'final', 'accepted']);
    expect(doc).toMatchObject({ scenario: 'normal-close', seed: 1, profile: 'linux' });
    expect(Object.keys(doc.final.errors)).toEqual(expect.arrayContaining(['EMFILE', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE']));
    expect(doc.samples[0]).toEqual({ t: 0, states: expect.any(Object), fds: { server: 4, client: 4 } });
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
    expect(out.stdout).toMatch(/^article-java-forgot-close\s+Java server that forgets close\(\)/m);
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
