/**
 * What a timer's expiry leaves in the trace: a `timer` line naming the timer and the socket,
 * and the state change it causes with `cause: { by: 'timer', timer }` — for each timer of the
 * close handshake and of the connection's start (2MSL, the orphaned FIN_WAIT_2 timeout, the
 * delayed ACK, the SYN and FIN retransmission timers and giving up after them).
 */
import { describe, expect, it } from 'vitest';
import { FIN, SYN } from '../../src/model/segment.js';
import { TIMER_SLOTS } from '../../src/sim/socket.js';
import type { TraceEvent } from '../../src/sim/trace.js';
import type { World } from '../../src/sim/world.js';
import { connectedPair, heldConnection, listeningPair, MS, SECOND } from './pair.js';

/** The timer lines of socket `id`, as `timer@ms`. */
function timers(world: World, id: number): string[] {
  return world
    .trace()
    .events.filter((e): e is Extract<TraceEvent, { kind: 'timer' }> => e.kind === 'timer' && e.socket === id)
    .map((e) => `${e.timer}@${e.at / MS}`);
}

/** The state changes of socket `id` that a timer caused, as `from→to by timer`. */
function timedChanges(world: World, id: number): string[] {
  return world
    .trace()
    .events.filter((e): e is Extract<TraceEvent, { kind: 'state' }> => e.kind === 'state' && e.socket === id && e.cause.by === 'timer')
    .map((e) => `${e.from}→${e.to} by ${e.cause.by === 'timer' ? e.cause.timer : ''}`);
}

const slot = (name: (typeof TIMER_SLOTS)[number]): number => TIMER_SLOTS.indexOf(name);

describe('a timer in the trace', () => {
  it('the delayed ACK of a FIN, then 2MSL ending TIME_WAIT', () => {
    const pair = connectedPair();
    const ids = { client: pair.world.socketView(pair.client, pair.clientFd)!.id, server: pair.world.socketView(pair.server, pair.serverFd)!.id };
    const closedAt = pair.world.now / MS;
    pair.world.close(pair.client, pair.clientFd);
    pair.advance(100 * MS);
    pair.world.close(pair.server, pair.serverFd);
    pair.world.runUntilQuiet();
    // the FIN arrived 1 ms after close(); Linux's delayed ACK waits 40 ms
    expect(timers(pair.world, ids.server)).toEqual([`delAck@${closedAt + 1 + 40}`]);
    expect(timedChanges(pair.world, ids.server)).toEqual([]);
    const twAt = (closedAt + 100 + 1) * MS;
    expect(timers(pair.world, ids.client)).toEqual([`twoMsl@${(twAt + 60 * SECOND) / MS}`]);
    expect(timedChanges(pair.world, ids.client)).toEqual(['TIME_WAIT→CLOSED by twoMsl']);
    expect([pair.world.expiries[slot('delAck')], pair.world.expiries[slot('twoMsl')]]).toEqual([1, 1]);
  });

  it('an orphaned FIN_WAIT_2 whose peer never closes times out', () => {
    const pair = connectedPair();
    const id = pair.world.socketView(pair.client, pair.clientFd)!.id;
    pair.world.close(pair.client, pair.clientFd);
    pair.advance(70 * SECOND);
    expect(timers(pair.world, id)).toHaveLength(1);
    expect(timers(pair.world, id)[0]).toMatch(/^finWait2@/);
    expect(timedChanges(pair.world, id)).toEqual(['FIN_WAIT_2→CLOSED by finWait2']);
    expect(pair.world.expiries[slot('finWait2')]).toBe(1);
  });

  it('a lost SYN: the SYN timer fires at 1, 2, 3, 4, 5, 7, 11 ... s and connect() gives up with ETIMEDOUT', () => {
    const { world, client } = listeningPair(8, true);
    const fd = world.connect(client, '127.0.0.1', 8888) as number;
    const id = world.socketView(client, fd)!.id;
    for (let t = 0; t < 200; t++) {
      while (world.heldSegments().length > 0) world.dropHeld(0);
      world.runUntil(world.now + SECOND);
    }
    const fired = timers(world, id);
    // Linux ≥ 6.5: tcp_syn_linear_timeouts (4) retries 1 s apart, then doubling; the last expiry gives up
    expect(fired).toEqual([1, 2, 3, 4, 5, 7, 11, 19, 35, 67, 131].map((s) => `synRto@${s * 1000}`));
    expect(timedChanges(world, id)).toEqual(['SYN_SENT→CLOSED by synRto']);
    expect(world.connectOutcome(client, fd)).toBe('ETIMEDOUT');
    expect(world.expiries[slot('synRto')]).toBe(fired.length);
  });

  it('a lost FIN is sent again when the FIN timer fires', () => {
    const { world, client, fd } = heldConnection();
    const id = world.socketView(client, fd)!.id;
    world.close(client, fd);
    expect(world.heldSegments().map((h) => h.segment.flags & FIN)).toEqual([FIN]);
    world.dropHeld(0);
    world.runUntil(world.now + 300 * MS);
    expect(timers(world, id)).toEqual([expect.stringMatching(/^finRto@/)]);
    expect(world.heldSegments().map((h) => h.segment.flags & (FIN | SYN))).toEqual([FIN]);
    expect(world.expiries[slot('finRto')]).toBe(1);
  });
});
