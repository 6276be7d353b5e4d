/**
 * Which watched process holds a socket, by the inode /proc/net/tcp shows: each process's
 * /proc/PID/fd links read as `socket:[INODE]`. Rebuilt on request (`refresh`), not per read of
 * the table: a burst brings hundreds of new sockets at once, and a scan reads every fd link.
 */
import { summariseFds } from './fdCount.js';

/** A process to watch: its scenario name and its pid (the program itself, not a wrapper). */
export interface WatchedProcess {
  readonly name: string;
  readonly pid: number;
}

/** Socket inode ⇒ the watched process holding it. */
export class SocketOwners {
  private readonly owner = new Map<number, string>();

  constructor(private readonly processes: () => readonly WatchedProcess[]) {}

  /** Reads every watched process's fd links again. */
  refresh(): void {
    for (const p of this.processes()) {
      try {
        for (const socket of summariseFds(p.pid).socketInodes) this.owner.set(socket, p.name);
      } catch {
        // the process has exited
      }
    }
  }

  /** The process holding `inode` when last refreshed, or undefined. */
  ownerOf(inode: number): string | undefined {
    return this.owner.get(inode);
  }
}
