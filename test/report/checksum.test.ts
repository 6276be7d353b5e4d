import { describe, expect, it } from 'vitest';
import { internetChecksum, onesComplementSum } from '../../src/report/checksum.js';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s/g, ''), 'hex'));

describe('internetChecksum', () => {
  it('sums the RFC 1071 §3 example to 0xddf2', () => {
    expect(onesComplementSum(hex('0001 f203 f4f5 f6f7'))).toBe(0xddf2);
    expect(internetChecksum(hex('0001 f203 f4f5 f6f7'))).toBe(0x220d);
  });

  it('computes the checksum of a textbook IPv4 header (0xb861)', () => {
    const header = hex('4500 0073 0000 4000 4011 0000 c0a8 0001 c0a8 00c7');
    expect(internetChecksum(header)).toBe(0xb861);
    const filled = Uint8Array.from(header);
    filled[10] = 0xb8;
    filled[11] = 0x61;
    expect(internetChecksum(filled)).toBe(0); // a correct header sums to all ones
  });

  it('pads an odd last byte with zero', () => {
    expect(onesComplementSum(hex('01'))).toBe(0x0100);
    expect(internetChecksum(hex('0001 f203 f4f5 f6'))).toBe(internetChecksum(hex('0001 f203 f4f5 f600')));
  });

  it('folds carries end-around and continues a running sum', () => {
    expect(onesComplementSum(hex('ffff 0001'))).toBe(0x0001);
    expect(onesComplementSum(hex('f203 f4f5'), onesComplementSum(hex('0001')))).toBe(onesComplementSum(hex('0001 f203 f4f5')));
    expect(internetChecksum(new Uint8Array(0))).toBe(0xffff);
  });
});
