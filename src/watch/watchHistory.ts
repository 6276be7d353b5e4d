/**
 * What a watch remembers of its samples, in bounded memory: the first and the latest sample, the
 * recent ones the rates are drawn from, and per process and per listener the peaks and the
 * moments the diagnosis quotes (first at the fd limit, first CLOSE_WAIT). Findings are computed
 * from this at every sample, so it must not grow with the length of the watch.
 */
import type { TcpState } from '../model/states.js';
import type { ProcessSample, StateCounts, WatchSample } from './watchSample.js';

/** How many recent samples rates are drawn from (5 min at the default 5 s). */
export const TREND_SAMPLES = 60;

/** One watched process over the whole watch. */
export interface ProcessHistory {
  readonly pid: number;
  label: string;
  comm: string;
  /** Its first and latest sample. */
  readonly first: ProcessSample;
  readonly firstAt: number;
  latest: ProcessSample;
  latestAt: number;
  /** Its fds on closed sockets when first known (the second sample that read its fds). */
  closedFdsAtStart: number | undefined;
  /** When it was first seen at or above its soft fd limit. */
  atLimitAt: number | undefined;
  /** Peaks of its own sockets by state, and of its fd-less FIN_WAIT_2. */
  readonly peak: StateCounts;
  peakOrphanFinWait2: number;
  /** Whether it has ever held a TCP socket. */
  heldSockets: boolean;
  /** Its recent samples, with their times. */
  readonly recent: { readonly t: number; readonly sample: ProcessSample }[];
  /** When it stopped being seen (exited), if it did. */
  goneAt: number | undefined;
}

/** One listener's accept queue over the watch. */
export interface ListenerHistory {
  readonly process: string;
  readonly listener: string;
  maxQueued: number;
  backlog: number | null;
  /** Samples at which the queue held backlog + 1 (full: SYNs are dropped). */
  fullSamples: number;
}

function raisePeaks(peak: StateCounts, counts: StateCounts): void {
  for (const [state, n] of Object.entries(counts) as [TcpState, number][]) peak[state] = Math.max(peak[state] ?? 0, n);
}

/** The bounded memory of a watch. */
export class WatchHistory {
  /** Every process seen, by pid, in the order first seen. */
  readonly processes = new Map<number, ProcessHistory>();
  readonly listeners = new Map<string, ListenerHistory>();
  /** Peaks of the peers' sockets by state, and of their orphaned FIN_WAIT_2. */
  readonly peerPeak: StateCounts = {};
  peerPeakOrphanFinWait2 = 0;
  /** Samples taken. */
  samples = 0;
  first: WatchSample | undefined;
  latest: WatchSample | undefined;

  /** Takes in one sample. */
  add(sample: WatchSample): void {
    this.samples += 1;
    this.first ??= sample;
    this.latest = sample;
    const seen = new Set<number>();
    for (const p of sample.processes) {
      seen.add(p.pid);
      let h = this.processes.get(p.pid);
      if (h === undefined) {
        h = { pid: p.pid, label: p.label, comm: p.comm, first: p, firstAt: sample.t, latest: p, latestAt: sample.t, atLimitAt: undefined, closedFdsAtStart: undefined, peak: {}, peakOrphanFinWait2: 0, heldSockets: false, recent: [], goneAt: undefined };
        this.processes.set(p.pid, h);
      }
      h.label = p.label;
      h.comm = p.comm;
      h.latest = p;
      h.latestAt = sample.t;
      h.goneAt = undefined;
      if (h.closedFdsAtStart === undefined && p.closedFds !== null) h.closedFdsAtStart = p.closedFds;
      if (h.atLimitAt === undefined && p.fds !== null && p.nofile !== null && p.fds >= p.nofile) h.atLimitAt = sample.t;
      raisePeaks(h.peak, p.states);
      h.peakOrphanFinWait2 = Math.max(h.peakOrphanFinWait2, p.orphans.FIN_WAIT_2 ?? 0);
      if (Object.keys(p.states).length > 0) h.heldSockets = true;
      h.recent.push({ t: sample.t, sample: p });
      if (h.recent.length > TREND_SAMPLES) h.recent.shift();
    }
    for (const h of this.processes.values()) if (!seen.has(h.pid) && h.goneAt === undefined) h.goneAt = sample.t;
    raisePeaks(this.peerPeak, sample.peers);
    this.peerPeakOrphanFinWait2 = Math.max(this.peerPeakOrphanFinWait2, sample.peerOrphans.FIN_WAIT_2 ?? 0);
    for (const q of sample.acceptQueues) {
      const key = `${q.process} ${q.listener}`;
      const h: ListenerHistory = this.listeners.get(key) ?? { process: q.process, listener: q.listener, maxQueued: 0, backlog: q.backlog, fullSamples: 0 };
      h.maxQueued = Math.max(h.maxQueued, q.queued);
      h.backlog = q.backlog;
      if (q.backlog !== null && q.queued > q.backlog) h.fullSamples += 1;
      this.listeners.set(key, h);
    }
  }

  /**
   * The processes worth reporting: those that held a TCP socket; while none has, the ones the
   * first sample saw (the pids given, or the started command — not the helpers it runs).
   */
  shownProcesses(): ProcessHistory[] {
    const all = [...this.processes.values()];
    const withSockets = all.filter((h) => h.heldSockets);
    return withSockets.length > 0 ? withSockets : all.filter((h) => h.firstAt === this.first?.t);
  }
}
