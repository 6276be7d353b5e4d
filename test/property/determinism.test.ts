/** Determinism: the same scenario and seed give the same trace, byte for byte. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/sim/simulate.js';
import { clientGroupsArb, fdLimitArb, seedArb } from './harness/lawArbitraries.js';
import { params } from './harness/runs.js';
import { lastClientClose, lawScenario, type LawScenario } from './harness/scenarios.js';

const SECOND = 1_000_000;

const randomScenario = fc
  .record({
    seed: seedArb,
    profile: fc.constantFrom('linux' as const, 'rfc9293' as const),
    fd: fdLimitArb,
    acceptPolicy: fc.constantFrom('posix' as const, 'libuv' as const),
    backlog: fc.integer({ min: 1, max: 64 }),
    acceptRetry: fc.option(fc.integer({ min: 100_000, max: SECOND }), { nil: null }),
    server: fc.oneof(
      fc.constant({ kind: 'never-closes' as const }),
      fc.constant({ kind: 'closes' as const }),
      fc.record({ kind: fc.constant('closes-after' as const), delay: fc.integer({ min: 0, max: 5 * SECOND }), ending: fc.constantFrom('close' as const, 'shutdown' as const) }),
    ),
    clients: clientGroupsArb({ maxPerGroup: 40, maxArrival: 5 * SECOND }),
    network: fc.record({
      latency: fc.integer({ min: 10, max: 50_000 }),
      jitter: fc.integer({ min: 0, max: 20_000 }),
      loss: fc.double({ min: 0, max: 0.3, noNaN: true }),
      duplicate: fc.double({ min: 0, max: 0.3, noNaN: true }),
      reorder: fc.double({ min: 0, max: 0.3, noNaN: true }),
    }),
  })
  .map(({ fd, network, ...rest }) => {
    const law: LawScenario = { ...rest, nofile: fd.nofile, baselineFds: fd.baselineFds, until: 0 };
    const scenario = lawScenario({ ...law, until: lastClientClose(law) + 30 * SECOND });
    return { ...scenario, network };
  });

describe('determinism', () => {
  it('a random scenario run twice with the same seed gives identical traces and samples', () => {
    fc.assert(
      fc.property(randomScenario, (scenario) => {
        const first = simulate(scenario, { trace: true });
        const second = simulate(scenario, { trace: true });
        expect(JSON.stringify(second.world.trace())).toBe(JSON.stringify(first.world.trace()));
        expect(second.samples).toEqual(first.samples);
      }),
      params(20),
    );
  });
});
