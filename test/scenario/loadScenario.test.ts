import { describe, expect, test } from 'vitest';
import { loadScenarioFile, loadScenarioText } from '../../src/scenario/index.js';
import { MINIMAL } from './helpers.js';

const FIXTURE = 'test/scenario/fixtures/java-forgot-close.yaml';

describe('loading a valid scenario', () => {
  test('the article scenario resolves to the Scenario contract', () => {
    const s = loadScenarioFile(FIXTURE);
    expect(s.name).toBe('article-java-forgot-close');
    expect(s.file).toBe(FIXTURE);
    expect(s.paramValues).toEqual({ clients: 1000, nofile: 1024, linger: 20 });
    expect(s.params[2]).toEqual({ name: 'linger', default: 20, description: '' });
    expect(s.sample).toEqual({ every: 5_000_000, until: 35 * 60_000_000 });
    const [server, client] = s.processes;
    expect(server).toEqual({
      name: 'server',
      host: 'localhost',
      nofile: 1024,
      baselineFds: 40,
      acceptPolicy: 'posix',
      runtime: null,
      keepalive: null,
      closeOnEof: false,
      closeWhenDone: false,
      acceptCost: 0,
      firstWriteFds: 0,
      server: {
        port: 8888,
        address: null,
        backlog: 50,
        workers: null,
        onAcceptError: { kind: 'retry', after: 1_000_000 },
        steps: [
          { op: 'read', amount: { kind: 'line' } },
          { op: 'write', data: 'HTTP/1.0 200 OK\n' },
          { op: 'read', amount: { kind: 'eof' } },
        ],
      },
    });
    expect(client?.client?.connections).toBe(1000);
    expect(client?.client?.ramp).toBe(10_000_000);
    expect(client?.client?.steps[3]).toEqual({ op: 'sleep', duration: 20_000_000 });
    expect(client?.client?.steps[0]).toEqual({ op: 'connect', to: { process: 'server' } });
  });

  test('expectations carry their bounds and the file:line:col of their list item', () => {
    const s = loadScenarioFile(FIXTURE);
    expect(s.expectations[0]).toEqual({
      at: 'end',
      process: 'server',
      states: { CLOSE_WAIT: { min: 900 }, FIN_WAIT_2: { exact: 0 } },
      errors: { EMFILE: { min: 1 } },
      note: 'the server holds every CLOSE_WAIT socket until it hits its fd limit',
      source: `${FIXTURE}:33:5`,
    });
    expect(s.expectations[1]).toEqual({ at: 'peak', fds: { server: { exact: 1024 } }, source: `${FIXTURE}:38:5` });
  });

  test('a minimal scenario gets every documented default', () => {
    const s = loadScenarioText(MINIMAL, 'scenarios/minimal.yaml');
    expect(s.name).toBe('minimal');
    expect(s.description).toBe('');
    expect(s.seed).toBe(1);
    expect(s.profile).toBe('linux');
    expect(s.profileOverrides).toEqual({});
    expect(s.network).toEqual({ latency: 50, jitter: 0, loss: 0, duplicate: 0, reorder: 0 });
    expect(s.hosts).toEqual([{ name: 'localhost', address: '127.0.0.1' }]);
    expect(s.sample).toEqual({ every: 5_000_000, until: 300_000_000 });
    expect(s.processes[0]).toMatchObject({ host: 'localhost', nofile: 1024, baselineFds: 3, acceptPolicy: 'posix' });
    expect(s.processes[0]).toMatchObject({ runtime: null, keepalive: null, closeOnEof: false, closeWhenDone: false, acceptCost: 0 });
    expect(s.processes[0]?.server).toMatchObject({ port: 8888, address: null, backlog: 128, workers: null, onAcceptError: { kind: 'retry', after: 1_000_000 } });
    expect(s.processes[1]?.client).toMatchObject({ connections: 1, start: 0, ramp: 0 });
    expect(s.expectations).toEqual([]);
    expect(s.faults).toEqual([]);
    expect(s.sysctls).toEqual({});
  });

  test('JSON is accepted too', () => {
    const json = JSON.stringify({
      $schema: './schema.json',
      processes: {
        server: { listen: { port: 80, workers: 4, acceptRetry: 'never' }, onConnection: ['close'] },
        client: { connections: 3, steps: [{ connect: '127.0.0.1:80' }, { write: { bytes: 100 } }, { read: 10 }, 'abort'] },
      },
    });
    const s = loadScenarioText(json, 'x.json');
    expect(s.processes[0]?.server).toMatchObject({ workers: 4, onAcceptError: { kind: 'stop' } });
    const steps = s.processes[1]?.client?.steps ?? [];
    expect(steps[0]).toEqual({ op: 'connect', to: { address: '127.0.0.1', port: 80 } });
    const write = steps[1];
    expect(write?.op === 'write' ? write.data.length : -1).toBe(100);
    expect(write?.op === 'write' ? write.data.includes('\n') : true).toBe(false);
    expect(steps[2]).toEqual({ op: 'read', amount: { kind: 'bytes', count: 10 } });
    expect(steps[3]).toEqual({ op: 'abort' });
  });

  test('profile overrides, network, hosts, faults and sysctls resolve to microseconds and probabilities', () => {
    const s = loadScenarioText(
      `profile: { name: rfc9293, timeWait: 2m, finTimeout: never, synRetries: 2, rto: 200ms, rtoMax: 2m, rstOnUnreadClose: false }
network: { latency: 1ms, jitter: 100us, loss: 5%, duplicate: 0.01 }
hosts:
  - { name: a, address: 10.0.0.1 }
  - { name: b, address: 10.0.0.2 }
processes:
  server: { host: b, listen: 8888, onConnection: [ { read: line }, shutdown, { read: eof }, close ] }
  client: { host: a, connections: 10, start: 1s, ramp: 1m30s, steps: [ { connect: server }, { sleep: 1.5ms }, exit ] }
sample: { every: 1s, until: 10m }
sysctls: { net.ipv4.tcp_syn_retries: 2 }
faults:
  - { match: fin, port: 8888, until: 3s }
  - { match: any, from: 1m, drop: 10% }
expect:
  - { at: 30s, states: { TIME_WAIT: { max: 10 } } }
`,
      'x.yaml',
    );
    expect(s.profile).toBe('rfc9293');
    expect(s.profileOverrides).toEqual({ timeWait: 120_000_000, finTimeout: null, synRetries: 2, rto: 200_000, rtoMax: 120_000_000, rstOnUnreadClose: false });
    expect(s.network).toEqual({ latency: 1000, jitter: 100, loss: 0.05, duplicate: 0.01, reorder: 0 });
    expect(s.processes.map((p) => p.host)).toEqual(['b', 'a']);
    expect(s.processes[1]?.client).toMatchObject({ start: 1_000_000, ramp: 90_000_000 });
    expect(s.processes[1]?.client?.steps[1]).toEqual({ op: 'sleep', duration: 1500 });
    expect(s.sysctls).toEqual({ 'net.ipv4.tcp_syn_retries': 2 });
    expect(s.faults).toEqual([
      { match: 'fin', port: 8888, from: 0, until: 3_000_000, drop: 1 },
      { match: 'any', from: 60_000_000, until: 600_000_000, drop: 0.1 },
    ]);
    expect(s.expectations[0]).toMatchObject({ at: 30_000_000, states: { TIME_WAIT: { max: 10 } } });
  });

  test('${name} works in numbers and inside durations, and $${ is a literal ${', () => {
    const s = loadScenarioText(
      `params: { n: 7, wait: { default: 3, description: seconds to wait } }
processes:
  server: { listen: 8888, onConnection: [ { write: "cost: $\${n}" }, close ] }
  client: { connections: "\${n}", steps: [ { connect: server }, { sleep: "\${wait}s" }, close ] }
`,
      'x.yaml',
      { params: { wait: '1.5' } },
    );
    expect(s.paramValues).toEqual({ n: 7, wait: 1.5 });
    expect(s.processes[1]?.client?.connections).toBe(7);
    expect(s.processes[1]?.client?.steps[1]).toEqual({ op: 'sleep', duration: 1_500_000 });
    expect(s.processes[0]?.server?.steps[0]).toEqual({ op: 'write', data: 'cost: ${n}' });
  });
});
