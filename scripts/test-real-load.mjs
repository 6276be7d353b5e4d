#!/usr/bin/env node
/**
 * `npm run test:real:load`: the real-mode tests (test/real) with the machine saturated, as on a
 * busy CI runner: two CPU-bound busy loops (TCPSIM_LOAD_LOOPS to change) start first and are
 * always stopped by their PIDs afterwards — on success, failure, and Ctrl-C. Extra arguments go
 * to vitest (e.g. a test file). Exit status: vitest's.
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';

const count = Number(process.env.TCPSIM_LOAD_LOOPS ?? 2);
const loops = Array.from({ length: count }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
const stopLoops = () => {
  for (const loop of loops) if (loop.exitCode === null && loop.signalCode === null) loop.kill('SIGKILL');
};
process.on('exit', stopLoops);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopLoops();
    process.kill(process.pid, signal);
  });
}

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
process.stderr.write(`test:real:load: ${count} busy loops (pids ${loops.map((l) => l.pid).join(', ')}); load average ${load()}\n`);
const args = process.argv.slice(2);
const vitest = spawn('npx', ['vitest', 'run', ...(args.length > 0 ? args : ['test/real'])], { stdio: 'inherit' });
vitest.on('exit', (code, signal) => {
  process.stderr.write(`test:real:load: load average ${load()} at the end; stopping the busy loops\n`);
  stopLoops();
  process.exitCode = code ?? (signal === null ? 1 : 128);
});
