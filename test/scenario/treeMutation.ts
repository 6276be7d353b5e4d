/** Structural mutations of a parsed scenario document (for the loader's robustness test and the fuzz): drop a key, swap a value for junk, add a junk key, at a path of indices. */
import fc from 'fast-check';

export interface TreeMutation {
  readonly path: readonly number[];
  readonly op: 'delete' | 'swap' | 'addKey';
  readonly junk: unknown;
}

/** Mutations whose junk values come from `junk`. */
export function treeMutationOf(junk: fc.Arbitrary<unknown>): fc.Arbitrary<TreeMutation> {
  return fc.record({ path: fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), op: fc.constantFrom('delete' as const, 'swap' as const, 'addKey' as const), junk });
}

/** Applies `m` to `doc` in place (or returns the junk when the path runs past a leaf). */
export function mutateTree(doc: unknown, m: TreeMutation): unknown {
  if (doc === null || typeof doc !== 'object') return m.junk;
  const container = doc as Record<string, unknown>;
  const keys = Object.keys(container);
  if (keys.length === 0) return m.junk;
  const key = keys[(m.path[0] ?? 0) % keys.length] ?? '';
  if (m.path.length === 1) {
    if (m.op === 'delete') delete container[key];
    else if (m.op === 'swap') container[key] = m.junk;
    else container[`junk${m.path[0] ?? 0}`] = m.junk;
    return doc;
  }
  container[key] = mutateTree(container[key], { ...m, path: m.path.slice(1) });
  return doc;
}
