/**
 * Reads StrykerJS JSON reports (default: reports/mutation/mutation.json) and prints, per file,
 * the mutants killed, timed out, survived and not covered, the score Stryker computes
 * ((killed + timed out) / all valid), and then every survivor and uncovered mutant as
 * `file:line:col STATUS mutator | source line => replacement`, for judging in a note.
 *
 * Several reports (batches of `stryker run --mutate ...` over disjoint files) are summed, so
 * src/sim can be measured a few files at a time and each batch's result kept as it finishes.
 *
 *   node scripts/mutation-survivors.mjs [report.json ...] [--summary]
 */
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const summaryOnly = args.includes('--summary');
const reports = args.filter((a) => !a.startsWith('--'));
if (reports.length === 0) reports.push('reports/mutation/mutation.json');

const UNDETECTED = new Set(['Survived', 'NoCoverage']);
const rows = [];
const lines = [];
for (const path of reports) {
  const report = JSON.parse(readFileSync(path, 'utf8'));
  for (const [file, { source, mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
    const count = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0 };
    const text = source.split('\n');
    for (const m of [...mutants].sort((a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column)) {
      if (m.status in count) count[m.status]++;
      if (!UNDETECTED.has(m.status)) continue;
      const { line, column } = m.location.start;
      const replacement = (m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 60);
      lines.push(`${file}:${line}:${column} ${m.status === 'NoCoverage' ? 'NOCOV' : 'SURV '} ${m.mutatorName} | ${text[line - 1].trim().slice(0, 90)} => ${replacement}`);
    }
    rows.push({ file, ...count });
  }
}

const score = (r) => {
  const detected = r.Killed + r.Timeout;
  const all = detected + r.Survived + r.NoCoverage;
  return all === 0 ? '—' : `${((100 * detected) / all).toFixed(1)}%`;
};
const total = rows.reduce((t, r) => ({ file: 'all', Killed: t.Killed + r.Killed, Timeout: t.Timeout + r.Timeout, Survived: t.Survived + r.Survived, NoCoverage: t.NoCoverage + r.NoCoverage }), {
  Killed: 0,
  Timeout: 0,
  Survived: 0,
  NoCoverage: 0,
});
const width = Math.max(...rows.map((r) => r.file.length), 4);
console.log(`${'file'.padEnd(width)}  killed  timeout  survived  no-cov  score`);
for (const r of [...rows, total]) {
  console.log(`${r.file.padEnd(width)}  ${String(r.Killed).padStart(6)}  ${String(r.Timeout).padStart(7)}  ${String(r.Survived).padStart(8)}  ${String(r.NoCoverage).padStart(6)}  ${score(r).padStart(6)}`);
}
if (!summaryOnly && lines.length > 0) console.log(`\n${lines.join('\n')}`);
