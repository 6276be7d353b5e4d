/**
 * The model's side of a real run: the same scenario (as run: real ports, applied faults) on the
 * linux profile parameterised with the run's sysctls, each client connection forced onto the
 * local port the kernel chose, sampled at the instants the kernel's table was actually read,
 * then run on past the end so every pending kernel timer's expiry is known.
 */
import type { Profile } from '../model/profile.js';
import { overridesFromSysctls } from '../model/sysctlProfile.js';
import type { TcpState } from '../model/states.js';
import type { Scenario } from '../scenario/types.js';
import { startPrograms } from '../sim/programs.js';
import { buildWorld } from '../sim/simulate.js';
import type { Errno } from '../sim/trace.js';
import type { RealRun } from './realRun.js';
import { socketKey } from './socketKey.js';

/** A state change of one model socket. */
export interface ModelTransition {
  /** Microseconds since t0. */
  readonly at: number;
  readonly from: TcpState;
  readonly to: TcpState;
  /** The timer that caused it (`twoMsl`, `finWait2`, `finRto`, ...), or null. */
  readonly timer: string | null;
  /** The socket did not exist before this transition (the first one it made). */
  readonly first: boolean;
  /**
   * How late the kernel may make it, microseconds: an eighth of the kernel timer behind it (the
   * timer wheel's granularity; a retransmitted segment's timer is the time since its previous
   * transmission, and the kernel's RTO is a few ms above the model's), for a transition made by
   * TIME_WAIT's or FIN_WAIT_2's timer, or on a connection after a retransmission.
   */
  readonly slack: number;
}

/** The model's socket table at one real sample. */
export interface ModelSnapshot {
  readonly at: number;
  readonly states: ReadonlyMap<string, TcpState>;
  readonly fds: Readonly<Record<string, number>>;
}

/** Everything the comparison needs from the model. */
export interface ModelReplay {
  readonly scenario: Scenario;
  readonly profile: Profile;
  readonly snapshots: readonly ModelSnapshot[];
  readonly transitions: ReadonlyMap<string, readonly ModelTransition[]>;
  /** When the program closed each socket (its fd went away; an orphan's FIN_WAIT_2 timer starts no earlier). */
  readonly closedAt: ReadonlyMap<string, number>;
  readonly accepted: Readonly<Record<string, number>>;
  /** Connections (model `conn`) a libuv server accepted and closed at once (uv__emfile_trick), and when. */
  readonly emfileTrickConns: readonly { readonly conn: number; readonly at: number }[];
  readonly errors: Readonly<Record<string, Readonly<Record<Errno, number>>>>;
  /** When each process's calls failed, by errno (microseconds; the replay runs on past the real run's end). */
  readonly errorLog: Readonly<Record<string, readonly { readonly errno: Errno; readonly at: number }[]>>;
  /** When each server accepted a connection (microseconds). */
  readonly acceptLog: Readonly<Record<string, readonly number[]>>;
}

const ERRNO_NAMES: ReadonlySet<string> = new Set<Errno>(['EMFILE', 'ETIMEDOUT', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'EADDRINUSE', 'EADDRNOTAVAIL', 'EBADF', 'ENOTCONN']);

/**
 * Servers whose connections all come from command clients: the instant each connection was
 * accepted is the kernel's (connectionAnchors.ts), so the replay's accept loop takes no time of
 * its own (acceptCost 0); otherwise it would pace the kernel's accepts a second time.
 */
export function serversPacedByKernel(scenario: Scenario): Set<string> {
  const paced = new Set<string>();
  for (const server of scenario.processes) {
    if (server.server === undefined) continue;
    const port = server.server.port;
    const clients = scenario.processes.filter((p) =>
      p.client?.steps.some((s) => s.op === 'connect' && ('process' in s.to ? s.to.process === server.name : s.to.port === port)),
    );
    if (clients.length > 0 && clients.every((p) => p.command !== undefined)) paced.add(server.name);
  }
  return paced;
}

/** Starts moved by `shift`, each no earlier than 0 and than the process's connection before it (the model spawns them in turn). */
function shiftedStarts(run: RealRun, shift: StartShift): Map<number, number> {
  const out = new Map<number, number>();
  const previous = new Map<string, number>();
  const processOf = new Map((run.anchors?.anchors ?? []).map((a) => [a.conn, a.process] as const));
  for (const [conn, start] of [...run.connectionStarts].sort((a, b) => a[0] - b[0])) {
    const process = processOf.get(conn) ?? '';
    const moved = Math.max(0, previous.get(process) ?? 0, start + shift(conn));
    out.set(conn, moved);
    previous.set(process, moved);
  }
  return out;
}

/** The scenario the model runs for a real run: linux profile with the kernel's sysctls, calibrated fd baselines. */
export function modelScenario(run: RealRun): Scenario {
  const paced = run.connectionStarts.size > 0 ? serversPacedByKernel(run.scenario) : new Set<string>();
  return {
    ...run.scenario,
    profile: 'linux',
    // the kernel's own values of every sysctl the model follows, read back from the run's namespace
    profileOverrides: overridesFromSysctls(run.modelSysctls),
    processes: run.scenario.processes.map((p) => {
      if (paced.has(p.name)) p = { ...p, acceptCost: 0 };
      const report = run.processes.find((r) => r.name === p.name);
      // a command's fds are its own program's: the model keeps the scenario's baseline, and the two are compared
      if (report?.baselineFds == null || p.server === undefined || report.runtime === 'command') return p;
      // measured after listen(), counting only fds numbered below the limit (the ones that use a
      // slot): baseline + the listener. libuv's reserve fd (the /dev/null it closes for
      // uv__emfile_trick) holds its slot until every other slot is taken, so it is baseline too
      return { ...p, baselineFds: Math.max(0, report.baselineFds - 1) };
    }),
  };
}

/** How a replay moves each learned connection's start (µs, added; 0 for the replay itself). */
export type StartShift = (conn: number) => number;

/**
 * Runs the model alongside `run` and returns its sockets at each of `run`'s samples. With
 * `shift`, each connection whose start was learned from the kernel starts that much later (or
 * earlier), never before the one before it: the replays at either end of what the kernel's
 * table told about the connections (crossCheck.ts).
 */
export function modelReplay(run: RealRun, shift?: StartShift): ModelReplay {
  const scenario = modelScenario(run);
  const { world, processIndex } = buildWorld(scenario, {
    trace: true,
    ephemeralPortFor: (conn) => run.connections.get(conn)?.port,
    ...(run.wheelOrigin === null || run.wheelOrigin === undefined ? {} : { wheelOrigin: run.wheelOrigin }),
  });
  const starts = shift === undefined ? run.connectionStarts : shiftedStarts(run, shift);
  const stats = startPrograms(world, scenario, processIndex, { connectionStart: (conn) => starts.get(conn) });
  const snapshots: ModelSnapshot[] = [];
  for (const sample of [...run.samples].sort((a, b) => a.at - b.at)) {
    world.runUntil(Math.max(world.now, sample.at));
    const states = new Map<string, TcpState>();
    for (const view of world.sockets()) if (view.state !== 'CLOSED') states.set(socketKey(view.state, view.local, view.remote), view.state);
    const fds: Record<string, number> = {};
    world.processNames().forEach((name, i) => (fds[name] = world.fdsInUse(i)));
    snapshots.push({ at: sample.at, states, fds });
  }
  const profile = world.profile;
  const last = snapshots[snapshots.length - 1]?.at ?? 0;
  world.runUntil(last + Math.max(profile.timeWait, profile.finTimeout ?? 0) + 10_000_000);

  const trace = world.trace();
  const keyOf = new Map<number, string>();
  for (const s of trace.sockets) keyOf.set(s.id, socketKey(s.role === 'listener' ? 'LISTEN' : 'ESTABLISHED', s.local, s.remote));
  const connOf = new Map(trace.sockets.map((s) => [s.id, s.conn] as const));
  // retransmissions per connection, each with an eighth of its timer: after one, the kernel's
  // connection may run that much behind the model's
  const lastSent = new Map<string, number>();
  const retransmitted = new Map<number, { at: number; slack: number }[]>();
  for (const e of trace.events) {
    if (e.kind !== 'send') continue;
    const segment = `${e.socket} ${e.segment.seq} ${e.segment.flags}`;
    const previous = lastSent.get(segment);
    const conn = connOf.get(e.socket) ?? -1;
    if (e.retransmission && previous !== undefined && conn >= 0) {
      const list = retransmitted.get(conn) ?? [];
      list.push({ at: e.at, slack: Math.floor((e.at - previous) / 8) });
      retransmitted.set(conn, list);
    }
    lastSent.set(segment, e.at);
  }
  const slackOf = (socket: number, at: number, timer: string | null): number => {
    const timerSlack = timer === 'twoMsl' ? profile.timeWait / 8 : timer === 'finWait2' ? (profile.finTimeout ?? 0) / 8 : 0;
    const after = (retransmitted.get(connOf.get(socket) ?? -1) ?? []).filter((r) => r.at <= at).map((r) => r.slack);
    return Math.floor(Math.max(timerSlack, ...after));
  };
  const transitions = new Map<string, ModelTransition[]>();
  const closedAt = new Map<string, number>();
  for (const event of trace.events) {
    if (event.kind === 'call' && (event.call === 'close' || event.call === 'exit') && event.socket !== null) {
      const key = keyOf.get(event.socket);
      if (key !== undefined && !closedAt.has(key)) closedAt.set(key, event.at);
    }
    if (event.kind !== 'state') continue;
    const key = keyOf.get(event.socket);
    if (key === undefined) continue;
    const list = transitions.get(key) ?? [];
    const timer = event.cause.by === 'timer' ? event.cause.timer : null;
    list.push({ at: event.at, from: event.from, to: event.to, timer, first: list.length === 0, slack: slackOf(event.socket, event.at, timer) });
    transitions.set(key, list);
  }
  const emfileTrickConns: { conn: number; at: number }[] = [];
  const errorLog: Record<string, { errno: Errno; at: number }[]> = {};
  const acceptLog: Record<string, number[]> = {};
  for (const e of trace.events) {
    // a failed call records its errno as the result (World.fail); uv__emfile_trick an 'error' event
    if (e.kind === 'error') (errorLog[e.process] ??= []).push({ errno: e.errno, at: e.at });
    if (e.kind !== 'call') continue;
    if (ERRNO_NAMES.has(e.result)) (errorLog[e.process] ??= []).push({ errno: e.result as Errno, at: e.at });
    else if (e.call === 'accept') (acceptLog[e.process] ??= []).push(e.at);
    else if (e.call === 'close' && e.result === 'emfile-trick' && e.socket !== null) emfileTrickConns.push({ conn: connOf.get(e.socket) ?? -1, at: e.at });
  }
  const errors: Record<string, Record<Errno, number>> = {};
  world.processNames().forEach((name, i) => (errors[name] = world.errors(i)));
  return {
    scenario,
    profile,
    snapshots,
    transitions,
    closedAt,
    emfileTrickConns,
    errorLog,
    acceptLog,
    accepted: Object.fromEntries(scenario.processes.map((p) => [p.name, stats.accepted.get(p.name) ?? 0])),
    errors,
  };
}
