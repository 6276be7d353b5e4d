/**
 * What real mode refuses before it touches the kernel: nothing here creates a namespace or
 * starts a process (it reads /proc/sys to learn which sysctls this kernel has, nothing more).
 *
 * - A profile the kernel cannot be: real mode runs Linux, so `profile: rfc9293` is refused, and a
 *   profile field no sysctl decides (TIME_WAIT's 60 s, the 40 ms delayed ACK, …) must keep
 *   Linux's value. A field a sysctl decides is written as that sysctl in the run's namespace
 *   (model/sysctlProfile.ts), so it must have a sysctl value (`finTimeout: never` has none).
 * - A sysctl this kernel does not have, or one the model does not follow (the comparison would
 *   count its effect as disagreement: `tcp_max_tw_buckets: 0` read 54% with no hint why).
 * - A time scale that makes a timer longer than Node's (2^31 − 1 ms, 24.8 days): Node fires such
 *   a timer after 1 ms instead.
 * - A `command:` whose directory or program is missing, or any time scale with one
 *   (commandProblems.ts).
 *
 * Each problem names the field it comes from; `locatedError` turns them into the same
 * file:line:col messages as the loader's.
 */
import { existsSync, readFileSync } from 'node:fs';
import { LINUX, resolveProfile, type Profile } from '../model/profile.js';
import { LINUX_FIXED_FIELDS, SYSCTL_TABLE, overridesFromSysctls, sysctlForField, sysctlRow } from '../model/sysctlProfile.js';
import { formatDuration } from '../scenario/duration.js';
import { LARGE_LIMITS, LOAD_OPTION_ADVICE } from '../scenario/limits.js';
import { ScenarioError, type ScenarioProblem } from '../scenario/scenarioError.js';
import { formatPath, parseSource, type DocPath } from '../scenario/sourceDocument.js';
import { didYouMean } from '../scenario/suggest.js';
import type { ProfileOverrides, Scenario } from '../scenario/types.js';
import { commandProblems } from './commandProblems.js';
import { scaleScenario } from './scaleScenario.js';
import { sysctlPath } from './sysctl.js';
import type { RealProblem } from './realProblem.js';

export type { RealProblem } from './realProblem.js';

/** What the checks need besides the scenario. */
export interface PreflightOptions {
  readonly timeScale: number;
  /** Whether a sysctl name exists on this kernel (default: its /proc/sys file exists). */
  readonly kernelHas?: (sysctl: string) => boolean;
}

/** The longest timer Node keeps (setTimeout), milliseconds. */
export const NODE_TIMER_MAX_MS = 2 ** 31 - 1;
/** Slack real mode adds to a run's length for its own time limit, milliseconds. */
export const RUN_SLACK_MS = 30_000;

function kernelHasSysctl(sysctl: string): boolean {
  try {
    return existsSync(sysctlPath(sysctl));
  } catch {
    return false;
  }
}

const show = (field: string, value: unknown): string =>
  value === null ? 'never' : typeof value === 'number' && ['timeWait', 'finTimeout', 'synRto', 'rto', 'rtoMax', 'delAck'].includes(field) ? formatDuration(value) : String(value);

function profileProblems(scenario: Scenario, has: (sysctl: string) => boolean): RealProblem[] {
  const problems: RealProblem[] = [];
  if (scenario.profile !== 'linux') {
    problems.push({
      path: ['profile', 'name'],
      expected: 'the linux profile (real mode compares with the Linux kernel)',
      found: scenario.profile,
      hint: 'tcpsim run compares profiles; tcpsim real runs Linux',
    });
  }
  const resolved: Profile = resolveProfile('linux', { ...overridesFromSysctls(scenario.sysctls), ...scenario.profileOverrides });
  for (const [field, written] of Object.entries(scenario.profileOverrides) as [keyof ProfileOverrides, unknown][]) {
    if (written === undefined) continue;
    const row = sysctlForField(field);
    if (row !== undefined) {
      const value = row.fromProfile(resolved);
      if (typeof value !== 'number') {
        problems.push({ path: ['profile', field], expected: `a value ${row.sysctl} can be set to (${row.unit}, ${row.min}…${row.max})`, found: `${show(field, written)}: ${value.reason}` });
      } else if (!has(row.sysctl)) {
        problems.push({ path: ['profile', field], expected: `a field this kernel can set (${row.sysctl}, Linux ≥ ${row.since ?? '?'})`, found: `${show(field, written)}, but this kernel has no ${row.sysctl}` });
      }
      continue;
    }
    if (resolved[field] !== LINUX[field]) {
      problems.push({
        path: ['profile', field],
        expected: `Linux's ${show(field, LINUX[field])} (${LINUX_FIXED_FIELDS[field] ?? 'no sysctl sets it'})`,
        found: show(field, written),
        hint: 'real mode can only run what the kernel does; tcpsim run takes any profile',
      });
    }
  }
  return problems;
}

function sysctlProblems(scenario: Scenario, has: (sysctl: string) => boolean): RealProblem[] {
  const problems: RealProblem[] = [];
  const followed = SYSCTL_TABLE.filter((r) => r.field !== null).map((r) => r.sysctl);
  for (const name of Object.keys(scenario.sysctls)) {
    const row = sysctlRow(name);
    const path = ['sysctls', name];
    if (row === undefined) {
      problems.push(
        has(name)
          ? { path, atKey: true, expected: `a sysctl the model follows (${followed.join(', ')})`, found: `${name}, which this kernel has but the model does not follow`, hint: 'its effect would count as disagreement; leave it out' }
          : { path, atKey: true, expected: 'a sysctl this kernel has', found: `${name}, which it does not have`, ...hintFor(name, followed) },
      );
    } else if (row.field === null) {
      problems.push({ path, atKey: true, expected: `a sysctl the model follows (${followed.join(', ')})`, found: `${name}: ${row.meaning}`, hint: 'its effect would count as disagreement; leave it out (tcpsim run ignores it)' });
    } else if (!has(name)) {
      problems.push({ path, atKey: true, expected: `a sysctl this kernel has (${name} needs Linux ≥ ${row.since ?? '?'})`, found: `${name}, which it does not have` });
    }
  }
  return problems;
}

function hintFor(name: string, candidates: readonly string[]): { hint?: string } {
  const hint = didYouMean(name, candidates);
  return hint === undefined ? {} : { hint };
}

function days(ms: number): string {
  return ms >= 86_400_000 ? `${(ms / 86_400_000).toFixed(1)} days` : formatDuration(Math.round(ms * 1000));
}

function timeScaleProblems(scenario: Scenario, factor: number): RealProblem[] {
  if (factor === 1) return [];
  const limitMs = NODE_TIMER_MAX_MS - RUN_SLACK_MS;
  const scaled = scaleScenario(scenario, factor);
  const problems: RealProblem[] = [];
  const expected = `a time that scaled by ${factor} fits Node's timers: at most ${days(limitMs)} (2^31 ms, less real mode's 30 s of slack)`;
  const most = limitMs / (scenario.sample.until / 1000);
  if (scaled.sample.until / 1000 > limitMs) {
    problems.push({ path: ['sample', 'until'], expected, found: `${formatDuration(scenario.sample.until)} × ${factor} = ${days(scaled.sample.until / 1000)}`, hint: `use --time-scale ${Number(most.toPrecision(3))} or less` });
  }
  scaled.processes.forEach((p, i) => {
    const original = scenario.processes[i];
    const steps = [...(p.server?.steps ?? []), ...(p.client?.steps ?? [])];
    // Node's timers: the program runner's sleeps and client starts (a Python server's accept retry is time.sleep)
    const longest = Math.max(0, ...steps.map((s) => (s.op === 'sleep' ? s.duration : 0)), (p.client?.start ?? 0) + (p.client?.ramp ?? 0));
    if (original !== undefined && longest / 1000 > limitMs) {
      problems.push({ path: ['processes', p.name], atKey: true, expected, found: `a wait of ${days(longest / 1000)} in ${p.name} (its sleeps or start + ramp, scaled)` });
    }
  });
  return problems;
}

/** Everything real mode refuses in `scenario`, before touching the kernel; [] when it can run. */
export function realPreflight(scenario: Scenario, options: PreflightOptions): RealProblem[] {
  const has = options.kernelHas ?? kernelHasSysctl;
  return [...profileProblems(scenario, has), ...sysctlProblems(scenario, has), ...timeScaleProblems(scenario, options.timeScale), ...commandProblems(scenario, options.timeScale)];
}

/** The problems as a ScenarioError located in the scenario's file (line 1 when it cannot be read). */
export function locatedError(scenario: Scenario, problems: readonly RealProblem[]): ScenarioError {
  let text: string | undefined;
  try {
    text = readFileSync(scenario.file, 'utf8');
  } catch {
    text = undefined;
  }
  const index = text === undefined ? undefined : parseSource(text, scenario.file, LARGE_LIMITS, LOAD_OPTION_ADVICE).index;
  const located: ScenarioProblem[] = problems.map((p) => {
    if (index === undefined) return { file: scenario.file, line: 1, col: 1, path: formatPath(p.path), expected: p.expected, found: p.found, ...(p.hint === undefined ? {} : { hint: p.hint }) };
    // `profile: rfc9293` has no profile.name: point at the value written for its parent
    const parent = p.path.slice(0, -1);
    const written = index.sourceOf(parent)?.text.trim();
    const path = index.sourceOf(p.path) === undefined && p.atKey !== true && written !== undefined && !/^[{[]/.test(written) ? parent : p.path;
    return index.problem(path, p.expected, p.found, p.hint, p.atKey === true ? 'key' : 'value');
  });
  return new ScenarioError(located);
}
