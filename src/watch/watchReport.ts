/**
 * The text of `tcpsim watch` around its live table: the heading (what is watched, how often, for
 * how long) and, at the end, the summary, the diagnosis and what the watch could not see — the
 * layout of `tcpsim run`'s report.
 */
import { TCP_STATES } from '../model/states.js';
import { clock } from '../report/clock.js';
import type { Paint } from '../report/runText.js';
import { fdProjection } from './fdProjection.js';
import { rateText } from './trend.js';
import type { WatchHistory } from './watchHistory.js';
import type { Finding } from './watchFindings.js';
import type { StateCounts } from './watchSample.js';

/** `LISTEN 1, CLOSE_WAIT 20`, in the RFC's order of states; `none` when empty. */
export function stateList(counts: StateCounts): string {
  const parts = TCP_STATES.filter((s) => (counts[s] ?? 0) > 0).map((s) => `${s} ${counts[s]}`);
  return parts.length === 0 ? 'none' : parts.join(', ');
}

/** What the heading says. */
export interface HeadingFacts {
  /** `node[4242] (node server.js)`, or the command line for `-- CMD`. */
  readonly what: string;
  readonly everyMs: number;
  readonly forMs: number | undefined;
}

/** The first lines of the report. */
export function watchHeading(facts: HeadingFacts, paint: Paint): string[] {
  const until = facts.forMs === undefined ? 'until Ctrl-C' : `for ${clock(facts.forMs)}`;
  return [`${paint.bold('tcpsim watch')} — ${facts.what}`, paint.dim(`sampled every ${clock(facts.everyMs)} ${until} · sockets from /proc/PID/net/tcp{,6}, fds from /proc/PID/fd, limits from /proc/PID/limits`), ''];
}

/** The summary, the diagnosis and what was not seen. */
export function watchReport(history: WatchHistory, findings: readonly Finding[], notSeen: readonly string[], paint: Paint): string[] {
  const out: string[] = [];
  const shown = history.shownProcesses();
  const latest = history.latest;
  const first = history.first;
  out.push(paint.bold('Summary'));
  const span = latest === undefined || first === undefined ? 0 : latest.t - first.t;
  out.push(`  watched           ${shown.map((h) => h.label).join(', ') || 'nothing'} for ${clock(span)}, ${history.samples} ${history.samples === 1 ? 'sample' : 'samples'}`);
  const peakCloseWait = shown.reduce((n, h) => n + (h.peak.CLOSE_WAIT ?? 0), 0);
  out.push(`  peak CLOSE_WAIT   ${peakCloseWait}`);
  const fds = shown.map((h) => {
    const p = fdProjection(h);
    if (p === undefined) return `${h.label} unknown (not readable)`;
    const limit = p.nofile === null ? ' (no limit)' : `/${p.nofile}`;
    const closed = h.latest.closedFds ?? 0;
    return `${h.label} ${h.first.fds ?? '?'} → ${p.fds}${limit}, ${rateText(p.perMinute)}${closed > 0 ? `, ${closed} on closed sockets` : ''}`;
  });
  out.push(`  fds               ${fds.join('; ')}`);
  for (const l of history.listeners.values()) out.push(`  accept queue      ${l.listener}: at most ${l.maxQueued} waiting (${l.backlog === null ? 'backlog unknown' : `backlog ${l.backlog}`})`);
  out.push(`  ListenOverflows   +${latest?.listenOverflows ?? 0} (ListenDrops +${latest?.listenDrops ?? 0}), this network namespace`);
  if (latest !== undefined) {
    const own = shown.map((h) => `${h.label}: ${h.goneAt === undefined ? stateList(h.latest.states) : 'exited'}`).join('; ');
    const peers = stateList(latest.peers);
    out.push(`  ${`sockets at ${clock(latest.t)}`.padEnd(17)} ${own}${peers === 'none' ? '' : `; peers: ${peers}`}`);
  }
  if (findings.length > 0) {
    out.push('', paint.bold('Diagnosis'));
    for (const f of findings) out.push(`  ${f.leak ? paint.bad('•') : '•'} ${f.text}`);
  }
  if (notSeen.length > 0) {
    out.push('', paint.bold('Not seen'));
    for (const line of notSeen) out.push(`  • ${line}`);
  }
  return out;
}
