/**
 * The processes a started command became: the command and every descendant (a shell's children,
 * `npm start`'s node, `prlimit`'s exec), found by the parent pid in /proc/PID/stat. Read anew at
 * every sample, since servers fork and exec as they go.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** The parent pid in the text of /proc/PID/stat (`pid (comm) state ppid …`; comm may hold spaces and parentheses). */
export function parentFromStat(text: string): number | undefined {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const ppid = Number(fields[1]);
  return Number.isInteger(ppid) ? ppid : undefined;
}

/** Every live process and its parent, read from /proc. */
export function readParents(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = parentFromStat(readFileSync(`/proc/${entry}/stat`, 'utf8'));
      if (ppid !== undefined) parents.set(Number(entry), ppid);
    } catch {
      // exited while we looked
    }
  }
  return parents;
}

/** `root` and all its descendants in `parents`, root first, then by pid. */
export function descendantsOf(root: number, parents: ReadonlyMap<number, number>): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents) {
    const list = children.get(ppid);
    if (list === undefined) children.set(ppid, [pid]);
    else list.push(pid);
  }
  const found: number[] = [];
  const queue = [root];
  const seen = new Set<number>();
  while (queue.length > 0) {
    const pid = queue.shift()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    if (pid !== root) found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return [root, ...found.sort((a, b) => a - b)];
}
