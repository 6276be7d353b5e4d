/**
 * How hard the properties try. Fast by default (a few seconds each in CI); set
 * TCPSIM_PROPERTY_RUNS to raise every property's run count, e.g. TCPSIM_PROPERTY_RUNS=2000.
 */
import fc from 'fast-check';

const fromEnv = Number(process.env['TCPSIM_PROPERTY_RUNS'] ?? '');

/** Run count: the property's default, or TCPSIM_PROPERTY_RUNS when set. */
export function runs(defaultRuns: number): number {
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : defaultRuns;
}

/**
 * fast-check parameters for a property: its run count, and a report that always carries the
 * `seed` and `path` (fast-check prints them; `verbose` adds the failing commands) so a failure
 * replays with `{ seed, path, endOnFailure: true }`.
 */
export function params<T>(defaultRuns: number, extra: fc.Parameters<T> = {}): fc.Parameters<T> {
  return { numRuns: runs(defaultRuns), verbose: 1, ...extra };
}
