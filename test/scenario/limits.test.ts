import { describe, expect, test } from 'vitest';
import { LARGE_LIMITS, loadScenarioText } from '../../src/scenario/index.js';
import { at, problemOf, problemsOf } from './helpers.js';

const client = (extra: string, connections = 1): string => `processes:
  s: { listen: 80, onConnection: [ close ] }
  c:
    connections: ${connections}
    steps: [ { connect: s }, close ]
${extra}`;

describe('guard rails', () => {
  test('more than 2,000,000 connections names the limit and the option that raises it', () => {
    const p = problemOf(client('', 3_000_000));
    expect(p).toMatchObject({
      path: 'processes.c.connections',
      expected: 'at most 2,000,000 client connections in total (limit maxConnections)',
      found: '3,000,000',
      hint: 'raise it with the load option limits: { maxConnections: 3000000 }',
    });
    expect(at(p)).toBe('4:18');
    expect(loadScenarioText(client('', 3_000_000), 'x.yaml', { limits: { maxConnections: 3_000_000 } }).processes[1]?.client?.connections).toBe(3_000_000);
  });

  test('a run longer than 7 days is refused', () => {
    const p = problemOf(client('sample: { every: 1m, until: 8d }\n'));
    expect(p).toMatchObject({ path: 'sample.until', expected: 'at most 7d (limit maxRunTime)', found: '8d' });
    expect(loadScenarioText(client('sample: { every: 1m, until: 8d }\n'), 'x.yaml', { limits: LARGE_LIMITS }).sample.until).toBe(8 * 86_400_000_000);
  });

  test('sampling faster than 1ms, or more than 100,000 samples, is refused', () => {
    expect(problemOf(client('sample: { every: 500us, until: 1s }\n')).expected).toBe('at least 1ms (limit minSampleEvery)');
    const p = problemOf(client('sample: { every: 1ms, until: 1h }\n'));
    expect(p.expected).toBe('at most 100,000 samples (limit maxSamples)');
    expect(p.found).toBe('3,600,001 (every 1ms until 1h)');
  });

  test('zero-duration loops are refused outright: sample.every 0 and acceptRetry 0', () => {
    expect(problemOf(client('sample: { every: 0 }\n')).found).toBe('0');
    const p = problemOf('processes:\n  s: { listen: { port: 80, acceptRetry: 0 }, onConnection: [ close ] }\n');
    expect(p).toMatchObject({ path: 'processes.s.listen.acceptRetry', hint: 'retrying accept() after 0 would loop forever at one instant' });
  });

  test('nofile above 1,048,576 is refused', () => {
    const p = problemOf('processes:\n  s: { nofile: 2000000, listen: 80, onConnection: [ close ] }\n');
    expect(p).toMatchObject({ path: 'processes.s.nofile', expected: 'at most 1,048,576 (limit maxNofile)' });
  });

  test('an oversized file and alias bombs are stopped before they cost anything', () => {
    expect(problemOf('name: x\n', { limits: { maxSourceBytes: 4 } }).expected).toContain('limit maxSourceBytes');
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) bomb.push(`${'abcdefghij'[i]}: &${'abcdefghij'[i]} [${Array(10).fill(`*${'abcdefghij'[i - 1]}`).join(', ')}]`);
    const problems = problemsOf(`${bomb.join('\n')}\nprocesses: {}\n`);
    expect(problems[0]?.expected).toBe('at most 200,000 YAML nodes (limit maxNodes)');
  });
});
