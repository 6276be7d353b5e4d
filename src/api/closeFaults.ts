/**
 * Faults on the segments that close connections: the n-th FIN- or RST-carrying segment of a run
 * (in the order they were sent, retransmissions included) is lost, duplicated, reordered behind
 * the segments sent after it, or delayed. The World runs with a manual network and this link
 * delivers what it holds: everything else arrives after the plain latency. Deterministic: a
 * fault list means the same thing on every run of the same programs.
 */
import { FIN, RST } from '../model/segment.js';
import type { World } from '../sim/world.js';
import { toMicros, type Duration } from './duration.js';

/** What happens to one close segment. */
export type CloseFaultKind = 'loss' | 'duplicate' | 'reorder' | 'delay';

/** A fault on the `segment`-th close segment (0 = the first FIN or RST sent in the run). */
export interface CloseFault {
  readonly segment: number;
  readonly kind: CloseFaultKind;
  /** For `delay`: how much later than the latency it arrives. */
  readonly delay?: Duration;
}

/** The link of a simulation with close faults. */
export class FaultyLink {
  private readonly scheduled = new Set<number>();
  private closeSegments = 0;
  private readonly byIndex = new Map<number, CloseFault>();

  constructor(
    private readonly world: World,
    faults: readonly CloseFault[],
    private readonly latency: number,
  ) {
    for (const f of faults) {
      if (!Number.isInteger(f.segment) || f.segment < 0) throw new RangeError(`close fault: segment must be a whole number ≥ 0, got ${f.segment}`);
      // the first fault named for a segment wins
      if (!this.byIndex.has(f.segment)) this.byIndex.set(f.segment, f);
    }
  }

  /** Takes the segments sent since the last call and schedules their fates. */
  pump(): void {
    const world = this.world;
    const held = world.heldSegments();
    if (held.length === this.scheduled.size) return;
    const fresh = held.filter((h) => !this.scheduled.has(h.segmentId));
    for (const h of fresh) {
      const id = h.segmentId;
      let fault: CloseFault | undefined;
      if ((h.segment.flags & (FIN | RST)) !== 0) fault = this.byIndex.get(this.closeSegments++);
      if (fault?.kind === 'loss') {
        world.dropHeld(world.heldSegments().findIndex((x) => x.segmentId === id));
        continue;
      }
      this.scheduled.add(id);
      let delay = this.latency;
      if (fault?.kind === 'reorder') delay += 2 * this.latency + 1;
      if (fault?.kind === 'delay') delay += toMicros(fault.delay ?? 0, 'close fault delay');
      if (fault?.kind === 'duplicate') {
        world.at(world.now + delay, () => {
          const i = this.indexOf(id);
          if (i >= 0) world.duplicateHeld(i);
        });
        delay += this.latency;
      }
      world.at(world.now + delay, () => {
        const i = this.indexOf(id);
        this.scheduled.delete(id);
        if (i >= 0) world.deliverHeld(i);
      });
    }
  }

  private indexOf(id: number): number {
    return this.world.heldSegments().findIndex((x) => x.segmentId === id);
  }
}
