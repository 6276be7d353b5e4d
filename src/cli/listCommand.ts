/** `tcpsim list`: the shipped scenarios with their one-line descriptions. */
import { shippedScenarios } from './shippedScenarios.js';

/** Prints the shipped scenarios; returns the exit code. */
export function listCommand(): number {
  const all = shippedScenarios();
  const width = Math.max(...all.map((s) => s.name.length));
  for (const s of all) process.stdout.write(`${s.name.padEnd(width)}  ${s.description}\n`);
  process.stdout.write(`\nRun one with \`tcpsim run NAME\`; copy its file from ${all[0]?.file.replace(/[^/]+$/, '') ?? 'scenarios/'} to make your own.\n`);
  return 0;
}
