/**
 * A listener whose accept queue overflows: fixtures/fullQueueServer.py listens with a backlog of 1
 * and never accepts, so two connections fill its queue and the kernel drops the SYNs of the rest,
 * counting them in ListenOverflows. The watch shows the queue full (2 waiting, backlog 1, from ss's
 * Send-Q), reads the counters rising, and explains both — not a leak, exit 0. It ends (Ctrl-C) on
 * the sample that shows both, not after a fixed time.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, lineMatching, sampleMatching, tcpsimInBackground } from './liveProcesses.js';

const hasPython = process.platform === 'linux' && spawnSync('python3', ['--version'], { stdio: 'ignore' }).status === 0;

interface Sample {
  acceptQueues: { process: string; listener: string; queued: number; backlog: number | null }[];
  listenOverflows: number;
}

describe.skipIf(!hasPython)(`an accept queue that overflows${hasPython ? '' : ' (skipped: needs Linux and python3)'}`, () => {
  it('is seen full, its dropped SYNs counted from ListenOverflows, both explained; no leak, exit 0', async () => {
    const server = spawn('python3', [resolve('test/watch/fixtures/fullQueueServer.py')], { stdio: ['ignore', 'pipe', 'inherit'] });
    const clients: net.Socket[] = [];
    try {
      const [, port, pid] = await lineMatching(server, /listening (\d+) (\d+)\n/);
      const label = `python3[${pid}]`;
      const watch = tcpsimInBackground(['watch', '--pid', pid!, '--every', '200ms', '--for', '30s', '--json']);
      await lineMatching(watch.child, /"kind":"sample"/);
      for (let i = 0; i < 6; i++) clients.push(net.connect(Number(port), '127.0.0.1').on('error', () => undefined));
      const full = await sampleMatching<Sample>(watch.child, (s) => s.listenOverflows > 0 && s.acceptQueues.some((q) => q.queued === 2));
      watch.child.kill('SIGINT');
      const out = await watch.done;
      expect(full.acceptQueues).toEqual([{ process: label, listener: `127.0.0.1:${port}`, queued: 2, backlog: 1 }]);
      const summary = jsonLines(out.stdout).at(-1) as { leak: boolean; findings: { kind: string; process?: string; leak: boolean; text: string }[] };
      const overflow = summary.findings.find((f) => f.kind === 'accept-overflow');
      expect(overflow?.text).toMatch(/^ListenOverflows rose by [1-9]\d* \(ListenDrops by [1-9]\d*\) while watched/);
      const queue = summary.findings.find((f) => f.kind === 'accept-queue');
      expect(queue?.process).toBe(label);
      expect(queue?.text).toContain(`Up to 2 connections waited in the accept queue of ${label}'s listener 127.0.0.1:${port} (backlog 1; it holds 2)`);
      expect(queue?.text).toContain('It was full at');
      expect(summary.leak).toBe(false);
      expect(out.code).toBe(0);
    } finally {
      for (const c of clients) c.destroy();
      const gone = once(server, 'exit');
      server.kill('SIGKILL');
      await gone;
    }
  });
});
