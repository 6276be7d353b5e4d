/**
 * `npm run bench`: tcpsim on bench-lifecycle at 1k … 1M connections, baseline A (xstate
 * `transition()` per event), baseline B (the bare compiled table), and the article's Java demo.
 * Each measurement runs in its own process; every round runs each measurement once, and the
 * table shows medians over rounds, with ratios taken within each round before the median.
 * Then the command line's start-up as ratios to a bare Node start (src/bench/startup.ts).
 * `--json` prints one document for machines; `--rounds N` (default 3); `--sizes 1000,10000`;
 * `--startup-only` measures start-up alone (`--startup-rounds N`, default 21). `--peers` adds
 * the ns-3 peer and whole-process figures at 1k, 10k, 100k (`--peer-sizes`); `--peers-only`
 * measures only those (src/bench/peers.ts).
 */
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { measurePeers, peerLines, PEER_SIZES } from './peers.js';
import { measureStartup } from './startup.js';

type Row = Record<string, number | boolean | string>;

const WORKER = fileURLToPath(new URL('./worker.js', import.meta.url));
const args = process.argv.slice(2);
const json = args.includes('--json');
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const rounds = Number(option('--rounds') ?? 3);
const startupOnly = args.includes('--startup-only');
const startupRounds = Number(option('--startup-rounds') ?? 21);
const sizes = startupOnly ? [] : (option('--sizes') ?? '1000,10000,100000,1000000').split(',').map(Number);
const XSTATE_SIZES = sizes.filter((n) => n <= 10_000);

function measure(kind: string, n: number): Row {
  const out = execFileSync(process.execPath, ['--max-old-space-size=4096', WORKER, kind, String(n)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim()) as Row;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const num = (r: Row, k: string): number => Number(r[k]);

interface Round {
  tcpsim: Map<number, Row>;
  flat: Map<number, Row>;
  xstate: Map<number, Row>;
  java: Row;
}

/** `tcpsim --help 1.10× node -e 0 (goal ≤ 2×)`: the start-up lines of the report. */
function startupLines(figures: ReturnType<typeof measureStartup>): string[] {
  const ms = (x: number): string => `${Math.round(x)} ms`;
  return [
    `start-up (${figures.rounds} interleaved rounds, medians; node -e 0 takes ${ms(figures.nodeMs)}):`,
    `  tcpsim --help                      ${ms(figures.helpMs).padStart(7)}  ${figures.helpRatio.toFixed(2)}× node -e 0 (goal ≤ 2×)`,
    `  tcpsim run normal-close --quiet    ${ms(figures.runMs).padStart(7)}  ${figures.runRatio.toFixed(2)}× node -e 0 (goal ≤ 3×)`,
  ];
}

const peers = args.includes('--peers') || args.includes('--peers-only');
const peerSizes = (option('--peer-sizes') ?? PEER_SIZES.join(',')).split(',').map(Number);
const progress = (text: string): void => {
  if (!json) process.stderr.write(`\r\u001b[K${text}`);
};

if (args.includes('--peers-only')) {
  const rows = await measurePeers(peerSizes, rounds, progress);
  if (!json) process.stderr.write('\r\u001b[K');
  process.stdout.write(json ? `${JSON.stringify({ peers: rows }, null, 2)}\n` : `${peerLines(rows, rounds).join('\n')}\n`);
  process.exit(0);
}

if (startupOnly) {
  const figures = measureStartup(startupRounds);
  process.stdout.write(json ? `${JSON.stringify({ startup: figures }, null, 2)}\n` : `${startupLines(figures).join('\n')}\n`);
  process.exit(0);
}

const all: Round[] = [];
for (let round = 0; round < rounds; round++) {
  const r: Round = { tcpsim: new Map(), flat: new Map(), xstate: new Map(), java: {} };
  for (const n of sizes) {
    r.tcpsim.set(n, measure('tcpsim', n));
    r.flat.set(n, measure('flat', n));
    if (XSTATE_SIZES.includes(n)) r.xstate.set(n, measure('xstate', n));
    if (!json) process.stderr.write(`\r  round ${round + 1}/${rounds}: ${n.toLocaleString('en-US')} connections done   `);
  }
  r.java = measure('java', 0);
  all.push(r);
}
if (!json) process.stderr.write('\r\u001b[K');

const summary = sizes.map((n) => {
  const t = all.map((r) => r.tcpsim.get(n)!);
  const f = all.map((r) => r.flat.get(n)!);
  const x = XSTATE_SIZES.includes(n) ? all.map((r) => r.xstate.get(n)!) : [];
  const bytesPerConn = t.map((row) => (num(row, 'peakRssBytes') - num(row, 'rssBeforeBytes')) / num(row, 'connections'));
  return {
    connections: num(t[0]!, 'connections'),
    tcpsim: {
      wallMs: median(t.map((row) => num(row, 'wallMs'))),
      events: num(t[0]!, 'events'),
      eventsPerSec: median(t.map((row) => num(row, 'eventsPerSec'))),
      peakRssBytes: median(t.map((row) => num(row, 'peakRssBytes'))),
      bytesPerConnection: median(bytesPerConn),
      allClosed: t.every((row) => row['ok'] === true),
    },
    flatTable: { wallMs: median(f.map((row) => num(row, 'wallMs'))), eventsPerSec: median(f.map((row) => num(row, 'eventsPerSec'))) },
    xstate: x.length ? { wallMs: median(x.map((row) => num(row, 'wallMs'))), eventsPerSec: median(x.map((row) => num(row, 'eventsPerSec'))) } : null,
    // ratios within each round, then the median
    vsFlatTable: median(all.map((r) => num(r.tcpsim.get(n)!, 'eventsPerSec') / num(r.flat.get(n)!, 'eventsPerSec'))),
    vsXstate: x.length ? median(all.map((r) => num(r.tcpsim.get(n)!, 'eventsPerSec') / num(r.xstate.get(n)!, 'eventsPerSec'))) : null,
  };
});
const growth = sizes.slice(1).map((n, i) => ({
  from: sizes[i]!,
  to: n,
  wallRatio: median(all.map((r) => num(r.tcpsim.get(n)!, 'wallMs') / num(r.tcpsim.get(sizes[i]!)!, 'wallMs'))),
}));
const java = {
  virtualSeconds: num(all[0]!.java, 'virtualSeconds'),
  wallMs: median(all.map((r) => num(r.java, 'wallMs'))),
  events: num(all[0]!.java, 'events'),
};
const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryBytes: totalmem(), node: process.version, platform: `${process.platform} ${process.arch}` };

const startup = measureStartup(startupRounds);
const peerRows = peers ? await measurePeers(peerSizes, rounds, progress) : null;
if (peers && !json) process.stderr.write('\r\u001b[K');

if (json) {
  process.stdout.write(`${JSON.stringify({ machine, rounds, sizes: summary, growth, javaDemo: java, startup, ...(peerRows !== null ? { peers: peerRows } : {}) }, null, 2)}\n`);
} else {
  const f = (x: number, digits = 0): string => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const lines: string[] = [];
  lines.push(`tcpsim bench — ${machine.cpus} × ${machine.cpuModel}, ${f(machine.memoryBytes / 2 ** 30)} GiB, Node ${machine.node}, ${rounds} rounds, medians`);
  lines.push('');
  const head = ['connections', 'wall ms', 'events', 'events/s', 'peak RSS MB', 'B/conn', 'B events/s', '× B', 'A events/s', '× A', 'CLOSED'];
  const rows = summary.map((s) => [
    f(s.connections),
    f(s.tcpsim.wallMs),
    f(s.tcpsim.events),
    f(s.tcpsim.eventsPerSec),
    f(s.tcpsim.peakRssBytes / 2 ** 20),
    f(s.tcpsim.bytesPerConnection),
    f(s.flatTable.eventsPerSec),
    f(s.vsFlatTable, 2),
    s.xstate ? f(s.xstate.eventsPerSec) : '—',
    s.vsXstate !== null ? f(s.vsXstate, 1) : '—',
    s.tcpsim.allClosed ? 'yes' : 'NO',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padStart(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  lines.push(fmt(head));
  for (const r of rows) lines.push(fmt(r));
  lines.push('');
  lines.push(`growth of wall time: ${growth.map((g) => `${f(g.from)}→${f(g.to)} ×${f(g.wallRatio, 1)}`).join(', ')}`);
  lines.push(`article Java demo: ${f(java.virtualSeconds / 60)} virtual minutes in ${f(java.wallMs)} ms (${f(java.events)} events)`);
  lines.push('B = bare compiled flat table (no fds, programs, sequence numbers); A = xstate transition() per event.');
  lines.push('', ...startupLines(startup));
  if (peerRows !== null) lines.push('', ...peerLines(peerRows, rounds));
  process.stdout.write(`${lines.join('\n')}\n`);
}
