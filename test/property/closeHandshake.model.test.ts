/**
 * Model-based property: two programs and a hand-driven network, random app calls, deliveries,
 * losses, duplicates, reorderings and clock advances. Invariants are checked after every
 * command (harness/invariants.ts, harness/traceObserver.ts); at the end the network delivers
 * or loses everything and only the permanent states may remain (harness/drain.ts).
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { commandArbs, profileChoiceArb } from './harness/arbitraries.js';
import { checkDrain, type DrainMode } from './harness/drain.js';
import { params } from './harness/runs.js';
import { createTcpPair, profileOf } from './harness/tcpPair.js';
import { createTcpModel } from './harness/tcpModel.js';
import { checkInvariants } from './harness/invariants.js';
import { establish } from './harness/establish.js';

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
        (choice, seed, commands, drainMode, startEstablished) => {
          const setup = () => {
            const real = createTcpPair(profileOf(choice), seed);
            const model = createTcpModel();
            checkInvariants(model, real);
            if (startEstablished) establish(model, real);
            return { model, real };
          };
          let last: ReturnType<typeof setup> | undefined;
          fc.modelRun(() => (last = setup()), commands);
          if (!last) throw new Error('modelRun did not call setup');
          checkDrain(last.real.world, drainMode);
          checkInvariants(last.model, last.real);
        },
      ),
      params(Number(process.env['TCPSIM_MODEL_RUNS'] ?? '400')),
    );
  });
});
