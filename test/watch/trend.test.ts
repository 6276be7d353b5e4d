/** Rates, rises and projections: "fds 812/1024, +12/min ⇒ EMFILE in ~18 min". */
import { describe, expect, it } from 'vitest';
import { aboutText, isRising, ratePerMinute, rateText, timeToLimit } from '../../src/watch/trend.js';

const every5s = (values: number[]) => values.map((value, i) => ({ t: i * 5000, value }));

describe('trend', () => {
  it('the least-squares slope, per minute', () => {
    expect(ratePerMinute(every5s([800, 801, 802, 803]))).toBeCloseTo(12);
    expect(ratePerMinute(every5s([5]))).toBe(0);
    expect(ratePerMinute([{ t: 0, value: 1 }, { t: 0, value: 9 }])).toBe(0);
  });

  it('time to a limit at a rate; none when not rising; 0 at the limit', () => {
    expect(timeToLimit(812, 1024, 12)).toBeCloseTo((212 / 12) * 60_000);
    expect(timeToLimit(812, 1024, 0)).toBeUndefined();
    expect(timeToLimit(812, 1024, -3)).toBeUndefined();
    expect(timeToLimit(1024, 1024, 12)).toBe(0);
  });

  it('rising is a rise that goes on, not one jump nor an old one', () => {
    expect(isRising(every5s([800, 801, 802, 803]))).toBe(true);
    expect(isRising(every5s([4, 20, 20, 20, 20, 20]))).toBe(false);
    expect(isRising(every5s([4, 5, 6, 7, 7, 7, 7, 7]))).toBe(false);
    expect(isRising(every5s([4, 5, 4, 5, 4, 5]))).toBe(false);
  });

  it('in words', () => {
    expect(aboutText((212 / 12) * 60_000)).toBe('~18 min');
    expect(aboutText(40_000)).toBe('~40 s');
    expect(aboutText(300)).toBe('~1 s');
    expect(aboutText(5 * 3_600_000)).toBe('~5 h');
    expect(aboutText(3 * 86_400_000)).toBe('~3 d');
    expect(rateText(12.04)).toBe('+12/min');
    expect(rateText(0.46)).toBe('+0.5/min');
    expect(rateText(-3)).toBe('-3/min');
  });
});
