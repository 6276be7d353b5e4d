import { describe, expect, it } from 'vitest';
import { endpointGraph } from '../../src/model/endpointGraph.js';
import { LINUX, RFC9293, featuresOf } from '../../src/model/profile.js';
import { TCP_STATES } from '../../src/model/states.js';

/**
 * The RFC-level state diagram (RFC 9293 Figure 5 with Linux's additions) that `tcpsim diagram`
 * draws: every edge between two states with its labels, in the words of the figure
 * (`rcv FIN / snd ACK`). Written out so that a change to the diagram is a deliberate one.
 */
const LINUX_EDGES: Array<[string, string, string[]]> = [
  ['CLOSED', 'SYN_SENT', ['connect / snd SYN']],
  ['CLOSED', 'LISTEN', ['listen']],
  ['LISTEN', 'CLOSED', ['close', 'close, unread data', 'abort']],
  ['LISTEN', 'SYN_RECEIVED', ['rcv SYN / snd SYN,ACK']],
  ['SYN_SENT', 'CLOSED', ['close', 'close, unread data', 'abort', 'rcv RST', 'retries spent']],
  ['SYN_SENT', 'SYN_RECEIVED', ['rcv SYN / snd SYN,ACK']],
  ['SYN_SENT', 'ESTABLISHED', ['rcv SYN,ACK / snd ACK']],
  ['SYN_RECEIVED', 'FIN_WAIT_1', ['close / snd FIN', 'close, unread data / snd FIN']],
  ['SYN_RECEIVED', 'CLOSED', ['abort / snd RST', 'rcv RST', 'retries spent']],
  ['SYN_RECEIVED', 'ESTABLISHED', ['rcv ACK of SYN']],
  ['ESTABLISHED', 'FIN_WAIT_1', ['shutdown / snd FIN', 'close / snd FIN']],
  ['ESTABLISHED', 'CLOSED', ['close, unread data / snd RST', 'abort / snd RST', 'rcv RST', 'retries spent', 'keepalive unanswered / snd RST']],
  ['ESTABLISHED', 'CLOSE_WAIT', ['rcv FIN / snd ACK (delayed)']],
  ['FIN_WAIT_1', 'CLOSED', ['close, unread data / snd RST', 'abort / snd RST', 'rcv RST', 'retries spent', 'rcv data / snd RST']],
  ['FIN_WAIT_1', 'FIN_WAIT_2', ['rcv ACK of FIN']],
  ['FIN_WAIT_1', 'CLOSING', ['rcv FIN / snd ACK']],
  ['FIN_WAIT_1', 'TIME_WAIT', ['rcv FIN,ACK of FIN / snd ACK']],
  ['FIN_WAIT_2', 'CLOSED', ['close, unread data / snd RST', 'abort / snd RST', 'rcv RST', 'keepalive unanswered / snd RST', 'rcv data / snd RST', 'tcp_fin_timeout']],
  ['FIN_WAIT_2', 'TIME_WAIT', ['rcv FIN / snd ACK']],
  ['CLOSING', 'CLOSED', ['abort / snd RST', 'rcv RST', 'retries spent']],
  ['CLOSING', 'TIME_WAIT', ['rcv ACK of FIN']],
  ['TIME_WAIT', 'TIME_WAIT', ['rcv FIN / snd ACK, restart 2MSL', 'rcv FIN,ACK of FIN / snd ACK, restart 2MSL']],
  ['TIME_WAIT', 'CLOSED', ['rcv RST', '2MSL timeout']],
  ['CLOSE_WAIT', 'LAST_ACK', ['shutdown / snd FIN', 'close / snd FIN']],
  ['CLOSE_WAIT', 'CLOSED', ['close, unread data / snd RST', 'abort / snd RST', 'rcv RST', 'retries spent', 'keepalive unanswered / snd RST']],
  ['LAST_ACK', 'CLOSED', ['abort / snd RST', 'rcv ACK of FIN', 'rcv RST', 'retries spent']],
];

const edgesOf = (profile: typeof LINUX): Array<[string, string, string[]]> =>
  endpointGraph(featuresOf(profile)).edges.map((e) => [e.from, e.to, e.label.split('\n')]);

describe('the endpoint state diagram', () => {
  it('linux: RFC 9293 Figure 5 plus orphan rules, RST on unread close, the FIN_WAIT_2 timeout and the delayed ACK of a FIN', () => {
    const graph = endpointGraph(featuresOf(LINUX));
    expect(graph.initial).toBe('CLOSED');
    expect(graph.states).toEqual([...TCP_STATES]);
    expect(edgesOf(LINUX)).toEqual(LINUX_EDGES);
  });

  it('rfc9293: a FIN is ACKed at once and an orphaned FIN_WAIT_2 never times out', () => {
    const rfc = edgesOf(RFC9293);
    const labels = (from: string, to: string): string[] | undefined => rfc.find(([f, t]) => f === from && t === to)?.[2];
    expect(labels('ESTABLISHED', 'CLOSE_WAIT')).toEqual(['rcv FIN / snd ACK']);
    expect(labels('FIN_WAIT_2', 'CLOSED')).not.toContain('tcp_fin_timeout');
    expect(rfc.length).toBe(LINUX_EDGES.length);
  });
});
