/** One colour per TCP state, shared by the report's chart, the ladders and the teaching page (readable on white, distinct in pairs that meet). */
import type { TcpState } from '../../src/model/states.js';

/** The colour of each state. */
export const STATE_COLOR: Readonly<Record<TcpState, string>> = {
  CLOSED: '#6b7280',
  LISTEN: '#0f766e',
  SYN_SENT: '#a16207',
  SYN_RECEIVED: '#ca8a04',
  ESTABLISHED: '#15803d',
  FIN_WAIT_1: '#1d4ed8',
  FIN_WAIT_2: '#4f46e5',
  CLOSING: '#7c3aed',
  TIME_WAIT: '#0369a1',
  CLOSE_WAIT: '#dc2626',
  LAST_ACK: '#c2410c',
};
