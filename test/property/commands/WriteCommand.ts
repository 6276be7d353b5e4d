/** A program writes bytes to its connection. */
import type fc from 'fast-check';
import { checkInvariants } from '../harness/invariants.js';
import type { Side, TcpPair } from '../harness/tcpPair.js';
import { bytesOf, type TcpModel } from '../harness/tcpModel.js';

/** write(): queues bytes for the peer, or fails (EPIPE, ENOTCONN, ECONNRESET, ...). */
export class WriteCommand implements fc.Command<TcpModel, TcpPair> {
  constructor(
    readonly side: Side,
    readonly data: string,
  ) {}

  check(model: Readonly<TcpModel>): boolean {
    return model.program[this.side].fd !== null;
  }

  run(model: TcpModel, real: TcpPair): void {
    const program = model.program[this.side];
    const result = real.world.write(real.process[this.side], program.fd!, this.data);
    if (typeof result === 'number') {
      if (result !== this.data.length) throw new Error(`write of ${this.data.length} bytes returned ${result}`);
      bytesOf(model, program.conn).written[this.side] += result;
    }
    checkInvariants(model, real);
  }

  toString(): string {
    return `${this.side} write(${JSON.stringify(this.data)})`;
  }
}
