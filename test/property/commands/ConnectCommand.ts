/** The client program calls connect() towards the server. */
import type fc from 'fast-check';
import { checkInvariants } from '../harness/invariants.js';
import { SERVER_ADDRESS, SERVER_PORT, type TcpPair } from '../harness/tcpPair.js';
import { MAX_CONNECTIONS, type TcpModel } from '../harness/tcpModel.js';

/** A port on the server host nobody listens on: connect() there is refused with RST. */
export const CLOSED_PORT = 9999;

/** connect(): a new client socket in SYN_SENT, holding one more fd. */
export class ConnectCommand implements fc.Command<TcpModel, TcpPair> {
  constructor(readonly port: number = SERVER_PORT) {}

  check(model: Readonly<TcpModel>): boolean {
    return model.program.client.fd === null && model.program.client.opened < MAX_CONNECTIONS;
  }

  run(model: TcpModel, real: TcpPair): void {
    const fd = real.world.connect(real.process.client, SERVER_ADDRESS, this.port);
    if (typeof fd !== 'number') throw new Error(`connect failed with ${fd}`);
    const view = real.world.socketView(real.process.client, fd);
    if (!view) throw new Error(`connect returned fd ${fd} but the fd table has no socket there`);
    model.program.client = { fd, conn: view.conn, socketId: view.id, opened: model.program.client.opened + 1 };
    checkInvariants(model, real);
  }

  toString(): string {
    return this.port === SERVER_PORT ? 'client connect()' : `client connect() to closed port ${this.port}`;
  }
}
