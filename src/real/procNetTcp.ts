/**
 * The fallback observer: /proc/net/tcp and /proc/net/tcp6, for machines without iproute2.
 *
 * Format (net/ipv4/tcp_ipv4.c get_tcp4_sock / get_timewait4_sock / get_openreq4, and
 * net/ipv6/tcp_ipv6.c): `sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...`.
 * Addresses are the raw network-order words printed as host integers with %08X, so on a
 * little-endian host `0100007F` is 127.0.0.1; ports are printed after ntohs, so `1389` is 5001.
 * `st` is the kernel state code (TIME_WAIT minisockets print their substate: an orphaned
 * FIN_WAIT_2 shows 05 with timer 3). `tr` is 0 none, 1 retransmit/loss-probe, 2 keepalive (also
 * the FIN_WAIT_2 timer of a full socket), 3 TIME_WAIT, 4 zero-window probe. `tm->when` is
 * `jiffies_delta_to_clock_t(expires - jiffies)`: clock ticks of USER_HZ (sysconf(_SC_CLK_TCK),
 * 100 on x86 and arm64 whatever CONFIG_HZ is), so one unit is 10 ms, never negative. `retrnsmt`
 * is hex icsk_retransmits (req->num_timeout for SYN_RECV).
 */
import { readFile } from 'node:fs/promises';
import { stateFromProcCode } from '../model/states.js';
import { runChecked } from './runCommand.js';
import type { Endpoint, SocketRow, SocketTimerName } from './socketRow.js';

/** Clock ticks per second of `tm->when` (USER_HZ); 100 on every Linux architecture tcpsim runs on. */
export const USER_HZ = 100;

const TIMER_BY_CODE: Readonly<Record<number, SocketTimerName>> = { 1: 'on', 2: 'keepalive', 3: 'timewait', 4: 'persist' };

/** Byte order of the host that wrote the table (it prints network-order words as host integers). */
export type HostEndianness = 'LE' | 'BE';

function wordBytes(hex: string, endianness: HostEndianness): number[] {
  const bytes = [0, 2, 4, 6].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return endianness === 'LE' ? bytes.reverse() : bytes;
}

/** Formats 16 address bytes the way ss does: `::1`, `::`, `::ffff:127.0.0.1`, RFC 5952 compression. */
export function formatIpv6(bytes: readonly number[]): string {
  const isMapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (isMapped) return `::ffff:${bytes.slice(12).join('.')}`;
  const groups = [0, 1, 2, 3, 4, 5, 6, 7].map((g) => ((bytes[2 * g] ?? 0) << 8) | (bytes[2 * g + 1] ?? 0));
  let bestStart = -1;
  let bestLength = 0;
  for (let start = 0; start < 8; start++) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === 0) length++;
    if (length > bestLength && length >= 2) {
      bestStart = start;
      bestLength = length;
    }
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** Decoded address words, by their hex text and byte order: a table holds few distinct addresses (loopback). */
const addressCache = new Map<string, string>();
const ADDRESS_CACHE_SIZE = 4096;

function decodeAddress(hexAddr: string, endianness: HostEndianness): string {
  const cacheKey = `${endianness}${hexAddr}`;
  const cached = addressCache.get(cacheKey);
  if (cached !== undefined) return cached;
  const addr = hexAddr.length === 8 ? wordBytes(hexAddr, endianness).join('.') : formatIpv6([0, 8, 16, 24].flatMap((i) => wordBytes(hexAddr.slice(i, i + 8), endianness)));
  if (addressCache.size >= ADDRESS_CACHE_SIZE) addressCache.clear();
  addressCache.set(cacheKey, addr);
  return addr;
}

/** Decodes a /proc/net/tcp{,6} address column (`0100007F:1389` or 32 hex digits + port). */
export function parseProcEndpoint(column: string, endianness: HostEndianness = 'LE'): Endpoint {
  const match = /^([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):([0-9A-Fa-f]{4})$/.exec(column);
  if (match === null) throw new Error(`/proc/net/tcp address not understood: "${column}"`);
  const [, hexAddr = '', hexPort = ''] = match;
  return { addr: decodeAddress(hexAddr, endianness), port: parseInt(hexPort, 16) };
}

/** How to read the table. */
export interface ProcParseOptions {
  readonly endianness?: HostEndianness;
  /** Ticks per second of `tm->when`; default USER_HZ. */
  readonly userHz?: number;
}

/** Parses the text of /proc/net/tcp or /proc/net/tcp6 (header line included) into rows. */
export function parseProcNetTcp(text: string, options: ProcParseOptions = {}): SocketRow[] {
  const endianness = options.endianness ?? 'LE';
  const userHz = options.userHz ?? USER_HZ;
  const rows: SocketRow[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    const columns = line.trim().split(/\s+/);
    if (columns[0] === 'sl' || line.trim() === '') continue;
    const [, local = '', remote = '', st = '', queues = '', timerColumn = '', retrans = '', , , inode = ''] = columns;
    const state = stateFromProcCode(parseInt(st, 16));
    const queueMatch = /^([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8})$/.exec(queues);
    const timerMatch = /^([0-9A-Fa-f]{2}):([0-9A-Fa-f]{8,16})$/.exec(timerColumn);
    if (state === undefined || queueMatch === null || timerMatch === null || !/^[0-9A-Fa-f]+$/.test(retrans)) {
      throw new Error(`/proc/net/tcp line ${index + 1} not understood: "${line}"`);
    }
    const timerCode = parseInt(timerMatch[1] ?? '0', 16);
    const timer =
      timerCode === 0
        ? undefined
        : {
            name: TIMER_BY_CODE[timerCode] ?? 'unknown',
            remainingMs: Math.round((parseInt(timerMatch[2] ?? '0', 16) * 1000) / userHz),
            retrans: parseInt(retrans, 16),
          };
    rows.push({
      state,
      local: parseProcEndpoint(local, endianness),
      remote: parseProcEndpoint(remote, endianness),
      recvQ: parseInt(queueMatch[2] ?? '0', 16),
      sendQ: parseInt(queueMatch[1] ?? '0', 16),
      inode: Number(inode),
      ...(timer === undefined ? {} : { timer }),
    });
  }
  return rows;
}

/** What to read. */
export interface ProcQuery {
  /** Keep only rows with one of these as local or remote port; all rows when omitted. */
  readonly ports?: readonly number[] | undefined;
  /** Read the tables of this network namespace (via `ip netns exec NAME cat`). */
  readonly netns?: string | undefined;
}

/** Reads /proc/net/tcp and /proc/net/tcp6 (optionally of a namespace) into rows. */
export async function observeProcNetTcp(query: ProcQuery = {}): Promise<SocketRow[]> {
  const read = async (path: string): Promise<string> => {
    try {
      return query.netns === undefined
        ? await readFile(path, 'utf8')
        : await runChecked(['cat', path], { netns: query.netns });
    } catch (error) {
      if (path.endsWith('tcp6')) return ''; // IPv6 disabled: no tcp6 table
      throw error;
    }
  };
  const [tcp4, tcp6] = await Promise.all([read('/proc/net/tcp'), read('/proc/net/tcp6')]);
  const rows = [...parseProcNetTcp(tcp4), ...parseProcNetTcp(tcp6)];
  if (query.ports === undefined) return rows;
  const ports = new Set(query.ports);
  return rows.filter((row) => ports.has(row.local.port) || ports.has(row.remote.port));
}
