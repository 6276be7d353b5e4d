/**
 * What became of each CLOSE_WAIT socket between samples: still waiting (with its age), closed by
 * the program (its fd gone), or gone from the table while the program keeps the fd (Go's
 * keepalive RST) — the last only when the fd is still open at the next sample too.
 */
import { describe, expect, it } from 'vitest';
import type { TcpState } from '../../src/model/states.js';
import type { SocketRow } from '../../src/real/socketRow.js';
import { CloseWaitTracker } from '../../src/watch/closeWaitTracker.js';

const PID = 10;

function socket(state: TcpState, port: number, inode: number): SocketRow {
  return { state, local: { addr: '127.0.0.1', port: 8080 }, remote: { addr: '127.0.0.1', port }, recvQ: 0, sendQ: 0, inode };
}

function step(tracker: CloseWaitTracker, t: number, rows: SocketRow[], fds: number[] | null): void {
  tracker.update(t, new Map([[PID, rows]]), new Map([[PID, fds === null ? null : new Set(fds)]]));
}

describe('CLOSE_WAIT sockets across samples', () => {
  it('a socket still in CLOSE_WAIT keeps the time it was first seen there', () => {
    const tracker = new CloseWaitTracker();
    step(tracker, 0, [socket('ESTABLISHED', 1, 11)], [11]);
    step(tracker, 250, [socket('CLOSE_WAIT', 1, 11)], [11]);
    step(tracker, 500, [socket('CLOSE_WAIT', 1, 11), socket('CLOSE_WAIT', 2, 12)], [11, 12]);
    expect(tracker.tally(PID)).toEqual({ openSince: [250, 500], closed: 0, longestCloseMs: 0, leftWithFd: 0 });
  });

  it('closed by the program: the fd is gone; the longest wait is kept', () => {
    const tracker = new CloseWaitTracker();
    step(tracker, 0, [socket('CLOSE_WAIT', 1, 11), socket('CLOSE_WAIT', 2, 12)], [11, 12]);
    step(tracker, 250, [socket('LAST_ACK', 1, 0), socket('CLOSE_WAIT', 2, 12)], [12]);
    step(tracker, 750, [], []);
    expect(tracker.tally(PID)).toEqual({ openSince: [], closed: 2, longestCloseMs: 750, leftWithFd: 0 });
  });

  it('gone from the table while the fd stays open at the next sample too: left with its fd (a leak)', () => {
    const tracker = new CloseWaitTracker();
    step(tracker, 0, [socket('CLOSE_WAIT', 1, 11)], [11]);
    step(tracker, 250, [], [11]);
    expect(tracker.tally(PID).leftWithFd).toBe(0);
    step(tracker, 500, [], [11]);
    expect(tracker.tally(PID)).toMatchObject({ closed: 0, leftWithFd: 1 });
  });

  it('a process exiting lists fds whose sockets are being released: gone at the next sample, no leak', () => {
    const tracker = new CloseWaitTracker();
    step(tracker, 0, [socket('CLOSE_WAIT', 1, 11)], [11]);
    step(tracker, 250, [], [11]);
    // until the next sample decides, the socket still waits: its fd is held
    expect(tracker.tally(PID)).toEqual({ openSince: [0], closed: 0, longestCloseMs: 0, leftWithFd: 0 });
    tracker.update(500, new Map(), new Map());
    expect(tracker.tally(PID)).toMatchObject({ closed: 0, leftWithFd: 0 });
  });

  it('a process whose fds cannot be read: a socket that left CLOSE_WAIT counts as closed', () => {
    const tracker = new CloseWaitTracker();
    step(tracker, 0, [socket('CLOSE_WAIT', 1, 11)], null);
    step(tracker, 250, [], null);
    expect(tracker.tally(PID)).toMatchObject({ closed: 1, leftWithFd: 0 });
  });
});
