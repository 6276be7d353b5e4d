import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../src/scenario/index.js';
import { simulate } from '../src/sim/simulate.js';
import { runJson } from '../src/report/runJson.js';

const SHIPPED = readdirSync('scenarios')
  .filter((f) => f.endsWith('.yaml') && !f.startsWith('bench-'))
  .sort();

describe('shipped scenarios', () => {
  it('are all here: the article’s four demos and the teaching set', () => {
    for (const name of [
      'article-java-forgot-close',
      'article-java-close',
      'article-go-forgot-close',
      'article-go-close',
      'normal-close',
      'simultaneous-close',
      'half-close',
      'lost-final-ack',
      'close-with-unread-data',
      'backlog-overflow',
      'emfile',
      'node-forgot-close',
    ]) {
      expect(SHIPPED).toContain(`${name}.yaml`);
    }
  });

  it.each(SHIPPED)('%s: every expectation holds', (file) => {
    const result = simulate(loadScenarioFile(`scenarios/${file}`));
    expect(result.expectations.length).toBeGreaterThan(0);
    for (const e of result.expectations) expect({ what: e.what, pass: e.pass, actual: e.actual }).toEqual({ what: e.what, pass: true, actual: undefined });
  });

  it.each(SHIPPED)('%s: the same seed gives byte-identical JSON', (file) => {
    const scenario = loadScenarioFile(`scenarios/${file}`);
    expect(runJson(simulate(scenario))).toBe(runJson(simulate(scenario)));
  });
});

/**
 * The article's demos against what its four programs did on this kind of machine
 * (docs/article-measured.md: 5-s samples of `ss -tan`, `/proc/PID/fd` and nstat).
 */
describe('the article scenarios reproduce the measured runs of the article’s programs', () => {
  const run = (name: string, params: Record<string, string> = {}) => simulate(loadScenarioFile(`scenarios/${name}.yaml`, { params }));
  const at = (result: ReturnType<typeof run>, seconds: number) => result.samples.find((s) => s.t === seconds * 1000)!;

  it('Java without close(): CLOSE_WAIT 1000 from 30 s on, FIN_WAIT_2 gone by 90 s, 1006 fds, no EMFILE', () => {
    const r = run('article-java-forgot-close');
    expect(at(r, 30).states).toMatchObject({ CLOSE_WAIT: 1000, FIN_WAIT_2: 1000 });
    expect(at(r, 90).states).toEqual({ LISTEN: 1, CLOSE_WAIT: 1000 });
    expect(r.final.fds['server']).toBe(1006);
    expect(r.final.errors.EMFILE).toBe(0);
  });

  it('Java with close(): CLOSE_WAIT until the Workers close (~35 s), TIME_WAIT 1000 from 40 s to 90 s, gone at 100 s, 6 fds', () => {
    const r = run('article-java-close');
    expect(at(r, 30).byProcess['server']).toMatchObject({ CLOSE_WAIT: 1000 });
    for (const t of [40, 60, 90]) expect(at(r, t).states).toEqual({ LISTEN: 1, TIME_WAIT: 1000 });
    expect(at(r, 100).states).toEqual({ LISTEN: 1 });
    expect(r.final.fds['server']).toBe(6);
  });

  it('Go without Close(): CLOSE_WAIT 1000 from 35 s to 105 s, none at 110 s, the server still at 1007 fds (1000 on closed sockets)', () => {
    const r = run('article-go-forgot-close');
    for (const t of [35, 60, 105]) expect(at(r, t).byProcess['server']).toMatchObject({ CLOSE_WAIT: 1000 });
    expect(at(r, 110).states).toEqual({ LISTEN: 1 });
    expect(at(r, 110).fds['server']).toBe(1007);
    expect(at(r, 110).closedFds['server']).toBe(1000);
  });

  it('Go with Close(): CLOSE_WAIT at 35 s, TIME_WAIT 1000 from 45 s to 100 s, gone at 105 s, 7 fds', () => {
    const r = run('article-go-close');
    expect(at(r, 35).byProcess['server']).toMatchObject({ CLOSE_WAIT: 1000 });
    for (const t of [45, 100]) expect(at(r, t).states).toEqual({ LISTEN: 1, TIME_WAIT: 1000 });
    expect(at(r, 105).states).toEqual({ LISTEN: 1 });
    expect(r.final.fds['server']).toBe(7);
  });

  it('the client run twice (H1): accept() hits EMFILE at ~10 s and the loop ends; CLOSE_WAIT 1000, ESTABLISHED 138, SYN_SENT 931 until they time out', () => {
    const r = run('article-java-forgot-close', { rerun: '1000' });
    expect(at(r, 90).states).toEqual({ LISTEN: 1, CLOSE_WAIT: 1000, ESTABLISHED: 138, SYN_SENT: 931 });
    expect(at(r, 150).states).toEqual({ LISTEN: 1, CLOSE_WAIT: 1000, ESTABLISHED: 138 });
    expect(r.final.errorsByProcess['rerun']!.ETIMEDOUT).toBe(931);
  });

  it('the article’s SYN_SENT 118 (H3: 9 more fds, a second run of 178 threads): CLOSE_WAIT 1000, ESTABLISHED 120, SYN_SENT 118 from 90 s', () => {
    const r = run('article-java-forgot-close', { rerun: '178', extraFds: '9' });
    for (const t of [90, 140]) expect(at(r, t).states).toEqual({ LISTEN: 1, CLOSE_WAIT: 1000, ESTABLISHED: 120, SYN_SENT: 118 });
  });

  it('a burst of 1000 Java clients against backlog 50 overflows the accept queue, and every client gets in within 3.25 s, with no ETIMEDOUT', () => {
    const scenario = loadScenarioFile('scenarios/article-java-close.yaml');
    const r = simulate({ ...scenario, sample: { every: 250_000, until: 10_000_000 } });
    expect(r.world.listenOverflows).toBeGreaterThan(0);
    const connected = r.samples.find((s) => (s.byProcess['client']!.ESTABLISHED ?? 0) === 1000)!;
    expect(connected.t).toBeLessThanOrEqual(3250);
    expect(r.final.errors.ETIMEDOUT).toBe(0);
  });
});
