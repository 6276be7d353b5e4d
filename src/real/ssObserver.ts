/**
 * Observing the kernel's TCP table with iproute2's `ss -tanHo`, filtered in the kernel on a
 * port set. The parser is pure (text in, rows out); `observeSs` runs the command.
 */
import { stateFromSs } from '../model/states.js';
import { runChecked } from './runCommand.js';
import type { Endpoint, SocketRow, SocketTimer, SocketTimerName } from './socketRow.js';

const TIMER_NAMES: ReadonlySet<string> = new Set(['on', 'keepalive', 'timewait', 'persist', 'unknown']);

/**
 * Milliseconds for an ss timer duration. ss prints minutes, seconds and milliseconds run
 * together: `59sec`, `1min59sec`, `1min`, `200ms`, `028ms`, and `1.516ms` meaning 1 s + 516 ms
 * (iproute2 print_ms_timer); an empty string means 0.
 */
export function parseSsDuration(text: string): number {
  const match = /^(?:(\d+)min)?(?:(\d+)(sec|\.))?(?:(\d+)ms)?$/.exec(text);
  if (match === null) throw new Error(`ss timer duration not understood: "${text}"`);
  const [, minutes, seconds, separator, millis] = match;
  if (separator === '.' && millis === undefined) throw new Error(`ss timer duration not understood: "${text}"`);
  return Number(minutes ?? 0) * 60_000 + Number(seconds ?? 0) * 1000 + Number(millis ?? 0);
}

/** Parses an ss address column: `127.0.0.1:80`, `[::1]:80`, `[::ffff:127.0.0.1]:80`, `*:80`, `0.0.0.0:*`. */
export function parseSsEndpoint(column: string): Endpoint {
  const colon = column.lastIndexOf(':');
  if (colon <= 0) throw new Error(`ss address not understood: "${column}"`);
  let addr = column.slice(0, colon);
  const portText = column.slice(colon + 1);
  if (addr.startsWith('[') && addr.endsWith(']')) addr = addr.slice(1, -1);
  const scope = addr.indexOf('%');
  if (scope >= 0) addr = addr.slice(0, scope); // bound to a device: 127.0.0.1%lo
  if (addr === '*') addr = '::'; // dual-stack wildcard, as /proc/net/tcp6 spells it
  const port = portText === '*' ? 0 : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65_535 || addr === '') {
    throw new Error(`ss address not understood: "${column}"`);
  }
  return { addr: addr.toLowerCase(), port };
}

/** Parses `timer:(name,duration,retrans)` out of the columns after the addresses, if present. */
export function parseSsTimer(rest: string): SocketTimer | undefined {
  const match = /timer:\(([a-z]+),([^,)]*),(\d+)\)/.exec(rest);
  if (match === null) return undefined;
  const [, name = '', duration = '', retrans = '0'] = match;
  if (!TIMER_NAMES.has(name)) throw new Error(`ss timer name not understood: "${name}"`);
  return { name: name as SocketTimerName, remainingMs: parseSsDuration(duration), retrans: Number(retrans) };
}

/** Parses the output of `ss -tanHo [filter]` (no header; not the `state X` form) into rows. */
export function parseSs(text: string): SocketRow[] {
  const rows: SocketRow[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const columns = line.trim().split(/\s+/);
    const [stateColumn = '', recvQ = '', sendQ = '', local = '', remote = ''] = columns;
    const state = stateFromSs(stateColumn);
    if (state === undefined || columns.length < 5 || !/^\d+$/.test(recvQ) || !/^\d+$/.test(sendQ)) {
      throw new Error(`ss line ${index + 1} not understood: "${line}"`);
    }
    const timer = parseSsTimer(columns.slice(5).join(' '));
    const row: SocketRow = {
      state,
      local: parseSsEndpoint(local),
      remote: parseSsEndpoint(remote),
      recvQ: Number(recvQ),
      sendQ: Number(sendQ),
      ...(timer === undefined ? {} : { timer }),
    };
    rows.push(row);
  }
  return rows;
}

function assertPort(port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`not a TCP port: ${port}`);
}

/** The kernel-side filter `( sport = :P or dport = :P ... )` selecting sockets on any of `ports`. */
export function ssPortFilter(ports: readonly number[]): string {
  if (ports.length === 0) throw new Error('ssPortFilter needs at least one port');
  ports.forEach(assertPort);
  return `( ${ports.map((p) => `sport = :${p} or dport = :${p}`).join(' or ')} )`;
}

/** What to observe. */
export interface SsQuery {
  /** Only sockets with one of these as local or remote port. */
  readonly ports: readonly number[];
  /** Look inside this network namespace instead of the current one. */
  readonly netns?: string | undefined;
  readonly timeoutMs?: number | undefined;
}

/** Runs `ss -tanHo` with a port filter (optionally in a namespace) and returns its rows. */
export async function observeSs(query: SsQuery): Promise<SocketRow[]> {
  const stdout = await runChecked(['ss', '-tanHo', ssPortFilter(query.ports)], {
    netns: query.netns,
    timeoutMs: query.timeoutMs ?? 5_000,
  });
  return parseSs(stdout);
}
