/**
 * This machine's TCP tunables, read from /proc/sys, as plain numbers the model's linux profile
 * can be parameterised with; and writing tunables inside a run's namespace (never the host's).
 */
import { readFile } from 'node:fs/promises';
import { runChecked } from './runCommand.js';

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

/** Reads the tunables of this process's namespace, or of namespace `netns`. */
export async function readTcpTunables(netns?: string): Promise<TcpTunables> {
  const keys = Object.values(TUNABLE_KEYS);
  const texts = await Promise.all(
    keys.map((key) =>
      netns === undefined ? readFile(sysctlPath(key), 'utf8') : runChecked(['cat', sysctlPath(key)], { netns }),
    ),
  );
  return parseTunables(Object.fromEntries(keys.map((key, i) => [key, texts[i] ?? ''])));
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
