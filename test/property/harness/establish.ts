/** Opening a connection before the random commands start, so runs begin where closing is interesting. */
import { checkInvariants } from './invariants.js';
import { SERVER_ADDRESS, SERVER_PORT, type TcpPair } from './tcpPair.js';
import type { TcpModel } from './tcpModel.js';

/** connect(), deliver the handshake, accept(): both programs hold an ESTABLISHED socket. */
export function establish(model: TcpModel, real: TcpPair): void {
  const { world, process } = real;
  const fd = world.connect(process.client, SERVER_ADDRESS, SERVER_PORT);
  if (typeof fd !== 'number') throw new Error(`establish: connect failed with ${fd}`);
  const view = world.socketView(process.client, fd)!;
  model.program.client = { fd, conn: view.conn, socketId: view.id, opened: 1 };
  while (world.heldSegments().length > 0) world.deliverHeld(0);
  const accepted = world.accept(process.server, real.listenFd);
  if (typeof accepted !== 'number') throw new Error(`establish: accept returned ${accepted}`);
  const serverView = world.socketView(process.server, accepted)!;
  model.accepted.add(serverView.id);
  model.program.server = { fd: accepted, conn: view.conn, socketId: serverView.id, opened: 1 };
  checkInvariants(model, real);
}
