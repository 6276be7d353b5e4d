/**
 * One mistake in a scenario, as the loader reports it: the place in the author's file, what
 * would have been accepted and what was found. ScenarioError carries a list of them;
 * formatScenarioError prints them.
 */

/** One mistake in a scenario, located in the author's file. */
export interface ScenarioProblem {
  /** The file as given by the caller (or `--param` / `<duration>` for command-line input). */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly col: number;
  /** Where in the document, e.g. `processes.server.onConnection[2].read`; '' = the document. */
  readonly path: string;
  /** What would have been accepted, e.g. `line, eof, a byte count or { bytes: N }`. */
  readonly expected: string;
  /** What the author wrote, e.g. `"lines"`. */
  readonly found: string;
  /** A suggestion, e.g. `did you mean "line"?`. */
  readonly hint?: string;
  /** The text of the offending line, for the caret display. */
  readonly sourceLine?: string;
}
