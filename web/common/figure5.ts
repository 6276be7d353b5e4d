/**
 * The endpoint state diagram in the layout of RFC 9293 Figure 5: CLOSED on top, LISTEN under it,
 * the opening (SYN-RECEIVED, SYN-SENT) on the row below, ESTABLISHED in the middle, the active
 * close down the left (FIN-WAIT-1, FIN-WAIT-2, TIME-WAIT), the passive close down the right
 * (CLOSE-WAIT, LAST-ACK) and a second CLOSED at the bottom, where the closes end, as in the
 * figure. The edges are the model's (src/model/endpointGraph.ts, per profile); the many edges of
 * resets, aborts and timeouts into CLOSED are drawn as one short "→ CLOSED" stub per state, their
 * events in its tooltip, instead of nine lines converging on one box.
 */
import { endpointGraph } from '../../src/model/endpointGraph.js';
import { featuresOf, type Profile } from '../../src/model/profile.js';
import { RFC_SPELLING, type TcpState } from '../../src/model/states.js';
import { STATE_COLOR } from './stateColors.js';
import { svg } from './svg.js';

/** Where each state's box is (centre), in the figure's 720 × 580 units (the view is widened for the stubs). */
export const FIGURE5_POSITION: Readonly<Record<TcpState, { readonly x: number; readonly y: number }>> = {
  CLOSED: { x: 360, y: 34 },
  LISTEN: { x: 360, y: 116 },
  SYN_RECEIVED: { x: 120, y: 198 },
  SYN_SENT: { x: 600, y: 198 },
  ESTABLISHED: { x: 360, y: 280 },
  FIN_WAIT_1: { x: 120, y: 362 },
  CLOSE_WAIT: { x: 600, y: 362 },
  FIN_WAIT_2: { x: 120, y: 452 },
  CLOSING: { x: 360, y: 452 },
  LAST_ACK: { x: 600, y: 452 },
  TIME_WAIT: { x: 360, y: 540 },
};
/** The second CLOSED box, where the closes end (Figure 5's bottom right). */
const CLOSED_BELOW = { x: 600, y: 540 };
/** States whose edge into CLOSED is drawn in full: to the top box from the opening, to the bottom one from the close. */
const FULL_TO_CLOSED: Readonly<Partial<Record<TcpState, 'top' | 'bottom'>>> = { LISTEN: 'top', SYN_SENT: 'top', LAST_ACK: 'bottom', TIME_WAIT: 'bottom' };
const BOX_W = 150;
const BOX_H = 34;

/** A drawn diagram and how to point at states in it. */
export interface Figure5 {
  readonly svg: SVGSVGElement;
  /** Marks the states the two ends are in (either may be undefined) and the transitions that brought them there. */
  show(ends: readonly { readonly label: string; readonly state: TcpState | undefined; readonly from?: TcpState | undefined; readonly color: string }[]): void;
}

function edgeKey(from: string, to: string, below: boolean): string {
  return `${from}>${to}${below ? ' below' : ''}`;
}

/** The point where the segment from a box's centre towards (tx, ty) leaves the box. */
function exitPoint(cx: number, cy: number, tx: number, ty: number): [number, number] {
  const dx = tx - cx;
  const dy = ty - cy;
  const sx = dx === 0 ? Infinity : BOX_W / 2 / Math.abs(dx);
  const sy = dy === 0 ? Infinity : BOX_H / 2 / Math.abs(dy);
  const s = Math.min(sx, sy);
  return [cx + dx * s, cy + dy * s];
}

/** The diagram for `profile`'s state graph. */
export function figure5(profile: Profile): Figure5 {
  const graph = endpointGraph(featuresOf(profile));
  const edges = svg('g', { class: 'edges' });
  const stubs = svg('g', { class: 'stubs' });
  const boxes = svg('g', { class: 'boxes' });
  const badges = svg('g', { class: 'badges' });
  const edgeEls = new Map<string, SVGElement>();
  for (const e of graph.edges) {
    const from = e.from as TcpState;
    const to = e.to as TcpState;
    if (from === to) continue; // TIME_WAIT's restart on a retransmitted FIN: in its box's tooltip
    const a = FIGURE5_POSITION[from];
    const label = e.label.split('\n');
    if (to === 'CLOSED' && FULL_TO_CLOSED[from] === undefined) {
      // grouped: a short stub out of the box's side (the left column's left, the others' right), clear of the edges
      const side = a.x < 300 ? -1 : 1;
      const x1 = a.x + (side * BOX_W) / 2;
      const y1 = a.y;
      const x2 = x1 + side * 16;
      const g = svg(
        'g',
        { class: 'stub' },
        svg('title', {}, `${RFC_SPELLING[from]} → CLOSED: ${label.join('; ')}`),
        svg('line', { x1, y1, x2, y2: y1, 'marker-end': 'url(#f5-arrow)' }),
        svg('text', { x: x2 + side * 3, y: y1 + 4, 'text-anchor': side < 0 ? 'end' : 'start' }, 'CLOSED'),
      );
      edgeEls.set(edgeKey(from, to, false), g);
      stubs.append(g);
      continue;
    }
    const below = to === 'CLOSED' && FULL_TO_CLOSED[from] === 'bottom';
    const b = to === 'CLOSED' && below ? CLOSED_BELOW : FIGURE5_POSITION[to];
    // opposite edges (SYN_SENT ⇄ SYN_RECEIVED, CLOSED ⇄ LISTEN) are drawn side by side
    const reverse = graph.edges.some((r) => r.from === e.to && r.to === e.from);
    const off = reverse ? (from < to ? 7 : -7) : 0;
    // the normal of the pair taken in one fixed order, so that the two directions get opposite sides
    const [p, q] = from < to ? [a, b] : [b, a];
    const nx = q.y - p.y;
    const ny = p.x - q.x;
    const len = Math.hypot(nx, ny) || 1;
    const ox = (nx / len) * off;
    const oy = (ny / len) * off;
    const [x1, y1] = exitPoint(a.x + ox, a.y + oy, b.x + ox, b.y + oy);
    const [x2, y2] = exitPoint(b.x + ox, b.y + oy, a.x + ox, a.y + oy);
    const first = label[0] ?? '';
    const short = first.length > 24 ? `${first.slice(0, 23)}…` : first;
    const g = svg(
      'g',
      { class: 'edge' },
      svg('title', {}, `${RFC_SPELLING[from]} → ${RFC_SPELLING[to]}: ${label.join('; ')}`),
      svg('line', { x1, y1, x2, y2, 'marker-end': 'url(#f5-arrow)' }),
      // a label of one of two opposite edges sits 40% along from its source, on its own side
      svg('text', { x: x1 + (x2 - x1) * (off !== 0 ? 0.4 : 0.5) + (off !== 0 ? ox * 2 : 6), y: y1 + (y2 - y1) * (off !== 0 ? 0.4 : 0.5) + (off !== 0 ? oy * 2 : -4), 'text-anchor': (off !== 0 ? ox < 0 : x2 < x1) ? 'end' : 'start' }, short + (label.length > 1 ? ' …' : '')),
    );
    edgeEls.set(edgeKey(from, to, below), g);
    edges.append(g);
  }
  const boxEls = new Map<string, SVGGElement>();
  const box = (name: string, state: TcpState, x: number, y: number): void => {
    const g = svg(
      'g',
      { class: 'state', 'data-state': name },
      svg('rect', { x: x - BOX_W / 2, y: y - BOX_H / 2, width: BOX_W, height: BOX_H, rx: 8 }),
      svg('text', { x, y: y + 5, 'text-anchor': 'middle' }, RFC_SPELLING[state]),
    );
    boxEls.set(name, g);
    boxes.append(g);
  };
  for (const s of Object.keys(FIGURE5_POSITION) as TcpState[]) box(s, s, FIGURE5_POSITION[s].x, FIGURE5_POSITION[s].y);
  box('CLOSED-below', 'CLOSED', CLOSED_BELOW.x, CLOSED_BELOW.y);
  const root = svg(
    'svg',
    { viewBox: '-48 0 824 580', class: 'figure5', role: 'img', 'aria-label': `TCP state diagram (RFC 9293 Figure 5 layout), profile ${profile.name}` },
    svg('defs', {}, svg('marker', { id: 'f5-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: 'currentColor' }))),
    edges,
    stubs,
    boxes,
    badges,
  );
  return {
    svg: root,
    show(ends) {
      for (const g of boxEls.values()) g.classList.remove('current');
      for (const g of edgeEls.values()) g.classList.remove('taken');
      badges.replaceChildren();
      const taken = new Map<string, number>();
      ends.forEach((end, i) => {
        if (end.state === undefined) return;
        // a close that ended in CLOSED is shown at the bottom box, as Figure 5 draws it
        const below = end.state === 'CLOSED' && end.from !== undefined && end.from !== 'SYN_SENT' && end.from !== 'LISTEN';
        const name = below ? 'CLOSED-below' : end.state;
        const g = boxEls.get(name);
        g?.classList.add('current');
        const at = below ? CLOSED_BELOW : FIGURE5_POSITION[end.state];
        const n = taken.get(name) ?? 0;
        taken.set(name, n + 1);
        const bx = at.x - BOX_W / 2 + 4 + n * 62;
        badges.append(
          svg('rect', { x: bx, y: at.y - BOX_H / 2 - 16, width: 58, height: 16, rx: 4, fill: end.color }),
          svg('text', { x: bx + 29, y: at.y - BOX_H / 2 - 4, 'text-anchor': 'middle', class: 'badge' }, end.label),
        );
        if (end.from !== undefined && end.from !== end.state) (edgeEls.get(edgeKey(end.from, end.state, below)) ?? edgeEls.get(edgeKey(end.from, end.state, false)))?.classList.add('taken');
        g?.querySelector('rect')?.setAttribute('style', `stroke: ${end.color}; stroke-width: 4; fill: ${STATE_COLOR[end.state]}22`);
      });
      for (const [name, g] of boxEls) if (!taken.has(name)) g.querySelector('rect')?.removeAttribute('style');
    },
  };
}
