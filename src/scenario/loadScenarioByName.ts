/**
 * Loading a scenario the way a program names it: a shipped scenario by name
 * (`loadScenario('article-java-forgot-close')`) or a file by path; and a scenario written as a
 * typed object instead of YAML, checked by the same loader with the same messages.
 */
import { loadScenarioFile, loadScenarioText, type LoadOptions } from './loadScenario.js';
import type { ScenarioDocument } from './schema.js';
import { isFile, shippedScenarioNames, shippedScenarioPath } from './shipped.js';
import { suggest } from './suggest.js';
import type { Scenario } from './types.js';

/** A scenario written as an object: the YAML format's fields, typed (durations as text: '20s'). */
export type ScenarioObject = ScenarioDocument;


/** Loads a shipped scenario by name, or a scenario file by path. Throws ScenarioError for a bad file, RangeError for an unknown name. */
export function loadScenario(nameOrPath: string, options: LoadOptions = {}): Scenario {
  if (isFile(nameOrPath)) return loadScenarioFile(nameOrPath, options);
  const shipped = shippedScenarioPath(nameOrPath);
  if (shipped !== undefined) return loadScenarioFile(shipped, options);
  const names = shippedScenarioNames();
  const close = suggest(nameOrPath.replace(/\.(ya?ml|json)$/i, ''), names);
  throw new RangeError(
    `loadScenario: no such file or shipped scenario: ${nameOrPath}${close === undefined ? '' : `; did you mean ${close}?`}\n  shipped scenarios: ${names.join(', ')}`,
  );
}

/** Loads a scenario given as an object, through the same checks as a file (`source` names it in messages). */
export function scenarioFromObject(scenario: ScenarioObject, options: LoadOptions & { readonly source?: string } = {}): Scenario {
  return loadScenarioText(JSON.stringify(scenario, null, 2), options.source ?? `${scenario.name}.json`, options);
}
