import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatIpv6, parseProcEndpoint, parseProcNetTcp } from '../../src/real/procNetTcp.js';
import { fourTupleKey } from '../../src/real/socketRow.js';
import { parseSs } from '../../src/real/ssObserver.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('/proc/net/tcp addresses', () => {
  it('IPv4 is little-endian hex, the port big-endian', () => {
    expect(parseProcEndpoint('0100007F:1389')).toEqual({ addr: '127.0.0.1', port: 5001 });
    expect(parseProcEndpoint('7F000001:1389', 'BE')).toEqual({ addr: '127.0.0.1', port: 5001 });
    expect(parseProcEndpoint('00000000:0000')).toEqual({ addr: '0.0.0.0', port: 0 });
  });

  it('IPv6 is four host-order words', () => {
    expect(parseProcEndpoint('00000000000000000000000001000000:1390').addr).toBe('::1');
    expect(parseProcEndpoint('00000000000000000000000000000000:1391').addr).toBe('::');
    expect(parseProcEndpoint('0000000000000000FFFF00000100007F:1391').addr).toBe('::ffff:127.0.0.1');
    expect(formatIpv6([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])).toBe('2001:db8::1');
  });
});

describe('/proc/net/tcp rows captured on a real kernel', () => {
  const rows = [...parseProcNetTcp(fixture('proc-net-tcp.txt')), ...parseProcNetTcp(fixture('proc-net-tcp6.txt'))];

  it('tm->when is in USER_HZ ticks (10 ms)', () => {
    expect(rows.find((r) => r.state === 'TIME_WAIT')?.timer).toEqual({ name: 'timewait', remainingMs: 58_490, retrans: 0 });
    expect(rows.find((r) => r.state === 'SYN_RECEIVED')?.timer).toEqual({ name: 'on', remainingMs: 1_510, retrans: 1 });
    expect(rows.find((r) => r.state === 'FIN_WAIT_1')?.timer).toEqual({ name: 'on', remainingMs: 160, retrans: 2 });
  });

  it('an orphaned FIN_WAIT_2 is a timewait minisocket: state 05, timer 3, no inode', () => {
    const orphan = rows.find((r) => r.remote.port === 5011);
    expect(orphan).toMatchObject({ state: 'FIN_WAIT_2', inode: 0, timer: { name: 'timewait' } });
  });

  it('agrees with ss, taken at the same instant, on every connection state', () => {
    const ss = parseSs(fixture('ss-states.txt'));
    const fromSs = new Map(ss.map((r) => [`${r.state}|${fourTupleKey(r)}`, r]));
    const fromProc = new Map(rows.map((r) => [`${r.state}|${fourTupleKey(r)}`, r]));
    expect([...fromProc.keys()].sort()).toEqual([...fromSs.keys()].sort());
    for (const [key, row] of fromProc) {
      const other = fromSs.get(key);
      expect(row.timer?.name, key).toBe(other?.timer?.name);
      if (row.state !== 'LISTEN') expect(row.recvQ, key).toBe(other?.recvQ);
    }
  });

  it('rejects a line it does not understand', () => {
    expect(() => parseProcNetTcp('   0: nonsense')).toThrow(/line 1 not understood/);
  });
});
