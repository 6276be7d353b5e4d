/**
 * The scenarios shipped with tcpsim, by name: `article-java-forgot-close` is
 * scenarios/article-java-forgot-close.yaml of the installed package, for the library as for the
 * command line.
 */
import { lstatSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The scenarios folder of the installed package (dist/scenario/../../scenarios, or src/scenario/../../scenarios). */
export const SCENARIO_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));

/** The shipped scenario files, sorted. */
export function shippedScenarioFiles(): string[] {
  return readdirSync(SCENARIO_DIR)
    .filter((f) => /\.(ya?ml|json)$/.test(f) && f !== 'schema.json')
    .sort();
}

/** The names of the shipped scenarios: the file names without extension, sorted. */
export function shippedScenarioNames(): string[] {
  return shippedScenarioFiles().map((f) => f.replace(/\.\w+$/, ''));
}

/** Whether something is at `path` (lstat: a dangling link or a link loop is a file the loader explains, not an unknown name). */
export function isFile(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The file of the shipped scenario `name`, or undefined when there is none. */
export function shippedScenarioPath(name: string): string | undefined {
  if (!/^[\w.-]+$/.test(name)) return undefined;
  for (const ext of ['.yaml', '.yml', '.json']) {
    const path = join(SCENARIO_DIR, name + ext);
    if (isFile(path)) return path;
  }
  return undefined;
}
