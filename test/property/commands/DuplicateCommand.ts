/** The network duplicates one held segment: a copy arrives now, the original stays in flight. */
import type fc from 'fast-check';
import { checkInvariants } from '../harness/invariants.js';
import type { TcpPair } from '../harness/tcpPair.js';
import type { TcpModel } from '../harness/tcpModel.js';

/** Delivers a copy of held segment `pick` modulo the number held. */
export class DuplicateCommand implements fc.Command<TcpModel, TcpPair> {
  constructor(readonly pick: number) {}

  check(): boolean {
    return true;
  }

  run(model: TcpModel, real: TcpPair): void {
    const held = real.world.heldSegments().length;
    if (held > 0) real.world.duplicateHeld(this.pick % held);
    checkInvariants(model, real);
  }

  toString(): string {
    return `duplicate held #${this.pick}`;
  }
}
