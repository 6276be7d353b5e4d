import { describe, expect, it } from 'vitest';
import { buildNs3Peer, measureNs3, ns3Missing } from '../../src/bench/ns3Peer.js';
import { peerLines } from '../../src/bench/peers.js';
import { runProcess } from '../../src/bench/processFigures.js';

// The peer comparison is only worth printing if the peer does the workload (every socket but the
// listener reaches CLOSED, as bench-lifecycle expects) and says so when it cannot run.
describe('the benchmark peers', () => {
  it('say why they are skipped when ns-3 is missing', () => {
    expect(peerLines('ns-3 is not installed (…)', 3)).toEqual(['peers: skipped — ns-3 is not installed (…)']);
  });

  it('see a child process’s wall time and peak RSS', async () => {
    const run = await runProcess(process.execPath, ['-e', 'const a = Buffer.alloc(64 << 20, 1); setTimeout(() => console.log(a[5]), 100)']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('1');
    expect(run.wallMs).toBeGreaterThan(100);
    expect(run.peakRssBytes).toBeGreaterThan(64 << 20);
  });

  it.skipIf(ns3Missing() !== null)(
    'ns-3 takes 40 connections over 4 client nodes to CLOSED, about 37 events each',
    async () => {
      const figures = await measureNs3(buildNs3Peer(), 40, 4);
      expect(figures.ok).toBe(true);
      expect(figures.clientNodes).toBe(4);
      expect(figures.events).toBeGreaterThan(40 * 30);
      expect(figures.events).toBeLessThan(40 * 45);
    },
    300_000,
  );
});
