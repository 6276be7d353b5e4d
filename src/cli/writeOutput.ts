/** Where a command's file output goes: a file, or stdout for `-` and `/dev/stdout` (so a closed pipe is an EPIPE, handled once). */
import { writeFileSync } from 'node:fs';

/** Whether `path` names standard output. */
export function isStdout(path: string): boolean {
  return path === '-' || path === '/dev/stdout';
}

/** Writes `data` to the file at `path`, or to stdout when `path` names it. */
export function writeOutput(path: string, data: string | Uint8Array): void {
  if (isStdout(path)) process.stdout.write(data);
  else writeFileSync(path, data);
}
