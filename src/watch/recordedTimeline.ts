/**
 * The recorded side of `tcpsim compare`: a timeline of socket counts read from a file written by
 * `tcpsim watch --record`, printed by `tcpsim watch --json` (newline-delimited), or printed by
 * `tcpsim run --json`. Each sample needs `t` (ms) and `states`; a watch's samples also say which
 * sockets were the watched processes' own (`byProcess`), for comparing one scenario process.
 */
import { isTcpState } from '../model/states.js';
import type { StateCounts } from './watchSample.js';

/** One recorded sample. */
export interface RecordedSample {
  readonly t: number;
  /** Every socket counted: the watched processes' and their local peers'. */
  readonly states: StateCounts;
  /** The watched processes' own sockets (summed over them); undefined when the file does not say. */
  readonly own: StateCounts | undefined;
}

/** A recorded timeline and where it came from. */
export interface RecordedTimeline {
  readonly source: 'watch --record' | 'watch --json' | 'run --json';
  readonly samples: readonly RecordedSample[];
}

/** A file that is not a timeline: the message says what was expected. */
export class RecordingError extends Error {
  override readonly name = 'RecordingError';
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function counts(value: unknown, where: string): StateCounts {
  if (!isMap(value)) throw new RecordingError(`${where}: expected a map of TCP states to counts`);
  const out: StateCounts = {};
  for (const [state, n] of Object.entries(value)) {
    if (!isTcpState(state)) throw new RecordingError(`${where}: "${state}" is not a TCP state (LISTEN, ESTABLISHED, CLOSE_WAIT, …)`);
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new RecordingError(`${where}.${state}: expected a count, found ${JSON.stringify(n)}`);
    if (state !== 'CLOSED' && n > 0) out[state] = n;
  }
  return out;
}

function sample(value: unknown, where: string): RecordedSample {
  if (!isMap(value)) throw new RecordingError(`${where}: expected a sample object with t and states`);
  const t = value['t'];
  if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) throw new RecordingError(`${where}.t: expected milliseconds since the start, found ${JSON.stringify(t)}`);
  const byProcess = value['byProcess'];
  let own: StateCounts | undefined;
  if (isMap(byProcess) && value['peers'] !== undefined) {
    own = {};
    for (const [name, perProcess] of Object.entries(byProcess)) {
      for (const [state, n] of Object.entries(counts(perProcess, `${where}.byProcess.${name}`))) own[state as keyof StateCounts] = (own[state as keyof StateCounts] ?? 0) + (n ?? 0);
    }
  }
  return { t, states: counts(value['states'], `${where}.states`), own };
}

function ordered(samples: RecordedSample[], what: string): RecordedSample[] {
  if (samples.length === 0) throw new RecordingError(`${what}: no samples`);
  for (let i = 1; i < samples.length; i++) {
    if (samples[i]!.t < samples[i - 1]!.t) throw new RecordingError(`${what}: sample ${i} goes back in time (t ${samples[i]!.t} after ${samples[i - 1]!.t})`);
  }
  return samples;
}

/** Reads a timeline from the text of a recording; throws RecordingError for anything else. */
export function parseRecordedTimeline(text: string, name: string): RecordedTimeline {
  const trimmed = text.trim();
  let whole: unknown;
  try {
    whole = JSON.parse(trimmed);
  } catch {
    whole = undefined;
  }
  if (whole !== undefined) {
    if (!isMap(whole) || !Array.isArray(whole['samples'])) throw new RecordingError(`${name}: expected a recording (tcpsim watch --record, or tcpsim run --json): a JSON object with "samples"`);
    const samples = whole['samples'].map((s, i) => sample(s, `${name}: samples[${i}]`));
    return { source: whole['tcpsim'] === 'watch' ? 'watch --record' : 'run --json', samples: ordered(samples, name) };
  }
  // newline-delimited: tcpsim watch --json
  const samples: RecordedSample[] = [];
  for (const [i, line] of trimmed.split('\n').entries()) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new RecordingError(`${name}:${i + 1}: not JSON (expected a recording, or the lines of tcpsim watch --json)`);
    }
    if (isMap(value) && value['kind'] === 'sample') samples.push(sample(value, `${name}:${i + 1}`));
  }
  return { source: 'watch --json', samples: ordered(samples, name) };
}
