/**
 * The diagnosis from a watch's samples: a CLOSE_WAIT socket stuck for three sampling intervals is
 * a leak (unless the process closes others more slowly), fds on closed sockets that rise are a
 * leak, the fd limit is EMFILE, and TIME_WAIT and orphaned FIN_WAIT_2 are explained, not blamed.
 */
import { describe, expect, it } from 'vitest';
import type { CloseWaitTally } from '../../src/watch/closeWaitTracker.js';
import { fdProjection } from '../../src/watch/fdProjection.js';
import { WatchHistory } from '../../src/watch/watchHistory.js';
import { headroomText, watchFindings, type Finding } from '../../src/watch/watchFindings.js';
import type { ProcessSample, StateCounts, WatchSample } from '../../src/watch/watchSample.js';

const EVERY = 1000;
const CONTEXT = { everyMs: EVERY, finTimeoutS: 60, twReuse: 2 };

interface Shape {
  states?: StateCounts;
  orphans?: StateCounts;
  fds?: number | null;
  nofile?: number | null;
  closedFds?: number | null;
  closeWait?: Partial<CloseWaitTally>;
  peers?: StateCounts;
  peerOrphans?: StateCounts;
  comm?: string;
  listenOverflows?: number;
}

function sample(t: number, shape: Shape): WatchSample {
  const process: ProcessSample = {
    pid: 4242,
    label: `${shape.comm ?? 'java'}[4242]`,
    comm: shape.comm ?? 'java',
    states: shape.states ?? { LISTEN: 1 },
    orphans: shape.orphans ?? {},
    fds: shape.fds === undefined ? 10 : shape.fds,
    nofile: shape.nofile === undefined ? 1024 : shape.nofile,
    closedFds: shape.closedFds === undefined ? 0 : shape.closedFds,
    tcpFds: 1,
    closeWait: { openSince: [], closed: 0, longestCloseMs: 0, leftWithFd: 0, ...shape.closeWait },
  };
  return { t, processes: [process], peers: shape.peers ?? {}, peerOrphans: shape.peerOrphans ?? {}, acceptQueues: [], listenOverflows: shape.listenOverflows ?? 0, listenDrops: shape.listenOverflows ?? 0 };
}

function findingsOf(shapes: Shape[]): Finding[] {
  const history = new WatchHistory();
  shapes.forEach((shape, i) => history.add(sample(i * EVERY, shape)));
  return watchFindings(history, CONTEXT);
}

/** A server that gets one connection a second and never closes it: CLOSE_WAIT and fds grow together. */
function leaking(samples: number): Shape[] {
  return Array.from({ length: samples }, (_, i) => ({
    states: { LISTEN: 1, CLOSE_WAIT: i },
    fds: 10 + i,
    closeWait: { openSince: Array.from({ length: i }, (_, k) => (k + 1) * EVERY) },
    peers: { FIN_WAIT_2: i },
    peerOrphans: { FIN_WAIT_2: i },
  }));
}

describe('CLOSE_WAIT', () => {
  it('stuck three sampling intervals with nothing closed: a leak naming the process, its rate and the time to EMFILE', () => {
    const findings = findingsOf(leaking(8));
    const leak = findings.find((f) => f.kind === 'close-wait-leak');
    expect(leak?.leak).toBe(true);
    expect(leak?.process).toBe('java[4242]');
    expect(leak?.text).toContain('java[4242] does not close connections its peers have closed: 7 sockets sit in CLOSE_WAIT, the oldest for at least 6 s');
    expect(leak?.text).toContain('CLOSE_WAIT +60/min; fds 17/1024, +60/min ⇒ EMFILE in ~17 min');
    expect(findings.some((f) => f.kind === 'no-leak')).toBe(false);
  });

  it('a process that exits holding them did not close them: still a leak, in the past tense', () => {
    const history = new WatchHistory();
    leaking(8).forEach((shape, i) => history.add(sample(i * EVERY, shape)));
    history.add({ ...sample(8 * EVERY, {}), processes: [] });
    const leak = watchFindings(history, CONTEXT).find((f) => f.kind === 'close-wait-leak');
    expect(leak?.leak).toBe(true);
    expect(leak?.text).toContain('java[4242] did not close connections its peers had closed: 7 sockets sat in CLOSE_WAIT until it exited');
    expect(leak?.headline).toBe('java[4242] did not close connections its peers had closed: CLOSE_WAIT 7 until it exited');
  });

  it('not yet three intervals old: no verdict', () => {
    expect(findingsOf(leaking(3)).some((f) => f.leak)).toBe(false);
  });

  it('three intervals as sampled: a sample a few ms early on its grid still counts', () => {
    const history = new WatchHistory();
    const seenAt = 1005;
    [0, 1005, 2010, 3001].forEach((t, i) => history.add(sample(t, { states: { LISTEN: 1, CLOSE_WAIT: i === 0 ? 0 : 1 }, closeWait: { openSince: i === 0 ? [] : [seenAt] } })));
    expect(watchFindings(history, CONTEXT).find((f) => f.kind === 'close-wait-leak')).toBeUndefined();
    history.add(sample(3996, { states: { LISTEN: 1, CLOSE_WAIT: 1 }, closeWait: { openSince: [seenAt] } }));
    expect(watchFindings(history, CONTEXT).find((f) => f.kind === 'close-wait-leak')?.leak).toBe(true);
  });

  it('a process that closes its CLOSE_WAIT sockets after a while is slow, not leaking, until one waits twice as long', () => {
    const slow = (open: number[]): Shape => ({ states: { LISTEN: 1, CLOSE_WAIT: open.length }, closeWait: { openSince: open, closed: 5, longestCloseMs: 3000 } });
    const waiting = findingsOf([slow([0]), slow([0]), slow([0]), slow([0]), slow([0]), slow([0])]);
    expect(waiting.some((f) => f.kind === 'close-wait-leak')).toBe(false);
    expect(waiting.find((f) => f.kind === 'close-wait-passing')?.text).toContain('closed them (5, each within 3 s');
    const forgotten = findingsOf(Array.from({ length: 8 }, () => slow([0])));
    expect(forgotten.find((f) => f.kind === 'close-wait-leak')?.text).toContain('it closed 5 others, each within 3 s, so this one is forgotten, not slow');
  });
});

describe('fds', () => {
  it('fds on closed sockets that rise: a leak invisible to netstat (Go’s keepalive)', () => {
    const shapes: Shape[] = [{ closedFds: null }, { closedFds: 0 }, { closedFds: 0 }, { closedFds: 3, closeWait: { leftWithFd: 3 } }];
    const found = findingsOf(shapes).find((f) => f.kind === 'closed-fds');
    expect(found?.leak).toBe(true);
    expect(found?.text).toContain('holds 3 fds on sockets the kernel has already closed, 3 sockets left CLOSE_WAIT while watched without java[4242] closing their fds: a RST from the peer ended them');
  });

  it('as many fds on closed sockets as at the start: said, not blamed', () => {
    const found = findingsOf([{ closedFds: null }, { closedFds: 3 }, { closedFds: 3 }]).find((f) => f.kind === 'closed-fds');
    expect(found?.leak).toBe(false);
  });

  it('at the limit: EMFILE, in the runtime’s words (Node accepts and closes)', () => {
    const node = findingsOf([{ fds: 60, nofile: 64, comm: 'node' }, { fds: 64, nofile: 64, comm: 'node' }]).find((f) => f.kind === 'emfile');
    expect(node?.text).toContain('node[4242] reached its fd limit (nofile 64) at 0:01: its next accept() fails with EMFILE, and it is still there at 0:01');
    expect(node?.text).toContain('uv__emfile_trick');
    const java = findingsOf([{ fds: 64, nofile: 64 }]).find((f) => f.kind === 'emfile');
    expect(java?.text).toContain('the connection waits in the accept queue');
  });

  it('the headroom in words, and no projection without a trend', () => {
    expect(headroomText({ fds: 812, nofile: 1024, perMinute: 12, emfileInMs: (212 / 12) * 60_000 })).toBe('fds 812/1024, +12/min ⇒ EMFILE in ~18 min');
    expect(headroomText({ fds: 64, nofile: 64, perMinute: 0, emfileInMs: 0 })).toBe('fds 64/64: at the limit, EMFILE');
    const history = new WatchHistory();
    for (const [i, fds] of [4, 20, 20, 20].entries()) history.add(sample(i * EVERY, { fds }));
    expect(fdProjection(history.processes.get(4242)!)?.emfileInMs).toBeUndefined();
  });
});

describe('what is normal', () => {
  it('orphaned FIN_WAIT_2 on the peers: waits on tcp_fin_timeout, and beside a CLOSE_WAIT leak explains the article’s netstat', () => {
    const text = findingsOf(leaking(8)).find((f) => f.kind === 'orphan-fin-wait-2')?.text;
    expect(text).toContain("Up to 7 of its peers' sockets sat in FIN_WAIT_2 orphaned");
    expect(text).toContain('tcp_fin_timeout (60 s)');
    expect(text).toContain("why the article's netstat shows CLOSE_WAIT and no FIN_WAIT2");
  });

  it('TIME_WAIT: whoever closes first holds it; what tcp_tw_reuse does and does not', () => {
    const found = findingsOf([{ peers: { TIME_WAIT: 40 } }]).find((f) => f.kind === 'time-wait');
    expect(found?.leak).toBe(false);
    expect(found?.text).toContain('TIME_WAIT peaked at 40 on its peers');
    expect(found?.text).toContain('net.ipv4.tcp_tw_reuse=2 (on for loopback connections only, the default)');
    expect(found?.text).toContain('does not shorten TIME_WAIT');
  });

  it('ListenOverflows rising: an accept queue overflowed', () => {
    expect(findingsOf([{}, { listenOverflows: 283 }]).find((f) => f.kind === 'accept-overflow')?.text).toContain('ListenOverflows rose by 283');
  });

  it('nothing wrong: no leak seen', () => {
    const findings = findingsOf([{}, {}, {}, {}, {}]);
    expect(findings.map((f) => f.kind)).toEqual(['no-leak']);
  });
});
