/**
 * The comparison over a read's interval (src/real/crossCheck.ts): a kernel row belongs to some
 * instant between the start and the end of the read that produced it, so it agrees with any
 * state the model's socket held in that interval, and with a neighbour state within the window.
 */
import { describe, expect, it } from 'vitest';
import { LINUX } from '../../src/model/profile.js';
import type { TcpState } from '../../src/model/states.js';
import { crossCheck, socketVerdict, stateAt, statesDuring } from '../../src/real/crossCheck.js';
import { modelReplay, type ModelReplay, type ModelTransition } from '../../src/real/modelReplay.js';
import { loadScenarioFile } from '../../src/scenario/index.js';
import type { RealRun } from '../../src/real/realRun.js';
import type { Scenario } from '../../src/scenario/types.js';

const ms = 1000;
const tr = (at: number, from: TcpState, to: TcpState, first = false, timer: string | null = null, slackMs = 0): ModelTransition => ({ at: at * ms, from, to, timer, first, slack: slackMs * ms });

// a client end: connect at 100 ms, close at 300 ms, FIN_WAIT_2 at 340 ms, TIME_WAIT at 1 s
const CLIENT: readonly ModelTransition[] = [
  tr(100, 'CLOSED', 'SYN_SENT', true),
  tr(101, 'SYN_SENT', 'ESTABLISHED'),
  tr(300, 'ESTABLISHED', 'FIN_WAIT_1'),
  tr(340, 'FIN_WAIT_1', 'FIN_WAIT_2'),
  tr(1000, 'FIN_WAIT_2', 'TIME_WAIT'),
  tr(61_000, 'TIME_WAIT', 'CLOSED', false, 'twoMsl', 7_500), // an eighth of 60 s
];

const SCENARIO = { name: 'x', network: { latency: 50, jitter: 0, loss: 0, duplicate: 0, reorder: 0 }, processes: [] } as unknown as Scenario;

function replayOf(transitions: ReadonlyMap<string, readonly ModelTransition[]>, at: number): ModelReplay {
  const states = new Map<string, TcpState>();
  for (const [key, list] of transitions) {
    const s = stateAt(list, at);
    if (s !== 'CLOSED') states.set(key, s);
  }
  return { scenario: SCENARIO, profile: LINUX, snapshots: [{ at, states, fds: {} }], transitions, closedAt: new Map(), accepted: {}, emfileTrickConns: [], errors: {}, errorLog: {}, acceptLog: {} } as unknown as ModelReplay;
}

describe('the states of a model socket over an interval', () => {
  it('are the state at its start and every state entered up to its end', () => {
    expect(stateAt(CLIENT, 50 * ms)).toBe('CLOSED');
    expect(stateAt(CLIENT, 300 * ms)).toBe('FIN_WAIT_1');
    expect([...statesDuring(CLIENT, 250 * ms, 320 * ms)]).toEqual(['ESTABLISHED', 'FIN_WAIT_1']);
    expect([...statesDuring(CLIENT, 310 * ms, 330 * ms)]).toEqual(['FIN_WAIT_1']);
  });

  it('a read that spans a transition agrees with either side of it, a read away from it only with its state', () => {
    const window = 20 * ms;
    expect(socketVerdict(CLIENT, 'FIN_WAIT_2', 250 * ms, 400 * ms, window)).toBe('same');
    expect(socketVerdict(CLIENT, 'ESTABLISHED', 250 * ms, 400 * ms, window)).toBe('same');
    expect(socketVerdict(CLIENT, 'FIN_WAIT_2', 200 * ms, 210 * ms, window)).toBe('differ');
    expect(socketVerdict(CLIENT, 'ESTABLISHED', 500 * ms, 510 * ms, window)).toBe('differ');
    // within the window of the close: the neighbour states
    expect(socketVerdict(CLIENT, 'FIN_WAIT_1', 281 * ms, 290 * ms, window)).toBe('window');
    // a timer-driven transition may come up to 1/8 of its timer late: TIME_WAIT seen 7 s after 2MSL
    expect(socketVerdict(CLIENT, 'TIME_WAIT', 68_000 * ms, 68_005 * ms, window)).toBe('window');
    expect(socketVerdict(CLIENT, 'TIME_WAIT', 69_000 * ms, 69_005 * ms, window)).toBe('differ');
  });

  it('the kernel may be as late as the programs were, never early', () => {
    const window = 20 * ms;
    // read 30–31 ms after the close at 300 ms, the kernel still ESTABLISHED: the client program
    // closed late. Fine when its timers fired up to 28 ms late, not when they were punctual.
    expect(socketVerdict(CLIENT, 'ESTABLISHED', 330 * ms, 331 * ms, window, 28 * ms)).toBe('window');
    expect(socketVerdict(CLIENT, 'ESTABLISHED', 330 * ms, 331 * ms, window, 1 * ms)).toBe('differ');
    // early is never excused: FIN_WAIT_2 30 ms before the ACK that makes it
    expect(socketVerdict(CLIENT, 'FIN_WAIT_2', 290 * ms, 291 * ms, window, 28 * ms)).toBe('differ');
  });
});

describe('crossCheck over read intervals', () => {
  it('agrees with a row read late in a long read (the transition is beyond the window of its middle)', () => {
    // the read ran 200–600 ms (a slow read on a loaded machine); the kernel row was produced
    // near its end, after the close at 300 ms and the ACK at 340 ms: FIN_WAIT_2. The middle,
    // 400 ms, is 60 ms past the last transition, beyond the ±20 ms window.
    const key = '127.0.0.1:40000>127.0.0.1:8888';
    const row = { state: 'FIN_WAIT_2' as const, local: { addr: '127.0.0.1', port: 40000 }, remote: { addr: '127.0.0.1', port: 8888 }, recvQ: 0, sendQ: 0 };
    const run = { scenario: { ...SCENARIO, network: { ...SCENARIO.network, latency: 0 } }, samples: [{ t: 200 * ms, start: 200 * ms, end: 600 * ms, at: 400 * ms, rows: [row], fds: {} }], processes: [], observer: { source: 'test', latency: { reads: 1, medianMs: 400, maxMs: 400 } } } as unknown as RealRun;
    const early = CLIENT.map((t) => ({ ...t, at: t.at + (t.at >= 300 * ms && t.at < 1000 * ms ? 150 * ms : 0) })); // close at 450 ms, ACK at 490 ms
    const check = crossCheck(run, replayOf(new Map([[key, early]]), 400 * ms));
    expect(check.samples[0]?.sockets).toEqual([{ key, os: 'FIN_WAIT_2', model: 'ESTABLISHED', verdict: 'same' }]);
    expect(check.ok).toBe(true);
    // the same row read in an instant at the middle disagrees: the interval is what makes it agree
    const instant = { ...run, samples: [{ ...run.samples[0], start: 400 * ms, end: 400 * ms }] } as unknown as RealRun;
    expect(crossCheck(instant, replayOf(new Map([[key, early]]), 400 * ms)).ok).toBe(false);
  });

  it("leaves out an earlier connection's TIME_WAIT on the ports a connection of this run takes later, and only that", () => {
    // the client's port 40000 was used a minute ago and the server's side is still in TIME_WAIT
    // at the 50 ms read; this run's connect() on it comes at 100 ms (its SYN takes the 4-tuple over)
    const key = '127.0.0.1:8888>127.0.0.1:40000';
    const row = (state: TcpState) => ({ state, local: { addr: '127.0.0.1', port: 8888 }, remote: { addr: '127.0.0.1', port: 40000 }, recvQ: 0, sendQ: 0 });
    const server = [tr(101, 'CLOSED', 'SYN_RECEIVED', true), tr(102, 'SYN_RECEIVED', 'ESTABLISHED')];
    const runAt = (state: TcpState, atMs: number, issuedMs = 100) =>
      ({
        scenario: { ...SCENARIO, network: { ...SCENARIO.network, latency: 0 }, processes: [{ name: 'server', server: { port: 8888 } }] },
        samples: [{ t: atMs * ms, start: atMs * ms, end: atMs * ms + 5 * ms, at: atMs * ms, rows: [row(state)], fds: {} }],
        connections: new Map([[0, { address: '127.0.0.1', port: 40000 }]]),
        connectIssuedAt: new Map([[0, issuedMs * ms]]),
        processes: [],
        observer: { source: 'test', latency: { reads: 1, medianMs: 0, maxMs: 0 } },
      }) as unknown as RealRun;
    const before = crossCheck(runAt('TIME_WAIT', 50), replayOf(new Map([[key, server]]), 50 * ms));
    expect(before.ignoredRows).toBe(1);
    expect(before.samples[0]?.sockets).toEqual([]);
    expect(before.ok).toBe(true);
    // any other state before the connection is this run's connection early: compared, and wrong
    const early = crossCheck(runAt('ESTABLISHED', 50), replayOf(new Map([[key, server]]), 50 * ms));
    expect(early.ignoredRows).toBe(0);
    expect(early.ok).toBe(false);
    // TIME_WAIT after the connection began is this run's, compared: the model says ESTABLISHED
    const after = crossCheck(runAt('TIME_WAIT', 200), replayOf(new Map([[key, server]]), 200 * ms));
    expect(after.ignoredRows).toBe(0);
    expect(after.samples[0]?.sockets).toEqual([{ key, os: 'TIME_WAIT', model: 'ESTABLISHED', verdict: 'differ' }]);
    // read at 98–103 ms, inside the window of the model's start at 101 ms: still the old TIME_WAIT (the SYN came later)
    expect(crossCheck(runAt('TIME_WAIT', 98), replayOf(new Map([[key, server]]), 98 * ms)).ignoredRows).toBe(1);
    // but not when the client had issued connect() a millisecond before the read began
    expect(crossCheck(runAt('TIME_WAIT', 98, 96), replayOf(new Map([[key, server]]), 98 * ms)).ignoredRows).toBe(0);
  });
});

describe('slack the model gives a transition', () => {
  it('after a retransmission, an eighth of its timer (the kernel retransmits a few ms per RTO later)', () => {
    // real-lost-fin: FIN at 450 ms dropped until 1 s; resends at 650 (probe), 850 (RTO 200 ms) and
    // 1250 ms (RTO 400 ms), which gets through: the server's CLOSE_WAIT comes after a 400 ms timer
    const scenario = loadScenarioFile('scenarios/real/lost-fin.yaml');
    const sysctls = { 'net.ipv4.tcp_fin_timeout': 60, 'net.ipv4.tcp_syn_retries': 6, 'net.ipv4.tcp_synack_retries': 5, 'net.ipv4.tcp_orphan_retries': 0, 'net.ipv4.tcp_rfc1337': 0, 'net.ipv4.tcp_early_retrans': 3, 'net.ipv4.tcp_syn_linear_timeouts': 4, 'net.ipv4.tcp_rto_min_us': 200_000, 'net.ipv4.tcp_rto_max_ms': 120_000 };
    const run = { scenario, samples: [], connections: new Map(), connectionStarts: new Map(), anchors: null, processes: [], modelSysctls: sysctls } as unknown as RealRun;
    const replay = modelReplay(run);
    const server = [...replay.transitions.entries()].find(([key]) => key.startsWith('127.0.0.1:7408>'))?.[1] ?? [];
    const closeWait = server.find((t) => t.to === 'CLOSE_WAIT');
    expect(closeWait?.at).toBeGreaterThan(1_240_000);
    // an eighth of the 400 ms RTO, which the kernel's timer wheel rounds up by up to 32 ms
    expect(closeWait?.slack).toBeGreaterThanOrEqual(50_000);
    expect(closeWait?.slack).toBeLessThanOrEqual(54_000);
    // before any retransmission, none: the handshake's ESTABLISHED
    expect(server.find((t) => t.to === 'ESTABLISHED')?.slack).toBe(0);
  });
});
