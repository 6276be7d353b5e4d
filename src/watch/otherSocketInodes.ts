/**
 * The inodes of every socket that is not TCP, from the namespace's other socket tables (UDP, raw,
 * ICMP, UNIX, netlink, packet). A process's socket fd whose inode is in none of these and in no
 * TCP row is a socket the kernel has already closed — a TCP socket reset in CLOSE_WAIT (Go's
 * keepalive), say — still held by the program: invisible to netstat and ss, yet an fd used.
 */
import { readFileSync } from 'node:fs';

/** Tables laid out like /proc/net/tcp (`sl local rem st queues timer retrnsmt uid timeout inode …`): the inode is the 10th column. */
const TCP_LAYOUT = ['udp', 'udp6', 'udplite', 'udplite6', 'raw', 'raw6', 'icmp', 'icmp6'] as const;
/** Tables whose header names the `Inode` column. */
const HEADED = ['unix', 'netlink', 'packet'] as const;

/** The socket inodes listed in one table's text; `table` is its file name (`unix`, `udp6`, …). */
export function inodesFromSocketTable(table: string, text: string): number[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const header = lines.shift();
  if (header === undefined) return [];
  const column = (TCP_LAYOUT as readonly string[]).includes(table) ? 9 : header.trim().split(/\s+/).findIndex((h) => h.toLowerCase() === 'inode');
  if (column < 0) return [];
  const inodes: number[] = [];
  for (const line of lines) {
    const word = line.trim().split(/\s+/)[column];
    if (word !== undefined && /^\d+$/.test(word)) inodes.push(Number(word));
  }
  return inodes;
}

/** Inodes of the non-TCP sockets of the network namespace `pid` lives in; tables that cannot be read are skipped. */
export function otherSocketInodes(pid: number): Set<number> {
  const inodes = new Set<number>();
  for (const table of [...TCP_LAYOUT, ...HEADED]) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/net/${table}`, 'latin1');
    } catch {
      continue; // the protocol is not built in, or the process is gone
    }
    for (const inode of inodesFromSocketTable(table, text)) inodes.add(inode);
  }
  return inodes;
}
