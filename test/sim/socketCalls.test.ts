/**
 * The socket calls one by one, as a program sees them: EBADF on an fd that is not open, the
 * errno each call gives in each state, what read() takes for each amount, how write() cuts data
 * into segments, what close() of a listener does to the connections nobody accepted, exit(),
 * and the trace line each call leaves.
 */
import { describe, expect, it } from 'vitest';
import { ACK, PSH, RST } from '../../src/model/segment.js';
import { TIMER_SLOTS } from '../../src/sim/socket.js';
import type { TraceEvent } from '../../src/sim/trace.js';
import { World } from '../../src/sim/world.js';
import { connectedPair, LINUX_EXACT, listeningPair, MS, SECOND } from './pair.js';

type Call = Extract<TraceEvent, { kind: 'call' }>;

/** The calls `process` made, as `call → result`. */
function calls(world: World, process: string): string[] {
  return world
    .trace()
    .events.filter((e): e is Call => e.kind === 'call' && e.process === process)
    .map((e) => `${e.call} → ${e.result}`);
}

/** The state changes of socket `id` with what caused each. */
function causes(world: World, id: number): string[] {
  return world
    .trace()
    .events.filter((e) => e.kind === 'state' && e.socket === id)
    .map((e) => (e.kind === 'state' ? `${e.to} by ${e.cause.by === 'call' ? e.cause.call : e.cause.by}` : ''));
}

describe('a call on an fd that is not open', () => {
  it('answers EBADF and counts nothing', () => {
    const { world, client } = connectedPair();
    const FREE = 30;
    expect([
      world.write(client, FREE, 'x'),
      world.read(client, FREE, { kind: 'eof' }),
      world.shutdown(client, FREE),
      world.setKeepalive(client, FREE, { idle: SECOND, interval: SECOND, probes: 3 }),
      world.connectOutcome(client, FREE),
      world.close(client, FREE),
      world.abort(client, FREE),
      world.openFile(9, 'pipe'),
      world.connect(9, '127.0.0.1', 8888),
      world.listen(9, 80, 8),
      world.accept(9, 3),
    ]).toEqual(Array(11).fill('EBADF'));
    world.waitOn(client, FREE, { wake: () => expect.unreachable() });
    world.exit(9);
    expect(world.errors(client).EBADF).toBe(0);
  });
});

describe('openFile', () => {
  it('takes the lowest free fd, fd 0 included, and fails with EMFILE (a socket() call) at the limit', () => {
    const world = new World({ profile: LINUX_EXACT, seed: 1, network: { latency: MS, jitter: 0, loss: 0, duplicate: 0, reorder: 0 }, trace: true });
    const host = world.addHost('h', '127.0.0.1');
    const p = world.addProcess({ name: 'p', host, nofile: 2, baselineFds: 0 });
    expect([world.openFile(p, 'a'), world.openFile(p, 'b'), world.openFile(p, 'c')]).toEqual([0, 1, 'EMFILE']);
    expect(world.errors(p).EMFILE).toBe(1);
    expect(calls(world, 'p')).toEqual(['socket → EMFILE']);
    // closing a file is not a socket call: no trace line, no state
    expect(world.close(p, 0)).toBe(0);
    expect(world.close(p, 0)).toBe('EBADF');
    expect(calls(world, 'p')).toEqual(['socket → EMFILE']);
    expect(world.openFile(p, 'd')).toBe(0);
  });
});

describe('write', () => {
  it('before the handshake completes: ENOTCONN; after shutdown: EPIPE; each counted and traced', () => {
    const { world, client, server, listenFd } = listeningPair(8, true);
    const fd = world.connect(client, '127.0.0.1', 8888) as number;
    expect(world.write(client, fd, 'early')).toBe('ENOTCONN');
    expect(world.shutdown(client, fd)).toBe('ENOTCONN');
    expect(world.connectOutcome(client, fd)).toBe('pending');
    while (world.heldSegments().length > 0) world.deliverHeld(0);
    expect(world.connectOutcome(client, fd)).toBe('connected');
    expect(world.shutdown(client, fd)).toBe(0);
    expect(world.write(client, fd, 'late')).toBe('EPIPE');
    expect(world.errors(client)).toMatchObject({ ENOTCONN: 2, EPIPE: 1 });
    expect(calls(world, 'client').slice(1)).toEqual(['write → ENOTCONN', 'shutdown → ENOTCONN', 'shutdown → 0', 'write → EPIPE']);
    const id = world.socketView(client, fd)!.id;
    expect(causes(world, id)).toEqual(['SYN_SENT by connect', 'ESTABLISHED by segment', 'FIN_WAIT_1 by shutdown']);
    expect(world.accept(server, listenFd)).toBeTypeOf('number');
  });

  it('in CLOSE_WAIT is allowed, and so is shutdown', () => {
    const pair = connectedPair();
    pair.world.close(pair.client, pair.clientFd);
    pair.advance(100 * MS);
    expect(pair.states().server).toBe('CLOSE_WAIT');
    expect(pair.world.write(pair.server, pair.serverFd, 'bye\n')).toBe(4);
    expect(pair.world.shutdown(pair.server, pair.serverFd)).toBe(0);
    expect(pair.states().server).toBe('LAST_ACK');
  });

  it('after a reset: the error once (ECONNRESET), then EPIPE', () => {
    const pair = connectedPair();
    pair.world.abort(pair.server, pair.serverFd);
    pair.advance(10 * MS);
    expect(pair.world.write(pair.client, pair.clientFd, 'a')).toBe('ECONNRESET');
    expect(pair.world.write(pair.client, pair.clientFd, 'b')).toBe('EPIPE');
    expect(pair.world.write(pair.client, pair.clientFd, 'c')).toBe('EPIPE');
    expect(pair.world.connectOutcome(pair.client, pair.clientFd)).toBe('ECONNRESET');
    expect(calls(pair.world, 'client').slice(-3)).toEqual(['write → ECONNRESET', 'write → EPIPE', 'write → EPIPE']);
  });

  it('cuts data into MSS-sized segments, pushes only the last, and sends nothing for an empty write', () => {
    const world = new World({ profile: LINUX_EXACT, seed: 1, network: { latency: MS, jitter: 0, loss: 0, duplicate: 0, reorder: 0 }, trace: true, mss: 4 });
    const host = world.addHost('h', '127.0.0.1');
    const server = world.addProcess({ name: 'server', host, nofile: 16, baselineFds: 3 });
    const client = world.addProcess({ name: 'client', host, nofile: 16, baselineFds: 3 });
    const listenFd = world.listen(server, 80, 8) as number;
    const fd = world.connect(client, '127.0.0.1', 80) as number;
    world.runUntil(10 * MS);
    const serverFd = world.accept(server, listenFd) as number;
    const id = world.socketView(client, fd)!.id;
    const sent = () =>
      world
        .trace()
        .events.filter((e) => e.kind === 'send' && e.socket === id && e.segment.payload !== '')
        .map((e) => (e.kind === 'send' ? [e.segment.flags, e.segment.payload] : []));
    expect(world.write(client, fd, '')).toBe(0);
    expect(sent()).toEqual([]);
    expect(world.write(client, fd, 'abcdefghij')).toBe(10);
    expect(sent()).toEqual([
      [ACK, 'abcd'],
      [ACK, 'efgh'],
      [PSH | ACK, 'ij'],
    ]);
    // exactly one MSS: one segment, and no empty one after it
    const sends = () => world.trace().events.filter((e) => e.kind === 'send' && e.socket === id).length;
    const before = sends();
    expect(world.write(client, fd, 'wxyz')).toBe(4);
    expect(sent().at(-1)).toEqual([PSH | ACK, 'wxyz']);
    expect(sends() - before).toBe(1);
    world.runUntil(20 * MS);
    expect(world.read(server, serverFd, { kind: 'bytes', count: 14 })).toEqual({ data: 'abcdefghijwxyz', eof: false });
    expect(calls(world, 'client').slice(1)).toEqual(['write → 0', 'write → 10', 'write → 4']);
  });
});

describe('read', () => {
  /** A pair where the client has sent `data`, arrived at the server. */
  function sent(data: string) {
    const pair = connectedPair();
    pair.world.write(pair.client, pair.clientFd, data);
    pair.advance(10 * MS);
    return pair;
  }

  it('a line: up to and including the first newline, an empty line too; none yet: would block', () => {
    const { world, server, serverFd } = sent('\nab\ncd');
    expect(world.read(server, serverFd, { kind: 'line' })).toEqual({ data: '\n', eof: false });
    expect(world.read(server, serverFd, { kind: 'line' })).toEqual({ data: 'ab\n', eof: false });
    expect(world.read(server, serverFd, { kind: 'line' })).toBeNull();
    expect(world.read(server, serverFd, { kind: 'bytes', count: 2 })).toEqual({ data: 'cd', eof: false });
    expect(calls(world, 'server').slice(-3)).toEqual(['read → 1', 'read → 3', 'read → 2']);
  });

  it('bytes: exactly that many once they have arrived; upTo: whatever has arrived, at most that many', () => {
    const { world, server, serverFd } = sent('abcdef');
    expect(world.read(server, serverFd, { kind: 'bytes', count: 7 })).toBeNull();
    expect(world.read(server, serverFd, { kind: 'upTo', count: 4 })).toEqual({ data: 'abcd', eof: false });
    expect(world.read(server, serverFd, { kind: 'upTo', count: 4 })).toEqual({ data: 'ef', eof: false });
    expect(world.read(server, serverFd, { kind: 'upTo', count: 4 })).toBeNull();
    expect(world.read(server, serverFd, { kind: 'bytes', count: 1 })).toBeNull();
  });

  it('at EOF: what is left, whatever the amount, then empty reads with eof', () => {
    const pair = sent('tail');
    pair.world.close(pair.client, pair.clientFd);
    pair.advance(10 * MS);
    const { world, server, serverFd } = pair;
    expect(world.read(server, serverFd, { kind: 'line' })).toEqual({ data: 'tail', eof: true });
    expect(world.read(server, serverFd, { kind: 'bytes', count: 3 })).toEqual({ data: '', eof: true });
    expect(world.read(server, serverFd, { kind: 'eof' })).toEqual({ data: '', eof: true });
    expect(calls(world, 'server').slice(-3)).toEqual(['read → 4+EOF', 'read → 0+EOF', 'read → 0+EOF']);
  });

  it('eof before EOF: drains what has arrived without saying eof; with nothing there, would block', () => {
    const { world, server, serverFd } = sent('part');
    expect(world.read(server, serverFd, { kind: 'eof' })).toEqual({ data: 'part', eof: false });
    expect(world.read(server, serverFd, { kind: 'eof' })).toBeNull();
  });

  it('after a reset: the data that arrived first, then ECONNRESET once, then end of stream', () => {
    const pair = sent('kept');
    pair.world.abort(pair.client, pair.clientFd);
    pair.advance(10 * MS);
    const { world, server, serverFd } = pair;
    expect(pair.states().server).toBe('CLOSED');
    expect(world.read(server, serverFd, { kind: 'line' })).toEqual({ data: 'kept', eof: true });
    expect(world.read(server, serverFd, { kind: 'line' })).toBe('ECONNRESET');
    expect(world.read(server, serverFd, { kind: 'line' })).toEqual({ data: '', eof: true });
    expect(world.errors(server).ECONNRESET).toBe(1);
  });

  it('after a reset, a read that leaves data behind does not say eof yet', () => {
    const pair = sent('kept');
    pair.world.abort(pair.client, pair.clientFd);
    pair.advance(10 * MS);
    const { world, server, serverFd } = pair;
    expect(world.read(server, serverFd, { kind: 'bytes', count: 2 })).toEqual({ data: 'ke', eof: false });
    expect(world.read(server, serverFd, { kind: 'bytes', count: 2 })).toEqual({ data: 'pt', eof: true });
  });

  it('after a reset whose error a write took: the data that arrived first is still read, then end of stream', () => {
    const pair = sent('kept');
    pair.world.abort(pair.client, pair.clientFd);
    pair.advance(10 * MS);
    const { world, server, serverFd } = pair;
    expect(world.write(server, serverFd, 'x')).toBe('ECONNRESET');
    expect(world.read(server, serverFd, { kind: 'line' })).toEqual({ data: 'kept', eof: true });
    expect(world.read(server, serverFd, { kind: 'line' })).toEqual({ data: '', eof: true });
  });

  it('on a socket closed without an error (a timed-out FIN_WAIT_2 peer’s RST aside): end of stream', () => {
    const pair = connectedPair();
    pair.world.close(pair.server, pair.serverFd);
    pair.advance(100 * MS);
    pair.world.close(pair.client, pair.clientFd);
    pair.advance(10 * MS);
    // the server's socket went through FIN_WAIT_2 to TIME_WAIT; the client's is CLOSED, its fd gone
    expect(pair.world.read(pair.client, pair.clientFd, { kind: 'eof' })).toBe('EBADF');
  });

  it('reading from a full receive buffer after a reset sends nothing: there is no connection to tell', () => {
    const pair = connectedPair({ profile: { ...LINUX_EXACT, rcvBuf: 8 } });
    const { world, client, server, serverFd } = pair;
    world.write(client, pair.clientFd, '0123456789');
    pair.advance(10 * MS);
    world.abort(client, pair.clientFd);
    pair.advance(10 * MS);
    expect(pair.states().server).toBe('CLOSED');
    const sentBefore = pair.sends('server').length;
    expect(world.read(server, serverFd, { kind: 'upTo', count: 100 })).toEqual({ data: '01234567', eof: true });
    expect(pair.sends('server').length).toBe(sentBefore);
  });

  it('reading from a full receive buffer reopens the window with an ACK at once; reading from one with room does not', () => {
    const profile = { ...LINUX_EXACT, rcvBuf: 8 };
    const pair = connectedPair({ profile });
    const { world, client, server, serverFd } = pair;
    world.write(client, pair.clientFd, '0123456789');
    pair.advance(10 * MS);
    // the window closed at 8 bytes
    expect(world.read(server, serverFd, { kind: 'upTo', count: 100 })).toEqual({ data: '01234567', eof: false });
    const acks = () => pair.sends('server').filter((s) => s.flags === ACK && s.payload === '').map((s) => s.at);
    const updateAt = world.now;
    expect(acks()).toContain(updateAt);
    // a window update is new information, not a retransmission
    expect(world.trace().events.filter((e) => e.kind === 'send' && e.at === updateAt && e.retransmission)).toEqual([]);
    pair.advance(300 * MS);
    const before = acks().length;
    expect(world.read(server, serverFd, { kind: 'upTo', count: 1 })).toEqual({ data: '8', eof: false });
    expect(acks().length).toBe(before);
    expect(acks().filter((at) => at === world.now)).toEqual([]);
  });
});

describe('shutdown and close', () => {
  it('shutdown keeps the fd and the read side; the state change names the call', () => {
    const pair = connectedPair();
    const { world, client, clientFd, server, serverFd } = pair;
    expect(world.shutdown(client, clientFd)).toBe(0);
    world.write(server, serverFd, 'after\n');
    pair.advance(100 * MS);
    expect(world.read(client, clientFd, { kind: 'line' })).toEqual({ data: 'after\n', eof: false });
    expect(world.shutdown(client, clientFd)).toBe('ENOTCONN');
    expect(calls(world, 'client').slice(-2)).toEqual(['read → 6', 'shutdown → ENOTCONN']);
    expect(causes(world, world.socketView(client, clientFd)!.id).slice(-2)).toEqual(['FIN_WAIT_1 by shutdown', 'FIN_WAIT_2 by segment']);
  });

  it('close and abort name themselves in the trace and in the state change they cause', () => {
    const pair = connectedPair();
    const { world, client, clientFd, server, serverFd } = pair;
    const ids = { client: world.socketView(client, clientFd)!.id, server: world.socketView(server, serverFd)!.id };
    world.close(client, clientFd);
    world.abort(server, serverFd);
    expect(calls(world, 'client').at(-1)).toBe('close → 0');
    expect(calls(world, 'server').at(-1)).toBe('abort → 0');
    expect(causes(world, ids.client).at(-1)).toBe('FIN_WAIT_1 by close');
    expect(causes(world, ids.server).at(-1)).toBe('CLOSED by abort');
  });

  it('closing an fd whose socket is already CLOSED forgets the socket', () => {
    const pair = connectedPair();
    pair.world.abort(pair.server, pair.serverFd);
    pair.advance(10 * MS);
    const id = pair.world.socketView(pair.client, pair.clientFd)!.id;
    expect(pair.world.sockets().some((s) => s.id === id)).toBe(true);
    expect(pair.world.close(pair.client, pair.clientFd)).toBe(0);
    expect(pair.world.sockets().some((s) => s.id === id)).toBe(false);
  });

  it('closing a listener resets the connections nobody accepted, handshakes still in progress too', () => {
    const { world, server, client, listenFd } = listeningPair(8, true);
    const queued = [world.connect(client, '127.0.0.1', 8888) as number, world.connect(client, '127.0.0.1', 8888) as number];
    // two handshakes complete (queued), a third stops at SYN_RECEIVED (its final ACK held)
    while (world.heldSegments().length > 0) world.deliverHeld(0);
    const half = world.connect(client, '127.0.0.1', 8888) as number;
    world.deliverHeld(0);
    world.deliverHeld(0);
    expect(world.heldSegments().map((h) => h.segment.flags)).toEqual([ACK]);
    expect(world.pendingConnections(server, listenFd)).toBe(2);
    const before = world.trace().events.length;
    expect(world.close(server, listenFd)).toBe(0);
    const after = world.trace().events.slice(before);
    const resets = after.filter((e) => e.kind === 'send' && e.segment.flags & RST);
    expect(resets).toHaveLength(3);
    expect(after.filter((e) => e.kind === 'state').map((e) => (e.kind === 'state' ? `${e.from}→${e.to} by ${e.cause.by === 'call' ? e.cause.call : ''}` : ''))).toEqual([
      'ESTABLISHED→CLOSED by close',
      'ESTABLISHED→CLOSED by close',
      'SYN_RECEIVED→CLOSED by close',
      'LISTEN→CLOSED by close',
    ]);
    expect(world.pendingConnections(server, listenFd)).toBe(0);
    expect(world.stateCounts(server)).toEqual({});
    while (world.heldSegments().length > 0) world.deliverHeld(0);
    expect([...queued, half].map((fd) => world.connectOutcome(client, fd))).toEqual(['ECONNRESET', 'ECONNRESET', 'ECONNRESET']);
  });
});

describe('exit', () => {
  it('closes every fd, lowest first, once; a second exit does nothing; an exited process makes no calls', () => {
    const pair = connectedPair();
    const { world, server, listenFd, serverFd } = pair;
    world.exit(server);
    world.exit(server);
    expect(calls(world, 'server').slice(-3)).toEqual(['exit → 0', `close → 0`, `close → 0`]);
    expect(
      world
        .trace()
        .events.filter((e) => e.kind === 'call' && e.process === 'server' && e.call === 'close')
        .map((e) => (e.kind === 'call' ? e.socket : null)),
    ).toHaveLength(2);
    expect([listenFd, serverFd].map((fd) => world.socketView(server, fd))).toEqual([undefined, undefined]);
    expect(world.exited(server)).toBe(true);
    expect(world.fdsInUse(server)).toBe(3);
    expect(world.listen(server, 9000, 8)).toBe('EBADF');
    expect(world.connect(server, '127.0.0.1', 8888)).toBe('EBADF');
  });
});

describe('setKeepalive', () => {
  const OPTIONS = { idle: 10 * SECOND, interval: SECOND, probes: 2 };

  it('counts idle time from the last segment received, not from the call', () => {
    const pair = connectedPair();
    pair.advance(4 * SECOND);
    expect(pair.world.setKeepalive(pair.client, pair.clientFd, OPTIONS)).toBe(0);
    pair.world.runUntil(2 * MS + 10 * SECOND);
    // the last segment the client received, the SYN,ACK, arrived at 2 ms: the first probe 10 s later, not 10 s after the call
    expect(pair.probes('client')[0]).toBe(2 * MS + 10 * SECOND);
    // and the timer was set for then: it expired once, not early and again
    expect(pair.world.expiries[TIMER_SLOTS.indexOf('keepalive')]).toBe(1);
  });

  it('idle already past: the first probe at once', () => {
    const pair = connectedPair();
    pair.advance(20 * SECOND);
    const at = pair.world.now;
    pair.world.setKeepalive(pair.client, pair.clientFd, OPTIONS);
    pair.advance(MS);
    expect(pair.probes('client')).toEqual([at]);
    // a probe is a new segment (SEG.SEQ = SND.UNA − 1), not a retransmission
    const probe = pair.world.trace().events.find((e) => e.kind === 'send' && e.at === at);
    expect(probe?.kind === 'send' && probe.retransmission).toBe(false);
  });

  it('null turns it off; on a listener or a CLOSED socket it arms nothing', () => {
    const pair = connectedPair();
    pair.world.setKeepalive(pair.client, pair.clientFd, OPTIONS);
    pair.world.setKeepalive(pair.client, pair.clientFd, null);
    expect(pair.world.setKeepalive(pair.server, pair.listenFd, OPTIONS)).toBe(0);
    pair.advance(60 * SECOND);
    expect(pair.probes('client')).toEqual([]);
    expect(pair.world.expiries[TIMER_SLOTS.indexOf('keepalive')]).toBe(0);

    const reset = connectedPair();
    reset.world.abort(reset.server, reset.serverFd);
    reset.advance(10 * MS);
    expect(reset.world.setKeepalive(reset.client, reset.clientFd, OPTIONS)).toBe(0);
    reset.advance(60 * SECOND);
    expect([reset.probes('client'), reset.world.expiries[TIMER_SLOTS.indexOf('keepalive')]]).toEqual([[], 0]);
  });
});

describe('failures in the trace, and connection numbers', () => {
  it('each failing call names itself: listen EADDRINUSE and EMFILE, connect EADDRNOTAVAIL, accept EMFILE', () => {
    const world = new World({
      profile: { ...LINUX_EXACT, ephemeralPorts: [40_000, 40_000] },
      seed: 1,
      network: { latency: MS, jitter: 0, loss: 0, duplicate: 0, reorder: 0 },
      trace: true,
    });
    const host = world.addHost('h', '127.0.0.1');
    const p = world.addProcess({ name: 'p', host, nofile: 5, baselineFds: 3 });
    const listenFd = world.listen(p, 80, 8) as number;
    expect(world.listen(p, 80, 8)).toBe('EADDRINUSE');
    expect(world.connect(p, '127.0.0.1', 80)).toBe(4);
    expect(world.listen(p, 81, 8)).toBe('EMFILE');
    world.runUntil(10 * MS);
    expect(world.accept(p, listenFd)).toBe('EMFILE');
    world.close(p, 4);
    expect(world.connect(p, '127.0.0.1', 80)).toBe('EADDRNOTAVAIL');
    expect(calls(world, 'p')).toEqual([
      'listen → 3',
      'listen → EADDRINUSE',
      'connect → 4',
      'listen → EMFILE',
      'accept → EMFILE',
      'close → 0',
      'connect → EADDRNOTAVAIL',
    ]);
  });

  it('connections are numbered in connect order unless the caller names the number; later ones follow the largest', () => {
    const { world, client } = listeningPair(8);
    const conns = [world.connect(client, '127.0.0.1', 8888), world.connect(client, '127.0.0.1', 8888, 7), world.connect(client, '127.0.0.1', 8888, 3), world.connect(client, '127.0.0.1', 8888)].map(
      (fd) => world.socketView(client, fd as number)!.conn,
    );
    expect(conns).toEqual([0, 7, 3, 8]);
  });

  it('close on a process that does not exist: EBADF', () => {
    const { world } = listeningPair(8);
    expect([world.close(9, 3), world.abort(9, 3)]).toEqual(['EBADF', 'EBADF']);
  });
});

describe('libuv’s EMFILE trick (acceptAndDrop)', () => {
  it('accepts the oldest waiting connection and closes it at once — with RST when it had unread data — and says false when none waits', () => {
    const { world, server, client, listenFd } = listeningPair(8);
    const quiet = world.connect(client, '127.0.0.1', 8888) as number;
    const talker = world.connect(client, '127.0.0.1', 8888) as number;
    world.runUntil(10 * MS);
    world.write(client, talker, 'unread');
    world.runUntil(20 * MS);
    expect([world.acceptAndDrop(server, listenFd), world.acceptAndDrop(server, listenFd), world.acceptAndDrop(server, listenFd)]).toEqual([true, true, false]);
    expect(world.acceptAndDrop(server, 40)).toBe(false);
    expect(world.acceptAndDrop(9, listenFd)).toBe(false);
    expect(calls(world, 'server').slice(1)).toEqual(['close → emfile-trick', 'close → emfile-trick']);
    expect(world.errors(server).EMFILE).toBe(2);
    const errors = world.trace().events.filter((e) => e.kind === 'error' && e.process === 'server');
    expect(errors.map((e) => e.kind === 'error' && [e.errno, e.socket])).toEqual([
      ['EMFILE', world.socketView(server, listenFd)!.id],
      ['EMFILE', world.socketView(server, listenFd)!.id],
    ]);
    world.runUntil(100 * MS);
    // the quiet one got a FIN (the client is in CLOSE_WAIT), the one with unread data a RST
    expect([world.stateOf(client, quiet), world.stateOf(client, talker)]).toEqual(['CLOSE_WAIT', 'CLOSED']);
    const causes = world
      .trace()
      .events.filter((e) => e.kind === 'state' && e.cause.by === 'call' && e.cause.call === 'close')
      .map((e) => (e.kind === 'state' ? `${e.from}→${e.to}` : ''));
    expect(causes).toEqual(['ESTABLISHED→FIN_WAIT_1', 'ESTABLISHED→CLOSED']);
  });
});
