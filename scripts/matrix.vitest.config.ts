import { defineConfig } from 'vitest/config';
import { shared } from '../vitest.config.js';

/** The test suite with the World's cell coverage on (npm run matrix); real-socket tests left out. */
export default defineConfig({
  test: {
    ...shared,
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/real/**'],
    setupFiles: ['scripts/matrixSetup.ts'],
    globalSetup: [...shared.globalSetup, 'scripts/matrixGlobal.ts'],
    // the model-based property explores deeper here, to reach the rare (state, event) cells
    env: { ...shared.env, TCPSIM_MODEL_RUNS: '4000' },
  },
});
