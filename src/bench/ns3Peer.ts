/**
 * The ns-3 peer of the benchmark (`npm run bench -- --peers`): src/bench/peers/ns3Lifecycle.cc,
 * built with g++ against Debian's libns3-dev (3.37) and run as its own process on the same
 * workload as bench-lifecycle. Debian's ns3-*.pc files are broken, so the libraries are named
 * directly. The binary is cached in the temporary directory under a hash of its source.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProcess, type ProcessFigures } from './processFigures.js';

const SOURCE = fileURLToPath(new URL('../../src/bench/peers/ns3Lifecycle.cc', import.meta.url));
const NS3_HEADER = '/usr/include/ns3/core-module.h';
const NS3_LIBS = ['ns3-core', 'ns3-network', 'ns3-internet', 'ns3-point-to-point', 'ns3-traffic-control', 'ns3-applications'];

/** Connections per client node by default (the 100k run: 400 nodes). */
export const NS3_CONNECTIONS_PER_NODE = 250;

/** Why the peer cannot run here, or null when it can. */
export function ns3Missing(): string | null {
  if (!existsSync(NS3_HEADER)) return `ns-3 is not installed (${NS3_HEADER} missing; apt-get install libns3-dev)`;
  if (spawnSync('g++', ['--version'], { stdio: 'ignore' }).status !== 0) return 'g++ is not installed';
  if (!existsSync(SOURCE)) return `the peer's source is missing (${SOURCE})`;
  return null;
}

/** Builds the peer once per source version; returns the binary's path. */
export function buildNs3Peer(): string {
  const source = readFileSync(SOURCE);
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 12);
  const dir = join(tmpdir(), 'tcpsim-bench');
  const binary = join(dir, `ns3Lifecycle-${hash}`);
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  const out = spawnSync('g++', ['-O2', '-std=c++17', '-o', binary, SOURCE, ...NS3_LIBS.map((l) => `-l${l}`)], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`bench: building the ns-3 peer failed:\n${out.stderr}`);
  return binary;
}

/** What one ns-3 run reports (its own JSON line), with the whole process's wall time and peak RSS. */
export interface Ns3Figures extends ProcessFigures {
  readonly clientNodes: number;
  readonly events: number;
  readonly ok: boolean;
}

/** Runs the peer with `connections` over `clientNodes` client nodes. */
export async function measureNs3(binary: string, connections: number, clientNodes: number): Promise<Ns3Figures> {
  const run = await runProcess(binary, [String(connections), String(clientNodes)]);
  if (run.stdout.trim() === '') throw new Error(`bench: the ns-3 peer printed nothing (exit ${String(run.code)}):\n${run.stderr}`);
  const line = JSON.parse(run.stdout.trim()) as { events: number; ok: boolean; peakRssBytes: number };
  return { ...run, peakRssBytes: line.peakRssBytes, clientNodes, events: line.events, ok: line.ok && run.code === 0 };
}
