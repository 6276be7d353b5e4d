/**
 * Mermaid diagrams: a `sequenceDiagram` of one connection (segments as messages, state changes
 * as notes, TIME_WAIT shaded, "60 s later" where time passes, each end's state at the end; runs
 * of data or bare ACKs folded into one message when compact) and a `stateDiagram-v2` of a state graph. All text that comes from
 * the trace or the graph goes through `mermaidText`, so no address, label or payload can break
 * the diagram's syntax.
 */
import { ACK, PSH } from '../model/segment.js';
import { RFC_SPELLING, type TcpState } from '../model/states.js';
import type { Trace, TraceEvent } from '../sim/trace.js';
import { clock, span } from './clock.js';
import { connectionView } from './connection.js';
import type { Side } from './connection.js';
import { absoluteSeq, relativeSeq } from './relativeSeq.js';
import { segmentText } from './rfcTable.js';
import { allStates, titleOf } from './stateGraph.js';
import type { StateGraph } from './stateGraph.js';
import { timerText } from './timerText.js';

/** Options of `mermaidSequence`. */
export interface MermaidSequenceOptions {
  /** `relative` (default) or `absolute` sequence numbers, as in `rfcTable`. */
  readonly seq?: 'relative' | 'absolute';
  /** The role drawn as participant A (default `client`). */
  readonly peerA?: 'client' | 'server';
  /** When the run ended (µs), for the closing "… at the end" notes; default: the connection's last event. */
  readonly endAt?: number;
  /** A pause of at least this many µs between two lines gets a "60 s later" note (default 10 ms: a loopback hop is not a pause). */
  readonly gapFrom?: number;
  /** Runs of three or more data segments (first sent or retransmitted) or bare ACKs, one way with nothing between, drawn as one message. */
  readonly compact?: boolean;
}

/** Shading of the TIME_WAIT block. */
const TIME_WAIT_FILL = 'rgb(255, 243, 205)';
/** A run of segments `compact` may draw as one message. */
const RUN_LENGTH = 3;

const ENTITIES: Readonly<Record<string, string>> = {
  '#': '#35;',
  ';': '#59;',
  '<': '#lt;',
  '>': '#gt;',
  '&': '#amp;',
  '"': '#quot;',
  '%': '#37;',
  ':': '#58;',
  '{': '#123;',
  '}': '#125;',
  '\\': '#92;',
  '`': '#96;',
};

/**
 * Text safe inside a Mermaid label: characters with a meaning in Mermaid syntax become entity
 * codes (`#lt;`, `#59;`, …, which Mermaid renders as the character), line breaks and other
 * control characters become spaces.
 */
export function mermaidText(text: string): string {
  return text.replace(/[#;<>&"%:{}\\`]|[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => ENTITIES[c] ?? ' ');
}

/** A virtual time for a note: `1:00.135` (µs in). */
function noteTime(us: number): string {
  return clock(Math.round(us / 1000));
}

/** One drawn segment, kept until we know whether it is part of a run. */
interface SentLine {
  readonly from: Side;
  readonly arrow: string;
  readonly text: string;
  /** The run it may join (ACK/PSH only, delivered): data, retransmitted data, or bare ACKs; else undefined. */
  readonly run: 'data' | 'retransmitted' | 'ack' | undefined;
  readonly seq: number;
  readonly ack: number;
  readonly bytes: number;
}

/**
 * A Mermaid `sequenceDiagram` of connection `conn`: A and B, each segment, each state change, a
 * note wherever time passes ("60 s later (at 1:00.135)"), and where each end is when the run ends.
 */
export function mermaidSequence(trace: Trace, conn: number, opts: MermaidSequenceOptions = {}): string {
  const view = connectionView(trace, conn, opts.peerA ?? 'client');
  const senderOf = (e: Extract<TraceEvent, { kind: 'send' }>): Side => view.sideOfSocket(e.socket) ?? view.sideOfSegment(e.segment) ?? 'A';
  const sends = view.events.flatMap((e) => (e.kind === 'send' ? [{ segment: e.segment, sender: senderOf(e) }] : []));
  const numbers = opts.seq === 'absolute' ? absoluteSeq : relativeSeq(sends);
  const gapFrom = opts.gapFrom ?? 10_000;

  const fate = new Map<number, { delivered: boolean; dropped?: string }>();
  for (const e of view.events) {
    if (e.kind === 'deliver') fate.set(e.segmentId, { ...fate.get(e.segmentId), delivered: true });
    if (e.kind === 'drop') fate.set(e.segmentId, { delivered: fate.get(e.segmentId)?.delivered ?? false, dropped: e.reason });
  }

  const out = ['sequenceDiagram'];
  const timeWaitSides = new Set<Side>();
  const indent = (): string => '    '.repeat(1 + (timeWaitSides.size > 0 ? 1 : 0));
  const name = (s: typeof view.a): string => mermaidText(`${s.role} ${s.local.addr}:${s.local.port}`);
  const state: Partial<Record<Side, TcpState>> = {};
  out.push(`    participant A as ${name(view.a)}`, `    participant B as ${name(view.b)}`);
  for (const side of ['A', 'B'] as const) {
    const first = view.events.find((e) => e.kind === 'state' && view.sideOfSocket(e.socket) === side);
    if (first?.kind === 'state') {
      state[side] = first.from;
      out.push(`    Note over ${side}: ${mermaidText(RFC_SPELLING[first.from])}`);
    }
  }

  let pending: SentLine[] = [];
  const flush = (): void => {
    const first = pending[0];
    const last = pending[pending.length - 1];
    if (opts.compact === true && first !== undefined && last !== undefined && pending.length >= RUN_LENGTH) {
      const to: Side = first.from === 'A' ? 'B' : 'A';
      const text =
        first.run !== 'ack'
          ? `${pending.length} ${first.run === 'data' ? 'segments' : 'retransmissions'} <SEQ=${first.seq}..${last.seq + last.bytes}> ${pending.reduce((n, l) => n + l.bytes, 0).toLocaleString('en-US')} bytes`
          : `${pending.length} ACKs <ACK=${first.ack}${last.ack === first.ack ? '' : `..${last.ack}`}>`;
      out.push(`${indent()}${first.from}${first.arrow}${to}: ${mermaidText(text)}`);
    } else {
      for (const l of pending) out.push(`${indent()}${l.from}${l.arrow}${l.from === 'A' ? 'B' : 'A'}: ${mermaidText(l.text)}`);
    }
    pending = [];
  };
  let lastAt: number | undefined;
  /** Before a line at `at`: a note if time passed since the last line. */
  const passTime = (at: number): void => {
    if (lastAt !== undefined && at - lastAt >= gapFrom) {
      flush();
      out.push(`${indent()}Note over A,B: ${mermaidText(`${span(at - lastAt)} later (at ${noteTime(at)})`)}`);
    }
    lastAt = at;
  };

  for (const event of view.events) {
    switch (event.kind) {
      case 'call':
      case 'timer':
      case 'error': {
        const side = view.sideOfSocket(event.socket);
        if (side === undefined) break;
        passTime(event.at);
        flush();
        const failed = event.kind === 'call' && /^E[A-Z]+$/.test(event.result) ? ` → ${event.result}` : '';
        const text = event.kind === 'call' ? `${event.call}()${failed}` : event.kind === 'timer' ? `(${timerText(event.timer)})` : event.errno;
        out.push(`${indent()}Note over ${side}: ${mermaidText(text)}`);
        break;
      }
      case 'send': {
        passTime(event.at);
        const from = senderOf(event);
        const what = fate.get(event.segmentId);
        const arrow = what?.delivered === true ? '->>' : what?.dropped !== undefined ? '-x' : '-)';
        const notes = [
          ...(event.retransmission ? ['retransmission'] : []),
          ...(what?.delivered !== true && what?.dropped !== undefined ? [what.dropped === 'loss' ? 'lost' : `dropped: ${what.dropped}`] : []),
          ...(what === undefined ? ['in flight at end of trace'] : []),
        ];
        const shown = numbers(event.segment, from);
        const bare = (event.segment.flags & ~(ACK | PSH)) === 0 && (event.segment.flags & ACK) !== 0;
        const plain = notes.length === 0 || (notes.length === 1 && event.retransmission);
        const run = !bare || !plain ? undefined : event.segment.payload.length === 0 ? (event.retransmission ? undefined : 'ack') : event.retransmission ? 'retransmitted' : 'data';
        const line: SentLine = { from, arrow, text: segmentText(event.segment, shown) + (notes.length > 0 ? ` (${notes.join(', ')})` : ''), run, seq: shown.seq, ack: shown.ack, bytes: event.segment.payload.length };
        const previous = pending[pending.length - 1];
        if (previous !== undefined && (line.run === undefined || previous.run !== line.run || previous.from !== line.from)) flush();
        pending.push(line);
        break;
      }
      case 'state': {
        const side = view.sideOfSocket(event.socket);
        if (side === undefined) break;
        passTime(event.at);
        flush();
        state[side] = event.to;
        if (event.to === 'TIME_WAIT' && !timeWaitSides.has(side)) {
          if (timeWaitSides.size === 0) out.push(`    rect ${TIME_WAIT_FILL}`);
          timeWaitSides.add(side);
        }
        out.push(`${indent()}Note over ${side}: ${mermaidText(`${RFC_SPELLING[event.from]} → ${RFC_SPELLING[event.to]}`)}`);
        if (event.from === 'TIME_WAIT' && event.to !== 'TIME_WAIT' && timeWaitSides.delete(side) && timeWaitSides.size === 0) {
          out.push('    end');
        }
        break;
      }
      case 'deliver':
      case 'drop':
        break;
    }
  }
  flush();
  const endAt = Math.max(opts.endAt ?? lastAt ?? 0, lastAt ?? 0);
  passTime(endAt);
  if (timeWaitSides.size > 0) out.push('    end');
  for (const side of ['A', 'B'] as const) {
    const s = state[side];
    if (s !== undefined) out.push(`    Note over ${side}: ${mermaidText(`${RFC_SPELLING[s]} at the end (${noteTime(endAt)})`)}`);
  }
  return out.join('\n') + '\n';
}

const MERMAID_RESERVED = new Set(['state', 'note', 'end', 'direction', 'classDef', 'class', 'style', 'hide', 'as', 'left', 'right', 'of', 'over']);

/** Mermaid ids for state names: the name itself when it is a plain identifier, else `s<index>`. */
function stateIds(names: readonly string[]): Map<string, string> {
  const ids = new Map<string, string>();
  names.forEach((n, i) => {
    const plain = /^[A-Za-z][A-Za-z0-9_]*$/.test(n) && !MERMAID_RESERVED.has(n) && !/^s\d+$/.test(n);
    ids.set(n, plain ? n : `s${i}`);
  });
  return ids;
}

/**
 * A Mermaid `stateDiagram-v2` of `graph` (one line per state, in the graph's order, which is
 * the order Mermaid's layout tries to keep; one per edge). A state shown under another name
 * (`titles`) is declared `state "CLOSED" as …`. The lines of a multi-line edge label (one per
 * event that takes the edge) are joined with `; `.
 */
export function mermaidStateDiagram(graph: StateGraph): string {
  const names = allStates(graph);
  const ids = stateIds(names);
  const id = (n: string): string => ids.get(n) ?? n;
  const out = ['stateDiagram-v2'];
  for (const n of names) {
    const title = titleOf(graph, n);
    out.push(id(n) === title ? `    ${n}` : `    state "${mermaidText(title)}" as ${id(n)}`);
  }
  if (graph.initial !== undefined) out.push(`    [*] --> ${id(graph.initial)}`);
  for (const e of graph.edges) {
    const label = e.label.split(/\r\n|\r|\n/).filter((part) => part.trim() !== '').join('; ');
    out.push(`    ${id(e.from)} --> ${id(e.to)}${label === '' ? '' : `: ${mermaidText(label)}`}`);
  }
  return out.join('\n') + '\n';
}
