/**
 * The TCP endpoint's state graph, defined once, in xstate v5. Everything else — the flat table
 * the engine runs, the state diagrams, the coverage matrix — is derived from this machine.
 *
 * The machine is pure bookkeeping of states, actions and timers. Numbers never appear in it:
 * segment classification (classify.ts) turns a segment plus the TCB into the abstract events
 * below, and the engine turns an expired retransmission timer into `GIVE_UP` when the profile's
 * retry limit is spent. Timers are named `after` delays; tcpsim never lets xstate's scheduler run
 * them (it reads the wall clock): `transition()` returns them as `xstate.raise` / `xstate.cancel`
 * actions, which compileTable.ts turns into start/cancel-timer effects for the engine's queue.
 *
 * FIN_WAIT_1 and FIN_WAIT_2 have two substates, `attached` (the program still holds the fd,
 * after shutdown(SHUT_WR)) and `orphaned` (the program has called close()): Linux treats them
 * differently — only an orphaned FIN_WAIT_2 times out (tcp_fin_timeout), and data arriving at an
 * orphaned socket is answered with RST (net/ipv4/tcp_input.c, tcp_rcv_state_process,
 * LINUX_MIB_TCPABORTONDATA).
 */
import { setup } from 'xstate';

/** Events a program causes by calling into the kernel. */
export const APP_EVENTS = ['CONNECT', 'LISTEN', 'SHUTDOWN', 'CLOSE', 'CLOSE_UNREAD', 'ABORT'] as const;

/** Events segment classification produces (see classify.ts for what each one means). */
export const SEGMENT_EVENTS = [
  'SYN',
  'SYN_ACK',
  'ACK_OF_SYN',
  'ACK_OF_FIN',
  'FIN',
  'FIN_ACK_OF_FIN',
  'DATA',
  'STRAY',
  'RST',
] as const;

/** Named timers (xstate `after` delays); their durations come from the OS profile. */
export const TIMERS = ['synRto', 'finRto', 'twoMsl', 'finWait2', 'delAck'] as const;

/**
 * Events of an expired timer, plus GIVE_UP when a retransmission timer has no retries left and
 * KEEPALIVE_GIVE_UP when a socket with SO_KEEPALIVE has had no answer to its last probe. The
 * keepalive timer itself is the engine's (it counts idle time and probes, numbers the graph
 * does not need); only its verdict changes state.
 */
export const TIMER_EVENTS = ['TIMEOUT_synRto', 'TIMEOUT_finRto', 'TIMEOUT_twoMsl', 'TIMEOUT_finWait2', 'TIMEOUT_delAck', 'GIVE_UP', 'KEEPALIVE_GIVE_UP'] as const;

/** Every abstract event the endpoint reacts to, in table column order. */
export const ENDPOINT_EVENTS = [...APP_EVENTS, ...SEGMENT_EVENTS, ...TIMER_EVENTS] as const;

/** One abstract event name. */
export type EndpointEvent = (typeof ENDPOINT_EVENTS)[number];

/** One named timer. */
export type TimerName = (typeof TIMERS)[number];

/** Actions the machine asks for; the engine performs them. */
export const ENDPOINT_ACTIONS = [
  'sendSyn',
  'sendSynAck',
  'sendAck',
  'sendFin',
  'sendRst',
  'retransmit',
  'notifyConnected',
  'notifyEof',
  'notifyReset',
  'notifyRefused',
  'notifyPipe',
  'notifyTimeout',
] as const;

/** One action name. */
export type EndpointAction = (typeof ENDPOINT_ACTIONS)[number];

/** Behaviour that differs between OS profiles and changes the graph's shape. */
export interface EndpointFeatures {
  /** An orphaned FIN_WAIT_2 expires (Linux tcp_fin_timeout); RFC 9293 has no such timer. */
  readonly orphanFinWait2Timeout: boolean;
  /** close() with unread received data sends RST and drops the connection (RFC 2525 §2.17). */
  readonly rstOnUnreadClose: boolean;
  /** A RST ends TIME_WAIT (Linux with tcp_rfc1337=0, RFC 9293 §3.10.7.4); RFC 1337 says ignore it. */
  readonly rstEndsTimeWait: boolean;
  /**
   * A FIN received in ESTABLISHED is ACKed after the delayed-ACK timer, not at once: Linux's
   * tcp_fin() puts the socket in pingpong mode, so a program that closes within the delay sends
   * its FIN with the ACK (measured on loopback: ACK 41–44 ms after the FIN). RFC 9293 ACKs at once.
   */
  readonly delayedFinAck: boolean;
}

/** Input events of the machine: the abstract events, or xstate's own delayed `after` events. */
type MachineEvent = { type: EndpointEvent } | { type: `xstate.after.${string}` };

const noop = (): void => {};

/** Builds the endpoint machine for one set of profile features. */
export function createEndpointMachine(features: EndpointFeatures) {
  const closeWithUnread = (orphanTarget: string): { target: string; actions?: 'sendRst' } =>
    features.rstOnUnreadClose
      ? // close() with unread data: RST, not FIN; no TIME_WAIT on either side (RFC 2525 §2.17, Linux tcp_close)
        { target: '#tcp.CLOSED', actions: 'sendRst' }
      : { target: orphanTarget };

  return setup({
    types: {} as { context: Record<string, never>; events: MachineEvent },
    actions: Object.fromEntries(ENDPOINT_ACTIONS.map((name) => [name, noop])) as Record<EndpointAction, () => void>,
    // Durations are placeholders: the engine takes them from the OS profile and the backoff state.
    delays: Object.fromEntries(TIMERS.map((name) => [name, 1])) as Record<TimerName, number>,
  }).createMachine({

    context: {},
    id: 'tcp',
    initial: 'CLOSED',
    states: {
      CLOSED: {
        on: {
          // connect(): send SYN, enter SYN_SENT (RFC 9293 §3.10.1, OPEN call in CLOSED, active)
          CONNECT: { target: 'SYN_SENT', actions: 'sendSyn' },
          // listen(): enter LISTEN (RFC 9293 §3.10.1, OPEN call in CLOSED, passive)
          LISTEN: { target: 'LISTEN' },
        },
      },
      LISTEN: {
        on: {
          // SYN in LISTEN: send SYN,ACK, enter SYN_RECEIVED (RFC 9293 §3.10.7.2, third check)
          SYN: { target: 'SYN_RECEIVED', actions: 'sendSynAck' },
          // close() in LISTEN: delete the TCB (RFC 9293 §3.10.4)
          CLOSE: { target: 'CLOSED' },
          CLOSE_UNREAD: { target: 'CLOSED' },
          ABORT: { target: 'CLOSED' },
        },
      },
      SYN_SENT: {
        // SYN not answered: retransmit with exponential backoff (RFC 6298 §5.5; Linux tcp_syn_retries)
        after: { synRto: { target: 'SYN_SENT', reenter: true, actions: 'retransmit' } },
        on: {
          // SYN,ACK acknowledging our SYN: ACK it, enter ESTABLISHED (RFC 9293 §3.10.7.3, fourth check)
          SYN_ACK: { target: 'ESTABLISHED', actions: ['sendAck', 'notifyConnected'] },
          // SYN without ACK: simultaneous open, send SYN,ACK, enter SYN_RECEIVED (RFC 9293 §3.10.7.3)
          SYN: { target: 'SYN_RECEIVED', actions: 'sendSynAck' },
          // acceptable RST in SYN_SENT: "connection reset", ECONNREFUSED (RFC 9293 §3.10.7.3, second check)
          RST: { target: 'CLOSED', actions: 'notifyRefused' },
          // close()/abort in SYN_SENT: delete the TCB, nothing sent (RFC 9293 §3.10.4, §3.10.5)
          CLOSE: { target: 'CLOSED' },
          CLOSE_UNREAD: { target: 'CLOSED' },
          ABORT: { target: 'CLOSED' },
          // SYN retries spent: ETIMEDOUT (Linux tcp_write_timeout)
          GIVE_UP: { target: 'CLOSED', actions: 'notifyTimeout' },
        },
      },
      SYN_RECEIVED: {
        // SYN,ACK not acknowledged: retransmit it (Linux tcp_synack_retries)
        after: { synRto: { target: 'SYN_RECEIVED', reenter: true, actions: 'retransmit' } },
        on: {
          // ACK of our SYN: enter ESTABLISHED; the connection joins the accept queue (RFC 9293 §3.10.7.4, fifth check)
          ACK_OF_SYN: { target: 'ESTABLISHED', actions: 'notifyConnected' },
          // RST in SYN_RECEIVED of a passive open: forget the embryonic connection (RFC 9293 §3.10.7.4)
          RST: { target: 'CLOSED' },
          // close() in SYN_RECEIVED: send FIN, enter FIN_WAIT_1 (RFC 9293 §3.10.4)
          CLOSE: { target: 'FIN_WAIT_1.orphaned', actions: 'sendFin' },
          CLOSE_UNREAD: { target: 'FIN_WAIT_1.orphaned', actions: 'sendFin' },
          // abort: send RST, delete the TCB (RFC 9293 §3.10.5)
          ABORT: { target: 'CLOSED', actions: 'sendRst' },
          // SYN,ACK retries spent: drop the embryonic connection
          GIVE_UP: { target: 'CLOSED', actions: 'notifyTimeout' },
        },
      },
      ESTABLISHED: {
        on: {
          // close(): send FIN, enter FIN_WAIT_1; the socket is orphaned (RFC 9293 §3.10.4)
          CLOSE: { target: 'FIN_WAIT_1.orphaned', actions: 'sendFin' },
          CLOSE_UNREAD: features.rstOnUnreadClose
            ? { target: 'CLOSED', actions: 'sendRst' }
            : { target: 'FIN_WAIT_1.orphaned', actions: 'sendFin' },
          // shutdown(SHUT_WR): send FIN, keep the fd, keep receiving (RFC 9293 §3.6 half-close)
          SHUTDOWN: { target: 'FIN_WAIT_1.attached', actions: 'sendFin' },
          // SO_LINGER 0 + close(): send RST, delete the TCB (RFC 9293 §3.10.5)
          ABORT: { target: 'CLOSED', actions: 'sendRst' },
          // FIN: ACK it, tell the reader EOF, enter CLOSE_WAIT (RFC 9293 §3.10.7.4, eighth check);
          // Linux delays that ACK (CLOSE_WAIT's delAck timer)
          FIN: features.delayedFinAck
            ? { target: 'CLOSE_WAIT', actions: 'notifyEof' }
            : { target: 'CLOSE_WAIT', actions: ['sendAck', 'notifyEof'] },
          // in-order data: queue it for the reader and ACK it (RFC 9293 §3.10.7.4, seventh check)
          DATA: { actions: 'sendAck' },
          // unacceptable or duplicate segment: re-ACK (RFC 9293 §3.10.7.4, first check)
          STRAY: { actions: 'sendAck' },
          // RST: "connection reset", ECONNRESET (RFC 9293 §3.10.7.4, second check)
          RST: { target: 'CLOSED', actions: 'notifyReset' },
          // data retransmissions spent: ETIMEDOUT (Linux tcp_retries2)
          GIVE_UP: { target: 'CLOSED', actions: 'notifyTimeout' },
          // keepalive probes unanswered: send RST, ETIMEDOUT (RFC 1122 §4.2.3.6; Linux tcp_keepalive_timer)
          KEEPALIVE_GIVE_UP: { target: 'CLOSED', actions: ['sendRst', 'notifyTimeout'] },
        },
      },
      FIN_WAIT_1: {
        initial: 'attached',
        // FIN not acknowledged: retransmit from SND.UNA with backoff; the substate survives (history)
        after: { finRto: { target: '.resume', reenter: true, actions: 'retransmit' } },
        on: {
          // FIN of the peer before the ACK of ours: simultaneous close, ACK it, enter CLOSING (RFC 9293 §3.10.7.4, eighth check);
          // a program still reading (after shutdown) sees EOF
          FIN: { target: 'CLOSING', actions: ['sendAck', 'notifyEof'] },
          // FIN that also acknowledges our FIN: ACK it, enter TIME_WAIT, start 2MSL (RFC 9293 §3.10.7.4)
          FIN_ACK_OF_FIN: { target: 'TIME_WAIT', actions: ['sendAck', 'notifyEof'] },
          STRAY: { actions: 'sendAck' },
          RST: { target: 'CLOSED', actions: 'notifyReset' },
          // FIN retries spent: drop the socket (Linux tcp_orphan_retries / tcp_retries2)
          GIVE_UP: { target: 'CLOSED', actions: 'notifyTimeout' },
        },
        states: {
          attached: {
            on: {
              // our FIN acknowledged: enter FIN_WAIT_2 (RFC 9293 §3.10.7.4, fifth check)
              ACK_OF_FIN: { target: '#tcp.FIN_WAIT_2.attached' },
              // half-closed: the peer may still send data (RFC 9293 §3.6)
              DATA: { actions: 'sendAck' },
              // close() after shutdown(): the socket becomes an orphan
              CLOSE: { target: 'orphaned' },
              CLOSE_UNREAD: closeWithUnread('orphaned'),
              ABORT: { target: '#tcp.CLOSED', actions: 'sendRst' },
            },
          },
          orphaned: {
            on: {
              ACK_OF_FIN: { target: '#tcp.FIN_WAIT_2.orphaned' },
              // data for a socket nobody can read: RST (Linux tcp_rcv_state_process, TCPABORTONDATA)
              DATA: { target: '#tcp.CLOSED', actions: 'sendRst' },
            },
          },
          resume: { type: 'history' },
        },
      },
      FIN_WAIT_2: {
        initial: 'attached',
        on: {
          // FIN: ACK it, enter TIME_WAIT, start 2MSL (RFC 9293 §3.10.7.4, eighth check)
          FIN: { target: 'TIME_WAIT', actions: ['sendAck', 'notifyEof'] },
          STRAY: { actions: 'sendAck' },
          RST: { target: 'CLOSED', actions: 'notifyReset' },
        },
        states: {
          attached: {
            // no timer: a FIN_WAIT_2 socket whose program holds the fd waits forever (Linux),
            // unless the program asked for keepalive probes
            on: {
              DATA: { actions: 'sendAck' },
              KEEPALIVE_GIVE_UP: { target: '#tcp.CLOSED', actions: ['sendRst', 'notifyTimeout'] },
              // close() in FIN_WAIT_2: orphaned, tcp_fin_timeout starts now (Linux tcp_close)
              CLOSE: { target: 'orphaned' },
              CLOSE_UNREAD: closeWithUnread('orphaned'),
              ABORT: { target: '#tcp.CLOSED', actions: 'sendRst' },
            },
          },
          orphaned: {
            // orphaned FIN_WAIT_2 ends after tcp_fin_timeout (Linux tcp_time_wait(TCP_FIN_WAIT2, tmo))
            ...(features.orphanFinWait2Timeout ? { after: { finWait2: { target: '#tcp.CLOSED' } } } : {}),
            on: {
              // data for a socket nobody can read: RST (Linux tcp_rcv_state_process, TCPABORTONDATA)
              DATA: { target: '#tcp.CLOSED', actions: 'sendRst' },
            },
          },
        },
      },
      CLOSING: {
        after: { finRto: { target: 'CLOSING', reenter: true, actions: 'retransmit' } },
        on: {
          // our FIN acknowledged: enter TIME_WAIT (RFC 9293 §3.10.7.4, fifth check, CLOSING)
          ACK_OF_FIN: { target: 'TIME_WAIT' },
          // the peer retransmitted its FIN: ACK it again
          FIN: { actions: 'sendAck' },
          STRAY: { actions: 'sendAck' },
          // RST in CLOSING: delete the TCB (RFC 9293 §3.10.7.4, second check)
          RST: { target: 'CLOSED' },
          ABORT: { target: 'CLOSED', actions: 'sendRst' },
          GIVE_UP: { target: 'CLOSED', actions: 'notifyTimeout' },
        },
      },
      TIME_WAIT: {
        // 2MSL expired: delete the TCB (RFC 9293 §3.10.8; Linux TCP_TIMEWAIT_LEN = 60 s)
        after: { twoMsl: { target: 'CLOSED' } },
        on: {
          // retransmitted FIN: ACK it and restart the 2MSL timeout (RFC 9293 §3.10.7.4, eighth check)
          FIN: { target: 'TIME_WAIT', reenter: true, actions: 'sendAck' },
          FIN_ACK_OF_FIN: { target: 'TIME_WAIT', reenter: true, actions: 'sendAck' },
          STRAY: { actions: 'sendAck' },
          // RST in TIME_WAIT: Linux kills the socket (tcp_rfc1337=0); RFC 1337 §3 would ignore it
          ...(features.rstEndsTimeWait ? { RST: { target: 'CLOSED' } } : {}),
        },
      },
      CLOSE_WAIT: {
        // no timer ends CLOSE_WAIT: it lasts until the program closes (RFC 9293 §3.10.4; Linux has none either).
        // Linux ACKs the FIN that brought it here after the delayed-ACK timer (tcp_fin: pingpong
        // mode; tcp_send_delayed_ack, TCP_ATO_MIN 40 ms) unless a segment of ours carries it
        // first — the FIN of a close() or data of a write(); leaving the state cancels the timer
        ...(features.delayedFinAck ? { after: { delAck: { actions: 'sendAck' } } } : {}),
        on: {
          // close(): send FIN, enter LAST_ACK (RFC 9293 §3.10.4, CLOSE-WAIT)
          CLOSE: { target: 'LAST_ACK', actions: 'sendFin' },
          CLOSE_UNREAD: features.rstOnUnreadClose
            ? { target: 'CLOSED', actions: 'sendRst' }
            : { target: 'LAST_ACK', actions: 'sendFin' },
          SHUTDOWN: { target: 'LAST_ACK', actions: 'sendFin' },
          ABORT: { target: 'CLOSED', actions: 'sendRst' },
          // the peer retransmitted its FIN: ACK it again
          FIN: { actions: 'sendAck' },
          STRAY: { actions: 'sendAck' },
          // RST after the peer's FIN: the next write fails with EPIPE (Linux tcp_reset). This is
          // how keepalive ends a forgotten CLOSE_WAIT: the peer's orphan has expired, so it
          // answers the probe with RST; the program still holds the fd of a CLOSED socket
          RST: { target: 'CLOSED', actions: 'notifyPipe' },
          GIVE_UP: { target: 'CLOSED', actions: 'notifyTimeout' },
          KEEPALIVE_GIVE_UP: { target: 'CLOSED', actions: ['sendRst', 'notifyTimeout'] },
        },
      },
      LAST_ACK: {
        after: { finRto: { target: 'LAST_ACK', reenter: true, actions: 'retransmit' } },
        on: {
          // our FIN acknowledged: delete the TCB (RFC 9293 §3.10.7.4, fifth check, LAST-ACK)
          ACK_OF_FIN: { target: 'CLOSED' },
          FIN: { actions: 'sendAck' },
          STRAY: { actions: 'sendAck' },
          // RST in LAST_ACK: delete the TCB (RFC 9293 §3.10.7.4, second check)
          RST: { target: 'CLOSED' },
          ABORT: { target: 'CLOSED', actions: 'sendRst' },
          GIVE_UP: { target: 'CLOSED', actions: 'notifyTimeout' },
        },
      },
    },
  });
}

/** The machine type, for code that walks its graph. */
export type EndpointMachine = ReturnType<typeof createEndpointMachine>;
