/**
 * Test-side setup for the OS-facing real-mode tests: whether they can run here (Linux, root),
 * the reason shown when they are skipped, and installing iproute2/nftables with apt when missing.
 */
import { spawnSync } from 'node:child_process';
import { netnsSupport } from '../../src/real/netns.js';

const support = netnsSupport();

/** Why the OS tests are skipped here, or undefined when they run. */
export const osSkipReason: string | undefined = support.ok ? undefined : support.reason;

/** True when the OS tests cannot run here. */
export const skipOs = osSkipReason !== undefined;

function has(program: string): boolean {
  return spawnSync(program, ['--version'], { stdio: 'ignore' }).status === 0 || spawnSync(program, ['-V'], { stdio: 'ignore' }).status === 0;
}

/** Installs iproute2 and nftables through apt when missing (tests only; library code never installs). */
export function ensureTools(): void {
  if (skipOs) return;
  const missing = [has('ip') ? undefined : 'iproute2', has('nft') ? undefined : 'nftables'].filter((p): p is string => p !== undefined);
  if (missing.length === 0) return;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env, timeout: 120_000 });
  const result = spawnSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'ignore', env, timeout: 180_000 });
  if (result.status !== 0) throw new Error(`apt-get install ${missing.join(' ')} failed (status ${String(result.status)})`);
}
