/**
 * A kernel socket: identity, the endpoint's leaf state in the compiled table, the TCB, the
 * receive buffer and what the kernel keeps for the program (EOF, a pending error). Plain data;
 * the World changes it.
 */
import { TIMERS } from '../model/endpointMachine.js';
import type { Endpoint } from '../model/segment.js';
import { createTcb, type Tcb } from '../model/tcb.js';
import type { Errno } from './trace.js';

/** Slot number of each engine timer: the machine's timers (TIMERS order), then data retransmission and keepalive. */
export const TIMER_SLOTS = [...TIMERS, 'dataRto', 'keepalive'] as const;

/** One of the engine's timer slots. */
export type TimerSlot = (typeof TIMER_SLOTS)[number];

/** SO_KEEPALIVE with its TCP_KEEPIDLE, TCP_KEEPINTVL and TCP_KEEPCNT, in microseconds and probes. */
export interface KeepaliveOptions {
  readonly idle: number;
  readonly interval: number;
  readonly probes: number;
}

/** Someone waiting for a socket to change: a program step. */
export interface Waiter {
  wake(): void;
}

/** A socket in a host's kernel. */
export class Socket {
  /** Row of the compiled table (leaf state). */
  leaf = 0;
  readonly tcb: Tcb;
  /** Received, unread bytes. */
  rcvBuf = '';
  /** The peer's FIN has been received: reads return EOF once the buffer is empty. */
  eof = false;
  /** An error for the program's next call (ECONNRESET, ETIMEDOUT, ...). */
  error: Errno | null = null;
  /** The error was reported once; later writes get EPIPE. */
  errorReported = false;
  /** fd in the owning process, or -1 (not accepted yet, or closed: orphaned). */
  fd = -1;
  /**
   * The live expiry of each timer slot (TIMER_SLOTS order): the number it was started with
   * (timers.ts), 0 while the timer is stopped. An expiry in the agenda whose number is no longer
   * its slot's is stale and does not fire.
   */
  synRtoTimer = 0;
  finRtoTimer = 0;
  twoMslTimer = 0;
  finWait2Timer = 0;
  delAckTimer = 0;
  dataRtoTimer = 0;
  keepaliveTimer = 0;
  /** SO_KEEPALIVE, set by the program; null when off. */
  keepalive: KeepaliveOptions | null = null;
  /** When the last segment arrived (keepalive counts idle time from it: Linux rcv_tstamp). */
  lastReceived = 0;
  /** Keepalive probes sent since the peer last answered (Linux icsk_probes_out). */
  keepaliveProbes = 0;
  /** Consecutive retransmissions for the running retransmission timer. */
  retries = 0;
  /** Zero-window probes since the peer last opened its window (Linux icsk_probes_out). */
  probes = 0;
  /** The listener this connection arrived on, until accept() takes it. */
  listener: Socket | null = null;
  /** Program step blocked on this socket. */
  waiter: Waiter | null = null;
  /** Listener only: established connections waiting for accept(). */
  acceptQueue: Socket[] | null = null;
  /** Listener only: accept-queue limit (Linux lets backlog + 1 in). */
  backlog = 0;
  /** Listener only: who to tell when the accept queue gains a connection. */
  acceptWaiter: Waiter | null = null;
  /** Listener only: half-open connections (SYN_RECEIVED children), Linux's request queue length. */
  synQueue = 0;
  /** Listener only: half-open connections whose SYN,ACK has not timed out yet (Linux's young requests). */
  synYoung = 0;
  /** Listener only: when the SYN queue last overflowed (SYN cookies are checked for 2 minutes after), or -1. */
  synOverflowAt = -1;

  constructor(
    readonly id: number,
    /** Index of the host in the World. */
    readonly host: number,
    /** Index of the process the socket is attributed to. */
    readonly process: number,
    readonly local: Endpoint,
    public remote: Endpoint,
    readonly conn: number,
    readonly role: 'client' | 'server' | 'listener',
    iss: number,
  ) {
    this.tcb = createTcb(iss);
  }
}

/** The live expiry of timer `slot` on `sock`, or 0 (cases in TIMER_SLOTS order, checked by test/sim/timerSlots.test.ts). */
export function timerOf(sock: Socket, slot: number): number {
  switch (slot) {
    case 0:
      return sock.synRtoTimer;
    case 1:
      return sock.finRtoTimer;
    case 2:
      return sock.twoMslTimer;
    case 3:
      return sock.finWait2Timer;
    case 4:
      return sock.delAckTimer;
    case 5:
      return sock.dataRtoTimer;
    default:
      return sock.keepaliveTimer;
  }
}

/** Sets the live expiry of timer `slot` on `sock`. */
export function setTimerOf(sock: Socket, slot: number, link: number): void {
  switch (slot) {
    case 0:
      sock.synRtoTimer = link;
      break;
    case 1:
      sock.finRtoTimer = link;
      break;
    case 2:
      sock.twoMslTimer = link;
      break;
    case 3:
      sock.finWait2Timer = link;
      break;
    case 4:
      sock.delAckTimer = link;
      break;
    case 5:
      sock.dataRtoTimer = link;
      break;
    default:
      sock.keepaliveTimer = link;
  }
}

/** An fd that is not a socket: a file or pipe a runtime opens for itself (OpenJDK's pre-close socketpair, say). */
export class OpenFile {
  constructor(readonly what: string) {}
}

const addressIds = new Map<string, number>();

/**
 * Demultiplexing key of a connection in its host's socket table (local port, remote address and
 * port), as one number: (address id × 2^16 + remote port) × 2^16 + local port. Addresses get
 * small ids on first sight (process-wide), so no string is built per segment.
 */
export function connectionKey(localPort: number, remote: Endpoint): number {
  let id = addressIds.get(remote.addr);
  if (id === undefined) {
    id = addressIds.size;
    addressIds.set(remote.addr, id);
  }
  return (id * 65536 + remote.port) * 65536 + localPort;
}
