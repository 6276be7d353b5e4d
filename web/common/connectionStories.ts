/**
 * Connections grouped by what happened to them: the states each end went through, the errors it
 * got, and whether its program ever closed it. In the article's leak 1000 connections tell one
 * story, so the explorer lists stories, each with its first connection and how many share it.
 */
import type { Trace } from '../../src/sim/trace.js';

/** One end's part in a story. */
export interface EndStory {
  readonly role: string;
  readonly states: readonly string[];
  readonly errors: readonly string[];
  /** It had an fd (connected or accepted) and its program never closed it. */
  readonly leaked: boolean;
  /** A server socket no accept() ever took. */
  readonly neverAccepted: boolean;
}

/** A group of connections with the same story. */
export interface Story {
  readonly key: string;
  readonly text: string;
  readonly conns: readonly number[];
  readonly leaked: boolean;
}

function describe(end: EndStory): string {
  const path = end.states.join(' → ') || 'no state change';
  const notes = [...end.errors, ...(end.leaked ? ['never closed'] : []), ...(end.neverAccepted ? ['never accepted'] : [])];
  return `${end.role}: ${path}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`;
}

/** The stories of a trace's connections, the leaked ones first, then by how many share them. */
export function connectionStories(trace: Trace): Story[] {
  const bySocket = new Map<number, { conn: number; role: string; states: string[]; errors: string[]; fd: boolean; closed: boolean }>();
  for (const s of trace.sockets) if (s.role !== 'listener') bySocket.set(s.id, { conn: s.conn, role: s.role, states: [], errors: [], fd: false, closed: false });
  for (const e of trace.events) {
    if (e.kind === 'send' || e.kind === 'deliver' || e.kind === 'drop' || e.socket === null) continue;
    const end = bySocket.get(e.socket);
    if (end === undefined) continue;
    if (e.kind === 'state') end.states.push(e.to);
    else if (e.kind === 'error') end.errors.push(e.errno);
    else if (e.kind === 'call') {
      if (/^E[A-Z]+$/.test(e.result)) end.errors.push(`${e.call}() ${e.result}`);
      else if (e.call === 'connect' || e.call === 'accept') end.fd = true;
      else if (e.call === 'close' || e.call === 'abort') end.closed = true;
    }
  }
  const conns = new Map<number, EndStory[]>();
  for (const end of bySocket.values()) {
    const list = conns.get(end.conn) ?? [];
    list.push({ role: end.role, states: end.states, errors: end.errors, leaked: end.fd && !end.closed, neverAccepted: end.role === 'server' && !end.fd && !end.closed });
    conns.set(end.conn, list);
  }
  const stories = new Map<string, { text: string; conns: number[]; leaked: boolean }>();
  for (const [conn, ends] of [...conns].sort((a, b) => a[0] - b[0])) {
    ends.sort((a, b) => (a.role === 'client' ? -1 : b.role === 'client' ? 1 : 0));
    const text = ends.map(describe).join(' · ');
    const story = stories.get(text) ?? { text, conns: [], leaked: ends.some((e) => e.leaked) };
    story.conns.push(conn);
    stories.set(text, story);
  }
  return [...stories.values()]
    .map((s) => ({ key: s.text, ...s }))
    .sort((a, b) => Number(b.leaked) - Number(a.leaked) || (a.leaked ? a.conns[0]! - b.conns[0]! : b.conns.length - a.conns.length || a.conns[0]! - b.conns[0]!));
}
