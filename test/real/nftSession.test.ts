/**
 * Fault windows through one `nft -i` per run (src/real/nftSession.ts), and the precise drop that
 * takes one segment at most (`maxPackets`, nft `limit rate 1/hour burst N packets`). Needs Linux
 * and root; everything lives in a namespace the test creates.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CleanupRegistry } from '../../src/real/cleanup.js';
import { createNetns } from '../../src/real/netns.js';
import { listNftTables, nftDropCommand } from '../../src/real/nftDrop.js';
import { openNftSession } from '../../src/real/nftSession.js';
import { runTagFor } from '../../src/real/runTag.js';
import { ensureTools, osSkipReason, skipOs } from './osSupport.js';

const PORT = 7314;
let registry = new CleanupRegistry();

afterEach(() => {
  registry.runAll();
  registry = new CleanupRegistry();
});

async function until(probe: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('nft drop commands', () => {
  it('are one line for nft -i, with a packet limit when asked', () => {
    expect(nftDropCommand('tcpsim_1_0', [{ match: 'any', port: 8888, direction: 'dport', flagsExactly: 'ack', percent: 100, maxPackets: 1 }])).toBe(
      'add table inet tcpsim_1_0 { chain input { type filter hook input priority filter; policy accept; tcp dport 8888 tcp flags & (fin|syn|rst|psh|ack|urg) == ack limit rate 1/hour burst 1 packets drop; }; }',
    );
    expect(() => nftDropCommand('tcpsim_1_0', [{ match: 'any', percent: 100, maxPackets: 0 }])).toThrow(/maxPackets/);
  });
});

describe.skipIf(skipOs)(`nft session in a namespace${osSkipReason === undefined ? '' : ` (${osSkipReason})`}`, () => {
  it('opens and closes windows with a line each; a one-packet rule drops the first SYN only', async () => {
    ensureTools();
    const netns = await createNetns(registry);
    const nft = openNftSession(registry, netns.name, runTagFor());
    nft.add('tcpsim_test_syn', [{ match: 'syn', port: PORT, direction: 'dport', percent: 100, maxPackets: 1 }]);
    await until(async () => (await listNftTables(netns.name)).includes('tcpsim_test_syn'), 'the table');
    // the first SYN is dropped; the retransmission 1 s later passes, so connect() takes ≈1 s and succeeds
    const probe = await netns.run(
      [
        process.execPath,
        '-e',
        `const net = require('node:net'); const s = net.createServer().listen(${PORT}, '127.0.0.1', () => {
           const t = Date.now(); const c = net.connect(${PORT}, '127.0.0.1', () => { console.log(Date.now() - t); c.destroy(); s.close(); });
           c.on('error', (e) => { console.log('error ' + e.code); s.close(); }); });`,
      ],
      { timeoutMs: 10_000 },
    );
    const took = Number(probe.stdout.trim());
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(3_000);
    nft.remove('tcpsim_test_syn');
    await until(async () => !(await listNftTables(netns.name)).includes('tcpsim_test_syn'), 'the table to go');
    expect(nft.errors).toBe('');
  }, 20_000);

  it('collects what nft refuses', async () => {
    const netns = await createNetns(registry);
    const nft = openNftSession(registry, netns.name, runTagFor());
    nft.remove('tcpsim_no_such_table');
    expect(await nft.close()).toMatch(/Error|No such file/);
  });
});
