/**
 * The system under test of the model-based property: a World with a client process and a
 * server process on two hosts, joined by a manual network that the commands deliver, drop,
 * duplicate and reorder by hand.
 */
import { LINUX, RFC9293, resolveProfile, type Profile } from '../../../src/model/profile.js';
import type { ProfileOverrides } from '../../../src/scenario/types.js';
import { World } from '../../../src/sim/world.js';
import { TraceObserver } from './traceObserver.js';

/** Which program a command acts for. */
export type Side = 'client' | 'server';

/** The other side. */
export function peerOf(side: Side): Side {
  return side === 'client' ? 'server' : 'client';
}

/** fds each process holds before opening sockets (stdin, stdout, stderr). */
export const BASELINE_FDS = 3;
/** The server's port. */
export const SERVER_PORT = 8888;
/** The server host's address. */
export const SERVER_ADDRESS = '10.0.0.2';

/** The real system: the World and where its pieces are. */
export interface TcpPair {
  readonly world: World;
  readonly process: Readonly<Record<Side, number>>;
  readonly listenFd: number;
  readonly observer: TraceObserver;
}

/** Profile choices a run draws: a base profile and the graph-shaping overrides. */
export interface ProfileChoice {
  readonly base: 'linux' | 'rfc9293';
  readonly overrides: ProfileOverrides;
}

/** Resolves a drawn profile choice. */
export function profileOf(choice: ProfileChoice): Profile {
  return resolveProfile(choice.base, choice.overrides);
}

/** Builds the pair: both processes, the server listening, nothing connected yet. */
export function createTcpPair(profile: Profile = LINUX, seed = 1): TcpPair {
  const world = new World({ profile, seed, trace: true, manualNetwork: true });
  const clientHost = world.addHost('client-host', '10.0.0.1');
  const serverHost = world.addHost('server-host', SERVER_ADDRESS);
  const client = world.addProcess({ name: 'client', host: clientHost, nofile: 64, baselineFds: BASELINE_FDS });
  const server = world.addProcess({ name: 'server', host: serverHost, nofile: 64, baselineFds: BASELINE_FDS });
  const listenFd = world.listen(server, SERVER_PORT, 8);
  if (typeof listenFd !== 'number') throw new Error(`test pair: listen failed with ${listenFd}`);
  return { world, process: { client, server }, listenFd, observer: new TraceObserver(profile.timeWait, profile.hz, world.wheelOrigin) };
}

/** Both built-in profiles, for tests that want each. */
export const BASE_PROFILES = { linux: LINUX, rfc9293: RFC9293 } as const;
