/** The network loses one held segment. */
import type fc from 'fast-check';
import { checkInvariants } from '../harness/invariants.js';
import type { TcpPair } from '../harness/tcpPair.js';
import type { TcpModel } from '../harness/tcpModel.js';

/** Drops held segment `pick` modulo the number held. */
export class DropCommand implements fc.Command<TcpModel, TcpPair> {
  constructor(readonly pick: number) {}

  check(): boolean {
    return true;
  }

  run(model: TcpModel, real: TcpPair): void {
    const held = real.world.heldSegments().length;
    if (held > 0) real.world.dropHeld(this.pick % held);
    checkInvariants(model, real);
  }

  toString(): string {
    return `drop held #${this.pick}`;
  }
}
