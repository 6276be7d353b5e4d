import { describe, expect, it } from 'vitest';
import { LINUX } from '../../src/model/profile.js';
import { World } from '../../src/sim/world.js';
import { LINUX_EXACT, MS, SECOND, listeningPair } from './pair.js';


describe('LISTEN and SYN_SENT', () => {
  it('a full accept queue drops the SYN: the client stays in SYN_SENT, then connects once space frees', () => {
    const { world, server, client, listenFd } = listeningPair(0); // Linux admits backlog + 1
    const first = world.connect(client, '127.0.0.1', 8888) as number;
    world.runUntil(10 * MS);
    expect(world.connectOutcome(client, first)).toBe('connected');
    const second = world.connect(client, '127.0.0.1', 8888) as number;
    world.runUntil(500 * MS);
    expect(world.stateOf(client, second)).toBe('SYN_SENT');
    expect(world.synDrops).toBe(1);
    // a SYN dropped for a full accept queue is a listen overflow (Linux LINUX_MIB_LISTENOVERFLOWS), traced as such
    expect(world.listenOverflows).toBe(1);
    expect(world.trace().events.filter((e) => e.kind === 'drop').map((e) => e.kind === 'drop' && e.reason)).toEqual(['backlog-full']);
    expect(world.accept(server, listenFd)).toBeTypeOf('number');
    // the SYN is retransmitted 1 s after the first; now there is room
    world.runUntil(10 * MS + SECOND + 3 * MS);
    expect(world.connectOutcome(client, second)).toBe('connected');
  });

  it('a server blocked in accept() wakes the scheduler\'s wake-up latency after the handshake completes, not before', () => {
    const world = new World({ profile: { ...LINUX_EXACT, wakeLatency: 250 }, seed: 3, network: { latency: MS, jitter: 0, loss: 0, duplicate: 0, reorder: 0 }, trace: true });
    const host = world.addHost('localhost', '127.0.0.1');
    const server = world.addProcess({ name: 'server', host, nofile: 64, baselineFds: 3 });
    const client = world.addProcess({ name: 'client', host, nofile: 64, baselineFds: 3 });
    const listenFd = world.listen(server, 8888, 8) as number;
    const woken: number[] = [];
    world.waitOn(server, listenFd, { wake: () => woken.push(world.now) });
    world.connect(client, '127.0.0.1', 8888);
    world.runUntil(10 * MS);
    // the SYN arrives at 1 ms, the SYN,ACK at 2 ms, the ACK that completes the handshake at 3 ms: woken 250 µs later
    const established = world.trace().events.find((e) => e.kind === 'state' && e.to === 'ESTABLISHED' && world.trace().sockets.find((s) => s.id === e.socket)?.role === 'server');
    expect(established?.at).toBe(3 * MS);
    expect(woken).toEqual([3 * MS + 250]);
  });

  // measured on this kind of machine (kernel 6.18, tcp_syn_retries 6, tcp_syn_linear_timeouts 4):
  // connect() to a full accept queue failed with ETIMEDOUT after 131 s — docs/real-mode-facts.md
  it('a SYN that is never admitted fails with ETIMEDOUT after 4 linear and 6 doubling retries (1+1+1+1+1+2+4+8+16+32+64 = 131 s)', () => {
    const { world, client } = listeningPair(0);
    world.connect(client, '127.0.0.1', 8888);
    world.runUntil(10 * MS);
    const t0 = world.now;
    const stuck = world.connect(client, '127.0.0.1', 8888) as number;
    world.runUntil(t0 + 131 * SECOND - 1);
    expect(world.connectOutcome(client, stuck)).toBe('pending');
    world.runUntil(t0 + 131 * SECOND);
    expect(world.connectOutcome(client, stuck)).toBe('ETIMEDOUT');
    expect(world.synDrops).toBe(1 + LINUX.synRetries + LINUX.synLinearTimeouts);
    expect(world.errors(client).ETIMEDOUT).toBe(1);
  });

  it('a SYN to a port nobody listens on is answered with RST: ECONNREFUSED', () => {
    const { world, client } = listeningPair(8);
    const fd = world.connect(client, '127.0.0.1', 9999) as number;
    world.runUntil(10 * MS);
    expect(world.connectOutcome(client, fd)).toBe('ECONNREFUSED');
  });
});

describe('the fd table', () => {
  function server(nofile: number) {
    const world = new World({ profile: LINUX_EXACT, seed: 3, network: { latency: MS, jitter: 0, loss: 0, duplicate: 0, reorder: 0 } });
    const host = world.addHost('localhost', '127.0.0.1');
    const srv = world.addProcess({ name: 'server', host, nofile, baselineFds: 3 });
    const cli = world.addProcess({ name: 'client', host, nofile: 1000, baselineFds: 3 });
    const listenFd = world.listen(srv, 8888, 100) as number;
    return { world, srv, cli, listenFd };
  }

  it('accept() fails with EMFILE exactly when open fds reach nofile, and the connection stays queued', () => {
    const { world, srv, cli, listenFd } = server(10);
    for (let i = 0; i < 8; i++) world.connect(cli, '127.0.0.1', 8888);
    world.runUntil(10 * MS);
    const accepted: number[] = [];
    for (;;) {
      const fd = world.accept(srv, listenFd);
      if (typeof fd !== 'number') {
        expect(fd).toBe('EMFILE');
        break;
      }
      accepted.push(fd);
    }
    expect(accepted).toEqual([4, 5, 6, 7, 8, 9]); // 0–2 baseline, 3 the listener: lowest free fd first
    expect(world.fdsInUse(srv)).toBe(10);
    expect(world.errors(srv).EMFILE).toBe(1);
    // closing one frees its fd at once, and the queued connection can be accepted into it
    world.close(srv, 6);
    expect(world.accept(srv, listenFd)).toBe(6);
  });

  it('connect() fails with EADDRNOTAVAIL when every ephemeral port towards the destination is taken, TIME_WAIT included', () => {
    const world = new World({ profile: { ...LINUX_EXACT, ephemeralPorts: [40000, 40002] }, seed: 3, network: { latency: MS, jitter: 0, loss: 0, duplicate: 0, reorder: 0 } });
    const host = world.addHost('localhost', '127.0.0.1');
    const srv = world.addProcess({ name: 'server', host, nofile: 64, baselineFds: 3 });
    const cli = world.addProcess({ name: 'client', host, nofile: 64, baselineFds: 3 });
    const listenFd = world.listen(srv, 8888, 8) as number;
    const fds = [0, 1, 2].map(() => world.connect(cli, '127.0.0.1', 8888) as number);
    world.runUntil(10 * MS);
    for (const fd of fds) world.close(cli, fd);
    for (let i = 0; i < 3; i++) world.close(srv, world.accept(srv, listenFd) as number);
    world.runUntil(20 * MS);
    expect(world.stateCounts(cli)).toEqual({ TIME_WAIT: 3 });
    expect(world.connect(cli, '127.0.0.1', 8888)).toBe('EADDRNOTAVAIL');
    world.runUntil(20 * MS + LINUX.timeWait);
    expect(world.connect(cli, '127.0.0.1', 8888)).toBeTypeOf('number');
  });

  it('connect() fails with EMFILE when the table is full', () => {
    const { world, srv } = server(4); // 3 baseline + the listener
    expect(world.connect(srv, '127.0.0.1', 8888)).toBe('EMFILE');
  });

  it('libuv policy: at the limit the pending connection is accepted and closed at once, with no error to the program', () => {
    const { world, srv, cli, listenFd } = server(5);
    const a = world.connect(cli, '127.0.0.1', 8888) as number;
    const b = world.connect(cli, '127.0.0.1', 8888) as number;
    world.runUntil(10 * MS);
    expect(world.accept(srv, listenFd)).toBe(4);
    expect(world.accept(srv, listenFd)).toBe('EMFILE');
    expect(world.acceptAndDrop(srv, listenFd)).toBe(true);
    world.runUntil(20 * MS);
    expect(world.stateOf(cli, a)).toBe('ESTABLISHED');
    expect(world.stateOf(cli, b)).toBe('CLOSE_WAIT'); // it saw a FIN: it had sent no data
    expect(world.fdsInUse(srv)).toBe(5);
  });

  it('close() frees the fd at once and the kernel keeps the orphaned socket until it reaches CLOSED', () => {
    const { world, srv, cli, listenFd } = server(10);
    const fd = world.connect(cli, '127.0.0.1', 8888) as number;
    world.runUntil(10 * MS);
    world.accept(srv, listenFd);
    world.close(cli, fd);
    expect(world.fdsInUse(cli)).toBe(3);
    world.runUntil(60 * MS); // past the server's delayed ACK of the FIN
    const orphan = world.sockets().find((s) => s.process === 'client')!;
    expect(orphan).toMatchObject({ state: 'FIN_WAIT_2', orphaned: true, fd: -1 });
  });

  it('process exit closes every fd it held', () => {
    const { world, srv, cli, listenFd } = server(10);
    world.connect(cli, '127.0.0.1', 8888);
    world.connect(cli, '127.0.0.1', 8888);
    world.runUntil(10 * MS);
    world.accept(srv, listenFd);
    world.accept(srv, listenFd);
    world.exit(cli);
    world.runUntil(60 * MS); // past the server's delayed ACK of the FIN
    expect(world.fdsInUse(cli)).toBe(3);
    expect(world.stateCounts(cli)).toEqual({ FIN_WAIT_2: 2 });
    expect(world.stateCounts(srv)).toEqual({ LISTEN: 1, CLOSE_WAIT: 2 });
  });
});
