/**
 * `tcpsim watch --html OUT`: the report page of `tcpsim run --html` for what a watch observed —
 * the watched processes' sockets by state over time, each one's fds against its RLIMIT_NOFILE
 * with the moment it reached it (EMFILE) marked, and watch's own summary and diagnosis. A live
 * process leaves no trace of its connections, so the page has no connection explorer.
 */
import { TCP_STATES } from '../model/states.js';
import { clock } from '../report/clock.js';
import type { ReportData } from '../report/html/reportData.js';
import { listItems, reportPage, textSections } from '../report/html/reportPage.js';
import { PLAIN } from '../report/runText.js';
import type { SampleJson } from './watchJson.js';
import { watchHeading, type HeadingFacts } from './watchReport.js';

/** What the page shows: the watch's heading facts, its samples, and its closing text report. */
export interface WatchPageFacts extends HeadingFacts {
  readonly startedAt: Date;
  readonly samples: readonly SampleJson[];
  /** The lines of watchReport, in PLAIN paint: Summary, Diagnosis, Not seen. */
  readonly report: readonly string[];
}

/** The watched processes in the order they first appear. */
function processLabels(samples: readonly SampleJson[]): string[] {
  const labels = new Set<string>();
  for (const s of samples) for (const label of Object.keys(s.byProcess)) labels.add(label);
  return [...labels];
}

/** The numbers the page's script draws, from the samples. */
export function watchReportData(samples: readonly SampleJson[], what: string): ReportData {
  const labels = processLabels(samples);
  const own = samples.map((s) => {
    const sum: Partial<Record<string, number>> = {};
    for (const counts of Object.values(s.byProcess)) for (const [state, n] of Object.entries(counts)) sum[state] = (sum[state] ?? 0) + (n ?? 0);
    return sum;
  });
  const states = TCP_STATES.filter((state) => state !== 'CLOSED' && own.some((c) => (c[state] ?? 0) > 0));
  const markers: ReportData['markers'][number][] = [];
  const processes = labels.map((label) => {
    const nofile = samples.reduce<number | null>((limit, s) => s.nofile[label] ?? limit, null);
    const atLimit = samples.find((s) => {
      const fds = s.fds[label];
      const limit = s.nofile[label];
      return fds !== undefined && limit !== undefined && limit !== null && fds >= limit;
    });
    if (atLimit !== undefined) markers.push({ t: atLimit.t, label: `${label}: fds at its limit, EMFILE at ${clock(atLimit.t)}`, kind: 'EMFILE' });
    return {
      name: label,
      nofile,
      fds: samples.map((s) => s.fds[label] ?? null),
      closedFds: samples.map((s) => s.closedFds[label] ?? null),
    };
  });
  return {
    name: what,
    untilMs: samples.at(-1)?.t ?? 0,
    t: samples.map((s) => s.t),
    states: states.map((state) => ({ state, counts: own.map((c) => c[state] ?? 0) })),
    processes,
    markers: markers.sort((a, b) => a.t - b.t),
    connections: 0,
    tracedConnections: 0,
    command: 'tcpsim watch',
  };
}

/** The samples as a text table: time, the processes' sockets per state, each process's fds. */
function sampleTable(data: ReportData): string {
  const head = ['time', ...data.states.map((s) => s.state), ...data.processes.map((p) => `fds ${p.name}`)];
  const rows = data.t.map((t, i) => [clock(t), ...data.states.map((s) => String(s.counts[i] ?? 0)), ...data.processes.map((p) => `${p.fds[i] ?? '?'}${p.nofile === null ? '' : `/${p.nofile}`}`)]);
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  return [head, ...rows].map((r) => r.map((cell, c) => cell.padStart(widths[c]!)).join('  ')).join('\n');
}

/** The whole HTML file of a watch. */
export function watchHtml(facts: WatchPageFacts): string {
  const data = watchReportData(facts.samples, facts.what);
  const sections = textSections(facts.report.join('\n'), /^(Summary|Diagnosis|Not seen)$/);
  const [, sampling = ''] = watchHeading(facts, PLAIN);
  return reportPage({
    title: facts.what,
    description: 'What tcpsim watch saw of a live process: its TCP sockets by state, its fds against its limit, and a diagnosis.',
    meta: `${sampling} · started ${facts.startedAt.toISOString()}`,
    chartHint:
      'The watched processes&#39; own TCP sockets at each sample (their local peers&#39; are in the summary), and each one&#39;s open fds against its RLIMIT_NOFILE. Hover or use the arrow keys on a chart to read a sample.',
    data,
    summary: sections.get('Summary') ?? [],
    lists: [
      { id: 'diagnosis', title: 'Diagnosis', items: listItems(sections.get('Diagnosis') ?? [], /^ {2}• /) },
      { id: 'not-seen', title: 'Not seen', items: listItems(sections.get('Not seen') ?? [], /^ {2}• /) },
    ],
    trace: { absent: 'Not available for a watched process: the kernel keeps no trace of its connections. tcpsim run --html explores each connection of a scenario that describes the server.' },
    tableTitle: 'Each sample of <code>tcpsim watch</code>',
    table: sampleTable(data),
    footer: 'Made by tcpsim watch from samples of live processes: another watch gives another file.',
  });
}
