/**
 * One benchmark measurement per process (`node dist/bench/worker.js KIND N`), so that heaps,
 * JIT state and peak RSS never leak from one measurement into the next. Prints one JSON line.
 */
import { fileURLToPath } from 'node:url';
import { loadScenarioFile } from '../scenario/index.js';
import { simulate } from '../sim/simulate.js';
import { runFlatTable, runXstate } from './baselines.js';
import { measureTcpsim } from './measureTcpsim.js';

const JAVA_DEMO = fileURLToPath(new URL('../../scenarios/article-java-forgot-close.yaml', import.meta.url));

/** Runs the article's Java demo (35 virtual minutes). */
function measureJavaDemo(): Record<string, number | boolean> {
  const scenario = loadScenarioFile(JAVA_DEMO);
  const started = performance.now();
  const result = simulate(scenario);
  const wallMs = performance.now() - started;
  return { virtualSeconds: scenario.sample.until / 1e6, wallMs, events: result.events, eventsPerSec: result.events / (wallMs / 1000), peakRssBytes: process.resourceUsage().maxRSS * 1024, ok: true };
}

function baseline(run: (n: number) => { connections: number; events: number; wallMs: number; closed: number }, n: number): Record<string, number | boolean> {
  const rssBefore = process.memoryUsage().rss;
  const r = run(n);
  return {
    connections: r.connections,
    wallMs: r.wallMs,
    events: r.events,
    eventsPerSec: r.events / (r.wallMs / 1000),
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    rssBeforeBytes: rssBefore,
    ok: r.closed === 2 * r.connections,
  };
}

const [kind, size] = process.argv.slice(2);
const n = Number(size ?? 0);
const result =
  kind === 'tcpsim' ? measureTcpsim(n) : kind === 'flat' ? baseline(runFlatTable, n) : kind === 'xstate' ? baseline(runXstate, n) : kind === 'java' ? measureJavaDemo() : null;
if (!result) {
  process.stderr.write('usage: worker.js tcpsim|flat|xstate|java N\n');
  process.exit(2);
}
process.stdout.write(`${JSON.stringify({ kind, ...result })}\n`);
