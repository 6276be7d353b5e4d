/**
 * The plain-language diagnosis of a run: which program leaks CLOSE_WAIT, what each leaked
 * connection costs, when the fd limit was reached and what followed, why FIN_WAIT_2 and
 * TIME_WAIT appear and fade, and which client ran out of ephemeral ports. Reads only the result
 * and the scenario.
 */
import type { Scenario } from '../scenario/types.js';
import type { Sample, SimulationResult } from '../sim/simulate.js';
import { giveUpAfter, synRetryLimit, synTimeout } from '../model/backoff.js';
import type { Profile } from '../model/profile.js';
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
    const tail = samples.slice(Math.floor(samples.length * 0.75));
    const steady = tail.every((s) => (s.byProcess[name]?.CLOSE_WAIT ?? 0) <= closeWait);
    if (closeWait > 0 && steady) {
      const fds = final.fds[name] ?? 0;
      const accepted = result.stats.accepted.get(name) ?? 0;
      out.push(
        `${name} never closes its connections: ${count(closeWait, 'socket')} ${agree(closeWait, 'sits', 'sit')} in CLOSE_WAIT — the ${agree(closeWait, 'peer', 'peers')} sent FIN, ${name} never called close(). ` +
          `CLOSE_WAIT has no timer, so they stay until the process closes them or exits.`,
      );
      if (accepted > 0) {
        const perConn = (fds - baseline) / accepted;
        out.push(
          `Each accepted connection costs ${name} ${Number.isInteger(perConn) ? count(perConn, 'fd') : `${perConn.toFixed(2)} fds`} for good: ${count(fds, 'fd')} open at the end against a baseline of ${baseline}, for ${count(accepted, 'accepted connection')}.`,
        );
      }
      const atLimit = firstSample(samples, (s) => (s.fds[name] ?? 0) >= spec.nofile);
      if (atLimit) {
        const emfile = final.errorsByProcess[name]?.EMFILE ?? 0;
        const first = world.firstErrorAt('EMFILE');
        const queued = closeWait - Math.max(0, fds - baseline);
        if (spec.acceptPolicy === 'libuv') {
          const dropped = result.stats.droppedByEmfileTrick.get(name) ?? 0;
          out.push(
            `${name} reached its fd limit (nofile ${spec.nofile}) by ${clock(atLimit.t)}. As a Node (libuv) server it then accepted and at once closed ${count(dropped, 'further connection')} (uv__emfile_trick); the program was never told.`,
          );
        } else {
          out.push(
            `${name} reached its fd limit (nofile ${spec.nofile}) by ${clock(atLimit.t)}; from then on accept() failed with EMFILE ` +
              `(${count(emfile, 'time')}${first !== undefined ? `, first at ${clock(first / 1000)}` : ''}).` +
              (queued > 0
                ? ` ${count(queued, 'connection')} the kernel completed but ${name} could not accept ${agree(queued, 'waits', 'wait')} in the accept queue — ${agree(queued, 'it is', 'they are')} in CLOSE_WAIT too.`
                : ''),
          );
        }
      }
    }
  }

  const peakFinWait2 = peak((s) => s.states.FIN_WAIT_2 ?? 0);
  const finWait2Expired = world.expiries[3] ?? 0;
  if (finWait2Expired > 0 && profile.finTimeout !== null) {
    const one = finWait2Expired === 1;
    out.push(
      `${count(finWait2Expired, 'FIN_WAIT_2 socket')} (peak ${peakFinWait2}) expired: ${one ? 'it was a' : 'they were the'} closing side's ${one ? 'socket' : 'sockets'}, orphaned by close(), whose peer never sent its FIN, and Linux ends an orphaned FIN_WAIT_2 after tcp_fin_timeout (${span(profile.finTimeout)}).` +
        (isArticleScenario(scenario) ? " That is why the article's netstat shows CLOSE_WAIT but no FIN_WAIT2." : ''),
    );
  }
  if ((final.states.FIN_WAIT_2 ?? 0) > 0) {
    out.push(
      `${count(final.states.FIN_WAIT_2 ?? 0, 'socket is', 'sockets are')} still in FIN_WAIT_2: the peer has not closed its side.` +
        (profile.finTimeout === null ? ' This profile has no FIN_WAIT_2 timeout.' : ' A program that still holds the fd (after shutdown) keeps it there with no timer.'),
    );
  }

  const peakTimeWait = peak((s) => s.states.TIME_WAIT ?? 0);
  if (peakTimeWait > 0) {
    const left = final.states.TIME_WAIT ?? 0;
    out.push(
      `TIME_WAIT peaked at ${peakTimeWait}, held by the side that sent the first FIN (both sides, in a simultaneous close); each lasts ${span(profile.timeWait)} (${profile.name === 'linux' ? 'TCP_TIMEWAIT_LEN, fixed in the Linux kernel' : '2 MSL'})` +
        (left === 0 ? ` and ${agree(peakTimeWait, 'it has', 'all of them have')} expired.` : `; ${left} ${agree(left, 'remains', 'remain')} at the end.`),
    );
  }

  const peakSynSent = peak((s) => s.states.SYN_SENT ?? 0);
  const timedOut = final.errors.ETIMEDOUT;
  if (peakSynSent > 0 && world.synDrops > 0) {
    out.push(
      `Up to ${count(peakSynSent, 'client')} waited in SYN_SENT: the server's accept queue was full, so Linux dropped their SYNs and they retried with backoff (${synBackoffText(profile)}, giving up after ${span(giveUpAfter((r) => synTimeout(profile, true, r), synRetryLimit(profile, true)))}).` +
        ` ${count(world.synDrops, 'SYN was', 'SYNs were')} dropped.` +
        (timedOut > 0 ? ` ${count(timedOut, 'connection')} ended in ETIMEDOUT.` : ''),
    );
  }

  out.push(...portExhaustionSentences(result, scenario));

  const onlyListeners = Object.keys(final.states).every((state) => state === 'LISTEN');
  const atBaseline = scenario.processes.every((p) => (final.fds[p.name] ?? 0) === p.baselineFds + (p.server ? 1 : 0));
  if (onlyListeners && atBaseline) out.push('Every connection reached CLOSED and every process is back to its baseline fds: nothing leaks.');
  return out;
}
