/**
 * The leak netstat cannot show: a server (fixtures/resetServer.py) that never closes and writes
 * after its peers closed, so their kernels answer RST and its sockets leave the kernel's tables
 * while it keeps every fd — what Go's keepalive does 75 s after the peer's close, in a second.
 * And what `tcpsim watch` says when it runs without root: another user's fds are not readable.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driveClients, jsonLines, lineMatching, sampleMatching, startServer, tcpsimInBackground } from './liveProcesses.js';

const hasPython = process.platform === 'linux' && spawnSync('python3', ['--version'], { stdio: 'ignore' }).status === 0;
const isRoot = process.getuid?.() === 0;
const hasSetpriv = spawnSync('setpriv', ['--version'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!hasPython)(`fds on closed sockets${hasPython ? '' : ' (skipped: needs Linux and python3)'}`, () => {
  it('are counted, their growth diagnosed as a leak invisible to netstat, exit 1', async () => {
    const server = spawn('python3', [resolve('test/watch/fixtures/resetServer.py')], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const [, port, pid] = await lineMatching(server, /listening (\d+) (\d+)\n/);
      const label = `python3[${pid}]`;
      const watch = tcpsimInBackground(['watch', '--pid', pid!, '--every', '250ms', '--for', '30s', '--json']);
      await lineMatching(watch.child, /"kind":"sample"/);
      await driveClients(Number(port), 10, 100);
      // every connection's fd seen on a closed socket: then Ctrl-C
      await sampleMatching<{ closedFds: Record<string, number> }>(watch.child, (s) => s.closedFds[label] === 10);
      watch.child.kill('SIGINT');
      const out = await watch.done;
      const lines = jsonLines(out.stdout);
      const last = lines.filter((l) => l['kind'] === 'sample').at(-1) as { byProcess: Record<string, Record<string, number>>; closedFds: Record<string, number> };
      // nothing in CLOSE_WAIT any more, yet one fd per connection
      expect(last.byProcess[label]).toEqual({ LISTEN: 1 });
      expect(last.closedFds[label]).toBe(10);
      const summary = lines.at(-1) as { findings: { kind: string; leak: boolean; text: string }[] };
      const found = summary.findings.find((f) => f.kind === 'closed-fds');
      expect(found?.leak).toBe(true);
      expect(found?.text).toContain(`${label} holds 10 fds on sockets the kernel has already closed`);
      expect(out.code).toBe(1);
    } finally {
      const gone = once(server, 'exit');
      server.kill('SIGKILL');
      await gone;
    }
  });
});

describe.skipIf(!isRoot || !hasSetpriv)(`without root${isRoot && hasSetpriv ? '' : ' (skipped: needs root, to become another user, and setpriv)'}`, () => {
  // uid 65534 may not be able to read the checkout (a clone in a `mktemp -d` folder is mode 700),
  // so it runs a copy of the bundled command line (dist/bundle needs nothing but Node) from a folder
  // anyone can read
  let copy = '';
  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), 'tcpsim-nobody-'));
    chmodSync(copy, 0o755);
    cpSync(resolve('dist/bundle'), join(copy, 'bundle'), { recursive: true });
  });
  afterAll(() => {
    if (copy !== '') rmSync(copy, { recursive: true, force: true });
  });
  const asNobody = (args: string[]) => spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, join(copy, 'bundle', 'tcpsim.js'), ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, cwd: copy, timeout: 30_000 });

  it('says it cannot see another user’s fds, and what that leaves unknown', async () => {
    const server = await startServer('leaky');
    try {
      const out = asNobody(['watch', '--pid', String(server.pid), '--every', '100ms', '--for', '300ms']);
      expect(out.stdout).toContain('Not seen');
      expect(out.stdout).toContain(`the fds of node[${server.pid}] (root's process): /proc/${server.pid}/fd is not readable for uid 65534`);
      expect(out.stdout).toContain('Run tcpsim watch as root or as that user');
      expect(out.status).toBe(0);
      // by port: the listener is there, its owner unknown to this user
      const byPort = asNobody(['watch', '--port', String(server.port), '--for', '100ms']);
      expect(byPort.stderr).toContain(`--port ${server.port}: a socket listens there, but no process whose fds this user can read holds it`);
      expect(byPort.status).toBe(2);
    } finally {
      await server.stop();
    }
  });

  it('sees its own user’s processes fully: a command it starts, with its fds and limit', () => {
    const out = asNobody(['watch', '--every', '100ms', '--json', '--', process.execPath, '-e', 'setTimeout(() => {}, 600)']);
    const summary = jsonLines(out.stdout).at(-1) as { notSeen: string[]; processes: { fds: number | null; nofile: number | null }[] };
    expect(summary.notSeen).toEqual([]);
    expect(summary.processes[0]?.fds).toBeGreaterThan(0);
    expect(summary.processes[0]?.nofile).toBeGreaterThan(0);
    expect(out.status).toBe(0);
  });
});
