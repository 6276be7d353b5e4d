import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/globalBuild.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // A run prints progress on stderr once it has taken 2 s of wall time. On a loaded machine a
    // test's CLI run can take that long, and tests that check stderr is empty would fail for it;
    // tests of progress set their own value.
    env: { TCPSIM_PROGRESS_AFTER_MS: '3600000' },
  },
});
