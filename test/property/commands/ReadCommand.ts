/** A program reads from its connection. */
import type fc from 'fast-check';
import type { ReadAmount } from '../../../src/scenario/types.js';
import { checkInvariants } from '../harness/invariants.js';
import type { Side, TcpPair } from '../harness/tcpPair.js';
import { bytesOf, type TcpModel } from '../harness/tcpModel.js';

/** read(): takes a line, some bytes or everything to EOF; may block (null) or report an error. */
export class ReadCommand implements fc.Command<TcpModel, TcpPair> {
  constructor(
    readonly side: Side,
    readonly amount: ReadAmount,
  ) {}

  check(model: Readonly<TcpModel>): boolean {
    return model.program[this.side].fd !== null;
  }

  run(model: TcpModel, real: TcpPair): void {
    const program = model.program[this.side];
    const result = real.world.read(real.process[this.side], program.fd!, this.amount);
    if (result !== null && typeof result !== 'string') bytesOf(model, program.conn).read[this.side] += result.data.length;
    checkInvariants(model, real);
  }

  toString(): string {
    const what = this.amount.kind === 'bytes' ? `${this.amount.count} bytes` : this.amount.kind;
    return `${this.side} read(${what})`;
  }
}
