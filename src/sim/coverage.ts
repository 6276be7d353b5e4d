/**
 * Opt-in coverage of the compiled table (npm run matrix): per table, how often each handled
 * (leaf, event) cell ran. Off (null) unless a caller sets `World.coverage`.
 */
import type { TransitionTable } from '../model/compileTable.js';

/** The coverage being collected, or null when off. */
export const tableCoverage: { cells: Map<TransitionTable, Uint32Array> | null } = { cells: null };
