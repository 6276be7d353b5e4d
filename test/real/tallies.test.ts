/**
 * The honest figure (src/real/crossCheck.ts, crossCheckText.ts): connections, listener rows,
 * kernel timers and end-of-run counts are tallied apart, so the listener's row at every sample
 * cannot hide a wrong connection; error counts (EMFILE too) are compared up to the end of the
 * last read, not over the model's run past it; the JSON has one time unit.
 */
import { describe, expect, it } from 'vitest';
import { LINUX } from '../../src/model/profile.js';
import type { TcpState } from '../../src/model/states.js';
import { crossCheck, type CountCheck, type CrossCheck } from '../../src/real/crossCheck.js';
import { agreementText, crossCheckJson, crossCheckText } from '../../src/real/crossCheckText.js';
import type { ModelReplay, ModelTransition } from '../../src/real/modelReplay.js';
import type { ProcessReport, RealRun, RealSample } from '../../src/real/realRun.js';
import type { SocketRow } from '../../src/real/socketRow.js';
import type { Errno } from '../../src/sim/trace.js';

const S = 1_000_000;
const LISTENER = 'L 127.0.0.1:8888';
const CONN = '127.0.0.1:40000>127.0.0.1:8888';
const listenRow: SocketRow = { state: 'LISTEN', local: { addr: '127.0.0.1', port: 8888 }, remote: { addr: '0.0.0.0', port: 0 }, recvQ: 0, sendQ: 0 };
const connRow = (state: TcpState): SocketRow => ({ state, local: { addr: '127.0.0.1', port: 40000 }, remote: { addr: '127.0.0.1', port: 8888 }, recvQ: 0, sendQ: 0 });

function process(name: string, extra: Partial<ProcessReport> = {}): ProcessReport {
  return { name, limitedTo: null, runtime: 'posix', baselineFds: null, accepted: 0, acceptedAt: [], errors: {}, errorLog: [], lateMs: 0, eofs: 0, resetsOnClose: 0, peerClosed: [], fatal: [], ...extra };
}

/** Ten samples 1 s apart (reads of 2 ms); the connection ESTABLISHED throughout in the model. */
function fixture(kernelConn: (i: number) => TcpState, processes: readonly ProcessReport[], errorLog: ModelReplay['errorLog'] = {}, policy: 'posix' | 'libuv' = 'posix'): { run: RealRun; replay: ModelReplay } {
  const samples: RealSample[] = Array.from({ length: 10 }, (_, i) => ({ t: i * S, start: i * S, end: i * S + 2000, at: i * S + 1000, rows: [listenRow, connRow(kernelConn(i))], fds: {} }));
  const transitions = new Map<string, readonly ModelTransition[]>([
    [LISTENER, [{ at: 0, from: 'CLOSED', to: 'LISTEN', timer: null, first: true, slack: 0 }]],
    [CONN, [{ at: 0, from: 'CLOSED', to: 'ESTABLISHED', timer: null, first: true, slack: 0 }]],
  ]);
  const states = new Map<string, TcpState>([
    [LISTENER, 'LISTEN'],
    [CONN, 'ESTABLISHED'],
  ]);
  const scenario = {
    name: 'tallies',
    network: { latency: 0, jitter: 0, loss: 0, duplicate: 0, reorder: 0 },
    processes: [
      { name: 'server', acceptPolicy: policy, server: {} },
      { name: 'client', acceptPolicy: 'posix', client: {} },
    ],
  };
  const run = { scenario, netns: null, samples, processes, connections: new Map(), connectionStarts: new Map(), anchors: null, watchReads: 0, notes: [], observer: { source: 'test', latency: { reads: 10, medianMs: 2, maxMs: 2 }, lateMs: 0 }, modelSysctls: {}, tunables: {}, wallMs: 10_000 } as unknown as RealRun;
  const replay = {
    scenario,
    profile: LINUX,
    snapshots: samples.map((s) => ({ at: s.at, states, fds: {} })),
    transitions,
    closedAt: new Map(),
    accepted: {},
    emfileTrickConns: [],
    errors: {},
    errorLog,
    acceptLog: {},
  } as unknown as ModelReplay;
  return { run, replay };
}

describe('the agreement, kind by kind', () => {
  it('one wrong connection in ten samples reads 90%, not hidden by the listener row at every sample', () => {
    const { run, replay } = fixture((i) => (i === 5 ? 'CLOSE_WAIT' : 'ESTABLISHED'), [process('server'), process('client')]);
    const check = crossCheck(run, replay);
    expect(check.tallies.connections).toEqual({ agreed: 9, compared: 10 });
    expect(check.tallies.listeners).toEqual({ agreed: 10, compared: 10 });
    expect(agreementText(check)).toBe('connections 9/10 socket-samples (90.0%), listener 10/10, timers 0/0, counts 1/1');
    expect(check.ok).toBe(false);
  });
});

const emfileOf = (check: CrossCheck): CountCheck[] => check.counts.filter((c) => c.what.includes('EMFILE'));

describe('error counts up to the end of the last read', () => {
  const emfile = (...seconds: number[]): { errno: Errno; at: number }[] => seconds.map((s) => ({ errno: 'EMFILE' as const, at: s * S }));

  it("compares EMFILE, leaving out the model's errors after the run (it runs on to learn pending timers)", () => {
    const server = process('server', { errors: { EMFILE: 3 }, errorLog: [1000, 2000, 3000].map((at) => ({ code: 'EMFILE', at })) });
    const { run, replay } = fixture(() => 'ESTABLISHED', [server, process('client')], { server: emfile(1, 2, 3, 50, 60) });
    const check = crossCheck(run, replay);
    expect(emfileOf(check)).toEqual([{ what: 'EMFILE seen by server', os: 3, model: 3, compared: true, ok: true }]);
    expect(check.tallies.counts).toEqual({ agreed: 2, compared: 2 }); // with the accepted count
  });

  it('finds an EMFILE count that differs', () => {
    const server = process('server', { errorLog: [1000].map((at) => ({ code: 'EMFILE', at })) });
    const check = crossCheck(...Object.values(fixture(() => 'ESTABLISHED', [server, process('client')], { server: emfile(1, 2, 3) })) as [RealRun, ModelReplay]);
    expect(emfileOf(check)).toEqual([{ what: 'EMFILE seen by server', os: 1, model: 3, compared: true, ok: false }]);
    expect(check.ok).toBe(false);
  });

  it('lets a count change within the window of the end fall either side of it', () => {
    // the last read ends at 9.002 s; the model's third EMFILE is at 9.010 s, within the 20 ms window
    const server = process('server', { errorLog: [1000, 2000, 9001].map((at) => ({ code: 'EMFILE', at })) });
    const { run, replay } = fixture(() => 'ESTABLISHED', [server, process('client')], { server: [...emfile(1, 2), { errno: 'EMFILE', at: 9_010_000 }] });
    expect(emfileOf(crossCheck(run, replay))[0]).toMatchObject({ os: 3, model: 2, ok: true });
  });

  it("shows a libuv server's EMFILE but does not compare it (libuv hides it from the program)", () => {
    const { run, replay } = fixture(() => 'ESTABLISHED', [process('server'), process('client')], { server: emfile(1, 2) }, 'libuv');
    const check = crossCheck(run, replay);
    expect(emfileOf(check)).toEqual([{ what: 'EMFILE of server (libuv hides it from the program: uv__emfile_trick)', os: 0, model: 2, compared: false, ok: true }]);
    expect(check.tallies.counts).toEqual({ agreed: 1, compared: 1 }); // the accepted count only
  });
});

describe('the JSON report', () => {
  it('gives every time in milliseconds and says so', () => {
    const { run, replay } = fixture(() => 'ESTABLISHED', [process('server'), process('client')]);
    const doc = crossCheckJson({ timeScale: 1, run, replay, check: crossCheck(run, replay) }) as { timeUnit: string; windowMs: number; samples: { t: number; start: number; end: number }[] };
    expect(doc.timeUnit).toBe('ms');
    expect(doc.windowMs).toBe(20);
    expect(doc.samples[3]).toMatchObject({ t: 3000, start: 3000, end: 3002 });
  });
});

describe('a disagreement read over its own interval', () => {
  it("names the model's states during the read when its state at the sample's instant looks the same as the kernel's", () => {
    const { run, replay } = fixture(() => 'ESTABLISHED', [process('server'), process('client')]);
    // the model's listener opens at 0.5 s, after the first read ([0, 2 ms]); its snapshot at that
    // sample still says LISTEN (the fixture's), as a late snapshot would
    (replay.transitions as Map<string, readonly ModelTransition[]>).set(LISTENER, [{ at: S / 2, from: 'CLOSED', to: 'LISTEN', timer: null, first: true, slack: 0 }]);
    const result = { timeScale: 1, run, replay, check: crossCheck(run, replay) };
    expect(result.check.tallies.listeners).toEqual({ agreed: 9, compared: 10 });
    expect(crossCheckText(result)).toContain('✗ L 127.0.0.1:8888: model LISTEN, kernel LISTEN (the model during the read, 0s–0.002s: CLOSED)');
    const doc = crossCheckJson(result) as { samples: { disagreements: unknown[] }[] };
    expect(doc.samples[0]?.disagreements).toEqual([{ socket: LISTENER, model: 'LISTEN', kernel: 'LISTEN', modelDuringRead: ['CLOSED'] }]);
    // a plain disagreement keeps its one-line form
    const plain = fixture((i) => (i === 5 ? 'CLOSE_WAIT' : 'ESTABLISHED'), [process('server'), process('client')]);
    const text = crossCheckText({ timeScale: 1, ...plain, check: crossCheck(plain.run, plain.replay) });
    expect(text).toContain(`✗ ${CONN}: model ESTAB, kernel CLOSE-WAIT\n`);
  });
});
