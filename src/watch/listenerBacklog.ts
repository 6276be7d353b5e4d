/**
 * The backlog of a listener: /proc/net/tcp shows a LISTEN socket's accept queue (rx_queue) but
 * not its limit, which only the kernel's sock_diag answer carries (ss's Send-Q of a LISTEN row:
 * sk_max_ack_backlog, listen()'s backlog capped by net.core.somaxconn). Asked of `ss -tlnH` once
 * per new listener — in the listener's network namespace through nsenter when it is not ours,
 * which needs root; unknown (null) otherwise, or without iproute2.
 */
import { spawnSync } from 'node:child_process';
import { parseSs } from '../real/ssObserver.js';
import { unmapAddress } from '../real/socketRow.js';

/** The key of a listener: its address and port, IPv4-mapped addresses folded. */
export function listenerKey(addr: string, port: number): string {
  return `${unmapAddress(addr)}:${port}`;
}

/** Backlogs by listener key in the output of `ss -tlnH`. */
export function backlogsFromSs(text: string): Map<string, number> {
  const backlogs = new Map<string, number>();
  for (const row of parseSs(text)) if (row.state === 'LISTEN') backlogs.set(listenerKey(row.local.addr, row.local.port), row.sendQ);
  return backlogs;
}

/**
 * Every listener's backlog in the network namespace of `pid` (`sameNamespace`: ours, so no
 * nsenter is needed); an empty map when it cannot be asked.
 */
export function readBacklogs(pid: number, sameNamespace: boolean): Map<string, number> {
  const argv = sameNamespace ? ['ss', '-tlnH'] : ['nsenter', `--net=/proc/${pid}/ns/net`, 'ss', '-tlnH'];
  if (!sameNamespace && process.getuid?.() !== 0) return new Map();
  const result = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] });
  if (result.status !== 0 || typeof result.stdout !== 'string') return new Map();
  try {
    return backlogsFromSs(result.stdout);
  } catch {
    return new Map();
  }
}
