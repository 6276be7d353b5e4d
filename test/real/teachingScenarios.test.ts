/**
 * The teaching scenarios (scenarios/*.yaml) on real sockets, cut short with an earlier `until`
 * so each stays under ~15 s; they must agree 100% with the model. The full-length runs and their
 * figures are in docs/real-mode.md. Each runs in a fresh namespace (root), so port 8888 is free.
 *
 * The article scenario (200 clients, time scale 0.1, ≈85 s) is opt-in: TCPSIM_REAL_ARTICLE=1.
 */
import { describe, expect, it } from 'vitest';
import { crossCheckText } from '../../src/real/crossCheckText.js';
import { findPython } from '../../src/real/posixServer.js';
import { realCheck, type RealCheckResult } from '../../src/real/realCheck.js';
import { loadScenarioFile } from '../../src/scenario/index.js';
import type { Scenario } from '../../src/scenario/types.js';
import type { TcpState } from '../../src/model/states.js';
import { osSkipReason, skipOs } from './osSupport.js';

const noPython = findPython() === null;
const article = process.env.TCPSIM_REAL_ARTICLE === '1';

function shortened(file: string, untilUs: number, params: Record<string, string> = {}): Scenario {
  const scenario = loadScenarioFile(`scenarios/${file}.yaml`, { params });
  return { ...scenario, sample: { ...scenario.sample, until: untilUs } };
}

async function check(scenario: Scenario, timeScale = 1): Promise<RealCheckResult> {
  const result = await realCheck(scenario, { netns: true, processHooks: false, timeScale });
  if (!result.check.ok) throw new Error(crossCheckText(result));
  expect(result.check.agreement).toBe(1);
  expect(result.run.netns).not.toBeNull();
  return result;
}

const last = (r: RealCheckResult): Record<string, number> => r.check.samples.at(-1)?.os ?? {};

/** The kernel states one connection end went through (consecutive repeats folded), from the close on. */
function kernelHistory(r: RealCheckResult, end: 'server' | 'client', port: number): TcpState[] {
  const states: TcpState[] = [];
  for (const sample of r.run.samples) {
    const row = sample.rows.find((x) => x.state !== 'LISTEN' && (end === 'server' ? x.local.port === port : x.remote.port === port));
    const state = row?.state ?? 'CLOSED';
    if (states.at(-1) !== state) states.push(state);
  }
  // the first sample can still see the handshake (the close follows it by microseconds)
  while (states.length > 0 && ['CLOSED', 'SYN_SENT', 'SYN_RECEIVED', 'ESTABLISHED'].includes(states[0] ?? '')) states.shift();
  return states;
}

describe.skipIf(skipOs)(`teaching scenarios on real sockets${osSkipReason === undefined ? '' : ` (${osSkipReason})`}`, () => {
  it('close-with-unread-data: RST, no TIME_WAIT, ECONNRESET', async () => {
    const r = await check(shortened('close-with-unread-data', 3_000_000));
    expect(last(r)).toEqual({ LISTEN: 1 });
    expect(r.run.processes.find((p) => p.name === 'client')?.errors.ECONNRESET).toBe(1);
  }, 20_000);

  it('lost-final-ack: the 1 ms window becomes an exact ACK drop; LAST_ACK retransmits, TIME_WAIT re-ACKs', async () => {
    const r = await check(shortened('lost-final-ack', 3_000_000));
    expect(r.run.notes.some((n) => n.includes('exactly ACK to port'))).toBe(true);
    expect(r.check.samples.some((s) => s.os.LAST_ACK === 1)).toBe(true);
    expect(last(r)).toEqual({ LISTEN: 1, TIME_WAIT: 1 });
    expect(r.check.timers.length).toBeGreaterThan(0);
  }, 20_000);

  it('node-forgot-close: libuv at nofile 64 accepts 45, closes 15 at once', async () => {
    const r = await check(shortened('node-forgot-close', 3_000_000));
    expect(r.run.processes.find((p) => p.name === 'server')?.accepted).toBe(45);
    expect(last(r)).toEqual({ LISTEN: 1, ESTABLISHED: 90 });
  }, 20_000);

  it.skipIf(noPython)(`emfile: a posix server at nofile 16 accepts 12, the rest wait queued${noPython ? ' (skipped: needs python3)' : ''}`, async () => {
    const r = await check(shortened('emfile', 8_000_000));
    const server = r.run.processes.find((p) => p.name === 'server');
    expect(server?.runtime).toBe('posix');
    expect(server?.accepted).toBe(12);
    expect(server?.errors.EMFILE ?? 0).toBeGreaterThan(0);
    expect(last(r)).toEqual({ LISTEN: 1, FIN_WAIT_2: 20, CLOSE_WAIT: 20 });
  }, 20_000);

  it.skipIf(noPython)(`backlog-overflow: full accept queue, SYNs dropped, clients in SYN_SENT${noPython ? ' (skipped: needs python3)' : ''}`, async () => {
    const r = await check({ ...shortened('backlog-overflow', 11_000_000), sample: { every: 1_000_000, until: 11_000_000 } });
    expect(r.run.processes.find((p) => p.name === 'server')?.accepted).toBe(2);
    expect(last(r).SYN_SENT).toBe(5);
  }, 20_000);

  it('simultaneous-close-loopback, until 5.6 s: both FIN_WAIT_1 at once, then server FIN_WAIT_1 → CLOSING → TIME_WAIT, client FIN_WAIT_1 → FIN_WAIT_2 → TIME_WAIT', async () => {
    // 512 KiB writes: the programs' specs are larger than one argv string may be (E2BIG); they go on stdin.
    // Samples every 0.7 s stay ≥ 100 ms away from the transitions at 2 s (server reads) and 4 s (client reads).
    const r = await check({ ...shortened('simultaneous-close-loopback', 5_600_000), sample: { every: 700_000, until: 5_600_000 } });
    const port = r.run.scenario.processes.find((p) => p.name === 'server')?.server?.port ?? 8888;
    expect(r.check.samples.some((s) => s.os.FIN_WAIT_1 === 2)).toBe(true);
    expect(kernelHistory(r, 'server', port)).toEqual(['FIN_WAIT_1', 'CLOSING', 'TIME_WAIT']);
    expect(kernelHistory(r, 'client', port)).toEqual(['FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT']);
    expect(last(r)).toEqual({ LISTEN: 1, TIME_WAIT: 2 });
    expect(r.check.timers.length).toBeGreaterThan(0);
    for (const p of r.run.processes) expect(p.errors).toEqual({});
  }, 20_000);

  it.skipIf(!article)(`article-java-forgot-close, 200 clients, time scale 0.1${article ? '' : ' (opt-in: TCPSIM_REAL_ARTICLE=1, ≈85 s)'}`, async () => {
    const r = await check(shortened('article-java-forgot-close', 800_000_000, { clients: '200' }), 0.1);
    expect(last(r)).toEqual({ LISTEN: 1, CLOSE_WAIT: 200 });
  }, 150_000);
});
