import { describe, expect, it } from 'vitest';
import {
  NETSTAT_SPELLING,
  PROC_NET_TCP_CODE,
  RFC_SPELLING,
  SS_SPELLING,
  SYNCHRONIZED_STATES,
  TCP_STATES,
  isTcpState,
  stateFromNetstat,
  stateFromProcCode,
  stateFromSs,
} from '../../src/model/states.js';

// Each column as its source prints it: RFC 9293 §3.3.2, net-tools netstat (tcp_state[]),
// iproute2 ss (sstate_name[]), and include/net/tcp_states.h for /proc/net/tcp's `st` field.
const SPELLINGS: Array<[string, string, string, string, number]> = [
  ['CLOSED', 'CLOSED', 'CLOSE', 'UNCONN', 0x07],
  ['LISTEN', 'LISTEN', 'LISTEN', 'LISTEN', 0x0a],
  ['SYN_SENT', 'SYN-SENT', 'SYN_SENT', 'SYN-SENT', 0x02],
  ['SYN_RECEIVED', 'SYN-RECEIVED', 'SYN_RECV', 'SYN-RECV', 0x03],
  ['ESTABLISHED', 'ESTABLISHED', 'ESTABLISHED', 'ESTAB', 0x01],
  ['FIN_WAIT_1', 'FIN-WAIT-1', 'FIN_WAIT1', 'FIN-WAIT-1', 0x04],
  ['FIN_WAIT_2', 'FIN-WAIT-2', 'FIN_WAIT2', 'FIN-WAIT-2', 0x05],
  ['CLOSING', 'CLOSING', 'CLOSING', 'CLOSING', 0x0b],
  ['TIME_WAIT', 'TIME-WAIT', 'TIME_WAIT', 'TIME-WAIT', 0x06],
  ['CLOSE_WAIT', 'CLOSE-WAIT', 'CLOSE_WAIT', 'CLOSE-WAIT', 0x08],
  ['LAST_ACK', 'LAST-ACK', 'LAST_ACK', 'LAST-ACK', 0x09],
];

describe('state names', () => {
  it('are the eleven RFC 9293 states, in the order of its state list', () => {
    expect([...TCP_STATES]).toEqual(SPELLINGS.map(([name]) => name));
  });

  it.each(SPELLINGS)('%s is %s in the RFC, %s in netstat, %s in ss, %i in /proc/net/tcp, and reads back from each', (name, rfc, netstat, ss, code) => {
    const state = name as (typeof TCP_STATES)[number];
    expect([RFC_SPELLING[state], NETSTAT_SPELLING[state], SS_SPELLING[state], PROC_NET_TCP_CODE[state]]).toEqual([rfc, netstat, ss, code]);
    expect([stateFromSs(ss), stateFromNetstat(netstat), stateFromProcCode(code)]).toEqual([state, state, state]);
    expect(isTcpState(name)).toBe(true);
  });

  it('unknown spellings and codes read back as undefined', () => {
    expect([stateFromSs('ESTABLISHED'), stateFromNetstat('FIN-WAIT-1'), stateFromProcCode(0x0c), isTcpState('FIN-WAIT-1')]).toEqual([undefined, undefined, undefined, false]);
  });

  it('the synchronized states are those after the SYNs are exchanged (RFC 9293 §3.5)', () => {
    expect([...SYNCHRONIZED_STATES].sort()).toEqual(['CLOSE_WAIT', 'CLOSING', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'LAST_ACK', 'TIME_WAIT']);
  });
});
