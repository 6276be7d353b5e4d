/**
 * `tcpsim watch --port PORT`: the processes listening there. The LISTEN rows of this network
 * namespace's table give the listener's socket inode; the process is the one whose /proc/PID/fd
 * holds that inode (several, for a server that forks workers onto one listener). A listener no
 * readable process holds belongs to another user: the answer says so, since only root can tell.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { parseProcNetTcp } from '../real/procNetTcp.js';

/** Who listens on a port. */
export interface PortListeners {
  readonly port: number;
  /** Whether anything listens there at all (in this network namespace). */
  readonly listening: boolean;
  /** The processes holding the listener. */
  readonly pids: readonly number[];
  /** Processes whose fds could not be read (other users'), one of which may hold it. */
  readonly unreadable: number;
}

/** The LISTEN socket inodes on `port` in the table texts given (/proc/net/tcp and tcp6). */
export function listenerInodes(tables: readonly string[], port: number): Set<number> {
  const rows = tables.flatMap((text) => parseProcNetTcp(text));
  return new Set(rows.filter((r) => r.state === 'LISTEN' && r.local.port === port).map((r) => r.inode ?? 0));
}

/** Finds the processes listening on `port`. */
export function portListeners(port: number): PortListeners {
  const tables = ['/proc/self/net/tcp', '/proc/self/net/tcp6'].filter((p) => existsSync(p)).map((p) => readFileSync(p, 'latin1'));
  const inodes = listenerInodes(tables, port);
  const wanted = new Set([...inodes].map((i) => `socket:[${i}]`));
  const pids: number[] = [];
  let unreadable = 0;
  if (wanted.size > 0) {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
      let fds: string[];
      try {
        fds = readdirSync(`/proc/${entry}/fd`);
      } catch {
        unreadable += 1;
        continue;
      }
      const holds = fds.some((fd) => {
        try {
          return wanted.has(readlinkSync(`/proc/${entry}/fd/${fd}`));
        } catch {
          return false;
        }
      });
      if (holds) pids.push(Number(entry));
    }
  }
  return { port, listening: inodes.size > 0, pids, unreadable };
}
