import { describe, expect, test } from 'vitest';
import { loadScenarioText } from '../../src/scenario/index.js';
import { RUNTIMES, RUNTIME_NAMES } from '../../src/scenario/runtimes.js';
import { problemOf } from './helpers.js';

const SECOND = 1_000_000;

const serverIn = (fields: string): string => `processes:
  server: { ${fields}, onConnection: [ { read: eof } ] }
`;

describe('runtime: a process names its language and gets its defaults', () => {
  test('java: backlog 50, 4 fds, a posix accept loop that ends on the first error, no keepalive', () => {
    const [p] = loadScenarioText(serverIn('runtime: java, listen: 8888'), 'x.yaml').processes;
    expect(p).toMatchObject({ runtime: 'java', baselineFds: 4, acceptPolicy: 'posix', keepalive: null, closeOnEof: false, closeWhenDone: false });
    expect(p?.server).toMatchObject({ backlog: 50, onAcceptError: { kind: 'stop' } });
  });

  test('go: keepalive 15 s / 15 s with the sysctl probe count, the backlog left to somaxconn, exit on an accept error', () => {
    const [p] = loadScenarioText(serverIn('runtime: go, listen: 65535'), 'x.yaml').processes;
    expect(p).toMatchObject({ runtime: 'go', baselineFds: 6, keepalive: { idle: 15 * SECOND, interval: 15 * SECOND, probes: null } });
    expect(p?.server).toMatchObject({ backlog: 65_535, onAcceptError: { kind: 'exit' } });
  });

  test('node closes on EOF unless allowHalfOpen; python closes what the handler drops', () => {
    const [node] = loadScenarioText(serverIn('runtime: node, listen: 80'), 'x.yaml').processes;
    expect(node).toMatchObject({ acceptPolicy: 'libuv', closeOnEof: true, baselineFds: 19 });
    const [halfOpen] = loadScenarioText(serverIn('runtime: node, allowHalfOpen: true, listen: 80'), 'x.yaml').processes;
    expect(halfOpen?.closeOnEof).toBe(false);
    const [python] = loadScenarioText(serverIn('runtime: python, listen: 80'), 'x.yaml').processes;
    expect(python).toMatchObject({ closeWhenDone: true, server: { backlog: 128, onAcceptError: { kind: 'exit' } } });
  });

  test('what the process says wins over its runtime', () => {
    const [p] = loadScenarioText(
      serverIn('runtime: go, baselineFds: 9, keepalive: off, listen: { port: 80, backlog: 7, onAcceptError: retry, acceptRetry: 5ms }'),
      'x.yaml',
    ).processes;
    expect(p).toMatchObject({ baselineFds: 9, keepalive: null, server: { backlog: 7, onAcceptError: { kind: 'retry', after: 5000 } } });
  });

  test('every runtime names its sources and a posix or libuv policy', () => {
    for (const name of RUNTIME_NAMES) {
      expect(RUNTIMES[name].sources.length).toBeGreaterThan(10);
      expect(['posix', 'libuv']).toContain(RUNTIMES[name].acceptPolicy);
    }
  });
});

describe('keepalive, onAcceptError, listen address and read upTo', () => {
  test('keepalive: on takes the sysctls; a map sets TCP_KEEPIDLE, TCP_KEEPINTVL and TCP_KEEPCNT', () => {
    const [on] = loadScenarioText(serverIn('keepalive: on, listen: 80'), 'x.yaml').processes;
    expect(on?.keepalive).toEqual({ idle: null, interval: null, probes: null });
    const [set] = loadScenarioText(serverIn('keepalive: { idle: 10s, probes: 3 }, listen: 80'), 'x.yaml').processes;
    expect(set?.keepalive).toEqual({ idle: 10 * SECOND, interval: null, probes: 3 });
    expect(problemOf(serverIn('keepalive: { idle: 0 }, listen: 80'))).toMatchObject({ path: 'processes.server.keepalive.idle', expected: 'an idle time longer than 0' });
  });

  test('acceptRetry: never still means stop; acceptRetry with stop or exit is refused at its key', () => {
    const [never] = loadScenarioText(serverIn('listen: { port: 80, acceptRetry: never }'), 'x.yaml').processes;
    expect(never?.server?.onAcceptError).toEqual({ kind: 'stop' });
    const [exit] = loadScenarioText(serverIn('listen: { port: 80, onAcceptError: exit }'), 'x.yaml').processes;
    expect(exit?.server?.onAcceptError).toEqual({ kind: 'exit' });
    expect(problemOf(serverIn('listen: { port: 80, onAcceptError: stop, acceptRetry: 2s }'))).toMatchObject({
      path: 'processes.server.listen.acceptRetry',
      expected: 'acceptRetry only with onAcceptError: retry',
    });
  });

  test('a server binds its host address or 0.0.0.0, nothing else', () => {
    const [all] = loadScenarioText(serverIn('listen: { port: 8888, address: 0.0.0.0 }'), 'x.yaml').processes;
    expect(all?.server?.address).toBe('0.0.0.0');
    expect(problemOf(serverIn('listen: { port: 8888, address: 10.1.2.3 }'))).toMatchObject({
      path: 'processes.server.listen.address',
      expected: "0.0.0.0 or the host's address (127.0.0.1)",
      found: '10.1.2.3',
    });
  });

  test('read: { upTo: 1024 } is one read(2) into a 1024-byte buffer', () => {
    const [p] = loadScenarioText('processes:\n  server: { listen: 80, onConnection: [ { read: { upTo: 1024 } } ] }\n', 'x.yaml').processes;
    expect(p?.server?.steps[0]).toEqual({ op: 'read', amount: { kind: 'upTo', count: 1024 } });
  });
});
