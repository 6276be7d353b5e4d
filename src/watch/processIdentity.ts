/**
 * Who a process is, from /proc/PID (comm, cmdline, owner): what the report calls it, `node[4242]`,
 * like ps and ss name processes. These files are readable for every user's processes.
 */
import { readFileSync } from 'node:fs';

/** A process as the report names it. */
export interface ProcessIdentity {
  readonly pid: number;
  /** The kernel's short name (/proc/PID/comm), e.g. `node`, `java`, `server`. */
  readonly comm: string;
  /** The command line, arguments joined by spaces (empty for a kernel thread or a zombie). */
  readonly cmdline: string;
  /** Real user id of the owner. */
  readonly uid: number;
  /** `comm[pid]`. */
  readonly label: string;
}

/** The label the report gives process `pid` named `comm`. */
export function processLabel(comm: string, pid: number): string {
  return `${comm}[${pid}]`;
}

/** The real uid in the text of /proc/PID/status (`Uid:\treal\teffective\tsaved\tfs`). */
export function uidFromStatus(text: string): number | undefined {
  const match = /^Uid:\s+(\d+)/m.exec(text);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** Reads process `pid`'s identity; undefined when it no longer exists. */
export function readProcessIdentity(pid: number): ProcessIdentity | undefined {
  try {
    const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((w) => w !== '').join(' ');
    } catch {
      // a process being torn down: its name is enough
    }
    return { pid, comm, cmdline, uid: uidFromStatus(status) ?? -1, label: processLabel(comm, pid) };
  } catch {
    return undefined;
  }
}
