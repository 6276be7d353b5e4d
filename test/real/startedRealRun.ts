/** `tcpsim real lost-fin --netns` from the built CLI, resolved once its programs run (stderr says "real run started"). */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';

export const CLI = 'dist/cli/main.js';

export async function startedLostFinRun(): Promise<ChildProcessByStdio<null, Readable, Readable>> {
  const run = spawn(process.execPath, [CLI, 'real', 'scenarios/real/lost-fin.yaml', '--netns'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    run.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('real run started')) resolve();
    });
    run.once('exit', () => reject(new Error(`tcpsim real exited early: ${stderr}`)));
  });
  return run;
}
