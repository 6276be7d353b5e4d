/**
 * A fresh network namespace per real-mode run: its own loopback, its own sysctls, its own
 * nftables, so faults and tunables never touch the host. Needs root (CAP_SYS_ADMIN to mount the
 * namespace file, CAP_NET_ADMIN to configure it); without them real mode skips what needs one.
 */
import { readFileSync } from 'node:fs';
import type { CleanupRegistry } from './cleanup.js';
import { runChecked, runCommand, runSyncQuiet, type Argv, type CommandOptions, type CommandResult } from './runCommand.js';

/** Names of the namespaces tcpsim creates all start with this. */
export const NETNS_PREFIX = 'tcpsim-';

/** Whether namespaces can be used here, and if not, the reason to show. */
export type NetnsSupport = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const CAP_NET_ADMIN = 12n;
const CAP_SYS_ADMIN = 21n;

/** Effective capability mask of this process (from /proc/self/status), or 0 if unreadable. */
export function effectiveCapabilities(): bigint {
  try {
    const line = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return line?.[1] === undefined ? 0n : BigInt(`0x${line[1]}`);
  } catch {
    return 0n;
  }
}

/** Checks platform, privileges and the `ip` tool; says why namespaces can't be used otherwise. */
export function netnsSupport(): NetnsSupport {
  if (process.platform !== 'linux') return { ok: false, reason: `skipped: --netns needs Linux (this is ${process.platform})` };
  const caps = effectiveCapabilities();
  const has = (bit: bigint): boolean => ((caps >> bit) & 1n) === 1n;
  if (!has(CAP_NET_ADMIN) || !has(CAP_SYS_ADMIN)) {
    return { ok: false, reason: 'skipped: needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN) for --netns' };
  }
  const ip = runSyncQuiet(['ip', '-V']);
  if (ip.code !== 0) return { ok: false, reason: 'skipped: --netns needs iproute2 (`ip`), which is not installed' };
  return { ok: true };
}

let created = 0;

/** A namespace name unique to this process: `tcpsim-<pid>-<n>`. */
export function nextNetnsName(pid: number = process.pid): string {
  created += 1;
  return `${NETNS_PREFIX}${pid}-${created}`;
}

function assertNetnsName(name: string): void {
  if (!/^tcpsim-[A-Za-z0-9_.-]{1,40}$/.test(name)) throw new Error(`refusing namespace name "${name}" (must be tcpsim-…)`);
}

/** A namespace this run created. */
export interface Netns {
  readonly name: string;
  /** Runs `argv` inside the namespace. */
  run(argv: Argv, options?: Omit<CommandOptions, 'netns'>): Promise<CommandResult>;
  /** Deletes the namespace now (idempotent). */
  remove(): void;
}

/** Deletes namespace `name` synchronously; "does not exist" is not an error. */
export function deleteNetnsSync(name: string): void {
  assertNetnsName(name);
  const result = runSyncQuiet(['ip', 'netns', 'delete', name]);
  if (result.code !== 0 && !/No such file|not found|does not exist/i.test(result.stderr)) {
    throw new Error(`ip netns delete ${name}: ${result.stderr.trim()}`);
  }
}

/**
 * Creates namespace `name` (default `tcpsim-<pid>-<n>`) with `lo` up, registering its deletion
 * with `registry` before anything else can fail.
 */
export async function createNetns(registry: CleanupRegistry, name: string = nextNetnsName()): Promise<Netns> {
  assertNetnsName(name);
  const remove = registry.add(`netns ${name}`, () => deleteNetnsSync(name));
  await runChecked(['ip', 'netns', 'add', name]);
  await runChecked(['ip', '-n', name, 'link', 'set', 'lo', 'up']);
  return {
    name,
    run: (argv, options = {}) => runCommand(argv, { ...options, netns: name }),
    remove,
  };
}

/** Names of existing namespaces (`ip netns list`), e.g. to find leftovers. */
export async function listNetns(): Promise<string[]> {
  const result = await runCommand(['ip', 'netns', 'list']);
  if (result.code !== 0) return [];
  return result.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((name) => name !== '');
}
