/** The scenario loader's public API: YAML/JSON ⇒ validated `Scenario`, with located errors. */
export type * from './types.js';
/** Loading scenario files and text. */
export { loadScenarioFile, loadScenarioText } from './loadScenario.js';
export type { LoadOptions } from './loadScenario.js';
/** Errors with file:line:col problems, and their formatter. */
export { ScenarioError, MAX_PROBLEMS } from './scenarioError.js';
export type { ScenarioProblem } from './scenarioError.js';
export { formatScenarioError } from './formatScenarioError.js';
export type { FormatOptions } from './formatScenarioError.js';
/** Durations: "20s" ⇔ microseconds. */
export { parseDuration, tryParseDuration, formatDuration } from './duration.js';
export type { DurationResult } from './duration.js';
/** Guard-rail limits and the `--param` parser. */
export { DEFAULT_LIMITS, LARGE_LIMITS } from './limits.js';
export type { Limits } from './limits.js';
export { parseParamAssignments } from './params.js';
/** The schema, for editors (scenarios/schema.json) and tooling. */
export { scenarioJsonSchema, scenarioJsonSchemaText } from './jsonSchema.js';
export { scenarioSchema } from './schema.js';
export { DEFAULTS as SCENARIO_DEFAULTS } from './resolveScenario.js';
/** Shipped scenarios by name, and scenarios as typed objects. */
export { loadScenario, scenarioFromObject } from './loadScenarioByName.js';
export type { ScenarioObject } from './loadScenarioByName.js';
export { shippedScenarioNames } from './shipped.js';
