/** The client program calls connect() towards the server. */
import type fc from 'fast-check';
import { checkInvariants } from '../harness/invariants.js';
import { SERVER_ADDRESS, SERVER_PORT, type TcpPair } from '../harness/tcpPair.js';
import { MAX_CONNECTIONS, type TcpModel } from '../harness/tcpModel.js';

/** connect(): a new client socket in SYN_SENT, holding one more fd. */
export class ConnectCommand implements fc.Command<TcpModel, TcpPair> {
  check(model: Readonly<TcpModel>): boolean {
    return model.program.client.fd === null && model.program.client.opened < MAX_CONNECTIONS;
  }

  run(model: TcpModel, real: TcpPair): void {
    const fd = real.world.connect(real.process.client, SERVER_ADDRESS, SERVER_PORT);
    if (typeof fd !== 'number') throw new Error(`connect failed with ${fd}`);
    const view = real.world.socketView(real.process.client, fd);
    if (!view) throw new Error(`connect returned fd ${fd} but the fd table has no socket there`);
    model.program.client = { fd, conn: view.conn, opened: model.program.client.opened + 1 };
    checkInvariants(model, real);
  }

  toString(): string {
    return 'client connect()';
  }
}
