import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../vitest.config.js';

/** The test suite with the World's cell coverage on (npm run matrix); real-socket tests left out. */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      setupFiles: ['scripts/matrixSetup.ts'],
      globalSetup: ['scripts/matrixGlobal.ts'],
      exclude: ['test/real/**', 'node_modules/**'],
    },
  }),
);
