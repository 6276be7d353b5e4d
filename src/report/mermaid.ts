/**
 * Mermaid diagrams: a `sequenceDiagram` of one connection (segments as messages, state changes
 * as notes, TIME_WAIT shaded) and a `stateDiagram-v2` of a state graph. All text that comes from
 * the trace or the graph goes through `mermaidText`, so no address, label or payload can break
 * the diagram's syntax.
 */
import { RFC_SPELLING } from '../model/states.js';
import type { Trace, TraceEvent } from '../sim/trace.js';
import { connectionView } from './connection.js';
import type { Side } from './connection.js';
import { absoluteSeq, relativeSeq } from './relativeSeq.js';
import { segmentText } from './rfcTable.js';
import { allStates } from './stateGraph.js';
import type { StateGraph } from './stateGraph.js';
import { timerText } from './timerText.js';

/** Options of `mermaidSequence`. */
export interface MermaidSequenceOptions {
  /** `relative` (default) or `absolute` sequence numbers, as in `rfcTable`. */
  readonly seq?: 'relative' | 'absolute';
  /** The role drawn as participant A (default `client`). */
  readonly peerA?: 'client' | 'server';
}

/** Shading of the TIME_WAIT block. */
const TIME_WAIT_FILL = 'rgb(255, 243, 205)';

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

/** A Mermaid `sequenceDiagram` of connection `conn`: A and B, each segment, each state change. */
export function mermaidSequence(trace: Trace, conn: number, opts: MermaidSequenceOptions = {}): string {
  const view = connectionView(trace, conn, opts.peerA ?? 'client');
  const senderOf = (e: Extract<TraceEvent, { kind: 'send' }>): Side => view.sideOfSocket(e.socket) ?? view.sideOfSegment(e.segment) ?? 'A';
  const sends = view.events.flatMap((e) => (e.kind === 'send' ? [{ segment: e.segment, sender: senderOf(e) }] : []));
  const numbers = opts.seq === 'absolute' ? absoluteSeq : relativeSeq(sends);

  const fate = new Map<number, { delivered: boolean; dropped?: string }>();
  for (const e of view.events) {
    if (e.kind === 'deliver') fate.set(e.segmentId, { ...fate.get(e.segmentId), delivered: true });
    if (e.kind === 'drop') fate.set(e.segmentId, { delivered: fate.get(e.segmentId)?.delivered ?? false, dropped: e.reason });
  }

  const out = ['sequenceDiagram'];
  const indent = (): string => '    '.repeat(1 + (timeWaitSides.size > 0 ? 1 : 0));
  const timeWaitSides = new Set<Side>();
  const name = (s: typeof view.a): string => mermaidText(`${s.role} ${s.local.addr}:${s.local.port}`);
  out.push(`    participant A as ${name(view.a)}`, `    participant B as ${name(view.b)}`);
  for (const side of ['A', 'B'] as const) {
    const first = view.events.find((e) => e.kind === 'state' && view.sideOfSocket(e.socket) === side);
    if (first?.kind === 'state') out.push(`    Note over ${side}: ${mermaidText(RFC_SPELLING[first.from])}`);
  }

  for (const event of view.events) {
    switch (event.kind) {
      case 'call':
      case 'timer':
      case 'error': {
        const side = view.sideOfSocket(event.socket);
        if (side === undefined) break;
        const failed = event.kind === 'call' && /^E[A-Z]+$/.test(event.result) ? ` → ${event.result}` : '';
        const text = event.kind === 'call' ? `${event.call}()${failed}` : event.kind === 'timer' ? `(${timerText(event.timer)})` : event.errno;
        out.push(`${indent()}Note over ${side}: ${mermaidText(text)}`);
        break;
      }
      case 'send': {
        const from = senderOf(event);
        const to: Side = from === 'A' ? 'B' : 'A';
        const what = fate.get(event.segmentId);
        const arrow = what?.delivered === true ? '->>' : what?.dropped !== undefined ? '-x' : '-)';
        const notes = [
          ...(event.retransmission ? ['retransmission'] : []),
          ...(what?.delivered !== true && what?.dropped !== undefined ? [what.dropped === 'loss' ? 'lost' : `dropped: ${what.dropped}`] : []),
          ...(what === undefined ? ['in flight at end of trace'] : []),
        ];
        const text = segmentText(event.segment, numbers(event.segment, from)) + (notes.length > 0 ? ` (${notes.join(', ')})` : '');
        out.push(`${indent()}${from}${arrow}${to}: ${mermaidText(text)}`);
        break;
      }
      case 'state': {
        const side = view.sideOfSocket(event.socket);
        if (side === undefined) break;
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
  if (timeWaitSides.size > 0) out.push('    end');
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
 * A Mermaid `stateDiagram-v2` of `graph` (one line per state, one per edge). The lines of a
 * multi-line edge label (one per event that takes the edge) are joined with `; `.
 */
export function mermaidStateDiagram(graph: StateGraph): string {
  const names = allStates(graph);
  const ids = stateIds(names);
  const id = (n: string): string => ids.get(n) ?? n;
  const out = ['stateDiagram-v2'];
  for (const n of names) {
    out.push(id(n) === n ? `    ${n}` : `    state "${mermaidText(n)}" as ${id(n)}`);
  }
  if (graph.initial !== undefined) out.push(`    [*] --> ${id(graph.initial)}`);
  for (const e of graph.edges) {
    const label = e.label.split(/\r\n|\r|\n/).filter((part) => part.trim() !== '').join('; ');
    out.push(`    ${id(e.from)} --> ${id(e.to)}${label === '' ? '' : `: ${mermaidText(label)}`}`);
  }
  return out.join('\n') + '\n';
}
