/**
 * TIME_WAIT sockets that nobody holds, as rows of columns. Linux keeps such a socket as a small
 * inet_timewait_sock; here it is one row of typed arrays, and its host's socket table holds the
 * row number where it would hold a Socket. A row has only what TIME_WAIT needs: identity for
 * the counts and the trace, the 4-tuple, SND.NXT and RCV.NXT, when the peer last sent, and the
 * 2MSL timer. Every other TCB field of a socket in TIME_WAIT follows from these (timeWait.ts
 * rebuilds the full socket when a segment arrives).
 *
 * A million connections in TIME_WAIT take no object each (a row here, and three numbers in a
 * timer bucket for the 2MSL timer), so the garbage collector has nothing of theirs to copy or
 * mark. Rows are reused through a free list, the last freed first.
 */
import type { Endpoint } from '../model/segment.js';
import type { Socket } from './socket.js';

const ROLES: readonly Socket['role'][] = ['client', 'server', 'listener'];

/** The TIME_WAIT sockets of every host in one run. */
export class TimeWaitTable {
  /** Socket id (the trace's and the reports' identity). */
  id = new Int32Array(0);
  /** Index of the host and of the process the socket is attributed to. */
  host = new Int32Array(0);
  process = new Int32Array(0);
  /** Row of the compiled table (the TIME_WAIT leaf). */
  leaf = new Int32Array(0);
  localPort = new Uint16Array(0);
  conn = new Int32Array(0);
  private roleIndex = new Uint8Array(0);
  sndNxt = new Uint32Array(0);
  rcvNxt = new Uint32Array(0);
  /** When the last segment from the peer arrived (µs). */
  lastReceived = new Float64Array(0);
  /** The live 2MSL expiry's number (as Socket.twoMslTimer), 0 while none. */
  twoMsl = new Float64Array(0);
  /** The peer's endpoint, the object the socket had (a client's is the one its server's address shares): a pointer a row. */
  readonly remote: (Endpoint | undefined)[] = [];
  private readonly free: number[] = [];
  /** Rows ever taken (free or in use). */
  private rows = 0;

  /** Rows in use. */
  get size(): number {
    return this.rows - this.free.length;
  }

  role(row: number): Socket['role'] {
    return ROLES[this.roleIndex[row]!]!;
  }

  /** A row for `sock`, a full socket in TIME_WAIT, with its 2MSL timer. */
  add(sock: Socket): number {
    let row = this.free.pop();
    if (row === undefined) {
      if (this.rows === this.id.length) this.grow();
      row = this.rows++;
    }
    this.id[row] = sock.id;
    this.host[row] = sock.host;
    this.process[row] = sock.process;
    this.leaf[row] = sock.leaf;
    this.localPort[row] = sock.local.port;
    this.conn[row] = sock.conn;
    this.roleIndex[row] = ROLES.indexOf(sock.role);
    this.sndNxt[row] = sock.tcb.sndNxt;
    this.rcvNxt[row] = sock.tcb.rcvNxt;
    this.lastReceived[row] = sock.lastReceived;
    this.twoMsl[row] = sock.twoMslTimer;
    this.remote[row] = sock.remote;
    return row;
  }

  /** The row is no longer a socket: its endpoint is let go, and the row is reused. */
  remove(row: number): void {
    this.remote[row] = undefined;
    this.free.push(row);
  }

  /** Twice the rows (at least 1,024), the columns copied over with TypedArray.set. */
  private grow(): void {
    const capacity = Math.max(1024, this.id.length * 2);
    const grown = <A extends Int32Array | Uint16Array | Uint8Array | Uint32Array | Float64Array>(old: A, make: new (n: number) => A): A => {
      const next = new make(capacity);
      next.set(old as never);
      return next;
    };
    this.id = grown(this.id, Int32Array);
    this.host = grown(this.host, Int32Array);
    this.process = grown(this.process, Int32Array);
    this.leaf = grown(this.leaf, Int32Array);
    this.localPort = grown(this.localPort, Uint16Array);
    this.conn = grown(this.conn, Int32Array);
    this.roleIndex = grown(this.roleIndex, Uint8Array);
    this.sndNxt = grown(this.sndNxt, Uint32Array);
    this.rcvNxt = grown(this.rcvNxt, Uint32Array);
    this.lastReceived = grown(this.lastReceived, Float64Array);
    this.twoMsl = grown(this.twoMsl, Float64Array);
  }
}
