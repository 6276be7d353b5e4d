/**
 * The invariants the model-based property checks after every command, comparing the system
 * with the model and with what the trace says happened.
 */
import type { TcpState } from '../../../src/model/states.js';
import { BASELINE_FDS, peerOf, type Side, type TcpPair } from './tcpPair.js';
import { bytesOf, type TcpModel } from './tcpModel.js';

function fail(message: string): never {
  throw new Error(`invariant: ${message}`);
}

/** Checks every invariant; throws with a description of the first one broken. */
export function checkInvariants(model: TcpModel, real: TcpPair): void {
  const { world, observer } = real;
  observer.advance(world.trace());
  const sockets = world.sockets();

  // fds in use = baseline + sockets the program still holds (the server's listener included)
  for (const side of ['client', 'server'] as const) {
    const held = (model.program[side].fd === null ? 0 : 1) + (side === 'server' ? 1 : 0);
    const inUse = world.fdsInUse(real.process[side]);
    if (inUse !== BASELINE_FDS + held) fail(`${side} has ${inUse} fds open, the program holds ${BASELINE_FDS} + ${held}`);
  }

  const histogram: Partial<Record<TcpState, number>> = {};
  for (const sock of sockets) {
    const where = `${sock.process} socket ${sock.id} (conn ${sock.conn}) in ${sock.state}${sock.orphaned ? ' (orphaned)' : ''}`;
    if (sock.state !== 'CLOSED') histogram[sock.state] = (histogram[sock.state] ?? 0) + 1;
    if (sock.role === 'listener') continue;
    const side: Side = sock.role;
    const program = model.program[side];
    const heldByProgram = program.fd !== null && program.socketId === sock.id;
    // orphaned sockets hold no fd; a socket holds an fd exactly when its program still has it
    if (sock.orphaned && sock.fd >= 0) fail(`${where} still holds fd ${sock.fd}`);
    if (heldByProgram && sock.fd !== program.fd) fail(`${where} has fd ${sock.fd}, the program holds ${program.fd}`);
    if (!heldByProgram && sock.fd >= 0) fail(`${where} holds fd ${sock.fd} the program has closed`);
    // a CLOSE_WAIT socket whose program has not closed it holds an fd (or waits to be accepted)
    if (sock.state === 'CLOSE_WAIT' && sock.fd < 0 && (side === 'client' || model.accepted.has(sock.id))) {
      fail(`${where} lost its fd although the program never closed it`);
    }

    const facts = observer.of(sock.id);
    // only an endpoint that sent a FIN and received the peer's can be in CLOSING or TIME_WAIT
    if ((sock.state === 'CLOSING' || sock.state === 'TIME_WAIT') && !(facts.finSeq !== undefined && facts.peerFinDelivered)) {
      fail(`${where} without having sent a FIN and received the peer's`);
    }
    // only one that received a FIN can be in CLOSE_WAIT or LAST_ACK
    if ((sock.state === 'CLOSE_WAIT' || sock.state === 'LAST_ACK') && !facts.peerFinDelivered) fail(`${where} without a FIN from the peer`);
    // FIN_WAIT_1, CLOSING, LAST_ACK have sent a FIN; FIN_WAIT_2 and TIME_WAIT have had it acknowledged
    if ((sock.state === 'FIN_WAIT_1' || sock.state === 'LAST_ACK') && facts.finSeq === undefined) fail(`${where} without having sent a FIN`);
    if ((sock.state === 'FIN_WAIT_2' || sock.state === 'TIME_WAIT') && !facts.finAcked) fail(`${where} but its FIN was never acknowledged`);
    if (facts.state !== undefined && facts.state !== sock.state) fail(`${where} but the trace last put it in ${facts.state}`);

    // unread bytes plus bytes read never exceed what the peer wrote (duplicates are not data twice)
    const bytes = bytesOf(model, sock.conn);
    if (sock.unread + bytes.read[side] > bytes.written[peerOf(side)]) {
      fail(`${where} has ${sock.unread} unread + ${bytes.read[side]} read bytes; the peer wrote ${bytes.written[peerOf(side)]}`);
    }
  }

  // the kernel's per-state counters agree with its sockets
  const counts = world.stateCounts();
  for (const state of new Set([...Object.keys(counts), ...Object.keys(histogram)]) as Set<TcpState>) {
    if ((counts[state] ?? 0) !== (histogram[state] ?? 0)) fail(`stateCounts says ${counts[state] ?? 0} ${state}, the sockets say ${histogram[state] ?? 0}`);
  }
}
