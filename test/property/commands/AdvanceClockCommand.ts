/** Time passes: timers due by then fire (retransmissions, TIME_WAIT, tcp_fin_timeout). */
import type fc from 'fast-check';
import { checkInvariants } from '../harness/invariants.js';
import type { TcpPair } from '../harness/tcpPair.js';
import type { TcpModel } from '../harness/tcpModel.js';

/** runUntil(now + micros). */
export class AdvanceClockCommand implements fc.Command<TcpModel, TcpPair> {
  constructor(readonly micros: number) {}

  check(): boolean {
    return true;
  }

  run(model: TcpModel, real: TcpPair): void {
    real.world.runUntil(real.world.now + this.micros);
    checkInvariants(model, real);
  }

  toString(): string {
    return `advance ${this.micros / 1000} ms`;
  }
}
