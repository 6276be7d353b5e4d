import { describe, expect, it } from 'vitest';
import { UnsafeAddressError, assertSafeAddress, isLoopbackAddress } from '../../src/real/addressGuard.js';
import { CleanupRegistry, RunTimeoutError, withCleanup } from '../../src/real/cleanup.js';
import { nftDropScript } from '../../src/real/nftDrop.js';
import { parseTunables, sysctlPath } from '../../src/real/sysctl.js';

describe('address guard', () => {
  it.each(['127.0.0.1', '127.1.2.3', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '::ffff:7f00:1'])('allows loopback %s', (addr) => {
    expect(isLoopbackAddress(addr)).toBe(true);
    expect(() => assertSafeAddress(addr)).not.toThrow();
  });

  it.each(['10.0.0.1', '192.168.1.1', '8.8.8.8', '::', '0.0.0.0', '::ffff:10.0.0.1', '2001:db8::1', '128.0.0.1'])(
    'refuses %s outside an own namespace, naming address and rule',
    (addr) => {
      expect(() => assertSafeAddress(addr, { purpose: 'connect' })).toThrow(UnsafeAddressError);
      expect(() => assertSafeAddress(addr, { purpose: 'connect' })).toThrow(new RegExp(`${addr.replaceAll('.', '\\.')}.*Rule: real mode sends traffic only to 127\\.0\\.0\\.0/8`));
    },
  );

  it('allows any address inside a namespace the run created, not inside a foreign one', () => {
    const own = new Set(['tcpsim-1-1']);
    expect(() => assertSafeAddress('10.9.0.2', { netns: 'tcpsim-1-1', ownNamespaces: own })).not.toThrow();
    expect(() => assertSafeAddress('10.9.0.2', { netns: 'other', ownNamespaces: own })).toThrow(/which this run did not create/);
  });

  it('refuses host names', () => {
    expect(() => assertSafeAddress('localhost')).toThrow(/not an IP address/);
  });
});

describe('nft drop script', () => {
  it('drops FINs to or from a port on the input hook', () => {
    expect(nftDropScript('tcpsim_1_1', [{ match: 'fin', port: 8080, percent: 100 }])).toBe(
      [
        'table inet tcpsim_1_1 {',
        '  chain input {',
        '    type filter hook input priority filter; policy accept;',
        '    tcp dport 8080 tcp flags & fin == fin drop',
        '    tcp sport 8080 tcp flags & fin == fin drop',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('drops a random fraction of all TCP', () => {
    expect(nftDropScript('tcpsim_x', [{ match: 'any', percent: 10 }])).toContain('meta l4proto tcp numgen random mod 100 < 10 drop');
  });

  it('refuses bad names, ports and percentages', () => {
    expect(() => nftDropScript('filter', [])).toThrow(/tcpsim_/);
    expect(() => nftDropScript('tcpsim_x', [{ match: 'any', port: 70_000, percent: 100 }])).toThrow(/port/);
    expect(() => nftDropScript('tcpsim_x', [{ match: 'any', percent: 0 }])).toThrow(/percent/);
  });
});

describe('sysctl tunables', () => {
  it('parses the raw file texts', () => {
    const tunables = parseTunables({
      'net.ipv4.tcp_fin_timeout': '60\n',
      'net.ipv4.tcp_syn_retries': '6\n',
      'net.ipv4.tcp_synack_retries': '5\n',
      'net.ipv4.tcp_orphan_retries': '0\n',
      'net.ipv4.tcp_retries2': '15\n',
      'net.ipv4.tcp_rfc1337': '0\n',
      'net.core.somaxconn': '4096\n',
      'net.ipv4.ip_local_port_range': '32768\t60999\n',
    });
    expect(tunables).toEqual({
      finTimeoutS: 60,
      synRetries: 6,
      synAckRetries: 5,
      orphanRetries: 0,
      retries2: 15,
      rfc1337: false,
      somaxconn: 4096,
      localPortRange: [32768, 60999],
    });
  });

  it('maps dotted keys to /proc/sys and refuses anything outside net.*', () => {
    expect(sysctlPath('net.ipv4.tcp_fin_timeout')).toBe('/proc/sys/net/ipv4/tcp_fin_timeout');
    expect(() => sysctlPath('kernel.panic')).toThrow(/net\.\*/);
    expect(() => sysctlPath('net.ipv4.../../x')).toThrow();
  });
});

describe('cleanup registry', () => {
  it('runs every action exactly once, newest first, even when one throws', () => {
    const registry = new CleanupRegistry();
    const order: string[] = [];
    registry.add('netns', () => order.push('netns'));
    registry.add('broken', () => {
      throw new Error('boom');
    });
    registry.add('socket', () => order.push('socket'));
    const report = registry.runAll();
    registry.runAll();
    expect(order).toEqual(['socket', 'netns']);
    expect(report.failed).toEqual([{ label: 'broken', error: 'boom' }]);
    expect(registry.signal.aborted).toBe(true);
  });

  it('an action released early does not run again', () => {
    const registry = new CleanupRegistry();
    let runs = 0;
    const release = registry.add('table', () => (runs += 1));
    release();
    release();
    registry.runAll();
    expect(runs).toBe(1);
  });

  it('cleans up after a normal return, an error and a timeout', async () => {
    const ran: string[] = [];
    await withCleanup(async (r) => void r.add('ok', () => ran.push('ok')), { processHooks: false });
    await expect(
      withCleanup(
        async (r) => {
          r.add('error', () => ran.push('error'));
          throw new Error('scenario failed');
        },
        { processHooks: false },
      ),
    ).rejects.toThrow('scenario failed');
    await expect(
      withCleanup(
        async (r) => {
          r.add('timeout', () => ran.push('timeout'));
          await new Promise((resolve) => setTimeout(resolve, 1_000));
        },
        { processHooks: false, timeoutMs: 20 },
      ),
    ).rejects.toThrow(RunTimeoutError);
    expect(ran).toEqual(['ok', 'error', 'timeout']);
  });
});
