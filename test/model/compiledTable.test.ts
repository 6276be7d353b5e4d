import { describe, expect, it } from 'vitest';
import { transition, type AnyMachineSnapshot } from 'xstate';
import { ENDPOINT_EVENTS, TIMERS, createEndpointMachine, type EndpointFeatures } from '../../src/model/endpointMachine.js';
import { EVENT_COUNT, decodeEffects, leafOf, machineLeaves, snapshotIn, tableFor, valueOfLeaf, xstateEventFor } from '../../src/model/compileTable.js';
import { TCP_STATES } from '../../src/model/states.js';

/** All sixteen combinations of the profile features. */
const FEATURE_SETS: EndpointFeatures[] = Array.from({ length: 16 }, (_, bits) => ({
  orphanFinWait2Timeout: (bits & 1) !== 0,
  rstOnUnreadClose: (bits & 2) !== 0,
  rstEndsTimeWait: (bits & 4) !== 0,
  delayedFinAck: (bits & 8) !== 0,
}));

/** Leaf name of a snapshot value, written independently of compileTable's leafOf. */
function leafName(value: unknown): string {
  if (typeof value === 'string') return value;
  const [[parent, child]] = Object.entries(value as Record<string, string>) as [[string, string]];
  return `${parent}.${child}`;
}

/** What xstate says `event` does in `leaf`: next leaf and a sorted list of effect names. */
function fromXstate(features: EndpointFeatures, leaf: string, event: string): { next: string; effects: string[] } {
  const machine = createEndpointMachine(features);
  const before = snapshotIn(machine, leaf);
  let type = event;
  if (event.startsWith('TIMEOUT_')) {
    // the xstate event of a named `after` delay on this leaf or one of its ancestors
    const delay = event.slice('TIMEOUT_'.length);
    const ids = [leaf.split('.')[0]!, leaf];
    const node = ids.map((id) => machine.getStateNodeById(`tcp.${id}`)).find((n) => n.after.some((t) => t.delay === delay));
    if (!node) return { next: leaf, effects: [] };
    type = node.after.find((t) => t.delay === delay)!.eventType;
  }
  const [after, actions] = transition(machine, before as never, { type } as never);
  const effects = (actions as Array<{ type: string; params?: { id?: string; sendId?: string } }>).map((a) => {
    if (a.type === 'xstate.raise') return `start:${/after\.(\w+)\./.exec(a.params?.id ?? '')?.[1]}`;
    if (a.type === 'xstate.cancel') return `cancel:${/after\.(\w+)\./.exec(a.params?.sendId ?? '')?.[1]}`;
    return a.type;
  });
  return { next: leafName((after as AnyMachineSnapshot).value), effects: effects.sort() };
}

describe('the compiled table', () => {
  it('agrees with xstate transition() on every (state, event), for every profile feature set', () => {
    let cells = 0;
    let handled = 0;
    for (const features of FEATURE_SETS) {
      const table = tableFor(features);
      const leaves = machineLeaves(createEndpointMachine(features));
      expect(table.leaves).toEqual(leaves);
      leaves.forEach((leaf, row) => {
        ENDPOINT_EVENTS.forEach((event, col) => {
          const cell = row * EVENT_COUNT + col;
          const expected = fromXstate(features, leaf, event);
          const effects = decodeEffects(table.effects[cell]!);
          const actual = [...effects.actions, ...effects.start.map((t) => `start:${t}`), ...effects.cancel.map((t) => `cancel:${t}`)].sort();
          expect({ leaf, event, next: table.leaves[table.next[cell]!], effects: actual }).toEqual({ leaf, event, next: expected.next, effects: expected.effects });
          cells++;
          if (table.handled[cell]) handled++;
        });
      });
    }
    expect(cells).toBe(16 * 13 * ENDPOINT_EVENTS.length);
    expect(handled).toBeGreaterThan(16 * 80);
    // ~3 s of CPU on a quiet machine (xstate's transition() for every cell of 16 tables); a machine
    // at load 19 stretched it past the default 60 s
  }, 600_000);

  it('names only the five machine timers', () => {
    expect([...TIMERS]).toEqual(['synRto', 'finRto', 'twoMsl', 'finWait2', 'delAck']);
  });

  it('has the FIN_WAIT_2 timeout only where the profile has one', () => {
    const withTimer = tableFor({ orphanFinWait2Timeout: true, rstOnUnreadClose: true, rstEndsTimeWait: true, delayedFinAck: true });
    const without = tableFor({ orphanFinWait2Timeout: false, rstOnUnreadClose: true, rstEndsTimeWait: true, delayedFinAck: true });
    const cell = (t: typeof withTimer) => t.leafIndex('FIN_WAIT_2.orphaned') * EVENT_COUNT + ENDPOINT_EVENTS.indexOf('TIMEOUT_finWait2');
    expect(withTimer.handled[cell(withTimer)]).toBe(1);
    expect(without.handled[cell(without)]).toBe(0);
  });

  it('delays the ACK of a FIN received in ESTABLISHED only where the profile does, and sends it when the delAck timer of CLOSE_WAIT expires', () => {
    const delayed = tableFor({ orphanFinWait2Timeout: true, rstOnUnreadClose: true, rstEndsTimeWait: true, delayedFinAck: true });
    const prompt = tableFor({ orphanFinWait2Timeout: true, rstOnUnreadClose: true, rstEndsTimeWait: true, delayedFinAck: false });
    const fin = (t: typeof delayed) => decodeEffects(t.effects[t.leafIndex('ESTABLISHED') * EVENT_COUNT + ENDPOINT_EVENTS.indexOf('FIN')]!);
    expect(fin(delayed)).toEqual({ cancel: [], actions: ['notifyEof'], start: ['delAck'] });
    expect(fin(prompt)).toEqual({ cancel: [], actions: ['sendAck', 'notifyEof'], start: [] });
    const expiry = delayed.leafIndex('CLOSE_WAIT') * EVENT_COUNT + ENDPOINT_EVENTS.indexOf('TIMEOUT_delAck');
    expect(delayed.next[expiry]).toBe(delayed.leafIndex('CLOSE_WAIT'));
    expect(decodeEffects(delayed.effects[expiry]!).actions).toEqual(['sendAck']);
    // close() before the delay is up: the FIN carries the ACK, the timer is cancelled
    const close = decodeEffects(delayed.effects[delayed.leafIndex('CLOSE_WAIT') * EVENT_COUNT + ENDPOINT_EVENTS.indexOf('CLOSE')]!);
    expect(close).toEqual({ cancel: ['delAck'], actions: ['sendFin'], start: ['finRto'] });
  });
});

describe('compiled table bookkeeping', () => {
  const linux = { orphanFinWait2Timeout: true, rstOnUnreadClose: true, rstEndsTimeWait: true, delayedFinAck: true };

  it('leaf names and state values convert both ways, and anything else is refused', () => {
    expect(leafOf('ESTABLISHED')).toBe('ESTABLISHED');
    expect(leafOf({ FIN_WAIT_1: 'orphaned' })).toBe('FIN_WAIT_1.orphaned');
    expect(valueOfLeaf('FIN_WAIT_1.orphaned')).toEqual({ FIN_WAIT_1: 'orphaned' });
    expect(valueOfLeaf('CLOSED')).toBe('CLOSED');
    expect(() => leafOf({ A: 'x', B: 'y' })).toThrow(/unexpected state value/);
    expect(() => leafOf({})).toThrow(/unexpected state value/);
    expect(() => leafOf(null)).toThrow(/unexpected state value/);
    expect(() => leafOf(3)).toThrow(/unexpected state value/);
  });

  it('knows which leaves are orphaned and which RFC state each leaf is in', () => {
    const table = tableFor(linux);
    const orphaned = table.leaves.filter((_, i) => table.orphanedLeaf[i] === 1);
    expect(orphaned).toEqual(['FIN_WAIT_1.orphaned', 'FIN_WAIT_2.orphaned']);
    expect(table.leaves.map((leaf, i) => `${leaf}:${TCP_STATES[table.rfcStateOf[i]!]}`)).toContain('FIN_WAIT_2.attached:FIN_WAIT_2');
    expect(() => table.leafIndex('FIN_WAIT_3')).toThrow(/no leaf FIN_WAIT_3/);
  });

  it('is compiled once per feature set', () => {
    expect(tableFor({ ...linux })).toBe(tableFor({ ...linux }));
    expect(tableFor({ ...linux, delayedFinAck: false })).not.toBe(tableFor(linux));
  });

  it('finds the xstate event behind a timer only where that timer runs, looking up through parent states', () => {
    const machine = createEndpointMachine(linux);
    expect(xstateEventFor(machine, 'ESTABLISHED', 'FIN')).toEqual({ type: 'FIN' });
    expect(xstateEventFor(machine, 'FIN_WAIT_1.orphaned', 'TIMEOUT_finRto')?.type).toMatch(/^xstate\.after\./);
    expect(xstateEventFor(machine, 'ESTABLISHED', 'TIMEOUT_finRto')).toBeUndefined();
    expect(() => xstateEventFor(machine, 'NO_SUCH.leaf', 'TIMEOUT_finRto')).toThrow(/no state NO_SUCH\.leaf/);
  });
});
