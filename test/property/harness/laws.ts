/**
 * The bodies of the headline laws, one function per law, so a property and a regression test
 * (a counterexample kept by name) run the same checks.
 */
import { expect } from 'vitest';
import { resolveProfile } from '../../../src/model/profile.js';
import type { SocketView } from '../../../src/sim/world.js';
import { lingerBound } from './bounds.js';
import { clientCount, lastClientClose, type LawScenario } from './scenarios.js';
import { steppedRun, type SteppedRun } from './steppedRun.js';

function serverSockets(sockets: readonly SocketView[]): SocketView[] {
  return sockets.filter((s) => s.process === 'server' && s.role === 'server');
}

/** Server sockets that reached ESTABLISHED (completed handshakes), from the trace. */
function establishedOnServer(run: SteppedRun): number {
  const serverIds = new Set(run.world.trace().sockets.filter((s) => s.role === 'server').map((s) => s.id));
  return run.world.trace().events.filter((e) => e.kind === 'state' && e.to === 'ESTABLISHED' && serverIds.has(e.socket)).length;
}

/** When the server last completed a handshake (the last connection to join the accept queue), from the trace. */
function lastArrival(run: SteppedRun): number {
  const serverIds = new Set(run.world.trace().sockets.filter((s) => s.role === 'server').map((s) => s.id));
  let last = 0;
  for (const e of run.world.trace().events) if (e.kind === 'state' && e.to === 'ESTABLISHED' && serverIds.has(e.socket) && e.at > last) last = e.at;
  return last;
}

/** The time by which a law's scenario has settled: the last close, the server's delay, the profile's bound. */
export function settleTime(law: LawScenario, extra = 0): number {
  const serverDelay = law.server.kind === 'closes-after' ? law.server.delay : 0;
  return lastClientClose(law) + serverDelay + extra + lingerBound(resolveProfile(law.profile ?? 'linux'));
}

/** Never-closing posix server: CLOSE_WAIT monotone, = accepted + queued, EMFILE exactly when the table fills. */
export function neverClosingPosixLaw(law: LawScenario): void {
  const run = steppedRun({ ...law, until: settleTime(law) });
  const { world, server, stats } = run;
  // once a connection is in CLOSE_WAIT nothing takes it out: the count never decreases
  for (let i = 1; i < run.closeWaitChanges.length; i++) {
    expect(run.closeWaitChanges[i]![1], `CLOSE_WAIT fell at ${run.closeWaitChanges[i]![0]} µs`).toBeGreaterThan(run.closeWaitChanges[i - 1]![1]);
  }
  const accepted = stats.accepted.get('server') ?? 0;
  const sockets = serverSockets(world.sockets());
  // the listener's own count of what waits in its accept queue: a connection without an fd that
  // is not there was lost (on EMFILE, say), and must not pass for a queued one
  const queued = world.pendingConnections(server, law.baselineFds);
  expect(sockets.filter((s) => s.fd < 0), 'server sockets without an fd are the queued ones').toHaveLength(queued);
  // at quiescence every server connection is in CLOSE_WAIT: the accepted ones and those still queued
  expect(sockets.filter((s) => s.state !== 'CLOSE_WAIT').map((s) => s.state)).toEqual([]);
  expect(world.stateCounts(server).CLOSE_WAIT ?? 0).toBe(accepted + queued);
  expect(sockets.filter((s) => s.fd >= 0)).toHaveLength(accepted);
  const baseline = law.baselineFds + 1; // the listener included
  const capacity = law.nofile - baseline;
  const emfile = world.errors(server).EMFILE;
  expect(run.peakServerFds).toBeLessThanOrEqual(law.nofile);
  // accept(2) takes a free fd before it looks at the queue: once the table is full, the loop's next
  // accept() fails at once, whether or not a connection waits
  expect(emfile > 0, `EMFILE ${emfile}, accepted ${accepted}, queued ${queued}, capacity ${capacity}`).toBe(accepted + queued >= capacity);
  if (emfile > 0) {
    expect(run.fdsAtFirstEmfile).toBe(law.nofile);
    expect(accepted).toBe(capacity);
  }
  expect(world.fdsInUse(server)).toBe(baseline + accepted);
}

/** Never-closing libuv server: the excess is accepted and closed at once; the rest stays in CLOSE_WAIT. */
export function neverClosingLibuvLaw(law: LawScenario): void {
  const run = steppedRun({ ...law, until: settleTime(law) }, true);
  const { world, server, stats } = run;
  const accepted = stats.accepted.get('server') ?? 0;
  const dropped = stats.droppedByEmfileTrick.get('server') ?? 0;
  const established = establishedOnServer(run);
  const capacity = law.nofile - (law.baselineFds + 1);
  expect(accepted).toBe(Math.min(established, capacity));
  expect(dropped).toBe(established - accepted);
  expect(world.errors(server).EMFILE > 0).toBe(dropped > 0);
  // each trick close happens in the instant of an EMFILE: accepted and closed at once
  const emfileTimes = new Set(world.trace().events.filter((e) => e.kind === 'error' && e.errno === 'EMFILE').map((e) => e.at));
  const trickCloses = world.trace().events.filter((e) => e.kind === 'call' && e.result === 'emfile-trick');
  expect(trickCloses).toHaveLength(dropped);
  for (const close of trickCloses) expect(emfileTimes.has(close.at)).toBe(true);
  // nothing waits in the accept queue: the trick empties it
  const sockets = serverSockets(world.sockets());
  expect(sockets.filter((s) => s.fd < 0)).toEqual([]);
  expect(world.stateCounts(server).CLOSE_WAIT ?? 0).toBe(accepted);
  expect(world.fdsInUse(server)).toBe(law.baselineFds + 1 + accepted);
  // once the clients have closed, no connection arrives any more and the server has dealt with the
  // last ones, CLOSE_WAIT never decreases. The last arrival comes from the trace: a client whose
  // handshake ACK was dropped (accept queue full) believes it is connected and closes at once, and
  // the server sees that connection, already in CLOSE_WAIT, seconds later; a connection that
  // arrives at a full table is closed by the trick a wake-up and an accept later, taking its
  // CLOSE_WAIT with it (fast-check found 18 clients at once against nofile 16, backlog 1: the last
  // two arrived at 3.26 ms and were closed at 3.28 ms)
  const settled = Math.max(lastArrival(run), ...trickCloses.map((c) => c.at));
  const after = run.closeWaitChanges.filter(([t]) => t > settled);
  for (let i = 1; i < after.length; i++) expect(after[i]![1]).toBeGreaterThan(after[i - 1]![1]);
}

/**
 * Closing server: all CLOSED within the bound, fds back to baseline, no EMFILE below the limit.
 * When the clients outnumber the fds, the server works through them a table-full at a time, so
 * the bound grows by one server hold per table-full of connections.
 */
export function closingServerLaw(law: LawScenario): void {
  const run = steppedRun({ ...law, until: settleTime(law) });
  const { world } = run;
  if (world.errors(run.server).EMFILE > 0) {
    const capacity = law.nofile - law.baselineFds - 1;
    const serverHold = law.server.kind === 'closes-after' ? law.server.delay : 0;
    const rounds = Math.ceil(clientCount(law) / capacity) + 1;
    world.runUntil(world.now + rounds * (serverHold + (law.acceptRetry ?? 0)) + lingerBound(world.profile));
  }
  // every socket has reached CLOSED: only the listener remains
  expect(world.sockets().filter((s) => s.role !== 'listener').map((s) => `${s.process}#${s.id}:${s.state}`)).toEqual([]);
  world.processNames().forEach((name, p) => {
    expect(world.fdsInUse(p), `fds of ${name}`).toBe(name === 'server' ? law.baselineFds + 1 : 3);
  });
  const emfile = world.errors(run.server).EMFILE;
  // below the limit no EMFILE: the fd table never filled up
  if (run.peakServerFds < law.nofile) expect(emfile).toBe(0);
  if (clientCount(law) <= law.nofile - law.baselineFds - 1) expect(emfile).toBe(0);
}

/** Finitely many losses: every connection still reaches CLOSED on both sides. */
export function finiteLossLaw(law: LawScenario, lossUntil: number): void {
  const { world } = steppedRun({ ...law, until: settleTime(law, lossUntil) });
  expect(world.sockets().filter((s) => s.role !== 'listener').map((s) => `${s.process}#${s.id}:${s.state}`)).toEqual([]);
  world.processNames().forEach((name, p) => expect(world.fdsInUse(p), `fds of ${name}`).toBe(name === 'server' ? law.baselineFds + 1 : 3));
}

/** A link that drops everything from some time on: retry limits end every socket; programs holding fds see ETIMEDOUT. */
export function blackoutLaw(law: LawScenario): void {
  const run = steppedRun({ ...law, until: settleTime(law) }, true);
  const { world } = run;
  const stuck = world.sockets().filter((s) => s.state !== 'CLOSED' && s.state !== 'LISTEN');
  expect(stuck.map((s) => `${s.process}#${s.id}:${s.state}`)).toEqual([]);
  const connections = clientCount(law);
  // every socket left by its retry limit: a timer took it to CLOSED
  const byTimer = world.trace().events.filter((e) => e.kind === 'state' && e.to === 'CLOSED' && e.cause.by === 'timer');
  expect(byTimer).toHaveLength(2 * connections);
  // a program still holding the fd (shutdown, then read) is told ETIMEDOUT
  world.processNames().forEach((name, p) => {
    const group = law.clients[Number(name.slice('clients'.length))];
    const ending = name === 'server' ? (law.server.kind === 'closes-after' ? law.server.ending : 'close') : (group?.ending ?? 'close');
    const sockets = name === 'server' ? connections : (group?.connections ?? 0);
    expect(world.errors(p).ETIMEDOUT, `ETIMEDOUT of ${name}`).toBe(ending === 'shutdown' ? sockets : 0);
  });
}
