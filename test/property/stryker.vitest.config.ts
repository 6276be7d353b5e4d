import { defineConfig } from 'vitest/config';

/**
 * The suite Stryker runs against each mutant: the model, engine and property tests (the loader,
 * reporter, CLI and real-socket tests do not reach src/model or src/sim in ways these miss, and
 * would make each mutant several times slower).
 */
export default defineConfig({
  test: {
    include: ['test/model/**/*.test.ts', 'test/sim/**/*.test.ts', 'test/property/**/*.test.ts'],
    // instrumented and measured per test, the heaviest property test can pass a minute on a busy machine
    testTimeout: 240_000,
    hookTimeout: 60_000,
  },
});
