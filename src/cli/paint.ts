/** Terminal styling for the CLI: ANSI colours only on a TTY, never with NO_COLOR or --no-color. */
import type { Paint } from '../report/runText.js';
import { PLAIN } from '../report/runText.js';

/** Whether colour should be used on `stream` (https://no-color.org: any non-empty NO_COLOR disables it). */
export function wantsColor(stream: Pick<NodeJS.WriteStream, 'isTTY'>, disabled: boolean): boolean {
  const noColor = process.env['NO_COLOR'];
  return !disabled && (noColor === undefined || noColor === '') && stream.isTTY === true && process.env['TERM'] !== 'dumb';
}

/** Paint for `stream`. */
export function paintFor(stream: NodeJS.WriteStream, disabled: boolean): Paint {
  if (!wantsColor(stream, disabled)) return PLAIN;
  const sgr = (code: string) => (text: string) => `\u001b[${code}m${text}\u001b[0m`;
  return { bold: sgr('1'), dim: sgr('2'), good: sgr('32'), bad: sgr('31;1') };
}
