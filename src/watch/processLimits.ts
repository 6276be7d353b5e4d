/**
 * A process's RLIMIT_NOFILE as the kernel reports it in /proc/PID/limits (fs/proc/base.c
 * proc_pid_limits): a table whose "Max open files" row holds the soft and hard limits, or
 * `unlimited`. The soft limit is the one accept() and open() meet: EMFILE when no fd number below
 * it is free.
 */

/** The soft and hard fd limits; null for `unlimited`. */
export interface NofileLimit {
  readonly soft: number | null;
  readonly hard: number | null;
}

/** The "Max open files" limits in the text of /proc/PID/limits, or undefined when the row is missing. */
export function parseNofileLimit(text: string): NofileLimit | undefined {
  const row = text.split('\n').find((line) => line.startsWith('Max open files'));
  if (row === undefined) return undefined;
  const [soft, hard] = row.slice('Max open files'.length).trim().split(/\s+/);
  const value = (word: string | undefined): number | null | undefined => {
    if (word === 'unlimited') return null;
    return word !== undefined && /^\d+$/.test(word) ? Number(word) : undefined;
  };
  const s = value(soft);
  const h = value(hard);
  if (s === undefined || h === undefined) return undefined;
  return { soft: s, hard: h };
}
