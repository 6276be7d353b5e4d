import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/index.js';
import { simulate } from '../../src/sim/simulate.js';

/** A server in `runtime` whose handler reads to EOF and returns without closing; `clients` clients that close first. */
function forgetful(fields: string, clients = 5, steps = '[ { read: eof } ]'): ReturnType<typeof simulate> {
  return simulate(
    loadScenarioText(
      `processes:
  server: { ${fields}, onConnection: ${steps} }
  client: { connections: ${clients}, ramp: 50ms, steps: [ { connect: server }, { write: "hi\\n" }, { sleep: 1s }, close ] }
sample: { every: 1s, until: 2m }
`,
      'x.yaml',
    ),
  );
}

describe('what a runtime closes for the program', () => {
  it('node: the end of the stream ends the socket (allowHalfOpen false): no CLOSE_WAIT, fds back', () => {
    const r = forgetful('runtime: node, listen: 80');
    expect(Math.max(...r.samples.map((s) => s.byProcess['server']!.CLOSE_WAIT ?? 0))).toBe(0);
    expect(r.final.fds['server']).toBe(19 + 1);
  });

  it('node with allowHalfOpen: true keeps every connection in CLOSE_WAIT, as a forgetful C server does', () => {
    const r = forgetful('runtime: node, allowHalfOpen: true, listen: 80');
    expect(r.final.byProcess['server']!.CLOSE_WAIT).toBe(5);
    expect(r.final.fds['server']).toBe(19 + 1 + 5);
  });

  it('python: reference counting closes the socket the handler drops, the moment it returns', () => {
    const r = forgetful('runtime: python, listen: 80', 5, '[ { read: line } ]');
    expect(r.final.byProcess['server']!.CLOSE_WAIT ?? 0).toBe(0);
    expect(r.final.fds['server']).toBe(3 + 1);
  });

  it('java: the first socket write opens one more fd for good (OpenJDK\u2019s pre-close socketpair)', () => {
    const quiet = forgetful('runtime: java, listen: 80', 5, '[ { read: eof } ]');
    expect(quiet.final.fds['server']).toBe(4 + 1 + 5);
    const writes = forgetful('runtime: java, listen: 80', 5, '[ { read: line }, { write: "x\\n" }, { read: eof } ]');
    expect(writes.final.fds['server']).toBe(4 + 1 + 1 + 5);
  });

  it('java: when that fd cannot be had, every write fails and its thread dies holding its socket', () => {
    // 4 + listener + 5 connections = 10: the table is full before any handler writes
    const r = forgetful('runtime: java, nofile: 10, listen: 80', 5, '[ { sleep: 100ms }, { read: line }, { write: "x\\n" }, close ]');
    expect(r.final.fds['server']).toBe(10);
    expect(r.final.byProcess['server']!.CLOSE_WAIT).toBe(5);
    expect(r.final.errorsByProcess['server']!.EMFILE).toBeGreaterThan(0);
  });
});

describe('what an accept loop does when accept() fails', () => {
  const limited = (fields: string) => forgetful(`${fields}, nofile: 6, listen: 80`, 6);

  it('stop (Java): the loop ends on the first EMFILE; the listener stays open and nobody accepts again', () => {
    const r = limited('runtime: java');
    expect(r.stats.accepted.get('server')).toBe(1);
    expect(r.stats.acceptLoopEnded.get('server')).toMatchObject({ exited: false });
    expect(r.final.errorsByProcess['server']!.EMFILE).toBe(1);
    expect(r.final.states.LISTEN).toBe(1);
  });

  it('exit (Go): the process ends and the kernel closes every fd it held, the listener too', () => {
    const r = limited('runtime: go, baselineFds: 4');
    expect(r.stats.acceptLoopEnded.get('server')).toMatchObject({ exited: true });
    expect(r.final.fds['server']).toBe(4);
    expect(r.final.states.LISTEN ?? 0).toBe(0);
  });

  it('retry (C): accept() is called again every second and fails each time while the table stays full', () => {
    const r = limited('runtime: c, baselineFds: 4');
    // 2 minutes of retries, once a second
    expect(r.final.errorsByProcess['server']!.EMFILE).toBeGreaterThan(100);
    expect(r.stats.accepted.get('server')).toBe(1);
  });
});

describe('connection starts given from outside', () => {
  it('replace the ramp: each connection sends its SYN when it is told to', async () => {
    const { buildWorld } = await import('../../src/sim/simulate.js');
    const { startPrograms } = await import('../../src/sim/programs.js');
    const scenario = loadScenarioText(
      'processes:\n  server: { listen: 80, onConnection: [ close ] }\n  client: { connections: 3, ramp: 3s, steps: [ { connect: server }, close ] }\n',
      'x.yaml',
    );
    const { world, processIndex } = buildWorld(scenario, { trace: true });
    const starts = [1_000, 2_500_000, 2_600_000];
    startPrograms(world, scenario, processIndex, { connectionStart: (conn) => starts[conn] });
    world.runUntil(5_000_000);
    const syns = world
      .trace()
      .events.filter((e) => e.kind === 'call' && e.call === 'connect')
      .map((e) => e.at);
    expect(syns).toEqual(starts);
  });
});
