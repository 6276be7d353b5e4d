/** Sequence-number arithmetic modulo 2^32 (RFC 9293 §3.4: "all arithmetic ... must be performed modulo 2**32"). */

/** a + n, wrapped into 0 … 2^32−1. */
export function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}

/** a < b in sequence space. */
export function seqLt(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

/** a ≤ b in sequence space. */
export function seqLe(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}

/** b − a in sequence space (how far b is ahead of a). */
export function seqDiff(a: number, b: number): number {
  return (b - a) | 0;
}
