/**
 * Runs a scenario on real sockets: one program child per scenario process (node:net on
 * loopback, in a fresh namespace with `--netns`, under `prlimit --nofile` when the process has a
 * small fd limit), the scenario's sysctls and nft drop windows applied in the namespace, and the
 * kernel's TCP table read by one long-lived observer (tableObserver.ts) at every sample time. Returns
 * what was observed; comparing with the model is `crossCheck`'s job.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { createServer } from 'node:net';
import type { AcceptErrorAction, FaultSpec, Scenario, Step } from '../scenario/types.js';
import { assertSafeAddress } from './addressGuard.js';
import { RealModeError } from './realModeError.js';
import type { CleanupRegistry } from './cleanup.js';
import { commandArgv, startCommand, type CommandChild } from './commandChild.js';
import { connectionAnchors, type Anchors, type LearnedClient } from './connectionAnchors.js';
import { ConnectionWatch, type WatchedClient } from './connectionWatch.js';
import { countFds, inheritedFds } from './fdCount.js';
import { startLatenessProbe } from './latenessProbe.js';
import { SocketOwners } from './socketOwners.js';
import { createNetns, netnsSupport } from './netns.js';
import type { DropMatch } from './nftDrop.js';
import { openNftSession } from './nftSession.js';
import { findPython, posixServerScript } from './posixServer.js';
import { NFT_MIN_WINDOW_US, preciseFault, type TimedDrop } from './preciseFaults.js';
import { spawnRunChild } from './runChild.js';
import { runSyncQuiet } from './runCommand.js';
import type { RunnerMessage, RunnerSpec, RunnerTarget } from './runnerProtocol.js';
import { GO_PREFIX, specLine } from './runnerProtocol.js';
import { runnerScript } from './runnerScript.js';
import { nftTablePrefix, runTagFor } from './runTag.js';
import { rowTouchesPorts, type SocketRow } from './socketRow.js';
import { removeStaleRuns } from './staleRuns.js';
import { openTableObserver, type ReadLatency } from './tableObserver.js';
import { MODELLED_SYSCTLS, overridesFromSysctls } from '../model/sysctlProfile.js';
import { kernelSettings, settingText } from './kernelSettings.js';
import { modelSysctlsFrom, parseTunables, readSysctlTexts, TUNABLE_KEYS, writeSysctlInNetns, type TcpTunables } from './sysctl.js';
import { jiffiesAt, readKernelClock } from './kernelClock.js';
import { LINUX } from '../model/profile.js';

/** How to run. */
export interface RealRunOptions {
  /** Run in a fresh network namespace (root only; skipped with a note otherwise). */
  readonly netns?: boolean | undefined;
  /** Progress and notes for humans (stderr in the CLI). */
  readonly log?: ((line: string) => void) | undefined;
}

/** One observation of the kernel's table. Times are integer microseconds since t0. */
export interface RealSample {
  /** The scenario's sample time. */
  readonly t: number;
  /** When the read of the table started and ended: a row shows its socket at some instant between. */
  readonly start: number;
  readonly end: number;
  /** The middle of the read (where the model's histogram is taken). */
  readonly at: number;
  readonly rows: readonly SocketRow[];
  /** Open fds of each process run under prlimit, counted from outside (/proc/PID/fd). */
  readonly fds: Readonly<Record<string, number>>;
}

/** What each program child reported. */
export interface ProcessReport {
  readonly name: string;
  /** RLIMIT_NOFILE applied with prlimit, or null when the process ran with the inherited limit. */
  readonly limitedTo: number | null;
  /** What ran the program: Node (node:net, libuv), the POSIX-policy Python server, or the scenario's own command. */
  readonly runtime: 'node' | 'posix' | 'command';
  /** fds open after listening, before any connection (limited processes only). */
  readonly baselineFds: number | null;
  readonly accepted: number;
  /** When each connection was accepted, milliseconds since t0 (the child's clock). */
  readonly acceptedAt: readonly number[];
  /** Errors the program saw, by code (ECONNRESET, EPIPE, ECONNREFUSED, ...). */
  readonly errors: Readonly<Record<string, number>>;
  /** Each error and when the program saw it, milliseconds since t0. */
  readonly errorLog: readonly { readonly code: string; readonly at: number }[];
  /** How late the program's timers (sleeps, client starts, accept retries, a 10 ms heartbeat) fired at worst, ms. */
  readonly lateMs: number;
  /** End-of-stream events (the peer's FIN reached the program). */
  readonly eofs: number;
  /** close() steps issued as resetAndDestroy() because Node held unconsumed bytes. */
  readonly resetsOnClose: number;
  /** Client connections (model `conn`) that saw the peer close: ECONNRESET or end-of-stream. */
  readonly peerClosed: readonly number[];
  readonly fatal: readonly string[];
}

/** Everything a real run observed. */
export interface RealRun {
  /** The scenario as run: real ports, faults only when they could be applied. */
  readonly scenario: Scenario;
  readonly netns: string | null;
  readonly tunables: TcpTunables;
  /** Every sysctl the model follows, as the run's kernel had it (model/sysctlProfile.ts). */
  readonly modelSysctls: Readonly<Record<string, number>>;
  /** What the observer read, how long its reads took, and how late the latest-starting read began (ms). */
  readonly observer: { readonly source: string; readonly latency: ReadLatency; readonly lateMs: number };
  /** Local endpoint of each client connection, by connection number (the model's `conn`). */
  readonly connections: ReadonlyMap<number, { readonly address: string; readonly port: number }>;
  /**
   * When the model starts each connection of a command client (µs since t0), learned from the
   * kernel's table (connectionAnchors.ts); connections of built-in clients start on the
   * scenario's schedule and are not in it.
   */
  readonly connectionStarts: ReadonlyMap<number, number>;
  /**
   * When each built-in client connection had issued connect() (µs since t0, from the runner's
   * report in whole ms); absent for a run put together from parts (tests).
   */
  readonly connectIssuedAt?: ReadonlyMap<number, number>;
  /** How the connections of command clients were tied to the model's, or null when there are none. */
  readonly anchors: Anchors | null;
  /** Reads of the table made to learn the command clients' connections (besides the samples'). */
  readonly watchReads: number;
  readonly samples: readonly RealSample[];
  readonly processes: readonly ProcessReport[];
  /** Things that differ from the scenario as written, and checks skipped, in plain words. */
  readonly notes: readonly string[];
  /** Wall-clock milliseconds of the run. */
  readonly wallMs: number;
  /** The kernel's jiffies count at t0 (kernelClock.ts), or null when it could not be read. */
  readonly wheelOrigin: number | null;
}

export { RealModeError } from './realModeError.js';

const DROP_MATCH: Readonly<Record<FaultSpec['match'], DropMatch | undefined>> = { any: 'any', fin: 'fin', syn: 'syn', rst: 'rst', data: undefined };

/** Refuses a scenario naming any address that is not loopback (hosts and explicit connect targets). */
export function checkScenarioAddresses(scenario: Scenario): void {
  for (const host of scenario.hosts) assertSafeAddress(host.address, { purpose: `scenario host "${host.name}"` });
  for (const p of scenario.processes) {
    for (const step of [...(p.server?.steps ?? []), ...(p.client?.steps ?? [])]) {
      if (step.op === 'connect' && 'address' in step.to) assertSafeAddress(step.to.address, { purpose: `connect step of process "${p.name}"` });
    }
  }
}

/** The nice value of a run's programs and observer, when this process may raise its priority (root). */
export const RUN_NICE = -10;

/** How long a command server may take to show its listener (a JVM on a loaded machine takes seconds). */
const COMMAND_LISTEN_MS = 30_000;

/** A process whose nofile is below this (the usual default soft limit) runs under prlimit. */
export const SMALL_NOFILE = 1024;

function softNofileLimit(): number {
  const line = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
  return line?.[1] === undefined || line[1] === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(line[1]);
}

function portIsFree(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ host: address, port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

function freePort(address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ host: address, port: 0 }, () => {
      const bound = probe.address();
      probe.close(() => (typeof bound === 'object' && bound !== null ? resolve(bound.port) : reject(new Error('no free port'))));
    });
  });
}

function sleepUntil(epochMs: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new RealModeError('run aborted'));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new RealModeError('run aborted'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, epochMs - Date.now()));
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The posix server's argument for what it does when accept() fails: microseconds to wait, `never` (stop) or `exit`. */
function acceptErrorArgument(action: AcceptErrorAction | undefined): string {
  if (action === undefined || action.kind === 'stop') return 'never';
  return action.kind === 'exit' ? 'exit' : String(action.after);
}

/** Sample times of a scenario (every `every` up to and including `until`), microseconds. */
export function sampleTimes(scenario: Scenario): number[] {
  const { every, until } = scenario.sample;
  const times: number[] = [];
  for (let t = 0; t <= until; t += every) times.push(t);
  if (times[times.length - 1] !== until) times.push(until);
  return times;
}

interface Child {
  readonly name: string;
  readonly child: ChildProcess;
  readonly limitedTo: number | null;
  readonly runtime: 'node' | 'posix';
  baselineFds: number | null;
  listeningPort: number | null;
  ready: boolean;
  accepted: number;
  readonly acceptedAt: number[];
  readonly errorLog: { code: string; at: number }[];
  lateMs: number;
  eofs: number;
  resetsOnClose: number;
  readonly peerClosed: Set<number>;
  readonly errors: Record<string, number>;
  readonly fatal: string[];
  readonly waiters: (() => void)[];
}

/** Runs `scenario` on real sockets; every resource it makes is registered with `registry`. */
export async function realRun(scenario: Scenario, registry: CleanupRegistry, options: RealRunOptions = {}): Promise<RealRun> {
  const started = Date.now();
  const log = options.log ?? ((): void => undefined);
  if (process.platform !== 'linux') throw new RealModeError(`real mode needs Linux (ss, /proc/net/tcp); this is ${process.platform}`);
  checkScenarioAddresses(scenario);
  const notes: string[] = [];
  const runTag = runTagFor();
  // As root, the programs (which inherit it) and the observer run at nice -10: they sleep most
  // of the time, and on a loaded machine a woken timer otherwise waits behind busy processes.
  const priority = getPriority();
  try {
    setPriority(RUN_NICE);
    registry.add(`scheduling priority ${RUN_NICE}`, () => setPriority(priority));
  } catch {
    notes.push(`programs and observer at normal priority (nice ${RUN_NICE} needs root): on a loaded machine they may run late`);
  }
  // what runs killed before their cleanup left (namespaces, nft tables, processes of dead pids)
  const stale = await removeStaleRuns();
  for (const line of stale.removed) notes.push(`removed what an earlier run left behind: ${line}`);
  for (const line of stale.failed) notes.push(`could not remove what an earlier run left behind: ${line}`);

  let netns: string | null = null;
  if (options.netns === true) {
    const support = netnsSupport();
    if (support.ok) netns = (await createNetns(registry)).name;
    else notes.push(`--netns ${support.reason}; running in the host namespace`);
  }
  // the scenario's sysctls and the profile fields a sysctl decides (kernelSettings.ts)
  const settings = kernelSettings(scenario);
  if (settings.length > 0 && netns !== null) {
    for (const s of settings) await writeSysctlInNetns(netns, s.sysctl, s.value);
    notes.push(`set in namespace ${netns}: ${settings.map(settingText).join(', ')}`);
  } else if (settings.length > 0) {
    notes.push(`skipped: ${settings.map(settingText).join(', ')} (set only in a namespace: use --netns as root); the kernel and the model both run with this host's values`);
  }
  let faults = scenario.faults;
  if (faults.length > 0 && netns === null) {
    notes.push(`skipped: ${faults.length} fault window(s) (nftables drops need --netns as root); the model runs without them`);
    faults = [];
  } else if (faults.length > 0 && runSyncQuiet(['nft', '--version']).code !== 0) {
    notes.push(`skipped: ${faults.length} fault window(s) (nftables drops need nft, which is not installed); the model runs without them`);
    faults = [];
  }
  const unsupported = faults.filter((f) => DROP_MATCH[f.match] === undefined);
  if (unsupported.length > 0) {
    notes.push(`skipped: fault match "data" has no nftables rule here; the model runs without those windows`);
    faults = faults.filter((f) => DROP_MATCH[f.match] !== undefined);
  }
  const sysctlTexts = await readSysctlTexts([...Object.values(TUNABLE_KEYS), ...MODELLED_SYSCTLS.map((r) => r.sysctl)], netns ?? undefined);
  const tunables = parseTunables(sysctlTexts);
  const modelSysctls = modelSysctlsFrom(sysctlTexts);

  // Ports: the scenario's, or a free one when busy (only the host namespace can be busy).
  const hostAddress = new Map(scenario.hosts.map((h) => [h.name, h.address] as const));
  const portMap = new Map<number, number>();
  for (const p of scenario.processes) {
    if (p.server === undefined) continue;
    const address = hostAddress.get(p.host) ?? '127.0.0.1';
    let port = p.server.port;
    if (netns === null && p.command !== undefined && !(await portIsFree(p.server.address ?? address, port))) {
      throw new RealModeError(`port ${port} of ${p.name} is busy on ${p.server.address ?? address}, and a command's port cannot be moved (it is in its own arguments): run with --netns (a fresh namespace), or free the port`);
    }
    if (netns === null && !(await portIsFree(address, port))) {
      port = await freePort(address);
      notes.push(`port ${p.server.port} of ${p.name} is busy on ${address}; using ${port} instead (the model uses it too)`);
    }
    portMap.set(p.server.port, port);
  }
  const realPort = (port: number): number => portMap.get(port) ?? port;
  const softLimit = Math.min(softNofileLimit(), SMALL_NOFILE);
  const totalConnections = scenario.processes.reduce((n, p) => n + (p.client?.connections ?? 0), 0);
  // A POSIX-policy server (C, Java, Go: accept() fails with EMFILE, the connection stays queued)
  // whose fd limit matters runs as the Python server under prlimit: Node would answer EMFILE with
  // uv__emfile_trick, a different program. When the limit cannot be reached the policy is moot.
  const posix = new Set(
    scenario.processes
      .filter((p) => p.command === undefined && p.server !== undefined && p.acceptPolicy === 'posix' && (p.nofile < softLimit || totalConnections >= p.nofile - p.baselineFds - 1))
      .map((p) => p.name),
  );
  const python = posix.size > 0 ? findPython() : null;
  if (posix.size > 0 && python === null) {
    throw new RealModeError(
      `process ${[...posix].join(', ')}: a posix-policy server whose fd limit can be reached runs as a Python program under prlimit (Node's libuv would close connections at EMFILE instead of leaving them queued), and python3 is not installed`,
    );
  }
  const limited = new Set(scenario.processes.filter((p) => p.command === undefined && (p.nofile < softLimit || posix.has(p.name))).map((p) => p.name));
  for (const p of scenario.processes) {
    if (p.command !== undefined) continue;
    // said only of servers written as fd-limited ones (a baseline or an accept retry set)
    const fdLimited = p.server !== undefined && (p.server.onAcceptError.kind === 'retry' || p.baselineFds !== 3);
    if (fdLimited && p.acceptPolicy === 'posix' && !posix.has(p.name) && p.nofile >= softLimit) {
      notes.push(
        `${p.name}: posix accept policy, but ${totalConnections} connection(s) cannot reach its fd limit ${p.nofile} (baseline ${p.baselineFds}): runs as a Node server without prlimit; the policy does not matter`,
      );
    }
  }
  const asRun: Scenario = {
    ...scenario,
    faults: faults.map((f) => (f.port === undefined ? f : { ...f, port: realPort(f.port) })),
    processes: scenario.processes.map((p) => {
      const retarget = (steps: readonly Step[]): Step[] =>
        steps.map((s) => (s.op === 'connect' && 'address' in s.to ? { ...s, to: { address: s.to.address, port: realPort(s.to.port) } } : s));
      return {
        ...p,
        ...(limited.has(p.name) && !posix.has(p.name) ? { acceptPolicy: 'libuv' as const } : {}),
        ...(p.server === undefined ? {} : { server: { ...p.server, port: realPort(p.server.port), steps: retarget(p.server.steps) } }),
        ...(p.client === undefined ? {} : { client: { ...p.client, steps: retarget(p.client.steps) } }),
      };
    }),
  };
  for (const name of posix) {
    const p = scenario.processes.find((q) => q.name === name);
    if (p !== undefined) {
      notes.push(
        `${name} (posix accept policy) runs as a Python server under prlimit --nofile=${p.nofile}, its fd table padded to the scenario's ${p.baselineFds} baseline fds: accept() fails with EMFILE and the connection stays queued, as in C, Java or Go`,
      );
    }
  }
  for (const name of limited) {
    if (posix.has(name)) continue;
    const p = asRun.processes.find((q) => q.name === name);
    if (p !== undefined && scenario.processes.find((q) => q.name === name)?.acceptPolicy !== 'libuv' && p.server !== undefined) {
      notes.push(`${name} runs as a Node child under prlimit --nofile=${p.nofile}: the model uses the libuv accept policy for it`);
    }
  }

  // Narrow fault windows become precise rules derived from the model's drops (see preciseFaults).
  const timedDrops: TimedDrop[] = [];
  asRun.faults.forEach((fault, i) => {
    const window = fault.until - fault.from;
    if (window >= NFT_MIN_WINDOW_US || fault.drop < 1) {
      const match = DROP_MATCH[fault.match] ?? 'any';
      timedDrops.push({ from: fault.from, until: fault.until, what: `${fault.match}`, rule: { match, port: fault.port, percent: Math.max(1, Math.min(100, Math.round(fault.drop * 100))) } });
      return;
    }
    const precise = preciseFault(asRun, i, overridesFromSysctls(modelSysctls));
    const span = `${fault.from / 1000}–${fault.until / 1000} ms`;
    if (!precise.ok) {
      throw new RealModeError(`fault window ${i + 1} (${span}, ${window / 1000} ms) is too narrow for nftables to hit on time, and cannot be made precise: ${precise.reason}`);
    }
    for (const d of precise.drops) {
      timedDrops.push(d);
      notes.push(
        `fault window ${i + 1} (${span}) is too narrow for nftables; the model drops ${d.what} in it, so the kernel drops exactly one of those, the first from ${(d.from / 1000).toFixed(1)} to ${(d.until / 1000).toFixed(1)} ms (no other such segment in that span in the model)`,
      );
    }
    if (precise.drops.length === 0) notes.push(`fault window ${i + 1} (${span}) drops nothing in the model; no rule applied`);
  });

  const targets: Record<string, RunnerTarget> = {};
  for (const p of asRun.processes) if (p.server) targets[p.name] = { address: hostAddress.get(p.host) ?? '127.0.0.1', port: p.server.port };
  const ports = [...new Set([...portMap.values()])];
  // tcp6 too when a command runs: a program may listen dual-stack (Java's ServerSocket binds ::)
  const ipv6 = scenario.hosts.some((h) => h.address.includes(':')) || scenario.processes.some((p) => p.command !== undefined);
  // opened before the programs start: a command server is ready when the kernel shows its listener
  const observer = await openTableObserver(registry, { netns, runTag, ipv6 });
  const script = await runnerScript(registry);
  const children: Child[] = [];
  const connections = new Map<number, { address: string; port: number }>();
  const connectIssuedAt = new Map<number, number>();
  const firstConnOf = new Map<string, number>();
  let conns = 0;
  for (const p of asRun.processes) {
    firstConnOf.set(p.name, conns);
    conns += p.client?.connections ?? 0;
  }
  for (const p of asRun.processes) {
    if (p.command !== undefined) continue;
    const firstConn = firstConnOf.get(p.name) ?? 0;
    const spec: RunnerSpec = {
      process: p.name,
      address: hostAddress.get(p.host) ?? '127.0.0.1',
      ...(p.server === undefined ? {} : { server: { port: p.server.port, backlog: p.server.backlog, workers: p.server.workers, steps: p.server.steps } }),
      ...(p.client === undefined
        ? {}
        : { client: { connections: p.client.connections, firstConn, start: p.client.start, ramp: p.client.ramp, steps: p.client.steps } }),
      targets,
    };
    const limit = limited.has(p.name) ? p.nofile : null;
    const runtime = posix.has(p.name) ? ('posix' as const) : ('node' as const);
    const program: [string, ...string[]] =
      runtime === 'posix' && python !== null
        ? [python, '-I', posixServerScript(registry), String(p.baselineFds), acceptErrorArgument(p.server?.onAcceptError)]
        : [process.execPath, script];
    const argv: [string, ...string[]] = limit === null ? program : ['prlimit', `--nofile=${limit}:${limit}`, ...program];
    const child = spawnRunChild(registry, argv, { runTag, netns: netns ?? undefined, stdio: ['pipe', 'pipe', 'pipe'] });
    const entry: Child = {
      name: p.name,
      child,
      limitedTo: limit,
      runtime,
      baselineFds: null,
      listeningPort: null,
      ready: false,
      accepted: 0,
      acceptedAt: [],
      errorLog: [],
      lateMs: 0,
      eofs: 0,
      resetsOnClose: 0,
      peerClosed: new Set(),
      errors: {},
      fatal: [],
      waiters: [],
    };
    children.push(entry);
    let buffer = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.trim() === '') continue;
        onMessage(entry, JSON.parse(line) as RunnerMessage);
      }
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code, signal) => {
      if (code !== 0 && signal === null) entry.fatal.push(`exited with ${String(code)}: ${stderr.trim()}`);
      entry.waiters.splice(0).forEach((w) => w());
    });
    child.stdin?.on('error', () => undefined);
    // the spec goes on stdin, not argv: one argument is at most 128 KiB (E2BIG beyond)
    child.stdin?.write(specLine(spec));
  }
  function onMessage(entry: Child, message: RunnerMessage): void {
    switch (message.ev) {
      case 'listening':
        entry.listeningPort = message.port;
        entry.ready = true;
        break;
      case 'ready':
        entry.ready = true;
        break;
      case 'connecting':
      case 'connected':
        connections.set(message.conn, { address: message.localAddress, port: message.localPort });
        if (!connectIssuedAt.has(message.conn)) connectIssuedAt.set(message.conn, message.at * 1000);
        break;
      case 'accepted':
        entry.accepted++;
        entry.acceptedAt.push(message.at);
        break;
      case 'error':
        entry.errors[message.code] = (entry.errors[message.code] ?? 0) + 1;
        entry.errorLog.push({ code: message.code, at: message.at });
        if (message.code === 'ECONNRESET' && message.conn !== null) entry.peerClosed.add(message.conn);
        break;
      case 'eof':
        entry.eofs++;
        if (message.conn !== null) entry.peerClosed.add(message.conn);
        break;
      case 'reset-on-close':
        entry.resetsOnClose++;
        break;
      case 'fatal':
        entry.fatal.push(message.message);
        break;
      case 'late':
        entry.lateMs = Math.max(entry.lateMs, message.ms);
        break;
      case 'done':
        break;
    }
    entry.waiters.splice(0).forEach((w) => w());
  }

  // Commands: servers start now (they must listen before t0), clients at their start after t0.
  const inherited = inheritedFds();
  const commands: { readonly spec: (typeof asRun.processes)[number]; child: CommandChild | null; baselineFds: number | null; fatal: string | null }[] = asRun.processes
    .filter((p) => p.command !== undefined)
    .map((spec) => ({ spec, child: null, baselineFds: null, fatal: null }));
  for (const entry of commands) {
    const command = entry.spec.command;
    if (entry.spec.server === undefined || command === undefined) continue;
    entry.child = startCommand(registry, entry.spec.name, command, entry.spec.nofile, { runTag, netns });
    notes.push(`${entry.spec.name} runs its command: ${commandArgv(command, entry.spec.nofile).join(' ')} (in ${command.cwd})`);
  }

  // Wait until every server listens and every client is ready.
  const readyBy = Date.now() + 10_000;
  for (const entry of children) {
    while (!entry.ready) {
      if (entry.fatal.length > 0 || entry.child.exitCode !== null) throw new RealModeError(`program ${entry.name}: ${entry.fatal.join('; ') || 'exited before it was ready'}`);
      if (Date.now() > readyBy) throw new RealModeError(`program ${entry.name} did not start within 10 s`);
      await new Promise<void>((resolve) => {
        entry.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }
  // A command server is ready when the kernel shows its listener (a JVM takes a second or more to start).
  const listenBy = Date.now() + COMMAND_LISTEN_MS;
  for (const entry of commands) {
    const child = entry.child;
    const port = entry.spec.server?.port;
    if (child === null || port === undefined) continue;
    for (;;) {
      if (observer.read().rows.some((row) => row.state === 'LISTEN' && row.local.port === port)) break;
      const end = child.ended();
      if (end !== null) throw new RealModeError(`program ${entry.spec.name} (${entry.spec.command?.argv.join(' ') ?? ''}) ${end} before it listened on port ${port}${child.output() === '' ? '' : `:\n${child.output()}`}`);
      if (Date.now() > listenBy) throw new RealModeError(`program ${entry.spec.name} did not listen on port ${port} within ${COMMAND_LISTEN_MS / 1000} s${child.output() === '' ? '' : `:\n${child.output()}`}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    entry.baselineFds = countFds(child.pid, entry.spec.nofile, inherited);
  }
  for (const entry of children) {
    const pid = entry.child.pid;
    // only fds numbered below the limit use a slot: one inherited at a high number (a shell's fd
    // 251, say) is open but does not bring EMFILE closer
    if (entry.limitedTo !== null && pid !== undefined) entry.baselineFds = countFds(pid, entry.limitedTo);
  }
  const nft = netns !== null && timedDrops.length > 0 ? openNftSession(registry, netns, runTag) : null;
  const kernelClock = readKernelClock(LINUX.hz ?? 250);
  const clockPair = { epochMs: Date.now(), monotonicNs: Number(process.hrtime.bigint()) };
  const t0 = Date.now() + 150;
  // the kernel's tick count at t0, so the model's timer wheel puts its buckets where the kernel's are
  const wheelOrigin = kernelClock === undefined ? null : jiffiesAt(kernelClock, t0, clockPair);
  if (wheelOrigin === null) notes.push("/proc/timer_list not readable (root only): the model's timer wheel takes its phase from the seed, so timer expiries may differ by up to a wheel bucket");
  for (const entry of children) entry.child.stdin?.write(`${GO_PREFIX}${t0}\n`);
  log(`real run started: ${children.length + commands.length} program(s), ports ${ports.join(', ')}${netns === null ? '' : `, namespace ${netns}`}`);

  // a command cannot say how late it ran: a probe at the same priority tells how late programs woke up
  const probe = commands.length === 0 ? null : startLatenessProbe(registry, { runTag, netns });
  // Command clients start at their time; their connections are learned from frequent reads.
  // a client that declares no connections does nothing in the model: its program is not started either
  const commandClients = commands.filter((c) => c.spec.client !== undefined && c.spec.client.connections > 0 && c.spec.command !== undefined);
  for (const c of commands) if (c.spec.client?.connections === 0) notes.push(`${c.spec.name} declares no connections: its command is not started`);
  const owners = new SocketOwners(() => commandClients.flatMap((c) => (c.child === null ? [] : [{ name: c.spec.name, pid: c.child.pid }])));
  // every client counts towards "all accepted": the table shows built-in clients' connections too
  const watched: WatchedClient[] = asRun.processes.flatMap((p) =>
    p.client === undefined || p.client.connections === 0 ? [] : [{ name: p.name, startMs: t0 + p.client.start / 1000, connections: p.client.connections }],
  );
  const watch = commandClients.length === 0 ? null : new ConnectionWatch(observer, owners, watched, t0, new Set(ports));
  registry.add('connection watch', () => watch?.stop());
  const clientStarts = commandClients.map(async (entry) => {
    const command = entry.spec.command;
    if (command === undefined) return;
    await sleepUntil(t0 + (entry.spec.client?.start ?? 0) / 1000, registry.signal);
    try {
      entry.child = startCommand(registry, entry.spec.name, command, entry.spec.nofile, { runTag, netns });
      notes.push(`${entry.spec.name} runs its command: ${commandArgv(command, entry.spec.nofile).join(' ')} (in ${command.cwd})`);
    } catch (error) {
      entry.fatal = error instanceof Error ? error.message : String(error);
    }
  });
  const clientsStarted = Promise.all(clientStarts);
  clientsStarted.catch(() => undefined);
  watch?.start();

  // Fault windows as nft drop tables on the input hook of the namespace, through one nft -i.
  const tablePrefix = nftTablePrefix(runTag);
  const faultWork = timedDrops.map(async (drop, i) => {
    if (nft === null) return;
    const table = `${tablePrefix}_${i}`;
    await sleepUntil(t0 + drop.from / 1000, registry.signal);
    nft.add(table, [drop.rule]);
    await sleepUntil(t0 + drop.until / 1000, registry.signal);
    nft.remove(table);
  });
  const faultsDone = Promise.all(faultWork);
  faultsDone.catch(() => undefined);

  const portSet = new Set(ports);
  const samples: RealSample[] = [];
  let readLateMs = 0;
  for (const t of sampleTimes(asRun)) {
    await sleepUntil(t0 + t / 1000, registry.signal);
    const read = observer.read();
    readLateMs = Math.max(readLateMs, read.startMs - (t0 + t / 1000));
    watch?.feed(read);
    const fds: Record<string, number> = {};
    for (const entry of commands) {
      if (entry.child === null || entry.child.ended() !== null) continue;
      try {
        fds[entry.spec.name] = countFds(entry.child.pid, entry.spec.nofile, inherited);
      } catch {
        // exited between the check and the read
      }
    }
    for (const entry of children) {
      const pid = entry.child.pid;
      if (entry.limitedTo !== null && pid !== undefined && entry.child.exitCode === null) {
        try {
          fds[entry.name] = countFds(pid, entry.limitedTo);
        } catch {
          // exited between the check and the read
        }
      }
    }
    const start = Math.round((read.startMs - t0) * 1000);
    const end = Math.round((read.endMs - t0) * 1000);
    samples.push({ t, start, end, at: Math.round((start + end) / 2), rows: read.rows.filter((row) => rowTouchesPorts(row, portSet)), fds });
  }
  // let the children's last messages (an error seen just before the last read) reach us
  await new Promise((resolve) => setTimeout(resolve, 20));
  watch?.stop();
  // the model's conn i is the i-th connection the kernel had accepted, started a little before
  // (3 one-way latencies: its handshake completes and its server accepts it at that instant)
  const learnedClients: LearnedClient[] = commandClients.map((c) => ({ name: c.spec.name, firstConn: firstConnOf.get(c.spec.name) ?? 0, connections: c.spec.client?.connections ?? 0 }));
  const anchors = watch === null ? null : connectionAnchors(watch.learner.connections(), learnedClients, 3 * asRun.network.latency + 100);
  const connectionStarts = new Map<number, number>();
  for (const a of anchors?.anchors ?? []) {
    connections.set(a.conn, { address: a.address, port: a.port });
    connectionStarts.set(a.conn, a.start);
  }
  for (const summary of anchors?.summaries ?? []) {
    if (summary.missing > 0) notes.push(`${summary.process}: the kernel showed ${summary.learned} of its ${summary.declared} connections; the model starts the other ${summary.missing} on the scenario's schedule`);
    if (summary.extra > 0) notes.push(`${summary.process}: the kernel showed ${summary.extra} connection(s) beyond the ${summary.declared} the scenario declares; not compared`);
  }
  for (const entry of commands) {
    if (entry.fatal !== null) notes.push(`program errors: ${entry.spec.name}: ${entry.fatal}`);
    const end = entry.child?.ended() ?? null;
    if (end !== null) notes.push(`${entry.spec.name} ${end} during the run${entry.child?.output() ? `; its last output: ${entry.child.output().split('\n').slice(-3).join(' | ')}` : ''}`);
  }
  const nftErrors = nft === null ? '' : nft.errors;
  if (nftErrors !== '') throw new RealModeError(`nft refused a fault window's rule in ${netns ?? ''}: ${nftErrors}`);
  const fatal = children.flatMap((c) => c.fatal.map((f) => `${c.name}: ${f}`));
  const order = asRun.processes.map((p) => p.name);
  if (fatal.length > 0) notes.push(`program errors: ${fatal.join('; ')}`);
  return {
    scenario: asRun,
    netns,
    tunables,
    modelSysctls,
    observer: { source: observer.source, latency: observer.latency(), lateMs: Math.round(readLateMs * 10) / 10 },
    connections,
    connectIssuedAt,
    connectionStarts,
    anchors,
    watchReads: watch?.watchReads ?? 0,
    samples,
    processes: [
      ...children.map((c) => ({
      name: c.name,
      limitedTo: c.limitedTo,
      runtime: c.runtime,
      baselineFds: c.baselineFds,
      accepted: c.accepted,
      acceptedAt: [...c.acceptedAt],
      errors: { ...c.errors },
      errorLog: [...c.errorLog],
      lateMs: c.lateMs,
      eofs: c.eofs,
      resetsOnClose: c.resetsOnClose,
      peerClosed: [...c.peerClosed].sort((a, b) => a - b),
      fatal: [...c.fatal],
    })),
      ...commands.map((c): ProcessReport => ({
        name: c.spec.name,
        limitedTo: c.spec.nofile,
        runtime: 'command',
        baselineFds: c.baselineFds,
        accepted: 0,
        acceptedAt: [],
        errors: {},
        errorLog: [],
        lateMs: probe?.worstMs() ?? 0,
        eofs: 0,
        resetsOnClose: 0,
        peerClosed: [],
        fatal: c.fatal === null ? [] : [c.fatal],
      })),
    ].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name)),
    notes,
    wallMs: Date.now() - started,
    wheelOrigin,
  };
}
