/**
 * The `--json` document of `tcpsim run`: scenario, seed, profile, samples, final state and the
 * expectation verdicts. Key order is fixed, so the same run always prints the same bytes.
 */
import type { SimulationResult } from '../sim/simulate.js';

/** The JSON document for a simulated run (stable key order). */
export function runJson(result: SimulationResult): string {
  const doc = {
    scenario: result.scenario,
    seed: result.seed,
    profile: result.profile.name,
    samples: result.samples.map((s) => ({ t: s.t, states: s.states, fds: s.fds, closedFds: s.closedFds })),
    final: {
      t: result.final.t,
      states: result.final.states,
      fds: result.final.fds,
      closedFds: result.final.closedFds,
      errors: result.final.errors,
    },
    accepted: Object.fromEntries(result.stats.accepted),
    expectations: result.expectations.map((e) => ({ what: e.what, pass: e.pass, ...(e.actual !== undefined ? { actual: e.actual } : {}) })),
    events: result.events,
  };
  return JSON.stringify(doc, null, 2);
}
