/** The error of a scenario real mode cannot run faithfully on this machine: `tcpsim real` exits 3. */

/** Thrown for a scenario real mode cannot run (not Linux, a program or a tool failing, the observer). */
export class RealModeError extends Error {
  override readonly name = 'RealModeError';
}
