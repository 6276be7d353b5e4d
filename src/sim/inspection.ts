/**
 * Looking into the kernels without changing them: every socket as a SocketView (what netstat
 * and ss show, plus the fd and the unread bytes), for reports, real mode's replay and tests.
 */
import type { Endpoint } from '../model/segment.js';
import { TCP_STATES, type TcpState } from '../model/states.js';
import type { Kernel } from './kernel.js';
import { Socket } from './socket.js';

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
  const seen = new Set<Socket>();
  const add = (sock: Socket): void => {
    if (seen.has(sock)) return;
    seen.add(sock);
    out.push(viewOf(k, sock));
  };
  for (const host of k.hosts) {
    for (const sock of host.listeners.values()) add(sock);
    for (const sock of host.sockets.values()) {
      // a row of the TIME_WAIT table is in one host's table only, once
      if (typeof sock === 'number') out.push(viewOfTimeWait(k, sock));
      else add(sock);
    }
  }
  for (const proc of k.processes) for (const [, sock] of proc.fds.entries()) if (sock instanceof Socket) add(sock);
  return out.sort((a, b) => a.id - b.id);
}

/** The view of a TIME_WAIT socket in small form, row `row` of the TIME_WAIT table. */
function viewOfTimeWait(k: Kernel, row: number): SocketView {
  const table = k.table;
  const tw = k.timeWait;
  const host = k.hosts[tw.host[row]!]!;
  const leaf = tw.leaf[row]!;
  return {
    id: tw.id[row]!,
    host: host.name,
    process: k.processes[tw.process[row]!]!.name,
    state: TCP_STATES[table.rfcStateOf[leaf]!]!,
    orphaned: table.orphanedLeaf[leaf] === 1,
    local: { addr: host.address, port: tw.localPort[row]! },
    remote: tw.remote[row]!,
    conn: tw.conn[row]!,
    role: tw.role(row),
    fd: -1,
    unread: 0,
  };
}

/** The view of one socket. */
export function viewOf(k: Kernel, sock: Socket): SocketView {
  const table = k.table;
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
