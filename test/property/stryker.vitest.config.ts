import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../../vitest.config.js';

/** The suite Stryker runs against each mutant: everything but the real-socket tests. */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: ['test/real/**', 'node_modules/**'],
    },
  }),
);
