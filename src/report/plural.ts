/** Counts in words with the right grammatical number: "1 socket sits", "2 sockets sit". */

/** `n` followed by the singular or the plural form: `count(1, 'socket')` is "1 socket", `count(3, 'socket')` "3 sockets". */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** The singular or plural form alone, by `n`: `agree(1, 'remains', 'remain')`. */
export function agree(n: number, singular: string, plural: string): string {
  return n === 1 ? singular : plural;
}
