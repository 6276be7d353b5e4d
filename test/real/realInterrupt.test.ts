/**
 * `tcpsim real` interrupted with SIGINT leaves nothing behind: no program child, no namespace,
 * no nft table, no socket but TIME_WAIT on the run's port. Runs the built CLI (dist/, made by
 * `npm run build`, which `npm test` runs first).
 */
import { existsSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { killProcessGroup } from '../../src/real/cleanup.js';
import { leftovers } from '../../src/real/leftovers.js';
import { deleteNetnsSync } from '../../src/real/netns.js';
import { runTagFor } from '../../src/real/runTag.js';
import { osSkipReason, skipOs } from './osSupport.js';
import { CLI, startedLostFinRun } from './startedRealRun.js';

const built = existsSync(CLI) && existsSync('dist/real/programRunner.js');
const reason = osSkipReason ?? (built ? undefined : `skipped: ${CLI} not built (npm run build)`);

describe.skipIf(reason !== undefined)(`tcpsim real interrupted${reason === undefined ? '' : ` (${reason})`}`, () => {
  it('SIGINT mid-run cleans up children, namespace, nft table and sockets, then dies of SIGINT', async () => {
    const run = await startedLostFinRun();
    const pid = run.pid ?? -1;
    const tag = runTagFor(pid);
    try {
      await new Promise((resolve) => setTimeout(resolve, 600)); // inside the drop window
      const during = await leftovers(tag, { ports: [7408] });
      expect(during.namespaces).toHaveLength(1);
      expect(during.processes.length).toBeGreaterThanOrEqual(2);
      // the programs inherit the run's nice -10 (root), so a loaded machine does not make them late
      const nice = (p: number): number => Number(readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]?.split(' ')[16]);
      expect(during.processes.map((p) => nice(p.pid))).toEqual(during.processes.map(() => -10));
      run.kill('SIGINT');
      const [code, signal] = (await once(run, 'exit')) as [number | null, NodeJS.Signals | null];
      expect({ code, signal }).toEqual({ code: null, signal: 'SIGINT' });
      const after = await leftovers(tag, { ports: [7408] });
      expect(after).toEqual({ processes: [], namespaces: [], nftTables: [], sockets: [] });
    } finally {
      const found = await leftovers(tag);
      for (const p of found.processes) killProcessGroup(p.pid);
      for (const name of found.namespaces) deleteNetnsSync(name);
    }
  }, 20_000);
});
