/** The server program calls accept() on its listener. */
import type fc from 'fast-check';
import { checkInvariants } from '../harness/invariants.js';
import type { TcpPair } from '../harness/tcpPair.js';
import type { TcpModel } from '../harness/tcpModel.js';

/** accept(): takes the oldest established connection, if any, into the server's fd table. */
export class AcceptCommand implements fc.Command<TcpModel, TcpPair> {
  check(model: Readonly<TcpModel>): boolean {
    return model.program.server.fd === null;
  }

  run(model: TcpModel, real: TcpPair): void {
    const fd = real.world.accept(real.process.server, real.listenFd);
    if (typeof fd === 'string') throw new Error(`accept failed with ${fd}`);
    if (fd !== null) {
      const view = real.world.socketView(real.process.server, fd);
      if (!view) throw new Error(`accept returned fd ${fd} but the fd table has no socket there`);
      if (model.accepted.has(view.id)) throw new Error(`socket ${view.id} accepted twice`);
      model.accepted.add(view.id);
      model.program.server = { fd, conn: view.conn, socketId: view.id, opened: model.program.server.opened + 1 };
    }
    checkInvariants(model, real);
  }

  toString(): string {
    return 'server accept()';
  }
}
