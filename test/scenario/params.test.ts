import { describe, expect, test } from 'vitest';
import { loadScenarioText, parseParamAssignments, ScenarioError } from '../../src/scenario/index.js';
import { at, problemOf } from './helpers.js';

const SCENARIO = `params:
  clients: { default: 10, description: client connections, min: 1, max: 1000 }
  linger: 20
processes:
  s: { listen: 80, onConnection: [ close ] }
  c:
    connections: \${clients}
    steps: [ { connect: s }, { sleep: "\${linger}s" }, close ]
`;

describe('--param overrides', () => {
  test('replace defaults and reach every reference', () => {
    const s = loadScenarioText(SCENARIO, 'x.yaml', { params: { clients: '250', linger: '0.5' } });
    expect(s.paramValues).toEqual({ clients: 250, linger: 0.5 });
    expect(s.processes[1]?.client?.connections).toBe(250);
    expect(s.processes[1]?.client?.steps[1]).toEqual({ op: 'sleep', duration: 500_000 });
  });

  test('an unknown name suggests a declared one and points at params', () => {
    const p = problemOf(SCENARIO, { params: { client: '5' } });
    expect(p).toMatchObject({ found: '--param client=5', hint: 'did you mean "clients"?', expected: 'a parameter declared in params (declared: clients, linger)' });
    expect(at(p)).toBe('1:1');
  });

  test('a non-number and a value outside min/max are refused at the declaration', () => {
    expect(problemOf(SCENARIO, { params: { clients: 'many' } })).toMatchObject({ expected: 'a number for parameter clients', line: 2, col: 3 });
    expect(problemOf(SCENARIO, { params: { clients: '0' } })).toMatchObject({ expected: 'clients a value from 1 to 1000', found: '--param clients=0' });
  });

  test('a value that makes the scenario invalid is reported where the reference is', () => {
    const p = problemOf(SCENARIO, { params: { clients: '2.5' } });
    expect(p).toMatchObject({ path: 'processes.c.connections', expected: 'a connection count ≥ 0', found: '2.5' });
    expect(at(p)).toBe('7:18');
  });

  test('an undeclared reference points inside the string at the ${', () => {
    const p = problemOf(SCENARIO.replace('"${linger}s"', '"1s${lingr}"'));
    expect(p).toMatchObject({ path: 'processes.c.steps[1].sleep', found: '${lingr}', hint: 'did you mean "linger"?' });
    expect(at(p)).toBe('8:42');
  });

  test('$${ alone is a literal, and an unclosed ${ is an error with the escape as hint', () => {
    const ok = loadScenarioText('processes:\n  s: { listen: 80, onConnection: [ { write: "$${" }, close ] }\n', 'x.yaml');
    expect(ok.processes[0]?.server?.steps[0]).toEqual({ op: 'write', data: '${' });
    const p = problemOf('processes:\n  s: { listen: 80, onConnection: [ { write: "a ${b" }, close ] }\n');
    expect(p).toMatchObject({ expected: 'a reference ${name} closed by }', hint: 'write $${ for a literal ${' });
    expect(at(p)).toBe('2:48');
  });

  test('a default outside its own min/max is caught', () => {
    expect(problemOf('params: { n: { default: 0, min: 1 } }\nprocesses: {}\n')).toMatchObject({ path: 'params.n.default', expected: 'a value ≥ 1' });
  });

  test('parseParamAssignments splits name=value and rejects malformed arguments', () => {
    expect(parseParamAssignments(['clients=10', 'linger = 2'])).toEqual({ clients: '10', linger: '2' });
    expect(() => parseParamAssignments(['clients'])).toThrow(ScenarioError);
    try {
      parseParamAssignments(['a=1', 'a=2', '9x=1']);
    } catch (err) {
      if (!(err instanceof ScenarioError)) throw err;
      expect(err.problems.map((p) => p.found)).toEqual(['a set twice', '"9x"']);
      expect(err.problems.every((p) => p.file === '--param')).toBe(true);
    }
  });
});
