/** The network delivers one held segment: the oldest, or a later one first (reordering). */
import type fc from 'fast-check';
import { checkInvariants } from '../harness/invariants.js';
import type { TcpPair } from '../harness/tcpPair.js';
import type { TcpModel } from '../harness/tcpModel.js';

/** Delivers held segment `pick` modulo the number held; 0 is "deliver next", more is a reorder. */
export class DeliverCommand implements fc.Command<TcpModel, TcpPair> {
  constructor(readonly pick: number) {}

  check(): boolean {
    return true;
  }

  run(model: TcpModel, real: TcpPair): void {
    const held = real.world.heldSegments().length;
    if (held > 0) real.world.deliverHeld(this.pick % held);
    checkInvariants(model, real);
  }

  toString(): string {
    return this.pick === 0 ? 'deliver next' : `deliver held #${this.pick} first`;
  }
}
