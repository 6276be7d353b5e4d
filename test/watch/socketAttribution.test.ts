/**
 * Whose socket is whose: the kernel's rows sorted into a watched process's own (by the inode of
 * its fds; the fd-less ones by the 4-tuple it held before or by its listening address), its local
 * peers' (the reverse 4-tuple), and nobody's.
 */
import { describe, expect, it } from 'vitest';
import type { TcpState } from '../../src/model/states.js';
import type { SocketRow } from '../../src/real/socketRow.js';
import { SocketAttributor } from '../../src/watch/socketAttribution.js';

const SERVER = 4242;
const LISTEN_AT = { addr: '127.0.0.1', port: 8080 };

function row(state: TcpState, local: [string, number], remote: [string, number], inode: number): SocketRow {
  return { state, local: { addr: local[0], port: local[1] }, remote: { addr: remote[0], port: remote[1] }, recvQ: 0, sendQ: 0, inode };
}

const listener = row('LISTEN', ['127.0.0.1', 8080], ['0.0.0.0', 0], 100);
/** A connection to the server from client port `port`: the server's socket and the client's. */
function connection(state: TcpState, peerState: TcpState, port: number, inode: number, peerInode: number): SocketRow[] {
  return [row(state, ['127.0.0.1', 8080], ['127.0.0.1', port], inode), row(peerState, ['127.0.0.1', port], ['127.0.0.1', 8080], peerInode)];
}

const server = (inodes: number[]) => [{ pid: SERVER, socketInodes: new Set(inodes) }];

describe('a watched server and its local clients', () => {
  it('its sockets by the inodes of its fds; the other ends are its peers; a stranger is nobody’s', () => {
    const a = new SocketAttributor();
    const stranger = row('ESTABLISHED', ['127.0.0.1', 5000], ['127.0.0.1', 5001], 900);
    const { own, peers } = a.attribute([listener, ...connection('CLOSE_WAIT', 'FIN_WAIT_2', 40000, 101, 0), stranger], server([100, 101]));
    expect(own.get(SERVER)?.map((r) => r.state)).toEqual(['LISTEN', 'CLOSE_WAIT']);
    expect(peers.map((r) => [r.state, r.local.port])).toEqual([['FIN_WAIT_2', 40000]]);
  });

  it('a client of its listener is a peer even if the server’s end was never seen (a connection between two samples)', () => {
    const a = new SocketAttributor();
    const clientTimeWait = row('TIME_WAIT', ['127.0.0.1', 40003], ['127.0.0.1', 8080], 0);
    const elsewhere = row('TIME_WAIT', ['127.0.0.1', 40004], ['127.0.0.1', 8081], 0);
    expect(a.attribute([listener, clientTimeWait, elsewhere], server([100])).peers).toEqual([clientTimeWait]);
  });

  it('a socket it closed stays its own without an fd (LAST_ACK, then TIME_WAIT after closing first)', () => {
    const a = new SocketAttributor();
    a.attribute([listener, ...connection('ESTABLISHED', 'ESTABLISHED', 40001, 101, 201)], server([100, 101]));
    // the server closed first: its socket has no fd any more, and it holds TIME_WAIT
    const { own, peers } = a.attribute([listener, ...connection('TIME_WAIT', 'CLOSE_WAIT', 40001, 0, 201)], server([100]));
    expect(own.get(SERVER)?.map((r) => r.state)).toEqual(['LISTEN', 'TIME_WAIT']);
    expect(peers.map((r) => r.state)).toEqual(['CLOSE_WAIT']);
  });

  it('a fd-less socket on its listening address is its own even if never seen before (TIME_WAIT from before the watch, half-open SYN_RECEIVED)', () => {
    const a = new SocketAttributor();
    const before = row('TIME_WAIT', ['127.0.0.1', 8080], ['127.0.0.1', 39999], 0);
    const halfOpen = row('SYN_RECEIVED', ['127.0.0.1', 8080], ['127.0.0.1', 39998], 0);
    const elsewhere = row('TIME_WAIT', ['127.0.0.2', 8080], ['127.0.0.1', 39997], 0);
    const { own } = a.attribute([listener, before, halfOpen, elsewhere], server([100]));
    expect(own.get(SERVER)?.map((r) => r.state)).toEqual(['LISTEN', 'TIME_WAIT', 'SYN_RECEIVED']);
  });

  it('a listener on every address takes fd-less sockets of any local address, IPv4-mapped ones too', () => {
    const a = new SocketAttributor();
    const wildcard = row('LISTEN', ['::', 8888], ['::', 0], 100);
    const mapped = row('TIME_WAIT', ['::ffff:127.0.0.1', 8888], ['::ffff:127.0.0.1', 41000], 0);
    const other = row('TIME_WAIT', ['127.0.0.1', 8889], ['127.0.0.1', 41001], 0);
    expect(a.attribute([wildcard, mapped, other], server([100])).own.get(SERVER)).toEqual([wildcard, mapped]);
  });

  it('a watched client’s peer is the server’s end of its connection, by the reverse 4-tuple', () => {
    const a = new SocketAttributor();
    const out = row('ESTABLISHED', ['127.0.0.1', 45001], ['127.0.0.1', 80], 300);
    const serverEnd = row('ESTABLISHED', ['127.0.0.1', 80], ['127.0.0.1', 45001], 301);
    const otherClient = row('ESTABLISHED', ['127.0.0.1', 80], ['127.0.0.1', 45002], 302);
    expect(a.attribute([out, serverEnd, otherClient], [{ pid: 7, socketInodes: new Set([300]) }]).peers).toEqual([serverEnd]);
  });

  it('a client’s orphaned socket is its own by the 4-tuple it held, until the row is gone', () => {
    const a = new SocketAttributor();
    const client = [{ pid: 7, socketInodes: new Set([300]) }];
    const out = row('ESTABLISHED', ['127.0.0.1', 45000], ['127.0.0.1', 80], 300);
    a.attribute([out], client);
    const orphan = row('FIN_WAIT_2', ['127.0.0.1', 45000], ['127.0.0.1', 80], 0);
    expect(a.attribute([orphan], [{ pid: 7, socketInodes: new Set() }]).own.get(7)).toEqual([orphan]);
    // gone from the table once: forgotten, a later row on the same 4-tuple is a new connection's
    a.attribute([], [{ pid: 7, socketInodes: new Set() }]);
    expect(a.attribute([orphan], [{ pid: 7, socketInodes: new Set() }]).own.get(7)).toEqual([]);
  });

  it('a process whose fds cannot be read gets every row on the ports it listens on', () => {
    const a = new SocketAttributor();
    const rows = [listener, ...connection('CLOSE_WAIT', 'FIN_WAIT_2', 40002, 101, 0)];
    const { own, peers } = a.attribute(rows, [{ pid: SERVER, socketInodes: null, ports: [8080] }]);
    expect(own.get(SERVER)?.map((r) => r.state)).toEqual(['LISTEN', 'CLOSE_WAIT']);
    expect(peers.map((r) => r.state)).toEqual(['FIN_WAIT_2']);
    expect(LISTEN_AT.port).toBe(8080);
  });
});
