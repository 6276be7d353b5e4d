/**
 * The HTML report's script: reads the run's numbers and its packed trace from the page, draws the
 * charts and runs the connection explorer. Everything it needs is in the page.
 */
import { rfcTable } from '../../src/report/rfcTable.js';
import type { ReportData } from '../../src/report/html/reportData.js';
import { unpackTrace, type PackedTrace } from '../../src/report/html/traceCodec.js';
import type { Trace } from '../../src/sim/trace.js';
import { connectionStories } from '../common/connectionStories.js';
import { ladder } from '../common/ladder.js';
import { drawCharts } from './charts.js';

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`report: no #${id}`);
  return el as T;
}

/** The trace the page carries: base64 of gzipped JSON, unpacked with the browser's own gunzip. */
async function readTrace(): Promise<Trace> {
  const base64 = byId('tcpsim-trace').textContent?.trim() ?? '';
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  const json = await new Response(stream).text();
  return unpackTrace(JSON.parse(json) as PackedTrace);
}

function explorer(trace: Trace, data: ReportData): void {
  const stories = connectionStories(trace);
  const select = byId<HTMLSelectElement>('story');
  const input = byId<HTMLInputElement>('conn');
  const storyText = byId('story-text');
  const ladderBox = byId('ladder');
  const table = byId('rfc-table');
  const storyOf = new Map<number, number>();
  stories.forEach((s, i) => {
    for (const c of s.conns) storyOf.set(c, i);
    const option = document.createElement('option');
    option.value = String(i);
    const n = s.conns.length;
    option.textContent = `${s.leaked ? 'leaked · ' : ''}connection ${s.conns[0]}${n > 1 ? ` and ${n - 1} more` : ''}`;
    select.append(option);
  });
  const show = (conn: number): void => {
    const i = storyOf.get(conn);
    if (i === undefined) {
      storyText.textContent = `Connection ${conn} is not in this report: ${data.command} --conn ${conn} shows it.`;
      ladderBox.replaceChildren();
      table.textContent = '';
      return;
    }
    const story = stories[i]!;
    select.value = String(i);
    input.value = String(conn);
    storyText.textContent = `Connection ${conn}. ${story.conns.length > 1 ? `${story.conns.length} connections lived this story` : 'Its story is its own'}: ${story.text}.`;
    ladderBox.replaceChildren(ladder(trace, conn, { endAt: data.untilMs * 1000 }).svg);
    table.textContent = rfcTable(trace, conn, { time: true });
    document.body.dataset['shownConn'] = String(conn);
  };
  select.addEventListener('change', () => show(stories[Number(select.value)]?.conns[0] ?? 0));
  input.addEventListener('change', () => {
    const n = Number(input.value);
    if (Number.isInteger(n) && n >= 0) show(n);
  });
  show(stories[0]?.conns[0] ?? 0);
}

function start(): void {
  const data = JSON.parse(byId('tcpsim-data').textContent ?? '{}') as ReportData;
  drawCharts(data, byId('states-chart'), byId('fds-chart'), byId('chart-readout'));
  readTrace()
    .then((trace) => {
      explorer(trace, data);
      document.body.dataset['ready'] = 'true';
    })
    .catch((error: unknown) => {
      byId('story-text').textContent = `The trace could not be read: ${String(error)}`;
      document.body.dataset['ready'] = 'error';
    });
}

start();
