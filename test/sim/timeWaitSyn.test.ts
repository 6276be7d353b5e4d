/**
 * A client port used again while the server's side of its last connection is in TIME_WAIT: on
 * loopback Linux picks bind(0) ports at random, and a real run of the EMFILE scenario reused one
 * (conn 60 on the port of an earlier connection libuv had closed). Linux lets the newer SYN end
 * TIME_WAIT and reach the listener (tcp_timewait_state_process → TCP_TW_SYN); RFC 9293 alone
 * answers it with an ACK, which the SYN-SENT client cannot accept: it sends a RST (§3.10.7.3),
 * which ends TIME_WAIT (§3.10.7.4), and its next SYN gets in.
 */
import { describe, expect, it } from 'vitest';
import { RFC9293, type Profile } from '../../src/model/profile.js';
import { ACK, FIN, RST, SYN } from '../../src/model/segment.js';
import { seqLt } from '../../src/model/seq.js';
import type { TraceEvent } from '../../src/sim/trace.js';
import { World } from '../../src/sim/world.js';
import { LINUX_EXACT, MS, SECOND } from './pair.js';

const PORT = 40001;

/** A server listening on 127.0.0.1:8888 and a client on the same host, 1 ms apart; every client connection on PORT when `samePort`. */
function serverAndClient(profile: Profile, seed: number, options: { manual?: boolean; samePort?: boolean } = {}) {
  const world = new World({
    profile,
    seed,
    network: { latency: MS, jitter: 0, loss: 0, duplicate: 0, reorder: 0 },
    trace: true,
    manualNetwork: options.manual ?? false,
    ...(options.samePort === true ? { ephemeralPortFor: () => PORT } : {}),
  });
  const host = world.addHost('localhost', '127.0.0.1');
  const server = world.addProcess({ name: 'server', host, nofile: 64, baselineFds: 3 });
  const client = world.addProcess({ name: 'client', host, nofile: 64, baselineFds: 3 });
  const listenFd = world.listen(server, 8888, 8) as number;
  return { world, server, client, listenFd };
}

/**
 * One connection on PORT whose server side ends in TIME_WAIT at 30 ms: the server closes first
 * (or only shuts down, keeping the fd; or also closes its listener), then the client closes.
 */
function serverInTimeWait(profile: Profile, how: 'close' | 'shutdown' | 'close-listener') {
  const { world, server, client, listenFd } = serverAndClient(profile, 5, { samePort: true });
  const first = world.connect(client, '127.0.0.1', 8888) as number;
  world.runUntil(10 * MS);
  const accepted = world.accept(server, listenFd) as number;
  if (how === 'shutdown') world.shutdown(server, accepted);
  else world.close(server, accepted);
  if (how === 'close-listener') world.close(server, listenFd);
  world.runUntil(20 * MS);
  world.close(client, first);
  world.runUntil(30 * MS);
  const serverSide = () => world.sockets().filter((s) => s.role === 'server' && s.remote.port === PORT);
  expect(serverSide().map((s) => s.state)).toEqual(['TIME_WAIT']);
  expect(world.stateOf(client, first)).toBe('CLOSED');
  return { world, server, client, listenFd, accepted, serverSide };
}

/** The server closes first (its side ends in TIME_WAIT), then a second connection from the same client port after `gap`. */
function reuseAfterServerClose(profile: Profile, gap: number) {
  const { world, server, client, listenFd, serverSide } = serverInTimeWait(profile, 'close');
  world.runUntil(world.now + gap);
  const second = world.connect(client, '127.0.0.1', 8888) as number;
  const t = world.now;
  world.runUntil(t + 10 * MS);
  return { world, server, client, listenFd, second, serverSide, t };
}

describe('a SYN that finds its connection in TIME_WAIT', () => {
  it('linux: ends TIME_WAIT at once and the listener takes it; the new connection is accepted on the same 4-tuple', () => {
    const { world, server, client, listenFd, second, serverSide, t } = reuseAfterServerClose(LINUX_EXACT, 5 * MS);
    expect(world.stateOf(client, second)).toBe('ESTABLISHED');
    expect(serverSide().map((s) => s.state)).toEqual(['ESTABLISHED']);
    const fd = world.accept(server, listenFd) as number;
    expect(world.socketView(server, fd)!.remote.port).toBe(PORT);
    // the old server socket left TIME_WAIT for CLOSED when the SYN arrived, 1 ms after connect(), not at 2MSL
    const ends = world.trace().events.filter((e): e is Extract<TraceEvent, { kind: 'state' }> => e.kind === 'state' && e.from === 'TIME_WAIT');
    expect(ends.map((e) => [e.at - t, e.to, e.cause.by])).toEqual([[1 * MS, 'CLOSED', 'segment']]);
    // and 60 s later nothing of the old connection fires: only the new pair is there
    world.runUntil(t + 61 * SECOND);
    expect(serverSide().map((s) => s.state)).toEqual(['ESTABLISHED']);
  });

  it('rfc9293 (no timestamps): the SYN gets an ACK, which the client answers with a RST that ends TIME_WAIT; its SYN retransmission gets in', () => {
    const { world, client, second, serverSide, t } = reuseAfterServerClose({ ...RFC9293, hz: null }, 5 * MS);
    expect(serverSide()).toEqual([]);
    world.runUntil(t + 500 * MS);
    // no early SYN: its own timer (1 s)
    expect(world.stateOf(client, second)).toBe('SYN_SENT');
    const rst = world.trace().events.find((e): e is Extract<TraceEvent, { kind: 'send' }> => e.kind === 'send' && e.at >= t && e.segment.flags === RST);
    expect(rst?.segment.src.port).toBe(PORT);
    world.runUntil(t + SECOND + 10 * MS);
    expect(world.stateOf(client, second)).toBe('ESTABLISHED');
  });

  /**
   * Manual network, seed `seed`: the server closes first; the client's FIN reaches the server at
   * T (TIME_WAIT there), the ACK reaches the client (its port is free), and the client's next
   * SYN from the same port arrives `gap` µs after T. Also says whether that SYN's sequence number
   * was beyond the old connection's RCV.NXT.
   */
  function synAfterFin(seed: number, gap: number) {
    const { world, server, client, listenFd } = serverAndClient(LINUX_EXACT, seed, { manual: true, samePort: true });
    const deliverAll = (): void => {
      for (let i = 0; i < 20 && world.heldSegments().length > 0; i++) {
        world.deliverHeld(0);
        world.runUntil(world.now + 10);
      }
    };
    const first = world.connect(client, '127.0.0.1', 8888) as number;
    deliverAll();
    world.close(server, world.accept(server, listenFd) as number);
    deliverAll();
    world.close(client, first);
    world.runUntil(world.now + 10);
    const fin = world.heldSegments().findIndex((h) => (h.segment.flags & FIN) !== 0);
    world.deliverHeld(fin);
    const at = world.now;
    const serverSide = () => world.sockets().filter((s) => s.role === 'server' && s.remote.port === PORT);
    expect(serverSide().map((s) => s.state)).toEqual(['TIME_WAIT']);
    world.deliverHeld(world.heldSegments().findIndex((h) => h.segment.flags === ACK));
    expect(world.stateOf(client, first)).toBe('CLOSED');
    const second = world.connect(client, '127.0.0.1', 8888) as number;
    world.runUntil(at + gap);
    const synIndex = world.heldSegments().findIndex((h) => h.segment.flags === SYN);
    const syn = world.heldSegments()[synIndex]!.segment;
    const rcvNxt = world.trace().events.filter((e): e is Extract<TraceEvent, { kind: 'send' }> => e.kind === 'send' && e.segment.flags === (FIN | ACK) && e.segment.src.port === PORT).at(-1)!.segment.seq + 1;
    world.deliverHeld(synIndex);
    return { beyond: seqLt(rcvNxt >>> 0, syn.seq), server: serverSide().map((s) => s.state), second, client, world };
  }

  /** The first seed from 1 whose second SYN is (or is not) beyond the old RCV.NXT: the ISS is the seed's. */
  function seedWhere(beyond: boolean): number {
    for (let seed = 1; seed < 64; seed++) if (synAfterFin(seed, 5 * MS).beyond === beyond) return seed;
    throw new Error('no such seed');
  }

  it('linux: a SYN not beyond RCV.NXT still reopens a timestamp tick (1 ms) after the last segment, not within it', () => {
    const seed = seedWhere(false);
    expect(synAfterFin(seed, MS).server).toEqual(['SYN_RECEIVED']);
    expect(synAfterFin(seed, MS - 1).server).toEqual(['TIME_WAIT']);
  });

  it('linux: a SYN beyond RCV.NXT reopens at once, within the same millisecond', () => {
    expect(synAfterFin(seedWhere(true), 100).server).toEqual(['SYN_RECEIVED']);
  });

  it('linux: a TIME_WAIT whose program still holds the fd (shutdown, no close) gives way too; the fd then reads CLOSED', () => {
    const { world, server, client, listenFd, accepted: held } = serverInTimeWait(LINUX_EXACT, 'shutdown');
    expect(world.stateOf(server, held)).toBe('TIME_WAIT');
    world.connect(client, '127.0.0.1', 8888);
    world.runUntil(40 * MS);
    expect(world.stateOf(server, held)).toBe('CLOSED');
    const fd = world.accept(server, listenFd) as number;
    expect(world.stateOf(server, fd)).toBe('ESTABLISHED');
    expect(world.socketView(server, fd)!.remote.port).toBe(PORT);
  });

  it('only TIME_WAIT gives way: a duplicate SYN that reaches the established server socket changes nothing', () => {
    const { world, server, client, listenFd } = serverAndClient(LINUX_EXACT, 5, { manual: true });
    world.connect(client, '127.0.0.1', 8888);
    world.runUntil(0);
    world.duplicateHeld(0); // the SYN arrives, and a copy stays in flight
    world.runUntil(MS);
    world.deliverHeld(world.heldSegments().findIndex((h) => h.segment.flags === (SYN | ACK)));
    world.runUntil(2 * MS);
    world.deliverHeld(world.heldSegments().findIndex((h) => h.segment.flags === ACK));
    const serverSockets = () => world.sockets().filter((s) => s.role === 'server' && s.state !== 'LISTEN').map((s) => s.state);
    expect(serverSockets()).toEqual(['ESTABLISHED']);
    world.runUntil(3 * MS);
    world.deliverHeld(world.heldSegments().findIndex((h) => h.segment.flags === SYN));
    expect(serverSockets()).toEqual(['ESTABLISHED']);
    expect(world.pendingConnections(server, listenFd)).toBe(1);
  });

  it('with no listener on the port, TIME_WAIT answers the SYN with an ACK: the client resets it, sends the SYN again 8 ms later and is refused', () => {
    // measured on this kernel (Python, loopback): connect() refused 8 ms after it was called
    const { world, client, serverSide } = serverInTimeWait(LINUX_EXACT, 'close-listener');
    const second = world.connect(client, '127.0.0.1', 8888) as number;
    // SYN at 30 ms, TIME_WAIT's ACK at 32 ms: unacceptable in SYN_SENT, so a RST, which ends
    // TIME_WAIT (tcp_rfc1337 = 0), and the SYN again at 32 + 8 ms (TCP_TIMEOUT_MIN, 2 ticks at HZ 250)
    world.runUntil(39 * MS);
    expect(serverSide()).toEqual([]);
    expect(world.connectOutcome(client, second)).toBe('pending');
    world.runUntil(43 * MS);
    expect(world.connectOutcome(client, second)).toBe('ECONNREFUSED');
    const synTimes = world.trace().events.flatMap((e) => (e.kind === 'send' && e.segment.flags === SYN && e.at >= 30 * MS ? [e.at / MS] : []));
    expect(synTimes).toEqual([30, 40]);
  });
});
