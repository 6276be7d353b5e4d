/**
 * Scenario objects built in code for the headline laws: one server process and a few client
 * groups, each group with its own arrival window and close time.
 */
import type { ProfileName, ProcessSpec, Scenario, Step } from '../../../src/scenario/types.js';

/** One group of clients: how many, when they arrive, how long each keeps its connection. */
export interface ClientGroup {
  readonly connections: number;
  readonly start: number;
  readonly ramp: number;
  /** Time between connect and close (or shutdown). */
  readonly hold: number;
  /** How the client ends: close() or shutdown(SHUT_WR) then read to EOF. */
  readonly ending?: 'close' | 'shutdown';
}

/** What the server's program does with each connection. */
export type ServerBehaviour =
  /** Reads to EOF and never closes: the article's bug. */
  | { readonly kind: 'never-closes' }
  /** Reads a line, answers, and closes. */
  | { readonly kind: 'closes' }
  /** Reads a line, waits, then closes or shuts down and reads to EOF. */
  | { readonly kind: 'closes-after'; readonly delay: number; readonly ending: 'close' | 'shutdown' };

/** Everything a law's scenario varies. */
export interface LawScenario {
  readonly seed: number;
  readonly profile?: ProfileName;
  readonly nofile: number;
  readonly baselineFds: number;
  readonly acceptPolicy: 'posix' | 'libuv';
  readonly backlog: number;
  readonly acceptRetry: number | null;
  readonly server: ServerBehaviour;
  readonly clients: readonly ClientGroup[];
  readonly latency?: number;
  readonly until: number;
  readonly faults?: Scenario['faults'];
}

const SECOND = 1_000_000;

function serverSteps(behaviour: ServerBehaviour): Step[] {
  switch (behaviour.kind) {
    case 'never-closes':
      return [{ op: 'read', amount: { kind: 'eof' } }];
    case 'closes':
      return [{ op: 'read', amount: { kind: 'line' } }, { op: 'write', data: 'bye\n' }, { op: 'close' }];
    case 'closes-after':
      return [
        { op: 'read', amount: { kind: 'line' } },
        { op: 'sleep', duration: behaviour.delay },
        ...(behaviour.ending === 'close' ? [{ op: 'close' } as const] : [{ op: 'shutdown' } as const, { op: 'read', amount: { kind: 'eof' } } as const]),
      ];
  }
}

function clientSteps(group: ClientGroup): Step[] {
  const ending: Step[] =
    group.ending === 'shutdown' ? [{ op: 'shutdown' }, { op: 'read', amount: { kind: 'eof' } }] : [{ op: 'close' }];
  return [{ op: 'connect', to: { process: 'server' } }, { op: 'write', data: 'hello\n' }, { op: 'sleep', duration: group.hold }, ...ending];
}

/** Total client connections of a law scenario. */
export function clientCount(law: LawScenario): number {
  return law.clients.reduce((n, g) => n + g.connections, 0);
}

/** When the last client calls close() (or shutdown), at the latest. */
export function lastClientClose(law: LawScenario): number {
  return Math.max(...law.clients.map((g) => g.start + g.ramp + g.hold));
}

/** A program with no runtime: no keepalive, nothing closed for it, no time spent between accepts. */
const PLAIN_PROGRAM = { runtime: null, keepalive: null, closeOnEof: false, closeWhenDone: false, acceptCost: 0, firstWriteFds: 0 } as const;

/** The Scenario a law runs. */
export function lawScenario(law: LawScenario): Scenario {
  const clientNofile = clientCount(law) + 16;
  const processes: ProcessSpec[] = [
    {
      name: 'server',
      host: 'server-host',
      nofile: law.nofile,
      baselineFds: law.baselineFds,
      acceptPolicy: law.acceptPolicy,
      ...PLAIN_PROGRAM,
      server: {
        port: 8888,
        address: null,
        backlog: law.backlog,
        workers: null,
        onAcceptError: law.acceptRetry === null ? { kind: 'stop' } : { kind: 'retry', after: law.acceptRetry },
        steps: serverSteps(law.server),
      },
    },
    ...law.clients.map(
      (group, i): ProcessSpec => ({
        name: `clients${i}`,
        host: 'client-host',
        nofile: clientNofile,
        baselineFds: 3,
        acceptPolicy: 'posix',
        ...PLAIN_PROGRAM,
        client: { connections: group.connections, start: group.start, ramp: group.ramp, steps: clientSteps(group) },
      }),
    ),
  ];
  return {
    name: 'law',
    description: 'built by a property',
    file: '<property>',
    seed: law.seed,
    profile: law.profile ?? 'linux',
    profileOverrides: {},
    params: [],
    paramValues: {},
    network: { latency: law.latency ?? 1000, jitter: 0, loss: 0, duplicate: 0, reorder: 0 },
    hosts: [
      { name: 'server-host', address: '10.0.0.2' },
      { name: 'client-host', address: '10.0.0.1' },
    ],
    processes,
    sample: { every: SECOND, until: law.until },
    expectations: [],
    sysctls: {},
    faults: law.faults ?? [],
  };
}
