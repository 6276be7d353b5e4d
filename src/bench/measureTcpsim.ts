/**
 * One benchmark measurement of the engine, in its own process: bench-lifecycle at a given total
 * number of connections. Prints one JSON line: wall time of the simulation, events, peak RSS.
 */
import { fileURLToPath } from 'node:url';
import { loadScenarioFile, LARGE_LIMITS } from '../scenario/index.js';
import { simulate } from '../sim/simulate.js';

/** Client hosts in scenarios/bench-lifecycle.yaml: `connections` must be a multiple of it. */
export const BENCH_CLIENT_HOSTS = 40;

/** Path of the shipped benchmark scenario. */
export const BENCH_SCENARIO = fileURLToPath(new URL('../../scenarios/bench-lifecycle.yaml', import.meta.url));

/** Runs bench-lifecycle with `total` connections; returns what the harness reports. */
export function measureTcpsim(total: number): Record<string, number | boolean> {
  const connections = Math.max(1, Math.round(total / BENCH_CLIENT_HOSTS)) * BENCH_CLIENT_HOSTS;
  const scenario = loadScenarioFile(BENCH_SCENARIO, { params: { connections: String(connections) }, limits: LARGE_LIMITS });
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const result = simulate(scenario);
  const wallMs = performance.now() - started;
  return {
    connections,
    wallMs,
    events: result.events,
    eventsPerSec: result.events / (wallMs / 1000),
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    rssBeforeBytes: rssBefore,
    ok: result.expectations.every((e) => e.pass),
  };
}
