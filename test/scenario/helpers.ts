import { expect } from 'vitest';
import { loadScenarioText, ScenarioError } from '../../src/scenario/index.js';
import type { LoadOptions, ScenarioProblem } from '../../src/scenario/index.js';

/** The problems loading `text` reports; fails the test when it loads or throws anything else. */
export function problemsOf(text: string, options: LoadOptions = {}): readonly ScenarioProblem[] {
  try {
    loadScenarioText(text, 'x.yaml', options);
  } catch (err) {
    if (err instanceof ScenarioError) return err.problems;
    throw err;
  }
  expect.fail('expected the scenario to be rejected');
}

/** The single problem loading `text` reports. */
export function problemOf(text: string, options: LoadOptions = {}): ScenarioProblem {
  const problems = problemsOf(text, options);
  expect(problems, JSON.stringify(problems, null, 2)).toHaveLength(1);
  const [p] = problems;
  if (p === undefined) throw new Error('no problem');
  return p;
}

/** `line:col` of a problem, for compact assertions. */
export function at(p: ScenarioProblem): string {
  return `${p.line}:${p.col}`;
}

/** A small valid scenario: one server, one client. */
export const MINIMAL = `processes:
  server:
    listen: 8888
    onConnection: [ { read: eof }, close ]
  client:
    steps:
      - connect: server
      - close
`;
