/**
 * The scenario programs step by step, as the engine runs them: what a task does when a call
 * fails (connect refused or out of fds, write or read failing), the abort and exit steps,
 * SO_KEEPALIVE from the process spec with the profile's defaults, where connect goes, how
 * client connections are numbered and spread over their ramp, and a listen that fails.
 */
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/index.js';
import type { ProcessSpec } from '../../src/scenario/types.js';
import { buildWorld, simulate } from '../../src/sim/simulate.js';
import { startPrograms } from '../../src/sim/programs.js';
import { TIMER_SLOTS } from '../../src/sim/socket.js';
import type { TraceEvent } from '../../src/sim/trace.js';

function run(yaml: string, name = 'steps.yaml') {
  return simulate(loadScenarioText(yaml, name), { trace: true });
}

/** The calls `process` made, as `call → result`. */
function calls(r: ReturnType<typeof run>, process: string): string[] {
  return r.world
    .trace()
    .events.filter((e): e is Extract<TraceEvent, { kind: 'call' }> => e.kind === 'call' && e.process === process)
    .map((e) => `${e.call} → ${e.result}`);
}

describe('a client task', () => {
  it('connect refused: closes its fd and ends; the rest of its steps never run', () => {
    const r = run(`processes:
  server: { listen: 80, onConnection: [ close ] }
  client: { connections: 1, steps: [ { connect: "127.0.0.1:81" }, { write: "x" }, close ] }
sample: { every: 1s, until: 2s }
`);
    expect(calls(r, 'client')).toEqual(['connect → 3', 'connect → ECONNREFUSED', 'close → 0']);
    expect(r.final.errors.ECONNREFUSED).toBe(1);
    expect(r.final.fds['client']).toBe(3);
  });

  it('connect out of fds: ends at once, with nothing to close', () => {
    const r = run(`processes:
  server: { listen: 80, onConnection: [ { read: eof }, close ] }
  client: { nofile: 4, connections: 2, steps: [ { connect: server }, { sleep: 5s }, close ] }
sample: { every: 1s, until: 10s }
`);
    expect(calls(r, 'client')).toEqual(['connect → 3', 'connect → EMFILE', 'close → 0']);
    expect(r.final.fds['client']).toBe(3);
  });

  it('a write or read that fails ends the task where it stands, fd open', () => {
    const r = run(`processes:
  server: { listen: 80, onConnection: [ abort ] }
  client: { connections: 1, steps: [ { connect: server }, { sleep: 1s }, { read: line }, { write: "x" }, close ] }
  writer: { connections: 1, steps: [ { connect: server }, { sleep: 1s }, { write: "a" }, { write: "b" }, close ] }
sample: { every: 1s, until: 3s }
`);
    expect(calls(r, 'client')).toEqual(['connect → 3', 'read → ECONNRESET']);
    expect(calls(r, 'writer')).toEqual(['connect → 3', 'write → ECONNRESET']);
    expect([r.final.fds['client'], r.final.fds['writer'], r.final.closedFds['client']]).toEqual([4, 4, 1]);
  });

  it('abort resets the connection (no TIME_WAIT); exit ends the process and closes what it holds', () => {
    const r = run(`processes:
  server: { listen: 80, onConnection: [ { read: eof }, close ] }
  aborter: { connections: 1, steps: [ { connect: server }, abort, { write: "never" } ] }
  quitter: { connections: 2, steps: [ { connect: server }, { sleep: 1s }, exit, { write: "never" } ] }
sample: { every: 1s, until: 5s }
`);
    expect(calls(r, 'aborter')).toEqual(['connect → 3', 'abort → 0']);
    expect(calls(r, 'quitter')).toEqual(['connect → 3', 'connect → 4', 'exit → 0', 'close → 0', 'close → 0']);
    expect(r.world.exited(r.world.processIndex('quitter'))).toBe(true);
    // the quitter's two connections closed normally (TIME_WAIT), the aborter's reset
    expect(r.final.byProcess['quitter']).toEqual({ TIME_WAIT: 2 });
    expect(r.final.byProcess['aborter']).toEqual({});
  });

  it('closeWhenDone (python) closes the fd the task still holds when it ends, even after an error', () => {
    const r = run(`processes:
  server: { runtime: python, listen: 80, onConnection: [ { write: "x" }, { read: line } ] }
  client: { connections: 1, steps: [ { connect: server }, { read: 1 }, abort ] }
sample: { every: 1s, until: 2s }
`);
    expect(calls(r, 'server')).toEqual(['listen → 3', 'accept → 4', 'write → 1', 'read → ECONNRESET', 'close → 0']);
    expect(r.final.fds['server']).toBe(4);
  });

  it('closeOnEof (node) closes on EOF and later steps see no socket', () => {
    const r = run(`processes:
  server: { runtime: node, listen: 80, onConnection: [ { read: eof }, { write: "late" } ] }
  client: { connections: 1, steps: [ { connect: server }, close ] }
sample: { every: 1s, until: 2s }
`);
    expect(calls(r, 'server').slice(1)).toEqual(['accept → 20', 'read → 0+EOF', 'close → 0']);
  });

  it('fd 0 is an fd like any other: closeWhenDone and closeOnEof close it (baselineFds: 0)', () => {
    const r = run(`processes:
  server: { listen: 80, onConnection: [ { write: "x\\n" }, close ] }
  py: { runtime: python, baselineFds: 0, connections: 1, steps: [ { connect: server }, { read: line } ] }
  js: { runtime: node, baselineFds: 0, connections: 1, steps: [ { connect: server }, { read: eof }, { write: "late" } ] }
sample: { every: 1s, until: 2s }
`);
    expect(calls(r, 'py')).toEqual(['connect → 0', 'read → 2+EOF', 'close → 0']);
    expect(calls(r, 'js')).toEqual(['connect → 0', 'read → 2+EOF', 'close → 0']);
    expect([r.final.fds['py'], r.final.fds['js']]).toEqual([0, 0]);
  });
});

describe('SO_KEEPALIVE from the process spec', () => {
  const slot = TIMER_SLOTS.indexOf('keepalive');

  it('on a client connection, each value the spec leaves out from the profile', () => {
    const probed = (keepalive: string) =>
      run(`sysctls: { net.ipv4.tcp_keepalive_time: 4, net.ipv4.tcp_keepalive_intvl: 1, net.ipv4.tcp_keepalive_probes: 2 }
processes:
  server: { listen: 80, onConnection: [ { read: eof }, close ] }
  client: { keepalive: ${keepalive}, connections: 1, steps: [ { connect: server }, { sleep: 30s }, close ] }
sample: { every: 1s, until: 30s }
`).world.expiries[slot];
    // the peer answers each probe, so the timer runs in cycles of `idle`: it probes once idle
    // for `idle`, checks again `interval` later, finds the answer, and waits out the rest of `idle`
    expect(probed('off')).toBe(0);
    // 4 s and 1 s from the sysctls: 4, 5, 8, 9, ... 28, 29 s
    expect(probed('on')).toBe(14);
    // 10 s from the spec, 1 s from the sysctl: 10, 11, 20, 21 s
    expect(probed('{ idle: 10s }')).toBe(4);
    // 4 s from the sysctl, 2 s from the spec: 4, 6, 8, ... 28 s
    expect(probed('{ interval: 2s }')).toBe(13);
  });

  it('on a server’s accepted connections', () => {
    const r = run(`processes:
  server: { keepalive: { idle: 2s, interval: 1s }, listen: 80, onConnection: [ { read: eof }, close ] }
  client: { connections: 3, steps: [ { connect: server }, { sleep: 10s }, close ] }
sample: { every: 1s, until: 4s }
`);
    // idle 2 s after the handshake (~0.1 ms), then 1 s apart: probes at ~2 and ~3 s on each of three connections
    expect(r.world.expiries[slot]).toBe(6);
  });
});

describe('where connect goes and when', () => {
  it('an "address:port" target as written; a process name: that process’s host and port', () => {
    const r = run(`hosts:
  - { name: a, address: 127.0.0.1 }
  - { name: b, address: 127.0.0.9 }
processes:
  server: { host: b, listen: { port: 7000, address: 127.0.0.9 }, onConnection: [ { read: eof }, close ] }
  byName: { host: a, connections: 1, steps: [ { connect: server }, close ] }
  byAddress: { host: a, connections: 1, steps: [ { connect: "127.0.0.9:7000" }, close ] }
sample: { every: 1s, until: 1s }
`);
    const remotes = r.world
      .trace()
      .sockets.filter((s) => s.role === 'client')
      .map((s) => `${s.process} ${s.remote.addr}:${s.remote.port}`);
    expect(remotes).toEqual(['byName 127.0.0.9:7000', 'byAddress 127.0.0.9:7000']);
    expect(r.stats.accepted.get('server')).toBe(2);
  });

  it('refuses a connect to a process that does not listen (the loader refuses it first; a scenario built in code can)', () => {
    const loaded = loadScenarioText(
      `processes:
  server: { listen: 80, onConnection: [ close ] }
  client: { connections: 1, steps: [ { connect: server }, close ] }
sample: { every: 1s, until: 1s }
`,
      'deaf.yaml',
    );
    const withoutServer = ({ server: _listens, ...rest }: ProcessSpec): ProcessSpec => rest;
    const deaf = { ...loaded, processes: loaded.processes.map((p) => (p.name === 'server' ? withoutServer(p) : p)) };
    const { world, processIndex } = buildWorld(deaf);
    startPrograms(world, deaf, processIndex);
    expect(() => world.runUntil(0)).toThrow('program: connect target server does not listen');
  });

  it('numbers connections over all clients in order, and starts each at start + ramp·i/n', () => {
    const r = run(`processes:
  server: { listen: 80, onConnection: [ { read: eof }, close ] }
  early: { connections: 2, ramp: 1s, steps: [ { connect: server }, close ] }
  late: { connections: 4, start: 10s, ramp: 3s, steps: [ { connect: server }, close ] }
  none: { connections: 0, steps: [ { connect: server }, close ] }
sample: { every: 1s, until: 20s }
`);
    const starts = r.world
      .trace()
      .events.filter((e): e is Extract<TraceEvent, { kind: 'call' }> => e.kind === 'call' && e.call === 'connect')
      .map((e) => `${e.process}@${e.at / 1000}`);
    expect(starts).toEqual(['early@0', 'early@500', 'late@10000', 'late@10750', 'late@11500', 'late@12250']);
    const conns = r.world
      .trace()
      .sockets.filter((s) => s.role === 'client')
      .map((s) => `${s.process}#${s.conn}`);
    expect(conns).toEqual(['early#0', 'early#1', 'late#2', 'late#3', 'late#4', 'late#5']);
    expect(calls(r, 'none')).toEqual([]);
  });

  it('a listen that fails stops the run with the port and errno (the loader refuses it first; a scenario built in code can)', () => {
    const loaded = loadScenarioText(
      `processes:
  one: { listen: 80, onConnection: [ close ] }
  two: { listen: 81, onConnection: [ close ] }
sample: { every: 1s, until: 1s }
`,
      'twice.yaml',
    );
    const scenario = { ...loaded, processes: loaded.processes.map((p) => (p.name === 'two' ? { ...p, server: { ...p.server!, port: 80 } } : p)) };
    const { world, processIndex } = buildWorld(scenario);
    startPrograms(world, scenario, processIndex);
    expect(() => world.runUntil(0)).toThrow('program two: listen on port 80 failed with EADDRINUSE');
  });
});

describe('a runtime that needs fds for its first write (java)', () => {
  it('opens them on the first write, which then goes through; later writes open nothing more', () => {
    const r = run(`processes:
  server: { runtime: java, listen: 80, onConnection: [ { read: line }, { write: "one\\n" }, { write: "two\\n" }, close ] }
  client: { connections: 2, steps: [ { connect: server }, { write: "hi\\n" }, { read: line }, { read: line }, close ] }
sample: { every: 1s, until: 2s }
`);
    expect(calls(r, 'server').filter((c) => c.startsWith('write'))).toEqual(['write → 4', 'write → 4', 'write → 4', 'write → 4']);
    // each client reads both lines; the second comes with the server's FIN
    expect(calls(r, 'client').filter((c) => c.startsWith('read')).sort()).toEqual(['read → 4', 'read → 4', 'read → 4+EOF', 'read → 4+EOF']);
    // the runtime's 4 baseline fds, the listener and the one pre-close socketpair fd
    expect(r.final.fds['server']).toBe(4 + 1 + 1);
  });
});
