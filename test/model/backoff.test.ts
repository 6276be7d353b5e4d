import { describe, expect, it } from 'vitest';
import { giveUpAfter, probeTimeout, rtoRetryLimit, rtoTimeout, synRetryLimit, synTimeout } from '../../src/model/backoff.js';
import { LINUX, RFC9293 } from '../../src/model/profile.js';

/** Send times (milliseconds after the first) of the first transmission and each retransmission. */
function sendTimes(timeout: (retries: number) => number, limit: number): number[] {
  const times = [0];
  for (let retries = 0; retries < limit; retries++) times.push(times.at(-1)! + timeout(retries) / 1000);
  return times;
}

describe('SYN retransmission (SYN_SENT)', () => {
  it('linux: four linear timeouts, then doubling: SYNs at 0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67 s, ETIMEDOUT at 131 s (measured: ≈131 s)', () => {
    const timeout = (r: number) => synTimeout(LINUX, true, r);
    expect(synRetryLimit(LINUX, true)).toBe(10);
    expect(sendTimes(timeout, synRetryLimit(LINUX, true))).toEqual([0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67].map((t) => t * 1000));
    expect(giveUpAfter(timeout, synRetryLimit(LINUX, true))).toBe(131_000_000);
  });

  it('Linux before 6.7 (no linear timeouts): doubling from the start, six retries, ETIMEDOUT at 127 s', () => {
    const profile = { ...LINUX, synLinearTimeouts: 0 };
    const timeout = (r: number) => synTimeout(profile, true, r);
    expect(sendTimes(timeout, synRetryLimit(profile, true))).toEqual([0, 1, 3, 7, 15, 31, 63].map((t) => t * 1000));
    expect(giveUpAfter(timeout, synRetryLimit(profile, true))).toBe(127_000_000);
  });

  it('rfc9293: the same doubling, with the RTO capped at 60 s (RFC 6298 §2.5), so ETIMEDOUT at 123 s', () => {
    expect(giveUpAfter((r) => synTimeout(RFC9293, true, r), synRetryLimit(RFC9293, true))).toBe(123_000_000);
  });

  it('the RTO never exceeds rtoMax', () => {
    expect(synTimeout({ ...LINUX, rtoMax: 10_000_000 }, true, 20)).toBe(10_000_000);
  });
});

describe('SYN,ACK retransmission (SYN_RECEIVED)', () => {
  it('doubles from the start with no linear phase: 1, 2, 4, 8, 16 s, dropped at 63 s', () => {
    const timeout = (r: number) => synTimeout(LINUX, false, r);
    expect(sendTimes(timeout, synRetryLimit(LINUX, false))).toEqual([0, 1, 3, 7, 15, 31].map((t) => t * 1000));
    expect(giveUpAfter(timeout, synRetryLimit(LINUX, false))).toBe(63_000_000);
  });
});

describe('FIN and data retransmission', () => {
  it('linux: a tail-loss probe after one RTO, then the doubling series; gives up at 102.4 s', () => {
    const timeout = (r: number) => rtoTimeout(LINUX, r);
    expect(sendTimes(timeout, 5)).toEqual([0, 200, 400, 800, 1600, 3200]);
    expect(rtoRetryLimit(LINUX)).toBe(9);
    expect(giveUpAfter(timeout, rtoRetryLimit(LINUX))).toBe(102_400_000);
  });

  it('without the probe (RFC 6298): doubling from the first retransmission; 102.2 s with the same floor', () => {
    const profile = { ...LINUX, tailLossProbe: false };
    const timeout = (r: number) => rtoTimeout(profile, r);
    expect(sendTimes(timeout, 4)).toEqual([0, 200, 600, 1400, 3000]);
    expect(giveUpAfter(timeout, rtoRetryLimit(profile))).toBe(102_200_000);
  });
});

describe('zero-window probes', () => {
  it('double from the RTO with every probe, up to rtoMax, and have no limit of their own', () => {
    expect([0, 1, 2, 3, 4].map((n) => probeTimeout(LINUX, n) / 1000)).toEqual([200, 400, 800, 1600, 3200]);
    expect(probeTimeout(LINUX, 30)).toBe(LINUX.rtoMax);
  });
});
