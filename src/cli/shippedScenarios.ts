/**
 * Where the scenarios shipped with tcpsim live, and their one-line descriptions. The names and
 * descriptions are read from each file's top-level `name:` and `description:` lines without a
 * YAML parser, so `tcpsim list` and "did you mean" start fast.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCENARIO_DIR, shippedScenarioFiles, shippedScenarioNames } from '../scenario/shipped.js';

export { SCENARIO_DIR, shippedScenarioNames };

/** A shipped scenario file with its name and description. */
export interface ShippedScenario {
  readonly name: string;
  readonly file: string;
  readonly description: string;
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
  return shippedScenarioFiles().map((f) => {
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
