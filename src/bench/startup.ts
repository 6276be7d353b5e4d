/**
 * Start-up cost of the command line, as ratios to a bare `node -e 0` measured in the same run:
 * `tcpsim --help` (goal ≤ 2×) and `tcpsim run normal-close --quiet` (goal ≤ 3×). Each round runs
 * the three commands once, interleaved, so a busy machine slows all three alike; the ratios are
 * taken within each round, then the median.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The installed command line (package.json's bin). */
const TCPSIM = fileURLToPath(new URL('../bundle/tcpsim.js', import.meta.url));

/** What each start-up measurement runs, after `node`. */
export const STARTUP_COMMANDS = {
  node: ['-e', '0'],
  help: [TCPSIM, '--help'],
  run: [TCPSIM, 'run', 'normal-close', '--quiet'],
} as const;

/** Median wall times (ms) and median ratios to `node -e 0`. */
export interface StartupFigures {
  readonly rounds: number;
  readonly nodeMs: number;
  readonly helpMs: number;
  readonly runMs: number;
  readonly helpRatio: number;
  readonly runRatio: number;
}

function wallMs(args: readonly string[]): number {
  const started = performance.now();
  const out = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - started;
  if (out.status !== 0) throw new Error(`node ${args.join(' ')} exited ${String(out.status)}: ${out.stderr}`);
  return ms;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Runs `rounds` interleaved rounds (after one warm-up round that fills the file cache) and returns the medians. */
export function measureStartup(rounds: number): StartupFigures {
  wallMs(STARTUP_COMMANDS.node);
  wallMs(STARTUP_COMMANDS.help);
  wallMs(STARTUP_COMMANDS.run);
  const node: number[] = [];
  const help: number[] = [];
  const run: number[] = [];
  for (let i = 0; i < rounds; i++) {
    node.push(wallMs(STARTUP_COMMANDS.node));
    help.push(wallMs(STARTUP_COMMANDS.help));
    run.push(wallMs(STARTUP_COMMANDS.run));
  }
  return {
    rounds,
    nodeMs: median(node),
    helpMs: median(help),
    runMs: median(run),
    helpRatio: median(help.map((h, i) => h / node[i]!)),
    runRatio: median(run.map((r, i) => r / node[i]!)),
  };
}
