/** `tcpsim compare RECORDED.json SCENARIO`: a recorded timeline against the model's run of a scenario. */
import { readFileSync, statSync } from 'node:fs';
import { tryParseDuration } from '../scenario/duration.js';
import { alignTimelines, type Tolerance } from '../watch/alignTimelines.js';
import { compareJson, compareText } from '../watch/compareReport.js';
import { modelStepMs, modelTimeline } from '../watch/modelTimeline.js';
import { RecordingError, parseRecordedTimeline } from '../watch/recordedTimeline.js';
import { COMPARE_HELP } from './helpTexts.js';
import { loadForCli } from './loadForCli.js';
import { paintFor } from './paint.js';
import { parseFlags } from './parseFlags.js';
import { UsageError } from './usageError.js';

/** The options of `tcpsim compare`. */
export const COMPARE_FLAGS = {
  param: { type: 'string', multiple: true },
  seed: { type: 'string' },
  profile: { type: 'string' },
  until: { type: 'string' },
  offset: { type: 'string' },
  window: { type: 'string' },
  tolerance: { type: 'string' },
  process: { type: 'string' },
  json: { type: 'boolean' },
  'allow-large': { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Largest recording read (a day at 1 s is ~50 MB). */
const MAX_RECORDING_BYTES = 256 << 20;

function durationMs(flag: string, text: string, signed = false): number {
  const negative = signed && text.startsWith('-');
  const parsed = tryParseDuration(negative ? text.slice(1) : text);
  if (!parsed.ok) throw new UsageError(`${flag}: expected a duration such as 100ms or 1.5s, found "${text}" (${parsed.reason})`);
  return ((negative ? -1 : 1) * parsed.micros) / 1000;
}

function tolerance(text: string | undefined): Tolerance {
  if (text === undefined) return { sockets: 0 };
  const match = /^(\d+(?:\.\d+)?)(%?)$/.exec(text.trim());
  if (match === null) throw new UsageError(`--tolerance: expected a number of sockets (2) or a percentage (5%), found "${text}"`);
  const n = Number(match[1]);
  if (match[2] === '%') return { percent: n };
  if (!Number.isInteger(n)) throw new UsageError(`--tolerance: a number of sockets is whole (found "${text}"); write ${text}% for a percentage`);
  return { sockets: n };
}

function readRecording(path: string): string {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new UsageError(`${path}: not a regular file`);
    size = stat.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`no such recording: ${path}`);
  }
  if (size > MAX_RECORDING_BYTES) throw new UsageError(`${path}: ${size} bytes, more than a recording tcpsim reads (${MAX_RECORDING_BYTES})`);
  return readFileSync(path, 'utf8');
}

/** Runs `tcpsim compare`; returns the exit code. */
export function compareCommand(argv: string[]): number {
  const { values, positionals } = parseFlags('compare', argv, COMPARE_FLAGS);
  if (values.help) {
    process.stdout.write(`${COMPARE_HELP}\n`);
    return 0;
  }
  if (positionals.length !== 2) throw new UsageError(`tcpsim compare takes a recording and a scenario (found ${positionals.length}${positionals.length > 0 ? `: ${positionals.join(' ')}` : ''})`);
  const [recordingPath = '', scenarioArg] = positionals;
  let recorded;
  try {
    recorded = parseRecordedTimeline(readRecording(recordingPath), recordingPath);
  } catch (error) {
    if (error instanceof RecordingError) throw new UsageError(error.message);
    throw error;
  }
  const windowMs = values.window === undefined ? 100 : durationMs('--window', values.window);
  const offsetMs = values.offset === undefined ? undefined : durationMs('--offset', values.offset, true);
  const tol = tolerance(values.tolerance);
  // the scenario's own end, then sampled finely enough to read it at any recorded moment
  const plain = loadForCli(scenarioArg, values);
  const step = modelStepMs(plain.sample.until / 1000);
  const scenario = loadForCli(scenarioArg, { ...values, every: `${step}ms`, until: `${plain.sample.until / 1000}ms` });
  const processName = values.process;
  if (processName !== undefined && !scenario.processes.some((p) => p.name === processName)) {
    throw new UsageError(`--process ${processName}: ${scenario.name} has no such process (it has ${scenario.processes.map((p) => p.name).join(', ')})`);
  }
  const recordedSamples = recorded.samples.map((s) => {
    if (processName === undefined) return { t: s.t, states: s.states };
    if (s.own === undefined) throw new UsageError(`--process: ${recordingPath} does not say which sockets were the watched processes' own (only tcpsim watch records do)`);
    return { t: s.t, states: s.own };
  });
  const model = modelTimeline(scenario);
  const counts = processName === undefined ? model.states : model.byProcess.map((b) => b[processName] ?? {});
  const alignment = alignTimelines(recordedSamples, { stepMs: model.stepMs, counts }, { windowMs, tolerance: tol, offsetMs });
  const facts = { recording: recordingPath, source: recorded.source, scenario: scenario.name, seed: scenario.seed, process: processName, windowMs, tolerance: tol, modelStepMs: model.stepMs, modelUntilMs: model.untilMs };
  if (values.json) process.stdout.write(`${compareJson(alignment, facts)}\n`);
  else process.stdout.write(`${compareText(alignment, facts, paintFor(process.stdout, values['no-color'] ?? false))}\n`);
  return alignment.compared > 0 && alignment.agreed === alignment.compared ? 0 : 1;
}
