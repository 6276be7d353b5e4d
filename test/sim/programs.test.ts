/**
 * The programs as the engine runs them: a worker pool that is full, and the sample schedule of a
 * run (first sample at 0:00, last at `until`).
 */
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/index.js';
import { simulate } from '../../src/sim/simulate.js';

/** `clients` connections at once to a server with `workers` threads, each holding its connection 10 s. */
function pool(workers: number, clients: number) {
  return simulate(
    loadScenarioText(
      `profile: rfc9293
processes:
  server:
    listen: { port: 80, backlog: 64, workers: ${workers} }
    onConnection: [ { read: line }, { write: "ok\\n" }, { sleep: 10s }, close ]
  client: { connections: ${clients}, steps: [ { connect: server }, { write: "hi\\n" }, { read: line }, { read: eof }, close ] }
sample: { every: 1s, until: 45s }
`,
      'pool.yaml',
    ),
    { trace: true },
  );
}

/** Times (s) at which the server wrote its answers. */
function answers(result: ReturnType<typeof pool>): number[] {
  return result.world
    .trace()
    .events.filter((e) => e.kind === 'call' && e.process === 'server' && e.call === 'write')
    .map((e) => Math.floor(e.at / 1_000_000));
}

describe('a worker pool', () => {
  it('serves at most `workers` connections at a time; the others wait, accepted, for a free worker', () => {
    const r = pool(2, 5);
    expect(answers(r)).toEqual([0, 0, 10, 10, 20]);
    expect(r.stats.accepted.get('server')).toBe(5);
    // all five were accepted at once: the waiting ones hold fds, not places in the accept queue
    expect(r.samples[1]!.fds['server']).toBe(3 + 1 + 5);
    // every connection is served in the end (the server closed first: its sockets hold TIME_WAIT)
    expect(r.final.byProcess['server']).toEqual({ LISTEN: 1, TIME_WAIT: 5 });
  });

  it('a pool of one serves one at a time', () => {
    expect(answers(pool(1, 3))).toEqual([0, 10, 20]);
  });
});

describe('the sample schedule', () => {
  function schedule(every: string, until: string, expectAt?: string): number[] {
    const r = simulate(
      loadScenarioText(
        `processes:
  server: { listen: 80, onConnection: [ close ] }
sample: { every: ${every}, until: ${until} }
${expectAt === undefined ? '' : `expect:\n  - at: ${expectAt}\n    states: { LISTEN: 1 }\n`}`,
        'schedule.yaml',
      ),
    );
    return r.samples.map((s) => s.t);
  }

  it('samples at 0:00, then every interval, and at `until` itself when it is not a multiple', () => {
    expect(schedule('7s', '20s')).toEqual([0, 7000, 14000, 20000]);
    expect(schedule('5s', '15s')).toEqual([0, 5000, 10000, 15000]);
  });

  it('an expectation’s checkpoint between samples is judged there without becoming a sample; one past the end is missing', () => {
    const loaded = loadScenarioText(
      `processes:
  server: { listen: 80, onConnection: [ close ] }
sample: { every: 10s, until: 20s }
`,
      'checkpoint.yaml',
    );
    // the loader admits only sample times; a scenario built in code may name any instant
    const states = { LISTEN: { exact: 1 } };
    const r = simulate({ ...loaded, expectations: [{ at: 3_000_000, states, source: 'a' }, { at: 30_000_000, states, source: 'b' }] });
    expect(r.samples.map((s) => s.t)).toEqual([0, 10000, 20000]);
    expect(r.expectations.map((e) => e.pass)).toEqual([true, false]);
    expect(r.expectations[0]!.what).toBe('at 3s: LISTEN = 1');
    expect(r.expectations[1]!.actual).toBe('the run ended before this time');
  });
});
