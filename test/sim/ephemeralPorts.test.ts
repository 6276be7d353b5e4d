/**
 * Ephemeral ports as Linux hands them out: per destination, the range in order, released ports
 * again once their connection (TIME_WAIT included) is gone, and EADDRNOTAVAIL when none is left —
 * counted, and remembered for the diagnosis.
 */
import { describe, expect, it } from 'vitest';
import { LINUX } from '../../src/model/profile.js';
import type { Endpoint } from '../../src/model/segment.js';
import { EphemeralPortTable } from '../../src/sim/ephemeralPorts.js';
import { World } from '../../src/sim/world.js';
import { MS, SECOND } from './pair.js';

const SERVER: Endpoint = { addr: '127.0.0.1', port: 8888 };
const OTHER: Endpoint = { addr: '127.0.0.1', port: 9999 };

describe('EphemeralPortTable', () => {
  it('hands out the range in order, then the released ports oldest first, then -1', () => {
    const table = new EphemeralPortTable([100, 102], () => false);
    expect([table.take(0, SERVER, 0), table.take(0, SERVER, 0), table.take(0, SERVER, 0)]).toEqual([100, 101, 102]);
    expect(table.take(0, SERVER, 5)).toBe(-1);
    table.give(0, SERVER, 101);
    table.give(0, SERVER, 100);
    expect([table.take(0, SERVER, 6), table.take(0, SERVER, 6), table.take(0, SERVER, 7)]).toEqual([101, 100, -1]);
    expect(table.exhaustions()).toEqual([{ host: 0, destination: SERVER, firstAt: 5, failures: 2 }]);
  });

  it('a port taken towards one destination is free towards another, and on another host', () => {
    const table = new EphemeralPortTable([100, 100], () => false);
    expect(table.take(0, SERVER, 0)).toBe(100);
    expect(table.take(0, OTHER, 0)).toBe(100);
    expect(table.take(1, SERVER, 0)).toBe(100);
    expect(table.take(0, SERVER, 0)).toBe(-1);
  });

  it('skips ports a listener holds, and ignores ports it did not hand out', () => {
    const table = new EphemeralPortTable([100, 102], (_host, port) => port === 101);
    table.give(0, SERVER, 102);
    expect([table.take(0, SERVER, 0), table.take(0, SERVER, 0), table.take(0, SERVER, 0)]).toEqual([100, 102, -1]);
  });

  it('a port given back twice, or given back after another came back, is queued once', () => {
    const table = new EphemeralPortTable([96, 127], () => false);
    for (let i = 0; i < 32; i++) table.take(0, SERVER, 0);
    // ports 96–127 are one word of the bitset: giving one back must not touch its neighbours
    table.give(0, SERVER, 127);
    table.give(0, SERVER, 127);
    table.give(0, SERVER, 96);
    table.give(0, SERVER, 96);
    expect([table.take(0, SERVER, 0), table.take(0, SERVER, 0), table.take(0, SERVER, 0)]).toEqual([127, 96, -1]);
  });

  it('passes over a released port that a listener has bound since, and comes back to it once it is free', () => {
    let bound = -1;
    const table = new EphemeralPortTable([100, 101], (_host, port) => port === bound);
    table.take(0, SERVER, 0);
    table.take(0, SERVER, 0);
    table.give(0, SERVER, 100);
    table.give(0, SERVER, 101);
    bound = 100;
    expect([table.take(0, SERVER, 0), table.take(0, SERVER, 0)]).toEqual([101, -1]);
    bound = -1;
    expect(table.take(0, SERVER, 0)).toBe(100);
  });

  it('keeps up with many releases (the queue grows)', () => {
    const table = new EphemeralPortTable([1, 1000], () => false);
    for (let i = 0; i < 1000; i++) table.take(0, SERVER, 0);
    for (let p = 1000; p >= 1; p--) table.give(0, SERVER, p);
    const order = Array.from({ length: 1000 }, () => table.take(0, SERVER, 0));
    expect(order).toEqual(Array.from({ length: 1000 }, (_, i) => 1000 - i));
  });
});

describe('connect() and the port range in the World', () => {
  function world() {
    const w = new World({ profile: { ...LINUX, ephemeralPorts: [40000, 40001] }, seed: 1, network: { latency: MS, jitter: 0, loss: 0, duplicate: 0, reorder: 0 } });
    const host = w.addHost('localhost', '127.0.0.1');
    const server = w.addProcess({ name: 'server', host, nofile: 64, baselineFds: 3 });
    const client = w.addProcess({ name: 'client', host, nofile: 64, baselineFds: 3 });
    const listenFd = w.listen(server, 8888, 8) as number;
    return { w, server, client, listenFd };
  }

  it('the third connection of a two-port range fails with EADDRNOTAVAIL, counted for the client', () => {
    const { w, client } = world();
    expect(typeof w.connect(client, '127.0.0.1', 8888)).toBe('number');
    expect(typeof w.connect(client, '127.0.0.1', 8888)).toBe('number');
    expect(w.connect(client, '127.0.0.1', 8888)).toBe('EADDRNOTAVAIL');
    expect(w.errors(client).EADDRNOTAVAIL).toBe(1);
    expect(w.portExhaustions()).toHaveLength(1);
  });

  it('a port held by TIME_WAIT is free again once TIME_WAIT ends (60 s), not before', () => {
    const { w, server, client, listenFd } = world();
    const fds = [w.connect(client, '127.0.0.1', 8888) as number, w.connect(client, '127.0.0.1', 8888) as number];
    w.runUntil(10 * MS);
    const accepted = [w.accept(server, listenFd) as number, w.accept(server, listenFd) as number];
    for (const fd of fds) w.close(client, fd);
    w.runUntil(20 * MS);
    for (const fd of accepted) w.close(server, fd);
    w.runUntil(SECOND);
    expect(w.stateCounts(client)).toEqual({ TIME_WAIT: 2 });
    expect(w.connect(client, '127.0.0.1', 8888)).toBe('EADDRNOTAVAIL');
    w.runUntil(63 * SECOND);
    expect(w.stateCounts(client)).toEqual({});
    // both TIME_WAITs end in one bucket of the timer wheel, the newest first: its port is the one
    // released first, and the first taken again
    const again = w.connect(client, '127.0.0.1', 8888) as number;
    expect(w.socketView(client, again)?.local.port).toBe(40001);
    expect(w.socketView(client, w.connect(client, '127.0.0.1', 8888) as number)?.local.port).toBe(40000);
  });
});
