/**
 * `--time-scale F` for real mode: the scenario's own times (sleeps, client start and ramp,
 * sample times, expectation times, fault windows, accept retry) multiplied by F, for the real
 * run and the model run alike. Kernel timers (TIME_WAIT 60 s, tcp_fin_timeout, RTO) belong to
 * the profile and do not scale. Pure.
 */
import type { Micros, ProcessSpec, Scenario, Step } from '../scenario/types.js';

function scaleTime(t: Micros, factor: number): Micros {
  return Math.max(0, Math.round(t * factor));
}

function scaleSteps(steps: readonly Step[], factor: number): Step[] {
  return steps.map((step) => (step.op === 'sleep' ? { op: 'sleep', duration: scaleTime(step.duration, factor) } : step));
}

function scaleProcess(spec: ProcessSpec, factor: number): ProcessSpec {
  const server = spec.server;
  const client = spec.client;
  return {
    ...spec,
    acceptCost: scaleTime(spec.acceptCost, factor),
    ...(server === undefined
      ? {}
      : {
          server: {
            ...server,
            onAcceptError: server.onAcceptError.kind === 'retry' ? { kind: 'retry', after: scaleTime(server.onAcceptError.after, factor) } : server.onAcceptError,
            steps: scaleSteps(server.steps, factor),
          },
        }),
    ...(client === undefined
      ? {}
      : { client: { ...client, start: scaleTime(client.start, factor), ramp: scaleTime(client.ramp, factor), steps: scaleSteps(client.steps, factor) } }),
  };
}

/** The scenario with its own times multiplied by `factor` (> 0); kernel timers untouched. */
export function scaleScenario(scenario: Scenario, factor: number): Scenario {
  if (!(factor > 0) || !Number.isFinite(factor)) throw new Error(`time scale must be a positive number, got ${factor}`);
  if (factor === 1) return scenario;
  return {
    ...scenario,
    processes: scenario.processes.map((p) => scaleProcess(p, factor)),
    sample: { every: Math.max(1000, scaleTime(scenario.sample.every, factor)), until: scaleTime(scenario.sample.until, factor) },
    expectations: scenario.expectations.map((e) => (typeof e.at === 'number' ? { ...e, at: scaleTime(e.at, factor) } : e)),
    faults: scenario.faults.map((f) => ({ ...f, from: scaleTime(f.from, factor), until: scaleTime(f.until, factor) })),
  };
}
