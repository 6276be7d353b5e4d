/** Where the scenarios shipped with tcpsim live, and their one-line descriptions. */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parse } from 'yaml';

/** The scenarios folder next to the installed package (dist/cli/../../scenarios). */
export const SCENARIO_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));

/** A shipped scenario file with its name and description. */
export interface ShippedScenario {
  readonly name: string;
  readonly file: string;
  readonly description: string;
}

/** The shipped scenarios, sorted by name. */
export function shippedScenarios(): ShippedScenario[] {
  return readdirSync(SCENARIO_DIR)
    .filter((f) => /\.(ya?ml|json)$/.test(f) && f !== 'schema.json')
    .sort()
    .map((f) => {
      const file = join(SCENARIO_DIR, f);
      let doc: unknown;
      try {
        doc = parse(readFileSync(file, 'utf8'));
      } catch {
        doc = {};
      }
      const record = (doc ?? {}) as Record<string, unknown>;
      return {
        name: typeof record['name'] === 'string' ? record['name'] : f.replace(/\.\w+$/, ''),
        file,
        description: typeof record['description'] === 'string' ? record['description'] : '',
      };
    });
}
