/**
 * The eleven connection states of RFC 9293 §3.3.2, under their canonical names, and the
 * spellings other tools use for them. Canonical names are used everywhere inside tcpsim;
 * the other spellings exist only where output is printed or OS tables are parsed.
 */

/** Canonical RFC 9293 state names, in the order the RFC's Figure 5 introduces them. */
export const TCP_STATES = [
  'CLOSED',
  'LISTEN',
  'SYN_SENT',
  'SYN_RECEIVED',
  'ESTABLISHED',
  'FIN_WAIT_1',
  'FIN_WAIT_2',
  'CLOSING',
  'TIME_WAIT',
  'CLOSE_WAIT',
  'LAST_ACK',
] as const;

/** One of the eleven RFC 9293 states. */
export type TcpState = (typeof TCP_STATES)[number];

/** True when `name` is a canonical state name. */
export function isTcpState(name: string): name is TcpState {
  return (TCP_STATES as readonly string[]).includes(name);
}

/** States in which both sides have exchanged SYNs (RFC 9293 §3.5: "synchronized states"). */
export const SYNCHRONIZED_STATES: readonly TcpState[] = [
  'ESTABLISHED',
  'FIN_WAIT_1',
  'FIN_WAIT_2',
  'CLOSE_WAIT',
  'CLOSING',
  'LAST_ACK',
  'TIME_WAIT',
];

/** RFC 9293 text spelling (`FIN-WAIT-1`, `SYN-RECEIVED`). */
export const RFC_SPELLING: Readonly<Record<TcpState, string>> = {
  CLOSED: 'CLOSED',
  LISTEN: 'LISTEN',
  SYN_SENT: 'SYN-SENT',
  SYN_RECEIVED: 'SYN-RECEIVED',
  ESTABLISHED: 'ESTABLISHED',
  FIN_WAIT_1: 'FIN-WAIT-1',
  FIN_WAIT_2: 'FIN-WAIT-2',
  CLOSING: 'CLOSING',
  TIME_WAIT: 'TIME-WAIT',
  CLOSE_WAIT: 'CLOSE-WAIT',
  LAST_ACK: 'LAST-ACK',
};

/** netstat spelling (`FIN_WAIT1`, `SYN_RECV`), as in the article's `netstat | awk` loop. */
export const NETSTAT_SPELLING: Readonly<Record<TcpState, string>> = {
  CLOSED: 'CLOSE',
  LISTEN: 'LISTEN',
  SYN_SENT: 'SYN_SENT',
  SYN_RECEIVED: 'SYN_RECV',
  ESTABLISHED: 'ESTABLISHED',
  FIN_WAIT_1: 'FIN_WAIT1',
  FIN_WAIT_2: 'FIN_WAIT2',
  CLOSING: 'CLOSING',
  TIME_WAIT: 'TIME_WAIT',
  CLOSE_WAIT: 'CLOSE_WAIT',
  LAST_ACK: 'LAST_ACK',
};

/** iproute2 `ss` spelling (`ESTAB`, `FIN-WAIT-1`, `SYN-RECV`). */
export const SS_SPELLING: Readonly<Record<TcpState, string>> = {
  CLOSED: 'UNCONN',
  LISTEN: 'LISTEN',
  SYN_SENT: 'SYN-SENT',
  SYN_RECEIVED: 'SYN-RECV',
  ESTABLISHED: 'ESTAB',
  FIN_WAIT_1: 'FIN-WAIT-1',
  FIN_WAIT_2: 'FIN-WAIT-2',
  CLOSING: 'CLOSING',
  TIME_WAIT: 'TIME-WAIT',
  CLOSE_WAIT: 'CLOSE-WAIT',
  LAST_ACK: 'LAST-ACK',
};

/** The `st` column of /proc/net/tcp (include/net/tcp_states.h); CLOSED is absent there. */
export const PROC_NET_TCP_CODE: Readonly<Record<TcpState, number>> = {
  CLOSED: 0x07,
  LISTEN: 0x0a,
  SYN_SENT: 0x02,
  SYN_RECEIVED: 0x03,
  ESTABLISHED: 0x01,
  FIN_WAIT_1: 0x04,
  FIN_WAIT_2: 0x05,
  CLOSING: 0x0b,
  TIME_WAIT: 0x06,
  CLOSE_WAIT: 0x08,
  LAST_ACK: 0x09,
};

function invert(spelling: Readonly<Record<TcpState, string>>): ReadonlyMap<string, TcpState> {
  return new Map(TCP_STATES.map((s) => [spelling[s], s] as const));
}

const FROM_SS = invert(SS_SPELLING);
const FROM_NETSTAT = invert(NETSTAT_SPELLING);
const FROM_PROC = new Map(TCP_STATES.map((s) => [PROC_NET_TCP_CODE[s], s] as const));

/** Canonical state for an `ss` state column (`ESTAB` ⇒ `ESTABLISHED`), or undefined. */
export function stateFromSs(column: string): TcpState | undefined {
  return FROM_SS.get(column);
}

/** Canonical state for a netstat state column (`FIN_WAIT2` ⇒ `FIN_WAIT_2`), or undefined. */
export function stateFromNetstat(column: string): TcpState | undefined {
  return FROM_NETSTAT.get(column);
}

/** Canonical state for a /proc/net/tcp `st` code (0x08 ⇒ `CLOSE_WAIT`), or undefined. */
export function stateFromProcCode(code: number): TcpState | undefined {
  return FROM_PROC.get(code);
}
