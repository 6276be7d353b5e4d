/**
 * The fuzz test: malformed and oversized scenario files, each loaded and (when it loads) run as
 * `tcpsim run` would, on the built code. Every file must either be refused with a located message
 * (file:line:col, in our words) — exit 2 — or run; never crash, never use more CPU time than the
 * bound (CPU, not wall time: the machine is shared; a case with no answer in a minute is a hang).
 * A few hundred files in `npm test`; `TCPSIM_FUZZ_RUNS=10000` for thousands; `npm run fuzz` prints
 * the classes and counts (TCPSIM_FUZZ_REPORT=1). TCPSIM_FUZZ_SEED replays a run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fuzzCases } from './fuzzCases.js';
import { runFuzzCases, type FuzzOutcome } from './fuzzPool.js';

const RUNS = Number(process.env['TCPSIM_FUZZ_RUNS'] ?? '200');
const SEED = Number(process.env['TCPSIM_FUZZ_SEED'] ?? '20261201');
/** The per-file bound on CPU time: a guard against hangs. `npm run fuzz` uses 5 s; the suite, sharing the machine, a generous 60 s. */
const BOUND_MS = Number(process.env['TCPSIM_FUZZ_BOUND_MS'] ?? '60000');
const REPORT = process.env['TCPSIM_FUZZ_REPORT'] === '1';

/** Words of the schema library or of Node that must never reach a user. */
const FOREIGN = /\brecord\b|Invalid input|received|ZodError|\[object Object\]|\bundefined\b/;


function table(outcomes: readonly FuzzOutcome[]): string {
  const kinds = [...new Set(outcomes.map((o) => o.kind))];
  const classes = ['runs', 'refused', 'crash', 'hang'] as const;
  const rows = kinds.map((k) => [k, ...classes.map((c) => String(outcomes.filter((o) => o.kind === k && o.outcome === c).length))]);
  rows.push(['all', ...classes.map((c) => String(outcomes.filter((o) => o.outcome === c).length))]);
  const head = ['kind', ...classes];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const slowest = [...outcomes].sort((a, b) => b.cpuMs - a.cpuMs)[0];
  const slowestWall = [...outcomes].sort((a, b) => b.ms - a.ms)[0];
  const unlocated = outcomes.filter((o) => o.outcome === 'refused' && !o.located).length;
  const foreign = outcomes.filter((o) => FOREIGN.test(o.message)).length;
  const slow = outcomes.filter((o) => o.cpuMs >= BOUND_MS).map((o) => `  ${Math.round(o.cpuMs)} ms CPU (${Math.round(o.ms)} ms wall): ${o.kind} ${o.outcome}: ${o.message.split('\n')[0] ?? ''}`);
  return [
    `tcpsim fuzz — ${outcomes.length} files, seed ${SEED}, bound ${BOUND_MS} ms of CPU per file`,
    line(head),
    ...rows.map(line),
    `refusals without file:line:col: ${unlocated}; messages with foreign words: ${foreign}; over the bound: ${slow.length}`,
    `slowest: ${Math.round(slowest?.cpuMs ?? 0)} ms CPU (${slowest?.kind ?? '-'}, ${slowest?.outcome ?? '-'}); ${Math.round(slowestWall?.ms ?? 0)} ms wall (${slowestWall?.kind ?? '-'}, ${slowestWall?.outcome ?? '-'}); cases over 5 s wall: ${outcomes.filter((o) => o.ms > 5000).length}`,
    ...slow,
  ].join('\n');
}

describe('fuzzed scenario files', () => {
  it(`${RUNS} files: each refused with file:line:col in our words, or run; no crash, no hang`, { timeout: 3_600_000 }, async () => {
    const outcomes = await runFuzzCases(fuzzCases(RUNS, SEED), BOUND_MS);
    if (REPORT) process.stdout.write(`\n${table(outcomes)}\n\n`);
    // the files that failed, kept to replay with \`tcpsim run FILE\`
    const failed = outcomes.map((o, i) => ({ o, i })).filter(({ o }) => o.outcome === 'crash' || o.outcome === 'hang' || o.cpuMs >= BOUND_MS || !o.located);
    if (failed.length > 0) {
      const dir = join(tmpdir(), `tcpsim-fuzz-${SEED}`);
      mkdirSync(dir, { recursive: true });
      for (const { o, i } of failed) writeFileSync(join(dir, `${i}-${o.kind}-${o.outcome}.yaml`), o.text);
      process.stdout.write(`${failed.length} failing files kept in ${dir}\n`);
    }
    const show = (o: FuzzOutcome | undefined): string => (o === undefined ? '' : `${o.kind} ${o.outcome} (${Math.round(o.cpuMs)} ms CPU, ${Math.round(o.ms)} ms wall):\n${o.message}\n--- file (${o.text.length} chars) ---\n${o.text.slice(0, 1500)}`);
    expect(outcomes.find((o) => o.outcome === 'crash'), show(outcomes.find((o) => o.outcome === 'crash'))).toBeUndefined();
    expect(outcomes.find((o) => o.outcome === 'hang'), show(outcomes.find((o) => o.outcome === 'hang'))).toBeUndefined();
    expect(outcomes.find((o) => o.cpuMs >= BOUND_MS), show(outcomes.find((o) => o.cpuMs >= BOUND_MS))).toBeUndefined();
    expect(outcomes.find((o) => !o.located), show(outcomes.find((o) => !o.located))).toBeUndefined();
    expect(outcomes.find((o) => FOREIGN.test(o.message)), show(outcomes.find((o) => FOREIGN.test(o.message)))).toBeUndefined();
    // the generators reach both ends: files that run and files that are refused
    expect(outcomes.filter((o) => o.outcome === 'runs').length).toBeGreaterThan(RUNS / 20);
    expect(outcomes.filter((o) => o.outcome === 'refused').length).toBeGreaterThan(RUNS / 4);
  });
});
