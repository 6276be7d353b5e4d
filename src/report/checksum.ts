/**
 * The Internet checksum of RFC 1071: the 16-bit one's complement of the one's complement sum of
 * the data taken as big-endian 16-bit words, an odd last byte padded with a zero byte. Used for the
 * IPv4 header checksum and the TCP checksum (over the pseudo-header, header and payload).
 */

/** One's complement sum of `data` as big-endian 16-bit words, folded to 16 bits, added to `initial`. */
export function onesComplementSum(data: Uint8Array, initial = 0): number {
  let sum = initial;
  const even = data.length - (data.length % 2);
  for (let i = 0; i < even; i += 2) {
    sum += ((data[i] ?? 0) << 8) | (data[i + 1] ?? 0);
  }
  if (even < data.length) sum += (data[even] ?? 0) << 8; // odd length: pad with zero (RFC 1071 §1)
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16); // end-around carry
  return sum;
}

/** Checksum to store in a header: the complement of the sum over `data` (whose checksum field is zero). */
export function internetChecksum(data: Uint8Array): number {
  return ~onesComplementSum(data) & 0xffff;
}
