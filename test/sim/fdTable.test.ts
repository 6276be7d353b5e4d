import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FdTable } from '../../src/sim/fdTable.js';
import { listeningPair } from './pair.js';

describe('FdTable', () => {
  it('hands out the lowest free fd, above the baseline, whatever order fds were closed in', () => {
    const fds = new FdTable<string>(64, 3);
    const opened = Array.from({ length: 12 }, (_, i) => fds.open(`s${i}`));
    expect(opened).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    // holes closed out of order: the free-fd heap must give them back smallest first, whichever child is smaller
    for (const fd of [12, 5, 9, 4, 13, 7, 10]) fds.close(fd);
    expect(Array.from({ length: 8 }, () => fds.open('again'))).toEqual([4, 5, 7, 9, 10, 12, 13, 15]);
  });

  it('gives back any set of closed fds lowest first, closed in any order and interleaved with opens', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(Array.from({ length: 20 }, (_, i) => 3 + i)), fc.integer({ min: 0, max: 20 }), (closed, reopenEarly) => {
        const fds = new FdTable<number>(64, 3);
        for (let i = 0; i < 20; i++) fds.open(i);
        const early = Math.min(reopenEarly, closed.length);
        // close some, reopen a few (the lowest of those closed so far), then close the rest
        for (const fd of closed.slice(0, early)) fds.close(fd);
        const first = Array.from({ length: Math.floor(early / 2) }, () => fds.open(-1));
        expect(first).toEqual([...closed.slice(0, early)].sort((a, b) => a - b).slice(0, first.length));
        for (const fd of closed.slice(early)) fds.close(fd);
        const stillFree = closed.filter((fd) => !first.includes(fd)).sort((a, b) => a - b);
        expect(Array.from({ length: stillFree.length + 1 }, () => fds.open(-1))).toEqual([...stillFree, 23]);
      }),
      { seed: 13, numRuns: 300 },
    );
  });

  it('reopens a closed fd before a new one, and keeps what each fd refers to', () => {
    const fds = new FdTable<string>(64, 0);
    fds.open('a');
    fds.open('b');
    fds.open('c');
    expect(fds.close(1)).toBe('b');
    expect(fds.get(1)).toBeUndefined();
    expect(fds.open('d')).toBe(1);
    expect([fds.get(0), fds.get(1), fds.get(2)]).toEqual(['a', 'd', 'c']);
    expect(fds.entries()).toEqual([
      [0, 'a'],
      [1, 'd'],
      [2, 'c'],
    ]);
    // a closed fd in the middle is not listed
    fds.close(1);
    expect(fds.entries()).toEqual([
      [0, 'a'],
      [2, 'c'],
    ]);
  });

  it('fails with EMFILE exactly when open fds reach nofile, baseline included', () => {
    const fds = new FdTable<string>(5, 3);
    expect(fds.full).toBe(false);
    expect(fds.open('x')).toBe(3);
    expect(fds.full).toBe(false);
    expect(fds.open('y')).toBe(4);
    expect(fds.inUse).toBe(5);
    expect(fds.full).toBe(true);
    expect(fds.open('z')).toBe(-1);
    expect(fds.inUse).toBe(5);
    fds.close(3);
    expect(fds.full).toBe(false);
    expect(fds.open('z')).toBe(3);
  });

  it('closing an fd twice is EBADF the second time and leaves the count alone', () => {
    const fds = new FdTable<string>(8, 3);
    const fd = fds.open('x');
    fds.open('y');
    expect(fds.close(fd)).toBe('x');
    expect(fds.inUse).toBe(4);
    expect(fds.close(fd)).toBeUndefined();
    expect(fds.inUse).toBe(4);
    // a baseline fd or one never opened is not ours to close either
    expect(fds.close(1)).toBeUndefined();
    expect(fds.close(99)).toBeUndefined();
    expect(fds.inUse).toBe(4);
    // and the fd is handed out once, not twice
    expect([fds.open('a'), fds.open('b')]).toEqual([3, 5]);
  });

  it('refuses a baseline above the limit', () => {
    expect(() => new FdTable<string>(2, 3)).toThrow(/baseline 3 exceeds nofile 2/);
  });
});

describe('the fd table behind the syscalls', () => {
  it('close() of a closed fd is EBADF, with the process’s fd count unchanged', () => {
    const { world, client } = listeningPair(8);
    const fd = world.connect(client, '127.0.0.1', 8888) as number;
    world.runUntil(10_000);
    expect(world.close(client, fd)).toBe(0);
    const inUse = world.fdsInUse(client);
    expect(world.close(client, fd)).toBe('EBADF');
    expect(world.abort(client, fd)).toBe('EBADF');
    expect(world.fdsInUse(client)).toBe(inUse);
  });

  it('listen() at the fd limit fails with EMFILE and binds nothing', () => {
    const { world } = listeningPair(8);
    const full = world.addProcess({ name: 'full', host: 0, nofile: 4, baselineFds: 3 });
    expect(world.openFile(full, 'a pipe')).toBe(3);
    expect(world.listen(full, 9000, 8)).toBe('EMFILE');
    expect(world.errors(full).EMFILE).toBe(1);
    expect(world.fdsInUse(full)).toBe(4);
    // nothing listens on 9000: a connection is refused
    const other = world.addProcess({ name: 'other', host: 0, nofile: 8, baselineFds: 3 });
    const fd = world.connect(other, '127.0.0.1', 9000) as number;
    world.runUntil(world.now + 10_000);
    expect(world.connectOutcome(other, fd)).toBe('ECONNREFUSED');
  });

  it('connect() at the fd limit fails with EMFILE before taking a port', () => {
    const { world } = listeningPair(8);
    const full = world.addProcess({ name: 'full', host: 0, nofile: 3, baselineFds: 3 });
    expect(world.connect(full, '127.0.0.1', 8888)).toBe('EMFILE');
    expect(world.sockets().filter((s) => s.process === 'full')).toEqual([]);
  });
});
