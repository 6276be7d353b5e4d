// `npx vitest run --config examples/library/vitest.config.ts` from the repository (after npm run
// build): the examples import the package by its name, which resolves to this repository's dist/.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { root: import.meta.dirname, include: ['*.test.ts'], testTimeout: 60_000 },
});
