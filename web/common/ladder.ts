/**
 * A connection as a sequence diagram with times, drawn in SVG: Peer A (the client) on the left,
 * Peer B on the right, one row per segment, app call, timer or state change, the virtual time of
 * each row in the left margin, and a band saying how much time passed ("60 s later") wherever a
 * gap of a millisecond or more separates two rows. A lost segment ends in a cross; each state
 * change is a coloured tag at its side; the last row says where each end is when the run ends.
 */
import { connectionView, type Side } from '../../src/report/connection.js';
import { span } from '../../src/report/clock.js';
import { relativeSeq } from '../../src/report/relativeSeq.js';
import { segmentText } from '../../src/report/rfcTable.js';
import { timerText } from '../../src/report/timerText.js';
import { RFC_SPELLING, type TcpState } from '../../src/model/states.js';
import type { Trace, TraceEvent } from '../../src/sim/trace.js';
import { STATE_COLOR } from './stateColors.js';
import { svg } from './svg.js';

/** How `ladder` draws. */
export interface LadderOptions {
  /** Virtual time (µs) the run ended, for the last row; default: the connection's last event. */
  readonly endAt?: number;
  /** Gaps from this many µs get a "… later" band (default 1000). */
  readonly gapFrom?: number;
}

/** The drawing and, for each trace event drawn, its row's top (for highlighting a step). */
export interface Ladder {
  readonly svg: SVGSVGElement;
  readonly rowOf: Map<TraceEvent, { readonly y: number; readonly height: number }>;
}

const WIDTH = 760;
const ROW = 26;
const GAP = 22;
const XA = 230;
const XB = 580;
const TIME_X = 8;

/** A time in seconds for the margin: `25.000 s`, `0.000 050 s` style kept short. */
function marginTime(us: number): string {
  if (us === 0) return '0 s';
  const s = us / 1e6;
  return us % 1000 === 0 ? `${s.toFixed(3)} s` : `${s.toFixed(6)} s`;
}

/** The ladder of connection `conn` of `trace`. */
export function ladder(trace: Trace, conn: number, options: LadderOptions = {}): Ladder {
  const view = connectionView(trace, conn, 'client');
  const gapFrom = options.gapFrom ?? 1000;
  const sendsOf = view.events.flatMap((e) => (e.kind === 'send' ? [{ segment: e.segment, sender: view.sideOfSocket(e.socket) ?? view.sideOfSegment(e.segment) ?? ('A' as Side) }] : []));
  const numbers = relativeSeq(sendsOf);
  const x = (side: Side): number => (side === 'A' ? XA : XB);
  const fate = new Map<number, 'delivered' | string>();
  for (const e of view.events) {
    if (e.kind === 'deliver') fate.set(e.segmentId, 'delivered');
    else if (e.kind === 'drop' && !fate.has(e.segmentId)) fate.set(e.segmentId, e.reason);
  }
  const body = svg('g');
  const rowOf = new Map<TraceEvent, { y: number; height: number }>();
  const state: Record<Side, TcpState | undefined> = { A: undefined, B: undefined };
  let y = 56;
  let lastAt: number | undefined;
  const gapBand = (from: number, to: number): void => {
    body.append(
      svg('rect', { x: 0, y, width: WIDTH, height: GAP - 4, fill: '#f3f4f6' }),
      svg('text', { x: (XA + XB) / 2, y: y + 13, 'text-anchor': 'middle', class: 'gap' }, `⋯ ${span(to - from)} later ⋯`),
    );
    y += GAP;
  };
  const time = (at: number): void => {
    if (lastAt !== undefined && at - lastAt >= gapFrom) gapBand(lastAt, at);
    if (lastAt !== at) body.append(svg('text', { x: TIME_X, y: y + 16, class: 'time' }, marginTime(at)));
    lastAt = at;
  };
  const note = (side: Side, text: string, cls: string, color?: string): void => {
    const w = Math.max(40, text.length * 7.6 + 12);
    const left = side === 'A' ? XA - w - 8 : XB + 8;
    const anchor = side === 'A' ? Math.max(TIME_X + 86, left) : Math.min(left, WIDTH - w - 2);
    body.append(
      svg('rect', { x: anchor, y: y + 4, width: w, height: ROW - 8, rx: 4, class: cls, ...(color ? { fill: color } : {}) }),
      svg('text', { x: anchor + w / 2, y: y + 17, 'text-anchor': 'middle', class: `${cls}-text` }, text),
    );
  };
  for (const side of ['A', 'B'] as const) {
    const first = view.events.find((e) => e.kind === 'state' && view.sideOfSocket(e.socket) === side);
    if (first?.kind === 'state') state[side] = first.from;
  }
  for (const event of view.events) {
    if (event.kind === 'deliver' || event.kind === 'drop') continue;
    const top = y;
    if (event.kind === 'send') {
      const from = view.sideOfSocket(event.socket) ?? view.sideOfSegment(event.segment) ?? 'A';
      const to: Side = from === 'A' ? 'B' : 'A';
      time(event.at);
      const what = fate.get(event.segmentId);
      const x1 = x(from);
      const x2 = x(to);
      const lost = what !== undefined && what !== 'delivered';
      const end = lost ? x1 + (x2 - x1) * 0.6 : x2;
      const label = segmentText(event.segment, numbers(event.segment, from)) + (event.retransmission ? ' (retransmission)' : '');
      body.append(
        svg('line', { x1, y1: y + 8, x2: end, y2: y + ROW - 2, class: lost ? 'seg lost' : 'seg', 'marker-end': lost ? '' : 'url(#arrow)' }),
        svg('text', { x: (XA + XB) / 2, y: y + 10, 'text-anchor': 'middle', class: 'seg-text' }, label),
      );
      if (lost) {
        body.append(svg('text', { x: end, y: y + ROW, 'text-anchor': 'middle', class: 'cross' }, '✕'), svg('text', { x: end + 12, y: y + ROW, class: 'lost-text' }, what === 'loss' ? 'lost' : `dropped: ${what}`));
      } else if (what === undefined) {
        body.append(svg('text', { x: x2, y: y + ROW, class: 'lost-text' }, 'in flight'));
      }
      y += ROW + 4;
    } else if (event.kind === 'state') {
      const side = view.sideOfSocket(event.socket);
      if (side === undefined) continue;
      time(event.at);
      state[side] = event.to;
      note(side, RFC_SPELLING[event.to], 'state', STATE_COLOR[event.to]);
      y += ROW;
    } else {
      const side = view.sideOfSocket(event.socket);
      if (side === undefined) continue;
      if (event.kind === 'call' && (event.call === 'read' || event.call === 'write' || event.call === 'socket')) continue;
      time(event.at);
      const failed = event.kind === 'call' && /^E[A-Z]+$/.test(event.result) ? ` → ${event.result}` : '';
      const text = event.kind === 'call' ? `${event.call}()${failed}` : event.kind === 'timer' ? `(${timerText(event.timer)})` : event.errno;
      note(side, text, event.kind === 'error' || failed !== '' ? 'error' : 'call');
      y += ROW;
    }
    rowOf.set(event, { y: top, height: y - top });
  }
  const endAt = options.endAt ?? lastAt ?? 0;
  if (lastAt !== undefined && endAt - lastAt >= gapFrom) gapBand(lastAt, endAt);
  body.append(svg('text', { x: TIME_X, y: y + 16, class: 'time' }, marginTime(endAt)));
  for (const side of ['A', 'B'] as const) {
    const s = state[side];
    if (s !== undefined) note(side, `${RFC_SPELLING[s]} at the end`, 'state end', STATE_COLOR[s]);
  }
  y += ROW + 8;
  const name = (info: typeof view.a): string => `${info.role} ${info.local.addr}:${info.local.port}`;
  const root = svg(
    'svg',
    { viewBox: `0 0 ${WIDTH} ${y}`, width: WIDTH, height: y, class: 'ladder-svg', role: 'img', 'aria-label': `Sequence diagram of connection ${conn}: ${name(view.a)} and ${name(view.b)}` },
    svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: 'currentColor' }))),
    svg('text', { x: XA, y: 18, 'text-anchor': 'middle', class: 'peer' }, name(view.a)),
    svg('text', { x: XB, y: 18, 'text-anchor': 'middle', class: 'peer' }, name(view.b)),
    svg('text', { x: TIME_X, y: 18, class: 'time head' }, 'time'),
    svg('line', { x1: XA, y1: 28, x2: XA, y2: y - 4, class: 'life' }),
    svg('line', { x1: XB, y1: 28, x2: XB, y2: y - 4, class: 'life' }),
    body,
  );
  return { svg: root, rowOf };
}
