/**
 * Which of the kernel's TCP rows belong to the watched processes, and which are their peers.
 *
 * - A row whose inode is one of a process's socket fds (/proc/PID/fd) is that process's.
 * - A row with no inode (TIME_WAIT, an orphaned FIN_WAIT_1/FIN_WAIT_2/LAST_ACK/CLOSING after
 *   close(), a half-open SYN_RECEIVED) has no owner in the kernel. It is the process's when its
 *   4-tuple was the process's at an earlier sample (the socket it just closed), or when its local
 *   address is one of the process's listeners (a server's connection: it closed first, or the
 *   handshake is not finished).
 * - A process whose fds cannot be read (another user's, without root) is given, by port, every
 *   row on the ports it was found listening on.
 * - A row whose 4-tuple is the reverse of one of those, or whose remote address is one of the
 *   processes' listeners, is a peer: the other end of a watched connection, on this machine (a
 *   client's TIME_WAIT counts even when the connection came and went between two samples).
 *
 * One attributor per network namespace: it remembers the 4-tuples it has given out, and forgets
 * each once its row has left the table.
 */
import type { Endpoint, SocketRow } from '../real/socketRow.js';
import { fourTupleKey, unmapAddress } from '../real/socketRow.js';

/** What the attributor knows of one watched process at a sample. */
export interface ProcessSockets {
  readonly pid: number;
  /** Its socket inodes; null when /proc/PID/fd could not be read. */
  readonly socketInodes: ReadonlySet<number> | null;
  /** Ports it listens on, known from elsewhere (`--port`): used when its fds cannot be read. */
  readonly ports?: readonly number[];
}

/** The rows of one read, sorted out. */
export interface Attribution {
  /** Each watched process's rows, with the fd-less ones attributed to it (row.inode 0). */
  readonly own: ReadonlyMap<number, readonly SocketRow[]>;
  /** The local other ends of the watched processes' connections. */
  readonly peers: readonly SocketRow[];
}

function isWildcard(addr: string): boolean {
  return addr === '0.0.0.0' || addr === '::';
}

/** The key of the connection seen from the other end. */
export function peerKey(row: Pick<SocketRow, 'local' | 'remote'>): string {
  return fourTupleKey({ local: row.remote, remote: row.local });
}

/** Sorts a namespace's rows into the watched processes' own sockets, their peers, and the rest. */
export class SocketAttributor {
  private readonly owner = new Map<string, number>();
  private readonly peerTuples = new Set<string>();
  private readonly listeners = new Map<number, Endpoint[]>();

  /** Sorts one read's rows; `processes` are the watched processes of this namespace. */
  attribute(rows: readonly SocketRow[], processes: readonly ProcessSockets[]): Attribution {
    const byInode = new Map<number, number>();
    const byPort = new Map<number, number>();
    for (const p of processes) {
      if (p.socketInodes !== null) for (const inode of p.socketInodes) byInode.set(inode, p.pid);
      else for (const port of p.ports ?? []) byPort.set(port, p.pid);
    }
    const own = new Map<number, SocketRow[]>(processes.map((p) => [p.pid, []]));
    const claimed = new Set<SocketRow>();
    const present = new Set<string>();
    const claim = (row: SocketRow, pid: number): void => {
      own.get(pid)?.push(row);
      claimed.add(row);
      if (row.state === 'LISTEN') {
        this.addListener(pid, row.local);
        return;
      }
      this.owner.set(fourTupleKey(row), pid);
      this.peerTuples.add(peerKey(row));
    };
    // the kernel says whose: the row's inode is one of the process's fds (or, unreadable, its port)
    for (const row of rows) {
      present.add(fourTupleKey(row));
      const inode = row.inode ?? 0;
      const pid = (inode !== 0 ? byInode.get(inode) : undefined) ?? byPort.get(row.local.port);
      if (pid !== undefined) claim(row, pid);
    }
    // sockets without an fd: the process's own before, or on its listening address
    for (const row of rows) {
      if (claimed.has(row) || (row.inode ?? 0) !== 0 || row.state === 'LISTEN') continue;
      const pid = this.owner.get(fourTupleKey(row)) ?? this.listenerOf(row.local);
      if (pid !== undefined && own.has(pid)) claim(row, pid);
    }
    // the other ends: of a connection seen as the process's, or of any connection to its listeners
    const peers = rows.filter((row) => !claimed.has(row) && (this.peerTuples.has(fourTupleKey(row)) || (row.state !== 'LISTEN' && this.listenerOf(row.remote) !== undefined)));
    for (const key of this.owner.keys()) if (!present.has(key)) this.owner.delete(key);
    for (const key of this.peerTuples) if (!present.has(key)) this.peerTuples.delete(key);
    return { own, peers };
  }

  /** The watched process listening on `local`'s port at its address (or at every address). */
  private listenerOf(local: Endpoint): number | undefined {
    const addr = unmapAddress(local.addr);
    for (const [pid, endpoints] of this.listeners) {
      if (endpoints.some((l) => l.port === local.port && (isWildcard(l.addr) || unmapAddress(l.addr) === addr))) return pid;
    }
    return undefined;
  }

  private addListener(pid: number, local: Endpoint): void {
    const list = this.listeners.get(pid) ?? [];
    if (!list.some((l) => l.port === local.port && l.addr === local.addr)) list.push(local);
    this.listeners.set(pid, list);
  }
}
