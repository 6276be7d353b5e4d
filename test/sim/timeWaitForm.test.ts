/**
 * When a TIME_WAIT socket takes its small form (timeWait.ts: a row of the TIME_WAIT table) and
 * what comes back when a segment needs the whole socket: only once nobody holds it, and a
 * retransmitted FIN finds a socket that still acknowledges it and restarts 2MSL (RFC 9293
 * §3.10.7.4, TIME-WAIT: "restart the 2 MSL timeout").
 */
import { describe, expect, it } from 'vitest';
import { ACK, FIN } from '../../src/model/segment.js';
import { heldConnection, LINUX_EXACT, MS } from './pair.js';

/** Delivers every held segment, and what they make, until nothing is held. */
function deliverAll(world: ReturnType<typeof heldConnection>['world']): void {
  while (world.heldSegments().length > 0) world.deliverHeld(0);
}

describe('the small form of TIME_WAIT', () => {
  it('is taken once the program lets go of the fd, not while it holds it (shutdown, then close)', () => {
    const { world, client, server, fd, serverFd } = heldConnection();
    world.shutdown(client, fd);
    deliverAll(world);
    world.close(server, serverFd);
    deliverAll(world);
    expect(world.stateOf(client, fd)).toBe('TIME_WAIT');
    expect(world.smallTimeWaits()).toBe(0);
    world.close(client, fd);
    expect(world.stateCounts(client)).toEqual({ TIME_WAIT: 1 });
    expect(world.smallTimeWaits()).toBe(1);
  });

  it('comes back whole for a retransmitted FIN: ACKs it with RCV.NXT, restarts 2MSL, and is small again after', () => {
    const { world, client, server, fd, serverFd } = heldConnection();
    world.close(client, fd);
    deliverAll(world);
    world.close(server, serverFd);
    const fin = world.heldSegments()[0]!.segment;
    expect(fin.flags & FIN).toBe(FIN);
    const firstFinAt = world.now;
    world.deliverHeld(0);
    // the client's last ACK is lost; its TIME_WAIT, with no fd, is a row of the table
    expect(world.heldSegments().map((h) => h.segment.flags)).toEqual([ACK]);
    world.dropHeld(0);
    expect(world.smallTimeWaits()).toBe(1);
    // the server's FIN comes again after its RTO
    let retransmittedAt = 0;
    for (let t = world.now; world.heldSegments().length === 0; t += MS) {
      world.runUntil(t);
      retransmittedAt = t;
    }
    expect(world.heldSegments()[0]!.segment).toMatchObject({ flags: fin.flags, seq: fin.seq });
    // at least one RTO (200 ms) later: a TIME_WAIT counted from the first FIN would end 200 ms sooner
    expect(retransmittedAt - firstFinAt).toBeGreaterThanOrEqual(200 * MS);
    world.deliverHeld(0);
    const ack = world.heldSegments()[0]!.segment;
    expect(ack).toMatchObject({ flags: ACK, seq: fin.ack, ack: fin.seq + 1, payload: '' });
    expect(world.smallTimeWaits()).toBe(1);
    world.deliverHeld(0);
    expect(world.stateCounts(server)).toEqual({ LISTEN: 1 });
    // TIME_WAIT lasts 2MSL from the retransmission, not from the first FIN
    world.runUntil(retransmittedAt + LINUX_EXACT.timeWait - MS);
    expect(world.stateCounts(client)).toEqual({ TIME_WAIT: 1 });
    world.runUntil(retransmittedAt + LINUX_EXACT.timeWait + MS);
    expect(world.stateCounts(client)).toEqual({});
    expect(world.smallTimeWaits()).toBe(0);
  });
});
