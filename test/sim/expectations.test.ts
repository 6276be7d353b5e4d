/**
 * How a run judges a scenario's expectations: the bounds and their text, the sample each
 * expectation is read from ('end', 'peak', a checkpoint), per-process scope, fds and errors —
 * and what buildWorld passes on to the World.
 *
 * The run: a server with room for two connections (nofile 6 = 3 baseline + the listener + 2)
 * that reads EOF, sleeps 10 s, then closes; four clients connect and close at once. Its samples,
 * every 5 s to 40 s: at 0:00 the clients hold 7 fds (3 + 4 SYN_SENT sockets); from 0:05 to 0:10
 * the server holds CLOSE_WAIT 4 (2 accepted, 2 queued) and 6 fds, and accept() fails with
 * EMFILE once a second; it closes the first two after 10 s (CLOSE_WAIT 2 at 0:12) and the other
 * two about 10 s after accepting them; from 0:25 only the clients' TIME_WAIT 4 is left.
 */
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/index.js';
import type { Bound, Expectation, Scenario } from '../../src/scenario/types.js';
import { boundText, buildWorld, simulate, withinBound, type SimulationResult } from '../../src/sim/simulate.js';

const S = 1_000_000;

const SCENARIO = loadScenarioText(
  `profile: linux
network: { latency: 50us }
processes:
  server:
    nofile: 6
    baselineFds: 3
    listen: { port: 80, backlog: 8, acceptRetry: 1s }
    onConnection: [ { read: eof }, { sleep: 10s }, close ]
  client:
    connections: 4
    steps: [ { connect: server }, close ]
sample: { every: 5s, until: 40s }
`,
  'judged.yaml',
);

/** The run with `expectations` in place of the scenario's own (none). */
function judged(...expectations: Omit<Expectation, 'source'>[]): SimulationResult['expectations'] {
  return simulate({ ...SCENARIO, expectations: expectations.map((e, i) => ({ ...e, source: `judged.yaml:${i + 1}:1` })) }).expectations;
}

describe('bounds', () => {
  it('read as = n, ≥ n, ≤ n, in a…b, and any', () => {
    expect(boundText({ exact: 4 })).toBe('= 4');
    expect(boundText({ min: 1 })).toBe('≥ 1');
    expect(boundText({ max: 3 })).toBe('≤ 3');
    expect(boundText({ min: 1, max: 5 })).toBe('in 1…5');
    expect(boundText({})).toBe('any');
  });

  it('hold at their edges and fail one past them', () => {
    const cases: [Bound, number, boolean][] = [
      [{ exact: 4 }, 4, true],
      [{ exact: 4 }, 3, false],
      [{ exact: 4 }, 5, false],
      [{ exact: 0 }, 0, true],
      [{ min: 4 }, 4, true],
      [{ min: 4 }, 3, false],
      [{ min: 4 }, 9, true],
      [{ max: 4 }, 4, true],
      [{ max: 4 }, 5, false],
      [{ max: 4 }, 0, true],
      [{ min: 2, max: 4 }, 2, true],
      [{ min: 2, max: 4 }, 4, true],
      [{ min: 2, max: 4 }, 1, false],
      [{ min: 2, max: 4 }, 5, false],
      [{}, 7, true],
    ];
    for (const [bound, value, holds] of cases) expect([bound, value, withinBound(value, bound)]).toEqual([bound, value, holds]);
  });
});

describe('judging expectations', () => {
  it('at the end: passing and failing bounds, the text in the order of TCP_STATES, and what was observed', () => {
    const [pass, fail, noted] = judged(
      { at: 'end', states: { TIME_WAIT: { exact: 4 }, LISTEN: { min: 1, max: 1 } } },
      { at: 'end', states: { TIME_WAIT: { min: 5 }, CLOSE_WAIT: { max: 0 }, LISTEN: { max: 0 } }, fds: { server: { exact: 6 } } },
      { at: 'end', states: { CLOSE_WAIT: { exact: 0 } }, note: 'the server closed every connection' },
    );
    expect(pass).toEqual({ what: 'at the end: LISTEN in 1…1, TIME_WAIT = 4', pass: true, source: 'judged.yaml:1:1' });
    expect(fail).toEqual({
      what: 'at the end: LISTEN ≤ 0, TIME_WAIT ≥ 5, CLOSE_WAIT ≤ 0, fds of server = 6',
      pass: false,
      actual: 'LISTEN was 1, TIME_WAIT was 4, fds of server was 4',
      source: 'judged.yaml:2:1',
    });
    expect(noted).toEqual({ what: 'the server closed every connection', pass: true, source: 'judged.yaml:3:1' });
  });

  it('at peak: the largest count over every sample, the first (0:00) included, state by state and process by process', () => {
    const results = judged(
      { at: 'peak', states: { CLOSE_WAIT: { exact: 4 }, FIN_WAIT_2: { exact: 4 }, TIME_WAIT: { exact: 4 } } },
      { at: 'peak', fds: { server: { exact: 6 }, client: { exact: 7 } } },
      { at: 'peak', process: 'client', states: { SYN_SENT: { exact: 4 }, CLOSE_WAIT: { exact: 0 } } },
      { at: 'peak', process: 'server', states: { CLOSE_WAIT: { exact: 4 }, LISTEN: { exact: 1 } } },
    );
    expect(results.map((r) => [r.pass, r.actual])).toEqual([
      [true, undefined],
      [true, undefined],
      [true, undefined],
      [true, undefined],
    ]);
    expect(results[0]!.what).toBe('at peak: FIN_WAIT_2 = 4, TIME_WAIT = 4, CLOSE_WAIT = 4');
    expect(results[2]!.what).toBe('at peak (client): SYN_SENT = 4, CLOSE_WAIT = 0');
  });

  it('at a checkpoint: the state at that instant, whether or not it is a sample time, in any order', () => {
    const [late, between, early, sampled] = judged(
      { at: 30 * S, states: { CLOSE_WAIT: { exact: 0 }, TIME_WAIT: { exact: 4 } } },
      { at: 12 * S, states: { CLOSE_WAIT: { exact: 2 } } },
      { at: 3 * S, states: { CLOSE_WAIT: { exact: 4 } }, fds: { server: { exact: 6 } } },
      { at: 15 * S, states: { CLOSE_WAIT: { exact: 2 } } },
    );
    expect([late, between, early, sampled].map((r) => [r!.what, r!.pass])).toEqual([
      ['at 30s: TIME_WAIT = 4, CLOSE_WAIT = 0', true],
      ['at 12s: CLOSE_WAIT = 2', true],
      ['at 3s: CLOSE_WAIT = 4, fds of server = 6', true],
      ['at 15s: CLOSE_WAIT = 2', true],
    ]);
  });

  it('a checkpoint past `until` fails: its sample is missing', () => {
    const [missing] = judged({ at: 50 * S, states: { TIME_WAIT: { exact: 4 } } });
    expect(missing).toEqual({ what: 'at 50s: sample missing', pass: false, actual: 'the run ended before this time', source: 'judged.yaml:1:1' });
  });

  it('with `process`: that process’s sockets only; a process without sockets counts none', () => {
    const [server, client, nobody] = judged(
      { at: 'end', process: 'server', states: { LISTEN: { exact: 1 }, TIME_WAIT: { exact: 0 } } },
      { at: 'end', process: 'client', states: { LISTEN: { exact: 0 }, TIME_WAIT: { exact: 4 } } },
      { at: 'end', process: 'nobody', states: { LISTEN: { exact: 1 } } },
    );
    expect(server).toMatchObject({ what: 'at the end (server): LISTEN = 1, TIME_WAIT = 0', pass: true });
    expect(client).toMatchObject({ pass: true });
    expect(nobody).toMatchObject({ what: 'at the end (nobody): LISTEN = 1', pass: false, actual: 'LISTEN was 0' });
  });

  it('fds per process; a process the run does not have holds none', () => {
    const [fds] = judged({ at: 'end', fds: { server: { exact: 4 }, client: { exact: 3 }, ghost: { exact: 0 } } });
    expect(fds).toMatchObject({ what: 'at the end: fds of server = 4, fds of client = 3, fds of ghost = 0', pass: true });
  });

  it('errors over the whole run, of every process or of one; an errno not reported counts 0', () => {
    const [all, server, client, nobody, unreported] = judged(
      { at: 'end', errors: { EMFILE: { min: 10 }, ECONNRESET: { exact: 0 } } },
      { at: 'end', process: 'server', errors: { EMFILE: { min: 10 } } },
      { at: 'end', process: 'client', errors: { EMFILE: { exact: 0 } } },
      { at: 'end', process: 'nobody', errors: { EMFILE: { exact: 0 } } },
      { at: 'end', errors: { EBADF: { exact: 0 } } },
    );
    expect(all).toMatchObject({ what: 'at the end: EMFILE ≥ 10, ECONNRESET = 0', pass: true });
    expect(server).toMatchObject({ what: 'at the end (server): EMFILE ≥ 10', pass: true });
    expect(client).toMatchObject({ pass: true });
    expect(nobody).toMatchObject({ pass: true });
    expect(unreported).toMatchObject({ pass: true });
    // errors are counted over the whole run, even for an expectation at a checkpoint
    const [atCheckpoint] = judged({ at: 3 * S, process: 'server', errors: { EMFILE: { min: 10 } } });
    expect(atCheckpoint).toMatchObject({ pass: true });
  });
});

describe('buildWorld', () => {
  it('passes the jiffies origin and the client ports real mode chose on to the World', () => {
    const { world } = buildWorld(SCENARIO, { wheelOrigin: 12_345 });
    expect(world.wheelOrigin).toBe(12_345);
    const run = simulate(SCENARIO, { ephemeralPortFor: (conn) => 40_000 + conn });
    const ports = run.world
      .sockets()
      .filter((s) => s.role === 'client')
      .map((s) => [s.conn, s.local.port]);
    expect(ports).toEqual([
      [0, 40_000],
      [1, 40_001],
      [2, 40_002],
      [3, 40_003],
    ]);
  });

  it('records a trace only when asked', () => {
    expect(simulate(SCENARIO).world.trace().events).toEqual([]);
    expect(simulate(SCENARIO, { trace: true }).world.trace().events.length).toBeGreaterThan(20);
  });

  it('refuses a process on a host the scenario does not have', () => {
    const stray: Scenario = { ...SCENARIO, processes: SCENARIO.processes.map((p) => (p.name === 'client' ? { ...p, host: 'elsewhere' } : p)) };
    expect(() => buildWorld(stray)).toThrow('scenario: process client names unknown host elsewhere');
  });
});
