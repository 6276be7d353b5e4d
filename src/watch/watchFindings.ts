/**
 * The diagnosis of a watch, in the words of `tcpsim run`'s: which process does not close the
 * connections its peers closed (with the rate, and when that takes it to EMFILE), fds held on
 * sockets the kernel already closed (Go's keepalive), the fd limit reached, accept queues that
 * overflowed, TIME_WAIT and orphaned FIN_WAIT_2 explained. Computed from the watch's bounded
 * history at every sample (the live diagnosis) and once more at the end.
 *
 * Rules:
 * - CLOSE_WAIT leak: a socket of the process has been in CLOSE_WAIT for three sampling intervals
 *   (as measured: stuckAfterMs) and more than twice the longest the process took to close one
 *   (it is *stuck*).
 *   CLOSE_WAIT has no timer, so only the program's close() ends it.
 * - Fds on closed sockets: socket fds whose socket is in no kernel table, when their number rose
 *   while watched or a CLOSE_WAIT socket left the table while the program kept its fd.
 * Those two are leaks: `tcpsim watch` exits 1 when one holds at the end. The rest explain.
 */
import { span } from '../report/clock.js';
import { clock } from '../report/clock.js';
import { agree, count } from '../report/plural.js';
import { closeWaitPerMinute, fdProjection, type FdProjection } from './fdProjection.js';
import { aboutText, rateText } from './trend.js';
import type { ProcessHistory, WatchHistory } from './watchHistory.js';

/** Kernel settings and sampling the sentences quote. */
export interface FindingContext {
  readonly everyMs: number;
  /** net.ipv4.tcp_fin_timeout, seconds. */
  readonly finTimeoutS: number | undefined;
  /** net.ipv4.tcp_tw_reuse: 0, 1 or 2. */
  readonly twReuse: number | undefined;
}

/** What a finding is about. */
export type FindingKind = 'close-wait-leak' | 'closed-fds' | 'emfile' | 'fd-growth' | 'close-wait-passing' | 'accept-overflow' | 'accept-queue' | 'time-wait' | 'orphan-fin-wait-2' | 'exited' | 'no-leak';

/** One sentence of the diagnosis. */
export interface Finding {
  readonly kind: FindingKind;
  /** The process it names, when it names one (`node[4242]`). */
  readonly process?: string;
  /** A leak: `tcpsim watch` exits 1 when one holds at the end. */
  readonly leak: boolean;
  /** One line, for the live report. */
  readonly headline: string;
  /** The whole explanation. */
  readonly text: string;
}

/** Rises among the recent samples before growing fds are worth a sentence of their own. */
export const FD_GROWTH_RISES = 5;

/**
 * How long a CLOSE_WAIT socket must have waited to count as stuck, for a process that closed
 * others within `longestCloseMs`: three sampling intervals, as the samples measure them — a sample
 * is timed at the middle of its reads, so one taken three intervals after another on the grid may
 * measure a few ms less (seen: 14.996 s at 5 s). Half an interval of slack absorbs that.
 */
export function stuckAfterMs(everyMs: number, longestCloseMs: number): number {
  return Math.max(2.5 * everyMs, 2 * longestCloseMs + 1);
}

/** `fds 812/1024, +12/min ⇒ EMFILE in ~18 min`. */
export function headroomText(p: FdProjection | undefined): string {
  if (p === undefined) return 'fds unknown (not readable)';
  if (p.nofile === null) return `fds ${p.fds} (no limit), ${rateText(p.perMinute)}`;
  const head = `fds ${p.fds}/${p.nofile}`;
  if (p.emfileInMs === 0) return `${head}: at the limit, EMFILE`;
  if (p.emfileInMs === undefined) return `${head}, not rising now`;
  return `${head}, ${rateText(p.perMinute)} ⇒ EMFILE in ${aboutText(p.emfileInMs)}`;
}

function sinceText(ms: number): string {
  return ms >= 1000 ? span(ms * 1000) : `${Math.round(ms)} ms`;
}

function closeWaitFindings(h: ProcessHistory, now: number, context: FindingContext): Finding[] {
  const cw = h.latest.closeWait;
  const stuckAfter = stuckAfterMs(context.everyMs, cw.longestCloseMs);
  const stuck = cw.openSince.filter((since) => now - since >= stuckAfter);
  const out: Finding[] = [];
  const projection = fdProjection(h);
  if (stuck.length > 0) {
    const n = cw.openSince.length;
    const oldest = now - (cw.openSince[0] ?? now);
    const rate = closeWaitPerMinute(h);
    const closedText =
      cw.closed === 0
        ? `; it closed none of the connections its peers closed while watched`
        : `; it closed ${count(cw.closed, 'other')}, each within ${sinceText(cw.longestCloseMs)}, so ${agree(stuck.length, 'this one is', 'these are')} forgotten, not slow`;
    if (h.goneAt !== undefined) {
      // it exited holding them: the kernel released them then, the program never closed them
      out.push({
        kind: 'close-wait-leak',
        process: h.label,
        leak: true,
        headline: `${h.label} did not close connections its peers had closed: CLOSE_WAIT ${n} until it exited`,
        text:
          `${h.label} did not close connections its peers had closed: ${count(n, 'socket')} sat in CLOSE_WAIT until it exited, the oldest for at least ${sinceText(oldest)}${closedText}. ` +
          `The peer sent FIN and ${h.label} never called close(); only its exit released ${agree(n, 'that socket and its fd', 'those sockets and their fds')}. A server that runs on keeps each until EMFILE.`,
      });
      return out;
    }
    const rising = rate > 0 ? `CLOSE_WAIT ${rateText(rate)}` : 'CLOSE_WAIT not rising now';
    const headline = `${h.label} does not close connections its peers have closed: CLOSE_WAIT ${n}, ${rate > 0 ? rateText(rate) : 'not rising now'}; ${headroomText(projection)}`;
    out.push({
      kind: 'close-wait-leak',
      process: h.label,
      leak: true,
      headline,
      text:
        `${h.label} does not close connections its peers have closed: ${count(n, 'socket')} ${agree(n, 'sits', 'sit')} in CLOSE_WAIT, the oldest for at least ${sinceText(oldest)}${closedText}. ` +
        `The peer sent FIN and ${h.label} never called close(); CLOSE_WAIT has no timer, so each stays, with its fd, until the program closes it or exits. ` +
        `${rising}; ${headroomText(projection)}.`,
    });
  } else if (cw.closed > 0) {
    out.push({
      kind: 'close-wait-passing',
      process: h.label,
      leak: false,
      headline: `${h.label} closes what its peers close: ${cw.closed} CLOSE_WAIT closed, each within ${sinceText(cw.longestCloseMs)}`,
      text: `${h.label}'s sockets passed through CLOSE_WAIT and it closed them (${cw.closed}, each within ${sinceText(cw.longestCloseMs)} of the first sample that saw it there): the peers closed first, and ${h.label} closed its side later. CLOSE_WAIT lasts exactly as long as the program waits before close().`,
    });
  }
  return out;
}

function closedFdFindings(h: ProcessHistory): Finding[] {
  const closed = h.latest.closedFds;
  if (closed === null || closed === 0) return [];
  const before = h.closedFdsAtStart ?? 0;
  const left = h.latest.closeWait.leftWithFd;
  const rising = closed > before || left > 0;
  const how =
    left > 0
      ? `${count(left, 'socket')} left CLOSE_WAIT while watched without ${h.label} closing ${agree(left, 'its fd', 'their fds')}: a RST from the peer ended ${agree(left, 'it', 'them')}, its kernel's answer to a segment for a connection it has closed — a keepalive probe once its orphaned FIN_WAIT_2 has expired (Go turns keepalive on for every connection), or data written after the peer's close. `
      : rising
        ? `${count(closed - before, 'more')} than when the watch began. `
        : `as many as when the watch began (sockets closed before it, or sockets of another network namespace). `;
  return [
    {
      kind: 'closed-fds',
      process: h.label,
      leak: rising,
      headline: rising ? `${h.label} holds ${count(closed, 'fd')} on sockets the kernel already closed: invisible to netstat and ss` : `${h.label} holds ${count(closed, 'socket fd')} that no kernel table lists (not rising)`,
      text:
        `${h.label} holds ${count(closed, 'fd')} on sockets the kernel has already closed, ${how}` +
        `netstat and ss no longer show them, yet each fd stays used until the program closes it: count them with \`ls /proc/PID/fd\` against ss, or the alloc figure of /proc/net/sockstat. ${headroomText(fdProjection(h))}.`,
    },
  ];
}

function emfileFinding(h: ProcessHistory, now: number): Finding[] {
  const at = h.atLimitAt;
  const nofile = h.latest.nofile;
  if (at === undefined || nofile === null) return [];
  const still = (h.latest.fds ?? 0) >= nofile;
  const runtime =
    h.comm === 'node'
      ? `As a Node (libuv) server it then accepts each new connection and closes it at once (uv__emfile_trick): the clients see their connection closed, the program is never told.`
      : `A Java, Go or C server's accept() fails and the connection waits in the accept queue, unanswered; the article's Java accept loop ends at the first such error, and Go's returns from main.`;
  return [
    {
      kind: 'emfile',
      process: h.label,
      leak: false,
      headline: `${h.label} is at its fd limit (nofile ${nofile}): accept() fails with EMFILE`,
      text: `${h.label} reached its fd limit (nofile ${nofile}) at ${clock(at)}: its next accept() fails with EMFILE${still ? `, and it is still there at ${clock(now)}` : `; it was back below the limit by ${clock(now)}`}. ${runtime}`,
    },
  ];
}

function fdGrowthFinding(h: ProcessHistory, leaking: boolean): Finding[] {
  const projection = fdProjection(h);
  const first = h.first.fds;
  if (leaking || projection === undefined || first === null || projection.emfileInMs === undefined || projection.emfileInMs === 0) return [];
  // a start-up opens a handful of fds in a few steps; a trend worth a sentence rises again and again
  const rises = h.recent.filter((r, i) => i > 0 && (r.sample.fds ?? 0) > (h.recent[i - 1]!.sample.fds ?? 0)).length;
  if (projection.fds - first < 2 || rises < FD_GROWTH_RISES) return [];
  return [
    {
      kind: 'fd-growth',
      process: h.label,
      leak: false,
      headline: `${h.label}'s fds are rising: ${headroomText(projection)}`,
      text: `${h.label}'s fds rose from ${first} to ${projection.fds} while watched: ${headroomText(projection)}. No CLOSE_WAIT piles up, so these are connections still open (or files); a server whose clients stay connected needs that many fds.`,
    },
  ];
}

function listenerFindings(history: WatchHistory): Finding[] {
  const out: Finding[] = [];
  const latest = history.latest;
  if (latest !== undefined && latest.listenOverflows > 0) {
    const labels = history.shownProcesses().map((h) => h.label).join(', ');
    out.push({
      kind: 'accept-overflow',
      leak: false,
      headline: `ListenOverflows +${latest.listenOverflows}: an accept queue was full`,
      text:
        `ListenOverflows rose by ${latest.listenOverflows} (ListenDrops by ${latest.listenDrops}) while watched: that many times a SYN or a handshake's last ACK found an accept queue full and was dropped, and the client's kernel sent it again (a SYN after 1 s, then backing off). ` +
        `The counters are the network namespace's (/proc/net/netstat), for every listener in it, not only ${labels}'s.`,
    });
  }
  for (const l of history.listeners.values()) {
    if (l.maxQueued === 0) continue;
    const backlog = l.backlog === null ? 'backlog unknown' : `backlog ${l.backlog}; it holds ${l.backlog + 1}`;
    out.push({
      kind: 'accept-queue',
      process: l.process,
      leak: false,
      headline: `${l.listener}: up to ${l.maxQueued} connections waited to be accepted (${l.backlog === null ? 'backlog unknown' : `backlog ${l.backlog}`})`,
      text:
        `Up to ${count(l.maxQueued, 'connection')} waited in the accept queue of ${l.process}'s listener ${l.listener} (${backlog}): the kernel had completed their handshakes and the program had not accepted them yet.` +
        (l.fullSamples > 0 ? ` It was full at ${count(l.fullSamples, 'sample')}: meanwhile new SYNs are dropped, and clients wait in SYN_SENT.` : ''),
    });
  }
  return out;
}

function timeWaitFinding(history: WatchHistory, context: FindingContext): Finding[] {
  const shown = history.shownProcesses();
  const own = shown.reduce((n, h) => n + (h.peak.TIME_WAIT ?? 0), 0);
  const peer = history.peerPeak.TIME_WAIT ?? 0;
  if (own === 0 && peer === 0) return [];
  const labels = shown.map((h) => h.label).join(', ');
  const where = [own > 0 ? `${own} on ${labels}'s side` : '', peer > 0 ? `${peer} on its peers' side` : ''].filter((s) => s !== '').join(' and ');
  const reuse =
    context.twReuse === undefined
      ? 'net.ipv4.tcp_tw_reuse'
      : `net.ipv4.tcp_tw_reuse=${context.twReuse} (${context.twReuse === 0 ? 'off' : context.twReuse === 1 ? 'on' : 'on for loopback connections only, the default'})`;
  return [
    {
      kind: 'time-wait',
      leak: false,
      headline: `TIME_WAIT peaked at ${where}: normal, the side that closes first holds it 60 s`,
      text:
        `TIME_WAIT peaked at ${where}. Normal: the side that closes first holds TIME_WAIT for 60 s (TCP_TIMEWAIT_LEN, fixed in Linux; the timer wheel adds up to 2 s), with no fd and no process — ${own > 0 ? `${labels} closed first` : 'the peers closed first'}. ` +
        `${reuse} lets a new outgoing connect() take the port pair of a TIME_WAIT socket when TCP timestamps show it is safe; it does not shorten TIME_WAIT, frees no fd, and changes nothing for the connections a server accepts.`,
    },
  ];
}

function orphanFinWait2Finding(history: WatchHistory, context: FindingContext, closeWaitLeak: boolean): Finding[] {
  const own = history.shownProcesses().reduce((n, h) => n + h.peakOrphanFinWait2, 0);
  const peer = history.peerPeakOrphanFinWait2;
  if (own === 0 && peer === 0) return [];
  const where = [own > 0 ? `${own} of the watched process's` : '', peer > 0 ? `${peer} of its peers'` : ''].filter((s) => s !== '').join(' and ');
  const timeout = context.finTimeoutS === undefined ? 'tcp_fin_timeout' : `tcp_fin_timeout (${context.finTimeoutS} s)`;
  return [
    {
      kind: 'orphan-fin-wait-2',
      leak: false,
      headline: `orphaned FIN_WAIT_2 (up to ${where}) wait on ${timeout}`,
      text:
        `Up to ${where} sockets sat in FIN_WAIT_2 orphaned: their program called close(), and the other side has not sent its FIN. Linux ends each after ${timeout}, so they fade on their own` +
        (closeWaitLeak ? ` while the CLOSE_WAIT on the other side stays: that is why the article's netstat shows CLOSE_WAIT and no FIN_WAIT2.` : '.'),
    },
  ];
}

/** The diagnosis of the watch so far, most important first. */
export function watchFindings(history: WatchHistory, context: FindingContext): Finding[] {
  const now = history.latest?.t ?? 0;
  const out: Finding[] = [];
  const shown = history.shownProcesses();
  let closeWaitLeak = false;
  for (const h of shown) {
    const closeWait = closeWaitFindings(h, h.latestAt, context);
    const closed = closedFdFindings(h);
    const leaking = closeWait.some((f) => f.leak) || closed.some((f) => f.leak);
    closeWaitLeak ||= closeWait.some((f) => f.leak);
    out.push(...closeWait, ...closed, ...emfileFinding(h, now), ...fdGrowthFinding(h, leaking));
    if (h.goneAt !== undefined) {
      out.push({ kind: 'exited', process: h.label, leak: false, headline: `${h.label} exited`, text: `${h.label} exited at about ${clock(h.goneAt)}: the kernel closed every fd it held.` });
    }
  }
  out.push(...listenerFindings(history), ...orphanFinWait2Finding(history, context, closeWaitLeak), ...timeWaitFinding(history, context));
  if (!out.some((f) => f.leak)) {
    const readable = shown.filter((h) => h.latest.fds !== null);
    if (readable.length > 0) {
      const fds = readable.map((h) => `${h.label} ${h.first.fds ?? 0} → ${h.latest.fds ?? 0}`).join(', ');
      out.push({
        kind: 'no-leak',
        leak: false,
        headline: 'no leak seen',
        text: `No leak seen: no socket stuck in CLOSE_WAIT, no fd held on a closed socket (fds ${fds}). A leak that starts later, or slower than ${count(3, 'sampling interval')} per connection, needs a longer watch.`,
      });
    }
  }
  return out;
}
