/**
 * The World's own surface, apart from the socket calls it hands to socketCalls.ts: set-up and
 * its errors, the clock (runUntil never goes back, step on an empty agenda), the manual network's
 * deliver/drop/duplicate, and the counts it reports.
 */
import { describe, expect, it } from 'vitest';
import { EVENT_COUNT, EVENT_INDEX } from '../../src/model/compileTable.js';
import { ACK, FIN, SYN } from '../../src/model/segment.js';
import { TIMER_SLOTS } from '../../src/sim/socket.js';
import { World } from '../../src/sim/world.js';
import { connectedPair, LINUX_EXACT, listeningPair, MS, SECOND } from './pair.js';

const QUIET = { latency: MS, jitter: 0, loss: 0, duplicate: 0, reorder: 0 };

describe('setting up a World', () => {
  it('refuses an address used twice and a process on a host it does not have', () => {
    const world = new World({ profile: LINUX_EXACT, seed: 1, network: QUIET });
    expect(world.addHost('a', '127.0.0.1')).toBe(0);
    expect(world.addHost('b', '127.0.0.2')).toBe(1);
    expect(() => world.addHost('c', '127.0.0.1')).toThrow('world: address 127.0.0.1 is already used');
    expect(() => world.addProcess({ name: 'p', host: 2, nofile: 8, baselineFds: 3 })).toThrow('world: no host 2');
    expect(world.processNames()).toEqual([]);
  });

  it('names processes and hosts, and gives a process the posix accept policy unless told otherwise', () => {
    const world = new World({ profile: LINUX_EXACT, seed: 1, network: QUIET });
    const a = world.addHost('a', '127.0.0.1');
    const b = world.addHost('b', '127.0.0.2');
    const plain = world.addProcess({ name: 'plain', host: a, nofile: 8, baselineFds: 3 });
    const node = world.addProcess({ name: 'node', host: b, nofile: 8, baselineFds: 3, acceptPolicy: 'libuv' });
    expect([world.processIndex('plain'), world.processIndex('node')]).toEqual([plain, node]);
    expect(() => world.processIndex('none')).toThrow('world: no process none');
    expect([world.hostOf(node), world.hostAddress(world.hostOf(node))]).toEqual([b, '127.0.0.2']);
    expect([world.acceptPolicyOf(plain), world.acceptPolicyOf(node)]).toEqual(['posix', 'libuv']);
    expect(world.fdsInUse(plain)).toBe(3);
    expect(world.table.leaves).toContain('TIME_WAIT');
  });
});

describe('the clock', () => {
  it('runUntil never sets the clock back, and runs nothing that is not due', () => {
    const { world } = listeningPair(8);
    const ran: number[] = [];
    world.at(20 * MS, () => ran.push(world.now));
    world.runUntil(10 * MS);
    world.runUntil(5 * MS);
    expect([world.now, ran]).toEqual([10 * MS, []]);
    expect(world.nextEventTime()).toBe(20 * MS);
    world.runUntil(20 * MS);
    expect(ran).toEqual([20 * MS]);
  });

  it('step runs one event at its time; on an empty agenda it does nothing', () => {
    const { world } = listeningPair(8);
    const ran: number[] = [];
    world.at(3 * MS, () => ran.push(world.now));
    world.at(4 * MS, () => ran.push(world.now));
    expect(world.idle).toBe(false);
    world.step();
    expect([ran, world.eventsProcessed, world.idle]).toEqual([[3 * MS], 1, false]);
    world.step();
    world.step();
    expect([ran, world.eventsProcessed, world.now, world.idle, world.nextEventTime()]).toEqual([[3 * MS, 4 * MS], 2, 4 * MS, true, Infinity]);
  });

  it('runUntilQuiet runs to the last event (a 60 s TIME_WAIT) and stops at a limit', () => {
    const pair = connectedPair();
    pair.world.close(pair.client, pair.clientFd);
    pair.advance(10 * MS);
    pair.world.close(pair.server, pair.serverFd);
    expect(pair.world.runUntilQuiet(30 * SECOND)).toBeLessThanOrEqual(30 * SECOND);
    expect(pair.states().client).toBe('TIME_WAIT');
    const end = pair.world.runUntilQuiet();
    expect(pair.states().client).toBe('CLOSED');
    expect(end).toBeGreaterThanOrEqual(60 * SECOND);
    expect(pair.world.idle).toBe(true);
    expect(pair.world.expiries[TIMER_SLOTS.indexOf('twoMsl')]).toBe(1);
  });
});

describe('the manual network', () => {
  function heldSyn() {
    const pair = listeningPair(8, true);
    const fd = pair.world.connect(pair.client, '127.0.0.1', 8888) as number;
    expect(pair.world.heldSegments().map((h) => h.segment.flags)).toEqual([SYN]);
    return { ...pair, fd };
  }

  it('delivers a held segment, and a copy of one while keeping it; an index past the end does nothing', () => {
    const { world, fd, client } = heldSyn();
    world.deliverHeld(5);
    world.duplicateHeld(5);
    expect(world.heldSegments()).toHaveLength(1);
    world.duplicateHeld(0);
    // the copy reached the server, which answered; the SYN is still held
    expect(world.heldSegments().map((h) => h.segment.flags)).toEqual([SYN, SYN | ACK]);
    world.deliverHeld(1);
    expect(world.stateOf(client, fd)).toBe('ESTABLISHED');
    world.deliverHeld(0);
    expect(world.heldSegments().map((h) => h.segment.flags)).not.toContain(SYN);
    expect(world.heldSegments().map((h) => h.segment.flags)).toContain(ACK);
  });

  it('loses a held segment, and says so in the trace; an index past the end does nothing', () => {
    const { world, fd, client } = heldSyn();
    world.dropHeld(1);
    expect(world.heldSegments()).toHaveLength(1);
    const id = world.heldSegments()[0]!.segmentId;
    world.dropHeld(0);
    expect(world.heldSegments()).toEqual([]);
    expect(world.trace().events.filter((e) => e.kind === 'drop')).toEqual([{ kind: 'drop', at: 0, segmentId: id, reason: 'loss' }]);
    expect(world.stateOf(client, fd)).toBe('SYN_SENT');
  });
});

describe('what the World reports', () => {
  it('when an errno first reached a program, kept through later ones', () => {
    const { world, client } = listeningPair(8);
    expect(world.firstErrorAt('ECONNREFUSED')).toBeUndefined();
    for (const at of [5 * MS, 50 * MS]) {
      world.runUntil(at);
      const fd = world.connect(client, '127.0.0.1', 9999) as number;
      world.runUntil(at + 10 * MS);
      expect(world.connectOutcome(client, fd)).toBe('ECONNREFUSED');
    }
    expect(world.errors(client).ECONNREFUSED).toBe(2);
    expect(world.firstErrorAt('ECONNREFUSED')).toBe(15 * MS);
  });

  it('an fd whose socket a RST closed is counted apart, and exit() closes it', () => {
    const pair = connectedPair();
    const { world, client, server } = pair;
    expect(world.closedSocketFds(client)).toBe(0);
    world.abort(server, pair.serverFd);
    pair.advance(10 * MS);
    expect(world.stateOf(client, pair.clientFd)).toBe('CLOSED');
    expect([world.closedSocketFds(client), world.closedSocketFds(server)]).toEqual([1, 0]);
    expect(world.exited(client)).toBe(false);
    world.exit(client);
    expect([world.exited(client), world.closedSocketFds(client), world.fdsInUse(client)]).toEqual([true, 0, 3]);
    expect(world.trace().events.filter((e) => e.kind === 'call' && (e.call === 'abort' || e.call === 'close' || e.call === 'exit')).map((e) => e.kind === 'call' && e.call)).toEqual(['abort', 'exit', 'close']);
  });

  it('pendingConnections counts a listener’s accept queue, and is 0 for a connected socket or a free fd', () => {
    const { world, server, client, listenFd } = listeningPair(8);
    world.connect(client, '127.0.0.1', 8888);
    world.connect(client, '127.0.0.1', 8888);
    world.runUntil(10 * MS);
    expect(world.pendingConnections(server, listenFd)).toBe(2);
    const fd = world.accept(server, listenFd) as number;
    expect(world.pendingConnections(server, listenFd)).toBe(1);
    expect(world.pendingConnections(server, fd)).toBe(0);
    expect(world.pendingConnections(server, 40)).toBe(0);
    expect(world.stateOf(server, 40)).toBe('CLOSED');
    expect(world.socketView(server, 40)).toBeUndefined();
  });

  it('a FIN the server never answers leaves CLOSE_WAIT per process', () => {
    const pair = connectedPair();
    pair.world.close(pair.client, pair.clientFd);
    // past the server's delayed ACK (40 ms on Linux)
    pair.advance(100 * MS);
    expect([pair.world.stateCounts(pair.server), pair.world.stateCounts(pair.client)]).toEqual([
      { LISTEN: 1, CLOSE_WAIT: 1 },
      { FIN_WAIT_2: 1 },
    ]);
    expect(pair.finSends('client')).toHaveLength(1);
    expect(pair.sends('client').at(-1)!.flags & FIN).toBe(FIN);
  });
});

describe('table coverage (npm run matrix)', () => {
  it('is off by default; when on, counts each (leaf, event) cell that ran, the small TIME_WAIT form’s expiry too', () => {
    expect(World.coverage).toBeNull();
    const cells = new Map();
    World.coverage = cells;
    try {
      const pair = connectedPair();
      pair.world.close(pair.client, pair.clientFd);
      pair.advance(10 * MS);
      pair.world.close(pair.server, pair.serverFd);
      pair.world.runUntilQuiet();
      expect(pair.states()).toEqual({ client: 'CLOSED', server: 'CLOSED' });
      const counts = cells.get(pair.world.table) as Uint32Array;
      const cell = (leaf: string, event: keyof typeof EVENT_INDEX): number => counts[pair.world.table.leafIndex(leaf) * EVENT_COUNT + EVENT_INDEX[event]]!;
      expect([cell('TIME_WAIT', 'TIMEOUT_twoMsl'), cell('ESTABLISHED', 'CLOSE'), cell('CLOSE_WAIT', 'CLOSE'), cell('LAST_ACK', 'ACK_OF_FIN')]).toEqual([1, 1, 1, 1]);
    } finally {
      World.coverage = null;
    }
  });
});
