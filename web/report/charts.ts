/**
 * The report's two charts, drawn by uPlot: live sockets per state (the article's netstat loop as
 * a picture) and each process's open fds against its nofile (a dashed line at the limit; the fds
 * whose sockets are already CLOSED as a dotted line). The first EMFILE and other turning points
 * are vertical lines with a label on both charts. The cursors move together; hovering, or the
 * arrow keys on a focused chart, reads one sample out in the line below the charts.
 */
import uPlot from 'uplot';
import { clock } from '../../src/report/clock.js';
import type { ReportData } from '../../src/report/html/reportData.js';
import { STATE_COLOR } from '../common/stateColors.js';

const PROCESS_COLORS = ['#111827', '#b45309', '#7c3aed', '#0e7490', '#be185d'];

/** Draws the markers as vertical lines with labels. */
function markerPlugin(markers: ReportData['markers']): uPlot.Plugin {
  return {
    hooks: {
      draw: [
        (u: uPlot) => {
          const ctx = u.ctx;
          ctx.save();
          for (const m of markers) {
            const xPos = Math.round(u.valToPos(m.t / 1000, 'x', true));
            ctx.strokeStyle = m.kind === 'EMFILE' ? '#dc2626' : '#6b7280';
            ctx.lineWidth = 2 * devicePixelRatio;
            ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
            ctx.beginPath();
            ctx.moveTo(xPos, u.bbox.top);
            ctx.lineTo(xPos, u.bbox.top + u.bbox.height);
            ctx.stroke();
            ctx.setLineDash([]);
            ctx.fillStyle = ctx.strokeStyle;
            ctx.font = `${12 * devicePixelRatio}px system-ui, sans-serif`;
            const text = m.label;
            const w = ctx.measureText(text).width;
            const left = xPos + 4 * devicePixelRatio + w > u.bbox.left + u.bbox.width ? xPos - 4 * devicePixelRatio - w : xPos + 4 * devicePixelRatio;
            ctx.fillText(text, left, u.bbox.top + 14 * devicePixelRatio);
          }
          ctx.restore();
        },
      ],
    },
  };
}

/** The drawn charts, for the tests and the keyboard. */
export interface Charts {
  readonly states: uPlot;
  readonly fds: uPlot;
}

/** Draws both charts into their elements; `readout` gets the numbers of the sample under the cursor. */
export function drawCharts(data: ReportData, statesEl: HTMLElement, fdsEl: HTMLElement, readout: HTMLElement): Charts {
  const xs = data.t.map((t) => t / 1000);
  const width = (): number => Math.max(300, Math.min(1100, statesEl.clientWidth || 800));
  const sync = uPlot.sync('tcpsim');
  const axisX: uPlot.Axis = { values: (_u, splits) => splits.map((s) => clock(s * 1000)) };
  const cursor: uPlot.Cursor = { sync: { key: sync.key }, drag: { x: false, y: false } };
  const scaleX: uPlot.Scale = { time: false };
  const describe = (i: number): string => {
    const states = data.states.map((s) => `${s.state} ${s.counts[i] ?? 0}`).join(', ');
    const fds = data.processes.map((p) => `${p.name} ${p.fds[i] ?? 0}/${p.nofile} fds${(p.closedFds[i] ?? 0) > 0 ? ` (${p.closedFds[i]} on CLOSED sockets)` : ''}`).join(', ');
    return `At ${clock(data.t[i] ?? 0)}: ${states || 'no sockets'}; ${fds}.`;
  };
  const onCursor = (u: uPlot): void => {
    const i = u.cursor.idx;
    if (i !== null && i !== undefined) readout.textContent = describe(i);
  };
  /** One chart over the samples' times: its title, height, y axis and series, with the markers and the shared cursor. */
  const chart = (title: string, height: number, yLabel: string, series: uPlot.Series[], columns: number[][], el: HTMLElement): uPlot =>
    new uPlot(
      {
        title,
        width: width(),
        height,
        cursor,
        scales: { x: scaleX },
        axes: [axisX, { label: yLabel }],
        series: [{ label: 'time', value: (_u, v) => (v === null ? '' : clock(v * 1000)) }, ...series],
        plugins: [markerPlugin(data.markers)],
        hooks: { setCursor: [onCursor] },
      },
      [xs, ...columns],
      el,
    );
  const states = chart(
    'Sockets per state',
    300,
    'sockets',
    data.states.map((s) => ({ label: s.state, stroke: STATE_COLOR[s.state], width: 2 })),
    data.states.map((s) => [...s.counts]),
    statesEl,
  );
  const fdSeries: uPlot.Series[] = [];
  const fdData: number[][] = [];
  data.processes.forEach((p, i) => {
    const color = PROCESS_COLORS[i % PROCESS_COLORS.length]!;
    fdSeries.push({ label: `fds ${p.name}`, stroke: color, width: 2 });
    fdData.push([...p.fds]);
    fdSeries.push({ label: `nofile ${p.name}`, stroke: color, width: 1, dash: [8, 6] });
    fdData.push(p.fds.map(() => p.nofile));
    if (p.closedFds.some((n) => n > 0)) {
      fdSeries.push({ label: `fds ${p.name} on CLOSED sockets`, stroke: color, width: 2, dash: [2, 4] });
      fdData.push([...p.closedFds]);
    }
  });
  const fds = chart('Open file descriptors per process (dashed: the nofile limit)', 260, 'fds', fdSeries, fdData, fdsEl);
  sync.sub(states);
  sync.sub(fds);
  // the keyboard: arrows step through the samples, Home/End jump
  for (const [el, u] of [[statesEl, states], [fdsEl, fds]] as const) {
    el.addEventListener('keydown', (event) => {
      const n = xs.length;
      const current = u.cursor.idx ?? -1;
      const next = event.key === 'ArrowRight' ? Math.min(n - 1, current + 1) : event.key === 'ArrowLeft' ? Math.max(0, current - 1) : event.key === 'Home' ? 0 : event.key === 'End' ? n - 1 : undefined;
      if (next === undefined) return;
      event.preventDefault();
      const left = u.valToPos(xs[next]!, 'x');
      u.setCursor({ left, top: u.bbox.height / devicePixelRatio / 2 });
      readout.textContent = describe(next);
    });
  }
  window.addEventListener('resize', () => {
    states.setSize({ width: width(), height: 300 });
    fds.setSize({ width: width(), height: 260 });
  });
  return { states, fds };
}
