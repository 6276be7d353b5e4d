/**
 * Leak assertions. A leak is an fd a live process still holds on a connection once the run is
 * over — above all one whose socket sits in CLOSE_WAIT: the peer closed, the program never
 * called close(). A failing assertion names each offending connection and draws it as an
 * RFC 9293 table from the trace.
 */
import { TCP_STATES, type TcpState } from '../model/states.js';
import { rfcTable } from '../report/rfcTable.js';
import type { SocketView } from '../sim/world.js';
import type { Sim } from './sim.js';

/** An assertion on a simulation that did not hold. */
export class LeakError extends Error {
  override readonly name = 'LeakError';
}

/** Which processes an assertion looks at. */
export interface LeakOptions {
  /** Only this process (default: every live process). */
  readonly process?: string;
  /** Connections drawn as tables in the message (default 1). */
  readonly tables?: number;
}

/** fds on connections of live processes (in scope), by socket creation order. */
export function heldConnections(sim: Sim, options: LeakOptions = {}): SocketView[] {
  const live = new Set(sim.allProcesses().filter((p) => !p.exited && (options.process === undefined || p.name === options.process)).map((p) => p.name));
  if (options.process !== undefined) sim.processNamed(options.process);
  return sim.sockets().filter((s) => s.fd >= 0 && s.role !== 'listener' && live.has(s.process));
}

/** What a socket's state says about the program that holds it. */
function meaning(state: TcpState): string {
  switch (state) {
    case 'CLOSE_WAIT':
      return 'the peer closed and the program never called close()';
    case 'CLOSED':
      return 'the connection is gone (reset or timed out) and the program never called close()';
    case 'ESTABLISHED':
      return 'the program still holds it open (waiting on a read with no timeout?)';
    default:
      return 'the program has not closed it';
  }
}

function endpoint(e: { readonly addr: string; readonly port: number }): string {
  return `${e.addr}:${e.port}`;
}

/** One line per offending socket and the first `tables` connections as RFC 9293 tables. */
export function describeSockets(sim: Sim, offenders: readonly SocketView[], tables = 1): string {
  const lines: string[] = [];
  for (const s of offenders.slice(0, 10)) {
    lines.push(`  ${s.process} holds fd ${s.fd} on connection ${s.conn} (${endpoint(s.local)} ⇄ ${endpoint(s.remote)}) in ${s.state}: ${meaning(s.state)}`);
  }
  if (offenders.length > 10) lines.push(`  … and ${offenders.length - 10} more`);
  const trace = sim.trace();
  const drawn = new Set<number>();
  for (const s of offenders) {
    if (drawn.size >= tables) break;
    if (drawn.has(s.conn)) continue;
    drawn.add(s.conn);
    if (trace.events.length === 0) {
      lines.push('', '  (no trace: create the simulation with trace: true to see the connection)');
      break;
    }
    try {
      lines.push('', `connection ${s.conn}, RFC 9293 style:`, rfcTable(trace, s.conn));
    } catch (e) {
      lines.push('', `  (connection ${s.conn} cannot be drawn: ${e instanceof Error ? e.message : String(e)})`);
    }
  }
  return lines.join('\n');
}

/** Counts of the offenders' states, most frequent first: "2 in CLOSE_WAIT, 1 in ESTABLISHED". */
function stateSummary(offenders: readonly SocketView[]): string {
  const counts = new Map<TcpState, number>();
  for (const s of offenders) counts.set(s.state, (counts.get(s.state) ?? 0) + 1);
  return TCP_STATES.filter((s) => counts.has(s))
    .map((s) => `${counts.get(s)} in ${s}`)
    .join(', ');
}

/**
 * Throws a LeakError unless every live process has closed every connection it opened or
 * accepted: no fd left on a connection (CLOSE_WAIT named first), fds back to the baseline
 * plus listeners and files. Call it after the run has let the connections finish.
 */
export function expectNoLeak(sim: Sim, options: LeakOptions = {}): void {
  const held = heldConnections(sim, options);
  const order = (s: SocketView): number => (s.state === 'CLOSE_WAIT' ? 0 : s.state === 'CLOSED' ? 1 : 2);
  const offenders = [...held].sort((a, b) => order(a) - order(b) || a.id - b.id);
  if (offenders.length > 0) {
    const scope = options.process ?? 'the programs';
    throw new LeakError(
      `expected no leaked connections, but ${scope} still hold ${offenders.length} (${stateSummary(offenders)}) at ${sim.now} ms:\n` +
        describeSockets(sim, offenders, options.tables ?? 1),
    );
  }
}

/** Sockets of connections (not listeners) the kernels still hold, fd or not: TIME_WAIT, orphans, CLOSE_WAIT. */
export function liveConnections(sim: Sim, options: LeakOptions = {}): SocketView[] {
  if (options.process !== undefined) sim.processNamed(options.process);
  return sim.sockets().filter((s) => s.role !== 'listener' && (options.process === undefined || s.process === options.process));
}

/** Throws a LeakError unless every connection has reached CLOSED in every kernel (TIME_WAIT and orphans included). */
export function expectAllClosed(sim: Sim, options: LeakOptions = {}): void {
  const open = liveConnections(sim, options);
  if (open.length > 0) {
    throw new LeakError(
      `expected every connection CLOSED, but ${open.length} ${open.length === 1 ? 'socket is' : 'sockets are'} not (${stateSummary(open)}) at ${sim.now} ms:\n` +
        describeSockets(sim, open, options.tables ?? 1),
    );
  }
}

/** Sockets in CLOSE_WAIT (of one process or all). */
export function closeWaitSockets(sim: Sim, options: LeakOptions = {}): SocketView[] {
  return liveConnections(sim, options).filter((s) => s.state === 'CLOSE_WAIT');
}

/** Throws a LeakError if a process has held more than `limit` fds at once during the run (all processes, or `process`). */
export function expectFdsWithin(sim: Sim, limit: number, options: LeakOptions = {}): void {
  const over = sim.allProcesses().filter((p) => (options.process === undefined || p.name === options.process) && p.peakFds > limit);
  if (options.process !== undefined) sim.processNamed(options.process);
  if (over.length > 0) {
    throw new LeakError(`expected at most ${limit} fds per process, but ${over.map((p) => `${p.name} held ${p.peakFds} at its peak (${p.fds} now)`).join('; ')}`);
  }
}
