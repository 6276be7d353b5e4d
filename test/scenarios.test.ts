import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../src/scenario/index.js';
import { simulate } from '../src/sim/simulate.js';
import { runJson } from '../src/report/runJson.js';

const SHIPPED = readdirSync('scenarios')
  .filter((f) => f.endsWith('.yaml') && !f.startsWith('bench-'))
  .sort();

describe('shipped scenarios', () => {
  it('are all here: the article’s four demos and the teaching set', () => {
    for (const name of [
      'article-java-forgot-close',
      'article-java-close',
      'article-go-forgot-close',
      'article-go-close',
      'normal-close',
      'simultaneous-close',
      'half-close',
      'lost-final-ack',
      'close-with-unread-data',
      'backlog-overflow',
      'emfile',
      'node-forgot-close',
    ]) {
      expect(SHIPPED).toContain(`${name}.yaml`);
    }
  });

  it.each(SHIPPED)('%s: every expectation holds', (file) => {
    const result = simulate(loadScenarioFile(`scenarios/${file}`));
    expect(result.expectations.length).toBeGreaterThan(0);
    for (const e of result.expectations) expect({ what: e.what, pass: e.pass, actual: e.actual }).toEqual({ what: e.what, pass: true, actual: undefined });
  });

  it.each(SHIPPED)('%s: the same seed gives byte-identical JSON', (file) => {
    const scenario = loadScenarioFile(`scenarios/${file}`);
    expect(runJson(simulate(scenario))).toBe(runJson(simulate(scenario)));
  });
});
