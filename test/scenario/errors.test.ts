import { describe, expect, test } from 'vitest';
import { formatScenarioError, loadScenarioFile, loadScenarioText, ScenarioError } from '../../src/scenario/index.js';
import { at, problemOf, problemsOf } from './helpers.js';

const server = (onConnection: string): string => `processes:
  server:
    listen: 8888
    onConnection:
${onConnection}
`;

describe('a wrong value deep in a step', () => {
  test('is reported at that node with the expected forms and a did-you-mean', () => {
    const p = problemOf(server('      - read: line\n      - write: "x"\n      - read: lines'));
    expect(p).toMatchObject({
      file: 'x.yaml',
      path: 'processes.server.onConnection[2].read',
      expected: 'line, eof, a byte count, { bytes: N } or { upTo: N }',
      found: '"lines"',
      hint: 'did you mean "line"?',
    });
    expect(at(p)).toBe('7:15');
  });

  test('formats like a compiler diagnostic, with the source line and a caret', () => {
    try {
      loadScenarioText(server('      - read: line\n      - write: "x"\n      - read: lines'), 'scenarios/x.yaml');
      expect.fail('loaded');
    } catch (err) {
      if (!(err instanceof ScenarioError)) throw err;
      expect(formatScenarioError(err, { color: false })).toBe(
        [
          'scenarios/x.yaml:7:15: processes.server.onConnection[2].read: expected line, eof, a byte count, { bytes: N } or { upTo: N }, found "lines"',
          '  7 |       - read: lines',
          '    |               ^',
          '  did you mean "line"?',
        ].join('\n'),
      );
      expect(err.message).toBe(formatScenarioError(err, { color: false }));
      expect(formatScenarioError(err, { color: true })).toContain('\u001b[31;1m^\u001b[0m');
    }
  });

  test('a field inside a step object points at that field', () => {
    const p = problemOf(server('      - read: { bytes: many }'));
    expect(p).toMatchObject({ path: 'processes.server.onConnection[0].read.bytes', expected: 'a byte count ≥ 1', found: '"many"' });
    expect(at(p)).toBe('5:24');
  });

  test('a misspelt step keyword suggests the step', () => {
    const p = problemOf(server('      - reed: line'));
    expect(p).toMatchObject({ path: 'processes.server.onConnection[0].reed', found: 'unknown key "reed"', hint: 'did you mean "read"?' });
    expect(at(p)).toBe('5:9');
  });

  test('a misspelt bare step suggests the keyword', () => {
    const p = problemOf(server('      - clsoe'));
    expect(p.hint).toBe('did you mean "close"?');
    expect(p.expected).toMatch(/^a step: /);
    expect(at(p)).toBe('5:9');
  });

  test('two keys in one step, or a colon after a bare step, get a hint', () => {
    expect(problemOf(server('      - { read: line, write: x }')).hint).toBe('a step is a map with one key; write each as its own "- " item');
    expect(problemOf(server('      - close:')).hint).toBe('write "- close" without the colon');
  });

  test('a duration without a unit suggests units', () => {
    const p = problemOf(server('      - sleep: 20'));
    expect(p).toMatchObject({ path: 'processes.server.onConnection[0].sleep', found: '20', hint: 'did you mean "20s" or "20ms"?' });
    expect(at(p)).toBe('5:16');
  });

  test('a spelt-out unit is corrected', () => {
    expect(problemOf(server('      - sleep: 20 seconds')).hint).toBe('did you mean "20s"?');
  });
});

describe('unknown fields', () => {
  test('every object is strict, and the error lists the known keys and the closest one', () => {
    const p = problemOf('processes:\n  server:\n    listen: { port: 8888, backlog: 5, prot: 1 }\n    onConnection: [ close ]\n');
    expect(p).toMatchObject({
      path: 'processes.server.listen.prot',
      expected: 'one of port, address, backlog, workers, onAcceptError, acceptRetry',
      found: 'unknown key "prot"',
      hint: 'did you mean "port"?',
    });
    expect(at(p)).toBe('3:39');
  });

  test('a top-level typo is caught too', () => {
    const [missing, unknown] = problemsOf('proceses: {}\n');
    expect(missing).toMatchObject({ path: 'processes', found: 'nothing (it is missing)' });
    expect(unknown).toMatchObject({ path: 'proceses', hint: 'did you mean "processes"?' });
    expect(unknown?.expected).toContain('one of $schema, name, description, seed, profile, params');
    expect(unknown === undefined ? '' : at(unknown)).toBe('1:1');
  });

  test('netstat and ss state spellings point to the canonical name', () => {
    const problems = problemsOf(`processes: {}
expect:
  - states: { FIN_WAIT2: 0, ESTAB: 1, SYN_RECV: 0, close-wait: 3 }
`);
    expect(problems.map((p) => [at(p), p.hint])).toEqual([
      ['3:15', 'did you mean "FIN_WAIT_2"?'],
      ['3:29', 'did you mean "ESTABLISHED"?'],
      ['3:39', 'did you mean "SYN_RECEIVED"?'],
      ['3:52', 'did you mean "CLOSE_WAIT"?'],
    ]);
  });

  test('a misspelt errno is suggested', () => {
    const p = problemOf('processes: {}\nexpect: [ { errors: { EMFIL: 1 } } ]\n');
    expect(p).toMatchObject({ path: 'expect[0].errors.EMFIL', hint: 'did you mean "EMFILE"?' });
  });
});

describe('YAML syntax errors', () => {
  test('point at the offending line with a caret', () => {
    const p = problemOf('name: x\ndescription: "unterminated\n');
    expect(p.expected).toBe('valid YAML');
    expect(p.found).toMatch(/closing "quote/);
    expect(at(p)).toBe('2:27');
  });

  test('a key written twice is reported at the second one', () => {
    const p = problemOf('name: a\nname: b\n');
    expect(p).toMatchObject({ found: 'a key written twice in one map' });
    expect(at(p)).toBe('2:1');
  });

  test('an unquoted ${param} inside flow braces gets a quoting hint', () => {
    const problems = problemsOf('params: { n: 1 }\nprocesses:\n  c: { connections: ${n}, steps: [ { connect: "1.2.3.4:5" } ] }\n');
    expect(problems[0]?.hint).toBe('inside { … } or [ … ], put parameter references in quotes: "${name}"');
  });

  test('an empty document and a non-map document are explained', () => {
    expect(problemOf('').found).toBe('an empty document');
    expect(problemOf('- a\n- b\n').found).toBe('a list');
  });

  test('aliases to undefined anchors and self-referencing aliases are problems, not crashes', () => {
    expect(problemsOf('name: *nope\nprocesses: {}\n')[0]?.found).toBe('*nope');
    expect(problemsOf('name: &x [ *x ]\nprocesses: {}\n')[0]?.found).toBe('*x inside &x');
  });
});

describe('cross references', () => {
  test('connect must name a process that listens', () => {
    const p = problemOf(`processes:
  server: { listen: 8888, onConnection: [ close ] }
  client:
    steps:
      - connect: servr
`);
    expect(p).toMatchObject({ path: 'processes.client.steps[0].connect', expected: 'a process that listens (server) or "address:port"', found: '"servr"', hint: 'did you mean "server"?' });
    expect(at(p)).toBe('5:18');
  });

  test('connecting to a client is rejected with the reason', () => {
    const p = problemOf(`processes:
  a: { steps: [ { connect: b } ] }
  b: { steps: [ { connect: "127.0.0.1:1" } ] }
`);
    expect(p.found).toBe('"b", which does not listen');
  });

  test('hosts, expectation processes and fds keys must exist', () => {
    const problems = problemsOf(`hosts: [ { name: web, address: 127.0.0.1 } ]
processes:
  server: { host: wbe, listen: 8888, onConnection: [ close ] }
expect:
  - { process: srever, fds: { sever: 1 } }
`);
    expect(problems.map((p) => [p.path, at(p), p.hint])).toEqual([
      ['processes.server.host', '3:19', 'did you mean "web"?'],
      ['expect[0].process', '5:16', 'did you mean "server"?'],
      ['expect[0].fds.sever', '5:31', 'did you mean "server"?'],
    ]);
  });

  test('a process is a server or a client, not both, and a client starts with connect', () => {
    expect(problemOf('processes:\n  p: { listen: 1, onConnection: [ close ], steps: [ close ] }\n').found).toBe('both in process p');
    expect(problemOf('processes:\n  p: { listen: 1 }\n').found).toBe('listen without onConnection');
    const p = problemOf('processes:\n  p: { steps: [ close ] }\n');
    expect(p).toMatchObject({ path: 'processes.p.steps[0]', found: 'close before connect' });
  });

  test('two servers on one port and duplicate host names are rejected', () => {
    const problems = problemsOf(`hosts: [ { name: h, address: 127.0.0.1 }, { name: h, address: 127.0.0.2 } ]
processes:
  a: { listen: 80, onConnection: [ close ] }
  b: { listen: 80, onConnection: [ close ] }
`);
    expect(problems.map((p) => p.path)).toEqual(['hosts[1].name', 'processes.b.listen']);
  });

  test('an expectation time must be a sample time within the run', () => {
    const p = problemOf('processes: {}\nsample: { every: 5s, until: 1m }\nexpect: [ { at: 7s, states: { CLOSED: 0 } } ]\n'.replace('processes: {}', 'processes:\n  s: { listen: 1, onConnection: [ close ] }'));
    expect(p).toMatchObject({ path: 'expect[0].at', hint: 'did you mean 5s or 10s?' });
  });
});

describe('many problems', () => {
  test('are all reported, in document order', () => {
    const problems = problemsOf(`seed: -1
network: { latency: fast, loss: 2 }
processes:
  s: { nofile: many, listen: 70000, onConnection: [ close ] }
`);
    expect(problems.map((p) => p.path)).toEqual(['seed', 'network.latency', 'network.loss', 'processes.s.nofile', 'processes.s.listen']);
  });

  test('are capped, and the cap says how many were left out', () => {
    const keys = Array.from({ length: 80 }, (_, i) => `junk${i}: 1`).join('\n');
    try {
      loadScenarioText(`${keys}\nprocesses: {}\n`, 'x.yaml');
      expect.fail('loaded');
    } catch (err) {
      if (!(err instanceof ScenarioError)) throw err;
      expect(err.problems).toHaveLength(50);
      expect(err.omitted).toBe(30);
      expect(err.message).toContain('… and 30 more (80 problems; the first 50 are shown)');
    }
  });
});

describe('files', () => {
  test('a missing file is a ScenarioError naming it', () => {
    expect(() => loadScenarioFile('test/scenario/fixtures/nope.yaml')).toThrow(ScenarioError);
    try {
      loadScenarioFile('test/scenario/fixtures/nope.yaml');
    } catch (err) {
      expect(err instanceof ScenarioError ? err.problems[0]?.found : '').toBe('no such file');
    }
  });
});
