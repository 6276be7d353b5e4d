/**
 * The machine-readable watch: `--json` prints one object per sample as it is taken (newline-
 * delimited), then one summary object; `--record FILE` writes the whole timeline as one document.
 * A sample carries `t` (ms since the watch began), `states`, `fds` and `closedFds` keyed by
 * process as `tcpsim run --json`'s samples do (`states` counts every watched socket: the
 * processes' and their local peers'), so `tcpsim compare` reads either; the rest is the watch's
 * own (per-process states, peers, limits, projections, accept queues, counters).
 */
import { fdProjection } from './fdProjection.js';
import type { WatchHistory } from './watchHistory.js';
import { stuckAfterMs, type Finding, type FindingContext } from './watchFindings.js';
import { allStates, type StateCounts, type WatchSample } from './watchSample.js';

/** A sample as JSON (without the `kind` of the newline-delimited stream). */
export interface SampleJson {
  readonly t: number;
  readonly states: StateCounts;
  readonly fds: Record<string, number>;
  readonly closedFds: Record<string, number>;
  readonly byProcess: Record<string, StateCounts>;
  readonly [more: string]: unknown;
}

/** The JSON of one sample, with the projections the history gives at that moment. */
export function sampleJson(sample: WatchSample, history: WatchHistory, everyMs: number, findings: readonly Finding[]): SampleJson {
  const fds: Record<string, number> = {};
  const closedFds: Record<string, number> = {};
  const byProcess: Record<string, StateCounts> = {};
  const orphans: Record<string, StateCounts> = {};
  const nofile: Record<string, number | null> = {};
  const emfileInMs: Record<string, number | null> = {};
  const fdsPerMinute: Record<string, number> = {};
  const closeWait: Record<string, unknown> = {};
  const unreadable: string[] = [];
  for (const p of sample.processes) {
    byProcess[p.label] = p.states;
    orphans[p.label] = p.orphans;
    nofile[p.label] = p.nofile;
    if (p.fds === null) unreadable.push(p.label);
    else fds[p.label] = p.fds;
    if (p.closedFds !== null) closedFds[p.label] = p.closedFds;
    const h = history.processes.get(p.pid);
    const projection = h === undefined ? undefined : fdProjection(h);
    if (projection !== undefined) {
      emfileInMs[p.label] = projection.emfileInMs === undefined ? null : Math.round(projection.emfileInMs);
      fdsPerMinute[p.label] = Math.round(projection.perMinute * 10) / 10;
    }
    const cw = p.closeWait;
    const stuckAfter = stuckAfterMs(everyMs, cw.longestCloseMs);
    closeWait[p.label] = {
      open: cw.openSince.length,
      stuck: cw.openSince.filter((since) => sample.t - since >= stuckAfter).length,
      oldestMs: cw.openSince.length === 0 ? 0 : Math.round(sample.t - (cw.openSince[0] ?? sample.t)),
      closed: cw.closed,
      longestCloseMs: Math.round(cw.longestCloseMs),
      leftWithFd: cw.leftWithFd,
    };
  }
  return {
    t: sample.t,
    states: allStates(sample),
    fds,
    closedFds,
    byProcess,
    orphans,
    peers: sample.peers,
    peerOrphans: sample.peerOrphans,
    nofile,
    fdsPerMinute,
    emfileInMs,
    closeWait,
    acceptQueues: sample.acceptQueues,
    listenOverflows: sample.listenOverflows,
    listenDrops: sample.listenDrops,
    ...(unreadable.length > 0 ? { unreadable } : {}),
    findings: findings.map((f) => (f.process === undefined ? f.kind : `${f.kind} ${f.process}`)),
  };
}

/** How a watch ended. */
export type WatchEnd = 'for' | 'interrupted' | 'exited' | 'command-exited' | 'command-stopped';

/** What the summary object says. */
export interface SummaryFacts {
  readonly history: WatchHistory;
  readonly context: FindingContext;
  readonly findings: readonly Finding[];
  readonly notSeen: readonly string[];
  readonly ended: WatchEnd;
  readonly command?: { readonly argv: readonly string[]; readonly status: number | null };
  readonly cmdlines: ReadonlyMap<number, string>;
}

/** The summary object: the watched processes from first to last sample, the findings, whether it leaks. */
export function summaryJson(facts: SummaryFacts): Record<string, unknown> {
  const { history } = facts;
  return {
    t: history.latest?.t ?? 0,
    samples: history.samples,
    everyMs: facts.context.everyMs,
    ended: facts.ended,
    ...(facts.command === undefined ? {} : { command: facts.command.argv, commandStatus: facts.command.status }),
    processes: history.shownProcesses().map((h) => ({
      pid: h.pid,
      label: h.label,
      cmdline: facts.cmdlines.get(h.pid) ?? '',
      firstFds: h.first.fds,
      fds: h.latest.fds,
      nofile: h.latest.nofile,
      closedFds: h.latest.closedFds,
      peakStates: h.peak,
      states: h.latest.states,
      atLimitAt: h.atLimitAt ?? null,
      ...(h.goneAt === undefined ? {} : { goneAt: h.goneAt }),
    })),
    peerPeakStates: history.peerPeak,
    listenOverflows: history.latest?.listenOverflows ?? 0,
    listenDrops: history.latest?.listenDrops ?? 0,
    findings: facts.findings.map((f) => ({ kind: f.kind, ...(f.process === undefined ? {} : { process: f.process }), leak: f.leak, text: f.text })),
    leak: facts.findings.some((f) => f.leak),
    notSeen: facts.notSeen,
  };
}

/** The `--record` document: the whole timeline and the summary. */
export function recordJson(samples: readonly SampleJson[], summary: Record<string, unknown>, startedAt: Date): string {
  return `${JSON.stringify({ tcpsim: 'watch', timeUnit: 'ms', startedAt: startedAt.toISOString(), samples, summary }, null, 1)}\n`;
}
