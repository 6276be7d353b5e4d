/**
 * The command `tcpsim watch -- CMD ARGS…` starts and watches. It runs in a process group of its
 * own, so that the signals the watch passes on (Ctrl-C, SIGTERM, SIGHUP) reach it and its
 * children once each; its stdin and stderr are the watch's, and its stdout too unless the watch
 * prints JSON there. It never outlives the watch: when the watch ends first (`--for`, a closed
 * stdout) the group gets SIGTERM. This is the only process the watch ever signals.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

/** How the command ended: its exit code, or the signal that killed it. */
export interface CommandExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** The status a shell reports for `exit`: the code, or 128 + the signal's number. */
export function shellStatus(exit: CommandExit): number {
  if (exit.code !== null) return exit.code;
  const number = exit.signal === null ? undefined : constants.signals[exit.signal];
  return 128 + (number ?? 0);
}

/** A started command. */
export interface StartedCommand {
  readonly pid: number;
  readonly argv: readonly string[];
  /** Resolves when the command exits. */
  readonly exited: Promise<CommandExit>;
  /** The exit, once it happened. */
  exit(): CommandExit | undefined;
  /** Sends `signal` to the command's process group (nothing once it has exited). */
  signal(signal: NodeJS.Signals): void;
}

/** Thrown when the command cannot be started at all (not found, not executable). */
export class CommandStartError extends Error {
  override readonly name = 'CommandStartError';

  constructor(
    message: string,
    /** 127 for "not found", 126 for "cannot execute", as shells report them. */
    readonly status: number,
  ) {
    super(message);
  }
}

/** Starts `argv` in its own process group; `stdoutToStderr` sends its stdout to the watch's stderr. */
export function startCommand(argv: readonly [string, ...string[]], stdoutToStderr: boolean): Promise<StartedCommand> {
  const [file, ...args] = argv;
  const child = spawn(file, args, { detached: true, stdio: ['inherit', stdoutToStderr ? 2 : 'inherit', 'inherit'] });
  let result: CommandExit | undefined;
  const exited = new Promise<CommandExit>((resolve) => {
    child.on('exit', (code, signal) => {
      result = { code, signal };
      resolve(result);
    });
  });
  return new Promise((resolve, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      const status = error.code === 'ENOENT' ? 127 : 126;
      reject(new CommandStartError(`cannot start ${file}: ${error.code === 'ENOENT' ? 'command not found' : error.message}`, status));
    });
    child.once('spawn', () => {
      const pid = child.pid!;
      resolve({
        pid,
        argv,
        exited,
        exit: () => result,
        signal: (signal) => {
          if (result !== undefined) return;
          try {
            process.kill(-pid, signal);
          } catch {
            // the group is gone already
          }
        },
      });
    });
  });
}
