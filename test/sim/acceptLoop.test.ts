/**
 * The accept loop on its own, driven by a program that records what it is told: EMFILE and
 * each onAcceptError action (retry once per interval, stop, exit), libuv's EMFILE trick, a
 * worker pool's queue, the time a program spends per accepted connection, SO_KEEPALIVE on
 * accepted connections, and a loop that is stopped or whose listener is gone.
 */
import { describe, expect, it } from 'vitest';
import type { AcceptErrorAction, AcceptPolicy } from '../../src/scenario/types.js';
import { AcceptLoop, type AcceptLoopSettings } from '../../src/sim/acceptLoop.js';
import { TIMER_SLOTS } from '../../src/sim/socket.js';
import { World } from '../../src/sim/world.js';
import { LINUX_EXACT, MS, SECOND } from './pair.js';

/** A server with room for `room` connections, a client, and the loop's record of what it was told. */
function rig(room: number, settings: Partial<AcceptLoopSettings> & { policy?: AcceptPolicy; onAcceptError?: AcceptErrorAction } = {}, callbacks = true) {
  const world = new World({ profile: LINUX_EXACT, seed: 5, network: { latency: MS, jitter: 0, loss: 0, duplicate: 0, reorder: 0 }, trace: true });
  const host = world.addHost('h', '127.0.0.1');
  const server = world.addProcess({ name: 'server', host, nofile: 3 + 1 + room, baselineFds: 3 });
  const client = world.addProcess({ name: 'client', host, nofile: 64, baselineFds: 3 });
  const listenFd = world.listen(server, 80, 16) as number;
  const log: string[] = [];
  const finish: (() => void)[] = [];
  const full: AcceptLoopSettings = { policy: 'posix', workers: null, onAcceptError: { kind: 'retry', after: SECOND }, acceptCost: 0, keepalive: null, ...settings };
  const program = callbacks
    ? {
        serve: (fd: number, done: () => void) => {
          log.push(`serve ${fd} at ${Math.round(world.now / MS)}`);
          finish.push(done);
        },
        accepted: (fd: number) => log.push(`accepted ${fd}`),
        dropped: (count: number) => log.push(`dropped ${count}`),
        refused: () => log.push('refused'),
        ended: (exited: boolean) => log.push(`ended ${exited}`),
      }
    : {
        serve: (fd: number, done: () => void) => {
          log.push(`serve ${fd} at ${Math.round(world.now / MS)}`);
          finish.push(done);
        },
      };
  const loop = new AcceptLoop(world, server, listenFd, full, program);
  const connect = (n: number) => {
    for (let i = 0; i < n; i++) world.connect(client, '127.0.0.1', 80);
  };
  return { world, server, client, listenFd, loop, log, finish, connect };
}

describe('the accept loop', () => {
  it('waits for connections and serves each as it comes', () => {
    const r = rig(4);
    r.loop.wake();
    expect(r.log).toEqual([]);
    r.connect(2);
    r.world.runUntil(10 * MS);
    expect(r.log).toEqual(['accepted 4', 'serve 4 at 3', 'accepted 5', 'serve 5 at 3']);
  });

  it('posix, retry: EMFILE, then one accept() per interval however often it is woken', () => {
    const r = rig(1);
    r.connect(2);
    r.world.runUntil(10 * MS);
    r.loop.wake();
    r.loop.wake();
    r.loop.wake();
    expect(r.log).toEqual(['accepted 4', 'serve 4 at 10', 'refused', 'refused', 'refused']);
    r.world.runUntil(10 * MS + 5 * SECOND);
    expect(r.log.filter((l) => l === 'refused')).toHaveLength(3 + 5);
    // a free fd: the next retry accepts the waiting connection
    r.world.close(r.server, 4);
    r.world.runUntil(10 * MS + 6 * SECOND);
    // and, posix, it fails at once again with the table full, queued connection or not
    expect(r.log.slice(-3)).toEqual(['accepted 4', `serve 4 at ${10 + 6000}`, 'refused']);
  });

  it('posix, stop: the loop ends on EMFILE and never accepts again; the listener stays', () => {
    const r = rig(1, { onAcceptError: { kind: 'stop' } });
    r.connect(2);
    r.world.runUntil(10 * MS);
    r.loop.wake();
    expect(r.log).toEqual(['accepted 4', 'serve 4 at 10', 'refused', 'ended false']);
    r.world.close(r.server, 4);
    r.loop.wake();
    r.world.runUntil(10 * SECOND);
    expect(r.log).toHaveLength(4);
    expect(r.world.pendingConnections(r.server, r.listenFd)).toBe(1);
    expect(r.world.exited(r.server)).toBe(false);
  });

  it('posix, exit: the process ends on EMFILE, and the kernel closes its fds', () => {
    const r = rig(1, { onAcceptError: { kind: 'exit' } });
    r.connect(2);
    r.world.runUntil(10 * MS);
    r.loop.wake();
    expect(r.log).toEqual(['accepted 4', 'serve 4 at 10', 'refused', 'ended true']);
    expect(r.world.exited(r.server)).toBe(true);
    expect(r.world.fdsInUse(r.server)).toBe(3);
    r.loop.wake();
    expect(r.log).toHaveLength(4);
  });

  it('a program that is told nothing but what to serve runs the same loop', () => {
    for (const onAcceptError of [{ kind: 'stop' }, { kind: 'exit' }] as const) {
      const r = rig(1, { onAcceptError }, false);
      r.connect(2);
      r.world.runUntil(10 * MS);
      r.loop.wake();
      expect(r.log).toEqual(['serve 4 at 10']);
    }
    const libuv = rig(1, { policy: 'libuv' }, false);
    libuv.connect(3);
    libuv.world.runUntil(10 * MS);
    libuv.loop.wake();
    expect(libuv.log).toEqual(['serve 4 at 10']);
  });

  it('libuv: accepts only what is queued, and drops every waiting connection on EMFILE', () => {
    const r = rig(1, { policy: 'libuv' });
    r.loop.wake();
    r.connect(3);
    r.world.runUntil(10 * MS);
    expect(r.log).toEqual(['accepted 4', 'serve 4 at 3', 'refused', 'dropped 2']);
    expect(r.world.pendingConnections(r.server, r.listenFd)).toBe(0);
    expect(r.world.errors(r.server).EMFILE).toBe(3);
  });

  it('a worker pool serves queued connections in the order they were accepted as workers free up', () => {
    const r = rig(4, { workers: 1 });
    r.loop.wake();
    r.connect(3);
    r.world.runUntil(10 * MS);
    expect(r.log.filter((l) => l.startsWith('serve'))).toEqual(['serve 4 at 3']);
    r.finish.shift()!();
    r.finish.shift()!();
    expect(r.log.filter((l) => l.startsWith('serve'))).toEqual(['serve 4 at 3', 'serve 5 at 10', 'serve 6 at 10']);
    r.finish.shift()!();
    expect(r.log.filter((l) => l.startsWith('serve'))).toHaveLength(3);
  });

  it('acceptCost: the program comes back to accept() that long after each connection', () => {
    const r = rig(4, { acceptCost: 5 * MS });
    r.connect(3);
    r.world.runUntil(10 * MS);
    r.loop.wake();
    r.world.runUntil(30 * MS);
    expect(r.log.filter((l) => l.startsWith('serve'))).toEqual(['serve 4 at 10', 'serve 5 at 15', 'serve 6 at 20']);
  });

  it('keepalive: set on every accepted connection, so an idle one is probed', () => {
    const keepalive = { idle: 2 * SECOND, interval: SECOND, probes: 3 };
    const slot = TIMER_SLOTS.indexOf('keepalive');
    const r = rig(4, { keepalive });
    r.loop.wake();
    r.connect(2);
    r.world.runUntil(3 * SECOND);
    expect(r.world.expiries[slot]).toBe(2);
    const plain = rig(4);
    plain.loop.wake();
    plain.connect(2);
    plain.world.runUntil(3 * SECOND);
    expect(plain.world.expiries[slot]).toBe(0);
  });

  it('stopped, or after the listener is closed, it accepts nothing', () => {
    const r = rig(4);
    r.connect(1);
    r.world.runUntil(10 * MS);
    r.loop.stop();
    r.loop.wake();
    expect(r.log).toEqual([]);
    const closed = rig(4);
    closed.world.close(closed.server, closed.listenFd);
    closed.loop.wake();
    expect(closed.log).toEqual([]);
  });
});
