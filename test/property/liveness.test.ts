/**
 * Liveness under loss: finitely many losses cannot keep a connection from CLOSED; a link that
 * drops everything lets the retry limits end each socket with ETIMEDOUT — none stays forever in
 * FIN_WAIT_1, CLOSING or LAST_ACK. The checks live in harness/laws.ts.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { clientGroupsArb, seedArb } from './harness/lawArbitraries.js';
import { blackoutLaw, finiteLossLaw } from './harness/laws.js';
import { params } from './harness/runs.js';
import type { LawScenario } from './harness/scenarios.js';

const SECOND = 1_000_000;
/** When the link starts dropping everything: every connection is open and has said hello by then. */
export const BLACKOUT = 6 * SECOND;

const base = { nofile: 1024, baselineFds: 3, acceptPolicy: 'posix' as const, backlog: 256, acceptRetry: SECOND, until: 0 };

describe('liveness under loss', () => {
  it('with finitely many losses both sides of every connection reach CLOSED', () => {
    fc.assert(
      fc.property(
        seedArb,
        fc.constantFrom('linux' as const, 'rfc9293' as const),
        clientGroupsArb({ maxPerGroup: 50 }),
        fc.integer({ min: 0, max: 10 * SECOND }),
        fc.double({ min: 0.05, max: 0.6, noNaN: true }),
        fc.constantFrom('any' as const, 'fin' as const, 'syn' as const, 'data' as const),
        fc.integer({ min: 0, max: 10 * SECOND }),
        (seed, profile, clients, lossUntil, drop, match, delay) => {
          const law: LawScenario = {
            ...base,
            seed,
            profile,
            server: { kind: 'closes-after', delay, ending: 'close' },
            clients,
            faults: [{ match, from: 0, until: lossUntil, drop }],
          };
          finiteLossLaw(law, lossUntil);
        },
      ),
      params(30),
    );
  });

  it('with a link that drops everything, retry limits end each socket with ETIMEDOUT and none is stuck in FIN_WAIT_1, CLOSING or LAST_ACK', () => {
    fc.assert(
      fc.property(
        seedArb,
        fc.constantFrom('linux' as const, 'rfc9293' as const),
        clientGroupsArb({ maxPerGroup: 50, minHold: BLACKOUT, maxArrival: 4 * SECOND }),
        fc.integer({ min: BLACKOUT, max: BLACKOUT + 20 * SECOND }),
        fc.constantFrom('close' as const, 'shutdown' as const),
        fc.constantFrom('close' as const, 'shutdown' as const),
        (seed, profile, groups, delay, serverEnding, clientEnding) => {
          blackoutLaw({
            ...base,
            seed,
            profile,
            server: { kind: 'closes-after', delay, ending: serverEnding },
            clients: groups.map((g) => ({ ...g, ending: clientEnding })),
            faults: [{ match: 'any', from: BLACKOUT, until: Number.MAX_SAFE_INTEGER, drop: 1 }],
          });
        },
      ),
      params(30),
    );
  });
});
