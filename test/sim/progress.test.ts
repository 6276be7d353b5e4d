import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/scenario/index.js';
import { simulate } from '../../src/sim/simulate.js';

const BENCH = fileURLToPath(new URL('../../scenarios/bench-lifecycle.yaml', import.meta.url));

// The command line asks for progress while it runs; asking must not change the run.
describe('progress while simulating', () => {
  it('runs the same events with and without onProgress, told every 16,384 events and at each sample', () => {
    const scenario = loadScenarioFile(BENCH, { params: { connections: '4000' } });
    const quiet = simulate(scenario);
    const calls: [number, number][] = [];
    const told = simulate(scenario, { onProgress: (now, events) => calls.push([now, events]) });
    expect(told.events).toBe(quiet.events);
    expect(JSON.stringify(told.samples)).toBe(JSON.stringify(quiet.samples));
    expect(JSON.stringify(told.final)).toBe(JSON.stringify(quiet.final));
    expect(quiet.events).toBeGreaterThan(2 * 16_384);
    // one call at the end of each sample interval, plus one per 16,384 events inside an interval
    const midInterval = calls.filter(([now]) => now % scenario.sample.every !== 0);
    expect(midInterval.length).toBeGreaterThanOrEqual(1);
    expect(calls.length).toBe(scenario.sample.until / scenario.sample.every + 1 + midInterval.length);
    for (let i = 1; i < calls.length; i++) {
      expect(calls[i]![0]).toBeGreaterThanOrEqual(calls[i - 1]![0]);
      expect(calls[i]![1]).toBeGreaterThanOrEqual(calls[i - 1]![1]);
    }
    expect(calls[calls.length - 1]).toEqual([scenario.sample.until, told.events]);
  });
});
