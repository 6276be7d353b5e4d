/**
 * The network's fate for each segment (network.ts), drawn from a scripted PRNG so every branch is
 * exact: a perfect link never draws; faults (window, port, match, drop probability), then loss,
 * jitter, reordering and duplication, each drawing only when its probability is not zero, in
 * that order. And the PRNG itself (prng.ts) against an independent sfc32 written with BigInt.
 */
import { describe, expect, it } from 'vitest';
import { ACK, FIN, RST, SYN, type Segment } from '../../src/model/segment.js';
import type { FaultSpec, NetworkSpec } from '../../src/scenario/types.js';
import { LOOPBACK, Network } from '../../src/sim/network.js';
import { createPrng, type Prng } from '../../src/sim/prng.js';

/** A PRNG that hands out the given next() values in order and records every draw. */
function scripted(values: number[]): Prng & { draws: string[] } {
  const draws: string[] = [];
  const take = (): number => {
    const v = values.shift();
    if (v === undefined) throw new Error('drew more than scripted');
    return v;
  };
  return {
    draws,
    next: () => {
      draws.push('next');
      return take();
    },
    int: (n: number) => {
      draws.push(`int(${n})`);
      return Math.floor(take() * n);
    },
    uint32: () => {
      throw new Error('the network never draws uint32');
    },
  };
}

const spec = (over: Partial<NetworkSpec>): NetworkSpec => ({ ...LOOPBACK, latency: 1000, ...over });
const seg = (flags: number, payload = '', srcPort = 40000, dstPort = 80): Segment => ({ src: { addr: '127.0.0.1', port: srcPort }, dst: { addr: '127.0.0.1', port: dstPort }, seq: 1, ack: 1, flags, payload });
const fault = (over: Partial<FaultSpec>): FaultSpec => ({ match: 'any', from: 100, until: 200, drop: 1, ...over });

describe('the fate of a segment', () => {
  it('on a perfect link: the latency, the same answer every time, and no draw', () => {
    const prng = scripted([]);
    const net = new Network(spec({}), [], prng);
    const fate = net.fate(seg(ACK), 0);
    expect(fate).toEqual({ lost: false, delays: [1000] });
    expect(net.fate(seg(SYN), 5)).toBe(fate);
    expect(prng.draws).toEqual([]);
    expect(LOOPBACK).toEqual({ latency: 50, jitter: 0, loss: 0, duplicate: 0, reorder: 0 });
  });

  it('loss: lost when the draw is below the probability, not at it', () => {
    const net = (v: number) => new Network(spec({ loss: 0.25 }), [], scripted([v]));
    expect(net(0.2).fate(seg(ACK), 0)).toEqual({ lost: true, delays: [] });
    expect(net(0.25).fate(seg(ACK), 0)).toEqual({ lost: false, delays: [1000] });
  });

  it('jitter: 0 to jitter µs more, drawn as an integer below jitter + 1', () => {
    const prng = scripted([0.5, 0.999]);
    const net = new Network(spec({ jitter: 9 }), [], prng);
    expect(net.fate(seg(ACK), 0)).toEqual({ lost: false, delays: [1005] });
    expect(net.fate(seg(ACK), 0)).toEqual({ lost: false, delays: [1009] });
    expect(prng.draws).toEqual(['int(10)', 'int(10)']);
  });

  it('reordering: a segment held back by twice the latency plus the jitter plus 1, past the ones after it', () => {
    const prng = scripted([0, 0.1, 0, 0.3]);
    const net = new Network(spec({ jitter: 9, reorder: 0.2 }), [], prng);
    expect(net.fate(seg(ACK), 0)).toEqual({ lost: false, delays: [1000 + 2000 + 9 + 1] });
    expect(net.fate(seg(ACK), 0)).toEqual({ lost: false, delays: [1000] });
    expect(prng.draws).toEqual(['int(10)', 'next', 'int(10)', 'next']);
  });

  it('duplication: two copies, each with its own delay', () => {
    const prng = scripted([0.1, 0.0, 0.5]);
    const net = new Network(spec({ jitter: 9, duplicate: 0.2 }), [], prng);
    // first copy's jitter, the duplicate draw, the second copy's jitter
    expect(net.fate(seg(ACK), 0)).toEqual({ lost: false, delays: [1001, 1005] });
    // not duplicated: a draw at the probability is not below it
    const single = new Network(spec({ duplicate: 0.2 }), [], scripted([0.2]));
    expect(single.fate(seg(ACK), 0)).toEqual({ lost: false, delays: [1000] });
  });

  it('draws in a fixed order — faults, loss, jitter, reorder, duplicate — and only for non-zero probabilities', () => {
    const prng = scripted([0.9, 0.9, 0.5, 0.9, 0.9]);
    const net = new Network(spec({ loss: 0.1, jitter: 3, reorder: 0.1, duplicate: 0.1 }), [fault({ drop: 0.5 })], prng);
    expect(net.fate(seg(ACK), 150)).toEqual({ lost: false, delays: [1002] });
    expect(prng.draws).toEqual(['next', 'next', 'int(4)', 'next', 'next']);
  });
});

describe('a scheduled fault', () => {
  const drops = (f: FaultSpec, segment: Segment, at: number): boolean => new Network(spec({}), [f], scripted([])).fate(segment, at).lost;

  it('acts in [from, until): not before, at from, not at until', () => {
    expect([99, 100, 199, 200].map((t) => drops(fault({}), seg(ACK), t))).toEqual([false, true, true, false]);
  });

  it('with a port: segments from or to it, not others', () => {
    const f = fault({ port: 80 });
    expect(drops(f, seg(ACK, '', 40000, 80), 150)).toBe(true);
    expect(drops(f, seg(ACK, '', 80, 40000), 150)).toBe(true);
    expect(drops(f, seg(ACK, '', 40000, 81), 150)).toBe(false);
  });

  it('matches by kind: fin, syn, rst, data, any', () => {
    const kinds = ['fin', 'syn', 'rst', 'data', 'any'] as const;
    const segments = { fin: seg(FIN | ACK), syn: seg(SYN), rst: seg(RST), data: seg(ACK, 'x'), ack: seg(ACK) };
    const table = kinds.map((match) => Object.entries(segments).filter(([, s]) => drops(fault({ match }), s, 150)).map(([name]) => name));
    expect(table).toEqual([['fin'], ['syn'], ['rst'], ['data'], ['fin', 'syn', 'rst', 'data', 'ack']]);
  });

  it('drop 1 drops without a draw; a fraction drops when the draw is below it', () => {
    const certain = scripted([]);
    expect(new Network(spec({}), [fault({})], certain).fate(seg(ACK), 150).lost).toBe(true);
    expect(certain.draws).toEqual([]);
    expect(new Network(spec({}), [fault({ drop: 0.5 })], scripted([0.4])).fate(seg(ACK), 150).lost).toBe(true);
    expect(new Network(spec({}), [fault({ drop: 0.5 })], scripted([0.5])).fate(seg(ACK), 150)).toEqual({ lost: false, delays: [1000] });
  });
});

/** sfc32 (Chris Doty-Humphrey's PractRand) seeded through splitmix32, with BigInt arithmetic mod 2^32. */
function referenceSfc32(seed: bigint): () => bigint {
  const M = (1n << 32n) - 1n;
  let state = seed & M;
  const splitmix = (): bigint => {
    state = (state + 0x9e3779b9n) & M;
    let z = state;
    z = ((z ^ (z >> 16n)) * 0x85ebca6bn) & M;
    z = ((z ^ (z >> 13n)) * 0xc2b2ae35n) & M;
    return (z ^ (z >> 16n)) & M;
  };
  let [a, b, c, d] = [splitmix(), splitmix(), splitmix(), splitmix()];
  const next = (): bigint => {
    const t = (a + b + d) & M;
    d = (d + 1n) & M;
    a = b ^ (b >> 9n);
    b = (c + (c << 3n)) & M;
    c = ((c << 21n) | (c >> 11n)) & M;
    c = (c + t) & M;
    return t;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

describe('the PRNG', () => {
  it('is sfc32 seeded through splitmix32, number for number', () => {
    for (const seed of [0, 1, 42, 0xffff_ffff]) {
      const ours = createPrng(seed);
      const reference = referenceSfc32(BigInt(seed));
      expect(Array.from({ length: 20 }, () => ours.uint32()), `seed ${seed}`).toEqual(Array.from({ length: 20 }, () => Number(reference())));
    }
  });

  it('folds a seed above 2^32 into 32 bits with its high half (seed 2^32 + 5 is seed 5 XOR 1)', () => {
    const high = createPrng(2 ** 32 + 5);
    const folded = referenceSfc32(5n ^ 1n);
    expect([high.uint32(), high.uint32()]).toEqual([Number(folded()), Number(folded())]);
  });

  it('next() is uint32 / 2^32 and int(n) its floor times n', () => {
    const a = createPrng(7);
    const b = createPrng(7);
    for (let i = 0; i < 50; i++) {
      const u = b.uint32();
      expect(a.next()).toBe(u / 2 ** 32);
    }
    for (let i = 0; i < 50; i++) {
      const u = b.uint32();
      expect(a.int(10)).toBe(Math.floor((u / 2 ** 32) * 10));
    }
  });
});
