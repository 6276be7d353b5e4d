/**
 * How fast a count is rising, and when it meets a limit at that rate: a least-squares line
 * through the recent samples ("fds 812/1024, +12/min ⇒ EMFILE in ~18 min").
 */

/** One reading of a count (t in ms). */
export interface Point {
  readonly t: number;
  readonly value: number;
}

/** Slope of the least-squares line through `points`, per minute; 0 with fewer than two distinct times. */
export function ratePerMinute(points: readonly Point[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const meanT = points.reduce((s, p) => s + p.t, 0) / n;
  const meanV = points.reduce((s, p) => s + p.value, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - meanT) * (p.value - meanV);
    den += (p.t - meanT) ** 2;
  }
  return den === 0 ? 0 : (num / den) * 60_000;
}

/** How many recent samples must each be above the one before for a count to be rising. */
export const MIN_RISES = 3;

/**
 * Whether a count is rising: it went up from one sample to the next at least MIN_RISES times,
 * and it is higher now than anywhere in the first half of the points — a rise that goes on, not
 * one jump (a server starting up opens its fds at once), an old one, or a count going up and down.
 */
export function isRising(points: readonly Point[]): boolean {
  const rises = points.filter((p, i) => i > 0 && p.value > points[i - 1]!.value).length;
  const firstHalf = points.slice(0, Math.ceil(points.length / 2));
  const last = points[points.length - 1];
  return rises >= MIN_RISES && last !== undefined && firstHalf.every((p) => last.value > p.value) && ratePerMinute(points) > 0;
}

/** Milliseconds until `current` reaches `limit` at `perMinute`; 0 at or past it, undefined when it is not rising. */
export function timeToLimit(current: number, limit: number, perMinute: number): number | undefined {
  if (current >= limit) return 0;
  if (!(perMinute > 0)) return undefined;
  return ((limit - current) / perMinute) * 60_000;
}

/** `~18 min`, `~40 s`, `~2.5 h`, `~3 d`: a projection, rounded as it deserves. */
export function aboutText(ms: number): string {
  const s = ms / 1000;
  if (s < 90) return `~${Math.max(1, Math.round(s))} s`;
  const min = s / 60;
  if (min < 90) return `~${min < 10 ? +min.toFixed(1) : Math.round(min)} min`;
  const h = min / 60;
  if (h < 48) return `~${h < 10 ? +h.toFixed(1) : Math.round(h)} h`;
  return `~${Math.round(h / 24)} d`;
}

/** `+12/min`, `-3/min`, `+0.5/min`: a rate with its sign. */
export function rateText(perMinute: number): string {
  const rounded = Math.abs(perMinute) >= 10 ? Math.round(perMinute) : +perMinute.toFixed(1);
  return `${rounded >= 0 ? '+' : ''}${rounded}/min`;
}
