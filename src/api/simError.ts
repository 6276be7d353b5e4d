/**
 * The error a simulated socket call throws, shaped like Node's system errors: `code` is the
 * errno name (`err.code === 'ECONNRESET'`), `syscall` the call that failed, and the message
 * reads as Node's does ("read ECONNRESET").
 */
import type { Errno } from '../model/errno.js';

/** The codes a simulated call can fail with: the kernel's errnos, and ETIMEDOUT for a program's own timeout. */
export type SimErrorCode = Errno;

/** What a program was doing when the call failed. */
export type SimSyscall = 'connect' | 'accept' | 'listen' | 'read' | 'write' | 'shutdown' | 'close' | 'abort' | 'open';

/** A failed simulated call. */
export class SimError extends Error {
  override readonly name = 'SimError';

  constructor(
    readonly code: SimErrorCode,
    readonly syscall: SimSyscall,
    detail?: string,
  ) {
    super(`${syscall} ${code}${detail === undefined ? '' : ` (${detail})`}`);
  }
}

/** Whether `e` is a SimError, optionally with `code`. */
export function isSimError(e: unknown, code?: SimErrorCode): e is SimError {
  return e instanceof SimError && (code === undefined || e.code === code);
}
