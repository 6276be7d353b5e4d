/** Names listed in a message: all of a few, or the first ten and how many there are. */

/** `a, b, c`, or `a, b, …, j and 49,990 more` for a long list. */
export function namesList(names: readonly string[], shown = 10): string {
  if (names.length <= shown) return names.join(', ');
  return `${names.slice(0, shown).join(', ')} and ${(names.length - shown).toLocaleString('en-US')} more`;
}
