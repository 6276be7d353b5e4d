/**
 * The observer of a real run: one per run, kept open from before the first sample to the last.
 * It reads the kernel's TCP table from /proc/PID/net/tcp (and tcp6 when the scenario uses IPv6),
 * where PID is a process inside the run's namespace (or this process, in the host namespace);
 * the files are opened once and re-read with pread from offset 0, which makes the kernel
 * regenerate them, so a sample spawns nothing. An open file keeps its namespace, so the process
 * that gave the path may exit.
 *
 * Why not `ip netns exec … ss` per sample: on a busy machine that spawn took 39–136 ms (median
 * 62 ms), and when in it the table was read is unknown. Here each read records when it started
 * and ended, right around the syscalls, and the comparison uses that whole interval
 * (docs/real-mode-facts.md has the measurements).
 */
import { once } from 'node:events';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { killProcessGroup, type CleanupRegistry } from './cleanup.js';
import { parseProcNetTcp } from './procNetTcp.js';
import { RealModeError } from './realModeError.js';
import { spawnRunChild } from './runChild.js';
import type { SocketRow } from './socketRow.js';

/** Epoch milliseconds with sub-millisecond resolution (the run's clock; t0 is on the same scale). */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

/** The read of one file of the table (`file` indexes the observer's paths), and when it was made. */
export interface TablePart {
  readonly file: number;
  readonly rows: SocketRow[];
  readonly startMs: number;
  readonly endMs: number;
}

/** One read of the table, and when it was made (epoch milliseconds, fractional). */
export interface TableRead {
  readonly rows: SocketRow[];
  readonly startMs: number;
  readonly endMs: number;
  /** Each file read, with its own interval (a row shows its socket at some instant of its file's read). */
  readonly parts: readonly TablePart[];
}

/** How long reads took: median and worst, milliseconds. */
export interface ReadLatency {
  readonly reads: number;
  readonly medianMs: number;
  readonly maxMs: number;
}

/** Median and max of read durations (milliseconds); zeros when there were none. */
export function readLatency(durationsMs: readonly number[]): ReadLatency {
  if (durationsMs.length === 0) return { reads: 0, medianMs: 0, maxMs: 0 };
  const sorted = [...durationsMs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return { reads: sorted.length, medianMs: median, maxMs: sorted[sorted.length - 1] ?? 0 };
}

/** The long-lived reader of one namespace's TCP table. */
export class TableObserver {
  /** What is read, for the report (`/proc/1234/net/tcp`). */
  readonly source: string;
  private readonly fds: number[];
  private buffer = Buffer.allocUnsafe(1 << 16);
  private readonly durations: number[] = [];
  /** Rows of the previous read of each file by their line (without the slot number): most rows do not change between reads. */
  private rowsByLine: Map<string, SocketRow>[] = [];

  /** Opens `paths` now; `read()` re-reads them. */
  constructor(paths: readonly string[]) {
    this.source = paths.join(' + ');
    this.fds = [];
    try {
      for (const path of paths) this.fds.push(openSync(path, 'r'));
    } catch (error) {
      this.close();
      throw error;
    }
  }

  /** How many files it reads (tcp, and tcp6 when asked for). */
  get files(): number {
    return this.fds.length;
  }

  /** Reads the table once (only the files in `files`, by index, when given); rows of every socket in the namespace. */
  read(files?: ReadonlySet<number>): TableRead {
    if (this.fds.length === 0) throw new Error(`observer of ${this.source} is closed`);
    const startMs = epochMs();
    const raw: { file: number; text: string; startMs: number; endMs: number }[] = [];
    this.fds.forEach((fd, file) => {
      if (files !== undefined && !files.has(file)) return;
      const partStart = epochMs();
      const text = this.readWhole(fd);
      raw.push({ file, text, startMs: partStart, endMs: epochMs() });
    });
    const endMs = epochMs();
    this.durations.push(endMs - startMs);
    const parts = raw.map((r) => ({ file: r.file, rows: this.parse(r.file, r.text), startMs: r.startMs, endMs: r.endMs }));
    return { rows: parts.flatMap((p) => p.rows), startMs, endMs, parts };
  }

  /** Median and max duration of the reads so far. */
  latency(): ReadLatency {
    return readLatency(this.durations);
  }

  /** Closes the files (idempotent). */
  close(): void {
    for (const fd of this.fds.splice(0)) {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
    }
  }

  /** The rows of a file's text, each line parsed once as long as it stays the same (a table of 2000 rows is read every 10 ms while clients connect). */
  private parse(file: number, text: string): SocketRow[] {
    const previous = this.rowsByLine[file] ?? new Map<string, SocketRow>();
    const next = new Map<string, SocketRow>();
    const rows: SocketRow[] = [];
    let start = text.indexOf('\n') + 1; // the header
    while (start > 0 && start < text.length) {
      const newline = text.indexOf('\n', start);
      const end = newline < 0 ? text.length : newline;
      // `   12: 0100007F:1F90 …`: the slot number changes as rows come and go; the rest is the socket
      const body = text.slice(text.indexOf(':', start) + 1, end);
      if (body.trim() !== '') {
        const row = previous.get(body) ?? parseProcNetTcp(text.slice(start, end))[0];
        if (row !== undefined) {
          next.set(body, row);
          rows.push(row);
        }
      }
      start = end + 1;
    }
    this.rowsByLine[file] = next;
    return rows;
  }

  private readWhole(fd: number): string {
    let length = 0;
    for (;;) {
      if (length === this.buffer.length) {
        const bigger = Buffer.allocUnsafe(this.buffer.length * 2);
        this.buffer.copy(bigger, 0, 0, length);
        this.buffer = bigger;
      }
      // pread at 0 makes seq_file start over; later offsets continue where the last read ended
      const n = readSync(fd, this.buffer, length, this.buffer.length - length, length);
      if (n === 0) break;
      length += n;
    }
    return this.buffer.toString('latin1', 0, length);
  }
}

/** The table files of the namespace `pid` lives in (this process's when undefined). */
export function tablePaths(pid: number | undefined, ipv6: boolean): string[] {
  const base = pid === undefined ? '/proc/self/net' : `/proc/${pid}/net`;
  return ipv6 ? [`${base}/tcp`, `${base}/tcp6`] : [`${base}/tcp`];
}

/** The nsfs inode of a network namespace file (`/proc/PID/ns/net`, `/run/netns/NAME`). */
export function netnsInode(path: string): number | undefined {
  try {
    return statSync(path).ino;
  } catch {
    return undefined;
  }
}

/** Where to observe. */
export interface ObserverPlace {
  /** The run's namespace, or null for this process's own. */
  readonly netns: string | null;
  readonly runTag: string;
  /** Read tcp6 too (a scenario address is IPv6). */
  readonly ipv6: boolean;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Opens the run's observer: in a namespace, through a short-lived anchor process started in it
 * (`ip netns exec NS sleep`), once the anchor is inside (its /proc/PID/ns/net is the
 * namespace's); the anchor is then killed, the open files keep the namespace. The files are
 * closed by `registry`.
 */
export async function openTableObserver(registry: CleanupRegistry, place: ObserverPlace): Promise<TableObserver> {
  let pid: number | undefined;
  if (place.netns !== null) {
    const anchor = spawnRunChild(registry, ['sleep', '600'], { runTag: place.runTag, netns: place.netns, stdio: 'ignore' });
    const anchorPid = anchor.pid ?? -1;
    const wanted = netnsInode(`/run/netns/${place.netns}`) ?? netnsInode(`/var/run/netns/${place.netns}`);
    if (wanted === undefined) throw new RealModeError(`namespace ${place.netns} has no /run/netns file`);
    const giveUp = Date.now() + 10_000;
    while (netnsInode(`/proc/${anchorPid}/ns/net`) !== wanted) {
      if (anchor.exitCode !== null || Date.now() > giveUp) throw new RealModeError(`the observer's anchor did not enter namespace ${place.netns}`);
      await sleep(2);
    }
    pid = anchorPid;
    const observer = new TableObserver(tablePaths(pid, place.ipv6));
    const gone = once(anchor, 'exit');
    killProcessGroup(anchorPid);
    await gone;
    registry.add(`observer ${observer.source}`, () => observer.close());
    return observer;
  }
  const observer = new TableObserver(tablePaths(pid, place.ipv6));
  registry.add(`observer ${observer.source}`, () => observer.close());
  return observer;
}
