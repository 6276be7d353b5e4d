import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { wheelExpiry, wheelLevel } from '../../src/model/timerWheel.js';

const MS = 1000;
const HZ = 250;

describe('the Linux timer wheel at HZ=250', () => {
  it('files timers in levels 8 times coarser each, from 1 jiffy (4 ms) up', () => {
    // LVL_START(n) = 63 << 3(n-1) jiffies
    expect([0, 62, 63, 503, 504, 4031, 4032, 32255, 32256].map(wheelLevel)).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4]);
  });

  it('sends the delayed ACK of a FIN 40–44 ms after it arrives, as measured on loopback (41.1–44.1 ms)', () => {
    // 10 jiffies on level 0, rounded up to the end of the next jiffy
    expect(wheelExpiry(5 * MS, 40 * MS, HZ)).toBe(48 * MS);
    expect(wheelExpiry(4 * MS, 40 * MS, HZ)).toBe(48 * MS);
    expect(wheelExpiry(7_999, 40 * MS, HZ)).toBe(48 * MS);
  });

  it('rounds a 1 s SYN retransmission to a 32 ms grid: two SYNs sent 13 ms apart are retried at the same instant', () => {
    expect(wheelExpiry(0, 1_000 * MS, HZ)).toBe(1_024 * MS);
    expect(wheelExpiry(13 * MS, 1_000 * MS, HZ)).toBe(1_024 * MS);
    expect(wheelExpiry(30 * MS, 1_000 * MS, HZ)).toBe(1_056 * MS);
  });

  it('ends a 60 s TIME_WAIT on a 2.048 s grid, 60 to 62 s after it starts', () => {
    expect(wheelExpiry(0, 60_000 * MS, HZ)).toBe(61_440 * MS);
    expect(wheelExpiry(1_400 * MS, 60_000 * MS, HZ)).toBe(61_440 * MS);
    expect(wheelExpiry(1_500 * MS, 60_000 * MS, HZ)).toBe(63_488 * MS);
  });

  test.prop([fc.integer({ min: 0, max: 10 ** 10 }), fc.integer({ min: 0, max: 300 * 10 ** 6 })])(
    'never fires early, and late by less than one bucket plus a jiffy',
    (now, timeout) => {
      const at = wheelExpiry(now, timeout, HZ);
      const bucket = 4 * MS * 8 ** wheelLevel(Math.ceil(timeout / (4 * MS)));
      expect(at).toBeGreaterThanOrEqual(now + timeout);
      expect(at).toBeLessThan(now + timeout + bucket + 4 * MS + 1);
    },
  );
});
