/**
 * Ending a run: the programs stop acting, the network either delivers everything or loses
 * everything, and the clock runs. Only the permanent states may remain after the profile's
 * bound, and they must still be there much later.
 */
import type { SocketView, World } from '../../../src/sim/world.js';
import { lingerBound } from './bounds.js';

/** What the network does while draining. */
export type DrainMode = 'deliver-all' | 'drop-all';

/** Whether a socket is in a state that may last forever. */
export function isPermanent(sock: SocketView, world: World): boolean {
  switch (sock.state) {
    case 'LISTEN':
    case 'ESTABLISHED': // idle: nothing left to send, nothing arriving
      return true;
    case 'CLOSE_WAIT': // the program never closes (or never accepted it)
      return true;
    case 'FIN_WAIT_2': // the program still holds the fd; RFC 9293 has no timer even for an orphan
      return !sock.orphaned || world.profile.finTimeout === null;
    case 'CLOSED': // the program still holds the fd of a dead socket
      return sock.fd >= 0;
    default:
      return false;
  }
}

/** Runs the clock until `deadline`, handling every held segment per `mode` as soon as it appears. */
export function drainUntil(world: World, mode: DrainMode, deadline: number): void {
  for (let steps = 0; steps < 1_000_000; steps++) {
    while (world.heldSegments().length > 0) {
      if (mode === 'deliver-all') world.deliverHeld(0);
      else world.dropHeld(0);
    }
    const next = world.nextEventTime();
    if (next > deadline) break;
    world.runUntil(next);
  }
  world.runUntil(deadline);
}

function describe(sockets: readonly SocketView[]): string {
  return sockets.map((s) => `${s.process}#${s.id}:${s.state}${s.orphaned ? '(orphaned)' : ''}:fd${s.fd}`).join(', ');
}

/**
 * Drains and checks: within lingerBound(profile) every socket not in a permanent state has gone,
 * and ten bounds later the permanent ones are all still there, in the same states. (That no
 * timer ends a permanent state early is checked event by event in traceObserver.ts.)
 */
export function checkDrain(world: World, mode: DrainMode): void {
  const bound = lingerBound(world.profile);
  drainUntil(world, mode, world.now + bound);
  const settled = world.sockets();
  const lingering = settled.filter((s) => !isPermanent(s, world));
  if (lingering.length > 0) throw new Error(`drain (${mode}): still lingering after ${bound} µs: ${describe(lingering)}`);
  drainUntil(world, mode, world.now + 10 * bound);
  const later = describe(world.sockets());
  if (later !== describe(settled)) throw new Error(`drain (${mode}): permanent states changed: ${describe(settled)} became ${later}`);
}
