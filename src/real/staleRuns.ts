/**
 * What runs that died without cleaning up (SIGKILL, a crash, a power cut) left behind, and its
 * removal: namespaces `tcpsim-<pid>-<n>` (which may hold sockets in TIME_WAIT), nft tables
 * `tcpsim_<pid>_…` in the host namespace, and processes carrying `TCPSIM_RUN=tcpsim-<pid>`,
 * each only when process <pid> is no longer alive. A run of a live process is never touched.
 * `tcpsim real` does this on start; `tcpsim real --cleanup` on demand.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { killProcessGroup } from './cleanup.js';
import { deleteNetnsSync, listNetns, netnsSupport } from './netns.js';
import { runCommand, runSyncQuiet } from './runCommand.js';
import { RUN_TAG_ENV } from './runTag.js';

/** Whether process `pid` exists (a process of another user counts as alive). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid of the run that made a namespace or nft table, from its name; undefined for other names. */
export function ownerPid(name: string): number | undefined {
  const match = /^tcpsim[-_](\d+)[-_]/.exec(name);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** What a cleanup pass found and removed. */
export interface StaleReport {
  /** One line per thing removed, e.g. `namespace tcpsim-123-1 (run 123 is gone)`. */
  readonly removed: readonly string[];
  /** Things that could not be removed, and why. */
  readonly failed: readonly string[];
  /** What was not looked at, and why (e.g. namespaces without root). */
  readonly skipped: readonly string[];
}

function staleProcesses(alive: (pid: number) => boolean): { pid: number; owner: number; leader: boolean; cmdline: string }[] {
  const found: { pid: number; owner: number; leader: boolean; cmdline: string }[] = [];
  const marker = new RegExp(`^${RUN_TAG_ENV}=tcpsim-(\\d+)$`);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const tag = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').map((v) => marker.exec(v)).find((m) => m !== null);
      const owner = tag?.[1] === undefined ? undefined : Number(tag[1]);
      if (owner === undefined || alive(owner)) continue;
      // /proc/PID/stat: "pid (comm) state ppid pgrp …"; comm may hold spaces, so split after ')'
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      found.push({ pid: Number(entry), owner, leader: pgrp === Number(entry), cmdline });
    } catch {
      // gone while we looked, or not ours to read
    }
  }
  return found;
}

/** Removes everything of dead runs this process may remove; says what it did. */
export async function removeStaleRuns(alive: (pid: number) => boolean = pidAlive): Promise<StaleReport> {
  const removed: string[] = [];
  const failed: string[] = [];
  const skipped: string[] = [];
  if (process.platform !== 'linux') return { removed, failed, skipped: ['not Linux: nothing to look at'] };
  for (const p of staleProcesses(alive)) {
    try {
      if (p.leader) killProcessGroup(p.pid);
      else process.kill(p.pid, 'SIGKILL');
      removed.push(`process ${p.pid} (${p.cmdline.slice(0, 60)}; run ${p.owner} is gone)`);
    } catch (error) {
      failed.push(`process ${p.pid}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const support = netnsSupport();
  if (!support.ok) {
    skipped.push(`namespaces and nft tables (${support.reason.replace(/^skipped: /, '')})`);
    return { removed, failed, skipped };
  }
  for (const name of await listNetns()) {
    const owner = ownerPid(name);
    if (owner === undefined || alive(owner)) continue;
    try {
      deleteNetnsSync(name);
      removed.push(`namespace ${name} (run ${owner} is gone)`);
    } catch (error) {
      failed.push(`namespace ${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const tables = await runCommand(['nft', 'list', 'tables']).catch(() => undefined);
  if (tables?.code !== 0) {
    skipped.push('host nft tables (nft list tables failed or nft is not installed)');
    return { removed, failed, skipped };
  }
  for (const line of tables.stdout.split('\n')) {
    const match = /^table\s+(\S+)\s+(tcpsim_\S+)/.exec(line.trim());
    const family = match?.[1];
    const table = match?.[2];
    if (family === undefined || table === undefined) continue;
    const owner = ownerPid(table);
    if (owner === undefined || alive(owner)) continue;
    const result = runSyncQuiet(['nft', 'delete', 'table', family, table]);
    if (result.code === 0) removed.push(`nft table ${family} ${table} (run ${owner} is gone)`);
    else failed.push(`nft table ${family} ${table}: ${result.stderr.trim()}`);
  }
  return { removed, failed, skipped };
}
