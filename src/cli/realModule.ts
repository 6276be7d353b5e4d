/**
 * Real mode's command module, loaded by URL so that the bundled command line (dist/bundle/) and
 * the plain one (dist/cli/) both load the same dist/cli/realCommand.js: real mode spawns dist/
 * files of its own and is not bundled.
 */
type RealModule = typeof import('./realCommand.js');

/** `tcpsim real`'s module (its command and help text). */
export async function loadRealModule(): Promise<RealModule> {
  const url = new URL('../cli/realCommand.js', import.meta.url).href;
  return (await import(url)) as RealModule;
}
