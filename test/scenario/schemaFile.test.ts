import { describe, expect, test } from 'vitest';
import { SCHEMA_FILE, scenarioSchemaIsCurrent, writeScenarioSchema } from '../../scripts/gen-schema.js';
import { scenarioJsonSchema } from '../../src/scenario/index.js';

describe('scenarios/schema.json', () => {
  test.runIf(process.env['TCPSIM_WRITE_SCHEMA'] === '1')('is regenerated on request', () => {
    writeScenarioSchema();
    expect(scenarioSchemaIsCurrent()).toBe(true);
  });

  test('matches the zod schema (regenerate with `npm run schema`)', () => {
    const current = scenarioSchemaIsCurrent();
    expect(current, `${SCHEMA_FILE} is stale: run \`npm run schema\` (TCPSIM_WRITE_SCHEMA=1 npx vitest run test/scenario/schemaFile.test.ts) and commit it`).toBe(true);
  });

  test('accepts ${param} references where numbers and durations go', () => {
    const text = JSON.stringify(scenarioJsonSchema());
    expect(text).toContain('A ${param} reference.');
    expect(text).toContain('additionalProperties');
  });
});
