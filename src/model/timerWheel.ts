/**
 * When a Linux kernel timer really fires. Timers live on the timer wheel (kernel/time/timer.c):
 * time counts in jiffies (1/HZ s; 4 ms at this machine's CONFIG_HZ=250), and a timer is filed
 * in a bucket of a level chosen by how far away it is — level 0 holds timers due within 63
 * jiffies in 1-jiffy buckets, each next level is 8 times coarser and reaches 8 times further.
 * calc_index() rounds the expiry *up* to the end of its bucket ("the timer wheel has to
 * guarantee that a timer does not fire early"), so a timer fires between its timeout and one
 * bucket width later:
 *
 * | timeout at HZ=250         | level | bucket |
 * |---------------------------|-------|--------|
 * | < 252 ms (delayed ACK, RTO 200 ms) | 0 | 4 ms |
 * | < 2.016 s (SYN RTO 1 s)   | 1     | 32 ms  |
 * | < 16.128 s                | 2     | 256 ms |
 * | < 129.024 s (TIME_WAIT 60 s, keepalive 15 s is level 2) | 3 | 2.048 s |
 *
 * Measured on loopback: the ACK of a FIN, due 40 ms after it, left 41.1–44.1 ms after it; a
 * TIME_WAIT lasted 60–62 s.
 *
 * Where the bucket boundaries fall depends on the kernel's jiffies count, which started long
 * before the run: `origin` is the jiffies count (with its fraction) at virtual time 0. Whether an
 * orphaned FIN_WAIT_2 is still there when a keepalive probe comes 60.3 s later depends on it.
 * Real mode reads it from the kernel; a simulated run takes one from its seed. Pure.
 */

/** Bits per level step (LVL_CLK_SHIFT) and buckets per level (LVL_SIZE). */
const LVL_CLK_SHIFT = 3;
const LVL_SIZE = 64;

/** Where each level's reach ends: LVL_START(n + 1) = (LVL_SIZE - 1) << (n * LVL_CLK_SHIFT). */
const LEVEL_END = Array.from({ length: 8 }, (_, n) => (LVL_SIZE - 1) * 2 ** (n * LVL_CLK_SHIFT));
/** Each level's bucket width in jiffies (LVL_GRAN). */
const GRANULARITY = Array.from({ length: 9 }, (_, n) => 2 ** (n * LVL_CLK_SHIFT));

/** The wheel level a timer `delta` jiffies away is filed in (calc_wheel_index). */
export function wheelLevel(deltaJiffies: number): number {
  let level = 0;
  while (level < 8 && deltaJiffies >= LEVEL_END[level]!) level++;
  return level;
}

/**
 * The instant (µs) a timer armed at `nowUs` with `timeoutUs` fires on a wheel ticking `hz`
 * times a second whose jiffies count was `origin` at time 0: the timeout in whole jiffies
 * (rounded up, as msecs_to_jiffies does) after the current jiffy, then rounded up to the end of
 * its level's bucket.
 */
export function wheelExpiry(nowUs: number, timeoutUs: number, hz: number, origin = 0): number {
  const jiffyUs = 1_000_000 / hz;
  const now = Math.floor(origin + nowUs / jiffyUs);
  const timeout = Math.ceil(timeoutUs / jiffyUs);
  const expires = now + timeout;
  const granularity = GRANULARITY[wheelLevel(timeout)]!;
  const bucket = (Math.floor(expires / granularity) + 1) * granularity;
  return Math.round((bucket - origin) * jiffyUs);
}

/** The bucket width (µs) a timer of `timeoutUs` is rounded up to: how late it may fire. */
export function wheelBucket(timeoutUs: number, hz: number): number {
  const jiffyUs = 1_000_000 / hz;
  return jiffyUs * 2 ** (wheelLevel(Math.ceil(timeoutUs / jiffyUs)) * LVL_CLK_SHIFT);
}

/** A jiffies count for a run that knows none: a fixed function of the seed, below 2^20 (a few hours of ticks). */
export function originFromSeed(seed: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) % 2 ** 20;
}
