/**
 * Looking into the kernels without changing them: every socket as a SocketView (what netstat
 * and ss show, plus the fd and the unread bytes), for reports, real mode's replay and tests.
 */
import type { Endpoint } from '../model/segment.js';
import { TCP_STATES, type TcpState } from '../model/states.js';
import type { Kernel } from './kernel.js';
import { Socket, TimeWaitSocket } from './socket.js';

/** A socket as inspection reports it. */
export interface SocketView {
  readonly id: number;
  readonly host: string;
  readonly process: string;
  readonly state: TcpState;
  /** The fine state of FIN_WAIT_1/FIN_WAIT_2: the program has closed its fd. */
  readonly orphaned: boolean;
  readonly local: Endpoint;
  readonly remote: Endpoint;
  readonly conn: number;
  readonly role: 'client' | 'server' | 'listener';
  readonly fd: number;
  readonly unread: number;
}

/** Every socket the kernels hold, host by host, then those only an fd still refers to; sorted by id. */
export function allSockets(k: Kernel): SocketView[] {
  const out: SocketView[] = [];
  const seen = new Set<Socket | TimeWaitSocket>();
  const add = (sock: Socket | TimeWaitSocket): void => {
    if (seen.has(sock)) return;
    seen.add(sock);
    out.push(viewOf(k, sock));
  };
  for (const host of k.hosts) {
    for (const sock of host.listeners.values()) add(sock);
    for (const sock of host.sockets.values()) add(sock);
  }
  for (const proc of k.processes) for (const [, sock] of proc.fds.entries()) if (sock instanceof Socket) add(sock);
  return out.sort((a, b) => a.id - b.id);
}

/** The view of one socket. */
export function viewOf(k: Kernel, sock: Socket | TimeWaitSocket): SocketView {
  const table = k.table;
  if (sock instanceof TimeWaitSocket) {
    return {
      id: sock.id,
      host: k.hosts[sock.host]!.name,
      process: k.processes[sock.process]!.name,
      state: TCP_STATES[table.rfcStateOf[sock.leaf]!]!,
      orphaned: table.orphanedLeaf[sock.leaf] === 1,
      local: { addr: k.hosts[sock.host]!.address, port: sock.localPort },
      remote: sock.remote,
      conn: sock.conn,
      role: sock.role,
      fd: -1,
      unread: 0,
    };
  }
  return {
    id: sock.id,
    host: k.hosts[sock.host]!.name,
    process: k.processes[sock.process]!.name,
    state: TCP_STATES[k.rfcState(sock)]!,
    orphaned: table.orphanedLeaf[sock.leaf] === 1,
    local: sock.local,
    remote: sock.remote,
    conn: sock.conn,
    role: sock.role,
    fd: sock.fd,
    unread: sock.rcvBuf.length,
  };
}
