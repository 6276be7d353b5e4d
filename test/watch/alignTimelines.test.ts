/**
 * Lining a recording up with the model: the offset is found, a count agrees within the window and
 * the tolerance and not beyond, samples outside the model's run are not compared, and the
 * recording files are read in the three shapes tcpsim writes.
 */
import { describe, expect, it } from 'vitest';
import { alignTimelines, compareAt } from '../../src/watch/alignTimelines.js';
import { parseRecordedTimeline, RecordingError } from '../../src/watch/recordedTimeline.js';
import type { StateCounts } from '../../src/watch/watchSample.js';

/** The model every 10 ms for 2 s: LISTEN from 0, CLOSE_WAIT 3 from 0.5 s, FIN_WAIT_2 3 from 0.5 s to 1.5 s. */
const MODEL = {
  stepMs: 10,
  counts: Array.from({ length: 201 }, (_, i): StateCounts => {
    const t = i * 10;
    return { LISTEN: 1, ...(t >= 500 ? { CLOSE_WAIT: 3 } : {}), ...(t >= 500 && t < 1500 ? { FIN_WAIT_2: 3 } : {}) };
  }),
};

/** What a watch started `lead` ms before the model's t = 0 would record every 100 ms. */
function recording(lead: number, change: (t: number, counts: StateCounts) => StateCounts = (_, c) => c): { t: number; states: StateCounts }[] {
  return Array.from({ length: 25 }, (_, i) => {
    const t = i * 100 + 7;
    const u = t - lead;
    const index = Math.round(u / 10);
    return { t, states: change(u, u < 0 ? {} : (MODEL.counts[Math.min(index, 200)] ?? {})) };
  });
}

const OPTIONS = { windowMs: 100, tolerance: { sockets: 0 } };

describe('aligning a recording with the model', () => {
  it('finds where the model’s t = 0 falls on the recording and agrees everywhere', () => {
    const a = alignTimelines(recording(430), MODEL, OPTIONS);
    expect(Math.abs(a.offsetMs - 430)).toBeLessThanOrEqual(100);
    expect(a.fitted).toBe(true);
    expect(a.agreed).toBe(a.compared);
    expect(a.compared).toBeGreaterThanOrEqual(18);
    expect(a.samples.filter((s) => !s.compared).every((s) => s.u < 0 || s.u > 2000)).toBe(true);
  });

  it('a recording that never shows the FIN_WAIT_2 (a server that closed) does not agree anywhere', () => {
    const a = alignTimelines(recording(430, (_, c) => ({ LISTEN: c.LISTEN ?? 0 })), MODEL, OPTIONS);
    expect(a.agreed).toBeLessThan(a.compared);
  });

  it('a given offset is used as given', () => {
    const a = alignTimelines(recording(430), MODEL, { ...OPTIONS, offsetMs: 1000 });
    expect(a.fitted).toBe(false);
    expect(a.offsetMs).toBe(1000);
    expect(a.agreed).toBeLessThan(a.compared);
  });

  it('a count off by one: a disagreement, unless the tolerance allows it', () => {
    const off = recording(0, (u, c) => (u >= 700 && u <= 900 ? { ...c, CLOSE_WAIT: 4 } : c));
    const strict = compareAt(off, MODEL, 0, OPTIONS);
    expect(strict.agreed).toBe(strict.compared - 2);
    const bad = strict.samples.find((s) => !s.ok);
    expect(bad?.states.find((v) => !v.ok)).toMatchObject({ state: 'CLOSE_WAIT', observed: 4, min: 3, max: 3 });
    expect(compareAt(off, MODEL, 0, { ...OPTIONS, tolerance: { sockets: 1 } }).agreed).toBe(strict.compared);
    expect(compareAt(off, MODEL, 0, { ...OPTIONS, tolerance: { percent: 34 } }).agreed).toBe(strict.compared);
  });

  it('a recorded change up to the window away from the model’s still agrees; further, not', () => {
    const late = (by: number) => recording(0, (u) => MODEL.counts[Math.max(0, Math.round((u - by) / 10))] ?? {});
    expect(compareAt(late(80), MODEL, 0, OPTIONS).agreed).toBe(compareAt(late(80), MODEL, 0, OPTIONS).compared);
    const tooLate = compareAt(late(250), MODEL, 0, OPTIONS);
    expect(tooLate.agreed).toBeLessThan(tooLate.compared);
  });
});

describe('recordings', () => {
  const sample = { t: 250, states: { LISTEN: 1, CLOSE_WAIT: 2 }, fds: { 'node[1]': 22 }, closedFds: {}, byProcess: { 'node[1]': { LISTEN: 1, CLOSE_WAIT: 2 } }, peers: { FIN_WAIT_2: 2 } };

  it('tcpsim watch --record: samples with the watched processes’ own sockets', () => {
    const timeline = parseRecordedTimeline(JSON.stringify({ tcpsim: 'watch', samples: [sample] }), 'rec.json');
    expect(timeline.source).toBe('watch --record');
    expect(timeline.samples[0]).toEqual({ t: 250, states: { LISTEN: 1, CLOSE_WAIT: 2 }, own: { LISTEN: 1, CLOSE_WAIT: 2 } });
  });

  it('tcpsim watch --json: the sample lines, not the summary', () => {
    const text = [JSON.stringify({ kind: 'sample', ...sample }), JSON.stringify({ kind: 'summary', leak: true }), ''].join('\n');
    expect(parseRecordedTimeline(text, 'watch.ndjson').samples).toHaveLength(1);
  });

  it('tcpsim run --json: every socket, no own ones', () => {
    const run = { scenario: 'x', samples: [{ t: 0, states: { LISTEN: 1 }, fds: { server: 4 }, closedFds: {} }] };
    expect(parseRecordedTimeline(JSON.stringify(run), 'run.json')).toEqual({ source: 'run --json', samples: [{ t: 0, states: { LISTEN: 1 }, own: undefined }] });
  });

  it('anything else, in words', () => {
    expect(() => parseRecordedTimeline('{"a":1}', 'x.json')).toThrow(RecordingError);
    expect(() => parseRecordedTimeline('{"samples":[{"t":0,"states":{"CLOSED_WAIT":1}}]}', 'x.json')).toThrow(/"CLOSED_WAIT" is not a TCP state/);
    expect(() => parseRecordedTimeline('{"samples":[{"t":5,"states":{}},{"t":1,"states":{}}]}', 'x.json')).toThrow(/goes back in time/);
    expect(() => parseRecordedTimeline('not json\n', 'x.txt')).toThrow(/x.txt:1: not JSON/);
    expect(() => parseRecordedTimeline('{"samples":[]}', 'x.json')).toThrow(/no samples/);
  });
});
