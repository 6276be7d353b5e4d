/** Text ending in exactly one newline, whether or not the reporter ended it with one. */
export function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
