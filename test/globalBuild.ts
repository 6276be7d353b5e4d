/**
 * Vitest global set-up: builds dist/ once (tsc, then the rolldown bundle) before any test file
 * runs, for the tests that run the command line as a user would. `npm test` has just built it and
 * says so with TCPSIM_BUILT=1. One build for all files: parallel rebuilds raced with readers. Each
 * project (vitest.config.ts) names this set-up; the first one builds and sets TCPSIM_BUILT, so the
 * second does not build again.
 */
import { spawnSync } from 'node:child_process';

/** Builds unless the caller already did. */
export default function setup(): void {
  if (process.env['TCPSIM_BUILT'] === '1') return;
  const out = spawnSync('npm', ['run', 'build', '--silent'], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`npm run build failed:\n${out.stdout}\n${out.stderr}`);
  process.env['TCPSIM_BUILT'] = '1';
}
