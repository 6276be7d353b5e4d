/**
 * A small seeded pseudo-random generator (sfc32, seeded through splitmix32). The engine's only
 * source of randomness: same seed ⇒ same numbers ⇒ same run.
 */

/** A seeded stream of numbers. */
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform unsigned 32-bit integer. */
  uint32(): number;
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A generator seeded with `seed` (any integer; it is folded to 32 bits). */
export function createPrng(seed: number): Prng {
  const mix = splitmix32(Math.floor(seed) ^ Math.floor(seed / 0x1_0000_0000));
  let a = mix();
  let b = mix();
  let c = mix();
  let d = mix();
  const uint32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) uint32();
  return {
    uint32,
    next: () => uint32() / 0x1_0000_0000,
    int: (n: number) => Math.floor((uint32() / 0x1_0000_0000) * n),
  };
}
