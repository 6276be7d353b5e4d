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
 * machine updates jiffies lazily. Of `reads` reads, the one in the middle of the densest cluster
 * of offsets (most reads within a tick and a half) is taken: at load 14 on 2 cores, 38 of 40 reads
 * fell within one tick and the others up to 6 ticks late, and a median of nine reads was once 25
 * ticks off — small beside the 256-ms and 2.048-s buckets of keepalive, FIN_WAIT_2 and
 * TIME_WAIT, but no reason to let a minority of preempted reads move it.
 */
export function readKernelClock(hz: number, reads = 15): KernelClock | undefined {
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
  return densest(clocks);
}

/** Ticks an offset may differ from its neighbours' and still count as the same cluster. */
const CLUSTER_TICKS = 1.5;

/** The read in the middle of the largest group of reads whose offsets lie within CLUSTER_TICKS (the first such group on a tie). */
export function densest(clocks: readonly KernelClock[]): KernelClock | undefined {
  const ahead = (c: KernelClock): number => c.jiffies - (c.monotonicNs * c.hz) / 1e9;
  const sorted = [...clocks].sort((a, b) => ahead(a) - ahead(b));
  let best = { from: 0, to: 0 };
  for (let from = 0, to = 0; from < sorted.length; from++) {
    while (to + 1 < sorted.length && ahead(sorted[to + 1]!) - ahead(sorted[from]!) <= CLUSTER_TICKS) to++;
    if (to - from > best.to - best.from) best = { from, to };
  }
  return sorted[Math.floor((best.from + best.to) / 2)];
}

/**
 * The jiffies count (with its fraction) at the instant `epochMs` (Date.now() time), given the
 * clock and a pair of readings of Date.now() and CLOCK_MONOTONIC taken together.
 */
export function jiffiesAt(clock: KernelClock, epochMs: number, pair: { readonly epochMs: number; readonly monotonicNs: number }): number {
  const monotonicNs = pair.monotonicNs + (epochMs - pair.epochMs) * 1e6;
  return clock.jiffies + ((monotonicNs - clock.monotonicNs) * clock.hz) / 1e9;
}
