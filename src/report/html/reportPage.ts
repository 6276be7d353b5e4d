/**
 * The page of an HTML report, whatever it reports on: a title, the numbers the page's script
 * draws (ReportData), the sections of a text report, the sample table and, when there is a
 * trace, the connection explorer. `tcpsim run --html` fills it from a simulated run,
 * `tcpsim watch --html` from the samples of a live process. Scripts and styles are inlined and a
 * Content-Security-Policy forbids every fetch, so the file reads offline in any browser.
 */
import type { ReportData } from './reportData.js';
import { webAsset } from './webAsset.js';

/** The packed, gzipped trace the explorer reads, and how many of the connections it holds. */
export interface PageTrace {
  readonly gz: Buffer;
  readonly connections: number;
  readonly kept: number;
}

/** A list section after the summary (Diagnosis, Expectations, …): its items, already HTML. */
export interface PageList {
  readonly id: string;
  readonly title: string;
  readonly items: readonly string[];
}

/** Everything a report page shows. Text is plain unless the field says HTML. */
export interface ReportPage {
  readonly title: string;
  readonly description: string;
  readonly meta: string;
  /** What the charts count, as HTML. */
  readonly chartHint: string;
  readonly data: ReportData;
  /** The summary's lines as the text report prints them (`  label             value`). */
  readonly summary: readonly string[];
  /** Lists after the summary; an empty one is left out. */
  readonly lists: readonly PageList[];
  /** The trace for the explorer, or why there is none. */
  readonly trace: PageTrace | { readonly absent: string };
  /** The sample table's summary line (HTML) and the table as text. */
  readonly tableTitle: string;
  readonly table: string;
  readonly footer: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** The sections of a text report (Summary, Diagnosis, Expectations, …), each as its non-blank lines. */
export function textSections(text: string, heading = /^[A-Z][a-z]+$/): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of text.split('\n')) {
    if (heading.test(line)) sections.set(line, (current = []));
    else if (current !== undefined && line.trim() !== '') current.push(line);
  }
  return sections;
}

/** List items of text lines, each without what `strip` matches (the indent and the bullet). */
export function listItems(lines: readonly string[], strip: RegExp): string[] {
  return lines.map((l) => `<li>${escapeHtml(l.replace(strip, ''))}</li>`);
}

function explorerSection(trace: PageTrace, command: string): string {
  const { connections, kept } = trace;
  return `<section id="explorer" aria-labelledby="explorer-title">
<h2 id="explorer-title">Connection explorer</h2>
<p class="hint">Connections that lived the same story are grouped; the first one that leaked is chosen first. ${kept < connections ? `This report holds connections 0 to ${kept - 1} of ${connections}; <code>${escapeHtml(command)} --conn N</code> shows any other.` : `All ${connections} connections are here.`}</p>
<div class="explorer-controls">
<label for="story">Story <select id="story"></select></label>
<label for="conn">Connection <input id="conn" type="number" min="0" max="${Math.max(0, kept - 1)}" step="1" value="0"></label>
</div>
<p id="story-text" aria-live="polite"></p>
<h3>Sequence diagram</h3>
<div id="ladder" class="ladder"></div>
<h3>RFC 9293 table</h3>
<pre id="rfc-table" class="rfc" tabindex="0"></pre>
</section>`;
}

/** The whole HTML file. */
export function reportPage(page: ReportPage): string {
  const summary = page.summary.map((l) => {
    const m = /^ {2}(.{17}) (.*)$/.exec(l);
    return m ? `<dt>${escapeHtml(m[1]!.trim())}</dt><dd>${escapeHtml(m[2]!)}</dd>` : `<dd>${escapeHtml(l.trim())}</dd>`;
  });
  const lists = page.lists.map((list) =>
    list.items.length > 0
      ? `<section id="${list.id}" aria-labelledby="${list.id}-title">
<h2 id="${list.id}-title">${escapeHtml(list.title)}</h2>
<ul>
${list.items.join('\n')}
</ul>
</section>`
      : '',
  );
  const trace = page.trace;
  const explorer =
    'absent' in trace
      ? `<section id="explorer" aria-labelledby="explorer-title">
<h2 id="explorer-title">Connection explorer</h2>
<p class="hint">${escapeHtml(trace.absent)}</p>
</section>`
      : explorerSection(trace, page.data.command);
  const css = webAsset('report.css');
  const script = webAsset('report.js');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="tcpsim">
<title>${escapeHtml(page.title)} — tcpsim report</title>
<style>
${css}
</style>
</head>
<body>
<header>
<h1>${escapeHtml(page.title)}</h1>
<p>${escapeHtml(page.description)}</p>
<p class="meta">${escapeHtml(page.meta)}</p>
</header>
<main>
<section id="chart" aria-labelledby="chart-title">
<h2 id="chart-title">Sockets and file descriptors over time</h2>
<p class="hint">${page.chartHint}</p>
<div id="states-chart" class="chart" tabindex="0" role="img" aria-label="Socket states over time"></div>
<div id="fds-chart" class="chart" tabindex="0" role="img" aria-label="Open file descriptors per process over time"></div>
<p id="chart-readout" class="readout" aria-live="polite"></p>
<noscript><p>The charts need JavaScript; the sample table below has the same numbers.</p></noscript>
</section>
<section id="summary" aria-labelledby="summary-title">
<h2 id="summary-title">Summary</h2>
<dl>
${summary.join('\n')}
</dl>
</section>
${lists.join('\n')}
${explorer}
<section id="samples" aria-labelledby="samples-title">
<h2 id="samples-title">Samples</h2>
<details><summary>${page.tableTitle}</summary>
<pre tabindex="0">${escapeHtml(page.table)}</pre>
</details>
</section>
</main>
<footer><p>${escapeHtml(page.footer)}</p></footer>
<script type="application/json" id="tcpsim-data">${scriptJson(page.data)}</script>
${'absent' in trace ? '' : `<script type="application/octet-stream" id="tcpsim-trace">${trace.gz.toString('base64')}</script>\n`}<script>
${script}
</script>
</body>
</html>
`;
}
