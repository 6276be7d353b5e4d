/**
 * The kernel's tick count (jiffies) at a given instant, for the model's timer wheel: where the
 * wheel's buckets fall decides whether a 60-s FIN_WAIT_2 is still there when a keepalive probe
 * comes 60.3 s later. /proc/timer_list (root only) prints `now at N nsecs` (CLOCK_MONOTONIC) and
 * `jiffies: J` together; their difference, in ticks, is fixed while the machine runs, so one
 * read gives the jiffies count at any monotonic instant: J + (t − N) / tick.
 */
import { readFileSync } from 'node:fs';

/** The link between the monotonic clock and jiffies, read once. */
export interface KernelClock {
  /** CLOCK_MONOTONIC (ns) at the read. */
  readonly monotonicNs: number;
  /** jiffies at that instant. */
  readonly jiffies: number;
  /** Ticks per second the count advances by. */
  readonly hz: number;
}

/** Parses /proc/timer_list: the first `now at N nsecs` and the first `jiffies: J`; undefined when either is missing. */
export function parseTimerList(text: string, hz: number): KernelClock | undefined {
  const now = /^now at (\d+) nsecs$/m.exec(text);
  const jiffies = /^jiffies: (\d+)$/m.exec(text);
  if (now?.[1] === undefined || jiffies?.[1] === undefined) return undefined;
  return { monotonicNs: Number(now[1]), jiffies: Number(jiffies[1]), hz };
}

/**
 * Reads the kernel's clock, or undefined when /proc/timer_list cannot be read (not root). One
 * read can be a few ticks off either way: the file prints `now at` first and each CPU's
 * `jiffies` after its timer lists (a preempted read prints jiffies late), and with NO_HZ an idle
 * machine updates jiffies lazily. Of `reads` reads, the median offset is taken: measured spread
 * between two such estimates 200 ms apart, up to ~6 ticks on a loaded 2-core machine, which is
 * small beside the 256-ms and 2.048-s buckets of keepalive, FIN_WAIT_2 and TIME_WAIT.
 */
export function readKernelClock(hz: number, reads = 9): KernelClock | undefined {
  const clocks: KernelClock[] = [];
  for (let i = 0; i < reads; i++) {
    let clock: KernelClock | undefined;
    try {
      clock = parseTimerList(readFileSync('/proc/timer_list', 'utf8'), hz);
    } catch {
      return undefined;
    }
    if (clock !== undefined) clocks.push(clock);
  }
  const ahead = (c: KernelClock): number => c.jiffies - (c.monotonicNs * c.hz) / 1e9;
  clocks.sort((a, b) => ahead(a) - ahead(b));
  return clocks[Math.floor(clocks.length / 2)];
}

/**
 * The jiffies count (with its fraction) at the instant `epochMs` (Date.now() time), given the
 * clock and a pair of readings of Date.now() and CLOCK_MONOTONIC taken together.
 */
export function jiffiesAt(clock: KernelClock, epochMs: number, pair: { readonly epochMs: number; readonly monotonicNs: number }): number {
  const monotonicNs = pair.monotonicNs + (epochMs - pair.epochMs) * 1e6;
  return clock.jiffies + ((monotonicNs - clock.monotonicNs) * clock.hz) / 1e9;
}
