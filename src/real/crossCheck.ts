/**
 * The comparison of a real run with the model, socket by socket and sample by sample. Pure.
 *
 * A read of the kernel's table takes time (it started at `start` and ended at `end`), and a row
 * shows its socket at some instant in between. So a socket agrees at a sample when the kernel's
 * state is one the model's socket was in at some instant of [start, end] (`same`); or one of
 * the states around a predicted transition of that socket that falls within the window of the
 * read, [start − window, end + window] (`window`). The window is ±max(20 ms, 2 × the scenario's
 * latency): the programs run a few ms off the model's schedule. The kernel may also be later,
 * never earlier, by a transition's slack (an eighth of the kernel timer behind it: Linux's timer
 * wheel files a 60 s TIME_WAIT in 2 s buckets, and its RTO runs a few ms per doubling above the
 * model's) and by how late the programs reported their timers. Kernel timers are checked without
 * waiting: the remaining TIME_WAIT / orphaned FIN_WAIT_2 time the kernel shows must be within
 * 1 s of the model's at some instant of the read.
 */
import { TCP_STATES, type TcpState } from '../model/states.js';
import { wheelBucket } from '../model/timerWheel.js';
import type { ConnectionAnchor } from './connectionAnchors.js';
import type { ModelReplay, ModelTransition } from './modelReplay.js';
import type { RealRun } from './realRun.js';
import { socketKey } from './socketKey.js';

/** One socket at one sample. */
export interface SocketComparison {
  readonly key: string;
  readonly os: TcpState;
  readonly model: TcpState;
  /** `same`: equal; `window`: different but both around a predicted transition; `differ`. */
  readonly verdict: 'same' | 'window' | 'differ';
  /**
   * For `differ`, when they are not just `model`: the states the model's socket held at some
   * instant of the read (its replay). `model` is its state at the sample's own instant, which may
   * lie outside a late read.
   */
  readonly during?: readonly TcpState[];
}

/** One sample: histograms of both sides and every socket compared. */
export interface SampleComparison {
  /** Scenario time, and when the kernel's table was read (start, end, middle), microseconds. */
  readonly t: number;
  readonly start: number;
  readonly end: number;
  readonly at: number;
  readonly os: Partial<Record<TcpState, number>>;
  readonly model: Partial<Record<TcpState, number>>;
  readonly sockets: readonly SocketComparison[];
}

/** A kernel timer compared with the model's remaining time. */
export interface TimerCheck {
  readonly t: number;
  readonly key: string;
  readonly state: TcpState;
  readonly osMs: number;
  /** null when the model has no expiry for the socket in that state. */
  readonly modelMs: number | null;
  readonly ok: boolean;
}

/** A count compared at the end of the run (connections accepted, errors seen, fds). */
export interface CountCheck {
  readonly what: string;
  readonly os: number;
  readonly model: number;
  /** False for a count shown beside the others but not compared (the reason is in `what`). */
  readonly compared: boolean;
  readonly ok: boolean;
}

/** How many checks of one kind agreed, of how many. */
export interface Tally {
  readonly agreed: number;
  readonly compared: number;
}

/**
 * The agreement kept apart by kind, so that easy checks cannot hide a wrong connection: the
 * listener's row at every sample, kernel timers and end-of-run counts each have their own.
 */
export interface Tallies {
  /** Connection sockets (every 4-tuple) at every sample: socket-samples. */
  readonly connections: Tally;
  /**
   * Socket-samples of a command's connection read before the kernel had accepted it: the model
   * starts that connection at the accept (connectionAnchors.ts), so they are not compared.
   */
  readonly beforeAccept: number;
  /** Listening sockets at every sample. */
  readonly listeners: Tally;
  readonly timers: Tally;
  readonly counts: Tally;
}

/** The whole comparison. */
export interface CrossCheck {
  /** Half-width of the transition window, microseconds. */
  readonly windowUs: number;
  readonly samples: readonly SampleComparison[];
  readonly timers: readonly TimerCheck[];
  readonly counts: readonly CountCheck[];
  /**
   * Kernel rows on the run's ports that belong to no socket of this run: an earlier run's
   * TIME_WAIT, on ports no connection of this run has, or on the ports a connection of this run
   * takes later (earlierLife).
   */
  readonly ignoredRows: number;
  /** Each kind of check on its own. */
  readonly tallies: Tallies;
  /** All kinds together. */
  readonly compared: number;
  readonly agreed: number;
  /** agreed / compared over all kinds (1 when nothing was compared); see `tallies` for each. */
  readonly agreement: number;
  readonly ok: boolean;
}

/** Tolerance on a kernel timer's remaining time, milliseconds. */
export const TIMER_TOLERANCE_MS = 1000;

/** The transition window: ±max(20 ms, 2 × latency), microseconds. */
export function transitionWindow(latencyUs: number): number {
  return Math.max(20_000, 2 * latencyUs);
}

/** The state of a model socket at `at`: the last transition's target, CLOSED before the first. */
export function stateAt(transitions: readonly ModelTransition[], at: number): TcpState {
  let state: TcpState = 'CLOSED';
  for (const tr of transitions) {
    if (tr.at > at) break;
    state = tr.to;
  }
  return state;
}

/** The states a model socket was in at some instant of [from, to]. */
export function statesDuring(transitions: readonly ModelTransition[], from: number, to: number): Set<TcpState> {
  const states = new Set<TcpState>([stateAt(transitions, from)]);
  for (const tr of transitions) if (tr.at > from && tr.at <= to) states.add(tr.to);
  return states;
}

/**
 * States a socket may show during a read of [start, end] because a predicted transition is
 * within `window` of it; a transition may also come late by its own slack (kernel timers) and
 * by `programLate` (how late the programs' timers fired in this run), never early.
 */
export function neighbourStates(transitions: readonly ModelTransition[], start: number, end: number, window: number, programLate = 0): Set<TcpState> {
  const around = new Set<TcpState>();
  for (const tr of transitions) {
    if (tr.at < start - window - tr.slack - programLate || tr.at > end + window) continue;
    around.add(tr.from);
    around.add(tr.to);
    if (tr.first) around.add('CLOSED');
  }
  return around;
}

/** The verdict on one socket read as `os` during [start, end]. */
export function socketVerdict(transitions: readonly ModelTransition[], os: TcpState, start: number, end: number, window: number, programLate = 0): SocketComparison['verdict'] {
  if (statesDuring(transitions, start, end).has(os)) return 'same';
  return neighbourStates(transitions, start, end, window, programLate).has(os) ? 'window' : 'differ';
}

/**
 * When the model's TIME_WAIT (2MSL) or orphaned FIN_WAIT_2 timer of socket `key` expires, as
 * seen at `at`: entry into the state (for FIN_WAIT_2 no earlier than close()) plus the timer's
 * length, whether or not something else (the peer's FIN) ends the state first.
 */
export function modelTimerExpiry(replay: ModelReplay, key: string, state: TcpState, at: number): number | null {
  const list = replay.transitions.get(key) ?? [];
  const exit = list.find((tr) => tr.from === state && tr.at > at);
  if (exit !== undefined && (exit.timer === 'twoMsl' || exit.timer === 'finWait2')) return exit.at;
  const entered = list.filter((tr) => tr.to === state && tr.at <= at).pop();
  if (entered === undefined) return null;
  if (state === 'TIME_WAIT') return entered.at + replay.profile.timeWait;
  const finTimeout = replay.profile.finTimeout;
  const closed = replay.closedAt.get(key);
  if (finTimeout === null || closed === undefined) return null;
  return Math.max(entered.at, closed) + finTimeout;
}

function histogram(states: Iterable<TcpState>): Partial<Record<TcpState, number>> {
  const out: Partial<Record<TcpState, number>> = {};
  for (const s of states) out[s] = (out[s] ?? 0) + 1;
  return out;
}

/** One sample's connection sockets (listeners left out): how many were compared and agreed. */
export function sampleConnections(sample: SampleComparison): Tally {
  const connections = sample.sockets.filter((s) => !s.key.startsWith('L '));
  return { compared: connections.length, agreed: connections.filter((s) => s.verdict !== 'differ').length };
}

const COMPARED_ERRNOS = ['EMFILE', 'ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ETIMEDOUT'] as const;

/**
 * The best verdict on a socket over several replays: the replay itself, and the replays with
 * every learned connection started as early and as late as the kernel's table allows
 * (modelReplay's `shift`). The kernel agrees when its state is one the model gives for some
 * timing of the connection consistent with what was observed: a timer that lands in the kernel
 * wheel's next 2-s bucket when the connection is a few ms later is then not a disagreement.
 */
export function bestVerdict(replays: readonly ModelReplay[], key: string, os: TcpState, start: number, end: number, window: number, programLate = 0): SocketComparison['verdict'] {
  let best: SocketComparison['verdict'] = 'differ';
  for (const replay of replays) {
    const verdict = socketVerdict(replay.transitions.get(key) ?? [], os, start, end, window, programLate);
    if (verdict === 'same') return 'same';
    if (verdict === 'window') best = 'window';
  }
  return best;
}

/**
 * A kernel row in TIME_WAIT read before this run's connection on `key` was made is an earlier
 * connection's on the same four ports: Linux picks a client's port at random on loopback
 * (bind(0)), and the server's TIME_WAIT from a connection a minute ago stays until this run's SYN
 * takes it over (tcp_timewait_state_process → TCP_TW_SYN). "Before": the read began before the
 * client issued connect() (`issuedAt`, µs, reported in whole ms: up to 1 ms later) and before
 * the model's first socket on the key in every replay.
 */
export function earlierLife(replays: readonly ModelReplay[], key: string, os: TcpState, readStart: number, issuedAt: number | undefined): boolean {
  if (os !== 'TIME_WAIT') return false;
  if (issuedAt !== undefined && readStart >= issuedAt + 1000) return false;
  return replays.every((r) => {
    const first = r.transitions.get(key)?.[0];
    return first === undefined || first.at > readStart;
  });
}

/**
 * Compares a real run with the model's replay of it; `alternatives` are replays with the learned
 * connections started at either end of their uncertainty (none for a run without commands).
 */
export function crossCheck(run: RealRun, replay: ModelReplay, alternatives: readonly ModelReplay[] = []): CrossCheck {
  const window = transitionWindow(run.scenario.network.latency);
  // the programs ran their actions this late at worst: what follows from them may come as late
  const programLate = Math.round(Math.max(0, ...run.processes.map((p) => p.lateMs)) * 1000);
  const replays = [replay, ...alternatives];
  const known = new Set(replays.flatMap((r) => [...r.transitions.keys()]));
  const anchorOf = anchorLookup(run);
  const issuedAt = issuedLookup(run);
  let beforeAccept = 0;
  let ignoredRows = 0;
  const connections = { agreed: 0, compared: 0 };
  const listeners = { agreed: 0, compared: 0 };
  const samples: SampleComparison[] = [];
  const timers: TimerCheck[] = [];
  run.samples.forEach((sample, i) => {
    const snapshot = replay.snapshots.find((s) => s.at === sample.at) ?? replay.snapshots[i];
    const modelStates = snapshot?.states ?? new Map<string, TcpState>();
    const osStates = new Map<string, TcpState>();
    for (const row of sample.rows) {
      const key = socketKey(row.state, row.local, row.remote);
      if ((!known.has(key) && !modelStates.has(key)) || earlierLife(replays, key, row.state, sample.start, issuedAt(key))) {
        ignoredRows++;
        continue;
      }
      osStates.set(key, row.state);
      const timer = row.timer;
      if (timer?.name === 'timewait' && (row.state === 'TIME_WAIT' || row.state === 'FIN_WAIT_2') && modelStates.get(key) === row.state) {
        const expiry = modelTimerExpiry(replay, key, row.state, sample.at);
        const modelMs = expiry === null ? null : (expiry - sample.at) / 1000;
        // /proc counts 10 ms ticks; the kernel's remaining time belongs to some instant of the read.
        // It is the time left until the timer's own expiry; the model's socket leaves the state when
        // the timer wheel fires it, up to one bucket later (2.048 s for 60 s at HZ=250)
        const resolution = 10;
        const hz = replay.profile.hz;
        const length = row.state === 'TIME_WAIT' ? replay.profile.timeWait : (replay.profile.finTimeout ?? 0);
        const late = hz === null ? 0 : wheelBucket(length, hz) / 1000;
        const ok =
          expiry !== null &&
          (expiry - sample.end) / 1000 <= timer.remainingMs + resolution + late + TIMER_TOLERANCE_MS &&
          (expiry - sample.start) / 1000 >= timer.remainingMs - TIMER_TOLERANCE_MS;
        timers.push({ t: sample.t, key, state: row.state, osMs: timer.remainingMs, modelMs, ok });
      }
    }
    const sockets: SocketComparison[] = [];
    for (const key of [...new Set([...osStates.keys(), ...modelStates.keys()])].sort()) {
      const os = osStates.get(key) ?? 'CLOSED';
      const model = modelStates.get(key) ?? 'CLOSED';
      const anchor = anchorOf(key);
      if (anchor !== undefined && sample.start < anchor.bracket.by) {
        beforeAccept++;
        continue;
      }
      // the kernel's instant is known to lie within its bracket: the connection's whole timeline may be that far off
      const uncertainty = anchor === undefined ? 0 : Math.max(anchor.at - anchor.bracket.after, anchor.bracket.by - anchor.at);
      const verdict = bestVerdict([replay, ...alternatives], key, os, sample.start, sample.end, window + uncertainty, programLate);
      const tally = key.startsWith('L ') ? listeners : connections;
      tally.compared++;
      if (verdict !== 'differ') tally.agreed++;
      // statesDuring always holds the state at the read's start: worth telling only when it is more than `model`
      const during = verdict === 'differ' ? [...statesDuring(replay.transitions.get(key) ?? [], sample.start, sample.end)] : null;
      const told = during !== null && (during.length > 1 || during[0] !== model);
      sockets.push(told ? { key, os, model, verdict, during } : { key, os, model, verdict });
    }
    samples.push({ t: sample.t, start: sample.start, end: sample.end, at: sample.at, os: histogram(osStates.values()), model: histogram(modelStates.values()), sockets });
  });

  // Counts up to the end of the last read: the model runs on past it (to learn pending timers),
  // and a count changes at instants, so one within the window of the end may fall either side.
  const cut = run.samples[run.samples.length - 1]?.end ?? 0;
  const upTo = (times: readonly number[], t: number): number => times.filter((at) => at <= t).length;
  const countCheck = (what: string, osTimesMs: readonly number[], modelTimes: readonly number[]): CountCheck => {
    const os = upTo(osTimesMs.map((ms) => ms * 1000), cut);
    return { what, os, model: upTo(modelTimes, cut), compared: true, ok: os >= upTo(modelTimes, cut - window) && os <= upTo(modelTimes, cut + window) };
  };
  const counts: CountCheck[] = [];
  const last = run.samples[run.samples.length - 1];
  const lastModel = replay.snapshots[replay.snapshots.length - 1];
  for (const p of run.processes) {
    const spec = run.scenario.processes.find((q) => q.name === p.name);
    if (p.runtime === 'command') {
      counts.push(...commandCounts(run, replay, p.name));
      continue;
    }
    const libuv = replay.scenario.processes.find((q) => q.name === p.name)?.acceptPolicy === 'libuv';
    if (spec?.server !== undefined) counts.push(countCheck(`connections ${p.name} accepted`, p.acceptedAt, replay.acceptLog[p.name] ?? []));
    // connections closed by uv__emfile_trick well before the end, whose client must have seen it
    const trick = spec?.client === undefined ? [] : replay.emfileTrickConns.filter((c) => c.at <= cut - window).map((c) => c.conn);
    if (trick.length > 0) {
      // Each connection libuv accepts and closes at once reaches its client as RST if the client's
      // data got there before the close, else as FIN. On loopback that is a race decided in
      // microseconds (the model's link latency lets the data win), so per connection only "the
      // peer closed" is compared, and ECONNRESET is shown beside the end-of-stream count.
      const seen = trick.filter((c) => p.peerClosed.includes(c)).length;
      counts.push({ what: `connections libuv closed at once (uv__emfile_trick) whose client ${p.name} saw RST or FIN`, os: seen, model: trick.length, compared: true, ok: seen === trick.length });
    }
    const modelLog = replay.errorLog[p.name] ?? [];
    for (const errno of COMPARED_ERRNOS) {
      const check = countCheck(
        `${errno} seen by ${p.name}`,
        p.errorLog.filter((e) => e.code === errno).map((e) => e.at),
        modelLog.filter((e) => e.errno === errno).map((e) => e.at),
      );
      if (errno === 'ECONNRESET' && trick.length > 0) {
        counts.push({ ...check, what: `ECONNRESET seen by ${p.name} (RST or FIN after uv__emfile_trick is a loopback race; ${p.eofs} end-of-stream)`, compared: false, ok: true });
      } else if (errno === 'EMFILE' && libuv) {
        if (check.model > 0) counts.push({ ...check, what: `EMFILE of ${p.name} (libuv hides it from the program: uv__emfile_trick)`, compared: false, ok: true });
      } else if (check.os > 0 || check.model > 0) counts.push(check);
    }
    const osFds = last?.fds[p.name];
    const modelFds = lastModel?.fds[p.name];
    const modelBaseline = replay.scenario.processes.find((q) => q.name === p.name)?.baselineFds;
    if (p.limitedTo !== null && p.baselineFds !== null && osFds !== undefined && modelFds !== undefined && modelBaseline !== undefined) {
      // fds opened since the listener was up: the kernel's from /proc/PID/fd, the model's from its table
      const os = osFds - p.baselineFds;
      const model = modelFds - modelBaseline - (spec?.server === undefined ? 0 : 1);
      counts.push({ what: `fds ${p.name} opened since start (limit ${p.limitedTo}; kernel ${osFds} in all)`, os, model, compared: true, ok: os === model });
    }
  }
  const comparedCounts = counts.filter((c) => c.compared);
  const tallies: Tallies = {
    connections,
    beforeAccept,
    listeners,
    timers: { agreed: timers.filter((c) => c.ok).length, compared: timers.length },
    counts: { agreed: comparedCounts.filter((c) => c.ok).length, compared: comparedCounts.length },
  };
  const all = [tallies.connections, tallies.listeners, tallies.timers, tallies.counts];
  const compared = all.reduce((n, t) => n + t.compared, 0);
  const agreed = all.reduce((n, t) => n + t.agreed, 0);
  return {
    windowUs: window,
    samples,
    timers,
    counts,
    ignoredRows,
    tallies,
    compared,
    agreed,
    agreement: compared === 0 ? 1 : agreed / compared,
    ok: agreed === compared,
  };
}

/** The client port of a connection's socket key (`addr:port>addr:port`), or undefined for a listener's. */
function clientPortLookup(run: RealRun): (key: string) => number | undefined {
  const serverPorts = new Set(run.scenario.processes.flatMap((p) => (p.server === undefined ? [] : [p.server.port])));
  const portOf = (end: string): number => Number(end.slice(end.lastIndexOf(':') + 1));
  return (key) => {
    const arrow = key.indexOf('>');
    if (key.startsWith('L ') || arrow < 0) return undefined;
    const local = portOf(key.slice(0, arrow));
    const remote = portOf(key.slice(arrow + 1));
    return serverPorts.has(local) ? remote : local;
  };
}

/** The anchor of the connection a socket key belongs to, by its client port. */
function anchorLookup(run: RealRun): (key: string) => ConnectionAnchor | undefined {
  const byPort = new Map((run.anchors?.anchors ?? []).map((a) => [a.port, a] as const));
  if (byPort.size === 0) return () => undefined;
  const clientPort = clientPortLookup(run);
  return (key) => byPort.get(clientPort(key) ?? -1);
}

/** When the last connection of this run on a socket key's client port issued connect() (µs), if a built-in client said. */
function issuedLookup(run: RealRun): (key: string) => number | undefined {
  const byPort = new Map<number, number>();
  for (const [conn, at] of run.connectIssuedAt ?? []) {
    const port = run.connections.get(conn)?.port;
    if (port !== undefined) byPort.set(port, Math.max(byPort.get(port) ?? 0, at));
  }
  const clientPort = clientPortLookup(run);
  return (key) => byPort.get(clientPort(key) ?? -1);
}

/**
 * The counts of a process run as its own program: it reports nothing (no accepts, no errors),
 * so what is compared is what the kernel shows — the fds it holds at the last sample (its own,
 * below its limit, absolute: the model's baseline is the scenario's, measured on that program)
 * and, for a client, how many connections the kernel showed against those it declares.
 */
function commandCounts(run: RealRun, replay: ModelReplay, name: string): CountCheck[] {
  const counts: CountCheck[] = [];
  const spec = run.scenario.processes.find((q) => q.name === name);
  const osFds = run.samples[run.samples.length - 1]?.fds[name];
  const modelFds = replay.snapshots[replay.snapshots.length - 1]?.fds[name];
  if (osFds !== undefined && modelFds !== undefined) {
    counts.push({ what: `fds ${name} holds at the end (its own, below its limit ${spec?.nofile ?? '?'})`, os: osFds, model: modelFds, compared: true, ok: osFds === modelFds });
  }
  const summary = run.anchors?.summaries.find((s) => s.process === name);
  if (summary !== undefined) {
    counts.push({ what: `connections ${name} opened (client ends the kernel showed it holding)`, os: summary.learned, model: summary.declared, compared: true, ok: summary.learned === summary.declared });
  }
  return counts;
}

/** Canonical state order for printing histograms. */
export const STATE_ORDER: readonly TcpState[] = TCP_STATES;
