/**
 * A client port used again while the server's side of its last connection is in TIME_WAIT: on
 * loopback Linux picks bind(0) ports at random, and a real run of the EMFILE scenario reused one
 * (conn 60 on the port of an earlier connection libuv had closed). Linux lets the newer SYN end
 * TIME_WAIT and reach the listener (tcp_timewait_state_process → TCP_TW_SYN); RFC 9293 alone
 * answers it with an ACK, and the SYN-SENT client waits.
 */
import { describe, expect, it } from 'vitest';
import { RFC9293, type Profile } from '../../src/model/profile.js';
import type { TraceEvent } from '../../src/sim/trace.js';
import { World } from '../../src/sim/world.js';
import { LINUX_EXACT, MS, SECOND } from './pair.js';

const PORT = 40001;

/** The server closes first (its side ends in TIME_WAIT), then a second connection from the same client port after `gap`. */
function reuseAfterServerClose(profile: Profile, gap: number) {
  const world = new World({ profile, seed: 5, network: { latency: MS, jitter: 0, loss: 0, duplicate: 0, reorder: 0 }, trace: true, ephemeralPortFor: () => PORT });
  const host = world.addHost('localhost', '127.0.0.1');
  const server = world.addProcess({ name: 'server', host, nofile: 64, baselineFds: 3 });
  const client = world.addProcess({ name: 'client', host, nofile: 64, baselineFds: 3 });
  const listenFd = world.listen(server, 8888, 8) as number;
  const first = world.connect(client, '127.0.0.1', 8888) as number;
  world.runUntil(10 * MS);
  const accepted = world.accept(server, listenFd) as number;
  world.close(server, accepted);
  world.runUntil(20 * MS);
  world.close(client, first);
  world.runUntil(30 * MS);
  const serverSide = () => world.sockets().filter((s) => s.role === 'server' && s.remote.port === PORT);
  expect(serverSide().map((s) => s.state)).toEqual(['TIME_WAIT']);
  expect(world.stateOf(client, first)).toBe('CLOSED');
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

  it('rfc9293 (no timestamps): the SYN gets an ACK, TIME_WAIT goes on and the client is still in SYN_SENT', () => {
    const { world, client, second, serverSide } = reuseAfterServerClose({ ...RFC9293, hz: null }, 5 * MS);
    expect(serverSide().map((s) => s.state)).toEqual(['TIME_WAIT']);
    expect(world.stateOf(client, second)).not.toBe('ESTABLISHED');
  });
});
