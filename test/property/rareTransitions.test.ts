/**
 * Transitions the random programs cannot reach because the World's programs always connect to a
 * listener: simultaneous open (both sides connect() to each other's fixed port) and a listener
 * closed by its program. Example-based, grouped per state as STYLE.md asks.
 */
import { describe, expect, it } from 'vitest';
import { LINUX, RFC9293, type Profile } from '../../src/model/profile.js';
import { World } from '../../src/sim/world.js';

const PORT_A = 40_000;
const PORT_B = 40_001;

/** Two hosts whose programs each connect() from a fixed port to the other's: simultaneous open. */
function simultaneousOpen(profile: Profile) {
  const world = new World({ profile, seed: 7, trace: true, manualNetwork: true, ephemeralPortFor: (conn) => (conn === 0 ? PORT_A : PORT_B) });
  const a = world.addProcess({ name: 'a', host: world.addHost('a', '10.0.0.1'), nofile: 16, baselineFds: 3 });
  const b = world.addProcess({ name: 'b', host: world.addHost('b', '10.0.0.2'), nofile: 16, baselineFds: 3 });
  const fdA = world.connect(a, '10.0.0.2', PORT_B, 0) as number;
  const fdB = world.connect(b, '10.0.0.1', PORT_A, 1) as number;
  // deliver both SYNs while both sides are in SYN_SENT
  world.deliverHeld(0);
  world.deliverHeld(0);
  return { world, a, b, fdA, fdB };
}

for (const profile of [LINUX, RFC9293]) {
  describe(`SYN_SENT and SYN_RECEIVED in simultaneous open (${profile.name})`, () => {
    it('a SYN in SYN_SENT answers SYN,ACK and moves to SYN_RECEIVED; the crossing SYN,ACKs establish both', () => {
      const { world, a, b, fdA, fdB } = simultaneousOpen(profile);
      expect([world.stateOf(a, fdA), world.stateOf(b, fdB)]).toEqual(['SYN_RECEIVED', 'SYN_RECEIVED']);
      while (world.heldSegments().length > 0) world.deliverHeld(0);
      expect([world.stateOf(a, fdA), world.stateOf(b, fdB)]).toEqual(['ESTABLISHED', 'ESTABLISHED']);
    });

    it('close() in SYN_RECEIVED sends FIN and orphans the socket in FIN_WAIT_1', () => {
      const { world, a, fdA } = simultaneousOpen(profile);
      world.close(a, fdA);
      const view = world.sockets().find((s) => s.process === 'a')!;
      expect([view.state, view.orphaned, world.fdsInUse(a)]).toEqual(['FIN_WAIT_1', true, 3]);
    });

    it('abort in SYN_RECEIVED sends RST and deletes the TCB', () => {
      const { world, a, b, fdA, fdB } = simultaneousOpen(profile);
      world.abort(a, fdA);
      expect(world.sockets().filter((s) => s.process === 'a')).toEqual([]);
      const rst = world.heldSegments().find((h) => h.segment.flags & 0x04);
      expect(rst).toBeDefined();
      while (world.heldSegments().length > 0) world.deliverHeld(0);
      expect(world.stateOf(b, fdB)).toBe('CLOSED');
    });
  });

  describe(`LISTEN (${profile.name})`, () => {
    it('close() of the listener deletes it and frees the port', () => {
      const world = new World({ profile, seed: 1, trace: true });
      const server = world.addProcess({ name: 'server', host: world.addHost('s', '10.0.0.2'), nofile: 16, baselineFds: 3 });
      const fd = world.listen(server, 8888, 4) as number;
      expect(world.stateCounts(server)).toEqual({ LISTEN: 1 });
      expect(world.close(server, fd)).toBe(0);
      expect(world.stateCounts(server)).toEqual({});
      expect(world.fdsInUse(server)).toBe(3);
      expect(world.listen(server, 8888, 4)).toBeTypeOf('number');
    });
  });
}

/** A connected pair on a manual network; helpers deliver the held segment matching a predicate. */
function connectedPair(profile: Profile) {
  const world = new World({ profile, seed: 3, trace: true, manualNetwork: true });
  const client = world.addProcess({ name: 'client', host: world.addHost('c', '10.0.0.1'), nofile: 16, baselineFds: 3 });
  const server = world.addProcess({ name: 'server', host: world.addHost('s', '10.0.0.2'), nofile: 16, baselineFds: 3 });
  const listenFd = world.listen(server, 8888, 4) as number;
  const cfd = world.connect(client, '10.0.0.2', 8888) as number;
  while (world.heldSegments().length > 0) world.deliverHeld(0);
  const sfd = world.accept(server, listenFd) as number;
  const indexOf = (from: string, payload: string) => world.heldSegments().findIndex((h) => h.segment.src.addr === from && h.segment.payload === payload);
  /** Delivers every held segment except the old data copies kept for later. */
  const deliverAllBut = (keep: readonly number[]): void => {
    for (let i = world.heldSegments().length - 1; i >= 0; i--) if (!keep.includes(world.heldSegments()[i]!.segmentId)) world.deliverHeld(i);
  };
  return { world, client, server, cfd, sfd, indexOf, deliverAllBut };
}

for (const profile of [LINUX, RFC9293]) {
  describe(`a late duplicate of old data (${profile.name})`, () => {
    it('is re-ACKed in LAST_ACK and in TIME_WAIT without changing state', () => {
      const { world, client, server, cfd, sfd, indexOf, deliverAllBut } = connectedPair(profile);
      world.write(client, cfd, 'old-from-client');
      world.write(server, sfd, 'old-from-server');
      // a copy of each arrives now; the originals wander and arrive late
      world.duplicateHeld(indexOf('10.0.0.1', 'old-from-client'));
      world.duplicateHeld(indexOf('10.0.0.2', 'old-from-server'));
      const lateToServer = world.heldSegments()[indexOf('10.0.0.1', 'old-from-client')]!.segmentId;
      const lateToClient = world.heldSegments()[indexOf('10.0.0.2', 'old-from-server')]!.segmentId;
      const keep = [lateToServer, lateToClient];
      world.read(client, cfd, { kind: 'bytes', count: 15 });
      world.read(server, sfd, { kind: 'bytes', count: 15 });
      world.close(client, cfd);
      deliverAllBut(keep);
      world.close(server, sfd);
      // the server's FIN waits; the late client data reaches the server in LAST_ACK
      expect(world.stateOf(server, sfd)).toBe('CLOSED'); // fd closed: the socket is orphaned
      const serverSocket = world.sockets().find((s) => s.process === 'server' && s.role === 'server')!;
      expect(serverSocket.state).toBe('LAST_ACK');
      world.deliverHeld(world.heldSegments().findIndex((h) => h.segmentId === lateToServer));
      expect(world.sockets().find((s) => s.id === serverSocket.id)?.state).toBe('LAST_ACK');
      deliverAllBut([lateToClient]);
      const clientSocket = world.sockets().find((s) => s.process === 'client')!;
      expect(clientSocket.state).toBe('TIME_WAIT');
      const sentBefore = world.trace().events.filter((e) => e.kind === 'send' && e.socket === clientSocket.id).length;
      world.deliverHeld(world.heldSegments().findIndex((h) => h.segmentId === lateToClient));
      expect(world.sockets().find((s) => s.id === clientSocket.id)?.state).toBe('TIME_WAIT');
      expect(world.trace().events.filter((e) => e.kind === 'send' && e.socket === clientSocket.id).length).toBe(sentBefore + 1);
    });
  });
}
