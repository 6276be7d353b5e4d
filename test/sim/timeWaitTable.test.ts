/**
 * The TIME_WAIT table's rows: what a row keeps of a socket, reuse of freed rows, and growth
 * that keeps every column. How the engine moves sockets in and out of it is covered through the
 * World (closeHandshake, timeWaitSyn); this is the table alone.
 */
import { describe, expect, it } from 'vitest';
import { Socket } from '../../src/sim/socket.js';
import { TimeWaitTable } from '../../src/sim/timeWaitTable.js';

const SERVER = { addr: '127.0.0.1', port: 8888 };

/** A socket as if in TIME_WAIT, its fields all different and derived from `n`. */
function socketNumber(n: number, role: Socket['role'] = 'client'): Socket {
  const sock = new Socket(1000 + n, n % 7, n % 5, { addr: '127.0.0.2', port: 30000 + n }, SERVER, 2000 + n, role, 0);
  sock.leaf = 9;
  sock.tcb.sndNxt = 0xfffffff0 + (n % 16);
  sock.tcb.rcvNxt = 0x80000000 + n;
  sock.lastReceived = 60_000_000 + n;
  sock.twoMslTimer = 500 + n;
  return sock;
}

/** Every column of row `row`, as an object. */
function rowOf(table: TimeWaitTable, row: number) {
  return {
    id: table.id[row],
    host: table.host[row],
    process: table.process[row],
    leaf: table.leaf[row],
    localPort: table.localPort[row],
    remote: table.remote[row],
    conn: table.conn[row],
    role: table.role(row),
    sndNxt: table.sndNxt[row],
    rcvNxt: table.rcvNxt[row],
    lastReceived: table.lastReceived[row],
    twoMsl: table.twoMsl[row],
  };
}

/** What a row must hold for socketNumber(n). */
function expected(n: number, role: Socket['role'] = 'client') {
  return {
    id: 1000 + n,
    host: n % 7,
    process: n % 5,
    leaf: 9,
    localPort: 30000 + n,
    remote: SERVER,
    conn: 2000 + n,
    role,
    sndNxt: 0xfffffff0 + (n % 16),
    rcvNxt: 0x80000000 + n,
    lastReceived: 60_000_000 + n,
    twoMsl: 500 + n,
  };
}

describe('the TIME_WAIT table', () => {
  it('keeps what TIME_WAIT needs of a socket: identity, 4-tuple, SND.NXT and RCV.NXT above 2^31, the last arrival and the 2MSL expiry', () => {
    const table = new TimeWaitTable();
    const rows = (['client', 'server', 'listener'] as const).map((role, n) => table.add(socketNumber(n, role)));
    expect(rows).toEqual([0, 1, 2]);
    rows.forEach((row, n) => expect(rowOf(table, row)).toEqual(expected(n, (['client', 'server', 'listener'] as const)[n])));
    expect(table.size).toBe(3);
  });

  it('reuses the row freed last first, and lets go of its endpoint', () => {
    const table = new TimeWaitTable();
    for (let n = 0; n < 4; n++) table.add(socketNumber(n));
    table.remove(1);
    table.remove(3);
    expect(table.remote[1]).toBeUndefined();
    expect(table.size).toBe(2);
    expect(table.add(socketNumber(10))).toBe(3);
    expect(table.add(socketNumber(11))).toBe(1);
    expect(table.add(socketNumber(12))).toBe(4);
    expect(rowOf(table, 1)).toEqual(expected(11));
    expect(rowOf(table, 0)).toEqual(expected(0));
  });

  it('grows past its first 1,024 rows and twice more with every column intact', () => {
    const table = new TimeWaitTable();
    const n = 5000;
    for (let i = 0; i < n; i++) expect(table.add(socketNumber(i))).toBe(i);
    expect(table.size).toBe(n);
    expect(table.id.length).toBeGreaterThanOrEqual(n);
    for (const i of [0, 1023, 1024, 2047, 2048, 4095, 4096, n - 1]) expect(rowOf(table, i)).toEqual(expected(i));
  });
});
