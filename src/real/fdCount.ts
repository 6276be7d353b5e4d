/**
 * A process's open file descriptors, counted from outside through /proc/PID/fd — how real mode
 * checks the model's fd table (baseline, one per socket, back to baseline after close).
 */
import { readdirSync, readlinkSync } from 'node:fs';

/**
 * Number of open fds of process `pid` (root or the same user can read another's); with `below`,
 * only those numbered under it — the ones that use up RLIMIT_NOFILE slots (an fd inherited at a
 * high number, like a shell's fd 251, does not).
 */
export function countFds(pid: number, below?: number): number {
  const fds = readdirSync(`/proc/${pid}/fd`);
  return below === undefined ? fds.length : fds.filter((fd) => Number(fd) < below).length;
}

/** Open fds of a process by kind: sockets (with their inodes, to join with /proc/net/tcp) and the rest. */
export interface FdSummary {
  readonly total: number;
  readonly sockets: number;
  /** Socket inodes (`socket:[12345]`), matching the inode column of /proc/net/tcp. */
  readonly socketInodes: readonly number[];
}

/** Counts a process's fds and which of them are sockets; fds closed while reading are skipped. */
export function summariseFds(pid: number): FdSummary {
  const inodes: number[] = [];
  let total = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    let target: string;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue; // closed between readdir and readlink
    }
    total += 1;
    const socket = /^socket:\[(\d+)\]$/.exec(target);
    if (socket?.[1] !== undefined) inodes.push(Number(socket[1]));
  }
  return { total, sockets: inodes.length, socketInodes: inodes };
}
