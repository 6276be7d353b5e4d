/**
 * The teaching page's lessons, run in Node by the same code the page runs: each close style ends
 * where the RFC and Linux say, and each intervention on a segment changes the run as it should.
 */
import { describe, expect, it } from 'vitest';
import type { TcpState } from '../../src/model/states.js';
import type { Trace } from '../../src/sim/trace.js';
import { runLesson, type CloseStyle, type Intervention, type LessonChoices } from '../../web/teach/lesson.js';

function lesson(close: CloseStyle, interventions: [number, Intervention][] = [], profile: LessonChoices['profile'] = 'linux'): ReturnType<typeof runLesson> {
  return runLesson({ profile, close, interventions: new Map(interventions) });
}

/** The states each role went through, in order. */
function paths(trace: Trace): Record<'client' | 'server', TcpState[]> {
  const role = new Map(trace.sockets.map((s) => [s.id, s.role]));
  const out: Record<'client' | 'server', TcpState[]> = { client: [], server: [] };
  for (const e of trace.events) {
    if (e.kind !== 'state') continue;
    const r = role.get(e.socket);
    if (r === 'client' || r === 'server') out[r].push(e.to);
  }
  return out;
}

describe('lessons', () => {
  it('normal close: the client closes first and ends in TIME_WAIT, 60 s under linux, then CLOSED', () => {
    const run = lesson('normal');
    const p = paths(run.trace);
    expect(p.client).toEqual(['SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT', 'CLOSED']);
    expect(p.server).toEqual(['SYN_RECEIVED', 'ESTABLISHED', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED']);
    const tw = run.trace.events.filter((e) => e.kind === 'state' && (e.to === 'TIME_WAIT' || e.from === 'TIME_WAIT')).map((e) => e.at);
    expect((tw[1]! - tw[0]!) / 1e6).toBeGreaterThanOrEqual(60);
    expect((tw[1]! - tw[0]!) / 1e6).toBeLessThan(62.1);
  });

  it('rfc9293: TIME_WAIT lasts 2 MSL, four minutes', () => {
    const run = lesson('normal', [], 'rfc9293');
    const tw = run.trace.events.filter((e) => e.kind === 'state' && (e.to === 'TIME_WAIT' || e.from === 'TIME_WAIT')).map((e) => e.at);
    expect((tw[1]! - tw[0]!) / 1e6).toBe(240);
  });

  it('server forgets close(): CLOSE_WAIT for good, the client\'s FIN_WAIT_2 expires after 60 s', () => {
    const p = paths(lesson('server-forgets-close').trace);
    expect(p.server.at(-1)).toBe('CLOSE_WAIT');
    expect(p.client.slice(-2)).toEqual(['FIN_WAIT_2', 'CLOSED']);
  });

  it('close with unread data: the server sends RST, nobody reaches TIME_WAIT', () => {
    const p = paths(lesson('unread-data').trace);
    expect(p.server.slice(-1)).toEqual(['CLOSED']);
    expect([...p.client, ...p.server]).not.toContain('TIME_WAIT');
  });

  it('simultaneous close: both ends go FIN_WAIT_1, CLOSING, TIME_WAIT', () => {
    const p = paths(lesson('simultaneous').trace);
    for (const side of [p.client, p.server]) expect(side.slice(-4)).toEqual(['FIN_WAIT_1', 'CLOSING', 'TIME_WAIT', 'CLOSED']);
  });

  it('half-close: the server still writes after the client\'s FIN, then closes', () => {
    const p = paths(lesson('half-close').trace);
    expect(p.client.slice(2)).toEqual(['FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT', 'CLOSED']);
    expect(p.server.slice(2)).toEqual(['CLOSE_WAIT', 'LAST_ACK', 'CLOSED']);
  });

  it('dropping the final ACK: the server retransmits its FIN from LAST_ACK and the client, in TIME_WAIT, ACKs it again', () => {
    const normal = lesson('normal');
    const last = normal.sendOrder.length; // the final ACK is the last segment of a normal close
    const run = lesson('normal', [[last, { kind: 'drop' }]]);
    const sends = run.trace.events.filter((e) => e.kind === 'send');
    expect(run.trace.events.filter((e) => e.kind === 'drop')).toHaveLength(1);
    expect(sends.filter((e) => e.kind === 'send' && e.retransmission)).toHaveLength(1);
    expect(paths(run.trace).server.slice(-2)).toEqual(['LAST_ACK', 'CLOSED']);
    expect(run.sendOrder.length).toBe(last + 2);
  });

  it('a duplicated segment arrives twice; a delayed one a second later', () => {
    const dup = lesson('normal', [[1, { kind: 'duplicate' }]]);
    const first = dup.sendOrder[0];
    expect(dup.trace.events.filter((e) => e.kind === 'deliver' && e.segmentId === first)).toHaveLength(2);
    const late = lesson('normal', [[1, { kind: 'delay', by: 1_000_000 }]]);
    const arrived = late.trace.events.find((e) => e.kind === 'deliver' && e.segmentId === late.sendOrder[0]);
    expect(arrived?.at).toBe(1_005_000);
  });

  it('is deterministic: the same choices give the same trace', () => {
    const choices: [number, Intervention][] = [[3, { kind: 'drop' }]];
    expect(JSON.stringify(lesson('simultaneous', choices).trace)).toBe(JSON.stringify(lesson('simultaneous', choices).trace));
  });
});
