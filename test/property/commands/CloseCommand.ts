/** A program calls close() on its connection. */
import type fc from 'fast-check';
import { checkInvariants } from '../harness/invariants.js';
import type { Side, TcpPair } from '../harness/tcpPair.js';
import type { TcpModel } from '../harness/tcpModel.js';

/** close(): the fd is freed at once; the kernel keeps the socket, orphaned, until it reaches CLOSED. */
export class CloseCommand implements fc.Command<TcpModel, TcpPair> {
  constructor(readonly side: Side) {}

  check(model: Readonly<TcpModel>): boolean {
    return model.program[this.side].fd !== null;
  }

  run(model: TcpModel, real: TcpPair): void {
    const program = model.program[this.side];
    const result = real.world.close(real.process[this.side], program.fd!);
    if (result !== 0) throw new Error(`close of a held fd failed with ${result}`);
    program.fd = null;
    checkInvariants(model, real);
  }

  toString(): string {
    return `${this.side} close()`;
  }
}
