/**
 * Where the kernel stops trying, and what it sends when it does not know the connection:
 * data that is never acknowledged is retransmitted finRetries + 1 times (Linux tcp_retries2
 * with the tail loss probe) and the write side ends with ETIMEDOUT; the RST answering a segment
 * for no socket carries no payload and is not a retransmission; keepalive does not probe a
 * socket still connecting, nor one the program has closed; connect() skips a port a listener
 * holds.
 */
import { describe, expect, it } from 'vitest';
import { RST, SYN } from '../../src/model/segment.js';
import { TIMER_SLOTS } from '../../src/sim/socket.js';
import { World } from '../../src/sim/world.js';
import { connectedPair, heldConnection, LINUX_EXACT, listeningPair, MS, SECOND } from './pair.js';

describe('giving up on data', () => {
  it('data never acknowledged: finRetries + 1 retransmissions (tail loss probe), then ETIMEDOUT', () => {
    const { world, client, fd } = heldConnection();
    expect(world.write(client, fd, 'lost')).toBe(4);
    for (let t = 0; t < 4000 && world.stateOf(client, fd) !== 'CLOSED'; t++) {
      while (world.heldSegments().length > 0) world.dropHeld(0);
      world.runUntil(world.now + SECOND);
    }
    const id = world.socketView(client, fd)!.id;
    const retransmissions = world.trace().events.filter((e) => e.kind === 'send' && e.socket === id && e.retransmission);
    expect(retransmissions).toHaveLength(LINUX_EXACT.finRetries + 1);
    expect(world.expiries[TIMER_SLOTS.indexOf('dataRto')]).toBe(LINUX_EXACT.finRetries + 2);
    expect(world.write(client, fd, 'more')).toBe('ETIMEDOUT');
    // the error reported, the CLOSED socket reads as the end of the stream, at once
    expect(world.read(client, fd, { kind: 'eof' })).toEqual({ data: '', eof: true });
  });
});

describe('a segment for no socket', () => {
  it('an ACK for a connection the host has forgotten: RST with SEQ = its ACK, no payload, not a retransmission', () => {
    const { world, client, server, fd, serverFd } = heldConnection();
    // the server resets, and its RST is lost: the client still thinks it is connected
    world.abort(server, serverFd);
    world.dropHeld(0);
    world.write(client, fd, 'x');
    const ack = world.heldSegments()[0]!.segment.ack;
    world.deliverHeld(0);
    const rst = world.heldSegments()[0]!;
    expect([rst.segment.flags, rst.segment.seq, rst.segment.payload]).toEqual([RST, ack, '']);
    const sent = world.trace().events.find((e) => e.kind === 'send' && e.segmentId === rst.segmentId);
    expect(sent?.kind === 'send' && [sent.retransmission, sent.socket]).toEqual([false, -1]);
  });

  it('a SYN to a port nobody listens on: RST,ACK acknowledging it, with no payload', () => {
    const { world, client } = listeningPair(8);
    const fd = world.connect(client, '127.0.0.1', 9) as number;
    world.runUntil(10 * MS);
    const rst = world.trace().events.find((e) => e.kind === 'send' && e.segment.flags & RST);
    expect(rst?.kind === 'send' && [rst.segment.seq, rst.segment.payload, rst.retransmission, rst.socket]).toEqual([0, '', false, -1]);
    expect(world.connectOutcome(client, fd)).toBe('ECONNREFUSED');
  });
});

describe('keepalive probes only a connected socket a program holds', () => {
  const slot = TIMER_SLOTS.indexOf('keepalive');

  it('a socket still in SYN_SENT is not probed', () => {
    const { world, client } = listeningPair(8, true);
    const fd = world.connect(client, '127.0.0.1', 8888) as number;
    world.setKeepalive(client, fd, { idle: 100 * MS, interval: 100 * MS, probes: 2 });
    world.runUntil(500 * MS);
    expect(world.stateOf(client, fd)).toBe('SYN_SENT');
    // only the SYN, held: no probe went out
    expect(world.heldSegments().map((h) => h.segment.flags)).toEqual([SYN]);
    expect(world.expiries[slot]).toBe(1);
  });

  it('an orphaned socket (FIN_WAIT_2 after close) is not probed', () => {
    const pair = connectedPair();
    pair.world.setKeepalive(pair.client, pair.clientFd, { idle: SECOND, interval: SECOND, probes: 2 });
    pair.world.close(pair.client, pair.clientFd);
    pair.advance(10 * SECOND);
    expect(pair.states().client).toBe('FIN_WAIT_2');
    expect(pair.probes('client')).toEqual([]);
  });
});

describe('connect() and ports a listener holds', () => {
  it('skips an ephemeral port a listener on the same host has bound', () => {
    const world = new World({ profile: { ...LINUX_EXACT, ephemeralPorts: [40_000, 40_002] }, seed: 1, network: { latency: MS, jitter: 0, loss: 0, duplicate: 0, reorder: 0 } });
    const host = world.addHost('h', '127.0.0.1');
    const server = world.addProcess({ name: 'server', host, nofile: 64, baselineFds: 3 });
    const client = world.addProcess({ name: 'client', host, nofile: 64, baselineFds: 3 });
    world.listen(server, 80, 8);
    const held = [40_000, 40_001, 40_002].map((port) => world.listen(server, port, 8) as number);
    world.close(server, held[1]!);
    const fd = world.connect(client, '127.0.0.1', 80) as number;
    expect(world.socketView(client, fd)!.local.port).toBe(40_001);
    expect(world.connect(client, '127.0.0.1', 80)).toBe('EADDRNOTAVAIL');
  });
});

describe('a window that opens', () => {
  it('sends what waited behind it at once, when the window update arrives, as a retransmission', () => {
    const pair = connectedPair({ profile: { ...LINUX_EXACT, rcvBuf: 8 } });
    const { world, client, server, serverFd } = pair;
    world.write(client, pair.clientFd, '0123456789');
    pair.advance(10 * MS);
    // the server took 8 bytes; the window is shut and "89" waits
    expect(world.read(server, serverFd, { kind: 'upTo', count: 100 })).toEqual({ data: '01234567', eof: false });
    const opened = world.now;
    pair.advance(2 * MS);
    // (the outstanding segment goes again whole; the receiver keeps only what is new)
    const resent = pair.sends('client').filter((s) => s.payload !== '' && s.at > opened);
    expect(resent.map((s) => s.at)).toEqual([opened + MS]);
    const id = world.socketView(client, pair.clientFd)!.id;
    const flagged = world.trace().events.filter((e) => e.kind === 'send' && e.socket === id && e.at === opened + MS);
    expect(flagged.map((e) => e.kind === 'send' && e.retransmission)).toEqual([true]);
    expect(world.read(server, serverFd, { kind: 'upTo', count: 100 })).toEqual({ data: '89', eof: false });
  });
});

describe('the retransmission timer', () => {
  /** Client writes "a", then "b" 50 ms later, both held; the ACK of "a" arrives at `ackAt` (or never); returns when "b" went again. */
  function resendOfB(ackAt: number | null): number {
    const { world, client, server, fd, serverFd } = heldConnection();
    const t0 = world.now;
    world.write(client, fd, 'a');
    world.runUntil(t0 + 50 * MS);
    world.write(client, fd, 'b');
    world.runUntil(t0 + 100 * MS);
    // "a" reaches the server; its delayed ACK is held
    world.deliverHeld(world.heldSegments().findIndex((h) => h.segment.payload === 'a'));
    if (ackAt !== null) {
      world.runUntil(t0 + ackAt);
      const ack = world.heldSegments().findIndex((h) => h.segment.payload === '' && h.segment.dst.port === world.socketView(client, fd)!.local.port);
      world.deliverHeld(ack);
    }
    expect(world.read(server, serverFd, { kind: 'bytes', count: 1 })).toEqual({ data: 'a', eof: false });
    world.runUntil(t0 + 5 * SECOND);
    const id = world.socketView(client, fd)!.id;
    const again = world.trace().events.find((e) => e.kind === 'send' && e.socket === id && e.retransmission && e.segment.payload.includes('b'));
    return again!.at - t0;
  }

  it('restarts when an ACK acknowledges new data and data is still outstanding (RFC 6298 5.3)', () => {
    const unacknowledged = resendOfB(null);
    // acknowledged 150 ms in: "b" goes again one RTO after that ACK, 150 ms later than without it
    expect(resendOfB(150 * MS) - unacknowledged).toBe(150 * MS);
  });
});

describe('a peer whose window stays shut', () => {
  it('is probed, not given up on, while the program holds the fd', () => {
    const pair = connectedPair({ profile: { ...LINUX_EXACT, rcvBuf: 8 } });
    pair.world.write(pair.client, pair.clientFd, 'more than eight bytes');
    // the server never reads: the window stays at 0 for half an hour
    pair.advance(30 * 60 * SECOND);
    expect(pair.states().client).toBe('ESTABLISHED');
    expect(pair.world.expiries[TIMER_SLOTS.indexOf('dataRto')]).toBeGreaterThan(LINUX_EXACT.finRetries + 2);
    expect(pair.world.write(pair.client, pair.clientFd, '!')).toBe(1);
  });
});
