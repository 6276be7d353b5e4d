/**
 * Node's on-disk compile cache (`module.enableCompileCache()`, Node ≥ 22.1): the second start of
 * tcpsim reuses V8's compiled code for every module. Where Node lacks it, nothing happens.
 */
import module from 'node:module';

/** Turns the compile cache on where this Node has one; never fails (a read-only disk just means no cache). */
export function enableCompileCache(): void {
  const enable = (module as { enableCompileCache?: () => unknown }).enableCompileCache;
  if (typeof enable !== 'function') return;
  try {
    enable();
  } catch {
    // no cache is only slower
  }
}
