/**
 * The tag that marks everything one real-mode run creates, so a later check can find what a
 * crashed or interrupted run left behind: namespaces `tcpsim-<pid>-<n>`, nft tables
 * `tcpsim_<pid>_<n>`, child processes with TCPSIM_RUN=tcpsim-<pid> in their environment.
 */

/** Environment variable carrying the run tag into every child process. */
export const RUN_TAG_ENV = 'TCPSIM_RUN';

/** The tag of the run made by process `pid`. */
export function runTagFor(pid: number = process.pid): string {
  return `tcpsim-${pid}`;
}

/** The nft table name form of a tag (nft names take no dashes in tcpsim's convention). */
export function nftTablePrefix(runTag: string): string {
  return runTag.replaceAll('-', '_');
}
