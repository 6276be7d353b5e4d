/**
 * Where the scenarios shipped with tcpsim live, and their one-line descriptions. The names and
 * descriptions are read from each file's top-level `name:` and `description:` lines without a
 * YAML parser, so `tcpsim list` and "did you mean" start fast.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The scenarios folder next to the installed package (dist/cli/../../scenarios). */
export const SCENARIO_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));

/** A shipped scenario file with its name and description. */
export interface ShippedScenario {
  readonly name: string;
  readonly file: string;
  readonly description: string;
}

function scenarioFiles(): string[] {
  return readdirSync(SCENARIO_DIR)
    .filter((f) => /\.(ya?ml|json)$/.test(f) && f !== 'schema.json')
    .sort();
}

/** The names `tcpsim run NAME` accepts: the file names without extension, sorted. */
export function shippedScenarioNames(): string[] {
  return scenarioFiles().map((f) => f.replace(/\.\w+$/, ''));
}

/** A top-level `key: value` line's value: plain, "double-quoted" or 'single-quoted' text. */
function topLevel(text: string, key: string): string | undefined {
  const line = new RegExp(`^${key}:[ \\t]*(.*?)[ \\t]*$`, 'm').exec(text)?.[1];
  if (line === undefined || line === '') return undefined;
  if (line.startsWith('"')) {
    try {
      const parsed: unknown = JSON.parse(line.replace(/\s+#.*$/, ''));
      return typeof parsed === 'string' ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  if (line.startsWith("'")) return /^'((?:[^']|'')*)'/.exec(line)?.[1]?.replace(/''/g, "'");
  return line.replace(/\s+#.*$/, '');
}

/** The shipped scenarios, sorted by file name. */
export function shippedScenarios(): ShippedScenario[] {
  return scenarioFiles().map((f) => {
    const file = join(SCENARIO_DIR, f);
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      // an unreadable file is listed by its name alone
    }
    return { name: topLevel(text, 'name') ?? f.replace(/\.\w+$/, ''), file, description: topLevel(text, 'description') ?? '' };
  });
}
