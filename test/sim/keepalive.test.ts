import { describe, expect, it } from 'vitest';
import { RST } from '../../src/model/segment.js';
import { LINUX_EXACT, MS, SECOND, connectedPair } from './pair.js';

/** Go's defaults (net.Dial / net.Listen): 15 s idle, 15 s between probes, tcp_keepalive_probes (9) of them. */
const GO_KEEPALIVE = { idle: 15 * SECOND, interval: 15 * SECOND, probes: 9 };


describe('SO_KEEPALIVE', () => {
  it('probes an idle connection every interval once it has been idle `idle`; answered probes keep it ESTABLISHED', () => {
    const p = connectedPair();
    expect(p.world.setKeepalive(p.server, p.serverFd, GO_KEEPALIVE)).toBe(0);
    const lastReceived = p.history('server').at(-1)!.at; // the handshake's ACK
    p.advance(100 * SECOND);
    const sent = p.probes('server');
    expect(sent.map((t) => t - lastReceived)).toEqual([15, 30, 45, 60, 75, 90].map((s) => s * SECOND + 2 * MS * [0, 1, 2, 3, 4, 5][s / 15 - 1]!));
    expect(p.states()).toEqual({ client: 'ESTABLISHED', server: 'ESTABLISHED' });
    // every answer resets the count: an hour of probes, far more than 9, and the connection lives
    p.advance(3_600 * SECOND);
    expect(p.probes('server').length).toBeGreaterThan(200);
    expect(p.states()).toEqual({ client: 'ESTABLISHED', server: 'ESTABLISHED' });
  });

  it('ends a forgotten CLOSE_WAIT: the peer answers the first probe after its orphan expired with RST; the fd stays open', () => {
    const p = connectedPair();
    p.world.setKeepalive(p.server, p.serverFd, GO_KEEPALIVE);
    p.world.close(p.client, p.clientFd);
    p.advance(SECOND);
    expect(p.states()).toEqual({ client: 'FIN_WAIT_2', server: 'CLOSE_WAIT' });
    const closeWaitAt = p.history('server').at(-1)!.at;
    // the client's orphaned FIN_WAIT_2 ends 60 s after it entered it; the probes at 15, 30, 45, 60 s are answered
    p.advance(60 * SECOND);
    expect(p.states()).toEqual({ client: 'CLOSED', server: 'CLOSE_WAIT' });
    p.advance(30 * SECOND);
    expect(p.states().server).toBe('CLOSED');
    const closedAt = p.history('server').at(-1)!.at;
    // probes leave 15 s after the last answer (15.011, 30.013, 45.015, 60.017 s, the client's
    // FIN_WAIT_2 lasting until 60.052 s); the one at 75.019 s finds no socket: RST, CLOSE_WAIT → CLOSED
    expect(p.probes('server')).toEqual([15_011, 30_013, 45_015, 60_017, 75_019].map((ms) => ms * MS));
    expect(closedAt - closeWaitAt).toBe(75 * SECOND + 10 * MS);
    const rst = p.world.trace().events.find((e) => e.kind === 'send' && (e.segment.flags & RST) !== 0);
    expect(rst).toBeDefined();
    // the program still holds the fd of a socket netstat no longer shows; its next write fails with EPIPE
    expect(p.world.stateOf(p.server, p.serverFd)).toBe('CLOSED');
    expect(p.world.fdsInUse(p.server)).toBe(3 + 2);
    expect(p.world.write(p.server, p.serverFd, 'late\n')).toBe('EPIPE');
  });

  it('gives up with RST and ETIMEDOUT after `probes` unanswered probes', () => {
    const p = connectedPair({ faults: [{ match: 'any', port: 8888, from: 20 * MS, until: 1_000 * SECOND, drop: 1 }] });
    p.world.setKeepalive(p.server, p.serverFd, { idle: 10 * SECOND, interval: 2 * SECOND, probes: 3 });
    const lastReceived = p.history('server').at(-1)!.at;
    p.advance(30 * SECOND);
    expect(p.states().server).toBe('CLOSED');
    const closedAt = p.history('server').at(-1)!.at;
    // probes at 10, 12, 14 s after the last segment; the fourth expiry (16 s) gives up
    expect(closedAt - lastReceived).toBe(16 * SECOND);
    const last = p.sends('server').at(-1)!;
    expect(last.flags & RST).toBe(RST);
    expect(p.world.errors(p.server).ETIMEDOUT).toBe(0); // nobody has read it yet
    expect(p.world.read(p.server, p.serverFd, { kind: 'line' })).toBe('ETIMEDOUT');
  });

  it('sends no probe while data is unacknowledged: the retransmission timer watches the peer then', () => {
    const p = connectedPair({ faults: [{ match: 'data', port: 8888, from: 0, until: 1_000 * SECOND, drop: 1 }] });
    p.world.setKeepalive(p.client, p.clientFd, { idle: 1 * SECOND, interval: 1 * SECOND, probes: 100 });
    p.world.write(p.client, p.clientFd, 'x');
    p.advance(10 * SECOND);
    expect(p.probes('client')).toEqual([]);
  });

  it('is off unless the program asks: a forgotten CLOSE_WAIT stays for good', () => {
    const p = connectedPair();
    p.world.close(p.client, p.clientFd);
    p.advance(3_600 * SECOND);
    expect(p.states()).toEqual({ client: 'CLOSED', server: 'CLOSE_WAIT' });
    expect(LINUX_EXACT.keepaliveTime).toBe(7_200 * SECOND);
  });
});
