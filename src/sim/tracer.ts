/**
 * The trace recorder: every socket's identity and every event, for the connections the caller
 * asked about (all, none, or those a filter picks). With tracing off it records nothing and the
 * engine builds no event objects (callers test `on` first on the hot path).
 */
import type { SocketInfo, Trace, TraceEvent } from './trace.js';

/** What to record: everything, nothing, or the connections `conn` for which the filter is true. */
export type TraceChoice = boolean | ((conn: number) => boolean);

/** Records a run's trace. */
export class Tracer {
  /** Whether anything is recorded at all. */
  readonly on: boolean;
  private readonly events: TraceEvent[] = [];
  private readonly sockets: SocketInfo[] = [];
  private readonly filter: ((conn: number) => boolean) | null;

  constructor(choice: TraceChoice) {
    this.on = choice !== false;
    this.filter = typeof choice === 'function' ? choice : null;
  }

  /** Whether events of connection `conn` are recorded (-1: not a connection's, e.g. a listener's). */
  wants(conn: number): boolean {
    return this.on && (this.filter === null || this.filter(conn));
  }

  /** Records `event` if its connection is traced. */
  record(event: TraceEvent, conn: number): void {
    if (this.wants(conn)) this.events.push(event);
  }

  /** Records a socket's identity if its connection is traced. */
  socket(info: SocketInfo): void {
    if (this.wants(info.conn)) this.sockets.push(info);
  }

  /** The trace so far (live arrays: later events appear in them). */
  trace(): Trace {
    return { sockets: this.sockets, events: this.events };
  }
}
