/**
 * Test fixture: a client and a server process on one host, connected, with a 1 ms link, so a
 * test starts from ESTABLISHED on both sides and drives the close handshake by syscalls.
 */
import { LINUX, type Profile } from '../../src/model/profile.js';
import { ACK, FIN, SYN } from '../../src/model/segment.js';
import type { TcpState } from '../../src/model/states.js';
import type { FaultSpec } from '../../src/scenario/types.js';
import type { TraceEvent } from '../../src/sim/trace.js';
import { World } from '../../src/sim/world.js';

/**
 * Linux's timer values without the timer wheel's rounding: the engine tests read in the
 * profile's own numbers (TIME_WAIT exactly 60 s); timerWheel.test.ts covers the rounding.
 */
export const LINUX_EXACT: Profile = { ...LINUX, hz: null };

/** One millisecond, in the engine's microseconds. */
export const MS = 1000;
/** One second, in microseconds. */
export const SECOND = 1_000_000;

/**
 * A server listening on 127.0.0.1:8888 with `backlog` and a client process on the same host, 1 ms
 * apart, nothing connected yet (the held-segment network when `manualNetwork`).
 */
export function listeningPair(backlog: number, manualNetwork = false) {
  const world = new World({ profile: LINUX_EXACT, seed: 3, network: { latency: MS, jitter: 0, loss: 0, duplicate: 0, reorder: 0 }, trace: true, manualNetwork });
  const host = world.addHost('localhost', '127.0.0.1');
  const server = world.addProcess({ name: 'server', host, nofile: 64, baselineFds: 3 });
  const client = world.addProcess({ name: 'client', host, nofile: 64, baselineFds: 3 });
  const listenFd = world.listen(server, 8888, backlog) as number;
  return { world, server, client, listenFd };
}

/**
 * listeningPair on the held-segment network with one connection made by delivering every held
 * segment in order: `fd` is the client's, `serverFd` the accepted one; nothing is held after.
 */
export function heldConnection() {
  const pair = listeningPair(8, true);
  const fd = pair.world.connect(pair.client, '127.0.0.1', 8888) as number;
  while (pair.world.heldSegments().length > 0) pair.world.deliverHeld(0);
  const serverFd = pair.world.accept(pair.server, pair.listenFd) as number;
  return { ...pair, fd, serverFd };
}

/** Options of a connected pair. */
export interface PairOptions {
  readonly profile?: Profile;
  readonly faults?: readonly FaultSpec[];
  readonly seed?: number;
  readonly backlog?: number;
}

/** A connected client/server pair and helpers to run it. */
export function connectedPair(options: PairOptions = {}) {
  const world = new World({
    profile: options.profile ?? LINUX_EXACT,
    seed: options.seed ?? 7,
    network: { latency: MS, jitter: 0, loss: 0, duplicate: 0, reorder: 0 },
    faults: options.faults ?? [],
    trace: true,
  });
  const host = world.addHost('localhost', '127.0.0.1');
  const server = world.addProcess({ name: 'server', host, nofile: 64, baselineFds: 3 });
  const client = world.addProcess({ name: 'client', host, nofile: 64, baselineFds: 3 });
  const listenFd = world.listen(server, 8888, options.backlog ?? 8) as number;
  const clientFd = world.connect(client, '127.0.0.1', 8888) as number;
  world.runUntil(10 * MS);
  const serverFd = world.accept(server, listenFd) as number;
  const socketIds = { client: world.socketView(client, clientFd)!.id, server: world.socketView(server, serverFd)!.id };
  return {
    world,
    server,
    client,
    listenFd,
    clientFd,
    serverFd,
    /** Runs the clock forward by `micros`. */
    advance(micros: number): void {
      world.runUntil(world.now + micros);
    },
    /** State of each side's socket (CLOSED once the kernel has forgotten it). */
    states(): { client: TcpState; server: TcpState } {
      const byId = new Map(world.sockets().map((s) => [s.id, s.state]));
      return { client: byId.get(socketIds.client) ?? 'CLOSED', server: byId.get(socketIds.server) ?? 'CLOSED' };
    },
    /** The states a side went through, with the time of each change. */
    history(side: 'client' | 'server'): Array<{ at: number; to: TcpState }> {
      return world
        .trace()
        .events.filter((e): e is Extract<TraceEvent, { kind: 'state' }> => e.kind === 'state' && e.socket === socketIds[side])
        .map((e) => ({ at: e.at, to: e.to }));
    },
    /** Segments a side sent, with the time of each (flags as in segment.ts). */
    sends(side: 'client' | 'server'): Array<{ at: number; flags: number; payload: string; seq: number }> {
      return world
        .trace()
        .events.filter((e): e is Extract<TraceEvent, { kind: 'send' }> => e.kind === 'send' && e.socket === socketIds[side])
        .map((e) => ({ at: e.at, flags: e.segment.flags, payload: e.segment.payload, seq: e.segment.seq }));
    },
    /** Times of a side's keepalive probes: empty ACKs one below the sequence space it has used (SEQ = SND.UNA − 1). */
    probes(side: 'client' | 'server'): number[] {
      let next = -1;
      const out: number[] = [];
      for (const s of this.sends(side)) {
        const length = s.payload.length + (s.flags & SYN ? 1 : 0) + (s.flags & FIN ? 1 : 0);
        if (s.flags === ACK && s.payload === '' && next >= 0 && ((s.seq - next) | 0) === -1) out.push(s.at);
        if (next < 0 || ((s.seq + length - next) | 0) > 0) next = (s.seq + length) >>> 0;
      }
      return out;
    },
    /** Times at which a side sent a segment carrying FIN. */
    finSends(side: 'client' | 'server'): number[] {
      return world
        .trace()
        .events.filter((e): e is Extract<TraceEvent, { kind: 'send' }> => e.kind === 'send' && e.socket === socketIds[side] && (e.segment.flags & 1) !== 0)
        .map((e) => e.at);
    },
  };
}
