import { defineConfig } from 'vitest/config';

/** The files that run real sockets and real processes against wall-clock time: real mode and `watch`. */
export const WALL_CLOCK_FILES = ['test/real/**/*.test.ts', 'test/watch/**/*.test.ts'];

/** What every project shares. */
export const shared = {
  globalSetup: ['test/globalBuild.ts'],
  testTimeout: 60_000,
  hookTimeout: 60_000,
  // A run prints progress on stderr once it has taken 2 s of wall time. On a loaded machine a
  // test's CLI run can take that long, and tests that check stderr is empty would fail for it;
  // tests of progress set their own value.
  env: { TCPSIM_PROGRESS_AFTER_MS: '3600000' },
};

/**
 * Two projects, run one after the other (sequence.groupOrder). The model, engine, CLI and
 * property tests are CPU-bound; the real-socket and `watch` tests compare a model with processes
 * and kernel timers that keep running on the wall clock, and a worker starved by property tests
 * on a 2-core machine made them miss (a read of /proc seconds late, a keepalive probe and a
 * FIN_WAIT_2 expiry that coincide by design landing in the other order). They run second, with
 * the CPU to themselves.
 */
export default defineConfig({
  test: {
    projects: [
      { test: { ...shared, name: 'model', include: ['test/**/*.test.ts'], exclude: ['**/node_modules/**', ...WALL_CLOCK_FILES], sequence: { groupOrder: 0 } } },
      { test: { ...shared, name: 'wall-clock', include: WALL_CLOCK_FILES, sequence: { groupOrder: 1 } } },
    ],
  },
});
