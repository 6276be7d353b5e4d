/**
 * The live table: a row per sample, equal rows folded into `⋮` as `tcpsim run` folds them, a new
 * header when a state appears for the first time, the fds against the limit, the projected time
 * to EMFILE, and each finding once, under the row that first showed it.
 */
import { describe, expect, it } from 'vitest';
import { PLAIN } from '../../src/report/runText.js';
import { LiveTable } from '../../src/watch/liveTable.js';
import { WatchHistory } from '../../src/watch/watchHistory.js';
import { watchFindings } from '../../src/watch/watchFindings.js';
import type { StateCounts, WatchSample } from '../../src/watch/watchSample.js';

function sample(t: number, states: StateCounts, fds: number, peers: StateCounts = {}): WatchSample {
  return {
    t,
    processes: [{ pid: 7, label: 'node[7]', comm: 'node', states, orphans: {}, fds, nofile: 64, closedFds: 0, tcpFds: 1, closeWait: { openSince: Array.from({ length: states.CLOSE_WAIT ?? 0 }, () => 0), closed: 0, longestCloseMs: 0, leftWithFd: 0 } }],
    peers,
    peerOrphans: peers,
    acceptQueues: [{ process: 'node[7]', listener: '127.0.0.1:8080', queued: 0, backlog: 511 }],
    listenOverflows: 0,
    listenDrops: 0,
  };
}

function play(samples: WatchSample[]): string[] {
  const lines: string[] = [];
  const table = new LiveTable(PLAIN, (line) => lines.push(line));
  const history = new WatchHistory();
  for (const s of samples) {
    history.add(s);
    table.add(s, history, watchFindings(history, { everyMs: 1000, finTimeoutS: 60, twReuse: 2 }));
  }
  table.finish();
  return lines;
}

describe('the live table', () => {
  it('folds equal rows and always shows the last', () => {
    const lines = play([0, 1, 2, 3].map((i) => sample(i * 1000, { LISTEN: 1 }, 20)));
    expect(lines).toEqual([
      '    time  LISTEN  ESTABLISHED  CLOSE_WAIT  accept queue  fds node[7]  EMFILE in',
      '    0:00       1            0           0         0/511        20/64          -',
      '       ⋮',
      '    0:03       1            0           0         0/511        20/64          -',
    ]);
  });

  it('a new state adds a column under a new header; a finding is announced once; the EMFILE column projects', () => {
    const samples = [0, 1, 2, 3, 4, 5].map((i) => sample(i * 1000, { LISTEN: 1, CLOSE_WAIT: i }, 20 + 4 * i, i > 0 ? { FIN_WAIT_2: i } : {}));
    const lines = play(samples);
    const headers = lines.filter((l) => l.trimStart().startsWith('time'));
    expect(headers).toHaveLength(2);
    expect(headers[1]).toContain('peer FIN_WAIT_2');
    expect(lines.filter((l) => l.includes('does not close connections its peers have closed'))).toHaveLength(1);
    expect(lines.find((l) => l.startsWith('    0:05'))).toMatch(/40\/64 +~6 s$/);
  });
});
