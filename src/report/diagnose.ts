/**
 * The plain-language diagnosis of a run: which program leaks CLOSE_WAIT, what each leaked
 * connection costs, when the fd limit was reached and what followed, why FIN_WAIT_2 and
 * TIME_WAIT appear and fade. Reads only the result and the scenario.
 */
import type { Scenario } from '../scenario/types.js';
import type { Sample, SimulationResult } from '../sim/simulate.js';
import { giveUpAfter, synRetryLimit, synTimeout } from '../model/backoff.js';
import type { Profile } from '../model/profile.js';
import { wheelBucket } from '../model/timerWheel.js';
import { clock, span } from './clock.js';
import { agree, count } from './plural.js';
import { portExhaustionSentences } from './portExhaustion.js';

/** Times for people, also offered here to the reporters that have always imported them from the diagnosis. */
export { clock, span };

/** Scenarios that reproduce the article (their names start so): only they may speak of the article's netstat. */
export function isArticleScenario(scenario: Scenario): boolean {
  return scenario.name.startsWith('article-');
}

/** The SYN retransmission schedule in words: "1 s ×5, then doubling, 10 retries". */
function synBackoffText(profile: Profile): string {
  const linear = profile.synLinearTimeouts > 0 ? ` ×${profile.synLinearTimeouts + 1}, then` : ',';
  return `${span(profile.synRto)}${linear} doubling, ${synRetryLimit(profile, true)} retries`;
}

function firstSample(samples: readonly Sample[], test: (s: Sample) => boolean): Sample | undefined {
  return samples.find(test);
}

/** Sentences explaining what the run shows, most important first. */
export function diagnose(result: SimulationResult, scenario: Scenario): string[] {
  const out: string[] = [];
  const { samples, final, world, profile } = result;
  const peak = (pick: (s: Sample) => number): number => Math.max(0, ...samples.map(pick));

  for (const spec of scenario.processes) {
    const name = spec.name;
    const baseline = spec.baselineFds + (spec.server ? 1 : 0);
    const closeWait = final.byProcess[name]?.CLOSE_WAIT ?? 0;
    const closedFds = final.closedFds[name] ?? 0;
    const tail = samples.slice(Math.floor(samples.length * 0.75));
    const steady = tail.every((s) => (s.byProcess[name]?.CLOSE_WAIT ?? 0) <= closeWait);
    const leaks = (closeWait > 0 && steady) || closedFds > 0;
    if (leaks) {
      const fds = final.fds[name] ?? 0;
      const accepted = result.stats.accepted.get(name) ?? 0;
      if (closeWait > 0 && steady) {
        out.push(
          `${name} never closes its connections: ${count(closeWait, 'socket')} ${agree(closeWait, 'sits', 'sit')} in CLOSE_WAIT — the ${agree(closeWait, 'peer', 'peers')} sent FIN, ${name} never called close(). ` +
            (spec.keepalive === null
              ? `CLOSE_WAIT has no timer, so they stay until the process closes them or exits.`
              : `CLOSE_WAIT has no timer of its own; keepalive ends one only when the peer answers a probe with RST.`),
        );
      }
      if (closedFds > 0) {
        const peakCloseWait = peak((s) => s.byProcess[name]?.CLOSE_WAIT ?? 0);
        const gone = samples.find((s, i) => i > 0 && (s.byProcess[name]?.CLOSE_WAIT ?? 0) < (samples[i - 1]!.byProcess[name]?.CLOSE_WAIT ?? 0));
        const ka = spec.keepalive;
        const how =
          ka === null
            ? `their peers reset them (RST)`
            : `keepalive (${span(ka.idle ?? profile.keepaliveTime)} idle, then a probe every ${span(ka.interval ?? profile.keepaliveIntvl)}) probed each one, and once the peer's orphaned FIN_WAIT_2 had expired (tcp_fin_timeout${profile.finTimeout === null ? '' : `, ${span(profile.finTimeout)}`}) the peer's kernel answered the next probe with RST`;
        out.push(
          `${name} never closed ${count(closedFds, 'connection')}, yet netstat no longer shows them: ${peakCloseWait > 0 ? `CLOSE_WAIT peaked at ${peakCloseWait}, then ` : ''}${how}${gone !== undefined ? ` (from ${clock(gone.t)})` : ''}, and each socket went to CLOSED while ${name} still holds its fd. ` +
            `${count(closedFds, 'leaked fd')} whose ${agree(closedFds, 'socket is', 'sockets are')} already closed: invisible to netstat and ss; count them with \`ls /proc/PID/fd\` or the alloc figure of /proc/net/sockstat.`,
        );
      }
      // the runtime's own fds of its first write (OpenJDK's pre-close socketpair) are not the connections'
      const own = baseline + spec.firstWriteFds;
      if (accepted > 0 && fds > own) {
        const perConn = (fds - own) / accepted;
        out.push(
          `Each accepted connection costs ${name} ${Number.isInteger(perConn) ? count(perConn, 'fd') : `${perConn.toFixed(2)} fds`} for good: ${count(fds, 'fd')} open at the end against ${own} of its own` +
            `${spec.firstWriteFds > 0 ? ` (${baseline} at start, ${spec.firstWriteFds} opened by the runtime at its first write)` : ''}, for ${count(accepted, 'accepted connection')}.`,
        );
      }
    }
    const atLimit = firstSample(samples, (s) => (s.fds[name] ?? 0) >= spec.nofile);
    const ended = result.stats.acceptLoopEnded.get(name);
    if (spec.server !== undefined && (atLimit !== undefined || ended !== undefined)) {
      const emfile = final.errorsByProcess[name]?.EMFILE ?? 0;
      const first = world.firstErrorAt('EMFILE');
      const when = atLimit !== undefined ? clock(atLimit.t) : ended !== undefined ? clock(ended.at / 1000) : '';
      if (spec.acceptPolicy === 'libuv') {
        const dropped = result.stats.droppedByEmfileTrick.get(name) ?? 0;
        out.push(
          `${name} reached its fd limit (nofile ${spec.nofile}) by ${when}. As a Node (libuv) server it then accepted and at once closed ${count(dropped, 'further connection')} (uv__emfile_trick); the program was never told.`,
        );
      } else if (ended !== undefined && ended.exited) {
        out.push(
          `${name} reached its fd limit (nofile ${spec.nofile}) at ${clock(ended.at / 1000)}: its next accept() failed with EMFILE, and its accept loop returned from main — the process exited and the kernel closed every fd it held.`,
        );
      } else if (ended !== undefined) {
        const backlog = Math.min(spec.server.backlog, profile.somaxconn);
        out.push(
          `${name} reached its fd limit (nofile ${spec.nofile}) at ${clock(ended.at / 1000)}: its next accept() failed with EMFILE, which ended its accept loop. The listener stays open but nobody accepts: ` +
            `${backlog + 1} more connections fill the accept queue (backlog ${backlog} + 1), ESTABLISHED on both sides and never answered, and every later client waits in SYN_SENT until connect() times out.`,
        );
      } else {
        const queued = closeWait - Math.max(0, (final.fds[name] ?? 0) - baseline);
        out.push(
          `${name} reached its fd limit (nofile ${spec.nofile}) by ${when}; from then on accept() failed with EMFILE ` +
            `(${count(emfile, 'time')}${first !== undefined ? `, first at ${clock(first / 1000)}` : ''}).` +
            (queued > 0
              ? ` ${count(queued, 'connection')} the kernel completed but ${name} could not accept ${agree(queued, 'waits', 'wait')} in the accept queue — ${agree(queued, 'it is', 'they are')} in CLOSE_WAIT too.`
              : ''),
        );
      }
    }
  }

  for (const spec of scenario.processes) {
    const name = spec.name;
    const peakCloseWait = peak((s) => s.byProcess[name]?.CLOSE_WAIT ?? 0);
    if (peakCloseWait > 0 && (final.byProcess[name]?.CLOSE_WAIT ?? 0) === 0 && (final.closedFds[name] ?? 0) === 0) {
      const first = samples.find((s) => (s.byProcess[name]?.CLOSE_WAIT ?? 0) > 0)!;
      const last = [...samples].reverse().find((s) => (s.byProcess[name]?.CLOSE_WAIT ?? 0) > 0)!;
      out.push(
        `${name}'s sockets passed through CLOSE_WAIT (peak ${peakCloseWait}, seen ${first === last ? `at ${clock(first.t)}` : `from ${clock(first.t)} to ${clock(last.t)}`}): the peers closed first, and ${name} closed its side later. CLOSE_WAIT lasts exactly as long as the program waits before close().`,
      );
    }
  }

  const peakFinWait2 = peak((s) => s.states.FIN_WAIT_2 ?? 0);
  const finWait2Expired = world.expiries[3] ?? 0;
  if (finWait2Expired > 0 && profile.finTimeout !== null) {
    out.push(
      `${count(finWait2Expired, 'FIN_WAIT_2 socket')} (peak ${peakFinWait2}) expired: ${finWait2Expired === 1 ? 'it was a' : 'they were the'} closing side's ${finWait2Expired === 1 ? 'socket' : 'sockets'}, orphaned by close(), whose peer never sent its FIN, and Linux ends an orphaned FIN_WAIT_2 after tcp_fin_timeout (${span(profile.finTimeout)}).` +
        (isArticleScenario(scenario) ? " That is why the article's netstat shows CLOSE_WAIT but no FIN_WAIT2." : ''),
    );
  }
  if ((final.states.FIN_WAIT_2 ?? 0) > 0) {
    out.push(
      `${final.states.FIN_WAIT_2} sockets are still in FIN_WAIT_2: the peer has not closed its side.` +
        (profile.finTimeout === null ? ' This profile has no FIN_WAIT_2 timeout.' : ' A program that still holds the fd (after shutdown) keeps it there with no timer.'),
    );
  }

  const peakTimeWait = peak((s) => s.states.TIME_WAIT ?? 0);
  if (peakTimeWait > 0) {
    const left = final.states.TIME_WAIT ?? 0;
    out.push(
      `TIME_WAIT peaked at ${peakTimeWait}, held by the side that sent the first FIN (both sides, in a simultaneous close); each lasts ${span(profile.timeWait)} (${profile.name === 'linux' ? 'TCP_TIMEWAIT_LEN, fixed in the Linux kernel' : '2 MSL'}${profile.hz === null ? '' : `; up to ${span(wheelBucket(profile.timeWait, profile.hz))} more, as the kernel's timer wheel rounds it up`})` +
        (left === 0 ? ` and ${agree(peakTimeWait, 'it has', 'all of them have')} expired.` : `; ${left} ${agree(left, 'remains', 'remain')} at the end.`),
    );
  }

  const peakSynSent = peak((s) => s.states.SYN_SENT ?? 0);
  const timedOut = final.errors.ETIMEDOUT;
  const backoff = `${synBackoffText(profile)}, giving up after ${span(giveUpAfter((r) => synTimeout(profile, true, r), synRetryLimit(profile, true)))}`;
  if (world.synDrops > 0 && (timedOut > 0 || (final.states.SYN_SENT ?? 0) > 0)) {
    out.push(
      `Up to ${peakSynSent} ${peakSynSent === 1 ? 'client' : 'clients'} waited in SYN_SENT: the server's accept queue was full, so Linux dropped their SYNs and they retried with backoff (${backoff}).` +
        ` ${world.synDrops} SYNs were dropped` + (timedOut > 0 ? `; ${timedOut} ${timedOut === 1 ? 'connection' : 'connections'} ended in ETIMEDOUT.` : '.'),
    );
  } else if (world.listenOverflows > 0 || world.syncookiesSent > 0) {
    out.push(
      `A burst of connections outran the server's accept(): ${count(world.listenOverflows, 'time')} a SYN or a handshake's last ACK found the accept queue full and was dropped (Linux ListenOverflows)` +
        (world.syncookiesSent > 0 ? `, and ${count(world.syncookiesSent, 'SYN')} found the SYN queue full and ${agree(world.syncookiesSent, 'was', 'were')} answered with a SYN cookie` : '') +
        `. The clients sent them again (a SYN 1 s later, data 200 ms later) and every one got in.`,
    );
  }

  out.push(...portExhaustionSentences(result, scenario));

  const onlyListeners = Object.keys(final.states).every((state) => state === 'LISTEN');
  // back to what it held before any connection (plus the runtime's first-write fds, once it wrote)
  const atBaseline = scenario.processes.every((p) => {
    const own = p.baselineFds + (p.server ? 1 : 0);
    const fds = final.fds[p.name] ?? 0;
    return fds === own || fds === own + p.firstWriteFds;
  });
  if (onlyListeners && atBaseline) out.push('Every connection reached CLOSED and every process is back to its baseline fds: nothing leaks.');
  return out;
}
