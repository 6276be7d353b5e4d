import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSs, parseSsDuration, parseSsEndpoint, parseSsTimer, ssPortFilter } from '../../src/real/ssObserver.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('ss timer durations', () => {
  it.each([
    ['59sec', 59_000],
    ['1min59sec', 119_000],
    ['1min58sec', 118_000],
    ['1min', 60_000],
    ['10min', 600_000],
    ['200ms', 200],
    ['028ms', 28],
    ['1.516ms', 1_516], // 1 s + 516 ms, not 1.5 ms (iproute2 print_ms_timer)
    ['6.528ms', 6_528],
    ['13sec', 13_000],
    ['', 0],
  ])('"%s" is %i ms', (text, ms) => {
    expect(parseSsDuration(text)).toBe(ms);
  });

  it('rejects what ss never prints', () => {
    expect(() => parseSsDuration('5s')).toThrow(/not understood/);
    expect(() => parseSsDuration('1.')).toThrow(/not understood/);
  });
});

describe('ss address columns', () => {
  it.each([
    ['127.0.0.1:5001', '127.0.0.1', 5001],
    ['0.0.0.0:*', '0.0.0.0', 0],
    ['[::1]:5008', '::1', 5008],
    ['[::ffff:127.0.0.1]:5009', '::ffff:127.0.0.1', 5009],
    ['*:5009', '::', 5009],
    ['*:*', '::', 0],
    ['[::]:5013', '::', 5013],
    ['127.0.0.1%lo:80', '127.0.0.1', 80],
  ])('%s', (column, addr, port) => {
    expect(parseSsEndpoint(column)).toEqual({ addr, port });
  });
});

describe('ss timers', () => {
  it('reads name, remaining time and retransmissions', () => {
    expect(parseSsTimer('timer:(timewait,59sec,0)')).toEqual({ name: 'timewait', remainingMs: 59_000, retrans: 0 });
    expect(parseSsTimer('timer:(on,200ms,1)')).toEqual({ name: 'on', remainingMs: 200, retrans: 1 });
    expect(parseSsTimer('timer:(keepalive,1min59sec,0)')).toEqual({ name: 'keepalive', remainingMs: 119_000, retrans: 0 });
    expect(parseSsTimer('')).toBeUndefined();
  });
});

describe('ss rows captured on a real kernel (test/real/fixtures/capture.mjs)', () => {
  const rows = parseSs(fixture('ss-states.txt'));
  const find = (local: number, remote?: number) =>
    rows.filter((r) => r.local.port === local && (remote === undefined || r.remote.port === remote));

  it('parses every line into a canonical state', () => {
    expect(rows).toHaveLength(fixture('ss-states.txt').trim().split('\n').length);
    expect(new Set(rows.map((r) => r.state))).toEqual(
      new Set(['LISTEN', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSE_WAIT', 'LAST_ACK', 'TIME_WAIT', 'SYN_SENT', 'SYN_RECEIVED']),
    );
  });

  it('a FIN dropped on input leaves the closer in FIN_WAIT_1 retransmitting', () => {
    const [closer] = rows.filter((r) => r.remote.port === 5004);
    expect(closer).toMatchObject({ state: 'FIN_WAIT_1', sendQ: 1, timer: { name: 'on', retrans: 2 } });
  });

  it('a half-closed client waits in FIN_WAIT_2 with no timer while the server sits in CLOSE_WAIT', () => {
    const client = rows.find((r) => r.remote.port === 5002 && r.state !== 'LISTEN');
    expect(client?.state).toBe('FIN_WAIT_2');
    expect(client?.timer).toBeUndefined();
    expect(find(5002).map((r) => r.state)).toContain('CLOSE_WAIT');
  });

  it('an orphaned FIN_WAIT_2 carries the timewait timer', () => {
    const orphan = rows.find((r) => r.remote.port === 5011);
    expect(orphan).toMatchObject({ state: 'FIN_WAIT_2', timer: { name: 'timewait', remainingMs: 58_000 } });
  });

  it('reads TIME_WAIT, keepalive, persist, SYN_SENT and SYN_RECEIVED timers', () => {
    expect(rows.find((r) => r.remote.port === 5003)).toMatchObject({ state: 'TIME_WAIT', timer: { name: 'timewait', remainingMs: 58_000 } });
    expect(rows.find((r) => r.remote.port === 5001)).toMatchObject({ timer: { name: 'keepalive', remainingMs: 118_000 } });
    expect(rows.find((r) => r.remote.port === 5012)).toMatchObject({ sendQ: 3_723_910, timer: { name: 'persist', remainingMs: 28 } });
    expect(rows.find((r) => r.remote.port === 5006)).toMatchObject({ state: 'SYN_SENT', timer: { name: 'on', retrans: 1 } });
    expect(find(5007).find((r) => r.state === 'SYN_RECEIVED')).toMatchObject({ timer: { name: 'on', remainingMs: 1_516, retrans: 1 } });
  });

  it('keeps IPv6, IPv4-mapped and wildcard addresses apart from IPv4', () => {
    expect(find(5008)[0]?.local.addr).toBe('::1');
    expect(find(5009).map((r) => r.local.addr).sort()).toEqual(['::', '::ffff:127.0.0.1']);
    expect(find(5010).find((r) => r.state === 'LISTEN')?.local.addr).toBe('0.0.0.0');
    expect(find(5012).find((r) => r.state === 'ESTABLISHED')?.recvQ).toBe(130_021);
  });

  it('rejects lines it does not understand instead of guessing', () => {
    expect(() => parseSs('Recv-Q Send-Q Local Address:Port Peer Address:Port\n')).toThrow(/line 1 not understood/);
  });
});

describe('ss port filter', () => {
  it('matches either direction of every port', () => {
    expect(ssPortFilter([80, 8080])).toBe('( sport = :80 or dport = :80 or sport = :8080 or dport = :8080 )');
    expect(() => ssPortFilter([0])).toThrow(/not a TCP port/);
    expect(() => ssPortFilter([])).toThrow();
  });
});
