/**
 * Writes scenarios/schema.json from the zod schema in src/scenario/schema.ts. Run it with
 * `npm run schema` (which runs test/scenario/schemaFile.test.ts with TCPSIM_WRITE_SCHEMA=1, since
 * Node 20 cannot run TypeScript directly); the same test fails when the file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scenarioJsonSchemaText } from '../src/scenario/jsonSchema.js';

/** Where the generated schema lives (scenario files point at it with `$schema=./schema.json`). */
export const SCHEMA_FILE = fileURLToPath(new URL('../scenarios/schema.json', import.meta.url));

/** Writes the schema file; returns true when its content changed. */
export function writeScenarioSchema(path: string = SCHEMA_FILE): boolean {
  const next = scenarioJsonSchemaText();
  let previous: string | undefined;
  try {
    previous = readFileSync(path, 'utf8');
  } catch {
    previous = undefined;
  }
  if (previous === next) return false;
  writeFileSync(path, next);
  return true;
}

/** True when the schema file matches what the zod schema generates now. */
export function scenarioSchemaIsCurrent(path: string = SCHEMA_FILE): boolean {
  try {
    return readFileSync(path, 'utf8') === scenarioJsonSchemaText();
  } catch {
    return false;
  }
}
