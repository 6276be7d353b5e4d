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
