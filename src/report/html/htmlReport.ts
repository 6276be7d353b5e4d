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
import { escapeHtml, listItems, reportPage, textSections } from './reportPage.js';

/** Bytes of packed, gzipped trace a report carries at most (base64 adds a third). */
export const TRACE_BUDGET = 600_000;

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
  const packed = packedTrace(trace);
  const data = reportData(result, scenario, trace, packed.connections, packed.kept);
  const params = scenario.params.map((p) => `${p.name}=${scenario.paramValues[p.name]}`).join(' ');
  const expectations = (sections.get('Expectations') ?? []).map((l) => {
    const m = /^ {2}([✓✗]) (.*)$/.exec(l);
    if (m) return `<li class="${m[1] === '✓' ? 'pass' : 'fail'}"><span aria-label="${m[1] === '✓' ? 'holds' : 'fails'}">${m[1]}</span> ${escapeHtml(m[2]!)}</li>`;
    return `<li class="total">${escapeHtml(l.trim())}</li>`;
  });
  return reportPage({
    title: scenario.name,
    description: scenario.description,
    meta: `profile ${result.profile.name} · seed ${result.seed}${params ? ` · ${params}` : ''} · sampled every ${clock(scenario.sample.every / 1000)} until ${clock(scenario.sample.until / 1000)}`,
    chartHint: "What <code>netstat -tan</code> would have counted at each sample, and each process's open fds against its limit. Hover or use the arrow keys on a chart to read a sample.",
    data,
    summary: sections.get('Summary') ?? [],
    lists: [
      { id: 'diagnosis', title: 'Diagnosis', items: listItems(sections.get('Diagnosis') ?? [], /^ {2}• /) },
      { id: 'expectations', title: 'Expectations', items: expectations },
    ],
    trace: packed,
    tableTitle: 'The sample table of <code>tcpsim run</code>',
    table: sampleTable(result, scenario, PLAIN).join('\n'),
    footer: 'Made by tcpsim, a deterministic TCP close-handshake simulator: the same run gives the same file.',
  });
}
