/**
 * Linux's TCP counters from /proc/PID/net/netstat (the `TcpExt:` lines: names, then values), per
 * network namespace. The watch reads ListenOverflows (a SYN or a handshake's last ACK found an
 * accept queue full) and ListenDrops (every drop at a listener, overflows included) and reports
 * how much they rose while it watched.
 */
import { readFileSync } from 'node:fs';

/** The counters the watch follows. */
export interface ListenCounters {
  readonly listenOverflows: number;
  readonly listenDrops: number;
}

/** Every counter of one `PREFIX:` pair of lines (`TcpExt`, `IpExt`, `MPTcpExt`) in the text of /proc/net/netstat. */
export function parseNetstat(text: string, prefix = 'TcpExt'): Map<string, number> {
  const lines = text.split('\n').filter((l) => l.startsWith(`${prefix}:`));
  const [names, values] = lines.map((l) => l.slice(prefix.length + 1).trim().split(/\s+/));
  const counters = new Map<string, number>();
  if (names === undefined || values === undefined) return counters;
  names.forEach((name, i) => {
    const value = Number(values[i]);
    if (Number.isFinite(value)) counters.set(name, value);
  });
  return counters;
}

/** ListenOverflows and ListenDrops of the namespace `pid` lives in; undefined when unreadable. */
export function readListenCounters(pid: number): ListenCounters | undefined {
  try {
    const counters = parseNetstat(readFileSync(`/proc/${pid}/net/netstat`, 'latin1'));
    return { listenOverflows: counters.get('ListenOverflows') ?? 0, listenDrops: counters.get('ListenDrops') ?? 0 };
  } catch {
    return undefined;
  }
}
