/**
 * What a run left behind: processes carrying its tag, its namespaces, its host nft tables, and
 * sockets on its ports. After a clean exit or an interrupted one, all of these must be empty
 * (TIME_WAIT rows excepted by default: they belong to the kernel, not the run, and last 60 s).
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { TcpState } from '../model/states.js';
import { listNetns } from './netns.js';
import { runCommand } from './runCommand.js';
import { RUN_TAG_ENV, nftTablePrefix } from './runTag.js';
import type { SocketRow } from './socketRow.js';
import { observeSs } from './ssObserver.js';

/** Everything found that belongs to a run. */
export interface Leftovers {
  readonly processes: readonly { readonly pid: number; readonly cmdline: string }[];
  readonly namespaces: readonly string[];
  readonly nftTables: readonly string[];
  readonly sockets: readonly SocketRow[];
}

/** What else to look at. */
export interface LeftoverQuery {
  /** Ports the run used; sockets on them count as leftovers. */
  readonly ports?: readonly number[] | undefined;
  /** Socket states that are not leftovers; default TIME_WAIT. */
  readonly ignoreStates?: readonly TcpState[] | undefined;
}

function taggedProcesses(runTag: string): { pid: number; cmdline: string }[] {
  const found: { pid: number; cmdline: string }[] = [];
  const marker = `${RUN_TAG_ENV}=${runTag}`;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      if (environ.includes(marker) || cmdline.includes(`${runTag}-`)) found.push({ pid: Number(entry), cmdline });
    } catch {
      // exited while we looked, or not ours to read
    }
  }
  return found;
}

/** Looks for everything of run `runTag` still present on this machine. */
export async function leftovers(runTag: string, query: LeftoverQuery = {}): Promise<Leftovers> {
  const ignore = new Set<TcpState>(query.ignoreStates ?? ['TIME_WAIT']);
  const namespaces = (await listNetns()).filter((name) => name.startsWith(`${runTag}-`));
  const tables = await runCommand(['nft', 'list', 'tables']).catch(() => undefined);
  const prefix = `${nftTablePrefix(runTag)}_`;
  const nftTables = (tables?.code === 0 ? tables.stdout : '')
    .split('\n')
    .map((line) => /^table\s+\S+\s+(\S+)/.exec(line.trim())?.[1])
    .filter((name): name is string => name?.startsWith(prefix) === true);
  const sockets =
    query.ports === undefined || query.ports.length === 0
      ? []
      : (await observeSs({ ports: query.ports })).filter((row) => !ignore.has(row.state));
  return { processes: taggedProcesses(runTag), namespaces, nftTables, sockets };
}

/** True when nothing was left behind. */
export function isClean(found: Leftovers): boolean {
  return found.processes.length + found.namespaces.length + found.nftTables.length + found.sockets.length === 0;
}
