/**
 * The /proc readers of `tcpsim watch`, on texts as the kernel writes them: the fd limit, the
 * parent pid, the process tree, the inodes of the other socket tables, the TcpExt counters, the
 * listeners' backlogs from ss, and the LISTEN inodes of a port.
 */
import { describe, expect, it } from 'vitest';
import { backlogsFromSs, listenerKey } from '../../src/watch/listenerBacklog.js';
import { parseNetstat } from '../../src/watch/netstatCounters.js';
import { inodesFromSocketTable } from '../../src/watch/otherSocketInodes.js';
import { uidFromStatus } from '../../src/watch/processIdentity.js';
import { parseNofileLimit } from '../../src/watch/processLimits.js';
import { descendantsOf, parentFromStat } from '../../src/watch/processTree.js';
import { listenerInodes } from '../../src/watch/portListeners.js';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            64                   4096                 files
Max locked memory         8388608              8388608              bytes
`;

describe('/proc/PID/limits', () => {
  it('reads the soft and the hard fd limit of "Max open files"', () => {
    expect(parseNofileLimit(LIMITS)).toEqual({ soft: 64, hard: 4096 });
  });

  it('unlimited is null; a missing row is undefined', () => {
    expect(parseNofileLimit(LIMITS.replace('64                   4096', 'unlimited            unlimited'))).toEqual({ soft: null, hard: null });
    expect(parseNofileLimit('Limit  Soft Limit\nMax cpu time unlimited unlimited seconds\n')).toBeUndefined();
  });
});

describe('the process tree', () => {
  it('the parent pid follows the last ")" (a comm may hold spaces and parentheses)', () => {
    expect(parentFromStat('4242 (node) S 4000 4242 4000 0 -1')).toBe(4000);
    expect(parentFromStat('77 (my (odd) server) R 1 77 77 0 -1')).toBe(1);
  });

  it('a root and all its descendants, root first, not its siblings', () => {
    const parents = new Map([
      [10, 1],
      [11, 10],
      [12, 11],
      [13, 10],
      [20, 1],
      [21, 20],
    ]);
    expect(descendantsOf(10, parents)).toEqual([10, 11, 12, 13]);
    expect(descendantsOf(21, parents)).toEqual([21]);
  });

  it('the real uid from /proc/PID/status', () => {
    expect(uidFromStatus('Name:\tnode\nUid:\t1000\t1000\t1000\t1000\nGid:\t1000\n')).toBe(1000);
  });
});

describe('the other socket tables', () => {
  it('UNIX: the Inode column by its header (a socketpair has no path)', () => {
    const unix = `Num       RefCount Protocol Flags    Type St Inode Path
00000000d3e19fd3: 00000003 00000000 00000000 0001 03    45
00000000c33002df: 00000002 00000000 00010000 0001 01 684625 /run/some.sock
`;
    expect(inodesFromSocketTable('unix', unix)).toEqual([45, 684625]);
  });

  it('UDP: laid out like /proc/net/tcp, the inode is the tenth column', () => {
    const udp = `   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  123: 0100007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 31337 2 0000000000000000 0
`;
    expect(inodesFromSocketTable('udp', udp)).toEqual([31337]);
  });

  it('netlink: the Inode column by its header', () => {
    const netlink = `sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode
0000000000000000 0   1          00000000 0        0        0     2        0        9876
`;
    expect(inodesFromSocketTable('netlink', netlink)).toEqual([9876]);
  });
});

describe('/proc/net/netstat', () => {
  it('pairs the TcpExt names with their values', () => {
    const text = 'TcpExt: SyncookiesSent ListenOverflows ListenDrops\nTcpExt: 0 283 290\nIpExt: InNoRoutes\nIpExt: 7\n';
    const counters = parseNetstat(text);
    expect(counters.get('ListenOverflows')).toBe(283);
    expect(counters.get('ListenDrops')).toBe(290);
    expect(parseNetstat(text, 'IpExt').get('InNoRoutes')).toBe(7);
  });
});

describe('listeners', () => {
  it('the backlog is the Send-Q of a LISTEN row in ss', () => {
    const ss = 'LISTEN 0      511        127.0.0.1:8080      0.0.0.0:*\nLISTEN 3      50                 *:8888            *:*\n';
    const backlogs = backlogsFromSs(ss);
    expect(backlogs.get(listenerKey('127.0.0.1', 8080))).toBe(511);
    expect(backlogs.get(listenerKey('::', 8888))).toBe(50);
  });

  it('the LISTEN inodes of a port, from tcp and tcp6, not its connections', () => {
    const tcp = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 7946 1 0000000000000000 100 0 0 10 0
   1: 0100007F:1F90 0100007F:9C40 08 00000000:00000000 00:00000000 00000000     0        0 7947 1 0000000000000000 20 4 0 10 -1
   2: 0100007F:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 7950 1 0000000000000000 100 0 0 10 0
`;
    const tcp6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 8000 1 0000000000000000 100 0 0 10 0
`;
    expect(listenerInodes([tcp, tcp6], 8080)).toEqual(new Set([7946, 8000]));
    expect(listenerInodes([tcp], 9)).toEqual(new Set());
  });
});
