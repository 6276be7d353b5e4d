/**
 * Model-based property: two programs and a hand-driven network, random app calls, deliveries,
 * losses, duplicates, reorderings and clock advances. Invariants are checked after every
 * command (harness/invariants.ts, harness/traceObserver.ts); at the end the network delivers
 * or loses everything and only the permanent states may remain (harness/drain.ts).
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { commandArbs, profileChoiceArb } from './harness/arbitraries.js';
import type { DrainMode } from './harness/drain.js';
import { runModelCase } from './harness/modelCase.js';
import { params } from './harness/runs.js';

const drainModeArb = fc.constantFrom<DrainMode>('deliver-all', 'drop-all');

describe('close handshake under random programs and a hand-driven network', () => {
  it('keeps every invariant after each command and leaves only permanent states once drained', () => {
    fc.assert(
      fc.property(
        profileChoiceArb,
        fc.integer({ min: 1, max: 0x7fffffff }),
        fc.commands(commandArbs, { maxCommands: 80, size: 'large' }),
        drainModeArb,
        fc.boolean(),
        runModelCase,
      ),
      params(Number(process.env['TCPSIM_MODEL_RUNS'] ?? '400')),
    );
  });
});
