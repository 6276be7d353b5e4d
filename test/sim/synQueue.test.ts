import { describe, expect, it } from 'vitest';
import { ACK, RST, SYN } from '../../src/model/segment.js';
import { loadScenarioText } from '../../src/scenario/index.js';
import { simulate } from '../../src/sim/simulate.js';
import { MS, SECOND, listeningPair } from './pair.js';

/** N clients connecting within `ramp` to a server with `backlog`, which reads a line and closes. */
function burst(clients: number, backlog: number, profile = 'linux', ramp = '0'): string {
  return `profile: ${profile}
processes:
  server:
    listen: { port: 8888, backlog: ${backlog} }
    onConnection: [ { read: line }, { write: "bye\\n" }, close ]
  client:
    connections: ${clients}
    ramp: ${ramp}
    steps: [ { connect: server }, { write: "hello\\n" }, { read: line }, close ]
sample: { every: 1s, until: 4m }
`;
}

describe('a burst of connections against a small backlog', () => {
  it('the SYN queue holds backlog + 1 half-open connections, the rest get SYN cookies, and every client gets in', () => {
    const result = simulate(loadScenarioText(burst(200, 5), 'burst.yaml'));
    expect(result.world.syncookiesSent).toBeGreaterThan(0);
    expect(result.stats.accepted.get('server')).toBe(200);
    expect(result.final.errors).toMatchObject({ ETIMEDOUT: 0, ECONNRESET: 0, ECONNREFUSED: 0 });
  });

  it('without SYN cookies the SYNs that do not fit are dropped, and the clients retransmitting them get in later', () => {
    // started 10 µs apart, faster than a handshake completes (100 µs): the SYN queue overflows
    const result = simulate(loadScenarioText(burst(200, 5, '{ name: linux, syncookies: false }', '2ms'), 'burst.yaml'));
    expect(result.world.syncookiesSent).toBe(0);
    expect(result.world.synDrops).toBeGreaterThan(0);
    // the server closes first, so each connection done holds a TIME_WAIT on the server
    const established = (t: number): number => result.samples.find((s) => s.t === t)!.byProcess['server']!.TIME_WAIT ?? 0;
    // each round of SYN retransmissions (1 s apart at first) lets more in
    expect(established(0)).toBeLessThan(established(1000));
    expect(established(1000)).toBeLessThan(established(2000));
  });
});


describe('the handshake against a full accept queue', () => {
  it('drops the final ACK and keeps the half-open connection; a SYN,ACK retransmission completes it once the program accepts', () => {
    const { world, server, client, listenFd } = listeningPair(1); // the accept queue holds 2
    const first = world.connect(client, '127.0.0.1', 8888) as number;
    world.runUntil(10 * MS);
    // two SYNs in the same instant: both admitted (one place left), the second's ACK finds the queue full
    const second = world.connect(client, '127.0.0.1', 8888) as number;
    const third = world.connect(client, '127.0.0.1', 8888) as number;
    world.runUntil(20 * MS);
    expect(world.listenOverflows).toBe(1);
    expect([first, second, third].map((fd) => world.connectOutcome(client, fd))).toEqual(['connected', 'connected', 'connected']);
    expect(world.stateCounts(server)).toMatchObject({ ESTABLISHED: 2, SYN_RECEIVED: 1 });
    world.runUntil(2 * SECOND);
    // the retransmission at 1 s found the queue still full
    expect(world.stateCounts(server)).toMatchObject({ ESTABLISHED: 2, SYN_RECEIVED: 1 });
    expect(world.accept(server, listenFd)).toBeTypeOf('number');
    expect(world.accept(server, listenFd)).toBeTypeOf('number');
    // the next SYN,ACK (3 s after the SYN: 1 s, then 2 s) brings the client's ACK to an emptied queue
    world.runUntil(3 * SECOND + 20 * MS);
    expect(world.stateCounts(server)).toMatchObject({ ESTABLISHED: 3 });
    expect(world.stateCounts(server).SYN_RECEIVED ?? 0).toBe(0);
    expect(world.accept(server, listenFd)).toBeTypeOf('number');
  });

  it('a valid SYN cookie makes the connection at once, straight into the accept queue; a stale one (2 minutes after the overflow) gets a RST', () => {
    const { world, client, server, listenFd } = listeningPair(0, true);
    const synOf = (fd: number): number => world.heldSegments().findIndex((h) => h.segment.flags === SYN && h.segment.src.port === world.socketView(client, fd)!.local.port);
    const toClient = (fd: number, flags: number): number =>
      world.heldSegments().findIndex((h) => h.segment.flags === flags && h.segment.dst.port === world.socketView(client, fd)!.local.port);
    const fromClient = (fd: number, flags: number): number =>
      world.heldSegments().findIndex((h) => h.segment.flags === flags && h.segment.src.port === world.socketView(client, fd)!.local.port);
    // backlog 0: one half-open connection fills the SYN queue; the next SYN gets a cookie
    const first = world.connect(client, '127.0.0.1', 8888) as number;
    const second = world.connect(client, '127.0.0.1', 8888) as number;
    world.runUntil(0);
    world.deliverHeld(synOf(first));
    expect(world.syncookiesSent).toBe(0);
    world.deliverHeld(synOf(second));
    expect(world.syncookiesSent).toBe(1);
    expect(world.stateCounts(server)).toEqual({ LISTEN: 1, SYN_RECEIVED: 1 });
    world.deliverHeld(toClient(second, SYN | ACK));
    expect(world.connectOutcome(client, second)).toBe('connected');
    world.deliverHeld(fromClient(second, ACK));
    expect(world.stateCounts(server)).toEqual({ LISTEN: 1, SYN_RECEIVED: 1, ESTABLISHED: 1 });
    // the program takes it: the accept queue (one place) has room again
    const accepted = world.accept(server, listenFd) as number;
    expect(accepted).toBeTypeOf('number');
    // the connection made from the cookie carries data both ways: its sequence numbers are the cookie's
    expect(world.write(server, accepted, 'hi\n')).toBe(3);
    expect(world.write(client, second, 'yo\n')).toBe(3);
    for (let i = 0; i < 4; i++) {
      world.runUntil(world.now + MS);
      while (world.heldSegments().some((h) => h.segment.payload !== '')) world.deliverHeld(world.heldSegments().findIndex((h) => h.segment.payload !== ''));
    }
    expect(world.read(client, second, { kind: 'line' })).toEqual({ data: 'hi\n', eof: false });
    expect(world.read(server, accepted, { kind: 'line' })).toEqual({ data: 'yo\n', eof: false });
    // a third client's cookie, answered only after the 2 minutes cookies are checked for
    const third = world.connect(client, '127.0.0.1', 8888) as number;
    world.runUntil(0);
    world.deliverHeld(synOf(third));
    expect(world.syncookiesSent).toBe(2);
    world.runUntil(121 * SECOND);
    while (world.heldSegments().some((h) => h.segment.flags === SYN)) world.dropHeld(world.heldSegments().findIndex((h) => h.segment.flags === SYN));
    world.deliverHeld(toClient(third, SYN | ACK));
    world.deliverHeld(fromClient(third, ACK));
    const reset = world.heldSegments().find((h) => (h.segment.flags & RST) !== 0);
    expect(reset?.segment.dst.port).toBe(world.socketView(client, third)!.local.port);
  });
});

describe('old half-open connections, when the SYN queue is more than half full of them', () => {
  /** `n` half-open connections whose SYN,ACKs never arrive: how many are left at each second they change. */
  function shedding(n: number, backlog: number): Array<[number, number]> {
    const { world, client, server } = listeningPair(backlog, true);
    for (let i = 0; i < n; i++) world.connect(client, '127.0.0.1', 8888);
    world.runUntil(0);
    while (world.heldSegments().some((h) => h.segment.flags === SYN)) world.deliverHeld(world.heldSegments().findIndex((h) => h.segment.flags === SYN));
    const changes: Array<[number, number]> = [[0, world.stateCounts(server).SYN_RECEIVED ?? 0]];
    for (let t = 100 * MS; t <= 100 * SECOND; t += 100 * MS) {
      world.runUntil(t);
      // the network loses every SYN,ACK and SYN retransmission
      while (world.heldSegments().length > 0) world.dropHeld(0);
      const left = world.stateCounts(server).SYN_RECEIVED ?? 0;
      if (left !== changes.at(-1)![1]) changes.push([t / SECOND, left]);
    }
    return changes;
  }

  it('get fewer SYN,ACK retries (down to 2: gone at 7 s) until the queue is no more than half full; the rest get all 5 (63 s)', () => {
    // backlog 8: 9 half-open is more than half of max(8, 8); old ones (past their first timeout) are cut to
    // 2 retries, one less each time the young are outnumbered twice over (Linux reqsk_timer_handler)
    expect(shedding(9, 8)).toEqual([
      [0, 9],
      [7, 4],
      [63, 0],
    ]);
    // 4 are not more than half: tcp_synack_retries (5) for each, 1 + 2 + 4 + 8 + 16 + 32 = 63 s
    expect(shedding(4, 8)).toEqual([
      [0, 4],
      [63, 0],
    ]);
  });
});
