/**
 * A server's accept loop for async handlers: the engine's accept loop (src/sim/acceptLoop.ts,
 * the same one the scenario runner uses), serving each accepted connection by running the
 * handler as a task and counting what happened.
 */
import { AcceptLoop } from '../sim/acceptLoop.js';
import type { AcceptErrorAction as ActionSpec, AcceptPolicy } from '../scenario/types.js';
import type { ProgramContext, ProcessTraits } from './context.js';
import { Conn } from './conn.js';
import { runTask } from './task.js';

/** What a posix server does when accept() fails with EMFILE. */
export type AcceptErrorAction = 'retry' | 'stop' | 'exit';

/** A connection handler. */
export type ConnectionHandler = (conn: Conn) => unknown;

/** The accept loop's settings, resolved. */
export interface AcceptSettings {
  readonly policy: AcceptPolicy;
  readonly workers: number | null;
  readonly onAcceptError: AcceptErrorAction;
  /** µs before accept() is tried again after EMFILE (retry). */
  readonly retryAfter: number;
}

/** Counts an accept loop keeps. */
export interface AcceptCounts {
  accepted: number;
  /** Connections the libuv policy accepted and closed at once on EMFILE. */
  dropped: number;
  /** accept() calls that failed with EMFILE. */
  emfile: number;
}

/** Starts the accept loop of listening fd `listenFd`; returns its counts and a way to stop it. */
export function startAcceptLoop(
  ctx: ProgramContext,
  proc: ProcessTraits,
  listenFd: number,
  settings: AcceptSettings,
  handler: ConnectionHandler,
): { readonly counts: AcceptCounts; stop(): void } {
  const counts: AcceptCounts = { accepted: 0, dropped: 0, emfile: 0 };
  const onAcceptError: ActionSpec = settings.onAcceptError === 'retry' ? { kind: 'retry', after: settings.retryAfter } : { kind: settings.onAcceptError };
  const loop = new AcceptLoop(
    ctx.world,
    proc.index,
    listenFd,
    { policy: settings.policy, workers: settings.workers, onAcceptError, acceptCost: 0, keepalive: proc.keepalive },
    {
      accepted: () => {
        counts.accepted++;
        proc.notePeak();
      },
      dropped: (n) => {
        counts.dropped += n;
      },
      refused: () => {
        counts.emfile++;
      },
      serve: (fd, done) => {
        const conn = new Conn(ctx, proc, fd);
        runTask(ctx, proc.name, () => handler(conn), () => {
          if (proc.closeWhenDone && !ctx.world.exited(proc.index)) conn.close();
          done();
        });
      },
    },
  );
  loop.wake();
  return { counts, stop: () => loop.stop() };
}
