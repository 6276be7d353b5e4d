/**
 * The errors a socket call can end with, by their errno names: the kernel's answers that the
 * model produces (a reset, a refusal, a timeout) and the ones the fd table and the port table
 * give. Scenarios bound them in expectations; the engine counts them; reports name them.
 */

/** The errnos tcpsim models, in the order the engine counts them. */
export const ERRNOS = ['EMFILE', 'ETIMEDOUT', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'EADDRINUSE', 'EADDRNOTAVAIL', 'EBADF', 'ENOTCONN'] as const;

/** The errors tcpsim models, by their errno names. */
export type Errno = (typeof ERRNOS)[number];
