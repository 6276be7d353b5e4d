/**
 * Takes the samples of a watch: finds the watched processes (the pids given, or a started command
 * and its descendants), reads each one's fds and limit, reads the TCP table of each network
 * namespace they live in (/proc/PID/net/tcp and tcp6, opened once and re-read with pread, as real
 * mode's observer does), sorts the rows into theirs and their peers', and follows their CLOSE_WAIT
 * sockets. Read-only: it opens files under /proc and nothing else, and never signals a process.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { TCP_STATES, type TcpState } from '../model/states.js';
import { TableObserver } from '../real/tableObserver.js';
import type { SocketRow } from '../real/socketRow.js';
import { CloseWaitTracker } from './closeWaitTracker.js';
import { listenerKey, readBacklogs } from './listenerBacklog.js';
import { readListenCounters, type ListenCounters } from './netstatCounters.js';
import { otherSocketInodes } from './otherSocketInodes.js';
import { isUnreadable, readProcessFds, type ProcessFds } from './processFds.js';
import { readProcessIdentity, type ProcessIdentity } from './processIdentity.js';
import { parseNofileLimit } from './processLimits.js';
import { descendantsOf, readParents } from './processTree.js';
import { SocketAttributor, type ProcessSockets } from './socketAttribution.js';
import type { AcceptQueue, ProcessSample, StateCounts, WatchSample } from './watchSample.js';

/** What to watch. */
export interface WatchTarget {
  /** Processes given by pid, or found listening on a port. */
  readonly pids: readonly number[];
  /** A started command: it and all its descendants, found anew at each sample. */
  readonly treeRoot?: number;
  /** Ports each pid was found listening on (`--port`): its sockets by port when its fds cannot be read. */
  readonly ports?: ReadonlyMap<number, readonly number[]>;
}

interface Namespace {
  readonly observer: TableObserver;
  /** Backlogs of its listeners, by listenerKey, as far as asked. */
  readonly backlogs: Map<string, number | null>;
  readonly attributor: SocketAttributor;
  readonly tracker: CloseWaitTracker;
  /** A process in it, for its counters and other tables (the latest one seen alive). */
  pid: number;
  baseline: ListenCounters | undefined;
  latest: ListenCounters | undefined;
}

function count(rows: readonly SocketRow[], test: (row: SocketRow) => boolean = () => true): StateCounts {
  const tally = new Map<TcpState, number>();
  for (const row of rows) if (test(row)) tally.set(row.state, (tally.get(row.state) ?? 0) + 1);
  const counts: StateCounts = {};
  for (const state of TCP_STATES) {
    const n = tally.get(state);
    if (n !== undefined) counts[state] = n;
  }
  return counts;
}

function endpointText(addr: string, port: number): string {
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}

/**
 * The key of the network namespace `pid` lives in: its nsfs inode, or the pid when that is not ours
 * to read (another user's process); undefined when the process is exiting (a zombie has no
 * namespace left) or gone.
 */
function namespaceKey(pid: number): string | undefined {
  try {
    return `net:${statSync(`/proc/${pid}/ns/net`).ino}`;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'EACCES' || code === 'EPERM' ? `pid:${pid}` : undefined;
  }
}

/** Reads the watched processes' sockets and fds, one sample at a time. */
export class WatchSampler {
  private readonly namespaces = new Map<string, Namespace>();
  private readonly unseen = new Map<string, string>();
  /** Processes whose fds were read at least once: a later denial is a moment (exec, exit), not a user's limit. */
  private readonly fdsRead = new Set<number>();
  /** Each process's socket inodes that were in no kernel table at the last sample. */
  private readonly inNoTable = new Map<number, Set<number>>();
  private readonly startMs: number;

  /** `startMs` is the watch's t = 0 on performance.now()'s scale. */
  constructor(private readonly target: WatchTarget, startMs: number) {
    this.startMs = startMs;
  }

  /** What the watch could not see, one line per thing (unreadable fds, say), in the order found. */
  notSeen(): string[] {
    return [...this.unseen.values()];
  }

  /** One sample; undefined when none of the watched processes is alive any more. */
  sample(): WatchSample | undefined {
    const begin = performance.now();
    const pids = this.livePids();
    if (pids.length === 0) return undefined;
    const facts = new Map<number, { identity: ProcessIdentity; nofile: number | null; fds: ProcessFds | null; ns: string }>();
    for (const pid of pids) {
      const identity = readProcessIdentity(pid);
      if (identity === undefined) continue;
      const nofile = this.nofileOf(pid);
      const read = readProcessFds(pid, nofile);
      let fds: ProcessFds | null = null;
      if (isUnreadable(read)) {
        if (read.unreadable === 'gone') continue;
        // denied once, read another time: the process was starting or exiting, its fds are seen
        if (!this.fdsRead.has(pid)) this.unseen.set(`fds:${pid}`, `the fds of ${identity.label} (${identity.uid === 0 ? 'root' : `uid ${identity.uid}`}'s process): /proc/${pid}/fd is not readable for uid ${process.getuid?.() ?? '?'}; its fd count, its limit headroom and its fds on closed sockets are unknown, and its sockets are attributed by its listening ports only. Run tcpsim watch as root or as that user to see them.`);
      } else {
        fds = read;
        this.fdsRead.add(pid);
        this.unseen.delete(`fds:${pid}`);
      }
      const ns = namespaceKey(pid);
      if (ns === undefined) continue; // exiting: its sockets are being released
      facts.set(pid, { identity, nofile, fds, ns });
    }
    if (facts.size === 0) return undefined;

    const processes: ProcessSample[] = [];
    const peerRows: SocketRow[] = [];
    const acceptQueues: AcceptQueue[] = [];
    const byNamespace = new Map<string, number[]>();
    for (const [pid, f] of facts) byNamespace.set(f.ns, [...(byNamespace.get(f.ns) ?? []), pid]);
    // every namespace's table first: a socket fd may be a socket of another namespace than its process's
    const read: { key: string; ns: Namespace; members: number[]; own: ReadonlyMap<number, readonly SocketRow[]> }[] = [];
    const tcpInodes = new Set<number>();
    for (const [key, members] of byNamespace) {
      const ns = this.namespaceOf(key, members);
      if (ns === undefined) continue;
      let rows: SocketRow[];
      try {
        rows = ns.observer.read().rows;
      } catch {
        continue; // the namespace went away with its processes
      }
      const sockets: ProcessSockets[] = members.map((pid) => ({
        pid,
        socketInodes: facts.get(pid)?.fds?.socketInodes ?? null,
        ...(this.target.ports?.get(pid) !== undefined ? { ports: this.target.ports.get(pid) ?? [] } : {}),
      }));
      const { own, peers } = ns.attributor.attribute(rows, sockets);
      peerRows.push(...peers);
      for (const row of rows) tcpInodes.add(row.inode ?? 0);
      const t = performance.now() - this.startMs;
      ns.tracker.update(t, own, new Map(members.map((pid) => [pid, facts.get(pid)?.fds?.socketInodes ?? null])));
      ns.latest = readListenCounters(ns.pid) ?? ns.latest;
      ns.baseline ??= ns.latest;
      read.push({ key, ns, members, own });
    }
    // the other kinds of socket (UNIX, UDP, netlink…) of each namespace and of ours, read only when needed
    const others = new Map<number, Set<number>>();
    const otherKinds = (nsPid: number): Set<number> => {
      for (const pid of [nsPid, process.pid]) if (!others.has(pid)) others.set(pid, otherSocketInodes(pid));
      return new Set([...(others.get(nsPid) ?? []), ...(others.get(process.pid) ?? [])]);
    };
    for (const { key, ns, members, own } of read) {
      for (const pid of members) {
        const f = facts.get(pid)!;
        const mine = own.get(pid) ?? [];
        let closedFds: number | null = null;
        let tcpFds: number | null = null;
        if (f.fds !== null) {
          const unmatched = [...f.fds.socketInodes].filter((inode) => !tcpInodes.has(inode));
          tcpFds = f.fds.socketInodes.size - unmatched.length;
          const kinds = unmatched.length > 0 ? otherKinds(ns.pid) : undefined;
          // in no table at two samples in a row: the fd list and the tables are read one after the
          // other, and a socket closed in between (or by an exiting process) is not a leak
          const inNoTable = new Set(unmatched.filter((inode) => !(kinds?.has(inode) ?? false)));
          const before = this.inNoTable.get(pid);
          closedFds = before === undefined ? null : [...inNoTable].filter((inode) => before.has(inode)).length;
          this.inNoTable.set(pid, inNoTable);
        }
        for (const row of mine) {
          if (row.state !== 'LISTEN') continue;
          const backlog = this.backlogOf(ns, key, row.local.addr, row.local.port);
          acceptQueues.push({ process: f.identity.label, listener: endpointText(row.local.addr, row.local.port), queued: row.recvQ, backlog });
        }
        processes.push({
          pid,
          label: f.identity.label,
          comm: f.identity.comm,
          states: count(mine),
          orphans: count(mine, (r) => (r.inode ?? 0) === 0),
          fds: f.fds?.belowLimit ?? null,
          nofile: f.nofile,
          closedFds,
          tcpFds,
          closeWait: ns.tracker.tally(pid),
        });
      }
    }
    const end = performance.now();
    let listenOverflows = 0;
    let listenDrops = 0;
    for (const ns of this.namespaces.values()) {
      if (ns.latest === undefined || ns.baseline === undefined) continue;
      listenOverflows += ns.latest.listenOverflows - ns.baseline.listenOverflows;
      listenDrops += ns.latest.listenDrops - ns.baseline.listenDrops;
    }
    processes.sort((a, b) => a.pid - b.pid);
    return {
      t: Math.round((begin + end) / 2 - this.startMs),
      processes,
      peers: count(peerRows),
      peerOrphans: count(peerRows, (r) => (r.inode ?? 0) === 0),
      acceptQueues,
      listenOverflows,
      listenDrops,
    };
  }

  /** Closes the table files. */
  close(): void {
    for (const ns of this.namespaces.values()) ns.observer.close();
    this.namespaces.clear();
  }

  /** A listener's backlog, asked of ss the first time the listener is seen. */
  private backlogOf(ns: Namespace, key: string, addr: string, port: number): number | null {
    const id = listenerKey(addr, port);
    if (!ns.backlogs.has(id)) {
      const found = readBacklogs(ns.pid, key === namespaceKey(process.pid));
      for (const [k, v] of found) ns.backlogs.set(k, v);
      if (!ns.backlogs.has(id)) ns.backlogs.set(id, null);
    }
    return ns.backlogs.get(id) ?? null;
  }

  private livePids(): number[] {
    const pids = new Set(this.target.pids);
    if (this.target.treeRoot !== undefined) for (const pid of descendantsOf(this.target.treeRoot, readParents())) pids.add(pid);
    return [...pids].filter((pid) => existsSync(`/proc/${pid}/stat`)).sort((a, b) => a - b);
  }

  private nofileOf(pid: number): number | null {
    try {
      return parseNofileLimit(readFileSync(`/proc/${pid}/limits`, 'utf8'))?.soft ?? null;
    } catch {
      return null;
    }
  }

  /**
   * The namespace `members` live in, its tables opened through the first member that still has
   * them; undefined (and nothing remembered, so the next sample tries again) when none has: a
   * short-lived process, such as `ip netns exec … sysctl`, may be the first one seen in it.
   */
  private namespaceOf(key: string, members: readonly number[]): Namespace | undefined {
    const known = this.namespaces.get(key);
    if (known !== undefined) {
      known.pid = members[0]!;
      return known;
    }
    for (const pid of members) {
      const paths = [`/proc/${pid}/net/tcp`, `/proc/${pid}/net/tcp6`].filter((p) => existsSync(p));
      if (paths.length === 0) continue;
      let observer: TableObserver;
      try {
        observer = new TableObserver(paths);
      } catch {
        continue; // exited between the test and the open
      }
      const ns: Namespace = { observer, backlogs: new Map(), attributor: new SocketAttributor(), tracker: new CloseWaitTracker(), pid, baseline: undefined, latest: undefined };
      this.namespaces.set(key, ns);
      return ns;
    }
    return undefined;
  }
}
