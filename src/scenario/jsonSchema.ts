/**
 * The JSON Schema that editors use to complete and check scenario files
 * (`# yaml-language-server: $schema=./schema.json`). Generated from the zod schema, widened so
 * that `${param}` references are accepted wherever a number or duration is.
 */
import * as z from 'zod';
import { scenarioSchema } from './schema.js';
import { DURATION_PATTERN } from './duration.js';

const PARAM_REF = '^\\$\\{\\s*[A-Za-z_][A-Za-z0-9_]*\\s*\\}$';
const EDITOR_DURATION = '^(?:(?:[0-9]+(?:\\.[0-9]+)?|\\$\\{\\s*[A-Za-z_][A-Za-z0-9_]*\\s*\\})(?:us|µs|ms|s|m|h|d))+$';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The JSON Schema (draft 2020-12) for scenario files, as written to scenarios/schema.json. */
export function scenarioJsonSchema(): Record<string, Json> {
  const generated = z.toJSONSchema(scenarioSchema, { io: 'input', target: 'draft-2020-12' }) as Json;
  const widened = widen(generated);
  if (widened === null || typeof widened !== 'object' || Array.isArray(widened)) throw new Error('zod produced a non-object JSON Schema');
  return { $id: 'https://tcpsim.dev/scenario.schema.json', title: 'tcpsim scenario', ...widened };
}

/** The text of scenarios/schema.json (stable key order, trailing newline). */
export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}

function widen(node: Json): Json {
  if (Array.isArray(node)) return node.map(widen);
  if (node === null || typeof node !== 'object') return node;
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(node)) out[k] = widen(v);
  if (out['type'] === 'number' || out['type'] === 'integer') {
    const { description, ...number } = out;
    return {
      ...(description === undefined ? {} : { description }),
      anyOf: [number, { type: 'string', pattern: PARAM_REF, description: 'A ${param} reference.' }],
    };
  }
  if (out['type'] === 'string' && out['pattern'] === DURATION_PATTERN.source) out['pattern'] = EDITOR_DURATION;
  return out;
}
