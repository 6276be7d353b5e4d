/**
 * The model of the model-based property: far simpler than the system. It knows which fd each
 * program holds and which connection that fd is, how many connections each side opened, and how
 * many bytes each program wrote and read per connection. Never a copy of the state machine.
 */
import type { Side } from './tcpPair.js';

/** What one program holds. */
export interface ProgramModel {
  /** The connection socket's fd the program holds, or null. */
  fd: number | null;
  /** Connection number of that fd. */
  conn: number;
  /** Kernel socket id behind that fd (a stale SYN can open a second socket with the same conn). */
  socketId: number;
  /** Connections this program opened (client) or accepted (server). */
  opened: number;
}

/** Bytes per connection and side. */
export interface ByteCount {
  written: Record<Side, number>;
  read: Record<Side, number>;
}

/** The whole model. */
export interface TcpModel {
  readonly program: Record<Side, ProgramModel>;
  /** Sockets (by id) the server program accepted. */
  readonly accepted: Set<number>;
  readonly bytes: Map<number, ByteCount>;
}

/** Most connections a side opens in one run. */
export const MAX_CONNECTIONS = 3;

/** A fresh model: nothing connected. */
export function createTcpModel(): TcpModel {
  return {
    program: { client: { fd: null, conn: -1, socketId: -1, opened: 0 }, server: { fd: null, conn: -1, socketId: -1, opened: 0 } },
    accepted: new Set(),
    bytes: new Map(),
  };
}

/** Byte counts of connection `conn`, created on first use. */
export function bytesOf(model: TcpModel, conn: number): ByteCount {
  let count = model.bytes.get(conn);
  if (!count) {
    count = { written: { client: 0, server: 0 }, read: { client: 0, server: 0 } };
    model.bytes.set(conn, count);
  }
  return count;
}
