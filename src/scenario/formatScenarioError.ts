/**
 * Renders scenario problems the way compilers do: `file:line:col: path: expected X, found Y`, the
 * source line with a caret under the column, then the hint.
 */
import type { ScenarioProblem } from './scenarioProblem.js';

/** Output options: `color` adds ANSI colours for a terminal. */
export interface FormatOptions {
  readonly color: boolean;
}

const WIDTH = 120;

/** Human-readable text for a ScenarioError (or anything with `problems` and `omitted`). */
export function formatScenarioError(
  err: { readonly problems: readonly ScenarioProblem[]; readonly omitted: number },
  options: FormatOptions,
): string {
  const paint = (code: string, text: string): string => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const blocks = err.problems.map((p) => formatProblem(p, paint));
  const total = err.problems.length + err.omitted;
  if (err.omitted > 0) blocks.push(`… and ${err.omitted} more (${total} problems; the first ${err.problems.length} are shown)`);
  else if (total > 1) blocks.push(`${total} problems`);
  return blocks.join('\n\n');
}

function formatProblem(p: ScenarioProblem, paint: (code: string, text: string) => string): string {
  if (p.file.startsWith('--')) {
    // a command-line flag's value: no file, line or caret to show
    const lines = [`${paint('1', `${p.file} ${p.sourceLine ?? ''}:`.replace(' :', ':'))} expected ${p.expected}, found ${p.found}`];
    if (p.hint !== undefined) lines.push(`  ${paint('36', p.hint)}`);
    return lines.join('\n');
  }
  const where = paint('1', `${p.file}:${p.line}:${p.col}:`);
  const path = p.path === '' ? '' : ` ${paint('1', p.path)}:`;
  const lines = [`${where}${path} expected ${p.expected}, found ${p.found}`];
  if (p.sourceLine !== undefined) {
    const gutter = String(p.line);
    const { text, caretAt } = window(p.sourceLine, p.col - 1);
    // Copy tabs so the caret lines up under a tab-indented line.
    const pad = [...text.slice(0, caretAt)].map((c) => (c === '\t' ? '\t' : ' ')).join('');
    lines.push(`  ${paint('2', `${gutter} |`)} ${text}`);
    lines.push(`  ${paint('2', `${' '.repeat(gutter.length)} |`)} ${pad}${paint('31;1', '^')}`);
  }
  if (p.hint !== undefined) lines.push(`  ${paint('36', p.hint)}`);
  return lines.join('\n');
}

/** Cuts a long line down to a window around the caret and makes control characters visible. */
function window(line: string, index: number): { text: string; caretAt: number } {
  const printable = line.replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, '?');
  const at = Math.max(0, Math.min(index, printable.length));
  if (printable.length <= WIDTH) return { text: printable, caretAt: at };
  const start = Math.max(0, Math.min(at - WIDTH / 2, printable.length - WIDTH));
  const head = start > 0 ? '…' : '';
  const tail = start + WIDTH < printable.length ? '…' : '';
  return { text: head + printable.slice(start, start + WIDTH) + tail, caretAt: at - start + head.length };
}
