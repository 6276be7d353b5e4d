/** A program closes with SO_LINGER 0 (Node's resetAndDestroy()). */
import type fc from 'fast-check';
import { checkInvariants } from '../harness/invariants.js';
import type { Side, TcpPair } from '../harness/tcpPair.js';
import type { TcpModel } from '../harness/tcpModel.js';

/** abort(): RST instead of FIN, the fd freed, no TIME_WAIT. */
export class AbortCommand implements fc.Command<TcpModel, TcpPair> {
  constructor(readonly side: Side) {}

  check(model: Readonly<TcpModel>): boolean {
    return model.program[this.side].fd !== null;
  }

  run(model: TcpModel, real: TcpPair): void {
    const program = model.program[this.side];
    const result = real.world.abort(real.process[this.side], program.fd!);
    if (result !== 0) throw new Error(`abort of a held fd failed with ${result}`);
    program.fd = null;
    checkInvariants(model, real);
  }

  toString(): string {
    return `${this.side} abort()`;
  }
}
