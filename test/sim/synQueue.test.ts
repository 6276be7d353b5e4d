import { describe, expect, it } from 'vitest';
import { ACK, RST, SYN } from '../../src/model/segment.js';
import { loadScenarioText } from '../../src/scenario/index.js';
import { simulate } from '../../src/sim/simulate.js';
import { World } from '../../src/sim/world.js';
import { LINUX_EXACT, MS, SECOND, listeningPair } from './pair.js';

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

  it('a SYN dropped for a full SYN queue is traced as such, and is no listen overflow (the accept queue had room)', () => {
    const world = new World({ profile: { ...LINUX_EXACT, syncookies: false }, seed: 3, network: { latency: MS, jitter: 0, loss: 0, duplicate: 0, reorder: 0 }, trace: true, manualNetwork: true });
    const host = world.addHost('localhost', '127.0.0.1');
    const server = world.addProcess({ name: 'server', host, nofile: 64, baselineFds: 3 });
    const client = world.addProcess({ name: 'client', host, nofile: 64, baselineFds: 3 });
    world.listen(server, 8888, 0);
    world.connect(client, '127.0.0.1', 8888);
    world.connect(client, '127.0.0.1', 8888);
    world.runUntil(0);
    while (world.heldSegments().some((h) => h.segment.flags === SYN)) world.deliverHeld(world.heldSegments().findIndex((h) => h.segment.flags === SYN));
    expect(world.stateCounts(server)).toEqual({ LISTEN: 1, SYN_RECEIVED: 1 });
    expect([world.synDrops, world.listenOverflows]).toEqual([1, 0]);
    expect(world.trace().events.flatMap((e) => (e.kind === 'drop' ? [e.reason] : []))).toEqual(['syn-queue-full']);
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
    // no socket holds a cookie: the SYN is delivered to none, and the SYN,ACK is sent by none, once, empty
    const events = world.trace().events;
    const cookieAck = events.find((e) => e.kind === 'send' && e.segment.flags === (SYN | ACK) && e.segment.dst.port === world.socketView(client, second)!.local.port);
    const cookieSyn = events.find((e) => e.kind === 'send' && e.segment.flags === SYN && e.segment.src.port === world.socketView(client, second)!.local.port);
    expect(events.filter((e) => e.kind === 'deliver' && cookieSyn?.kind === 'send' && e.segmentId === cookieSyn.segmentId).map((e) => e.kind === 'deliver' && e.socket)).toEqual([null]);
    expect(cookieAck?.kind === 'send' && [cookieAck.socket, cookieAck.retransmission, cookieAck.segment.payload]).toEqual([-1, false, '']);
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

describe('an ACK at a listener that sends cookies', () => {
  it('makes a connection only if it returns a cookie: a forgotten connection’s ACK gets a RST', () => {
    const { world, client, server, listenFd } = listeningPair(0, true);
    const deliverAll = (): void => {
      while (world.heldSegments().length > 0) world.deliverHeld(0);
    };
    // a connection made before any overflow, then reset by the server with the RST lost
    const old = world.connect(client, '127.0.0.1', 8888) as number;
    world.runUntil(0);
    deliverAll();
    world.abort(server, world.accept(server, listenFd) as number);
    world.dropHeld(0);
    // an overflow: the listener now answers SYNs with cookies and checks ACKs for them
    for (let i = 0; i < 2; i++) world.connect(client, '127.0.0.1', 8888);
    world.runUntil(world.now);
    while (world.heldSegments().some((h) => h.segment.flags === SYN)) world.deliverHeld(world.heldSegments().findIndex((h) => h.segment.flags === SYN));
    expect(world.syncookiesSent).toBe(1);
    const established = world.stateCounts(server).ESTABLISHED ?? 0;
    // the old client, still ESTABLISHED, sends data: the ACK it carries is no cookie
    world.write(client, old, 'x');
    const oldPort = world.socketView(client, old)!.local.port;
    world.deliverHeld(world.heldSegments().findIndex((h) => h.segment.src.port === oldPort && h.segment.payload === 'x'));
    expect(world.stateCounts(server).ESTABLISHED ?? 0).toBe(established);
    expect(world.heldSegments().some((h) => h.segment.flags & RST && h.segment.dst.port === oldPort)).toBe(true);
  });
});

describe('how long a SYN cookie is checked for', () => {
  /** A cookie SYN,ACK sent at 1 s (backlog 0, a second SYN), its ACK reaching the listener at `ackAt`: the server's sockets after. */
  function cookieAckAt(ackAt: number) {
    const { world, client, server } = listeningPair(0, true);
    const port = (fd: number): number => world.socketView(client, fd)!.local.port;
    world.runUntil(SECOND);
    const first = world.connect(client, '127.0.0.1', 8888) as number;
    const second = world.connect(client, '127.0.0.1', 8888) as number;
    world.runUntil(SECOND);
    for (const fd of [first, second]) world.deliverHeld(world.heldSegments().findIndex((h) => h.segment.flags === SYN && h.segment.src.port === port(fd)));
    expect(world.syncookiesSent).toBe(1);
    // the client is still in SYN_SENT 2 minutes on (it gives up after 131 s); its SYN retransmissions are lost
    world.runUntil(ackAt - MS);
    world.deliverHeld(world.heldSegments().findIndex((h) => h.segment.flags === (SYN | ACK) && h.segment.dst.port === port(second)));
    world.runUntil(ackAt);
    world.deliverHeld(world.heldSegments().findIndex((h) => h.segment.flags === ACK && h.segment.src.port === port(second)));
    const reset = world.heldSegments().some((h) => (h.segment.flags & RST) !== 0 && h.segment.dst.port === port(second));
    return { established: world.stateCounts(server).ESTABLISHED ?? 0, reset };
  }

  it('until exactly 2 minutes after the last overflow (TCP_SYNCOOKIE_VALID): the ACK then still makes the connection, a microsecond later a RST', () => {
    expect(cookieAckAt(121 * SECOND)).toEqual({ established: 1, reset: false });
    expect(cookieAckAt(121 * SECOND + 1)).toEqual({ established: 0, reset: true });
  });
});

describe('old half-open connections, when the SYN queue is more than half full of them', () => {
  /**
   * Half-open connections whose SYN,ACKs never arrive, `n` of them at 0 and each later wave at its
   * time (s): how many are left at each tenth of a second they change. `completions`: at a time
   * (s), that many SYN,ACK retransmissions get through, and the clients' ACKs after them.
   */
  function shedding(n: number, backlog: number, waves: ReadonlyArray<[number, number]> = [], completions: ReadonlyArray<[number, number]> = []): Array<[number, number]> {
    const { world, client, server } = listeningPair(backlog, true);
    const connectNow = (count: number): void => {
      for (let i = 0; i < count; i++) world.connect(client, '127.0.0.1', 8888);
      world.runUntil(world.now);
      while (world.heldSegments().some((h) => h.segment.flags === SYN)) world.deliverHeld(world.heldSegments().findIndex((h) => h.segment.flags === SYN));
    };
    connectNow(n);
    const changes: Array<[number, number]> = [[0, world.stateCounts(server).SYN_RECEIVED ?? 0]];
    for (let t = 100 * MS; t <= 100 * SECOND; t += 100 * MS) {
      world.runUntil(t);
      for (const [at, count] of completions) {
        if (Math.round(at * SECOND) !== t) continue;
        for (let i = 0; i < count; i++) world.deliverHeld(world.heldSegments().findIndex((h) => h.segment.flags === (SYN | ACK)));
        while (world.heldSegments().some((h) => h.segment.flags === ACK)) world.deliverHeld(world.heldSegments().findIndex((h) => h.segment.flags === ACK));
      }
      // the network loses every SYN,ACK and SYN retransmission
      while (world.heldSegments().length > 0) world.dropHeld(0);
      for (const [at, count] of waves) if (Math.round(at * SECOND) === t) connectNow(count);
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

  it('young ones (before their first timeout) spare the old: 5 old and 4 young in a queue of 9 keep the old a retry longer', () => {
    // at 7 s the 5 from 0 s time out a third time (retries 2). With the 4 that came at 6.9 s still
    // young, 9 < 2·4 fails once: 4 retries, so they stay until 15 s (1+2+4+8). The 4 young, old
    // from 7.9 s, are cut to 2 retries and go at 6.9 + 1 + 2 + 4 = 13.9 s. At 15 s the first old
    // one to time out finds the queue more than half full (5·2 > 8) and goes; the other 4 then
    // do not (4·2 = 8) and get all 5 retries (63 s)
    expect(shedding(5, 8, [[6.9, 4]])).toEqual([
      [0, 5],
      [6.9, 9],
      [13.9, 5],
      [15, 4],
      [63, 0],
    ]);
    // without the young wave: at 7 s the first finds 5 of max(8, 8), none young, and goes; the other 4 stay to 63 s
    expect(shedding(5, 8)).toEqual([
      [0, 5],
      [7, 4],
      [63, 0],
    ]);
  });

  it('a request leaving the SYN queue stops counting as young only if it was young (Linux reqsk_queue_removed)', () => {
    // 4 of 9 complete before any timeout: the 5 left are all old after 1 s, as if the 4 had never
    // been there (5·2 > 8, none young: the first goes at 7 s); counted as young still, the 4 would
    // have kept all 5 retries for everyone (63 s)
    expect(shedding(9, 8, [], [[0.1, 4]])).toEqual([
      [0, 9],
      [0.1, 5],
      [7, 4],
      [63, 0],
    ]);
    // 3 of 8 complete at 1 s, already old: the young count stays 0. With the 4 young of 6.9 s the old
    // keep a retry longer, as in the test above; had the 3 taken 3 off the young count, the old
    // would have been cut to 2 retries at 7 s
    expect(shedding(8, 8, [[6.9, 4]], [[1, 3]])).toEqual([
      [0, 8],
      [1, 5],
      [6.9, 9],
      [13.9, 5],
      [15, 4],
      [63, 0],
    ]);
  });
});

describe('a SYN cookie’s ACK when the accept queue is full', () => {
  it('is dropped (backlog-full) and counted as a listen overflow: the cookie does not make a connection', () => {
    const { world, client, server, listenFd } = listeningPair(1);
    // 8 SYNs at once: two fit the SYN queue (backlog + 1), the other six get cookies; the two
    // handshakes fill the accept queue, so the six cookie ACKs find it full
    for (let i = 0; i < 8; i++) world.connect(client, '127.0.0.1', 8888);
    world.runUntil(20 * MS);
    expect(world.syncookiesSent).toBe(6);
    expect(world.listenOverflows).toBe(6);
    const drops = world.trace().events.filter((e) => e.kind === 'drop');
    expect(drops.map((e) => e.kind === 'drop' && e.reason)).toEqual(Array(6).fill('backlog-full'));
    expect(world.pendingConnections(server, listenFd)).toBe(2);
  });
});
