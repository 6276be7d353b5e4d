/**
 * A run interrupted with SIGINT leaves nothing behind: the child run (test/real/fixtures/
 * interruptedRun.ts) makes a namespace with an nft table and a sysctl, two child process groups
 * and a listener; after SIGINT it must die of the signal and `leftovers` must find nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killProcessGroup } from '../../src/real/cleanup.js';
import { isClean, leftovers } from '../../src/real/leftovers.js';
import { deleteNetnsSync } from '../../src/real/netns.js';
import { runTagFor } from '../../src/real/runTag.js';
import { ensureTools, osSkipReason, skipOs } from './osSupport.js';
import { transpileForChild } from './transpileForChild.js';

const PORT = 7312;

describe.skipIf(skipOs)(`interrupted run${osSkipReason === undefined ? '' : ` (${osSkipReason})`}`, () => {
  let built: ReturnType<typeof transpileForChild> | undefined;
  let child: ChildProcess | undefined;

  beforeAll(() => {
    ensureTools();
    built = transpileForChild('test/real/fixtures/interruptedRun.ts');
  }, 240_000);

  afterAll(async () => {
    // Belt and braces when an assertion failed: kill what the child left, delete its namespaces.
    const pid = child?.pid;
    if (pid !== undefined) {
      killProcessGroup(pid);
      const found = await leftovers(runTagFor(pid));
      for (const p of found.processes) killProcessGroup(p.pid);
      for (const name of found.namespaces) deleteNetnsSync(name);
    }
    built?.remove();
  });

  it('SIGINT cleans up processes, namespaces, nft tables and sockets, then dies of SIGINT', async () => {
    if (built === undefined) throw new Error('child run not built');
    const run = spawn(process.execPath, [built.script, String(PORT)], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child = run;
    let stderr = '';
    run.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [first] = (await Promise.race([
      once(run.stdout ?? run, 'data'),
      once(run, 'exit').then(() => {
        throw new Error(`child run exited early: ${stderr}`);
      }),
    ])) as [Buffer];
    expect(first.toString()).toMatch(/^ready tcpsim-/);
    const tag = runTagFor(run.pid ?? -1);
    const during = await leftovers(tag, { ports: [PORT] });
    expect(during.namespaces).toHaveLength(1);
    expect(during.processes.length).toBeGreaterThanOrEqual(2);
    expect(during.sockets.map((r) => r.state)).toEqual(['LISTEN']);

    run.kill('SIGINT');
    const [code, signal] = (await once(run, 'exit')) as [number | null, NodeJS.Signals | null];
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGINT' });
    const after = await leftovers(tag, { ports: [PORT] });
    expect(after).toEqual({ processes: [], namespaces: [], nftTables: [], sockets: [] });
    expect(isClean(after)).toBe(true);
  });
});
