/**
 * How long a non-permanent state may last, computed from the OS profile: the retransmission
 * schedules (RFC 6298 backoff capped at rtoMax), tcp_fin_timeout and TIME_WAIT.
 */
import type { Profile } from '../../../src/model/profile.js';

/** Total time of a timer that starts at `first`, doubles, is capped at `max` and fires `retries + 1` times. */
export function backoffTotal(first: number, retries: number, max: number): number {
  let total = 0;
  for (let i = 0; i <= retries; i++) total += Math.min(first * 2 ** i, max);
  return total;
}

/**
 * An upper bound on how long a connection can stay out of the permanent states once its
 * programs stop acting and the network either delivers or drops everything: a full SYN backoff,
 * a full FIN backoff in each of FIN_WAIT_1 and CLOSING (the retry count restarts per state), the
 * orphaned FIN_WAIT_2 timeout and TIME_WAIT.
 */
export function lingerBound(profile: Profile): number {
  const syn = backoffTotal(profile.synRto, Math.max(profile.synRetries, profile.synAckRetries), profile.rtoMax);
  const fin = backoffTotal(profile.rto, profile.finRetries, profile.rtoMax);
  return syn + 2 * fin + (profile.finTimeout ?? 0) + profile.timeWait;
}
