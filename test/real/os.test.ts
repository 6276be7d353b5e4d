/**
 * Real-mode primitives against this machine's kernel. They need Linux and root (CAP_NET_ADMIN,
 * CAP_SYS_ADMIN) and skip with the reason otherwise; everything they make lives in namespaces
 * they create and is removed in afterEach even when an assertion fails.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CleanupRegistry } from '../../src/real/cleanup.js';
import { countFds, summariseFds } from '../../src/real/fdCount.js';
import { createNetns, listNetns } from '../../src/real/netns.js';
import { addDropTable, listNftTables } from '../../src/real/nftDrop.js';
import { observeProcNetTcp } from '../../src/real/procNetTcp.js';
import { spawnRunChild } from '../../src/real/runChild.js';
import { runTagFor } from '../../src/real/runTag.js';
import type { SocketRow } from '../../src/real/socketRow.js';
import { observeSs } from '../../src/real/ssObserver.js';
import { readSysctl, readTcpTunables, writeSysctlInNetns } from '../../src/real/sysctl.js';
import { ensureTools, osSkipReason, skipOs } from './osSupport.js';

const PEER = fileURLToPath(new URL('./fixtures/halfClosePeer.mjs', import.meta.url));
const PORT = 7311;
const runTag = runTagFor();
let registry = new CleanupRegistry();

afterEach(() => {
  registry.runAll();
  registry = new CleanupRegistry();
});

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function startPeer(netns: string): Promise<ChildProcess> {
  const child = spawnRunChild(registry, [process.execPath, PEER, String(PORT)], { runTag, netns });
  const stdout = child.stdout;
  if (stdout === null) throw new Error('peer has no stdout');
  await once(stdout, 'data');
  return child;
}

describe.skipIf(skipOs)(`real mode on this kernel${osSkipReason === undefined ? '' : ` (${osSkipReason})`}`, () => {
  beforeAll(() => ensureTools(), 240_000);

  it('creates a namespace with loopback up and deletes it', async () => {
    const netns = await createNetns(registry);
    expect(await listNetns()).toContain(netns.name);
    const link = await netns.run(['ip', '-o', 'link', 'show', 'lo']);
    expect(link.stdout).toMatch(/UP/);
    netns.remove();
    expect(await listNetns()).not.toContain(netns.name);
  });

  it('reads the host tunables and writes tcp_fin_timeout only inside the namespace', async () => {
    const host = await readTcpTunables();
    expect(host.localPortRange[0]).toBeLessThan(host.localPortRange[1]);
    const netns = await createNetns(registry);
    await writeSysctlInNetns(netns.name, 'net.ipv4.tcp_fin_timeout', 2);
    expect(await readSysctl('net.ipv4.tcp_fin_timeout', netns.name)).toBe(2);
    expect((await readTcpTunables(netns.name)).finTimeoutS).toBe(2);
    expect((await readTcpTunables()).finTimeoutS).toBe(host.finTimeoutS);
    await expect(writeSysctlInNetns('default', 'net.ipv4.tcp_fin_timeout', 2)).rejects.toThrow(/only inside a tcpsim namespace/);
  });

  it('half close: the client waits in FIN_WAIT_2 with no timer, the server in CLOSE_WAIT; both observers agree', async () => {
    const netns = await createNetns(registry);
    const peer = await startPeer(netns.name);
    const rows = await waitFor(async () => {
      const found = await observeSs({ ports: [PORT], netns: netns.name });
      return found.some((r) => r.state === 'CLOSE_WAIT') && found.some((r) => r.state === 'FIN_WAIT_2') ? found : undefined;
    }, 3_000, 'CLOSE_WAIT and FIN_WAIT_2');
    expect(rows.find((r) => r.state === 'FIN_WAIT_2')?.timer).toBeUndefined();
    const proc = await observeProcNetTcp({ ports: [PORT], netns: netns.name });
    expect(proc.map((r) => r.state).sort()).toEqual(rows.map((r) => r.state).sort());
    const pid = peer.pid ?? -1;
    const fds = summariseFds(pid);
    expect(fds.sockets).toBeGreaterThanOrEqual(3); // listener + both ends
    expect(countFds(pid)).toBe(fds.total);
    const inodes = new Set(fds.socketInodes);
    expect(proc.every((r) => inodes.has(r.inode ?? -1))).toBe(true);
  });

  it('a FIN dropped on input keeps the closer in FIN_WAIT_1 retransmitting until the window ends', async () => {
    const netns = await createNetns(registry);
    const drop = await addDropTable(registry, netns.name, 'tcpsim_test_fin', [{ match: 'fin', port: PORT, percent: 100 }]);
    expect(await listNftTables(netns.name)).toContain('tcpsim_test_fin');
    expect(await listNftTables()).not.toContain('tcpsim_test_fin');
    await startPeer(netns.name);
    const retransmitting = await waitFor(async () => {
      const rows = await observeSs({ ports: [PORT], netns: netns.name });
      return rows.find((r): r is SocketRow => r.state === 'FIN_WAIT_1' && r.timer?.name === 'on' && r.timer.retrans >= 1);
    }, 2_000, 'a FIN retransmission');
    expect(retransmitting.sendQ).toBe(1); // the FIN's sequence number, unacknowledged
    drop.remove();
    expect(await listNftTables(netns.name)).not.toContain('tcpsim_test_fin');
    await waitFor(async () => {
      const rows = await observeSs({ ports: [PORT], netns: netns.name });
      return rows.some((r) => r.state === 'FIN_WAIT_2') ? true : undefined;
    }, 3_000, 'the retransmitted FIN to be acknowledged');
  });
});
