/**
 * A process's open file descriptors, counted from outside through /proc/PID/fd — how real mode
 * checks the model's fd table (baseline, one per socket, back to baseline after close).
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * Number of open fds of process `pid` (root or the same user can read another's); with `below`,
 * only those numbered under it — the ones that use up RLIMIT_NOFILE slots (an fd inherited at a
 * high number, like a shell's fd 251, does not); `except` leaves out fds it did not open itself.
 */
export function countFds(pid: number, below?: number, except: ReadonlySet<number> = new Set()): number {
  const fds = readdirSync(`/proc/${pid}/fd`).map(Number);
  return fds.filter((fd) => (below === undefined || fd < below) && !except.has(fd)).length;
}

/** O_CLOEXEC in /proc/PID/fdinfo's octal `flags:`. */
const O_CLOEXEC = 0o2000000;

/**
 * The fds this process hands to every child it spawns: those above stderr open without
 * O_CLOEXEC (Node opens its own with it; these came from whoever started Node, like a shell's
 * fd 251). A child holds them without having opened them, so a count of the child's own fds
 * leaves them out (`countFds(pid, limit, inheritedFds())`).
 */
export function inheritedFds(): Set<number> {
  const inherited = new Set<number>();
  for (const name of readdirSync('/proc/self/fdinfo')) {
    const fd = Number(name);
    if (fd <= 2) continue;
    try {
      const flags = /^flags:\s*([0-7]+)$/m.exec(readFileSync(`/proc/self/fdinfo/${name}`, 'utf8'))?.[1];
      if (flags !== undefined && (parseInt(flags, 8) & O_CLOEXEC) === 0) inherited.add(fd);
    } catch {
      // closed while listing (the readdir's own fd)
    }
  }
  return inherited;
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
