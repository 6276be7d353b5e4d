/**
 * The two reference points of the benchmark, on the same workload as bench-lifecycle (handshake,
 * one request and reply, client close, server close, TIME_WAIT expiry; starts spread over one
 * virtual second; 50 µs links; linux timers), with no fd tables, programs or sequence numbers:
 * - baseline B steps every endpoint through the compiled flat table (the practical limit);
 * - baseline A steps every endpoint through xstate's pure `transition()` per event.
 * Both share one minimal agenda (a typed-array heap) and one abstract "wire": a sent segment
 * becomes the peer's abstract event when it arrives, chosen from the peer's state then.
 */
import { transition, type AnyMachineSnapshot } from 'xstate';
import {
  ACTION_BIT,
  EVENT_COUNT,
  EVENT_INDEX,
  cancelTimerBit,
  effectsOfActions,
  leafOf,
  snapshotIn,
  startTimerBit,
  tableFor,
  xstateEventFor,
} from '../model/compileTable.js';
import { ENDPOINT_EVENTS, TIMERS, createEndpointMachine, type EndpointEvent } from '../model/endpointMachine.js';
import { LINUX, featuresOf } from '../model/profile.js';

const LATENCY = 50;
/** Duration of each machine timer (TIMERS order) under the linux profile. */
const TIMER_US: readonly number[] = TIMERS.map((t) => {
  const us = { synRto: LINUX.synRto, finRto: LINUX.rto, twoMsl: LINUX.timeWait, finWait2: LINUX.finTimeout, delAck: LINUX.delAck }[t];
  if (us === null) throw new Error(`baseline: the linux profile has no ${t} timer`);
  return us;
});
const E = EVENT_INDEX;
/** Agenda codes ≥ TIMER_CODE are timers; below are table events delivered as they are. */
const TIMER_CODE = 1000;
/** Wire codes: what kind of segment arrived (classified against the receiver's state on arrival). */
const WIRE_SYN = 2000;
const WIRE_SYN_ACK = 2001;
const WIRE_ACK = 2002;
const WIRE_FIN = 2003;
const WIRE_DATA = 2004;

/** A min-heap of (time, seq) with integer payload columns; no allocation per event. */
class Agenda {
  at: Float64Array = new Float64Array(1024);
  seq: Float64Array = new Float64Array(1024);
  who: Int32Array = new Int32Array(1024);
  code: Int32Array = new Int32Array(1024);
  gen: Int32Array = new Int32Array(1024);
  size = 0;
  private nextSeq = 0;

  push(at: number, who: number, code: number, gen: number): void {
    if (this.size === this.at.length) this.grow();
    const seq = this.nextSeq++;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.at[p]! < at || (this.at[p] === at && this.seq[p]! < seq)) break;
      this.move(p, i);
      i = p;
    }
    this.at[i] = at;
    this.seq[i] = seq;
    this.who[i] = who;
    this.code[i] = code;
    this.gen[i] = gen;
  }

  /** Moves the top into the out fields and removes it. */
  popInto(out: { at: number; who: number; code: number; gen: number }): void {
    out.at = this.at[0]!;
    out.who = this.who[0]!;
    out.code = this.code[0]!;
    out.gen = this.gen[0]!;
    const n = --this.size;
    if (n === 0) return;
    const at = this.at[n]!;
    const seq = this.seq[n]!;
    const who = this.who[n]!;
    const code = this.code[n]!;
    const gen = this.gen[n]!;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && (this.at[r]! < this.at[l]! || (this.at[r] === this.at[l] && this.seq[r]! < this.seq[l]!)) ? r : l;
      if (at < this.at[c]! || (at === this.at[c] && seq < this.seq[c]!)) break;
      this.move(c, i);
      i = c;
    }
    this.at[i] = at;
    this.seq[i] = seq;
    this.who[i] = who;
    this.code[i] = code;
    this.gen[i] = gen;
  }

  private move(from: number, to: number): void {
    this.at[to] = this.at[from]!;
    this.seq[to] = this.seq[from]!;
    this.who[to] = this.who[from]!;
    this.code[to] = this.code[from]!;
    this.gen[to] = this.gen[from]!;
  }

  private grow(): void {
    const n = this.at.length * 2;
    const grow64 = (a: Float64Array): Float64Array => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    const grow32 = (a: Int32Array): Int32Array => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.at = grow64(this.at);
    this.seq = grow64(this.seq);
    this.who = grow32(this.who);
    this.code = grow32(this.code);
    this.gen = grow32(this.gen);
  }
}

/** How an endpoint moves: the flat table (B) or xstate (A). Endpoints are numbered conn*2 + side. */
interface Stepper {
  /** RFC state name's first letters are enough to classify arrivals: the leaf's RFC state. */
  state(endpoint: number): string;
  /** Applies `event`; returns the effect mask, or -1 when the event is not handled. */
  step(endpoint: number, event: number): number;
}

/** Result of a baseline run. */
export interface BaselineResult {
  readonly connections: number;
  readonly events: number;
  readonly wallMs: number;
  readonly closed: number;
}

function drive(connections: number, stepper: Stepper): BaselineResult {
  const agenda = new Agenda();
  const timerGen = new Int32Array(connections * 2 * TIMERS.length);
  const out = { at: 0, who: 0, code: 0, gen: 0 };
  let events = 0;
  let closed = 0;
  const started = performance.now();
  for (let c = 0; c < connections; c++) agenda.push(Math.floor((1_000_000 * c) / connections), c * 2, E.CONNECT!, 0);
  // the server side of every connection listens from the start
  for (let c = 0; c < connections; c++) stepper.step(c * 2 + 1, E.LISTEN!);
  const perform = (who: number, event: number, now: number): void => {
    const fx = stepper.step(who, event);
    if (fx < 0) return;
    const peer = who ^ 1;
    for (let t = 0; t < TIMERS.length; t++) if (fx & cancelTimerBit(TIMERS[t]!)) timerGen[who * TIMERS.length + t]! += 2;
    if (fx & ACTION_BIT.sendSyn) agenda.push(now + LATENCY, peer, WIRE_SYN, 0);
    if (fx & ACTION_BIT.sendSynAck) agenda.push(now + LATENCY, peer, WIRE_SYN_ACK, 0);
    if (fx & ACTION_BIT.sendFin) agenda.push(now + LATENCY, peer, WIRE_FIN, 0);
    if (fx & ACTION_BIT.sendAck) agenda.push(now + LATENCY, peer, WIRE_ACK, 0);
    if (fx & ACTION_BIT.notifyConnected && (who & 1) === 0) agenda.push(now + LATENCY, peer, WIRE_DATA, 0); // client writes its request
    if (fx & ACTION_BIT.notifyEof && (who & 1) === 1) agenda.push(now, who, E.CLOSE!, 0); // server reads EOF, closes
    for (let t = 0; t < TIMERS.length; t++) {
      if (fx & startTimerBit(TIMERS[t]!)) {
        const g = (timerGen[who * TIMERS.length + t]! += 2) | 1;
        timerGen[who * TIMERS.length + t] = g;
        agenda.push(now + TIMER_US[t]!, who, TIMER_CODE + t, g);
      }
    }
    if (stepper.state(who) === 'CLOSED') closed++;
  };
  while (agenda.size > 0) {
    agenda.popInto(out);
    events++;
    const { at: now, who, code } = out;
    if (code >= WIRE_SYN) {
      const state = stepper.state(who);
      if (code === WIRE_SYN) perform(who, E.SYN!, now);
      else if (code === WIRE_SYN_ACK) perform(who, E.SYN_ACK!, now);
      else if (code === WIRE_ACK) {
        if (state === 'SYN_RECEIVED') perform(who, E.ACK_OF_SYN!, now);
        else if (state === 'FIN_WAIT_1' || state === 'LAST_ACK' || state === 'CLOSING') perform(who, E.ACK_OF_FIN!, now);
      } else if (code === WIRE_FIN) {
        // the server closes as soon as it reads EOF, within its delayed ACK: its FIN carries the
        // ACK of ours, and nothing is lost here, so a FIN reaching FIN_WAIT_1 acknowledges our FIN
        perform(who, state === 'FIN_WAIT_1' ? E.FIN_ACK_OF_FIN! : E.FIN!, now);
      }
      else {
        perform(who, E.DATA!, now);
        // the server answers the request; the client, once answered, closes
        if (who & 1) agenda.push(now + LATENCY, who ^ 1, WIRE_DATA, 0);
        else agenda.push(now, who, E.CLOSE!, 0);
      }
    } else if (code >= TIMER_CODE) {
      const t = code - TIMER_CODE;
      if (timerGen[who * TIMERS.length + t] === out.gen) {
        timerGen[who * TIMERS.length + t] = out.gen + 1;
        perform(who, EVENT_INDEX[`TIMEOUT_${TIMERS[t]!}` as EndpointEvent], now);
      }
    } else perform(who, code, now);
  }
  return { connections, events, wallMs: performance.now() - started, closed };
}

/** Baseline B: the compiled flat table, one byte of state per endpoint. */
export function runFlatTable(connections: number): BaselineResult {
  const table = tableFor(featuresOf(LINUX));
  const leaf = new Uint8Array(connections * 2);
  const names = table.leaves.map((l) => l.split('.')[0]!);
  return drive(connections, {
    state: (who) => names[leaf[who]!]!,
    step(who, event) {
      const cell = leaf[who]! * EVENT_COUNT + event;
      if (table.handled[cell] === 0) return -1;
      leaf[who] = table.next[cell]!;
      return table.effects[cell]!;
    },
  });
}

/** Baseline A: xstate's pure `transition()` per event, one snapshot per endpoint. */
export function runXstate(connections: number): BaselineResult {
  const machine = createEndpointMachine(featuresOf(LINUX));
  const snapshots: AnyMachineSnapshot[] = new Array<AnyMachineSnapshot>(connections * 2);
  const closedSnapshot = snapshotIn(machine, 'CLOSED');
  snapshots.fill(closedSnapshot);
  const leaves: string[] = new Array<string>(connections * 2).fill('CLOSED');
  return drive(connections, {
    state: (who) => leaves[who]!.split('.')[0]!,
    step(who, event) {
      const name = ENDPOINT_EVENTS[event]!;
      const xEvent = xstateEventFor(machine, leaves[who]!, name);
      if (!xEvent) return -1;
      const before = snapshots[who]!;
      const [after, actions] = transition(machine, before as never, xEvent as never);
      if (after === before && actions.length === 0) return -1;
      snapshots[who] = after as AnyMachineSnapshot;
      leaves[who] = leafOf((after as AnyMachineSnapshot).value);
      return effectsOfActions(actions as never);
    },
  });
}
