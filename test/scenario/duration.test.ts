import { describe, expect, test } from 'vitest';
import { fc, test as fcTest } from '@fast-check/vitest';
import { formatDuration, parseDuration, ScenarioError, tryParseDuration } from '../../src/scenario/index.js';

describe('durations', () => {
  test('read the units authors write', () => {
    expect(parseDuration('50us')).toBe(50);
    expect(parseDuration('500ms')).toBe(500_000);
    expect(parseDuration('20s')).toBe(20_000_000);
    expect(parseDuration('2m')).toBe(120_000_000);
    expect(parseDuration('30m')).toBe(1_800_000_000);
    expect(parseDuration('1h')).toBe(3_600_000_000);
    expect(parseDuration('1.5ms')).toBe(1500);
    expect(parseDuration('1m30s')).toBe(90_000_000);
    expect(parseDuration('0')).toBe(0);
    expect(tryParseDuration(0)).toEqual({ ok: true, micros: 0 });
  });

  test('write microseconds back the way an author would', () => {
    expect(formatDuration(60_000_000)).toBe('60s');
    expect(formatDuration(1500)).toBe('1.5ms');
    expect(formatDuration(50)).toBe('50us');
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(35 * 60_000_000)).toBe('35m');
    expect(formatDuration(127_000_000)).toBe('2m7s');
    expect(formatDuration(5_400_000_000)).toBe('1h30m');
  });

  test('refuse bare numbers, unknown units and sub-microsecond values with a hint', () => {
    expect(tryParseDuration('20')).toMatchObject({ ok: false, hint: 'did you mean "20s" or "20ms"?' });
    expect(tryParseDuration('3 mins')).toMatchObject({ ok: false, hint: 'did you mean "3m"?' });
    expect(tryParseDuration('0.5us')).toMatchObject({ ok: false, reason: 'not a whole number of microseconds' });
    expect(tryParseDuration('20 s')).toMatchObject({ ok: false, hint: 'write "20s"' });
    expect(() => parseDuration('soon')).toThrow(ScenarioError);
  });

  fcTest.prop([fc.integer({ min: 0, max: 2 ** 45 })])('format then parse is the identity', (us) => {
    expect(parseDuration(formatDuration(us))).toBe(us);
  });
});
