/**
 * Nothing left behind, even by a run killed with SIGKILL (no cleanup can run then): the next
 * `tcpsim real`, or `tcpsim real --cleanup`, removes the namespaces, nft tables and processes
 * of runs whose pid is gone, and never those of a live one. Runs the built CLI (dist/).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { killProcessGroup } from '../../src/real/cleanup.js';
import { leftovers } from '../../src/real/leftovers.js';
import { deleteNetnsSync, listNetns } from '../../src/real/netns.js';
import { runTagFor } from '../../src/real/runTag.js';
import { ownerPid, removeStaleRuns } from '../../src/real/staleRuns.js';
import { osSkipReason } from './osSupport.js';
import { CLI, startedLostFinRun } from './startedRealRun.js';

const built = existsSync(CLI) && existsSync('dist/real/programRunner.js');
const reason = osSkipReason ?? (built ? undefined : `skipped: ${CLI} not built (npm run build)`);

/** Starts `tcpsim real lost-fin --netns`, waits until its programs run, kills it with SIGKILL. */
async function killedRun(): Promise<number> {
  const run = await startedLostFinRun();
  await new Promise((resolve) => setTimeout(resolve, 500)); // inside the FIN drop window
  const exited = once(run, 'exit');
  run.kill('SIGKILL');
  await exited;
  return run.pid ?? -1;
}

async function tidy(pid: number): Promise<void> {
  const found = await leftovers(runTagFor(pid));
  for (const p of found.processes) killProcessGroup(p.pid);
  for (const name of found.namespaces) deleteNetnsSync(name);
}

describe('owner of a name', () => {
  it('is the pid in tcpsim-PID-N and tcpsim_PID_…, nothing else', () => {
    expect(ownerPid('tcpsim-1234-1')).toBe(1234);
    expect(ownerPid('tcpsim_1234_0')).toBe(1234);
    expect(ownerPid('tcpsim-measure-1')).toBeUndefined();
    expect(ownerPid('tcpsim_test_fin')).toBeUndefined();
    expect(ownerPid('other-1234-1')).toBeUndefined();
  });
});

describe.skipIf(reason !== undefined)(`what a killed run leaves${reason === undefined ? '' : ` (${reason})`}`, () => {
  it('SIGKILL mid-run leaves its namespace; tcpsim real --cleanup removes it and says so', async () => {
    const pid = await killedRun();
    try {
      const cleanup = spawnSync(process.execPath, [CLI, 'real', '--cleanup'], { encoding: 'utf8' });
      expect(cleanup.status).toBe(0);
      // another test's run may have started (and cleaned) in between; if not, the listing names it
      if (!cleanup.stdout.includes(`namespace tcpsim-${pid}-1 (run ${pid} is gone)`)) expect(await listNetns()).not.toContain(`tcpsim-${pid}-1`);
      expect(await leftovers(runTagFor(pid))).toEqual({ processes: [], namespaces: [], nftTables: [], sockets: [] });
    } finally {
      await tidy(pid);
    }
  }, 30_000);

  it('SIGKILL mid-run, then any tcpsim real run: no namespace, nft table or process of the dead pid remains', async () => {
    const pid = await killedRun();
    try {
      const next = spawnSync(process.execPath, [CLI, 'real', 'scenarios/real/passive-close.yaml', '--until', '500ms'], { encoding: 'utf8' });
      expect(next.stderr).not.toMatch(/internal error/);
      expect(await leftovers(runTagFor(pid))).toEqual({ processes: [], namespaces: [], nftTables: [], sockets: [] });
    } finally {
      await tidy(pid);
    }
  }, 30_000);

  it('leaves the namespace of a live run alone', async () => {
    const name = `tcpsim-${process.pid}-990`;
    spawnSync('ip', ['netns', 'add', name]);
    try {
      const report = await removeStaleRuns();
      expect(report.removed.join('\n')).not.toContain(name);
      expect(await listNetns()).toContain(name);
    } finally {
      deleteNetnsSync(name);
    }
  });
});
