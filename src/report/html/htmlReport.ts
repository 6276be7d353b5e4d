/**
 * `tcpsim run FILE --html OUT`: one self-contained HTML file, readable offline and without
 * anything but a browser. It carries the run's samples (drawn by uPlot as the socket states and
 * each process's fds against its nofile, the first EMFILE marked), the summary, diagnosis and
 * expectations of the text report, the sample table, and the run's trace, packed and gzipped, for
 * the connection explorer (an RFC 9293 table and a sequence diagram with times per connection).
 * Scripts and styles are inlined and a Content-Security-Policy forbids every fetch. Same run,
 * same bytes: nothing in it depends on the clock or the machine.
 */
import { gzipSync } from 'node:zlib';
import { TCP_STATES } from '../../model/states.js';
import type { Scenario } from '../../scenario/types.js';
import type { SimulationResult } from '../../sim/simulate.js';
import type { Trace } from '../../sim/trace.js';
import { clock } from '../diagnose.js';
import { PLAIN, runText, sampleTable, shownProcesses } from '../runText.js';
import { packTrace } from './traceCodec.js';
import type { ReportData } from './reportData.js';
import { webAsset } from './webAsset.js';

/** Bytes of packed, gzipped trace a report carries at most (base64 adds a third). */
export const TRACE_BUDGET = 600_000;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** The sections of the text report (Summary, Diagnosis, Expectations), each as its lines. */
function textSections(text: string): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of text.split('\n')) {
    if (/^[A-Z][a-z]+$/.test(line)) sections.set(line, (current = []));
    else if (current !== undefined && line.trim() !== '') current.push(line);
  }
  return sections;
}

/** The packed trace, gzipped, with as many connections as fit TRACE_BUDGET (halving the count until they do). */
function packedTrace(trace: Trace): { gz: Buffer; connections: number; kept: number } {
  const conns = trace.sockets.reduce((n, s) => Math.max(n, s.conn + 1), 0);
  let kept = conns;
  for (;;) {
    const limit = kept;
    const gz = gzipSync(JSON.stringify(packTrace(trace, (c) => c < limit)), { level: 9 });
    if (gz.length <= TRACE_BUDGET || kept <= 1) return { gz, connections: conns, kept };
    kept = Math.ceil(kept / 2);
  }
}

/** The numbers the report's script draws. */
function reportData(result: SimulationResult, scenario: Scenario, trace: Trace, connections: number, kept: number): ReportData {
  const states = TCP_STATES.filter((s) => s !== 'CLOSED' && result.samples.some((x) => (x.states[s] ?? 0) > 0));
  const shown = new Set(shownProcesses(scenario));
  const processes = scenario.processes.filter((p) => shown.has(p.name));
  const firstEmfile = trace.events.find((e) => (e.kind === 'call' && e.result === 'EMFILE') || (e.kind === 'error' && e.errno === 'EMFILE'));
  const emfileAt = result.world.firstErrorAt('EMFILE');
  const markers: ReportData['markers'][number][] = [];
  if (emfileAt !== undefined) {
    const who = firstEmfile !== undefined && 'process' in firstEmfile ? `${firstEmfile.process}: ` : '';
    const call = firstEmfile?.kind === 'call' ? `${firstEmfile.call}() ` : '';
    markers.push({ t: emfileAt / 1000, label: `${who}${call}EMFILE at ${clock(emfileAt / 1000)}`, kind: 'EMFILE' });
  }
  for (const [name, end] of result.stats.acceptLoopEnded) {
    if (emfileAt === undefined || end.at !== emfileAt) markers.push({ t: end.at / 1000, label: `${name}'s accept loop ${end.exited ? 'exited' : 'stopped'}`, kind: 'accept' });
  }
  const portsAt = result.world.firstErrorAt('EADDRNOTAVAIL');
  if (portsAt !== undefined) markers.push({ t: portsAt / 1000, label: `EADDRNOTAVAIL at ${clock(portsAt / 1000)}`, kind: 'EADDRNOTAVAIL' });
  return {
    name: scenario.name,
    untilMs: scenario.sample.until / 1000,
    t: result.samples.map((s) => s.t),
    states: states.map((state) => ({ state, counts: result.samples.map((s) => s.states[state] ?? 0) })),
    processes: processes.map((p) => ({
      name: p.name,
      nofile: p.nofile,
      fds: result.samples.map((s) => s.fds[p.name] ?? 0),
      closedFds: result.samples.map((s) => s.closedFds[p.name] ?? 0),
    })),
    markers,
    connections,
    tracedConnections: kept,
    command: `tcpsim trace ${scenario.name}`,
  };
}

/** The HTML report of a run whose trace was recorded (`simulate(…, { trace })`). */
export function htmlReport(result: SimulationResult, scenario: Scenario): string {
  const trace = result.world.trace();
  const text = runText(result, scenario, { paint: PLAIN, quiet: true });
  const sections = textSections(text);
  const { gz, connections, kept } = packedTrace(trace);
  const data = reportData(result, scenario, trace, connections, kept);
  const params = scenario.params.map((p) => `${p.name}=${scenario.paramValues[p.name]}`).join(' ');
  const meta = `profile ${result.profile.name} · seed ${result.seed}${params ? ` · ${params}` : ''} · sampled every ${clock(scenario.sample.every / 1000)} until ${clock(scenario.sample.until / 1000)}`;
  const list = (lines: readonly string[], strip: RegExp): string => lines.map((l) => `<li>${escapeHtml(l.replace(strip, ''))}</li>`).join('\n');
  const summary = (sections.get('Summary') ?? []).map((l) => {
    const m = /^ {2}(.{17}) (.*)$/.exec(l);
    return m ? `<dt>${escapeHtml(m[1]!.trim())}</dt><dd>${escapeHtml(m[2]!)}</dd>` : `<dd>${escapeHtml(l.trim())}</dd>`;
  });
  const expectations = (sections.get('Expectations') ?? []).map((l) => {
    const m = /^ {2}([✓✗]) (.*)$/.exec(l);
    if (m) return `<li class="${m[1] === '✓' ? 'pass' : 'fail'}"><span aria-label="${m[1] === '✓' ? 'holds' : 'fails'}">${m[1]}</span> ${escapeHtml(m[2]!)}</li>`;
    return `<li class="total">${escapeHtml(l.trim())}</li>`;
  });
  const diagnosis = sections.get('Diagnosis') ?? [];
  const table = sampleTable(result, scenario, PLAIN).join('\n');
  const css = webAsset('report.css');
  const script = webAsset('report.js');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="tcpsim">
<title>${escapeHtml(scenario.name)} — tcpsim report</title>
<style>
${css}
</style>
</head>
<body>
<header>
<h1>${escapeHtml(scenario.name)}</h1>
<p>${escapeHtml(scenario.description)}</p>
<p class="meta">${escapeHtml(meta)}</p>
</header>
<main>
<section id="chart" aria-labelledby="chart-title">
<h2 id="chart-title">Sockets and file descriptors over time</h2>
<p class="hint">What <code>netstat -tan</code> would have counted at each sample, and each process's open fds against its limit. Hover or use the arrow keys on a chart to read a sample.</p>
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
${diagnosis.length > 0 ? `<section id="diagnosis" aria-labelledby="diagnosis-title">
<h2 id="diagnosis-title">Diagnosis</h2>
<ul>
${list(diagnosis, /^ {2}• /)}
</ul>
</section>` : ''}
${expectations.length > 0 ? `<section id="expectations" aria-labelledby="expectations-title">
<h2 id="expectations-title">Expectations</h2>
<ul>
${expectations.join('\n')}
</ul>
</section>` : ''}
<section id="explorer" aria-labelledby="explorer-title">
<h2 id="explorer-title">Connection explorer</h2>
<p class="hint">Connections that lived the same story are grouped; the first one that leaked is chosen first. ${kept < connections ? `This report holds connections 0 to ${kept - 1} of ${connections}; <code>${escapeHtml(data.command)} --conn N</code> shows any other.` : `All ${connections} connections are here.`}</p>
<div class="explorer-controls">
<label for="story">Story <select id="story"></select></label>
<label for="conn">Connection <input id="conn" type="number" min="0" max="${Math.max(0, kept - 1)}" step="1" value="0"></label>
</div>
<p id="story-text" aria-live="polite"></p>
<h3>Sequence diagram</h3>
<div id="ladder" class="ladder"></div>
<h3>RFC 9293 table</h3>
<pre id="rfc-table" class="rfc" tabindex="0"></pre>
</section>
<section id="samples" aria-labelledby="samples-title">
<h2 id="samples-title">Samples</h2>
<details><summary>The sample table of <code>tcpsim run</code></summary>
<pre tabindex="0">${escapeHtml(table)}</pre>
</details>
</section>
</main>
<footer><p>Made by tcpsim, a deterministic TCP close-handshake simulator: the same run gives the same file.</p></footer>
<script type="application/json" id="tcpsim-data">${scriptJson(data)}</script>
<script type="application/octet-stream" id="tcpsim-trace">${gz.toString('base64')}</script>
<script>
${script}
</script>
</body>
</html>
`;
}
