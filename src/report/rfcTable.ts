/**
 * A connection's close (or whole life) drawn the way RFC 9293 draws Figures 12 and 13: numbered
 * lines, Peer A's state on the left, Peer B's on the right, `-->`/`<--` for segments,
 * `<SEQ=100><ACK=300><CTL=FIN,ACK>` for their headers, `...` for a segment still in flight (its
 * arrival gets a line of its own), `XXX` for a lost one, `(Close)` for app calls and `(2 MSL)` for
 * timers, plus a virtual-time column.
 *
 * Layout rules (they reproduce both RFC figures from event-ordered traces):
 * - A numbered line starts at an app call, a timer or a send, unless it happens at the same virtual
 *   time as the line's first event and its side has not received anything yet in that line (nor,
 *   for an app call or timer, sent anything: those are printed above the line's segments, so one
 *   that came after a send of its side opens a line of its own).
 *   Deliveries and drops never start a line; they belong to the line of the last started one.
 * - A send whose delivery (or loss) is the next thing that happens on the connection is drawn on
 *   one row (`-->  ... -->`); otherwise it is drawn with `...` and the arrival gets its own row.
 * - App calls and timers of a line are printed above its segments (`(Close)`), and their state
 *   changes take effect there.
 * - As in the RFC, states are printed on the first segment row of each line (both sides, as of
 *   that row), on a line's own state row when it has no segments (only the sides that changed),
 *   and on a state row before a line's app calls when earlier changes are not yet shown. A state
 *   that a later row of the same line replaces is printed on the row that entered it, so no state
 *   a side passes through is left out (two segments arriving at once: FIN-WAIT-2, then TIME-WAIT).
 * - A call that fails (its result is an errno, such as a read that gets ECONNRESET) is noted like an
 *   error event, `(A: ECONNRESET)`, whichever call it was.
 * - Sequence numbers are relative to each side's ISN by default (Wireshark's numbers, so a pcapng
 *   of the same trace reads the same); `seq: 'absolute'` prints them as on the wire.
 */
import { ACK, ctlText } from '../model/segment.js';
import type { Segment } from '../model/segment.js';
import { RFC_SPELLING } from '../model/states.js';
import type { TcpState } from '../model/states.js';
import type { AppCall, SocketInfo, Trace, TraceEvent } from '../sim/trace.js';
import { connectionView } from './connection.js';
import type { Side } from './connection.js';
import { absoluteSeq, relativeSeq } from './relativeSeq.js';
import type { SeqMapper } from './relativeSeq.js';
import { timerText } from './timerText.js';

/** How `rfcTable` numbers and annotates its output. */
export interface RfcTableOptions {
  /** `relative` (default): numbers minus each side's ISN; `absolute`: as on the wire. */
  readonly seq?: 'relative' | 'absolute';
  /** The role drawn as TCP Peer A, on the left (default `client`). */
  readonly peerA?: 'client' | 'server';
  /** Print the virtual-time column (default true). */
  readonly time?: boolean;
  /** Also print `read`, `write` and `socket` calls (default false). */
  readonly allCalls?: boolean;
  /** Print a line naming the peers and the numbering below the table (default true). */
  readonly legend?: boolean;
}

interface Change {
  readonly side: Side;
  readonly to: TcpState;
  readonly at: number;
}

interface Annotation {
  readonly side: Side;
  readonly at: number;
  readonly text: string;
  readonly changes: Change[];
}

interface BodyRow {
  readonly at: number;
  readonly from: Side;
  readonly text: string;
  /** Marker at the sender's end (`-->`/`<--`, or `...` on an arrival row). */
  senderEnd: string;
  /** Marker at the receiver's end (`-->`/`<--`, `...` in flight, `XXX` lost). */
  receiverEnd: string;
  readonly changes: Change[];
  readonly notes: string[];
}

interface Line {
  readonly at: number;
  readonly annotations: Annotation[];
  readonly body: BodyRow[];
  /** State changes from app calls or timers that have no printed annotation. */
  readonly pending: Change[];
  /** Sides that have received a segment in this line. */
  readonly received: Set<Side>;
  /** Sides that have sent a segment in this line. */
  readonly sent: Set<Side>;
}

/** A call's `result` that is an errno name rather than an fd or a byte count. */
const ERRNO_RESULT = /^E[A-Z]+$/;

const SHOWN_CALLS: ReadonlySet<AppCall> = new Set(['connect', 'listen', 'accept', 'shutdown', 'close', 'abort', 'exit']);


/** `close` ⇒ `Close`, as the RFC writes user calls. */
function callText(call: AppCall): string {
  return `(${call.charAt(0).toUpperCase()}${call.slice(1)})`;
}

/** `<SEQ=100><ACK=300><CTL=FIN,ACK>`, plus `<DATA=n>` when the segment carries n bytes. */
export function segmentText(segment: Segment, numbers: { readonly seq: number; readonly ack: number }): string {
  const ack = segment.flags & ACK ? `<ACK=${numbers.ack}>` : '';
  const data = segment.payload.length > 0 ? `<DATA=${segment.payload.length}>` : '';
  return `<SEQ=${numbers.seq}>${ack}<CTL=${ctlText(segment.flags)}>${data}`;
}

/**
 * Seconds to the millisecond: the microseconds a kernel spends between two segments or waking a
 * program are real (the JSON, Mermaid and pcapng keep them) but only clutter a table people
 * read line by line, which the order of its lines already tells.
 */
function timeFormatter(): (us: number) => string {
  return (us) => `${(Math.round(us / 1000) / 1000).toFixed(3)}s`;
}

function other(side: Side): Side {
  return side === 'A' ? 'B' : 'A';
}

/** The RFC-9293-style table of connection `conn` in `trace`. */
export function rfcTable(trace: Trace, conn: number, opts: RfcTableOptions = {}): string {
  const view = connectionView(trace, conn, opts.peerA ?? 'client');
  const events = view.events;
  const sends = events.flatMap((e) => (e.kind === 'send' ? [{ segment: e.segment, sender: senderOf(e) }] : []));
  function senderOf(e: Extract<TraceEvent, { kind: 'send' }>): Side {
    return view.sideOfSocket(e.socket) ?? view.sideOfSegment(e.segment) ?? 'A';
  }
  const numbers: SeqMapper = opts.seq === 'absolute' ? absoluteSeq : relativeSeq(sends);

  const initial: Record<Side, TcpState> = { A: 'CLOSED', B: 'CLOSED' };
  for (const side of ['A', 'B'] as const) {
    const first = events.find((e) => e.kind === 'state' && view.sideOfSocket(e.socket) === side);
    if (first?.kind === 'state') initial[side] = first.from;
  }

  const lines: Line[] = [];
  const rowOfSegment = new Map<number, BodyRow>(); // the send row, for merging and arrivals
  const arrivalOfSegment = new Map<number, BodyRow>(); // where the segment's delivery was drawn
  const merged = new Set<number>(); // event indexes consumed by a merged send row
  const lastAnnotation = new Map<Side, Annotation>();
  let line: Line | undefined;

  const startLine = (at: number): Line => {
    line = { at, annotations: [], body: [], pending: [], received: new Set(), sent: new Set() };
    lines.push(line);
    lastAnnotation.clear();
    return line;
  };
  const lineFor = (at: number, side: Side): Line =>
    line !== undefined && line.at === at && !line.received.has(side) ? line : startLine(at);
  /** The line for an app call or timer: one that has nothing of `side`'s to print above it. */
  const annotationLineFor = (at: number, side: Side): Line =>
    line !== undefined && line.at === at && !line.received.has(side) && !line.sent.has(side) ? line : startLine(at);
  const currentLine = (at: number): Line => line ?? startLine(at);
  const noteError = (at: number, side: Side, errno: string): void => {
    const target = currentLine(at);
    const lastRow = target.body.at(-1);
    if (lastRow !== undefined) lastRow.notes.push(`${side}: ${errno}`);
    else target.annotations.push({ side, at, text: `(${errno})`, changes: [] });
  };

  /** Index of the next event after `i` that is not a state change, or -1. */
  const nextShown = (i: number): number => {
    for (let j = i + 1; j < events.length; j++) if (events[j]?.kind !== 'state') return j;
    return -1;
  };

  events.forEach((event, index) => {
    if (merged.has(index)) {
      if (event.kind === 'deliver') {
        const row = rowOfSegment.get(event.segmentId);
        if (row !== undefined) {
          arrivalOfSegment.set(event.segmentId, row);
          currentLine(event.at).received.add(other(row.from));
        }
      }
      return;
    }
    switch (event.kind) {
      case 'call': {
        const side = view.sideOfSocket(event.socket);
        if (side === undefined) return;
        if (ERRNO_RESULT.test(event.result)) {
          noteError(event.at, side, event.result);
          return;
        }
        if (!opts.allCalls && !SHOWN_CALLS.has(event.call)) return;
        const annotation: Annotation = { side, at: event.at, text: callText(event.call), changes: [] };
        annotationLineFor(event.at, side).annotations.push(annotation);
        lastAnnotation.set(side, annotation);
        return;
      }
      case 'timer': {
        const side = view.sideOfSocket(event.socket);
        if (side === undefined) return;
        const annotation: Annotation = { side, at: event.at, text: `(${timerText(event.timer)})`, changes: [] };
        annotationLineFor(event.at, side).annotations.push(annotation);
        lastAnnotation.set(side, annotation);
        return;
      }
      case 'error': {
        const side = view.sideOfSocket(event.socket);
        if (side === undefined) return;
        noteError(event.at, side, event.errno);
        return;
      }
      case 'send': {
        const from = senderOf(event);
        const target = lineFor(event.at, from);
        const next = nextShown(index);
        const follower = next >= 0 ? events[next] : undefined;
        let receiverEnd = '...';
        if (follower !== undefined && (follower.kind === 'deliver' || follower.kind === 'drop') && follower.segmentId === event.segmentId) {
          merged.add(next);
          receiverEnd = follower.kind === 'drop' && isLoss(follower.reason) ? 'XXX' : from === 'A' ? '-->' : '<--';
        }
        const row: BodyRow = {
          at: event.at,
          from,
          text: segmentText(event.segment, numbers(event.segment, from)),
          senderEnd: from === 'A' ? '-->' : '<--',
          receiverEnd,
          changes: [],
          notes: event.retransmission ? ['retransmission'] : [],
        };
        if (follower?.kind === 'drop' && merged.has(next)) row.notes.push(...notesForDrop(follower.reason));
        target.body.push(row);
        target.sent.add(from);
        rowOfSegment.set(event.segmentId, row);
        return;
      }
      case 'deliver':
      case 'drop': {
        const sent = rowOfSegment.get(event.segmentId);
        if (sent === undefined) return;
        const lost = event.kind === 'drop' && isLoss(event.reason);
        const row: BodyRow = {
          at: event.at,
          from: sent.from,
          text: sent.text,
          senderEnd: '...',
          receiverEnd: lost ? 'XXX' : sent.from === 'A' ? '-->' : '<--',
          changes: [],
          notes: event.kind === 'drop' ? notesForDrop(event.reason) : arrivalOfSegment.has(event.segmentId) ? ['duplicate'] : [],
        };
        const target = currentLine(event.at);
        target.body.push(row);
        if (event.kind === 'deliver') {
          arrivalOfSegment.set(event.segmentId, row);
          target.received.add(other(sent.from));
        }
        return;
      }
      case 'state': {
        const side = view.sideOfSocket(event.socket);
        if (side === undefined) return;
        const change: Change = { side, to: event.to, at: event.at };
        const cause = event.cause;
        if (cause.by === 'segment') {
          const row = arrivalOfSegment.get(cause.segmentId);
          if (row !== undefined) {
            row.changes.push(change);
            return;
          }
        } else {
          const annotation = lastAnnotation.get(side);
          if (annotation !== undefined && line?.annotations.includes(annotation)) {
            annotation.changes.push(change);
            return;
          }
        }
        currentLine(event.at).pending.push(change);
        return;
      }
    }
  });

  return layout(lines, initial, opts, view.a, view.b);

  function isLoss(reason: string): boolean {
    return reason === 'loss' || reason === 'link-down';
  }
  function notesForDrop(reason: string): string[] {
    return reason === 'loss' ? ['lost'] : [`dropped: ${reason}`];
  }
}

interface OutRow {
  readonly number?: number;
  readonly at?: number;
  readonly left: string;
  readonly right: string;
  /** Present on segment rows. */
  readonly segment?: { readonly leftEnd: string; readonly text: string; readonly rightEnd: string };
  readonly notes?: readonly string[];
}

function layout(
  lines: readonly Line[],
  initial: Record<Side, TcpState>,
  opts: RfcTableOptions,
  a: SocketInfo,
  b: SocketInfo,
): string {
  const current: Record<Side, TcpState> = { ...initial };
  const shown: Record<Side, TcpState> = { ...initial };
  /** When each side entered its current state. */
  const since: Record<Side, number | undefined> = { A: undefined, B: undefined };
  const apply = (changes: readonly Change[]): void => {
    for (const c of changes) {
      current[c.side] = c.to;
      since[c.side] = c.at;
    }
  };
  const changedState = (side: Side): string => (current[side] !== shown[side] ? RFC_SPELLING[current[side]] : '');
  /** A row of states not shown yet; one that starts a line has the time the later of them was entered. */
  const stateRow = (number: number | undefined, timed = number !== undefined): OutRow => {
    const times = (['A', 'B'] as const).flatMap((side) => (timed && current[side] !== shown[side] && since[side] !== undefined ? [since[side]] : []));
    const row: OutRow = {
      ...(number !== undefined ? { number } : {}),
      ...(times.length > 0 ? { at: Math.max(...times) } : {}),
      left: changedState('A'),
      right: changedState('B'),
    };
    shown.A = current.A;
    shown.B = current.B;
    return row;
  };

  const blocks: OutRow[][] = [[{ number: 1, left: RFC_SPELLING[current.A], right: RFC_SPELLING[current.B] }]];
  for (const line of lines) {
    const rows: OutRow[] = [];
    const number = blocks.length + 1;
    const numberOnce = (): { number?: number } => (rows.length === 0 ? { number } : {});
    if (line.annotations.length > 0 && (current.A !== shown.A || current.B !== shown.B)) {
      rows.push(stateRow(number));
    }
    apply(line.pending);
    const bySide = { A: line.annotations.filter((x) => x.side === 'A'), B: line.annotations.filter((x) => x.side === 'B') };
    for (let k = 0; k < Math.max(bySide.A.length, bySide.B.length); k++) {
      const left = bySide.A[k];
      const right = bySide.B[k];
      apply(left?.changes ?? []);
      apply(right?.changes ?? []);
      rows.push({ ...numberOnce(), at: Math.min(left?.at ?? Infinity, right?.at ?? Infinity), left: left?.text ?? '', right: right?.text ?? '' });
    }
    line.body.forEach((body, k) => {
      apply(body.changes);
      const first = k === 0;
      const segment = body.from === 'A'
        ? { leftEnd: body.senderEnd, text: body.text, rightEnd: body.receiverEnd }
        : { leftEnd: body.receiverEnd, text: body.text, rightEnd: body.senderEnd };
      /** A side whose state this row entered and a later row of the line replaces: print it here. */
      const passing = (side: Side): boolean =>
        body.changes.some((c) => c.side === side) && line.body.slice(k + 1).some((later) => later.changes.some((c) => c.side === side));
      const cell = (side: Side): string => {
        if (!first && !passing(side)) return '';
        shown[side] = current[side];
        return RFC_SPELLING[current[side]];
      };
      rows.push({ ...numberOnce(), at: body.at, left: cell('A'), right: cell('B'), segment, notes: body.notes });
    });
    if (line.body.length === 0 && (current.A !== shown.A || current.B !== shown.B)) {
      rows.push({ ...stateRow(undefined, rows.length === 0), ...numberOnce() });
    }
    if (rows.length > 0) blocks.push(rows);
  }
  if (current.A !== shown.A || current.B !== shown.B) blocks.push([stateRow(blocks.length + 1)]);

  const all = blocks.flat();
  const showTime = opts.time ?? true;
  const fmt = timeFormatter();
  const timeWidth = showTime ? Math.max(0, ...all.map((r) => (r.at !== undefined ? fmt(r.at).length : 0))) + 2 : 0;
  const segmentRows = all.filter((r) => r.segment !== undefined);
  const leftWidth = Math.max(10, ...segmentRows.map((r) => r.left.length)) + 2;
  const textWidth = Math.max(0, ...segmentRows.map((r) => r.segment?.text.length ?? 0)) + 2;
  const rightColumn = 4 + timeWidth + leftWidth + 4 + textWidth + 4;

  const render = (r: OutRow): string => {
    const prefix = (r.number !== undefined ? `${r.number}.` : '').padEnd(4) + (showTime ? (r.at !== undefined ? fmt(r.at) : '').padEnd(timeWidth) : '');
    let text: string;
    if (r.segment !== undefined) {
      text = `${prefix}${r.left.padEnd(leftWidth)}${r.segment.leftEnd} ${r.segment.text.padEnd(textWidth)}${r.segment.rightEnd} ${r.right}`;
    } else {
      const left = `${prefix}${r.left}`;
      text = r.right === '' ? left : `${left.padEnd(rightColumn - 1)} ${r.right}`;
    }
    const notes = r.notes !== undefined && r.notes.length > 0 ? `  (${r.notes.join('; ')})` : '';
    return (text.trimEnd() + notes).trimEnd();
  };

  const out: string[] = [`${''.padEnd(4 + timeWidth)}TCP Peer A`.padEnd(rightColumn) + 'TCP Peer B', ''];
  for (const block of blocks) {
    out.push(...block.map(render), '');
  }
  if (opts.legend ?? true) {
    const seqNote = opts.seq === 'absolute' ? 'absolute sequence numbers' : "sequence numbers relative to each side's ISN";
    out.push(`A = ${a.role} ${a.local.addr}:${a.local.port}, B = ${b.role} ${b.local.addr}:${b.local.port}; ${seqNote}`);
  } else {
    out.pop();
  }
  return out.join('\n') + '\n';
}
