import { describe, expect, it } from 'vitest';
import type { EndpointFeatures } from '../../src/model/endpointMachine.js';
import type { ProfileOverrides } from '../../src/scenario/types.js';
import { LINUX, PROFILES, RFC9293, featureKey, featuresOf, resolveProfile } from '../../src/model/profile.js';

const SECOND = 1_000_000;

describe('OS profiles', () => {
  it('linux: TIME_WAIT 60 s, tcp_fin_timeout 60 s, RST on unread close, RST ends TIME_WAIT, tail-loss probe, 40 ms delayed ACK of a FIN', () => {
    expect(LINUX).toMatchObject({ name: 'linux', timeWait: 60 * SECOND, finTimeout: 60 * SECOND, synRetries: 6, synLinearTimeouts: 4, synRto: SECOND, rto: 200_000, rstOnUnreadClose: true, rstEndsTimeWait: true, tailLossProbe: true, delAck: 40_000 });
  });

  it('rfc9293: 2 MSL = 4 min, no FIN_WAIT_2 timer, RTO from 1 s, RST on close with pending data, RST in TIME_WAIT closes it, no probe, no delayed ACK', () => {
    expect(RFC9293).toMatchObject({ name: 'rfc9293', timeWait: 240 * SECOND, finTimeout: null, synLinearTimeouts: 0, rto: SECOND, rtoMax: 60 * SECOND, rstOnUnreadClose: true, rstEndsTimeWait: true, tailLossProbe: false, delAck: null });
    expect(PROFILES).toEqual({ linux: LINUX, rfc9293: RFC9293 });
  });

  it('overrides replace only the keys given; an undefined override leaves the base value', () => {
    // undefined can come from a JavaScript caller or a spread of optional fields
    const overrides = { timeWait: 5 * SECOND, finTimeout: null, rto: undefined } as unknown as ProfileOverrides;
    const p = resolveProfile('linux', overrides);
    expect(p).toEqual({ ...LINUX, timeWait: 5 * SECOND, finTimeout: null });
    expect(resolveProfile('rfc9293')).toEqual(RFC9293);
  });

  it('the graph-shaping features follow the profile, and each of the 16 combinations has its own key', () => {
    expect(featuresOf(LINUX)).toEqual({ orphanFinWait2Timeout: true, rstOnUnreadClose: true, rstEndsTimeWait: true, delayedFinAck: true });
    expect(featuresOf(RFC9293)).toEqual({ orphanFinWait2Timeout: false, rstOnUnreadClose: true, rstEndsTimeWait: true, delayedFinAck: false });
    const all: EndpointFeatures[] = Array.from({ length: 16 }, (_, b) => ({ orphanFinWait2Timeout: (b & 1) > 0, rstOnUnreadClose: (b & 2) > 0, rstEndsTimeWait: (b & 4) > 0, delayedFinAck: (b & 8) > 0 }));
    expect(new Set(all.map(featureKey)).size).toBe(16);
    expect(featureKey(featuresOf(LINUX))).toBe('1111');
    expect(featureKey(featuresOf(RFC9293))).toBe('0110');
  });
});
