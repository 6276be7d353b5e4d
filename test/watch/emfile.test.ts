/**
 * A server filled to its fd limit: the leaky Node server under `prlimit --nofile=64:64` (about 20
 * fds of its own, so some 44 connections fill it), clients arriving faster than 4 samples apart.
 * The watch projects the time to EMFILE from the rising fds before the limit is reached, then
 * reports the limit reached: EMFILE, in the words of a Node (libuv) server. The watch ends
 * (Ctrl-C) once a sample shows the limit reached with CLOSE_WAIT stuck, whatever the load.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { driveClients, jsonLines, lineMatching, sampleMatching, startServer, tcpsimInBackground } from './liveProcesses.js';

const hasPrlimit = process.platform === 'linux' && spawnSync('prlimit', ['--version'], { stdio: 'ignore' }).status === 0;
const NOFILE = 64;

interface Sample {
  t: number;
  fds: Record<string, number>;
  nofile: Record<string, number | null>;
  emfileInMs: Record<string, number | null>;
  closeWait: Record<string, { stuck: number }>;
}

describe.skipIf(!hasPrlimit)(`a server filled to its nofile${hasPrlimit ? '' : ' (skipped: needs Linux and prlimit)'}`, () => {
  it('is projected to EMFILE before it gets there, then reported at EMFILE', async () => {
    const server = await startServer('leaky', ['prlimit', `--nofile=${NOFILE}:${NOFILE}`]);
    try {
      const label = `node[${server.pid}]`;
      const watch = tcpsimInBackground(['watch', '--pid', String(server.pid), '--every', '250ms', '--for', '30s', '--json']);
      await lineMatching(watch.child, /"kind":"sample"/);
      const clients = await driveClients(server.port, 60, 60);
      await sampleMatching<Sample>(watch.child, (s) => s.fds[label] === NOFILE && (s.closeWait[label]?.stuck ?? 0) > 0);
      watch.child.kill('SIGINT');
      const out = await watch.done;
      const lines = jsonLines(out.stdout);
      const samples = lines.filter((l) => l['kind'] === 'sample') as unknown as Sample[];
      expect(samples[0]?.nofile[label]).toBe(NOFILE);
      const atLimit = samples.findIndex((s) => s.fds[label] === NOFILE);
      expect(atLimit, 'the server never reached its limit').toBeGreaterThan(0);
      // before the limit: a finite, positive estimate of the time left
      const projected = samples.slice(0, atLimit).filter((s) => (s.emfileInMs[label] ?? 0) > 0);
      expect(projected.length).toBeGreaterThan(0);
      expect(projected.every((s) => s.fds[label]! < NOFILE)).toBe(true);
      expect(samples[atLimit]?.emfileInMs[label]).toBe(0);
      const summary = lines.at(-1) as { findings: { kind: string; process?: string; text: string }[]; leak: boolean };
      const emfile = summary.findings.find((f) => f.kind === 'emfile');
      expect(emfile?.process).toBe(label);
      expect(emfile?.text).toContain(`${label} reached its fd limit (nofile ${NOFILE})`);
      expect(emfile?.text).toContain('uv__emfile_trick');
      expect(summary.findings.find((f) => f.kind === 'close-wait-leak')?.text).toContain(`fds ${NOFILE}/${NOFILE}: at the limit, EMFILE`);
      // libuv accepted and closed the connections beyond the limit: every client got in
      expect(clients.connected).toBe(60);
      expect(out.code).toBe(1);
    } finally {
      await server.stop();
    }
  });
});
