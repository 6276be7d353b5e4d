/**
 * The "many connections" view's runs: one of the article's programs (the scenarios shipped in
 * scenarios/, loaded and resolved when the site is built) with the student's number of clients,
 * fd limit and a second run of the clients, simulated by `simulate()` in virtual time and
 * sampled every second for three minutes. Pure: runs in the page and in Node.
 */
import type { Scenario } from '../../src/scenario/types.js';
import { simulate, type Sample } from '../../src/sim/simulate.js';

/** The student's choices. */
export interface ManyChoices {
  /** Which shipped article scenario. */
  readonly program: string;
  readonly clients: number;
  /** The server's RLIMIT_NOFILE. */
  readonly nofile: number;
  /** Start the clients a second time, 10 s after the first (the article's EMFILE). */
  readonly rerun: boolean;
}

/** What the view draws. */
export interface ManyRun {
  readonly samples: readonly Sample[];
  readonly server: string;
  readonly nofile: number;
  /** When a program first got EMFILE (ms), if it did. */
  readonly emfileAt: number | undefined;
  readonly accepted: number;
}

/** Sample every second… */
export const MANY_EVERY = 1_000_000;
/** …for three minutes: long enough for FIN_WAIT_2 to expire and Go's keepalive to end CLOSE_WAIT. */
export const MANY_UNTIL = 180_000_000;

/** `base` with the student's numbers: clients (their ramp scaled with them), the second run, the server's nofile; no expectations. */
export function scaledScenario(base: Scenario, choices: ManyChoices): Scenario {
  const processes = base.processes.map((p) => {
    if (p.server !== undefined) return { ...p, nofile: choices.nofile, baselineFds: Math.min(p.baselineFds, choices.nofile) };
    if (p.client === undefined) return p;
    const rerun = p.name === 'rerun';
    const connections = rerun ? (choices.rerun ? choices.clients : 0) : choices.clients;
    const perConnection = p.client.connections > 0 ? p.client.ramp / p.client.connections : 1000;
    const start = rerun ? 10_000_000 : p.client.start;
    return { ...p, client: { ...p.client, connections, start, ramp: Math.round(perConnection * connections) } };
  });
  return { ...base, processes, expectations: [], sample: { every: MANY_EVERY, until: MANY_UNTIL } };
}

/** Runs the scaled scenario. */
export function runMany(base: Scenario, choices: ManyChoices): ManyRun {
  const scenario = scaledScenario(base, choices);
  const result = simulate(scenario);
  const server = scenario.processes.find((p) => p.server !== undefined);
  const emfile = result.world.firstErrorAt('EMFILE');
  return {
    samples: result.samples,
    server: server?.name ?? 'server',
    nofile: choices.nofile,
    emfileAt: emfile === undefined ? undefined : emfile / 1000,
    accepted: result.stats.accepted.get(server?.name ?? '') ?? 0,
  };
}
