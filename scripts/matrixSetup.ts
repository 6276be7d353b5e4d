/**
 * vitest setup file for `npm run matrix`: turns on the World's cell coverage in each test file's
 * worker and, after the file, writes the exercised (leaf, event) cells to MATRIX_DUMP_DIR.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll } from 'vitest';
import { featureKey } from '../src/model/profile.js';
import { World } from '../src/sim/world.js';
import { MATRIX_DUMP_DIR } from './matrixDumps.js';

const dir = MATRIX_DUMP_DIR;
{
  // a fixed seed, so the committed matrix is reproducible
  fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: 20_260_101 });
  World.coverage = new Map();
  afterAll(() => {
    const dump: Record<string, number[]> = {};
    for (const [table, counts] of World.coverage ?? []) {
      const f = table.features;
      dump[featureKey(f)] = Array.from(counts);
    }
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`), JSON.stringify(dump));
  });
}
