import { defineConfig } from 'vitest/config';

/**
 * The suite Stryker runs against each mutant: the model, engine and property tests (the loader,
 * reporter, CLI and real-socket tests do not reach src/model or src/sim in ways these miss, and
 * would make each mutant several times slower).
 */
export default defineConfig({
  test: {
    include: ['test/model/**/*.test.ts', 'test/sim/**/*.test.ts', 'test/property/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
