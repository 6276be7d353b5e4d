/**
 * `npm run bench:library [connections] [rounds]`: the async program API against the scenario
 * runner on bench-lifecycle (default 10,000 connections, 5 rounds). Each measurement runs in a
 * process of its own, the two alternating; the report gives medians and the median of the
 * per-round ratios (goal: the async API at most 2× the scenario runner).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { measureAsyncLifecycle } from './asyncLifecycle.js';
import { measureTcpsim } from './measureTcpsim.js';

interface Measurement {
  readonly wallMs: number;
  readonly events: number;
  readonly ok: boolean;
}

const SELF = fileURLToPath(import.meta.url);
const [kind, arg1, arg2] = process.argv.slice(2);

if (kind === 'yaml' || kind === 'async') {
  const n = Number(arg1);
  const m = kind === 'yaml' ? measureTcpsim(n) : await measureAsyncLifecycle(n);
  process.stdout.write(`${JSON.stringify({ wallMs: m.wallMs, events: m.events, ok: m.ok })}\n`);
} else {
  const n = Number(kind ?? 10_000);
  const rounds = Number(arg1 ?? 5);
  void arg2;
  const measure = (which: string): Measurement =>
    JSON.parse(execFileSync(process.execPath, ['--max-old-space-size=4096', SELF, which, String(n)], { encoding: 'utf8' }).trim()) as Measurement;
  const median = (xs: readonly number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
  };
  const yaml: Measurement[] = [];
  const lib: Measurement[] = [];
  for (let r = 0; r < rounds; r++) {
    yaml.push(measure('yaml'));
    lib.push(measure('async'));
  }
  const ratio = median(lib.map((m, i) => m.wallMs / yaml[i]!.wallMs));
  const ms = (xs: readonly Measurement[]): string => `${Math.round(median(xs.map((m) => m.wallMs)))} ms`;
  console.log(`bench-lifecycle, ${n.toLocaleString('en-US')} connections, ${rounds} rounds (medians):`);
  console.log(`  scenario runner (YAML steps)   ${ms(yaml).padStart(8)}  ${yaml[0]!.events.toLocaleString('en-US')} events  ${yaml.every((m) => m.ok) ? 'all expectations hold' : 'EXPECTATIONS FAILED'}`);
  console.log(`  async programs (createSim)     ${ms(lib).padStart(8)}  ${lib[0]!.events.toLocaleString('en-US')} events  ${lib.every((m) => m.ok) ? 'every connection CLOSED' : 'CONNECTIONS LEFT OPEN'}`);
  console.log(`  async / scenario runner        ${ratio.toFixed(2)}× (goal ≤ 2×)`);
}
