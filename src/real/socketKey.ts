/**
 * The name real mode gives a socket on both sides of the comparison: a listener by its local
 * address (`L 127.0.0.1:8888`, a dual-stack wildcard `::` as `0.0.0.0`), a connection end by its
 * exact 4-tuple, IPv4-mapped addresses folded to IPv4 (an earlier run's TIME_WAIT rows on the
 * same port never match a new run's).
 */
import type { TcpState } from '../model/states.js';
import { fourTupleKey, unmapAddress, type Endpoint } from './socketRow.js';

/**
 * A listener's address with the wildcard folded: `::` (a dual-stack listener, as Java's
 * `new ServerSocket(port)` makes, which takes IPv4 connections too) is `0.0.0.0`, the model's
 * every-address listener.
 */
export function listenerAddress(addr: string): string {
  const unmapped = unmapAddress(addr);
  return unmapped === '::' ? '0.0.0.0' : unmapped;
}

/** Key of a socket: listeners by local address (wildcards folded), connections by 4-tuple. */
export function socketKey(state: TcpState, local: Endpoint, remote: Endpoint): string {
  return state === 'LISTEN' ? `L ${listenerAddress(local.addr)}:${local.port}` : fourTupleKey({ local, remote });
}
