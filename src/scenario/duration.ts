/**
 * Durations as authors write them ("500ms", "20s", "1m30s", "50us", 0) and as the engine holds
 * them: integer microseconds.
 */
import { ScenarioError } from './scenarioError.js';
import type { Micros } from './types.js';

/** Microseconds per unit; `µs` is accepted as a spelling of `us`. */
const UNIT_MICROS: Readonly<Record<string, bigint>> = {
  us: 1n,
  µs: 1n,
  ms: 1_000n,
  s: 1_000_000n,
  m: 60_000_000n,
  h: 3_600_000_000n,
  d: 86_400_000_000n,
};

/** One or more `<number><unit>` parts, e.g. `20s`, `1.5ms`, `1m30s`. */
export const DURATION_PATTERN = /^(?:[0-9]+(?:\.[0-9]+)?(?:us|µs|ms|s|m|h|d))+$/;

const PART = /([0-9]+)(?:\.([0-9]+))?(us|µs|ms|s|m|h|d)/g;

/** The result of reading a duration: microseconds, or why the text is not one. */
export type DurationResult = { readonly ok: true; readonly micros: Micros } | { readonly ok: false; readonly reason: string; readonly hint?: string };

/** Reads a duration without throwing; `0` (number or text) is the only unitless duration. */
export function tryParseDuration(input: string | number): DurationResult {
  if (input === 0 || input === '0') return { ok: true, micros: 0 };
  if (typeof input === 'number') {
    return Number.isFinite(input)
      ? { ok: false, reason: 'a bare number has no unit', hint: `did you mean "${input}s" or "${input}ms"?` }
      : { ok: false, reason: 'not a finite duration' };
  }
  const text = input.trim();
  if (/^[0-9]+(?:\.[0-9]+)?$/.test(text)) {
    return { ok: false, reason: 'a bare number has no unit', hint: `did you mean "${text}s" or "${text}ms"?` };
  }
  const spaced = text.replace(/\s+/g, '');
  if (!DURATION_PATTERN.test(spaced)) {
    const parts = /^([0-9]+(?:\.[0-9]+)?)\s*([A-Za-zµμ]+)$/.exec(text);
    if (parts === null) return { ok: false, reason: 'not a duration' };
    return { ok: false, reason: `unknown unit "${parts[2] ?? ''}"`, hint: unitHint(parts[1] ?? '', parts[2] ?? '') };
  }
  if (spaced !== text) return { ok: false, reason: 'spaces inside a duration', hint: `write "${spaced}"` };
  let total = 0n;
  for (const m of text.matchAll(PART)) {
    const unit = UNIT_MICROS[m[3] ?? ''] ?? 1n;
    const whole = BigInt(m[1] ?? '0');
    const fraction = m[2] ?? '';
    if (fraction.length > 12) return { ok: false, reason: 'too many decimal places' };
    const scale = 10n ** BigInt(fraction.length);
    const fractional = BigInt(fraction === '' ? '0' : fraction) * unit;
    if (fractional % scale !== 0n) {
      return { ok: false, reason: 'not a whole number of microseconds', hint: 'the smallest step is 1us' };
    }
    total += whole * unit + fractional / scale;
    if (total > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, reason: 'too long' };
  }
  return { ok: true, micros: Number(total) };
}

function unitHint(amount: string, unit: string): string {
  const known: Readonly<Record<string, string>> = {
    sec: 's', secs: 's', second: 's', seconds: 's', S: 's',
    min: 'm', mins: 'm', minute: 'm', minutes: 'm', M: 'm',
    msec: 'ms', msecs: 'ms', millis: 'ms', millisecond: 'ms', milliseconds: 'ms', MS: 'ms', Ms: 'ms',
    usec: 'us', usecs: 'us', micros: 'us', microsecond: 'us', microseconds: 'us', μs: 'us', US: 'us',
    hr: 'h', hrs: 'h', hour: 'h', hours: 'h', H: 'h',
    day: 'd', days: 'd', D: 'd',
  };
  if (unit === 'ns') return 'nanoseconds are below the model\'s resolution; the smallest unit is us';
  const to = known[unit];
  return to === undefined ? 'units are us, ms, s, m, h and d' : `did you mean "${amount}${to}"?`;
}

/** Reads a duration such as "20s" into microseconds; throws ScenarioError for bad text. */
export function parseDuration(text: string, source = '<duration>'): Micros {
  const r = tryParseDuration(text);
  if (r.ok) return r.micros;
  throw new ScenarioError([
    {
      file: source,
      line: 1,
      col: 1,
      path: '',
      expected: 'a duration such as 500ms, 20s, 2m or 1h, or 0',
      found: `${JSON.stringify(text)} (${r.reason})`,
      ...(r.hint === undefined ? {} : { hint: r.hint }),
      sourceLine: text,
    },
  ]);
}

const MS = 1_000;
const S = 1_000_000;
const M = 60 * S;
const H = 60 * M;

/** Writes microseconds as an author would: 60000000 ⇒ "60s", 1500 ⇒ "1.5ms", 5400000000 ⇒ "1h30m". */
export function formatDuration(us: Micros): string {
  if (!Number.isFinite(us)) return String(us);
  if (us < 0) return `-${formatDuration(-us)}`;
  if (!Number.isInteger(us)) return `${us}us`;
  if (us === 0) return '0s';
  if (us < MS) return `${us}us`;
  if (us < S) return `${decimal(us, MS)}ms`;
  if (us < 2 * M) return `${decimal(us, S)}s`;
  let rest = us;
  let out = '';
  for (const [unit, size] of [['d', 24 * H], ['h', H], ['m', M], ['s', S], ['ms', MS], ['us', 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out;
}

/** `value / unit` as a decimal without trailing zeros (exact: unit is a power of ten). */
function decimal(value: number, unit: number): string {
  const whole = Math.floor(value / unit);
  const frac = value - whole * unit;
  if (frac === 0) return String(whole);
  const digits = String(unit).length - 1;
  return `${whole}.${String(frac).padStart(digits, '0').replace(/0+$/, '')}`;
}
