/**
 * A program task: an async function run on behalf of a process. An error it does not catch ends
 * it where it stands — fds open, like a thread that dies — and is recorded on the simulation.
 */
import type { ProgramContext } from './context.js';

/** Runs `body` now; `done` runs when it ends, however it ends. */
export function runTask(ctx: ProgramContext, process: string, body: () => unknown, done: () => void): void {
  ctx.woke();
  let result: Promise<unknown>;
  try {
    result = Promise.resolve(body());
  } catch (e) {
    result = Promise.reject(e);
  }
  result.then(done, (e: unknown) => {
    ctx.taskFailed(process, e);
    done();
  });
}
