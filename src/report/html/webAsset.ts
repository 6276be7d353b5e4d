/**
 * The browser files `npm run build` puts in dist/web (scripts/build-web.mjs), found from wherever
 * this module runs: dist/report/html/, the CLI bundle in dist/bundle/, or src/ under the tests.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The text of dist/web/`name`; throws, saying to build, when it is missing. */
export function webAsset(name: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 5; up++) {
    const candidate = join(dir, 'dist', 'web', name);
    if (existsSync(candidate)) return readFileSync(candidate, 'utf8');
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`the HTML report's ${name} is not built: run npm run build`);
}
