import { describe, expect, it } from 'vitest';
import { LINUX } from '../../src/model/profile.js';
import { SYN } from '../../src/model/segment.js';
import { wheelExpiry } from '../../src/model/timerWheel.js';
import { World } from '../../src/sim/world.js';
import { MS, SECOND } from './pair.js';

/** Two clients whose SYNs the network loses; the second connects `apart` µs after the first. */
function retransmittedSyns(apart: number): Array<{ at: number; port: number }> {
  const world = new World({ profile: LINUX, seed: 1, wheelOrigin: 0, trace: true, manualNetwork: true });
  const host = world.addHost('localhost', '127.0.0.1');
  const server = world.addProcess({ name: 'server', host, nofile: 64, baselineFds: 3 });
  const client = world.addProcess({ name: 'client', host, nofile: 64, baselineFds: 3 });
  world.listen(server, 8888, 8);
  world.connect(client, '127.0.0.1', 8888);
  world.runUntil(apart);
  world.connect(client, '127.0.0.1', 8888);
  world.runUntil(2 * SECOND);
  return world
    .trace()
    .events.filter((e) => e.kind === 'send' && e.segment.flags === SYN && e.retransmission)
    .slice(0, 2)
    .map((e) => (e.kind === 'send' ? { at: e.at, port: e.segment.src.port } : { at: 0, port: 0 }));
}

describe("the kernel's timer wheel in the engine", () => {
  it('fires the timers of one bucket newest first: two SYNs sent 13 ms apart are retried at one instant, the later one first', () => {
    const [first, second] = retransmittedSyns(13 * MS);
    // both 1 s timers end in the bucket at 1.024 s (32-ms buckets at HZ=250, origin 0)
    expect(first!.at).toBe(wheelExpiry(0, SECOND, 250));
    expect(second!.at).toBe(first!.at);
    // the second client (the next ephemeral port) goes first
    expect(first!.port).toBe(second!.port + 1);
  });

  it('fires timers of different buckets in time order', () => {
    const [first, second] = retransmittedSyns(40 * MS);
    expect(first!.at).toBeLessThan(second!.at);
    expect(first!.port).toBe(second!.port - 1);
  });
});
