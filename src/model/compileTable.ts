/**
 * Compiles the xstate endpoint machine into a flat (state × event) table of next states and
 * effect bitmasks, the engine's hot path. Every cell is obtained by asking xstate's pure
 * `transition()` — nothing here knows TCP — so the table cannot drift from the machine.
 */
import { transition, type AnyMachineSnapshot } from 'xstate';
import {
  ENDPOINT_ACTIONS,
  ENDPOINT_EVENTS,
  TIMERS,
  createEndpointMachine,
  type EndpointAction,
  type EndpointEvent,
  type EndpointFeatures,
  type EndpointMachine,
  type TimerName,
} from './endpointMachine.js';
import { featureKey } from './profile.js';
import { TCP_STATES, type TcpState } from './states.js';

/** Bit of an action in an effect mask. */
export const ACTION_BIT: Readonly<Record<EndpointAction, number>> = Object.fromEntries(
  ENDPOINT_ACTIONS.map((name, i) => [name, 1 << i]),
) as Record<EndpointAction, number>;

const TIMER_START_SHIFT = ENDPOINT_ACTIONS.length;
const TIMER_CANCEL_SHIFT = TIMER_START_SHIFT + TIMERS.length;

/** Bit meaning "start (or restart) this timer" in an effect mask. */
export function startTimerBit(timer: TimerName): number {
  return 1 << (TIMER_START_SHIFT + TIMERS.indexOf(timer));
}

/** Bit meaning "cancel this timer" in an effect mask. */
export function cancelTimerBit(timer: TimerName): number {
  return 1 << (TIMER_CANCEL_SHIFT + TIMERS.indexOf(timer));
}

/** Column of each abstract event in the table. */
export const EVENT_INDEX: Readonly<Record<EndpointEvent, number>> = Object.fromEntries(
  ENDPOINT_EVENTS.map((name, i) => [name, i]),
) as Record<EndpointEvent, number>;

/** Decoded effects of one cell, in the order the engine performs them. */
export interface Effects {
  readonly cancel: readonly TimerName[];
  readonly actions: readonly EndpointAction[];
  readonly start: readonly TimerName[];
}

/** The flat transition/effect table for one set of profile features. */
export interface TransitionTable {
  readonly features: EndpointFeatures;
  /** Leaf states of the machine (`FIN_WAIT_2.orphaned`, `TIME_WAIT`, ...), in row order. */
  readonly leaves: readonly string[];
  /** RFC state (index into TCP_STATES) of each leaf. */
  readonly rfcStateOf: Uint8Array;
  /** Orphaned leaf (the program has closed its fd): 1, else 0. */
  readonly orphanedLeaf: Uint8Array;
  /** next[leaf * EVENTS + event] = next leaf. */
  readonly next: Uint8Array;
  /** effects[leaf * EVENTS + event] = action, start-timer and cancel-timer bits. */
  readonly effects: Uint32Array;
  /** handled[leaf * EVENTS + event] = 1 when the machine has a transition for it. */
  readonly handled: Uint8Array;
  /** Row of the leaf named `name`. */
  leafIndex(name: string): number;
}

/** Number of table columns. */
export const EVENT_COUNT = ENDPOINT_EVENTS.length;

/** Leaf name of a snapshot's value: `ESTABLISHED` or `FIN_WAIT_1.orphaned`. */
export function leafOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    const first = entries[0];
    if (entries.length === 1 && first !== undefined) return `${first[0]}.${leafOf(first[1])}`;
  }
  throw new Error(`endpoint machine: unexpected state value ${JSON.stringify(value)}`);
}

/** State value for a leaf name (inverse of leafOf). */
export function valueOfLeaf(leaf: string): string | Record<string, string> {
  const dot = leaf.indexOf('.');
  return dot < 0 ? leaf : { [leaf.slice(0, dot)]: leaf.slice(dot + 1) };
}

interface StateNodeLike {
  readonly key: string;
  readonly type: string;
  readonly states: Readonly<Record<string, StateNodeLike>>;
  readonly after: ReadonlyArray<{ readonly eventType: string; readonly delay?: unknown }>;
  readonly parent?: StateNodeLike | undefined;
}

/** Leaf state names of the machine, depth first, skipping history pseudo-states. */
export function machineLeaves(machine: EndpointMachine): string[] {
  const out: string[] = [];
  const walk = (node: StateNodeLike, prefix: string): void => {
    for (const child of Object.values(node.states)) {
      if (child.type === 'history') continue;
      const name = prefix ? `${prefix}.${child.key}` : child.key;
      if (Object.keys(child.states).length === 0) out.push(name);
      else walk(child, name);
    }
  };
  walk(machine.root as unknown as StateNodeLike, '');
  return out;
}

/** The xstate event that a timer event stands for in `leaf`, or undefined when no such timer runs there. */
export function xstateEventFor(machine: EndpointMachine, leaf: string, event: EndpointEvent): { type: string } | undefined {
  if (!event.startsWith('TIMEOUT_')) return { type: event };
  const timer = event.slice('TIMEOUT_'.length);
  let node: StateNodeLike | undefined = nodeOf(machine, leaf);
  while (node) {
    const found = node.after.find((t) => t.delay === timer);
    if (found) return { type: found.eventType };
    node = node.parent;
  }
  return undefined;
}

function nodeOf(machine: EndpointMachine, leaf: string): StateNodeLike {
  let node = machine.root as unknown as StateNodeLike;
  for (const key of leaf.split('.')) {
    const child = node.states[key];
    if (!child) throw new Error(`endpoint machine: no state ${leaf}`);
    node = child;
  }
  return node;
}

/** A snapshot of the machine resting in `leaf`. */
export function snapshotIn(machine: EndpointMachine, leaf: string): AnyMachineSnapshot {
  return machine.resolveState({ value: valueOfLeaf(leaf), context: {} }) as AnyMachineSnapshot;
}

/** Effects of one xstate transition, from the actions `transition()` returned. */
export function effectsOfActions(actions: ReadonlyArray<{ type: string; params?: unknown }>): number {
  let mask = 0;
  for (const action of actions) {
    if (action.type === 'xstate.raise' || action.type === 'xstate.cancel') {
      const params = action.params as { id?: string; sendId?: string } | undefined;
      const id = params?.id ?? params?.sendId ?? '';
      const timer = /^xstate\.after\.([A-Za-z0-9]+)\./.exec(id)?.[1] as TimerName | undefined;
      if (!timer || !TIMERS.includes(timer)) throw new Error(`endpoint machine: unknown timer in ${id}`);
      mask |= action.type === 'xstate.raise' ? startTimerBit(timer) : cancelTimerBit(timer);
    } else if ((ENDPOINT_ACTIONS as readonly string[]).includes(action.type)) {
      mask |= ACTION_BIT[action.type as EndpointAction];
    } else {
      throw new Error(`endpoint machine: unexpected action ${action.type}`);
    }
  }
  return mask;
}

/** Splits an effect mask into the timers to cancel, the actions and the timers to start. */
export function decodeEffects(mask: number): Effects {
  return {
    cancel: TIMERS.filter((t) => mask & cancelTimerBit(t)),
    actions: ENDPOINT_ACTIONS.filter((a) => mask & ACTION_BIT[a]),
    start: TIMERS.filter((t) => mask & startTimerBit(t)),
  };
}

/** Asks xstate what `event` does in `leaf`: the next leaf and the effect mask. */
export function xstateStep(machine: EndpointMachine, leaf: string, event: EndpointEvent): { next: string; effects: number; handled: boolean } {
  const xEvent = xstateEventFor(machine, leaf, event);
  if (!xEvent) return { next: leaf, effects: 0, handled: false };
  const before = snapshotIn(machine, leaf);
  const [after, actions] = transition(machine, before as never, xEvent as never);
  const handled = after !== before || actions.length > 0;
  return { next: leafOf((after as AnyMachineSnapshot).value), effects: effectsOfActions(actions as never), handled };
}

/** Compiles the machine for `features` into a flat table. */
export function compileTable(features: EndpointFeatures): TransitionTable {
  const machine = createEndpointMachine(features);
  const leaves = machineLeaves(machine);
  const index = new Map(leaves.map((l, i) => [l, i] as const));
  const size = leaves.length * EVENT_COUNT;
  const next = new Uint8Array(size);
  const effects = new Uint32Array(size);
  const handled = new Uint8Array(size);
  leaves.forEach((leaf, row) => {
    ENDPOINT_EVENTS.forEach((event, col) => {
      const step = xstateStep(machine, leaf, event);
      const target = index.get(step.next);
      if (target === undefined) throw new Error(`endpoint machine: ${leaf} --${event}--> unknown ${step.next}`);
      next[row * EVENT_COUNT + col] = target;
      effects[row * EVENT_COUNT + col] = step.effects;
      handled[row * EVENT_COUNT + col] = step.handled ? 1 : 0;
    });
  });
  const rfcStateOf = Uint8Array.from(leaves, (leaf) => {
    const rfc = leaf.split('.')[0] as TcpState;
    const i = TCP_STATES.indexOf(rfc);
    if (i < 0) throw new Error(`endpoint machine: leaf ${leaf} is not under an RFC 9293 state`);
    return i;
  });
  const orphanedLeaf = Uint8Array.from(leaves, (leaf) => (leaf.endsWith('.orphaned') ? 1 : 0));
  return {
    features,
    leaves,
    rfcStateOf,
    orphanedLeaf,
    next,
    effects,
    handled,
    leafIndex(name: string): number {
      const i = index.get(name);
      if (i === undefined) throw new Error(`endpoint machine: no leaf ${name}`);
      return i;
    },
  };
}

const cache = new Map<string, TransitionTable>();

/** The compiled table for `features`, compiled once per process. */
export function tableFor(features: EndpointFeatures): TransitionTable {
  const key = featureKey(features);
  let table = cache.get(key);
  if (!table) {
    table = compileTable(features);
    cache.set(key, table);
  }
  return table;
}
