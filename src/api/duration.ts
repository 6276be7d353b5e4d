/**
 * Durations as the library takes them: a number of milliseconds (what setTimeout takes) or text
 * such as "20s", "1m30s", "500ms" (what scenarios take). The engine counts integer microseconds.
 */
import { tryParseDuration } from '../scenario/duration.js';

/** A duration: milliseconds as a number, or text with a unit ("20s", "250ms", "2m"). */
export type Duration = number | string;

/** Microseconds of `d`; throws a RangeError that names `what` for text that is no duration or for a negative number. */
export function toMicros(d: Duration, what = 'duration'): number {
  if (typeof d === 'number') {
    if (!Number.isFinite(d) || d < 0) throw new RangeError(`${what}: expected milliseconds ≥ 0 or text such as "20s", got ${d}`);
    return Math.round(d * 1000);
  }
  const r = tryParseDuration(d);
  if (r.ok) return r.micros;
  throw new RangeError(`${what}: ${JSON.stringify(d)} is not a duration (${r.reason}${r.hint === undefined ? '' : `; ${r.hint}`})`);
}
