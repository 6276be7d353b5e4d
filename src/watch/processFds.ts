/**
 * A process's file descriptors read from /proc/PID/fd: how many take a slot under its soft
 * RLIMIT_NOFILE (an fd numbered at or above the limit, such as a shell's inherited fd 251, takes
 * none), and which are sockets, by inode, to join with the kernel's socket tables. Readable for
 * the process's own user and root only; another user's process is reported as unreadable.
 */
import { readdirSync, readlinkSync } from 'node:fs';

/** A process's fds at one instant. */
export interface ProcessFds {
  /** Every open fd. */
  readonly total: number;
  /** Fds numbered below the soft limit: the ones that count towards EMFILE. */
  readonly belowLimit: number;
  /** Inodes of the socket fds (`socket:[12345]`), the inode column of /proc/net/tcp. */
  readonly socketInodes: ReadonlySet<number>;
}

/** Why a process's fds could not be read. */
export type FdsUnreadable = { readonly unreadable: 'gone' | 'denied'; readonly message: string };

/** Reads /proc/PID/fd; `softLimit` null means unlimited. Fds closed while reading are skipped. */
export function readProcessFds(pid: number, softLimit: number | null): ProcessFds | FdsUnreadable {
  let names: string[];
  try {
    names = readdirSync(`/proc/${pid}/fd`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') return { unreadable: 'denied', message: `/proc/${pid}/fd: permission denied` };
    return { unreadable: 'gone', message: `/proc/${pid}/fd: ${code ?? String(error)}` };
  }
  const socketInodes = new Set<number>();
  let total = 0;
  let belowLimit = 0;
  for (const name of names) {
    let target: string;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${name}`);
    } catch {
      continue; // closed between readdir and readlink
    }
    total += 1;
    if (softLimit === null || Number(name) < softLimit) belowLimit += 1;
    const socket = /^socket:\[(\d+)\]$/.exec(target);
    if (socket?.[1] !== undefined) socketInodes.add(Number(socket[1]));
  }
  return { total, belowLimit, socketInodes };
}

/** Narrows a read to the unreadable case. */
export function isUnreadable(fds: ProcessFds | FdsUnreadable): fds is FdsUnreadable {
  return 'unreadable' in fds;
}
