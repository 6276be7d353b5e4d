/**
 * fast-check arbitraries for close logic (import from 'tcpsim/fast-check'; fast-check is a peer
 * dependency): client behaviours, their start times, and faults on the close segments — all
 * plain data, so fast-check shrinks them and prints them. `property(server, options)` runs a
 * server of one's own against generated clients and faults, and on failure throws the shrunk
 * counterexample together with the leaking connection drawn as an RFC 9293 table.
 */
import * as fc from 'fast-check';
import { DEFAULT_REQUEST, describeBehaviour, runClient, type ClientBehaviour, type ClientPlan } from '../api/clientBehaviour.js';
import type { CloseFault, CloseFaultKind } from '../api/closeFaults.js';
import type { Duration } from '../api/duration.js';
import { expectNoLeak } from '../api/leaks.js';
import { createSim, type Sim, type SimOptions } from '../api/sim.js';

export type { ClientBehaviour, ClientPlan, CloseFault, CloseFaultKind };

/** Any client behaviour; `request` is the well-formed request (garbage and cuts are made from it). */
export function clientBehaviour(options: { readonly request?: string } = {}): fc.Arbitrary<ClientBehaviour> {
  const request = options.request ?? DEFAULT_REQUEST;
  return fc.oneof(
    fc.constant<ClientBehaviour>({ kind: 'polite' }),
    fc.constant<ClientBehaviour>({ kind: 'closeEarly' }),
    fc.constant<ClientBehaviour>({ kind: 'halfClose' }),
    fc.boolean().map((afterRequest): ClientBehaviour => ({ kind: 'abort', afterRequest })),
    fc.constantFrom('garbage\n', '\n', 'HELO\r\n', 'get / HTTP/1.0\n').map((data): ClientBehaviour => ({ kind: 'garbage', data })),
    fc.integer({ min: 0, max: 30_000 }).map((hold): ClientBehaviour => ({ kind: 'neverRead', hold })),
    fc.integer({ min: 1, max: 2_000 }).map((every): ClientBehaviour => ({ kind: 'slowReader', every })),
    fc.integer({ min: 0, max: Math.max(0, request.length - 2) }).map((cut): ClientBehaviour => ({ kind: 'midRequest', cut })),
  );
}

/** One to `maxClients` client connections, each starting within `spread` ms of the start. */
export function clientPlans(options: { readonly request?: string; readonly maxClients?: number; readonly spread?: number } = {}): fc.Arbitrary<ClientPlan[]> {
  const plan = fc.record({ at: fc.integer({ min: 0, max: options.spread ?? 1_000 }), behaviour: clientBehaviour(options) });
  return fc.array(plan, { minLength: 1, maxLength: options.maxClients ?? 4 });
}

/** A fault on one of the first `maxSegment` close segments (FIN or RST) of a run. */
export function closeFault(options: { readonly maxSegment?: number } = {}): fc.Arbitrary<CloseFault> {
  const segment = fc.integer({ min: 0, max: options.maxSegment ?? 7 });
  return fc.oneof(
    fc.record({ segment, kind: fc.constantFrom<CloseFaultKind>('loss', 'duplicate', 'reorder') }),
    fc.record({ segment, kind: fc.constant<CloseFaultKind>('delay'), delay: fc.integer({ min: 1, max: 5_000 }) }),
  );
}

/** Up to `maxFaults` close-segment faults (none is the simplest, where shrinking heads). */
export function closeFaults(options: { readonly maxSegment?: number; readonly maxFaults?: number } = {}): fc.Arbitrary<CloseFault[]> {
  return fc.array(closeFault(options), { maxLength: options.maxFaults ?? 3 });
}

/** One generated case: the clients and the faults. */
export interface ServerCase {
  readonly clients: readonly ClientPlan[];
  readonly faults: readonly CloseFault[];
}

/** How `property` runs. */
export interface PropertyOptions {
  /** The port the server listens on. */
  readonly port: number;
  /** The request line well-formed clients send (default "GET / HTTP/1.0\r\n"). */
  readonly request?: string;
  /** The clients' patience for an answer (default 10 s). */
  readonly patience?: Duration;
  /** fast-check's seed (default 42: a property is a test, and tests repeat). */
  readonly seed?: number;
  /** fast-check's replay path of a counterexample it printed. */
  readonly path?: string;
  /** Cases to try (default 100). */
  readonly numRuns?: number;
  /** Virtual time each case runs (default 5 min: long enough for TIME_WAIT and FIN_WAIT_2 to end). */
  readonly until?: Duration;
  /** The simulation's options (profile, seed, latency); close faults come from the case. */
  readonly sim?: Omit<SimOptions, 'closeFaults'>;
  /** Clients to generate (default clientPlans({ request })). */
  readonly clients?: fc.Arbitrary<readonly ClientPlan[]>;
  /** Faults to generate (default closeFaults(); fc.constant([]) for none). */
  readonly faults?: fc.Arbitrary<readonly CloseFault[]>;
  /** What must hold after each case (default expectNoLeak(sim)); throw (or reject) to fail. */
  readonly check?: (sim: Sim) => void | Promise<void>;
}

/** Sets up the server under test in a fresh simulation. */
export type ServerSetup = (sim: Sim) => void | Promise<void>;

/** Runs one case: a fresh simulation, the server, the clients (process `clients`), the faults; then the check. */
export async function runCase(server: ServerSetup, c: ServerCase, options: PropertyOptions): Promise<Sim> {
  const sim = createSim({ ...options.sim, closeFaults: c.faults });
  await server(sim);
  const clients = sim.process('clients', { nofile: 1_024 });
  const settings = { request: options.request ?? DEFAULT_REQUEST, ...(options.patience === undefined ? {} : { patience: options.patience }) };
  for (const plan of c.clients) clients.spawn(() => runClient(clients, options.port, plan.behaviour, settings), { at: plan.at });
  await sim.run({ until: options.until ?? '5m' });
  await (options.check ?? expectNoLeak)(sim);
  return sim;
}

/** The property itself, for fc.assert with options of one's own. */
export function serverProperty(server: ServerSetup, options: PropertyOptions): fc.IAsyncPropertyWithHooks<[ServerCase]> {
  const request = options.request ?? DEFAULT_REQUEST;
  const cases = fc.record({ clients: options.clients ?? clientPlans({ request }), faults: options.faults ?? closeFaults() });
  return fc.asyncProperty(cases, async (c) => {
    await runCase(server, c, options);
  });
}

/** A case as text: one line per client, one per fault. */
export function describeCase(c: ServerCase): string {
  const lines = c.clients.map((p, i) => `  client ${i + 1} at ${p.at} ms: ${describeBehaviour(p.behaviour)}`);
  if (c.faults.length === 0) lines.push('  no faults on close segments');
  for (const f of c.faults) lines.push(`  close segment #${f.segment}: ${f.kind}${f.kind === 'delay' ? ` by ${String(f.delay)} ms` : ''}`);
  return lines.join('\n');
}

/** A property that did not hold. */
export class PropertyFailure extends Error {
  override readonly name = 'PropertyFailure';
  constructor(
    message: string,
    /** The shrunk case. */
    readonly counterexample: ServerCase,
    readonly seed: number,
    readonly path: string,
  ) {
    super(message);
  }
}

/** Runs a case; the error it fails with, or undefined when it holds. */
async function failureOf(server: ServerSetup, c: ServerCase, options: PropertyOptions): Promise<{ error: unknown } | undefined> {
  try {
    await runCase(server, c, options);
    return undefined;
  } catch (error) {
    return { error };
  }
}

/**
 * fast-check shrinks a list by dropping items from its front, so a failing last client can keep
 * harmless ones before it. This drops single clients and faults, in order, while the case still
 * fails — deterministic, like everything else here.
 */
async function dropHarmless(server: ServerSetup, start: ServerCase, error: unknown, options: PropertyOptions): Promise<{ c: ServerCase; error: unknown; dropped: number }> {
  let c = start;
  let dropped = 0;
  for (let progress = true; progress; ) {
    progress = false;
    const candidates: ServerCase[] = [
      ...c.clients.map((_, i) => ({ clients: c.clients.filter((__, j) => j !== i), faults: c.faults })).filter((x) => x.clients.length > 0),
      ...c.faults.map((_, i) => ({ clients: c.clients, faults: c.faults.filter((__, j) => j !== i) })),
    ];
    for (const candidate of candidates) {
      const failed = await failureOf(server, candidate, options);
      if (failed !== undefined) {
        c = candidate;
        error = failed.error;
        dropped++;
        progress = true;
        break;
      }
    }
  }
  return { c, error, dropped };
}

/**
 * Checks that `server` survives every generated case; throws a PropertyFailure with the shrunk
 * counterexample, the failure (the leaking connection as an RFC 9293 table) and how to replay it.
 */
export async function property(server: ServerSetup, options: PropertyOptions): Promise<void> {
  const seed = options.seed ?? 42;
  const details = await fc.check(serverProperty(server, options), {
    seed,
    numRuns: options.numRuns ?? 100,
    ...(options.path === undefined ? {} : { path: options.path }),
  });
  if (!details.failed) return;
  const shrunk = details.counterexample?.[0];
  if (shrunk === undefined) throw new Error(`property: fast-check failed without a counterexample (${String(details.errorInstance)})`);
  const { c: counterexample, error, dropped } = await dropHarmless(server, shrunk, details.errorInstance, options);
  const why = error instanceof Error ? error.message : String(error);
  const path = details.counterexamplePath ?? '';
  const shrinks = `shrunk ${details.numShrinks} time${details.numShrinks === 1 ? '' : 's'}${dropped > 0 ? `, then ${dropped} harmless client${dropped === 1 ? '' : 's'} or fault${dropped === 1 ? '' : 's'} dropped` : ''}`;
  throw new PropertyFailure(
    `property failed after ${details.numRuns} case${details.numRuns === 1 ? '' : 's'} (seed ${seed}, ${shrinks}); counterexample:\n` +
      `${describeCase(counterexample)}\n${why}\n` +
      `replay: property(server, { …, seed: ${seed}, path: ${JSON.stringify(path)} })`,
    counterexample,
    seed,
    path,
  );
}
