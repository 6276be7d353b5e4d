/**
 * A process's fd headroom and where it is heading: fds in use against its soft RLIMIT_NOFILE,
 * the rate they rose at over the recent samples, and the time to EMFILE at that rate.
 */
import { isRising, ratePerMinute, timeToLimit } from './trend.js';
import type { ProcessHistory } from './watchHistory.js';

/** Fds now, the limit, the trend and the projection. */
export interface FdProjection {
  readonly fds: number;
  /** Soft limit; null when unlimited or unreadable. */
  readonly nofile: number | null;
  /** Fds per minute over the recent samples. */
  readonly perMinute: number;
  /** Milliseconds until the limit at that rate: 0 at the limit, undefined when not rising (trend.ts isRising) or no limit. */
  readonly emfileInMs: number | undefined;
}

/** The projection for a process; undefined when its fds cannot be read. */
export function fdProjection(history: ProcessHistory): FdProjection | undefined {
  const { fds, nofile } = history.latest;
  if (fds === null) return undefined;
  const points = history.recent.flatMap((r) => (r.sample.fds === null ? [] : [{ t: r.t, value: r.sample.fds }]));
  const perMinute = ratePerMinute(points);
  const rising = isRising(points);
  const emfileInMs = nofile === null ? undefined : fds >= nofile ? 0 : rising ? timeToLimit(fds, nofile, perMinute) : undefined;
  return { fds, nofile, perMinute, emfileInMs };
}

/** CLOSE_WAIT sockets per minute over the recent samples; 0 when the count is not rising. */
export function closeWaitPerMinute(history: ProcessHistory): number {
  const points = history.recent.map((r) => ({ t: r.t, value: r.sample.states.CLOSE_WAIT ?? 0 }));
  return isRising(points) ? ratePerMinute(points) : 0;
}
