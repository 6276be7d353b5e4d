/**
 * `npm run bench -- --peers`: whole processes on the same workload, interleaved round by round —
 * the ns-3 peer (ns3Peer.ts), the user's path `tcpsim run bench-lifecycle --param connections=N
 * --json`, and baseline B (the bare flat table) as its own process. Prints ns-3 / tcpsim wall
 * and RSS ratios and tcpsim / B wall ratios, each taken within a round, then the median. At 10k
 * the peer also runs with a tenth of the client nodes, to show what sockets per node cost it.
 */
import { fileURLToPath } from 'node:url';
import { BENCH_CLIENT_HOSTS, BENCH_SCENARIO } from './measureTcpsim.js';
import { buildNs3Peer, measureNs3, ns3Missing, NS3_CONNECTIONS_PER_NODE, type Ns3Figures } from './ns3Peer.js';
import { runNode, type ProcessFigures } from './processFigures.js';

const TCPSIM = fileURLToPath(new URL('../bundle/tcpsim.js', import.meta.url));
const WORKER = fileURLToPath(new URL('./worker.js', import.meta.url));

/** Default sizes of the peer comparison. */
export const PEER_SIZES = [1000, 10_000, 100_000];

interface PeerRound {
  readonly ns3: Ns3Figures;
  readonly tcpsim: ProcessFigures;
  readonly flat: ProcessFigures;
  readonly ns3FewNodes: Ns3Figures | null;
}

/** One size's figures: medians over rounds. */
export interface PeerRow {
  readonly connections: number;
  readonly ns3: { wallMs: number; peakRssBytes: number; events: number; clientNodes: number; ok: boolean };
  readonly ns3FewNodes: { wallMs: number; clientNodes: number } | null;
  readonly tcpsim: { wallMs: number; peakRssBytes: number; ok: boolean };
  readonly flatWallMs: number;
  readonly ns3OverTcpsimWall: number;
  readonly ns3OverTcpsimRss: number;
  readonly tcpsimOverFlatWall: number;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Client nodes for the peer: about `perNode` connections each, a divisor of `connections`. */
function nodesFor(connections: number, perNode: number): number {
  let nodes = Math.max(1, Math.round(connections / perNode));
  while (connections % nodes !== 0) nodes--;
  return nodes;
}

/** The user's path, whole process; ok when every expectation of bench-lifecycle passed. */
async function runTcpsim(connections: number): Promise<ProcessFigures & { ok: boolean }> {
  const run = await runNode([TCPSIM, 'run', BENCH_SCENARIO, '--param', `connections=${connections}`, '--json']);
  return { ...run, ok: run.code === 0 };
}

/** Runs the comparison, or returns why it cannot (ns-3 missing). */
export async function measurePeers(sizes: readonly number[], rounds: number, progress: (text: string) => void): Promise<PeerRow[] | string> {
  const missing = ns3Missing();
  if (missing !== null) return missing;
  progress('  building the ns-3 peer …');
  const binary = buildNs3Peer();
  const bySize = new Map<number, PeerRound[]>();
  for (let round = 0; round < rounds; round++) {
    for (const n of sizes) {
      const connections = Math.max(1, Math.round(n / BENCH_CLIENT_HOSTS)) * BENCH_CLIENT_HOSTS;
      const nodes = nodesFor(connections, NS3_CONNECTIONS_PER_NODE);
      const ns3 = await measureNs3(binary, connections, nodes);
      const tcpsim = await runTcpsim(connections);
      const flat = await runNode([WORKER, 'flat', String(connections)]);
      const ns3FewNodes = n === 10_000 && nodes >= 10 ? await measureNs3(binary, connections, nodesFor(connections, NS3_CONNECTIONS_PER_NODE * 10)) : null;
      const list = bySize.get(n) ?? [];
      list.push({ ns3, tcpsim, flat, ns3FewNodes });
      bySize.set(n, list);
      progress(`  peers round ${round + 1}/${rounds}: ${n.toLocaleString('en-US')} connections done`);
    }
  }
  return sizes.map((n) => {
    const rs = bySize.get(n)!;
    const few = rs.map((r) => r.ns3FewNodes).filter((r): r is Ns3Figures => r !== null);
    return {
      connections: Math.max(1, Math.round(n / BENCH_CLIENT_HOSTS)) * BENCH_CLIENT_HOSTS,
      ns3: {
        wallMs: median(rs.map((r) => r.ns3.wallMs)),
        peakRssBytes: median(rs.map((r) => r.ns3.peakRssBytes)),
        events: rs[0]!.ns3.events,
        clientNodes: rs[0]!.ns3.clientNodes,
        ok: rs.every((r) => r.ns3.ok),
      },
      ns3FewNodes: few.length > 0 ? { wallMs: median(few.map((r) => r.wallMs)), clientNodes: few[0]!.clientNodes } : null,
      tcpsim: { wallMs: median(rs.map((r) => r.tcpsim.wallMs)), peakRssBytes: median(rs.map((r) => r.tcpsim.peakRssBytes)), ok: rs.every((r) => r.tcpsim.code === 0) },
      flatWallMs: median(rs.map((r) => r.flat.wallMs)),
      ns3OverTcpsimWall: median(rs.map((r) => r.ns3.wallMs / r.tcpsim.wallMs)),
      ns3OverTcpsimRss: median(rs.map((r) => r.ns3.peakRssBytes / r.tcpsim.peakRssBytes)),
      tcpsimOverFlatWall: median(rs.map((r) => r.tcpsim.wallMs / r.flat.wallMs)),
    };
  });
}

/** The peer section of the text report. */
export function peerLines(rows: readonly PeerRow[] | string, rounds: number): string[] {
  if (typeof rows === 'string') return [`peers: skipped — ${rows}`];
  const f = (x: number, digits = 0): string => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const mb = (b: number): string => f(b / 2 ** 20);
  const head = ['connections', 'ns-3 ms', 'ns-3 MB', 'ns-3 events', 'nodes', 'tcpsim ms', 'tcpsim MB', 'ns-3/tcpsim wall', 'ns-3/tcpsim RSS', 'B ms', 'tcpsim/B wall', 'ok'];
  const body = rows.map((r) => [
    f(r.connections),
    f(r.ns3.wallMs),
    mb(r.ns3.peakRssBytes),
    f(r.ns3.events),
    f(r.ns3.clientNodes),
    f(r.tcpsim.wallMs),
    mb(r.tcpsim.peakRssBytes),
    `${f(r.ns3OverTcpsimWall, 2)}×`,
    `${f(r.ns3OverTcpsimRss, 2)}×`,
    f(r.flatWallMs),
    `${f(r.tcpsimOverFlatWall, 2)}×`,
    r.ns3.ok && r.tcpsim.ok ? 'yes' : 'NO',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const fmt = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  const lines = [`peers — whole processes, ${rounds} rounds, ratios within each round then the median:`, fmt(head), ...body.map(fmt)];
  for (const r of rows) {
    if (r.ns3FewNodes === null) continue;
    const perNode = (nodes: number): string => f(r.connections / nodes);
    lines.push(
      `ns-3 sockets per node at ${f(r.connections)}: ${perNode(r.ns3.clientNodes)} per node ${f(r.ns3.wallMs)} ms, ` +
        `${perNode(r.ns3FewNodes.clientNodes)} per node (${f(r.ns3FewNodes.clientNodes)} nodes) ${f(r.ns3FewNodes.wallMs)} ms ` +
        '(each node demultiplexes over a list of its endpoints, TIME_WAIT ones included)',
    );
  }
  lines.push('ns-3 = Debian libns3-dev 3.37 (src/bench/peers/ns3Lifecycle.cc); tcpsim = tcpsim run bench-lifecycle --json; B = bare flat table, own process.');
  return lines;
}
