/**
 * Golden tests on the engine's own traces: `normal-close` and `simultaneous-close` drawn as RFC
 * tables go through the states of RFC 9293 Figures 12 and 13, and the full tables are kept in
 * test/report/golden/ so any change to the engine's trace or to the layout shows up in review.
 * Refresh them with `TCPSIM_WRITE_GOLDEN=1 npx vitest run test/report/golden.test.ts`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rfcTable } from '../../src/report/rfcTable.js';
import type { TraceEvent } from '../../src/sim/trace.js';
import { engineTrace } from './engineTrace.js';
import { FIGURE_12, FIGURE_13, closeSequences } from './rfcFigures.js';

const WRITE = process.env['TCPSIM_WRITE_GOLDEN'] === '1';

/** Compares `actual` with the committed golden file, or rewrites it when asked to. */
function expectGolden(file: string, actual: string): void {
  const path = `test/report/golden/${file}`;
  if (WRITE) writeFileSync(path, actual);
  const committed = existsSync(path) ? readFileSync(path, 'utf8') : '';
  expect(actual, `${path} is stale: check the diff, then run TCPSIM_WRITE_GOLDEN=1 npx vitest run test/report/golden.test.ts`).toBe(committed);
}

describe('the engine drawn as RFC 9293 tables', () => {
  it.each([
    ['normal-close', FIGURE_12],
    ['simultaneous-close', FIGURE_13],
  ])('%s goes through the states of the RFC figure on each side', (name, figure) => {
    const table = rfcTable(engineTrace(name), 0, { time: true });
    expect(closeSequences(table)).toEqual(closeSequences(figure));
  });

  it('normal-close: Figure 12 column by column', () => {
    expect(closeSequences(rfcTable(engineTrace('normal-close'), 0))).toEqual({
      a: ['ESTABLISHED', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT', 'CLOSED'],
      b: ['ESTABLISHED', 'CLOSE-WAIT', 'LAST-ACK', 'CLOSED'],
    });
  });

  it('simultaneous-close: Figure 13 column by column', () => {
    const closing = ['ESTABLISHED', 'FIN-WAIT-1', 'CLOSING', 'TIME-WAIT', 'CLOSED'];
    expect(closeSequences(rfcTable(engineTrace('simultaneous-close'), 0))).toEqual({ a: closing, b: closing });
  });

  it.each(['normal-close', 'simultaneous-close', 'lost-final-ack', 'close-with-unread-data'])('%s: the full table matches its golden file', (name) => {
    expectGolden(`${name}.rfc.txt`, rfcTable(engineTrace(name), 0, { time: true }));
  });
});

/**
 * What the reporters assume of a trace (src/report/rfcTable.ts, mermaid.ts, pcapng.ts), checked on
 * the engine's: if one of these fails, the tables and captures above are wrong in ways a golden
 * file would only show as a diff.
 */
describe("the engine's traces keep the reporters' assumptions", () => {
  const SCENARIOS = ['normal-close', 'simultaneous-close', 'lost-final-ack', 'close-with-unread-data'];

  it.each(SCENARIOS)('%s: every call of the connection names its socket', (name) => {
    const trace = engineTrace(name);
    const calls = trace.events.filter((e) => e.kind === 'call' && e.call !== 'exit');
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) expect(call).toMatchObject({ socket: expect.any(Number) });
  });

  it.each(SCENARIOS)('%s: a state change caused by a segment comes after that segment is delivered', (name) => {
    const trace = engineTrace(name);
    const delivered = new Set<number>();
    for (const e of trace.events) {
      if (e.kind === 'deliver') delivered.add(e.segmentId);
      if (e.kind === 'state' && e.cause.by === 'segment') expect(delivered.has(e.cause.segmentId), JSON.stringify(e)).toBe(true);
    }
  });

  it.each(SCENARIOS)('%s: a state change caused by a timer comes right after that timer, same socket, same time', (name) => {
    const events = engineTrace(name).events;
    events.forEach((e, i) => {
      if (e.kind !== 'state' || e.cause.by !== 'timer') return;
      const before: TraceEvent | undefined = events[i - 1];
      expect(before).toMatchObject({ kind: 'timer', socket: e.socket, at: e.at, timer: e.cause.timer });
    });
  });

  it.each(SCENARIOS)('%s: every segment sent is delivered or dropped, after it is sent', (name) => {
    const events = engineTrace(name).events;
    const sent = new Map<number, number>();
    const fate = new Set<number>();
    for (const e of events) {
      if (e.kind === 'send') sent.set(e.segmentId, e.at);
      if (e.kind === 'deliver' || e.kind === 'drop') {
        expect(sent.get(e.segmentId), `segment ${e.segmentId} ends before it is sent`).toBeLessThanOrEqual(e.at);
        fate.add(e.segmentId);
      }
    }
    expect([...sent.keys()].filter((id) => !fate.has(id))).toEqual([]);
  });

  it('close-with-unread-data: the read that fails with ECONNRESET is in the connection\'s trace', () => {
    const trace = engineTrace('close-with-unread-data');
    const client = trace.sockets.find((s) => s.role === 'client');
    expect(trace.events).toContainEqual(expect.objectContaining({ kind: 'call', socket: client?.id, call: 'read', result: 'ECONNRESET' }));
  });
});
