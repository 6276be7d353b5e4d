/**
 * A reader that goes away (`tcpsim run … | head -1`) ends tcpsim quietly, the way `git log` and
 * `ls` end: no stack trace, no "internal error", and the status a shell reports for a process
 * killed by SIGPIPE. Node ignores SIGPIPE, so the write fails with EPIPE instead; this turns that
 * into the same outcome, for every command and every output (stdout, `--pcap -`, `-o /dev/stdout`).
 */

/** 128 + SIGPIPE (13): what `set -o pipefail` sees from `git log | head -1`. */
export const BROKEN_PIPE_STATUS = 141;

/** Whether `error` is a write to a pipe (or socket) nobody reads any more. */
export function isBrokenPipe(error: unknown): boolean {
  return error instanceof Error && 'code' in error && (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED');
}

/**
 * Makes a closed stdout end the process at once with BROKEN_PIPE_STATUS, and a closed stderr
 * harmless (there is nobody left to tell). Other write errors on stdout end it with status 74
 * (EX_IOERR) and one line on stderr.
 */
export function exitQuietlyOnBrokenPipe(): void {
  process.stdout.on('error', (error: unknown) => {
    if (isBrokenPipe(error)) process.exit(BROKEN_PIPE_STATUS);
    const code = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    process.stderr.write(`tcpsim: cannot write the output (${code})\n`);
    process.exit(74);
  });
  process.stderr.on('error', () => {
    // stderr is gone: the messages have nowhere to go, and the exit status still tells
  });
}
