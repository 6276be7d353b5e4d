import { describe, expect, it } from 'vitest';
import { loadScenario, scenarioFromObject, simulate, type ScenarioObject } from '../../src/index.js';

describe('loadScenario: shipped scenarios by name, and scenarios as objects', () => {
  it('loads a shipped scenario by its name and runs it', () => {
    const scenario = loadScenario('article-java-forgot-close');
    expect(scenario.name).toBe('article-java-forgot-close');
    const result = simulate(scenario);
    expect(result.expectations.every((e) => e.pass)).toBe(true);
  });

  it('an unknown name says so, with the closest shipped name', () => {
    expect(() => loadScenario('article-java-forgot-clos')).toThrow(/no such file or shipped scenario: article-java-forgot-clos; did you mean article-java-forgot-close\?/);
  });

  it('a typed object goes through the same checks as a file', () => {
    const doc: ScenarioObject = {
      name: 'one-close',
      hosts: [{ name: 'box', address: '127.0.0.1' }],
      processes: {
        server: { host: 'box', nofile: 64, listen: { port: 80 }, onConnection: [{ read: 'eof' }, 'close'] },
        client: { host: 'box', nofile: 64, connections: 1, steps: [{ connect: 'server' }, 'close'] },
      },
      sample: { every: '1s', until: '2m' },
      expect: [{ at: 'end', states: { LISTEN: 1, TIME_WAIT: 0 } }],
    };
    const result = simulate(scenarioFromObject(doc));
    expect(result.expectations.map((e) => e.pass)).toEqual([true]);
    expect(() => scenarioFromObject({ ...doc, sample: { every: '1s', until: 'soon' } })).toThrow(/until/);
  });
});
