/**
 * From learned connections (connectionLearner.ts) to the model's connections: which `conn` each
 * is, on which port, and when the model starts it. A command's connections are numbered in the
 * order the kernel had them accepted (else handshaken, else seen), and the model's `conn` i is
 * put on that socket's port and started `leadUs` before that instant, so that it is accepted
 * when the real one was: the kernel decides which SYN of a burst it drops and how long a
 * connection waits in the accept queue, so real mode takes that instant from the kernel, as it
 * takes the port, and compares everything after it. Pure.
 */
import { bracketMiddle, type Bracket, type LearnedConnection } from './connectionLearner.js';

/** A client process whose connections were learned: its name, its first `conn`, how many it declares. */
export interface LearnedClient {
  readonly name: string;
  readonly firstConn: number;
  readonly connections: number;
}

/** What an anchor is taken from, most informative first. */
export type AnchorKind = 'accepted' | 'established' | 'seen';

/** One model connection tied to a kernel socket. */
export interface ConnectionAnchor {
  readonly conn: number;
  readonly process: string;
  readonly address: string;
  readonly port: number;
  readonly kind: AnchorKind;
  /** The instant (µs since t0) and its bracket. */
  readonly at: number;
  readonly bracket: Bracket;
  /** When the model starts the connection (µs since t0). */
  readonly start: number;
  /** The handshake's completion, when the anchor is the accept (µs since t0). */
  readonly establishedAt: number | null;
}

/** Per process: the connections tied, those beyond its declared count, those it declared but the kernel never showed. */
export interface AnchorSummary {
  readonly process: string;
  readonly declared: number;
  readonly learned: number;
  readonly extra: number;
  readonly missing: number;
  readonly byKind: Readonly<Record<AnchorKind, number>>;
}

/** All anchors of a run. */
export interface Anchors {
  readonly anchors: readonly ConnectionAnchor[];
  readonly summaries: readonly AnchorSummary[];
  /** Client ends no watched process could be shown to hold (seen only after close, say). */
  readonly unattributed: number;
}

function anchorOf(c: LearnedConnection): { kind: AnchorKind; bracket: Bracket } {
  if (c.accepted !== null) return { kind: 'accepted', bracket: c.accepted };
  if (c.established !== null) return { kind: 'established', bracket: c.established };
  return { kind: 'seen', bracket: c.seen };
}

/** Ties each learned connection of `clients` to a model `conn`, started `leadUs` before its anchor. */
export function connectionAnchors(learned: readonly LearnedConnection[], clients: readonly LearnedClient[], leadUs: number): Anchors {
  const anchors: ConnectionAnchor[] = [];
  const summaries: AnchorSummary[] = [];
  for (const client of clients) {
    const mine = learned
      .filter((c) => c.process === client.name)
      .map((c) => ({ c, ...anchorOf(c) }))
      .map((x) => ({ ...x, at: bracketMiddle(x.bracket) }))
      .sort((a, b) => a.at - b.at || bracketMiddle(a.c.seen) - bracketMiddle(b.c.seen) || a.c.local.port - b.c.local.port);
    const byKind: Record<AnchorKind, number> = { accepted: 0, established: 0, seen: 0 };
    let previousStart = 0;
    mine.slice(0, client.connections).forEach((x, i) => {
      byKind[x.kind]++;
      // starts never decrease with conn (the model spawns a process's connections in turn)
      const start = Math.max(previousStart, x.at - leadUs, 0);
      previousStart = start;
      anchors.push({
        conn: client.firstConn + i,
        process: client.name,
        address: x.c.local.addr,
        port: x.c.local.port,
        kind: x.kind,
        at: x.at,
        bracket: x.bracket,
        start,
        establishedAt: x.kind === 'accepted' && x.c.established !== null ? bracketMiddle(x.c.established) : null,
      });
    });
    summaries.push({
      process: client.name,
      declared: client.connections,
      learned: mine.length,
      extra: Math.max(0, mine.length - client.connections),
      missing: Math.max(0, client.connections - mine.length),
      byKind,
    });
  }
  return { anchors, summaries, unattributed: learned.filter((c) => c.process === null).length };
}
