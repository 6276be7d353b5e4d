/**
 * The record of a run: what each socket did and every segment's fate, in the order the engine
 * produced them. Reporters (RFC tables, Mermaid, pcapng, JSON) read only this.
 * Times are integer microseconds of virtual time since the start of the run.
 */
import type { Segment, Endpoint } from '../model/segment.js';
import type { Errno } from '../model/errno.js';
import type { TcpState } from '../model/states.js';

/** Why a segment never arrived. */
export type DropReason = 'loss' | 'link-down' | 'no-socket' | 'backlog-full' | 'syn-queue-full' | 'out-of-window';

/** One line of the trace. `socket` numbers are those of `SocketInfo.id`. */
export type TraceEvent =
  /** A segment left `socket`; `segmentId` names it in later `deliver`/`drop` lines. */
  | { readonly kind: 'send'; readonly at: number; readonly socket: number; readonly segmentId: number; readonly segment: Segment; readonly retransmission: boolean }
  /** The segment reached the destination host's TCP (a duplicate is delivered twice). */
  | { readonly kind: 'deliver'; readonly at: number; readonly segmentId: number; readonly socket: number | null }
  /** The segment was lost on the link or discarded on arrival. */
  | { readonly kind: 'drop'; readonly at: number; readonly segmentId: number; readonly reason: DropReason }
  /** A socket changed state; `cause` says what moved it. */
  | { readonly kind: 'state'; readonly at: number; readonly socket: number; readonly from: TcpState; readonly to: TcpState; readonly cause: StateCause }
  /** A program called into the kernel. `result` is the fd, byte count, or errno name. */
  | { readonly kind: 'call'; readonly at: number; readonly process: string; readonly socket: number | null; readonly call: AppCall; readonly result: string }
  /** A named timer expired on a socket (`twoMsl`, `finWait2`, `synRto`, `finRto`, `dataRto`). */
  | { readonly kind: 'timer'; readonly at: number; readonly socket: number; readonly timer: string }
  /** An error reached a program or a socket ended with one. */
  | { readonly kind: 'error'; readonly at: number; readonly process: string; readonly socket: number | null; readonly errno: Errno };

/** What caused a state change. */
export type StateCause =
  | { readonly by: 'segment'; readonly segmentId: number }
  | { readonly by: 'call'; readonly call: AppCall }
  | { readonly by: 'timer'; readonly timer: string };

/** The socket calls a program can make. */
export type AppCall = 'socket' | 'connect' | 'listen' | 'accept' | 'write' | 'read' | 'shutdown' | 'close' | 'abort' | 'exit';

/** The errors tcpsim models, by their errno names (they belong to the model: src/model/errno.ts). */
export type { Errno };

/** Identity of a socket for the life of a run. */
export interface SocketInfo {
  readonly id: number;
  readonly host: string;
  /** The process that opened or accepted it (it stays attributed after close). */
  readonly process: string;
  readonly local: Endpoint;
  /** The peer; for a listening socket, `{ addr: '0.0.0.0', port: 0 }`. */
  readonly remote: Endpoint;
  /** Connection number shared by both ends of one connection (client's connect order), or -1 for listeners. */
  readonly conn: number;
  /** `client` for the side that called connect(), `server` for an accepted socket, `listener`. */
  readonly role: 'client' | 'server' | 'listener';
}

/** A finished run's trace. */
export interface Trace {
  readonly sockets: readonly SocketInfo[];
  readonly events: readonly TraceEvent[];
}
