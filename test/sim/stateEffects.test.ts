/**
 * What a state change does besides the state: a socket reaching CLOSED is forgotten unless an
 * fd still holds it, and a client's port goes back to the pool; a RST in CLOSE_WAIT leaves EPIPE
 * (Linux tcp_reset); TIME_WAIT stops the keepalive timer; ACKs and RSTs the table sends are not
 * retransmissions; a trace limited to some connections records only their state changes.
 */
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/index.js';
import { simulate } from '../../src/sim/simulate.js';
import { TIMER_SLOTS } from '../../src/sim/socket.js';
import { World } from '../../src/sim/world.js';
import { connectedPair, heldConnection, LINUX_EXACT, MS, SECOND } from './pair.js';

describe('reaching CLOSED', () => {
  it('after the close handshake only the listener is left; a reset socket stays while its fd is open', () => {
    const pair = connectedPair();
    pair.world.close(pair.client, pair.clientFd);
    pair.advance(100 * MS);
    pair.world.close(pair.server, pair.serverFd);
    pair.world.runUntilQuiet();
    expect(pair.world.sockets().map((s) => `${s.role} ${s.state}`)).toEqual(['listener LISTEN']);

    const reset = connectedPair();
    reset.world.abort(reset.server, reset.serverFd);
    reset.advance(10 * MS);
    expect(reset.world.sockets().map((s) => `${s.role} ${s.state}`)).toEqual(['listener LISTEN', 'client CLOSED']);
    expect(reset.world.stateCounts(reset.client)).toEqual({});
    reset.world.close(reset.client, reset.clientFd);
    expect(reset.world.sockets().map((s) => s.role)).toEqual(['listener']);
  });

  it('a client that reaches CLOSED gives its port back; a server socket gives back nothing', () => {
    const world = new World({
      profile: { ...LINUX_EXACT, ephemeralPorts: [40_000, 40_001] },
      seed: 1,
      network: { latency: MS, jitter: 0, loss: 0, duplicate: 0, reorder: 0 },
    });
    const host = world.addHost('h', '127.0.0.1');
    const server = world.addProcess({ name: 'server', host, nofile: 64, baselineFds: 3 });
    const client = world.addProcess({ name: 'client', host, nofile: 64, baselineFds: 3 });
    const listenFd = world.listen(server, 80, 8) as number;
    // two connections take both ports; each is reset (no TIME_WAIT) and its port comes back
    for (let round = 0; round < 3; round++) {
      const fds = [world.connect(client, '127.0.0.1', 80), world.connect(client, '127.0.0.1', 80)] as number[];
      expect(fds.every((fd) => typeof fd === 'number')).toBe(true);
      expect(world.connect(client, '127.0.0.1', 80)).toBe('EADDRNOTAVAIL');
      world.runUntil(world.now + 10 * MS);
      for (const fd of fds) world.abort(client, fd);
      while (world.accept(server, listenFd) !== null);
      world.runUntil(world.now + 10 * MS);
    }
    expect(world.errors(client).EADDRNOTAVAIL).toBe(3);
  });
});

describe('errors a state change leaves', () => {
  it('a RST in CLOSE_WAIT leaves EPIPE, not ECONNRESET, as the socket’s error', () => {
    const pair = connectedPair();
    pair.world.shutdown(pair.client, pair.clientFd);
    pair.advance(100 * MS);
    expect(pair.states().server).toBe('CLOSE_WAIT');
    pair.world.abort(pair.client, pair.clientFd);
    pair.advance(10 * MS);
    // the stream had ended: reads still say EOF; the error goes to the next call that reports one
    expect(pair.world.read(pair.server, pair.serverFd, { kind: 'eof' })).toEqual({ data: '', eof: true });
    expect(pair.world.connectOutcome(pair.server, pair.serverFd)).toBe('EPIPE');
    expect(pair.world.errors(pair.server)).toMatchObject({ EPIPE: 1, ECONNRESET: 0 });
  });
});

describe('timers a state ends', () => {
  it('TIME_WAIT stops the keepalive timer', () => {
    const pair = connectedPair();
    pair.world.setKeepalive(pair.client, pair.clientFd, { idle: SECOND, interval: SECOND, probes: 3 });
    pair.world.shutdown(pair.client, pair.clientFd);
    pair.advance(100 * MS);
    pair.world.close(pair.server, pair.serverFd);
    pair.advance(10 * MS);
    expect(pair.states().client).toBe('TIME_WAIT');
    pair.advance(30 * SECOND);
    expect(pair.world.expiries[TIMER_SLOTS.indexOf('keepalive')]).toBe(0);
    expect(pair.probes('client')).toEqual([]);
  });
});

describe('the trace', () => {
  it('flags only real retransmissions', () => {
    const pair = connectedPair();
    pair.world.close(pair.client, pair.clientFd);
    pair.advance(100 * MS);
    pair.world.abort(pair.server, pair.serverFd);
    pair.world.runUntilQuiet();
    const sends = pair.world.trace().events.filter((e) => e.kind === 'send');
    expect(sends.length).toBeGreaterThan(4);
    expect(sends.filter((e) => e.kind === 'send' && e.retransmission)).toEqual([]);
  });

  it('limited to some connections, records only their sockets’ state changes', () => {
    const scenario = loadScenarioText(
      `processes:
  server: { listen: 80, onConnection: [ { read: eof }, close ] }
  client: { connections: 3, steps: [ { connect: server }, close ] }
sample: { every: 1s, until: 2m }
`,
      'three.yaml',
    );
    const r = simulate(scenario, { trace: (conn) => conn === 1 });
    const trace = r.world.trace();
    const conns = new Map(trace.sockets.map((s) => [s.id, s.conn]));
    const stateConns = new Set(trace.events.filter((e) => e.kind === 'state').map((e) => (e.kind === 'state' ? conns.get(e.socket) : -2)));
    expect([...stateConns]).toEqual([1]);
  });

  it("limited to some connections, leaves out a process's exit, which belongs to none", () => {
    const scenario = loadScenarioText(
      `processes:
  server: { listen: 80, onConnection: [ { read: eof }, close ] }
  client: { connections: 1, steps: [ { connect: server }, exit ] }
sample: { every: 1s, until: 2s }
`,
      'exit.yaml',
    );
    const exits = (trace: ReturnType<typeof simulate>) => trace.world.trace().events.filter((e) => e.kind === 'call' && e.call === 'exit').length;
    expect(exits(simulate(scenario, { trace: true }))).toBe(1);
    expect(exits(simulate(scenario, { trace: (conn) => conn === 1 }))).toBe(0);
  });
});

describe('timers a state keeps', () => {
  it('data lost before the peer’s FIN is still retransmitted from CLOSE_WAIT', () => {
    const { world, client, server, fd, serverFd } = heldConnection();
    world.write(client, fd, 'lost');
    world.dropHeld(0);
    world.shutdown(server, serverFd);
    world.deliverHeld(0);
    expect(world.stateOf(client, fd)).toBe('CLOSE_WAIT');
    world.runUntil(world.now + 2 * SECOND);
    expect(world.heldSegments().some((h) => h.segment.payload === 'lost')).toBe(true);
  });
});
