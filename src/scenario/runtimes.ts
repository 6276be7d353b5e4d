/**
 * Language runtimes as data: what a server or client written in each does by default, where it
 * changes what netstat shows. A process names one (`runtime: java`) and may still set any of
 * these itself. Each value says where it comes from: measured on Linux 6.18 with OpenJDK 17,
 * Go 1.19, Node 20 and CPython 3.11 (docs/article-measured.md), or the runtime's source.
 */
import type { AcceptErrorAction, AcceptPolicy, KeepaliveSpec, Micros, RuntimeName } from './types.js';

/** What a runtime brings to a process. */
export interface RuntimeDefaults {
  /** listen() backlog when the program gives none; the kernel caps it at net.core.somaxconn. */
  readonly backlog: number;
  /** fds open before the listener or the first connection. */
  readonly baselineFds: number;
  readonly acceptPolicy: AcceptPolicy;
  readonly onAcceptError: AcceptErrorAction;
  readonly keepalive: KeepaliveSpec | null;
  readonly closeOnEof: boolean;
  readonly closeWhenDone: boolean;
  /** Program time per accepted connection before the next accept(). */
  readonly acceptCost: Micros;
  /** fds the runtime opens at the process's first socket write. */
  readonly firstWriteFds: number;
  /** Where the values come from, for docs and `tcpsim help`. */
  readonly sources: string;
}

const SECOND = 1_000_000;

/** Every runtime's defaults. */
export const RUNTIMES: Readonly<Record<RuntimeName, RuntimeDefaults>> = {
  java: {
    // java.net.ServerSocket(port): "the maximum queue length ... is set to 50"
    backlog: 50,
    // `ls /proc/PID/fd` of a bare `java Server` (OpenJDK 17): 0, 1, 2 and lib/modules
    baselineFds: 4,
    // NioSocketImpl.accept calls accept(2) first and parks only on EAGAIN
    acceptPolicy: 'posix',
    // an IOException from accept() leaves a loop wrapped in one try, as the article's main is
    onAcceptError: { kind: 'stop' },
    keepalive: null,
    closeOnEof: false,
    // a Socket the program drops is closed by its Cleaner only after a GC finds it unreachable:
    // not while a sleeping thread still holds it (measured: nothing was closed)
    closeWhenDone: false,
    acceptCost: 0,
    // strace: socketpair(AF_UNIX) in the first thread to write to a socket (FileDispatcherImpl's
    // pre-close fd); one end stays open: 1006 fds = 4 + listener + it + 1000 connections
    firstWriteFds: 1,
    sources: 'ServerSocket javadoc (backlog 50); OpenJDK 17 measured (4 fds: 0-2, lib/modules; +1 socketpair at the first write)',
  },
  go: {
    // net.Listen asks for net.core.somaxconn (listenerBacklog reads /proc/sys/net/core/somaxconn)
    backlog: 65_535,
    // 0, 1, 2, the epoll fd and its wake-up pipe pair (measured, Go 1.19)
    baselineFds: 6,
    // accept4 first, the poller only on EAGAIN (internal/poll.FD.Accept)
    acceptPolicy: 'posix',
    // `if err != nil { return }` in main, as the article's server: the process ends
    onAcceptError: { kind: 'exit' },
    // net.ListenConfig / net.Dialer KeepAlive 0 means defaultTCPKeepAlive = 15 s, set as
    // TCP_KEEPIDLE and TCP_KEEPINTVL; TCP_KEEPCNT stays tcp_keepalive_probes
    keepalive: { idle: 15 * SECOND, interval: 15 * SECOND, probes: null },
    closeOnEof: false,
    // a netFD's finalizer closes it only at a GC, which small heaps never run (measured: none ran)
    closeWhenDone: false,
    acceptCost: 0,
    firstWriteFds: 0,
    sources: 'Go 1.19 net (defaultTCPKeepAlive, listenerBacklog, poll.FD.Accept); measured fds',
  },
  node: {
    // net.Server.listen(): backlog 511
    backlog: 511,
    // measured (Node 20.20): 0-2, then libuv's epoll fds, eventfds and pipes (3-17) and the
    // reserve /dev/null it closes for uv__emfile_trick (18); the listener is fd 19
    baselineFds: 19,
    acceptPolicy: 'libuv',
    onAcceptError: { kind: 'retry', after: SECOND },
    keepalive: null,
    // allowHalfOpen defaults to false: on 'end' Node calls end(), then destroy()
    closeOnEof: true,
    closeWhenDone: false,
    acceptCost: 0,
    firstWriteFds: 0,
    sources: 'Node 20 net docs (backlog 511, allowHalfOpen false, keepAlive false); libuv uv__emfile_trick; measured fds',
  },
  python: {
    // socket.listen() without a backlog: min(SOMAXCONN, 128)
    backlog: 128,
    baselineFds: 3,
    acceptPolicy: 'posix',
    // an uncaught OSError ends the program
    onAcceptError: { kind: 'exit' },
    keepalive: null,
    closeOnEof: false,
    // reference counting closes a socket object as soon as the program drops it
    closeWhenDone: true,
    acceptCost: 0,
    firstWriteFds: 0,
    sources: 'CPython socket module (listen default, reference counting)',
  },
  c: {
    // what most code passes (SOMAXCONN before glibc 2.35)
    backlog: 128,
    baselineFds: 3,
    acceptPolicy: 'posix',
    // a loop that reports the error and sleeps a second before the next accept()
    onAcceptError: { kind: 'retry', after: SECOND },
    keepalive: null,
    closeOnEof: false,
    closeWhenDone: false,
    acceptCost: 0,
    firstWriteFds: 0,
    sources: 'POSIX accept(2), listen(2)',
  },
};

/** The runtime names, in the order docs list them. */
export const RUNTIME_NAMES = Object.keys(RUNTIMES) as RuntimeName[];
