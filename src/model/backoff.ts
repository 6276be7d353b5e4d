/**
 * Retransmission schedules: how long each retransmission timer runs and how many retries a
 * socket gets before it gives up with ETIMEDOUT. Pure functions of the profile and the number
 * of retransmissions already made, so the engine's timers and the tests share one definition.
 */
import type { Profile } from './profile.js';

/**
 * Timeout before the next SYN (SYN_SENT) or SYN,ACK (SYN_RECEIVED) retransmission, after
 * `retries` of them. Linux ≥ 6.7 keeps a SYN's RTO at its initial value until more than
 * tcp_syn_linear_timeouts timeouts have passed, then doubles it (tcp_retransmit_timer:
 * `sk_state != TCP_SYN_SENT || total_rto > sysctl_tcp_syn_linear_timeouts`); a SYN,ACK always
 * doubles (inet_rtx_syn_ack, TCP_TIMEOUT_INIT << num_timeout).
 */
export function synTimeout(profile: Profile, synSent: boolean, retries: number): number {
  const doublings = synSent ? Math.max(0, retries - profile.synLinearTimeouts) : retries;
  return Math.min(profile.synRto * 2 ** doublings, profile.rtoMax);
}

/**
 * SYN or SYN,ACK retransmissions before giving up: tcp_syn_retries plus the linear ones for a
 * SYN (tcp_write_timeout: `max_retransmits = retry_until + sysctl_tcp_syn_linear_timeouts`),
 * tcp_synack_retries for a SYN,ACK.
 */
export function synRetryLimit(profile: Profile, synSent: boolean): number {
  return synSent ? profile.synRetries + profile.synLinearTimeouts : profile.synAckRetries;
}

/**
 * Timeout before the next FIN or data retransmission, after `retries` of them: RTO doubling
 * up to rtoMax (RFC 6298 §5.5); with a tail-loss probe the first resend comes one RTO after the
 * send and the doubling starts after it (RFC 8985, Linux tcp_schedule_loss_probe).
 */
export function rtoTimeout(profile: Profile, retries: number): number {
  const doublings = profile.tailLossProbe ? Math.max(0, retries - 1) : retries;
  return Math.min(profile.rto * 2 ** doublings, profile.rtoMax);
}

/**
 * Timeout before the next zero-window probe, after `probes` of them: the RTO doubling up to
 * rtoMax, counted apart from retransmissions (Linux tcp_probe0_when: `rto << icsk_backoff`;
 * measured on loopback: a 1.632 s interval after 3 probes, from a 204 ms RTO).
 */
export function probeTimeout(profile: Profile, probes: number): number {
  return Math.min(profile.rto * 2 ** probes, profile.rtoMax);
}

/** FIN or data retransmissions before giving up (the probe, if any, does not count). */
export function rtoRetryLimit(profile: Profile): number {
  return profile.finRetries + (profile.tailLossProbe ? 1 : 0);
}

/** Time from the first transmission until a socket gives up after its last retry: the sum of every timeout. */
export function giveUpAfter(timeout: (retries: number) => number, limit: number): number {
  let total = 0;
  for (let retries = 0; retries <= limit; retries++) total += timeout(retries);
  return total;
}
