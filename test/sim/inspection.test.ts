/**
 * What `World.sockets()` shows (inspection.ts): every socket once, whole or in TIME_WAIT's small
 * form, sorted by id across hosts, with its fd (-1 once the program let go), orphaned flag and
 * unread bytes; files in a process's fd table are not sockets. And the wire's own drops: a
 * segment lost on the way and one sent to an address no host has, each traced with its reason.
 */
import { describe, expect, it } from 'vitest';
import { SYN } from '../../src/model/segment.js';
import type { TraceEvent } from '../../src/sim/trace.js';
import { World } from '../../src/sim/world.js';
import { LINUX_EXACT, MS, SECOND } from './pair.js';

const LINK = { latency: MS, jitter: 0, loss: 0, duplicate: 0, reorder: 0 };

describe('World.sockets()', () => {
  it('lists each socket once, by id across hosts, with fd, orphaned and unread; files are left out', () => {
    const world = new World({ profile: LINUX_EXACT, seed: 1, network: LINK });
    // the server's host is added first, so its sockets come first host by host; the client's socket
    // (id 1) is made before the accepted one (id 2)
    const serverHost = world.addHost('a', '10.0.0.1');
    const clientHost = world.addHost('b', '10.0.0.2');
    const server = world.addProcess({ name: 'server', host: serverHost, nofile: 16, baselineFds: 3 });
    const client = world.addProcess({ name: 'client', host: clientHost, nofile: 16, baselineFds: 3 });
    const listenFd = world.listen(server, 80, 8) as number;
    const fd = world.connect(client, '10.0.0.1', 80) as number;
    expect(world.openFile(client, 'log')).toBe(fd + 1);
    world.runUntil(10 * MS);
    const accepted = world.accept(server, listenFd) as number;
    world.write(client, fd, 'unread');
    world.runUntil(20 * MS);
    const view = () => world.sockets().map((s) => [s.id, s.host, s.process, s.state, s.fd, s.orphaned, s.unread]);
    expect(view()).toEqual([
      [0, 'a', 'server', 'LISTEN', listenFd, false, 0],
      [1, 'b', 'client', 'ESTABLISHED', fd, false, 0],
      [2, 'a', 'server', 'ESTABLISHED', accepted, false, 6],
    ]);
    // the client closes first: its TIME_WAIT, held by nobody, is a row of the TIME_WAIT table
    expect(world.read(server, accepted, { kind: 'upTo', count: 100 })).toEqual({ data: 'unread', eof: false });
    world.close(client, fd);
    world.runUntil(100 * MS);
    // closed, not shut down: FIN_WAIT_2 with nobody holding it, on the 60-s orphan timer
    expect(view()[1]).toEqual([1, 'b', 'client', 'FIN_WAIT_2', -1, true, 0]);
    world.close(server, accepted);
    world.runUntil(200 * MS);
    expect(world.smallTimeWaits()).toBe(1);
    expect(view()).toEqual([
      [0, 'a', 'server', 'LISTEN', listenFd, false, 0],
      [1, 'b', 'client', 'TIME_WAIT', -1, false, 0],
    ]);
    expect(world.sockets()[1]).toMatchObject({ role: 'client', conn: 0, local: { addr: '10.0.0.2' }, remote: { addr: '10.0.0.1', port: 80 } });
  });
});

describe('drops on the wire', () => {
  const drops = (world: World): Array<[number, string]> =>
    world
      .trace()
      .events.filter((e): e is Extract<TraceEvent, { kind: 'drop' }> => e.kind === 'drop')
      .map((e) => [e.segmentId, e.reason]);
  const sends = (world: World): Array<[number, number]> =>
    world
      .trace()
      .events.filter((e): e is Extract<TraceEvent, { kind: 'send' }> => e.kind === 'send')
      .map((e) => [e.segmentId, e.segment.flags]);

  it('a segment a fault drops is traced as lost, under the id it was sent with; segment ids count up from 0', () => {
    const world = new World({ profile: LINUX_EXACT, seed: 1, network: LINK, trace: true, faults: [{ match: 'syn', from: 0, until: 500 * MS, drop: 1 }] });
    const host = world.addHost('h', '127.0.0.1');
    const server = world.addProcess({ name: 'server', host, nofile: 16, baselineFds: 3 });
    const client = world.addProcess({ name: 'client', host, nofile: 16, baselineFds: 3 });
    world.listen(server, 80, 8);
    const fd = world.connect(client, '127.0.0.1', 80) as number;
    world.runUntil(2 * SECOND);
    // the first SYN is lost; the one a second later gets through
    expect(drops(world)).toEqual([[0, 'loss']]);
    expect(sends(world).slice(0, 2)).toEqual([
      [0, SYN],
      [1, SYN],
    ]);
    expect(world.stateOf(client, fd)).toBe('ESTABLISHED');
  });

  it('a segment to an address no host has is dropped as link-down', () => {
    const world = new World({ profile: LINUX_EXACT, seed: 1, network: LINK, trace: true });
    const host = world.addHost('h', '127.0.0.1');
    const client = world.addProcess({ name: 'client', host, nofile: 16, baselineFds: 3 });
    const fd = world.connect(client, '127.0.0.9', 80) as number;
    world.runUntil(1500 * MS);
    expect(drops(world)).toEqual([
      [0, 'link-down'],
      [1, 'link-down'],
    ]);
    expect(world.stateOf(client, fd)).toBe('SYN_SENT');
  });
});
