import { describe, expect, it } from 'vitest';
import { ScenarioError, loadScenarioText } from '../../src/scenario/index.js';

const doc = (connections: string): string => `params:
  total: { default: 120, description: connections in all }
processes:
  server:
    listen: 8888
    onConnection: [close]
  client:
    connections: ${connections}
    steps: [{ connect: server }]
`;

describe('parameter references with arithmetic', () => {
  it('divides, multiplies, adds and subtracts by whole numbers', () => {
    const count = (text: string, params: Record<string, string> = {}) =>
      loadScenarioText(doc(text), 'x.yaml', { params }).processes.find((p) => p.client)!.client!.connections;
    expect(count('${total / 40}')).toBe(3);
    expect(count('${total * 2}')).toBe(240);
    expect(count('${total + 1}')).toBe(121);
    expect(count('${ total - 20 }')).toBe(100);
    expect(count('${total / 40}', { total: '1000000' })).toBe(25_000);
  });

  it('a division that leaves a remainder is an error at the reference, naming the values', () => {
    try {
      loadScenarioText(doc('${total / 7}'), 'x.yaml');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ScenarioError);
      const [problem] = (err as ScenarioError).problems;
      expect(problem).toMatchObject({ line: 8, col: 18, path: 'processes.client.connections' });
      expect(problem!.expected).toMatch(/total \(120\) divisible by 7/);
    }
  });

  it('anything else inside ${…} is an error', () => {
    expect(() => loadScenarioText(doc('${total ** 2}'), 'x.yaml')).toThrow(ScenarioError);
  });
});
