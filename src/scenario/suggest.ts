/**
 * "Did you mean …?" — picks the closest known word to a misspelt one, by case-insensitive
 * Damerau–Levenshtein distance, after consulting a table of known alternative spellings.
 */
import { NETSTAT_SPELLING, RFC_SPELLING, SS_SPELLING, TCP_STATES } from '../model/states.js';

/** Other tools' spellings of canonical names (netstat `FIN_WAIT2`, ss `ESTAB`, RFC `FIN-WAIT-2`). */
const ALIASES: ReadonlyMap<string, string> = new Map(
  TCP_STATES.flatMap((s) => [
    [NETSTAT_SPELLING[s].toUpperCase(), s],
    [SS_SPELLING[s].toUpperCase(), s],
    [RFC_SPELLING[s].toUpperCase(), s],
  ] as const),
);

/** Edit distance with transpositions (optimal string alignment), capped for speed. */
export function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 8 || a.length > 64 || b.length > 64) return 99;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const prev = rows[i - 1] ?? [];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      }
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 99;
}

/** The known word the author most likely meant, or undefined when none is close. */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  const known = [...candidates];
  const upper = word.toUpperCase();
  const alias = ALIASES.get(upper) ?? ALIASES.get(upper.replace(/[-\s]/g, '_'));
  if (alias !== undefined && known.includes(alias) && alias !== word) return alias;
  const folded = known.find((k) => k.toLowerCase() === word.toLowerCase() && k !== word);
  if (folded !== undefined) return folded;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const d = editDistance(word.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  const allowed = Math.max(1, Math.floor(word.length / 3));
  if (best !== undefined && bestDistance <= allowed && best !== word) return best;
  if (word.length >= 3) {
    const prefixed = known.filter((k) => k.toLowerCase().startsWith(word.toLowerCase()));
    if (prefixed.length === 1) return prefixed[0];
  }
  return undefined;
}

/** `did you mean "x"?`, or undefined when there is nothing close. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const s = suggest(word, candidates);
  return s === undefined ? undefined : `did you mean "${s}"?`;
}
