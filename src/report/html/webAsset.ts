/**
 * The browser files `npm run build` puts in dist/web (scripts/build-web.mjs), found from wherever
 * this module runs: dist/report/html/, the CLI bundle in dist/bundle/, or src/ under the tests.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The path of dist/`parts` in the package this module belongs to, or undefined when it is not built. */
export function builtFile(...parts: string[]): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 5; up++) {
    const candidate = join(dir, 'dist', ...parts);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

/** The text of dist/web/`name`; throws, saying to build, when it is missing. */
export function webAsset(name: string): string {
  const path = builtFile('web', name);
  if (path === undefined) throw new Error(`the HTML report's ${name} is not built: run npm run build`);
  return readFileSync(path, 'utf8');
}
