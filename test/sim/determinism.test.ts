import { describe, expect, it } from 'vitest';
import { LINUX } from '../../src/model/profile.js';
import { World } from '../../src/sim/world.js';
import { MS } from './pair.js';

/** A lossy, jittery, duplicating, reordering run of 20 connections. */
function lossyRun(seed: number): string {
  const world = new World({ profile: LINUX, seed, network: { latency: MS, jitter: 3 * MS, loss: 0.1, duplicate: 0.1, reorder: 0.1 }, trace: true });
  const host = world.addHost('localhost', '127.0.0.1');
  const srv = world.addProcess({ name: 'server', host, nofile: 64, baselineFds: 3 });
  const cli = world.addProcess({ name: 'client', host, nofile: 64, baselineFds: 3 });
  const listenFd = world.listen(srv, 8888, 64) as number;
  const fds = Array.from({ length: 20 }, () => world.connect(cli, '127.0.0.1', 8888) as number);
  world.runUntil(5_000 * MS);
  for (;;) {
    const fd = world.accept(srv, listenFd);
    if (typeof fd !== 'number') break;
    world.write(srv, fd, 'hello\n');
    world.close(srv, fd);
  }
  for (const fd of fds) world.close(cli, fd);
  world.runUntil(400_000 * MS);
  return JSON.stringify(world.trace());
}

describe('determinism', () => {
  it('same seed ⇒ identical event trace', () => {
    const a = lossyRun(42);
    expect(a.length).toBeGreaterThan(10_000);
    expect(lossyRun(42)).toBe(a);
  });

  it('another seed ⇒ another trace (the seed is really used)', () => {
    expect(lossyRun(43)).not.toBe(lossyRun(42));
  });
});
