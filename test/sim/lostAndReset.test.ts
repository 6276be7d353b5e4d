/**
 * The engine paths a hand-made bug went unnoticed in (issue 13): a connection reset while it
 * waits in the accept queue, data lost more than once, the RST a host sends for a connection it
 * does not know, and TIME_WAIT and FIN_WAIT_2 timed by their own profile values.
 */
import { describe, expect, it } from 'vitest';
import { ACK, PSH, RST } from '../../src/model/segment.js';
import type { TraceEvent } from '../../src/sim/trace.js';
import { LINUX_EXACT, MS, SECOND, connectedPair, listeningPair } from './pair.js';

type SendEvent = Extract<TraceEvent, { kind: 'send' }>;

describe('ESTABLISHED in the accept queue', () => {
  it('a connection reset while it waits is gone from the queue: accept() finds nothing, then the next one', () => {
    const { world, server, client, listenFd } = listeningPair(8);
    const first = world.connect(client, '127.0.0.1', 8888) as number;
    world.runUntil(10 * MS);
    expect(world.pendingConnections(server, listenFd)).toBe(1);
    // the client gives up before the server accepts: RST, the queued connection is CLOSED
    world.abort(client, first);
    world.runUntil(20 * MS);
    expect(world.pendingConnections(server, listenFd)).toBe(0);
    expect(world.accept(server, listenFd)).toBeNull();
    expect(world.sockets().filter((s) => s.role === 'server')).toEqual([]);
    // the queue still works: the next connection is the one accepted, alive
    const second = world.connect(client, '127.0.0.1', 8888) as number;
    world.runUntil(30 * MS);
    const fd = world.accept(server, listenFd) as number;
    expect(world.stateOf(server, fd)).toBe('ESTABLISHED');
    expect(world.socketView(server, fd)!.remote.port).toBe(world.socketView(client, second)!.local.port);
    expect(world.pendingConnections(server, listenFd)).toBe(0);
  });

  it('a reset in the queue among others takes only that one out, the rest keep their order', () => {
    const { world, server, client, listenFd } = listeningPair(8);
    const fds = [0, 1, 2].map(() => world.connect(client, '127.0.0.1', 8888) as number);
    world.runUntil(10 * MS);
    world.abort(client, fds[1]!);
    world.runUntil(20 * MS);
    expect(world.pendingConnections(server, listenFd)).toBe(2);
    const ports = [0, 2].map((i) => world.socketView(client, fds[i]!)!.local.port);
    const a = world.accept(server, listenFd) as number;
    const b = world.accept(server, listenFd) as number;
    expect([world.socketView(server, a)!.remote.port, world.socketView(server, b)!.remote.port]).toEqual(ports);
    expect(world.accept(server, listenFd)).toBeNull();
  });
});

describe('ESTABLISHED, data lost', () => {
  it('data lost twice is sent a third time, with the retransmission timer re-armed (and backed off) after each', () => {
    // drops every data segment towards the server from 10 ms to 450 ms: the send at 10 ms and the resends at 210 and 410 ms
    const p = connectedPair({ faults: [{ match: 'data', port: 8888, from: 10 * MS, until: 450 * MS, drop: 1 }] });
    const t0 = p.world.now;
    expect(p.world.write(p.client, p.clientFd, 'hello\n')).toBe(6);
    p.advance(2 * SECOND);
    const sends = p.sends('client').filter((s) => s.at >= t0 && s.payload === 'hello\n');
    // tail-loss probe one RTO after the send, then the RTO: 200 ms, 400 ms (doubling from the first retransmission)
    expect(sends.map((s) => (s.at - t0) / MS)).toEqual([0, 200, 400, 800]);
    expect(sends.every((s) => s.flags === (PSH | ACK))).toBe(true);
    expect(p.world.read(p.server, p.serverFd, { kind: 'line' })).toEqual({ data: 'hello\n', eof: false });
    // acknowledged: no further resend
    p.advance(10 * SECOND);
    expect(p.sends('client').filter((s) => s.at >= t0 && s.payload === 'hello\n')).toHaveLength(4);
  });
});

describe('a segment for a connection the host does not know', () => {
  it('is answered with a RST whose SEQ is the segment’s ACK, which the peer accepts: ECONNRESET, CLOSED', () => {
    // the server's socket disappears without a word reaching the client: its RST (sent at 10 ms) is lost
    const p = connectedPair({ faults: [{ match: 'rst', from: 10 * MS, until: 11 * MS, drop: 1 }] });
    const lost = p.world.now;
    p.world.abort(p.server, p.serverFd);
    p.world.runUntil(lost + 5 * MS);
    expect(p.states()).toEqual({ client: 'ESTABLISHED', server: 'CLOSED' });
    // the client writes: the server's host has no socket for it and resets it (RFC 9293 §3.10.7.1)
    const t0 = p.world.now;
    p.world.write(p.client, p.clientFd, 'anyone?\n');
    p.advance(5 * MS);
    const events = p.world.trace().events;
    const data = events.find((e): e is SendEvent => e.kind === 'send' && e.at >= t0 && e.segment.payload === 'anyone?\n')!;
    const rst = events.find((e): e is SendEvent => e.kind === 'send' && e.at >= t0 && (e.segment.flags & RST) !== 0)!;
    expect(rst.segment.flags).toBe(RST);
    expect(rst.segment.seq).toBe(data.segment.ack);
    expect(rst.segment.ack).toBe(0);
    expect(p.states().client).toBe('CLOSED');
    expect(p.world.read(p.client, p.clientFd, { kind: 'line' })).toBe('ECONNRESET');
    // and no retransmission of the data follows
    p.advance(5 * SECOND);
    expect(events.filter((e) => e.kind === 'send' && e.at >= t0 && e.segment.payload === 'anyone?\n')).toHaveLength(1);
  }, 20_000);
});

describe('TIME_WAIT and FIN_WAIT_2 each on its own timer', () => {
  const profile = { ...LINUX_EXACT, timeWait: 30 * SECOND, finTimeout: 45 * SECOND };

  it('TIME_WAIT lasts timeWait, not tcp_fin_timeout', () => {
    const p = connectedPair({ profile });
    p.world.close(p.client, p.clientFd);
    p.advance(100 * MS);
    p.world.close(p.server, p.serverFd);
    p.advance(5 * MS);
    expect(p.states().client).toBe('TIME_WAIT');
    const entered = p.history('client').find((h) => h.to === 'TIME_WAIT')!.at;
    p.world.runUntil(entered + 30 * SECOND - 1);
    expect(p.states().client).toBe('TIME_WAIT');
    p.world.runUntil(entered + 30 * SECOND);
    expect(p.states().client).toBe('CLOSED');
  });

  it('an orphaned FIN_WAIT_2 lasts tcp_fin_timeout, not timeWait', () => {
    const p = connectedPair({ profile });
    p.world.close(p.client, p.clientFd);
    p.advance(100 * MS);
    const entered = p.history('client').find((h) => h.to === 'FIN_WAIT_2')!.at;
    p.world.runUntil(entered + 45 * SECOND - 1);
    expect(p.states().client).toBe('FIN_WAIT_2');
    p.world.runUntil(entered + 45 * SECOND);
    expect(p.states().client).toBe('CLOSED');
  });
});
