/**
 * SYN cookies (RFC 4987 §3.6; Linux net/ipv4/syncookies.c). When a listener's SYN queue is full,
 * Linux answers a SYN with a SYN,ACK whose sequence number encodes the connection and keeps no
 * state; an ACK that returns the cookie + 1 later rebuilds the connection, straight into the
 * accept queue. Linux hashes the 4-tuple, the client's ISN and a minute counter with a secret;
 * the model needs only a deterministic number that a different connection cannot match, so it
 * hashes the same inputs without the secret.
 */
import type { Endpoint } from './segment.js';

/** How long after the last SYN-queue overflow an ACK is checked as a cookie (Linux TCP_SYNCOOKIE_VALID: 2 minutes). */
export const SYNCOOKIE_VALID = 120_000_000;

/** The ISN of a cookie SYN,ACK from `localPort` to `remote`, whose SYN carried `clientIsn` (FNV-1a over the inputs). */
export function synCookie(localPort: number, remote: Endpoint, clientIsn: number): number {
  let h = 0x811c9dc5;
  const mix = (byte: number): void => {
    h = Math.imul(h ^ (byte & 0xff), 0x01000193);
  };
  for (let i = 0; i < remote.addr.length; i++) mix(remote.addr.charCodeAt(i));
  for (const n of [remote.port, localPort, clientIsn]) for (let shift = 0; shift < 32; shift += 8) mix(n >>> shift);
  return h >>> 0;
}
