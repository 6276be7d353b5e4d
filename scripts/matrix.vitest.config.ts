import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../vitest.config.js';

/** The test suite with the World's cell coverage on (npm run matrix); real-socket tests left out. */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      setupFiles: ['scripts/matrixSetup.ts'],
      globalSetup: ['scripts/matrixGlobal.ts'],
      // the model-based property explores deeper here, to reach the rare (state, event) cells
      env: { TCPSIM_MODEL_RUNS: '4000' },
      exclude: ['test/real/**', 'node_modules/**'],
    },
  }),
);
