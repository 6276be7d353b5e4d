/**
 * What a scenario author did wrong, each problem pinned to a line and column of their file.
 * Loading returns a Scenario or throws this; any other exception from the loader is a bug.
 */
import { formatScenarioError } from './formatScenarioError.js';
import type { ScenarioProblem } from './scenarioProblem.js';

/** One mistake in a scenario, located in the author's file (defined in scenarioProblem.ts). */
export type { ScenarioProblem } from './scenarioProblem.js';

/** Most problems kept in one error; the rest are counted in `omitted`. */
export const MAX_PROBLEMS = 50;

/** A scenario could not be loaded; `problems` says every reason found (up to MAX_PROBLEMS). */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
  /** The problems, in document order. */
  readonly problems: readonly ScenarioProblem[];
  /** Problems found beyond MAX_PROBLEMS and not listed. */
  readonly omitted: number;

  constructor(problems: readonly ScenarioProblem[]) {
    const unique = dedupe(problems);
    const kept = unique.slice(0, MAX_PROBLEMS);
    super(formatScenarioError({ problems: kept, omitted: unique.length - kept.length }, { color: false }));
    this.problems = kept;
    this.omitted = unique.length - kept.length;
  }
}

/** Sorts by position and drops repeats of the same message at the same place. */
function dedupe(problems: readonly ScenarioProblem[]): ScenarioProblem[] {
  const seen = new Set<string>();
  const out: ScenarioProblem[] = [];
  const sorted = [...problems].sort((a, b) => (a.file === b.file ? a.line - b.line || a.col - b.col : 0));
  for (const p of sorted) {
    const key = `${p.file}\u0000${p.line}\u0000${p.col}\u0000${p.path}\u0000${p.expected}\u0000${p.found}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}
