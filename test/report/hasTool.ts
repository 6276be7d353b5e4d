/** Whether a command-line tool the tests use (tshark, dot) is installed: it runs with `args` and exits 0. */
import { execFileSync } from 'node:child_process';

export function hasTool(command: string, args: readonly string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
