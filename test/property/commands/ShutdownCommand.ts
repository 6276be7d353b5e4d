/** A program calls shutdown(SHUT_WR). */
import type fc from 'fast-check';
import { checkInvariants } from '../harness/invariants.js';
import type { Side, TcpPair } from '../harness/tcpPair.js';
import type { TcpModel } from '../harness/tcpModel.js';

/** shutdown(SHUT_WR): a FIN, keeping the fd and the read side. */
export class ShutdownCommand implements fc.Command<TcpModel, TcpPair> {
  constructor(readonly side: Side) {}

  check(model: Readonly<TcpModel>): boolean {
    return model.program[this.side].fd !== null;
  }

  run(model: TcpModel, real: TcpPair): void {
    real.world.shutdown(real.process[this.side], model.program[this.side].fd!);
    checkInvariants(model, real);
  }

  toString(): string {
    return `${this.side} shutdown(SHUT_WR)`;
  }
}
