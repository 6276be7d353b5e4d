/**
 * The model's side of `tcpsim compare`: the scenario run in the simulator and sampled finely
 * (every 10 ms, or coarser for a long run so that at most 20,000 samples are taken), so that its
 * counts can be read at any moment a recording was taken.
 */
import type { Scenario } from '../scenario/types.js';
import { simulate } from '../sim/simulate.js';
import type { StateCounts } from './watchSample.js';

/** Most model samples a comparison takes. */
export const MAX_MODEL_SAMPLES = 20_000;
/** The finest model sampling step, milliseconds. */
export const FINEST_STEP_MS = 10;

/** The model's counts at a fixed step from t = 0 to the scenario's end. */
export interface ModelTimeline {
  readonly stepMs: number;
  readonly untilMs: number;
  /** Every socket by state at t = i × stepMs. */
  readonly states: readonly StateCounts[];
  /** Per scenario process, the same. */
  readonly byProcess: readonly Record<string, StateCounts>[];
}

/** The sampling step for a run of `untilMs`: 10 ms, or the whole millisecond that keeps the samples under the cap. */
export function modelStepMs(untilMs: number): number {
  return Math.max(FINEST_STEP_MS, Math.ceil(untilMs / MAX_MODEL_SAMPLES));
}

/** Runs the scenario (whose `sample.every` must already be `modelStepMs`) and keeps its samples. */
export function modelTimeline(scenario: Scenario): ModelTimeline {
  const result = simulate(scenario);
  const stepMs = scenario.sample.every / 1000;
  const samples = result.samples.filter((s) => Math.abs(s.t / stepMs - Math.round(s.t / stepMs)) < 1e-9);
  return { stepMs, untilMs: scenario.sample.until / 1000, states: samples.map((s) => s.states), byProcess: samples.map((s) => s.byProcess) };
}
