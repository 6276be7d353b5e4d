/**
 * The one row shape every OS observer in real mode produces (from `ss` or /proc/net/tcp*), so
 * the comparison with the model does not care where a row came from.
 */
import type { TcpState } from '../model/states.js';

/** One side of a connection as the kernel reports it; `addr` has no brackets, `::` is the wildcard. */
export interface Endpoint {
  readonly addr: string;
  /** 0 when the OS prints `*` (a listener's unset peer). */
  readonly port: number;
}

/** Which kernel timer is pending on a socket (ss `-o` names; /proc/net/tcp `tr` 1..4). */
export type SocketTimerName = 'on' | 'keepalive' | 'timewait' | 'persist' | 'unknown';

/** A pending kernel timer: what it is, when it fires, how many times it has already fired. */
export interface SocketTimer {
  readonly name: SocketTimerName;
  /** Integer milliseconds until it fires (ss resolution 1 ms, /proc resolution 10 ms). */
  readonly remainingMs: number;
  /** Retransmissions (or keepalive probes) so far. */
  readonly retrans: number;
}

/** One socket of the kernel's TCP table, in canonical state names. */
export interface SocketRow {
  readonly state: TcpState;
  readonly local: Endpoint;
  readonly remote: Endpoint;
  readonly timer?: SocketTimer;
  /** Bytes received and not yet read (LISTEN: connections waiting in the accept queue). */
  readonly recvQ: number;
  /** Bytes sent and not yet acknowledged (LISTEN in ss: the backlog). */
  readonly sendQ: number;
  /** Socket inode (/proc only); 0 for sockets no process holds (TIME_WAIT, orphans, SYN_RECEIVED). */
  readonly inode?: number;
}

/** Removes the IPv4-mapped prefix so `::ffff:127.0.0.1` and `127.0.0.1` compare equal. */
export function unmapAddress(addr: string): string {
  const lower = addr.toLowerCase();
  return lower.startsWith('::ffff:') && lower.includes('.') ? lower.slice('::ffff:'.length) : lower;
}

/** A key naming a connection by its exact 4-tuple, IPv4-mapped addresses folded to IPv4. */
export function fourTupleKey(row: Pick<SocketRow, 'local' | 'remote'>): string {
  return `${unmapAddress(row.local.addr)}:${row.local.port}>${unmapAddress(row.remote.addr)}:${row.remote.port}`;
}

/** True when the row's local or remote port is one of `ports`. */
export function rowTouchesPorts(row: Pick<SocketRow, 'local' | 'remote'>, ports: ReadonlySet<number>): boolean {
  return ports.has(row.local.port) || ports.has(row.remote.port);
}
