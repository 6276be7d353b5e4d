/**
 * The socket calls a program makes — listen, connect, accept, write, read, shutdown, close,
 * abort, exit, setsockopt(SO_KEEPALIVE) — with POSIX's answers: an fd, a byte count, or an
 * errno. Each call checks what the program may do, records it, and hands the state change to
 * the table (transitions.ts).
 */
import type { Errno } from '../model/errno.js';
import { ACK, PSH } from '../model/segment.js';
import { TCP_STATES } from '../model/states.js';
import type { ReadAmount } from '../scenario/types.js';
import type { Kernel } from './kernel.js';
import { OpenFile, Socket, connectionKey, type KeepaliveOptions, type Waiter } from './socket.js';
import { shrinkIfIdle } from './timeWait.js';
import { SLOT_DATA_RTO, SLOT_KEEPALIVE, armTimer, disarmTimer } from './timers.js';
import type { AppCall } from './trace.js';
import { apply, forget } from './transitions.js';
import { emit, freeSpace, sendSegment } from './wire.js';

const S = Object.fromEntries(TCP_STATES.map((s, i) => [s, i])) as Record<(typeof TCP_STATES)[number], number>;

/** Result of read(): the bytes taken and whether the stream has ended. */
export interface ReadResult {
  readonly data: string;
  readonly eof: boolean;
}

/** listen(): a listening socket on `port` of the host's address, or of every address (`0.0.0.0`); returns its fd or an errno. */
export function listen(k: Kernel, process: number, port: number, backlog: number, address?: string): number | Errno {
  const proc = k.liveProcess(process);
  if (!proc) return 'EBADF';
  const host = k.hosts[proc.host]!;
  if (host.listeners.has(port)) return k.fail(process, 'listen', null, 'EADDRINUSE');
  const sock = k.newSocket(proc.host, process, { addr: address ?? host.address, port }, { addr: '0.0.0.0', port: 0 }, -1, 'listener');
  const fd = proc.fds.open(sock);
  if (fd < 0) return k.fail(process, 'listen', null, 'EMFILE');
  sock.fd = fd;
  sock.acceptQueue = [];
  // the kernel caps the backlog silently (net.core.somaxconn; listen(2))
  sock.backlog = Math.min(backlog, k.profile.somaxconn);
  host.listeners.set(port, sock);
  k.tracer.record({ kind: 'call', at: k.now, process: proc.name, socket: sock.id, call: 'listen', result: String(fd) }, sock.conn);
  apply(k, sock, 'LISTEN', { by: 'call', call: 'listen' });
  return fd;
}

/** connect(): a socket in SYN_SENT towards address:port; returns its fd or an errno (EMFILE, EADDRNOTAVAIL). */
export function connect(k: Kernel, process: number, address: string, port: number, conn?: number): number | Errno {
  const proc = k.liveProcess(process);
  if (!proc) return 'EBADF';
  if (proc.fds.full) return k.fail(process, 'connect', null, 'EMFILE');
  const host = k.hosts[proc.host]!;
  const remote = k.endpoint(address, port);
  const connNumber = conn ?? k.nextConn++;
  if (connNumber >= k.nextConn) k.nextConn = connNumber + 1;
  const localPort = k.ephemeralPortFor?.(connNumber) ?? k.ports.take(proc.host, remote, k.now);
  // every port towards this destination is taken (TIME_WAIT included): connect(2) EADDRNOTAVAIL
  if (localPort < 0) return k.fail(process, 'connect', null, 'EADDRNOTAVAIL');
  const sock = k.newSocket(proc.host, process, { addr: host.address, port: localPort }, remote, connNumber, 'client');
  sock.fd = proc.fds.open(sock);
  host.sockets.set(connectionKey(localPort, remote), sock);
  if (k.tracer.on) k.tracer.record({ kind: 'call', at: k.now, process: proc.name, socket: sock.id, call: 'connect', result: String(sock.fd) }, sock.conn);
  apply(k, sock, 'CONNECT', { by: 'call', call: 'connect' });
  return sock.fd;
}

/** accept(): takes the oldest established connection; returns its fd, null when none waits (EAGAIN), or an errno. */
export function accept(k: Kernel, process: number, listenFd: number): number | Errno | null {
  const proc = k.liveProcess(process);
  const listener = k.socketOf(process, listenFd);
  if (!proc || !listener?.acceptQueue) return 'EBADF';
  // accept(2) takes a free fd before it looks at the queue (Linux __sys_accept4_file:
  // get_unused_fd_flags, then do_accept): with the table full it fails with EMFILE whether or
  // not a connection waits, and a waiting one stays queued
  if (proc.fds.full) return k.fail(process, 'accept', listener.id, 'EMFILE');
  if (listener.acceptQueue.length === 0) return null;
  const sock = listener.acceptQueue.shift()!;
  sock.listener = null;
  sock.fd = proc.fds.open(sock);
  if (k.tracer.on) k.tracer.record({ kind: 'call', at: k.now, process: proc.name, socket: sock.id, call: 'accept', result: String(sock.fd) }, sock.conn);
  return sock.fd;
}

/**
 * libuv's answer to EMFILE (uv__emfile_trick): close the reserved fd, accept the connection,
 * close it at once, reopen the reserve. The program never hears of it. Returns false when no
 * connection was waiting.
 */
export function acceptAndDrop(k: Kernel, process: number, listenFd: number): boolean {
  const proc = k.liveProcess(process);
  const listener = k.socketOf(process, listenFd);
  if (!proc || !listener?.acceptQueue || listener.acceptQueue.length === 0) return false;
  k.countError(process, 'EMFILE');
  k.tracer.record({ kind: 'error', at: k.now, process: proc.name, socket: listener.id, errno: 'EMFILE' }, -1);
  const sock = listener.acceptQueue.shift()!;
  sock.listener = null;
  k.tracer.record({ kind: 'call', at: k.now, process: proc.name, socket: sock.id, call: 'close', result: 'emfile-trick' }, sock.conn);
  apply(k, sock, sock.rcvBuf.length > 0 ? 'CLOSE_UNREAD' : 'CLOSE', { by: 'call', call: 'close' });
  return true;
}

/** Opens an fd that is not a socket (`what`: a pipe, a file); returns it, or EMFILE at the limit. */
export function openFile(k: Kernel, process: number, what: string): number | Errno {
  const proc = k.liveProcess(process);
  if (!proc) return 'EBADF';
  const fd = proc.fds.open(new OpenFile(what));
  return fd < 0 ? k.fail(process, 'socket', null, 'EMFILE') : fd;
}

/**
 * setsockopt(SO_KEEPALIVE) with TCP_KEEPIDLE, TCP_KEEPINTVL and TCP_KEEPCNT (null turns it
 * off). The first probe goes `idle` after the last segment received (Linux
 * tcp_sock_set_keepidle_locked re-arms the timer with the idle time left).
 */
export function setKeepalive(k: Kernel, process: number, fd: number, options: KeepaliveOptions | null): 0 | Errno {
  const sock = k.socketOf(process, fd);
  if (!sock) return 'EBADF';
  sock.keepalive = options;
  if (options === null) disarmTimer(sock, SLOT_KEEPALIVE);
  else if (sock.acceptQueue === null && k.rfcState(sock) !== S.CLOSED) {
    armTimer(k, sock, SLOT_KEEPALIVE, Math.max(0, options.idle - (k.now - sock.lastReceived)));
  }
  return 0;
}

/** write(): queues `data` for the peer; returns the byte count or an errno (EPIPE, ECONNRESET, ...). */
export function write(k: Kernel, process: number, fd: number, data: string): number | Errno {
  const sock = k.socketOf(process, fd);
  if (!sock) return 'EBADF';
  const pending = takeError(k, process, sock, 'write');
  if (pending) return pending;
  const state = k.rfcState(sock);
  if (state !== S.ESTABLISHED && state !== S.CLOSE_WAIT) {
    // writing after shutdown(SHUT_WR) or after the connection is gone: EPIPE (POSIX write(2))
    const errno: Errno = state === S.SYN_SENT || state === S.SYN_RECEIVED ? 'ENOTCONN' : 'EPIPE';
    return k.fail(process, 'write', sock.id, errno, sock.conn);
  }
  if (k.tracer.on) k.tracer.record({ kind: 'call', at: k.now, process: k.processes[process]!.name, socket: sock.id, call: 'write', result: String(data.length) }, sock.conn);
  if (data.length > 0) {
    // one segment per MSS, the last one pushed (RFC 9293 §3.7.1)
    const mss = k.mss;
    for (let at = 0; at < data.length; at += mss) {
      const end = Math.min(at + mss, data.length);
      emit(k, sock, end === data.length ? PSH | ACK : ACK, at === 0 && end === data.length ? data : data.slice(at, end));
    }
    if (sock.dataRtoTimer === 0) armTimer(k, sock, SLOT_DATA_RTO);
  }
  return data.length;
}

/** read(): takes bytes per `amount`; null when it would block; an errno after a reset. */
export function read(k: Kernel, process: number, fd: number, amount: ReadAmount): ReadResult | Errno | null {
  const sock = k.socketOf(process, fd);
  if (!sock) return 'EBADF';
  let take = -1;
  const buffered = sock.rcvBuf.length;
  if (amount.kind === 'line') {
    const nl = sock.rcvBuf.indexOf('\n');
    if (nl >= 0) take = nl + 1;
  } else if (amount.kind === 'bytes') {
    if (buffered >= amount.count) take = amount.count;
  } else if (amount.kind === 'upTo') {
    // one read(2): whatever has arrived, up to the buffer's size
    if (buffered > 0) take = Math.min(buffered, amount.count);
  } else if (buffered > 0) {
    // reading to EOF drains what has arrived, as a read loop does
    take = buffered;
  }
  if (take < 0) {
    if (sock.eof || (buffered > 0 && (sock.error || k.rfcState(sock) === S.CLOSED))) take = buffered;
    else if (sock.error) {
      const pending = takeError(k, process, sock, 'read');
      if (pending) return pending;
      take = 0;
    } else if (k.rfcState(sock) === S.CLOSED) take = 0;
    else return null;
  }
  const windowWasClosed = freeSpace(k, sock) === 0;
  const data = sock.rcvBuf.slice(0, take);
  sock.rcvBuf = take === buffered ? '' : sock.rcvBuf.slice(take);
  // the window reopens: tell the peer at once (window update, RFC 9293 §3.8.6.2.2)
  if (windowWasClosed && take > 0 && k.rfcState(sock) !== S.CLOSED) sendSegment(k, sock, sock.tcb.sndNxt, sock.tcb.rcvNxt, ACK, '', false);
  const ended = sock.eof || sock.error !== null || k.rfcState(sock) === S.CLOSED;
  const eof = ended && sock.rcvBuf.length === 0;
  if (k.tracer.on) k.tracer.record({ kind: 'call', at: k.now, process: k.processes[process]!.name, socket: sock.id, call: 'read', result: eof ? `${data.length}+EOF` : String(data.length) }, sock.conn);
  return { data, eof };
}

/** shutdown(SHUT_WR): sends FIN, keeps the fd and the read side. */
export function shutdown(k: Kernel, process: number, fd: number): 0 | Errno {
  const sock = k.socketOf(process, fd);
  if (!sock) return 'EBADF';
  const state = k.rfcState(sock);
  if (state !== S.ESTABLISHED && state !== S.CLOSE_WAIT) return k.fail(process, 'shutdown', sock.id, 'ENOTCONN', sock.conn);
  k.tracer.record({ kind: 'call', at: k.now, process: k.processes[process]!.name, socket: sock.id, call: 'shutdown', result: '0' }, sock.conn);
  apply(k, sock, 'SHUTDOWN', { by: 'call', call: 'shutdown' });
  return 0;
}

/** close() or, with SO_LINGER 0, abort(): frees the fd at once; the kernel keeps the socket (orphaned) until it reaches CLOSED. */
export function releaseFd(k: Kernel, process: number, fd: number, call: 'close' | 'abort'): 0 | Errno {
  const proc = k.processes[process];
  const sock = proc?.fds.close(fd);
  if (!proc || !sock) return 'EBADF';
  if (sock instanceof OpenFile) return 0;
  sock.fd = -1;
  if (k.tracer.on) k.tracer.record({ kind: 'call', at: k.now, process: proc.name, socket: sock.id, call, result: '0' }, sock.conn);
  if (sock.acceptQueue) closeListener(k, sock);
  else if (k.rfcState(sock) === S.CLOSED) forget(k, sock);
  else if (call === 'abort') apply(k, sock, 'ABORT', { by: 'call', call });
  else apply(k, sock, sock.rcvBuf.length > 0 ? 'CLOSE_UNREAD' : 'CLOSE', { by: 'call', call });
  shrinkIfIdle(k, sock);
  return 0;
}

/** The process ends: the kernel closes every fd it held, lowest first. */
export function exit(k: Kernel, process: number): void {
  const proc = k.processes[process];
  if (!proc || proc.exited) return;
  k.tracer.record({ kind: 'call', at: k.now, process: proc.name, socket: null, call: 'exit', result: '0' }, -1);
  for (const [fd] of proc.fds.entries()) releaseFd(k, process, fd, 'close');
  proc.exited = true;
}

/** Tells `waiter` when socket `fd` changes (data, EOF, connected, error; a listener: a connection to accept). */
export function waitOn(k: Kernel, process: number, fd: number, waiter: Waiter): void {
  const sock = k.socketOf(process, fd);
  if (!sock) return;
  if (sock.acceptQueue) sock.acceptWaiter = waiter;
  else sock.waiter = waiter;
}

/** Whether the socket behind `fd` is connected or has failed (connect() has finished). */
export function connectOutcome(k: Kernel, process: number, fd: number): 'pending' | 'connected' | Errno {
  const sock = k.socketOf(process, fd);
  if (!sock) return 'EBADF';
  const state = k.rfcState(sock);
  if (state === S.SYN_SENT || state === S.SYN_RECEIVED) return 'pending';
  if (state === S.CLOSED) return takeError(k, process, sock, 'connect') ?? 'ECONNRESET';
  return 'connected';
}

/** Closing a listener resets the connections nobody accepted (Linux inet_csk_listen_stop), then closes it. */
function closeListener(k: Kernel, listener: Socket): void {
  const host = k.hosts[listener.host]!;
  const orphans = [...(listener.acceptQueue ?? [])];
  for (const sock of host.sockets.values()) if (sock instanceof Socket && sock.listener === listener && !orphans.includes(sock)) orphans.push(sock);
  listener.acceptQueue = [];
  for (const sock of orphans) {
    sock.listener = null;
    apply(k, sock, 'ABORT', { by: 'call', call: 'close' });
  }
  apply(k, listener, 'CLOSE', { by: 'call', call: 'close' });
}

/** The socket's pending error, reported once; after that a dead socket answers EPIPE to writes. */
function takeError(k: Kernel, process: number, sock: Socket, call: AppCall): Errno | null {
  if (sock.error && !sock.errorReported) {
    sock.errorReported = true;
    return k.fail(process, call, sock.id, sock.error, sock.conn);
  }
  if (sock.errorReported && call === 'write') return k.fail(process, call, sock.id, 'EPIPE', sock.conn);
  return null;
}
