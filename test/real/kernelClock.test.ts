import { describe, expect, it } from 'vitest';
import { densest, jiffiesAt, parseTimerList, readKernelClock } from '../../src/real/kernelClock.js';

const TIMER_LIST = `Timer List Version: v0.10
HRTIMER_MAX_CLOCK_BASES: 8
now at 4365033498527 nsecs

cpu: 0
 clock 0:
  .idle_jiffies   : 4295982492
jiffies: 4295983776
`;

describe("the kernel's tick count", () => {
  it('is read from /proc/timer_list: the monotonic instant and the jiffies count printed together', () => {
    expect(parseTimerList(TIMER_LIST, 250)).toEqual({ monotonicNs: 4_365_033_498_527, jiffies: 4_295_983_776, hz: 250 });
    expect(parseTimerList('no such lines', 250)).toBeUndefined();
  });

  it('advances by hz a second from the read: 250 ticks of 4 ms', () => {
    const clock = { monotonicNs: 1_000_000_000, jiffies: 5000, hz: 250 };
    const pair = { epochMs: 1_700_000_000_000, monotonicNs: 2_000_000_000 };
    // one second after the read, on the monotonic clock: 250 ticks more
    expect(jiffiesAt(clock, pair.epochMs, pair)).toBe(5250);
    expect(jiffiesAt(clock, pair.epochMs + 6, pair)).toBe(5251.5);
  });

  it('takes the read in the middle of the densest cluster of offsets: late reads in a minority, or on both sides, do not move it', () => {
    const read = (ahead: number, i: number) => ({ monotonicNs: i * 4_000_000, jiffies: i + ahead, hz: 250 });
    const offset = (c: { monotonicNs: number; jiffies: number }) => c.jiffies - c.monotonicNs / 4_000_000;
    // four reads within a tick, five preempted reads 25–40 ticks late (a median would take one of those)
    const clocks = [0.2, 30, 0.5, 25, 0.9, 33, 27, 0.3, 40].map(read);
    expect(offset(densest(clocks)!)).toBeLessThan(1);
    // late and early reads on both sides of the cluster
    expect(offset(densest([5, -6, 0.1, 0.2, 0.3].map(read))!)).toBeCloseTo(0.2);
    expect(densest([])).toBeUndefined();
  });

  it.runIf(process.getuid?.() === 0)('as root, two estimates 200 ms apart agree within a few ticks (far less than the 256-ms and 2-s buckets)', async () => {
    const first = readKernelClock(250);
    expect(first).toBeDefined();
    const pair = { epochMs: Date.now(), monotonicNs: Number(process.hrtime.bigint()) };
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = readKernelClock(250)!;
    // the second read's jiffies, predicted from the first read and the monotonic clock
    const predicted = first!.jiffies + ((second.monotonicNs - first!.monotonicNs) * 250) / 1e9;
    // each estimate is the median of nine reads; a read can be a few ticks off (kernelClock.ts)
    expect(Math.abs(predicted - second.jiffies)).toBeLessThan(16);
    expect(jiffiesAt(first!, pair.epochMs, pair)).toBeGreaterThan(first!.jiffies - 1);
  });
});
