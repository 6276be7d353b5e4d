/**
 * The command line's `--seed`, `--profile`, `--every` and `--until`, written into the document
 * before it is checked, so they meet exactly the rules and limits the file's own fields meet. A
 * problem with one of them names the flag (`--until 1000d: …`), not a line of the file.
 */
import { tryParseDuration } from './duration.js';
import { isPlainMap } from './describeValue.js';
import type { ScenarioProblem } from './scenarioError.js';
import { didYouMean } from './suggest.js';

/** The overrides as typed on the command line. */
export interface CommandLineOverrides {
  readonly seed?: string | undefined;
  readonly profile?: string | undefined;
  readonly every?: string | undefined;
  readonly until?: string | undefined;
}

/** Where a value came from the command line: the flag and what was typed, by document path (`sample.until`). */
export type FlagOrigins = ReadonlyMap<string, { readonly flag: string; readonly text: string }>;

/** Largest seed (the PRNG takes 32 bits), the same bound as the file's `seed`. */
export const MAX_SEED = 2 ** 32 - 1;

const PROFILES = ['linux', 'rfc9293'];

/** A problem with a flag's value. */
export function flagProblem(flag: string, text: string, path: string, expected: string, found: string, hint?: string): ScenarioProblem {
  return { file: flag, line: 1, col: 1, path, expected, found, sourceLine: text, ...(hint === undefined ? {} : { hint }) };
}

/** `doc` with the overrides written in; problems for values no file could hold either. */
export function applyOverrides(doc: unknown, overrides: CommandLineOverrides): { value: unknown; problems: ScenarioProblem[]; flags: FlagOrigins } {
  const flags = new Map<string, { flag: string; text: string }>();
  const problems: ScenarioProblem[] = [];
  if (!isPlainMap(doc)) return { value: doc, problems, flags };
  const out: Record<string, unknown> = { ...doc };
  const { seed, profile, every, until } = overrides;
  if (seed !== undefined) {
    const text = seed.trim();
    if (!/^\d{1,10}$/.test(text) || Number(text) > MAX_SEED) {
      const hint = /^-/.test(text) ? 'seeds are not negative' : /[.eE]/.test(text) ? 'write the seed as a whole number, without a decimal point or exponent' : undefined;
      problems.push(flagProblem('--seed', seed, 'seed', `a whole number from 0 to ${MAX_SEED}`, JSON.stringify(seed), hint));
    } else {
      out['seed'] = Number(text);
      flags.set('seed', { flag: '--seed', text: seed });
    }
  }
  if (profile !== undefined) {
    if (!PROFILES.includes(profile)) {
      problems.push(flagProblem('--profile', profile, 'profile', 'linux or rfc9293', JSON.stringify(profile), didYouMean(profile, PROFILES)));
    } else {
      const current = out['profile'];
      out['profile'] = isPlainMap(current) ? { ...current, name: profile } : profile;
      flags.set('profile', { flag: '--profile', text: profile });
    }
  }
  const sample: Record<string, unknown> = isPlainMap(out['sample']) ? { ...out['sample'] } : {};
  for (const [key, text] of [['every', every], ['until', until]] as const) {
    if (text === undefined) continue;
    const flag = `--${key}`;
    const parsed = tryParseDuration(text);
    if (!parsed.ok) {
      problems.push(flagProblem(flag, text, `sample.${key}`, 'a duration such as 500ms, 5s, 2m or 1h', `${JSON.stringify(text)} (${parsed.reason})`, parsed.hint));
      continue;
    }
    sample[key] = text;
    flags.set(`sample.${key}`, { flag, text });
  }
  if (every !== undefined || until !== undefined) out['sample'] = sample;
  return { value: out, problems, flags };
}
