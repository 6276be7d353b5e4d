/**
 * Runs a law scenario event by event (instead of simulate()'s once-a-second samples), so the
 * properties see the exact moment of the first EMFILE, the peak fd count, and every change of
 * the server's CLOSE_WAIT count.
 */
import { buildWorld } from '../../../src/sim/simulate.js';
import { startPrograms, type ProgramStats } from '../../../src/sim/programs.js';
import type { World } from '../../../src/sim/world.js';
import { lawScenario, type LawScenario } from './scenarios.js';

/** What a stepped run observed. */
export interface SteppedRun {
  readonly world: World;
  readonly server: number;
  readonly stats: ProgramStats;
  /** Highest fd count of the server. */
  readonly peakServerFds: number;
  /** Server fds right after its first EMFILE, or undefined. */
  readonly fdsAtFirstEmfile: number | undefined;
  /** Time and value of each change of the server's CLOSE_WAIT count. */
  readonly closeWaitChanges: ReadonlyArray<readonly [number, number]>;
}

/** Runs `law` to `law.until`, one engine event at a time. */
export function steppedRun(law: LawScenario, trace = false): SteppedRun {
  const scenario = lawScenario(law);
  const { world, processIndex } = buildWorld(scenario, { trace });
  const stats = startPrograms(world, scenario, processIndex);
  const server = processIndex.get('server')!;
  let peakServerFds = world.fdsInUse(server);
  let fdsAtFirstEmfile: number | undefined;
  let closeWait = 0;
  const closeWaitChanges: Array<readonly [number, number]> = [];
  while (world.nextEventTime() <= law.until) {
    world.step();
    const fds = world.fdsInUse(server);
    if (fds > peakServerFds) peakServerFds = fds;
    if (fdsAtFirstEmfile === undefined && world.firstErrorAt('EMFILE') !== undefined) fdsAtFirstEmfile = fds;
    const now = world.stateCounts(server).CLOSE_WAIT ?? 0;
    if (now !== closeWait) {
      closeWait = now;
      closeWaitChanges.push([world.now, now]);
    }
  }
  world.runUntil(law.until);
  return { world, server, stats, peakServerFds, fdsAtFirstEmfile, closeWaitChanges };
}
