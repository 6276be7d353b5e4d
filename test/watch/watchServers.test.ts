/**
 * `tcpsim watch --pid` on real Node servers driven by clients on 127.0.0.1 (this test process):
 * one that forgets close() — CLOSE_WAIT counted, fds rising, a diagnosis naming it, exit 1 — and
 * one that closes — no CLOSE_WAIT left, its fds back where they were, the clients' TIME_WAIT
 * explained, exit 0. Both watches run at once. Each ends (Ctrl-C) on the sample the test waits
 * for, not after a fixed time, so a loaded machine only makes it take longer.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { driveClients, jsonLines, lineMatching, sampleMatching, startServer, tcpsimInBackground } from './liveProcesses.js';

const notLinux = process.platform !== 'linux';
const dir = mkdtempSync(join(tmpdir(), 'tcpsim-watch-'));

interface Sample {
  t: number;
  states: Record<string, number>;
  fds: Record<string, number>;
  byProcess: Record<string, Record<string, number>>;
  peers: Record<string, number>;
  closeWait: Record<string, { open: number; stuck: number; closed: number; leftWithFd: number }>;
}
interface Summary {
  leak: boolean;
  findings: { kind: string; process?: string; leak: boolean; text: string }[];
  peerPeakStates: Record<string, number>;
  processes: { label: string; firstFds: number; fds: number }[];
}

describe.skipIf(notLinux)(`tcpsim watch --pid on a real server${notLinux ? ' (skipped: needs Linux)' : ''}`, () => {
  it.concurrent('a server that forgets close(): CLOSE_WAIT counted per connection, fds rising with it, a diagnosis naming it, exit 1', async () => {
    const server = await startServer('leaky');
    try {
      const record = join(dir, 'leaky.json');
      const label = `node[${server.pid}]`;
      const watch = tcpsimInBackground(['watch', '--pid', String(server.pid), '--every', '250ms', '--for', '30s', '--json', '--record', record]);
      await lineMatching(watch.child, /"kind":"sample"/);
      const clients = await driveClients(server.port, 20, 100);
      // every connection's CLOSE_WAIT seen stuck (three sampling intervals): then Ctrl-C
      await sampleMatching<Sample>(watch.child, (s) => s.closeWait[label]?.stuck === 20);
      watch.child.kill('SIGINT');
      const out = await watch.done;
      expect(out.stderr).toBe('');
      const doc = JSON.parse(readFileSync(record, 'utf8')) as { samples: Sample[]; summary: Summary & { ended: string } };
      const first = doc.samples[0]!;
      const last = doc.samples.at(-1)!;
      expect(doc.summary.ended).toBe('interrupted');
      expect(clients.connected).toBe(20);
      expect(last.byProcess[label]).toEqual({ LISTEN: 1, CLOSE_WAIT: 20 });
      // one fd per connection (the runtime opens or closes one of its own now and then)
      const rise = last.fds[label]! - first.fds[label]!;
      expect(rise).toBeGreaterThanOrEqual(19);
      expect(rise).toBeLessThanOrEqual(21);
      expect(last.peers).toEqual({ FIN_WAIT_2: 20 });
      expect(last.closeWait[label]).toMatchObject({ open: 20, closed: 0, leftWithFd: 0 });
      const leak = doc.summary.findings.find((f) => f.kind === 'close-wait-leak');
      expect(leak).toMatchObject({ process: label, leak: true });
      expect(leak?.text).toContain(`${label} does not close connections its peers have closed: 20 sockets sit in CLOSE_WAIT`);
      expect(out.code).toBe(1);

      // the same leak, in words, to a watch that starts after it: the --for ends it after a
      // sample at least 1.9 s in, past the three intervals that make a CLOSE_WAIT stuck
      const text = await tcpsimInBackground(['watch', '--pid', String(server.pid), '--every', '100ms', '--for', '2s']).done;
      expect(text.stdout).toContain(`${label} does not close connections its peers have closed: 20 sockets sit in CLOSE_WAIT`);
      expect(text.stdout).toMatch(new RegExp(`^  sockets at 0:0\\d\\.\\d{3} +node\\[${server.pid}\\]: LISTEN 1, CLOSE_WAIT 20; peers: FIN_WAIT_2 20$`, 'm'));
      expect(text.code).toBe(1);
    } finally {
      await server.stop();
    }
  });

  it.concurrent('two servers in one watch (--pid and --port): the leaky one named, the good one not; neither signalled', async () => {
    const [leaky, good] = await Promise.all([startServer('leaky'), startServer('good')]);
    try {
      const leakyLabel = `node[${leaky.pid}]`;
      const goodLabel = `node[${good.pid}]`;
      const watch = tcpsimInBackground(['watch', '--pid', String(leaky.pid), '--port', String(good.port), '--every', '200ms', '--for', '30s', '--json']);
      await lineMatching(watch.child, /"kind":"sample"/);
      await Promise.all([driveClients(leaky.port, 5, 50), driveClients(good.port, 5, 50)]);
      await sampleMatching<Sample>(watch.child, (s) => s.closeWait[leakyLabel]?.stuck === 5 && Object.keys(s.byProcess[goodLabel] ?? {}).join() === 'LISTEN');
      watch.child.kill('SIGINT');
      const out = await watch.done;
      const lines = jsonLines(out.stdout);
      const last = lines.filter((l) => l['kind'] === 'sample').at(-1) as unknown as Sample;
      expect(last.byProcess).toEqual({ [leakyLabel]: { LISTEN: 1, CLOSE_WAIT: 5 }, [goodLabel]: { LISTEN: 1 } });
      const summary = lines.at(-1) as unknown as Summary;
      expect(summary.findings.filter((f) => f.leak).map((f) => f.process)).toEqual([leakyLabel]);
      expect(out.code).toBe(1);
      // read-only: both servers lived through the watch and its Ctrl-C, untouched
      expect([leaky.child.exitCode, leaky.child.signalCode, good.child.exitCode, good.child.signalCode]).toEqual([null, null, null, null]);
    } finally {
      await Promise.all([leaky.stop(), good.stop()]);
    }
  });

  it.concurrent('a server that closes: no CLOSE_WAIT left, fds back where they were, the clients hold TIME_WAIT, exit 0', async () => {
    const server = await startServer('good');
    try {
      const label = `node[${server.pid}]`;
      const watch = tcpsimInBackground(['watch', '--pid', String(server.pid), '--every', '250ms', '--for', '30s', '--json']);
      const first = await sampleMatching<Sample>(watch.child, () => true);
      const clients = await driveClients(server.port, 20, 100);
      // every client's TIME_WAIT seen and the server back to its listener and its first fds: then Ctrl-C
      await sampleMatching<Sample>(watch.child, (s) => (s.peers['TIME_WAIT'] ?? 0) === 20 && Object.keys(s.byProcess[label] ?? {}).join() === 'LISTEN' && s.fds[label] === first.fds[label]);
      watch.child.kill('SIGINT');
      const out = await watch.done;
      expect(out.stderr).toBe('');
      const lines = jsonLines(out.stdout);
      const samples = lines.filter((l) => l['kind'] === 'sample') as unknown as Sample[];
      const summary = lines.at(-1) as unknown as Summary & { kind: string };
      expect(summary.kind).toBe('summary');
      expect(clients.connected).toBe(20);
      expect(samples.every((s) => (s.closeWait[label]?.stuck ?? 0) === 0)).toBe(true);
      expect(samples.at(-1)?.byProcess[label]).toEqual({ LISTEN: 1 });
      expect(samples.at(-1)?.closeWait[label]).toMatchObject({ open: 0, leftWithFd: 0 });
      const process = summary.processes.find((p) => p.label === label);
      expect(process?.fds).toBe(process?.firstFds);
      expect(summary.peerPeakStates['TIME_WAIT']).toBe(20);
      expect(summary.leak).toBe(false);
      // a sample may catch a socket in its CLOSE_WAIT of a millisecond (seen passing, never stuck),
      // or, on a loaded machine, a connection not yet accepted (the accept queue, explained)
      const passing = new Set(['close-wait-passing', 'accept-queue']);
      expect(summary.findings.map((f) => f.kind).filter((k) => !passing.has(k))).toEqual(['time-wait', 'no-leak']);
      expect(out.code).toBe(0);
    } finally {
      await server.stop();
    }
  });
});
