/**
 * The compiled table and the xstate machine agree on random event sequences from every leaf
 * state, with xstate's own snapshot carried from step to step (history states included) —
 * beyond the exhaustive single-step test in test/model/.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { transition, type AnyMachineSnapshot } from 'xstate';
import { ENDPOINT_EVENTS, createEndpointMachine, type EndpointFeatures } from '../../src/model/endpointMachine.js';
import { EVENT_COUNT, EVENT_INDEX, effectsOfActions, leafOf, machineLeaves, snapshotIn, tableFor, xstateEventFor } from '../../src/model/compileTable.js';
import { params } from './harness/runs.js';

const featuresArb: fc.Arbitrary<EndpointFeatures> = fc.record({
  orphanFinWait2Timeout: fc.boolean(),
  rstOnUnreadClose: fc.boolean(),
  rstEndsTimeWait: fc.boolean(),
  delayedFinAck: fc.boolean(),
});

const LEAVES = machineLeaves(createEndpointMachine({ orphanFinWait2Timeout: true, rstOnUnreadClose: true, rstEndsTimeWait: true, delayedFinAck: true }));

describe('compiled table', () => {
  it('follows the xstate machine step for step on random event sequences from every state', () => {
    fc.assert(
      fc.property(
        featuresArb,
        fc.constantFrom(...LEAVES),
        fc.array(fc.constantFrom(...ENDPOINT_EVENTS), { minLength: 1, maxLength: 40 }),
        (features, start, events) => {
          const machine = createEndpointMachine(features);
          const table = tableFor(features);
          let snapshot = snapshotIn(machine, start);
          let row = table.leafIndex(start);
          for (const [i, event] of events.entries()) {
            const leaf = leafOf(snapshot.value);
            const cell = row * EVENT_COUNT + EVENT_INDEX[event];
            const xEvent = xstateEventFor(machine, leaf, event);
            if (!xEvent) {
              // no such timer runs here: the table must ignore the event
              expect(table.handled[cell], `${leaf} ${event} at step ${i}`).toBe(0);
              continue;
            }
            const [after, actions] = transition(machine, snapshot as never, xEvent as never);
            const handled = after !== snapshot || actions.length > 0;
            expect(table.handled[cell], `${leaf} ${event} handled at step ${i}`).toBe(handled ? 1 : 0);
            if (handled) {
              expect(table.effects[cell], `${leaf} ${event} effects at step ${i}`).toBe(effectsOfActions(actions as never));
              row = table.next[cell]!;
            }
            snapshot = after as AnyMachineSnapshot;
            expect(table.leaves[row], `${leaf} ${event} next at step ${i}`).toBe(leafOf(snapshot.value));
          }
        },
      ),
      params(300),
    );
  });
});
