/** One thing real mode refuses before the kernel is touched (realPreflight.ts, commandProblems.ts). */
import type { DocPath } from '../scenario/sourceDocument.js';

/** One thing real mode refuses, at a path of the scenario's file. */
export interface RealProblem {
  readonly path: DocPath;
  readonly expected: string;
  readonly found: string;
  readonly hint?: string;
  /** Point at the key rather than its value. */
  readonly atKey?: boolean;
}
