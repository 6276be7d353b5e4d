/**
 * This machine's TCP tunables, read from /proc/sys, as plain numbers the model's linux profile
 * can be parameterised with; and writing tunables inside a run's namespace (never the host's).
 */
import { readFile } from 'node:fs/promises';
import { MODELLED_SYSCTLS } from '../model/sysctlProfile.js';
import { CommandError, runChecked, runCommand } from './runCommand.js';

/** The tunables that decide how a Linux close handshake behaves. */
export interface TcpTunables {
  /** net.ipv4.tcp_fin_timeout: seconds an orphaned FIN_WAIT_2 lives. */
  readonly finTimeoutS: number;
  /** net.ipv4.tcp_syn_retries: SYN retransmissions before connect() fails with ETIMEDOUT. */
  readonly synRetries: number;
  /** net.ipv4.tcp_synack_retries: SYN-ACK retransmissions by a listener. */
  readonly synAckRetries: number;
  /** net.ipv4.tcp_orphan_retries: retransmissions of an orphaned socket; 0 means the kernel's 8. */
  readonly orphanRetries: number;
  /** net.ipv4.tcp_retries2: retransmissions of an established connection before it is dropped. */
  readonly retries2: number;
  /** net.ipv4.tcp_rfc1337: when true a RST received in TIME_WAIT does not end it. */
  readonly rfc1337: boolean;
  /** net.core.somaxconn: cap on listen() backlogs. */
  readonly somaxconn: number;
  /** net.ipv4.ip_local_port_range: ephemeral ports, inclusive. */
  readonly localPortRange: readonly [number, number];
}

/** The sysctl keys read, each with its field. */
export const TUNABLE_KEYS = {
  finTimeoutS: 'net.ipv4.tcp_fin_timeout',
  synRetries: 'net.ipv4.tcp_syn_retries',
  synAckRetries: 'net.ipv4.tcp_synack_retries',
  orphanRetries: 'net.ipv4.tcp_orphan_retries',
  retries2: 'net.ipv4.tcp_retries2',
  rfc1337: 'net.ipv4.tcp_rfc1337',
  somaxconn: 'net.core.somaxconn',
  localPortRange: 'net.ipv4.ip_local_port_range',
} as const satisfies Record<keyof TcpTunables, string>;

/** The /proc/sys path of a dotted sysctl key. */
export function sysctlPath(key: string): string {
  assertSysctlKey(key);
  return `/proc/sys/${key.replaceAll('.', '/')}`;
}

function assertSysctlKey(key: string): void {
  if (!/^net\.(ipv4|ipv6|core)\.[a-z0-9_]+(\.[a-z0-9_]+)*$/.test(key)) throw new Error(`not a net.* sysctl key: "${key}"`);
}

function integers(key: string, text: string): number[] {
  const values = text.trim().split(/\s+/).map(Number);
  if (values.length === 0 || values.some((v) => !Number.isInteger(v))) throw new Error(`${key}: not integers: "${text.trim()}"`);
  return values;
}

/** Builds the tunables from the raw text of each key (pure; `values` maps dotted key ⇒ file text). */
export function parseTunables(values: Readonly<Record<string, string>>): TcpTunables {
  const one = (key: string): number => {
    const text = values[key];
    if (text === undefined) throw new Error(`missing sysctl ${key}`);
    const [value] = integers(key, text);
    return value ?? 0;
  };
  const rangeText = values[TUNABLE_KEYS.localPortRange];
  if (rangeText === undefined) throw new Error(`missing sysctl ${TUNABLE_KEYS.localPortRange}`);
  const [low = 0, high = 0] = integers(TUNABLE_KEYS.localPortRange, rangeText);
  return {
    finTimeoutS: one(TUNABLE_KEYS.finTimeoutS),
    synRetries: one(TUNABLE_KEYS.synRetries),
    synAckRetries: one(TUNABLE_KEYS.synAckRetries),
    orphanRetries: one(TUNABLE_KEYS.orphanRetries),
    retries2: one(TUNABLE_KEYS.retries2),
    rfc1337: one(TUNABLE_KEYS.rfc1337) !== 0,
    somaxconn: one(TUNABLE_KEYS.somaxconn),
    localPortRange: [low, high],
  };
}

/**
 * The text of each of `keys` in this process's namespace, or in namespace `netns` (one
 * `grep -H` there for all of them); keys the kernel does not have are left out.
 */
export async function readSysctlTexts(keys: readonly string[], netns?: string): Promise<Record<string, string>> {
  const byPath = new Map(keys.map((key) => [sysctlPath(key), key] as const));
  const out: Record<string, string> = {};
  if (netns === undefined) {
    for (const [path, key] of byPath) {
      try {
        out[key] = await readFile(path, 'utf8');
      } catch {
        // no such sysctl on this kernel
      }
    }
    return out;
  }
  // -s: a missing file is no error message; grep exits 2 then, but prints the others
  const result = await runCommand(['grep', '-s', '-H', '', ...byPath.keys()], { netns });
  if (result.code !== 0 && result.code !== 2) throw new CommandError(`ip netns exec ${netns} grep -H … /proc/sys/…`, result);
  for (const line of result.stdout.split('\n')) {
    const colon = line.indexOf(':');
    const key = byPath.get(line.slice(0, colon));
    if (colon > 0 && key !== undefined) out[key] = line.slice(colon + 1);
  }
  return out;
}

/** Reads the tunables of this process's namespace, or of namespace `netns`. */
export async function readTcpTunables(netns?: string): Promise<TcpTunables> {
  return parseTunables(await readSysctlTexts(Object.values(TUNABLE_KEYS), netns));
}

/**
 * The value of every sysctl the model follows (model/sysctlProfile.ts), from their texts; one
 * this kernel lacks takes the value the kernel behaves like without it (`absent`).
 */
export function modelSysctlsFrom(texts: Readonly<Record<string, string>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const row of MODELLED_SYSCTLS) {
    const text = texts[row.sysctl];
    if (text !== undefined) out[row.sysctl] = integers(row.sysctl, text)[0] ?? 0;
    else if (row.absent !== undefined) out[row.sysctl] = row.absent;
    else throw new Error(`this kernel has no ${row.sysctl}, which the model needs`);
  }
  return out;
}

/** Reads one integer sysctl (first value) of this namespace or of `netns`. */
export async function readSysctl(key: string, netns?: string): Promise<number> {
  const text = netns === undefined ? await readFile(sysctlPath(key), 'utf8') : await runChecked(['cat', sysctlPath(key)], { netns });
  const [value] = integers(key, text);
  return value ?? 0;
}

/** Writes an integer net.* sysctl inside namespace `netns` (a tcpsim namespace; never the host). */
export async function writeSysctlInNetns(netns: string, key: string, value: number): Promise<void> {
  if (!netns.startsWith('tcpsim-')) throw new Error(`sysctls are written only inside a tcpsim namespace, not "${netns}"`);
  assertSysctlKey(key);
  if (!Number.isInteger(value)) throw new Error(`${key}: value must be an integer, got ${value}`);
  await runChecked(['tee', sysctlPath(key)], { netns, input: `${value}\n` });
}
