/**
 * The run's observer (src/real/tableObserver.ts): one set of files opened inside the namespace
 * and re-read for every sample, each read timed. Needs Linux and root for the namespace part.
 */
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CleanupRegistry } from '../../src/real/cleanup.js';
import { createNetns } from '../../src/real/netns.js';
import { spawnRunChild } from '../../src/real/runChild.js';
import { runTagFor } from '../../src/real/runTag.js';
import { openTableObserver, readLatency } from '../../src/real/tableObserver.js';
import { osSkipReason, skipOs } from './osSupport.js';

const PEER = fileURLToPath(new URL('./fixtures/halfClosePeer.mjs', import.meta.url));
const PORT = 7313;
let registry = new CleanupRegistry();

afterEach(() => {
  registry.runAll();
  registry = new CleanupRegistry();
});

describe('read latency figures', () => {
  it('are the median and the maximum of the reads', () => {
    expect(readLatency([3, 1, 2])).toEqual({ reads: 3, medianMs: 2, maxMs: 3 });
    expect(readLatency([4, 1, 2, 3])).toEqual({ reads: 4, medianMs: 2.5, maxMs: 4 });
    expect(readLatency([])).toEqual({ reads: 0, medianMs: 0, maxMs: 0 });
  });
});

describe.skipIf(skipOs)(`the observer of a run${osSkipReason === undefined ? '' : ` (${osSkipReason})`}`, () => {
  it("reads the namespace's table, not the host's, after its anchor is gone, timing every read", async () => {
    const netns = await createNetns(registry);
    const observer = await openTableObserver(registry, { netns: netns.name, runTag: runTagFor(), ipv6: false });
    expect(observer.source).toMatch(/^\/proc\/\d+\/net\/tcp$/);
    const anchorPid = Number(/\/proc\/(\d+)\//.exec(observer.source)?.[1]);
    expect(() => process.kill(anchorPid, 0)).toThrow(); // killed once the files were open
    expect(observer.read().rows).toEqual([]); // nothing in the fresh namespace
    const peer = spawnRunChild(registry, [process.execPath, PEER, String(PORT)], { runTag: runTagFor(), netns: netns.name });
    if (peer.stdout === null) throw new Error('peer has no stdout');
    await once(peer.stdout, 'data');
    // the peer's client has called end(): FIN_WAIT_2 once the server's delayed ACK (40 ms) comes
    let read = observer.read();
    for (let i = 0; i < 300 && !read.rows.some((r) => r.state === 'FIN_WAIT_2'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      read = observer.read();
    }
    expect(read.rows.map((r) => r.state).sort()).toEqual(['CLOSE_WAIT', 'FIN_WAIT_2', 'LISTEN']);
    expect(read.rows.every((r) => r.local.port === PORT || r.remote.port === PORT)).toBe(true);
    expect(read.startMs).toBeLessThanOrEqual(read.endMs);
    expect(observer.latency().reads).toBeGreaterThanOrEqual(2);
    registry.runAll();
    expect(() => observer.read()).toThrow(); // closed by the cleanup
  });
});
