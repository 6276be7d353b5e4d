import { describe, expect, it } from 'vitest';
import { LINUX, RFC9293 } from '../../src/model/profile.js';
import { ACK, FIN, PSH } from '../../src/model/segment.js';
import { LINUX_EXACT, MS, SECOND, connectedPair } from './pair.js';

/** Linux's delayed ACK of a FIN received in ESTABLISHED (TCP_ATO_MIN). */
const DEL_ACK = LINUX.delAck!;

describe('ESTABLISHED, receiving a FIN (Linux delays the ACK)', () => {
  it('ACKs the FIN when the delayed-ACK timer expires: the closer waits in FIN_WAIT_1 until then', () => {
    const p = connectedPair();
    const t0 = p.world.now;
    p.world.close(p.client, p.clientFd);
    p.advance(MS + DEL_ACK);
    expect(p.states()).toEqual({ client: 'FIN_WAIT_1', server: 'CLOSE_WAIT' });
    p.advance(MS);
    expect(p.states()).toEqual({ client: 'FIN_WAIT_2', server: 'CLOSE_WAIT' });
    expect(p.sends('server').filter((s) => s.at > t0)).toMatchObject([{ at: t0 + MS + DEL_ACK, flags: ACK, payload: '' }]);
    expect(p.history('client').find((h) => h.to === 'FIN_WAIT_2')!.at - t0).toBe(MS + DEL_ACK + MS);
  });

  it('a close() within the delay sends the ACK with the FIN: three segments, FIN_WAIT_1 straight to TIME_WAIT', () => {
    const p = connectedPair();
    const t0 = p.world.now;
    p.world.close(p.client, p.clientFd);
    p.advance(10 * MS);
    p.world.close(p.server, p.serverFd);
    p.advance(DEL_ACK + 5 * MS);
    expect(p.states()).toEqual({ client: 'TIME_WAIT', server: 'CLOSED' });
    expect(p.sends('server').filter((s) => s.at > t0).map((s) => s.flags)).toEqual([FIN | ACK]);
    expect(p.history('client').map((h) => h.to).slice(-2)).toEqual(['FIN_WAIT_1', 'TIME_WAIT']);
    expect(p.history('server').map((h) => h.to).slice(-3)).toEqual(['CLOSE_WAIT', 'LAST_ACK', 'CLOSED']);
  });

  it('a write() within the delay carries the ACK: no pure ACK follows', () => {
    const p = connectedPair();
    const t0 = p.world.now;
    p.world.shutdown(p.client, p.clientFd);
    p.advance(10 * MS);
    p.world.write(p.server, p.serverFd, 'last words\n');
    p.advance(DEL_ACK + 5 * MS);
    expect(p.sends('server').filter((s) => s.at > t0).map((s) => s.flags)).toEqual([PSH | ACK]);
    expect(p.states()).toEqual({ client: 'FIN_WAIT_2', server: 'CLOSE_WAIT' });
  });

  it('rfc9293 profile: the FIN is ACKed at once', () => {
    const p = connectedPair({ profile: RFC9293 });
    const t0 = p.world.now;
    p.world.close(p.client, p.clientFd);
    p.advance(2 * MS);
    expect(p.states()).toEqual({ client: 'FIN_WAIT_2', server: 'CLOSE_WAIT' });
    expect(p.sends('server').filter((s) => s.at > t0)).toMatchObject([{ at: t0 + MS, flags: ACK, payload: '' }]);
  });
});

describe('ESTABLISHED', () => {
  it('normal close: the active closer sits in TIME_WAIT for exactly the profile TIME_WAIT, then CLOSED', () => {
    const p = connectedPair();
    const t0 = p.world.now;
    p.world.close(p.client, p.clientFd);
    p.advance(DEL_ACK + 5 * MS);
    expect(p.states()).toEqual({ client: 'FIN_WAIT_2', server: 'CLOSE_WAIT' });
    p.world.close(p.server, p.serverFd);
    p.advance(5 * MS);
    expect(p.states()).toEqual({ client: 'TIME_WAIT', server: 'CLOSED' });
    const client = p.history('client');
    const timeWait = client.find((h) => h.to === 'TIME_WAIT')!.at;
    p.advance(LINUX.timeWait);
    const closed = p.history('client').find((h) => h.to === 'CLOSED')!.at;
    expect(closed - timeWait).toBe(LINUX.timeWait);
    expect(p.history('client').map((h) => h.to)).toEqual(['SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT', 'CLOSED']);
    expect(timeWait - t0).toBe(DEL_ACK + 5 * MS + MS);
  });

  it('shutdown() without close(): TIME_WAIT held by the fd, seen through it for exactly TIME_WAIT, then CLOSED; close() frees the fd', () => {
    // the small TIME_WAIT form is for sockets nobody holds: one behind an fd must stay whole
    const p = connectedPair();
    expect(p.world.shutdown(p.client, p.clientFd)).toBe(0);
    p.advance(DEL_ACK + 5 * MS);
    p.world.close(p.server, p.serverFd);
    p.advance(5 * MS);
    expect(p.world.stateOf(p.client, p.clientFd)).toBe('TIME_WAIT');
    const timeWait = p.history('client').find((h) => h.to === 'TIME_WAIT')!.at;
    p.world.runUntil(timeWait + LINUX.timeWait - 1);
    expect(p.world.stateOf(p.client, p.clientFd)).toBe('TIME_WAIT');
    p.world.runUntil(timeWait + LINUX.timeWait);
    expect(p.world.stateOf(p.client, p.clientFd)).toBe('CLOSED');
    const before = p.world.fdsInUse(p.client);
    expect(p.world.close(p.client, p.clientFd)).toBe(0);
    expect(p.world.fdsInUse(p.client)).toBe(before - 1);
  });

  it('normal close: the passive closer goes CLOSE_WAIT, LAST_ACK, CLOSED one round trip after its close', () => {
    const p = connectedPair();
    p.world.close(p.client, p.clientFd);
    p.advance(5 * MS);
    const t1 = p.world.now;
    p.world.close(p.server, p.serverFd);
    p.advance(5 * MS);
    const server = p.history('server');
    expect(server.map((h) => h.to)).toEqual(['SYN_RECEIVED', 'ESTABLISHED', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED']);
    expect(server.at(-1)!.at - t1).toBe(2 * MS);
  });

  it('rfc9293 profile: TIME_WAIT lasts 2 MSL = 4 minutes', () => {
    const p = connectedPair({ profile: RFC9293 });
    p.world.close(p.client, p.clientFd);
    p.advance(5 * MS);
    p.world.close(p.server, p.serverFd);
    p.advance(5 * MS + 239 * SECOND);
    expect(p.states().client).toBe('TIME_WAIT');
    p.advance(SECOND);
    expect(p.states().client).toBe('CLOSED');
  });

  it('abort sends RST: both sides CLOSED at once, no TIME_WAIT, the peer reads ECONNRESET', () => {
    const p = connectedPair();
    p.world.abort(p.client, p.clientFd);
    p.advance(5 * MS);
    expect(p.states()).toEqual({ client: 'CLOSED', server: 'CLOSED' });
    expect(p.world.read(p.server, p.serverFd, { kind: 'line' })).toBe('ECONNRESET');
    expect(p.history('client').map((h) => h.to)).not.toContain('TIME_WAIT');
    expect(p.history('server').map((h) => h.to)).not.toContain('TIME_WAIT');
  });

  it('close with unread data sends RST, not FIN (linux profile): no TIME_WAIT on either side', () => {
    const p = connectedPair();
    p.world.write(p.client, p.clientFd, 'never read\n');
    p.advance(5 * MS);
    p.world.close(p.server, p.serverFd);
    p.advance(5 * MS);
    expect(p.states()).toEqual({ client: 'CLOSED', server: 'CLOSED' });
    expect(p.finSends('server')).toEqual([]);
    expect(p.world.read(p.client, p.clientFd, { kind: 'eof' })).toBe('ECONNRESET');
    for (const side of ['client', 'server'] as const) expect(p.history(side).map((h) => h.to)).not.toContain('TIME_WAIT');
  });

  it('close with unread data sends FIN when the profile says so', () => {
    const p = connectedPair({ profile: { ...LINUX_EXACT, rstOnUnreadClose: false } });
    p.world.write(p.client, p.clientFd, 'never read\n');
    p.advance(5 * MS);
    p.world.close(p.server, p.serverFd);
    p.advance(DEL_ACK + 5 * MS);
    expect(p.states()).toEqual({ client: 'CLOSE_WAIT', server: 'FIN_WAIT_2' });
  });
});

describe('FIN_WAIT_1', () => {
  it('simultaneous close: both sides pass through CLOSING to TIME_WAIT', () => {
    const p = connectedPair();
    p.world.close(p.client, p.clientFd);
    p.world.close(p.server, p.serverFd);
    p.advance(5 * MS);
    expect(p.states()).toEqual({ client: 'TIME_WAIT', server: 'TIME_WAIT' });
    for (const side of ['client', 'server'] as const) {
      expect(p.history(side).map((h) => h.to).slice(-3)).toEqual(['FIN_WAIT_1', 'CLOSING', 'TIME_WAIT']);
    }
  });

  it('simultaneous close on loopback: FINs queued behind unread data (the kernel recipe) cross, CLOSING then TIME_WAIT', () => {
    // both stop reading, both write more than the peer's receive buffer, both shut down
    const p = connectedPair();
    const half = 'x'.repeat(512 * 1024);
    p.world.write(p.client, p.clientFd, half);
    p.world.write(p.server, p.serverFd, half);
    p.world.shutdown(p.client, p.clientFd);
    p.world.shutdown(p.server, p.serverFd);
    p.advance(10 * SECOND);
    // each FIN waits behind data the other side has no room for: both stay in FIN_WAIT_1, probing the zero window
    expect(p.states()).toEqual({ client: 'FIN_WAIT_1', server: 'FIN_WAIT_1' });
    const drain = (side: 'client' | 'server'): number => {
      let bytes = 0;
      for (let i = 0; i < 20; i++) {
        const got = p.world.read(p[side], side === 'client' ? p.clientFd : p.serverFd, { kind: 'eof' });
        if (got && typeof got !== 'string') bytes += got.data.length;
        p.advance(10 * MS);
      }
      return bytes;
    };
    // the server resumes reading: it takes all the client's data and FIN, while its own FIN is still stuck
    expect(drain('server')).toBe(half.length);
    expect(p.states()).toEqual({ client: 'FIN_WAIT_2', server: 'CLOSING' });
    // the client resumes: the server's FIN gets through, and both end in TIME_WAIT
    expect(drain('client')).toBe(half.length);
    expect(p.states()).toEqual({ client: 'TIME_WAIT', server: 'TIME_WAIT' });
    expect(p.world.errors().ETIMEDOUT).toBe(0);
  });

  it('a zero window is probed with the RTO doubling, and never given up on while the program holds the fd', () => {
    const p = connectedPair();
    const t0 = p.world.now;
    p.world.write(p.client, p.clientFd, 'x'.repeat(512 * 1024));
    p.world.shutdown(p.client, p.clientFd);
    p.advance(600 * SECOND);
    const probes = [...new Set(p.sends('client').filter((s) => s.at >= t0 && s.payload.length > 0).map((s) => s.at))];
    const gaps = probes.slice(1).map((at, i) => at - probes[i]!);
    // Linux tcp_probe0_when: rto << backoff (measured: a 1.632 s interval after three probes)
    expect(gaps.slice(0, 6)).toEqual([200, 400, 800, 1600, 3200, 6400].map((ms) => ms * MS));
    expect(Math.max(...gaps)).toBe(LINUX.rtoMax);
    expect(p.states().client).toBe('FIN_WAIT_1');
  });

  it('a FIN that also acknowledges our FIN goes straight to TIME_WAIT', () => {
    // the server's lone ACK of the client's FIN is lost; its FIN, sent just after, carries that ACK
    const p = connectedPair({ faults: [{ match: 'any', port: 8888, from: 11 * MS, until: 11 * MS + 1, drop: 1 }] });
    p.world.close(p.client, p.clientFd); // at 10 ms; FIN reaches the server at 11 ms
    p.advance(MS + MS / 2);
    expect(p.states().server).toBe('CLOSE_WAIT');
    p.world.close(p.server, p.serverFd);
    p.advance(5 * MS);
    expect(p.history('client').map((h) => h.to).slice(-2)).toEqual(['FIN_WAIT_1', 'TIME_WAIT']);
  });

  it('a lost FIN is probed once after one RTO, then retransmitted with the RTO doubling (Linux: 200, 400, 800, 1600 ms after the FIN)', () => {
    const p = connectedPair({ faults: [{ match: 'fin', port: 8888, from: 0, until: 2 * SECOND, drop: 1 }] });
    const t0 = p.world.now;
    p.world.close(p.client, p.clientFd);
    p.advance(5 * SECOND);
    // measured on loopback with nft dropping FINs: ≈211, 423, 847, 1701, 3339 ms (docs/real-mode-facts.md)
    expect(p.finSends('client').map((t) => (t - t0) / MS)).toEqual([0, 200, 400, 800, 1600, 3200]);
    expect(p.states()).toEqual({ client: 'FIN_WAIT_2', server: 'CLOSE_WAIT' });
  });

  it('without the tail-loss probe (RFC 6298) the RTO doubles from the first retransmission', () => {
    const p = connectedPair({ profile: { ...LINUX_EXACT, tailLossProbe: false }, faults: [{ match: 'fin', port: 8888, from: 0, until: 2 * SECOND, drop: 1 }] });
    const t0 = p.world.now;
    p.world.close(p.client, p.clientFd);
    p.advance(5 * SECOND);
    expect(p.finSends('client').map((t) => (t - t0) / MS)).toEqual([0, 200, 600, 1400, 3000]);
  });

  it('a FIN that is never acknowledged ends the orphaned socket after the probe and the retry limit', () => {
    const p = connectedPair({ faults: [{ match: 'fin', port: 8888, from: 0, until: 1000 * SECOND, drop: 1 }] });
    const t0 = p.world.now;
    p.world.close(p.client, p.clientFd);
    // probe at 200 ms, then 8 retransmissions 200 ms × 2^k apart, then one more RTO (200 ms × 2^8) before giving up:
    // 200 + 200 × (2^9 − 1) = 102.4 s
    p.advance(102 * SECOND);
    expect(p.states().client).toBe('FIN_WAIT_1');
    p.advance(SECOND);
    expect(p.states().client).toBe('CLOSED');
    expect(p.finSends('client')).toHaveLength(1 + 1 + LINUX.finRetries);
    expect(p.history('client').at(-1)!.at - t0).toBe(102_400 * MS);
  });
});

describe('FIN_WAIT_2', () => {
  it('an orphaned FIN_WAIT_2 expires after tcp_fin_timeout', () => {
    const p = connectedPair();
    p.world.close(p.client, p.clientFd);
    p.advance(DEL_ACK + 5 * MS);
    const entered = p.history('client').find((h) => h.to === 'FIN_WAIT_2')!.at;
    p.advance(LINUX.finTimeout!);
    expect(p.states()).toEqual({ client: 'CLOSED', server: 'CLOSE_WAIT' });
    expect(p.history('client').at(-1)!.at - entered).toBe(LINUX.finTimeout);
  });

  it('a FIN_WAIT_2 whose program still holds the fd never expires', () => {
    const p = connectedPair();
    p.world.shutdown(p.client, p.clientFd);
    p.advance(10 * 3600 * SECOND);
    expect(p.states()).toEqual({ client: 'FIN_WAIT_2', server: 'CLOSE_WAIT' });
  });

  it('closing a half-closed socket starts tcp_fin_timeout from the close', () => {
    const p = connectedPair();
    p.world.shutdown(p.client, p.clientFd);
    p.advance(100 * SECOND);
    p.world.close(p.client, p.clientFd);
    p.advance(LINUX.finTimeout! - 1);
    expect(p.states().client).toBe('FIN_WAIT_2');
    p.advance(1);
    expect(p.states().client).toBe('CLOSED');
  });

  it('rfc9293 profile: an orphaned FIN_WAIT_2 never expires', () => {
    const p = connectedPair({ profile: RFC9293 });
    p.world.close(p.client, p.clientFd);
    p.advance(10 * 3600 * SECOND);
    expect(p.states()).toEqual({ client: 'FIN_WAIT_2', server: 'CLOSE_WAIT' });
  });

  it('half close lets the peer keep writing, and the reader sees the data then EOF', () => {
    const p = connectedPair();
    p.world.write(p.client, p.clientFd, 'request\n');
    p.world.shutdown(p.client, p.clientFd);
    p.advance(5 * MS);
    expect(p.world.read(p.server, p.serverFd, { kind: 'eof' })).toEqual({ data: 'request\n', eof: true });
    expect(p.world.write(p.server, p.serverFd, 'answer, part 1\n')).toBe(15);
    p.advance(5 * MS);
    expect(p.world.write(p.server, p.serverFd, 'answer, part 2\n')).toBe(15);
    p.advance(5 * MS);
    expect(p.states()).toEqual({ client: 'FIN_WAIT_2', server: 'CLOSE_WAIT' });
    expect(p.world.read(p.client, p.clientFd, { kind: 'line' })).toEqual({ data: 'answer, part 1\n', eof: false });
    p.world.close(p.server, p.serverFd);
    p.advance(5 * MS);
    expect(p.world.read(p.client, p.clientFd, { kind: 'eof' })).toEqual({ data: 'answer, part 2\n', eof: true });
    expect(p.states()).toEqual({ client: 'TIME_WAIT', server: 'CLOSED' });
    expect(p.world.write(p.client, p.clientFd, 'too late')).toBe('EPIPE');
  });
});

describe('CLOSE_WAIT', () => {
  it('a server that never closes keeps CLOSE_WAIT forever, and its fd with it', () => {
    const p = connectedPair();
    p.world.close(p.client, p.clientFd);
    p.advance(24 * 3600 * SECOND);
    expect(p.states()).toEqual({ client: 'CLOSED', server: 'CLOSE_WAIT' });
    expect(p.world.fdsInUse(p.server)).toBe(3 + 2);
    expect(p.world.fdsInUse(p.client)).toBe(3);
  });

  it('writing to a peer that has closed: the write succeeds, the peer answers RST, the next write fails with EPIPE', () => {
    const p = connectedPair();
    p.world.close(p.client, p.clientFd);
    p.advance(5 * MS);
    expect(p.world.write(p.server, p.serverFd, 'are you there?\n')).toBe(15);
    p.advance(5 * MS);
    expect(p.states()).toEqual({ client: 'CLOSED', server: 'CLOSED' });
    expect(p.world.write(p.server, p.serverFd, 'hello?\n')).toBe('EPIPE');
  });
});

describe('TIME_WAIT', () => {
  /** A pair whose client closes (or only shuts down, keeping the fd) first; 1 ms after the server's close the client is in TIME_WAIT. */
  function clientInTimeWait(how: 'close' | 'shutdown') {
    const p = connectedPair();
    if (how === 'close') p.world.close(p.client, p.clientFd);
    else p.world.shutdown(p.client, p.clientFd);
    p.advance(5 * MS);
    p.world.close(p.server, p.serverFd);
    p.advance(MS);
    expect(p.states().client).toBe('TIME_WAIT');
    return p;
  }

  it('a TIME_WAIT nobody holds takes its small form as soon as it is entered; one whose fd is held stays whole; neither is left after 2MSL', () => {
    const closed = clientInTimeWait('close');
    expect(closed.world.smallTimeWaits()).toBe(1);
    const held = clientInTimeWait('shutdown');
    expect(held.world.smallTimeWaits()).toBe(0);
    for (const p of [closed, held]) {
      p.advance(LINUX.timeWait);
      expect(p.states().client).toBe('CLOSED');
      expect(p.world.smallTimeWaits()).toBe(0);
    }
  });

  // closed, the client's TIME_WAIT takes its small form; shut down, the fd holds the whole socket
  it.each(['close', 'shutdown'] as const)('a retransmitted FIN is re-ACKed and the 2MSL timer restarts (the client calls %s)', (how) => {
    // the client's final ACK (sent when the server's FIN arrives, 1 ms after the server's close) is lost
    const p = connectedPair({ faults: [{ match: 'any', port: 8888, from: 16 * MS, until: 16 * MS + 1, drop: 1 }] });
    if (how === 'close') p.world.close(p.client, p.clientFd); // 10 ms
    else p.world.shutdown(p.client, p.clientFd);
    p.advance(5 * MS); // 15 ms
    p.world.close(p.server, p.serverFd); // server FIN at 15 ms, reaches the client at 16 ms
    p.advance(MS + MS / 2);
    expect(p.states()).toEqual({ client: 'TIME_WAIT', server: 'LAST_ACK' });
    p.advance(300 * MS);
    expect(p.states()).toEqual({ client: 'TIME_WAIT', server: 'CLOSED' });
    const entered = p.history('client').find((h) => h.to === 'TIME_WAIT')!.at;
    expect(entered).toBe(16 * MS);
    const resent = p.finSends('server');
    expect(resent.map((t) => t / MS)).toEqual([15, 215]);
    // TIME_WAIT restarted when the retransmission arrived (216 ms), so it ends at 216 ms + 60 s
    p.world.runUntil(entered + LINUX.timeWait);
    expect(p.states().client).toBe('TIME_WAIT');
    p.world.runUntil(216 * MS + LINUX.timeWait);
    expect(p.states().client).toBe('CLOSED');
  });
});
