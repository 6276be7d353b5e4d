import { describe, expect, it } from 'vitest';
import { decodeEffects, EVENT_COUNT, tableFor } from '../../src/model/compileTable.js';
import { ENDPOINT_EVENTS, type EndpointFeatures } from '../../src/model/endpointMachine.js';
import { LINUX, RFC9293, featuresOf } from '../../src/model/profile.js';

/**
 * The endpoint's transitions written out, one line per (leaf state, event) the machine handles:
 * `STATE EVENT → NEXT : -timer action +timer` (timers cancelled, actions in order, timers started).
 * This is the specification the machine is held to: the table was printed from the machine once
 * and then checked line by line against RFC 9293 §3.10 and Linux (the reasons are the comments in
 * src/model/endpointMachine.ts). A change to the machine has to change this list on purpose; the
 * other tests check that the compiled table follows xstate, which cannot catch a wrong machine.
 */
const LINUX_TRANSITIONS = [
  'CLOSED CONNECT → SYN_SENT : sendSyn +synRto',
  'CLOSED LISTEN → LISTEN',
  'LISTEN CLOSE → CLOSED',
  'LISTEN CLOSE_UNREAD → CLOSED',
  'LISTEN ABORT → CLOSED',
  'LISTEN SYN → SYN_RECEIVED : sendSynAck +synRto',
  'SYN_SENT CLOSE → CLOSED : -synRto',
  'SYN_SENT CLOSE_UNREAD → CLOSED : -synRto',
  'SYN_SENT ABORT → CLOSED : -synRto',
  'SYN_SENT SYN → SYN_RECEIVED : -synRto sendSynAck +synRto',
  'SYN_SENT SYN_ACK → ESTABLISHED : -synRto sendAck notifyConnected',
  'SYN_SENT RST → CLOSED : -synRto notifyRefused',
  'SYN_SENT TIMEOUT_synRto → SYN_SENT : -synRto retransmit +synRto',
  'SYN_SENT GIVE_UP → CLOSED : -synRto notifyTimeout',
  'SYN_RECEIVED CLOSE → FIN_WAIT_1.orphaned : -synRto sendFin +finRto',
  'SYN_RECEIVED CLOSE_UNREAD → FIN_WAIT_1.orphaned : -synRto sendFin +finRto',
  'SYN_RECEIVED ABORT → CLOSED : -synRto sendRst',
  'SYN_RECEIVED ACK_OF_SYN → ESTABLISHED : -synRto notifyConnected',
  'SYN_RECEIVED RST → CLOSED : -synRto',
  'SYN_RECEIVED TIMEOUT_synRto → SYN_RECEIVED : -synRto retransmit +synRto',
  'SYN_RECEIVED GIVE_UP → CLOSED : -synRto notifyTimeout',
  'ESTABLISHED SHUTDOWN → FIN_WAIT_1.attached : sendFin +finRto',
  'ESTABLISHED CLOSE → FIN_WAIT_1.orphaned : sendFin +finRto',
  'ESTABLISHED CLOSE_UNREAD → CLOSED : sendRst',
  'ESTABLISHED ABORT → CLOSED : sendRst',
  'ESTABLISHED FIN → CLOSE_WAIT : notifyEof +delAck',
  'ESTABLISHED DATA → ESTABLISHED : sendAck',
  'ESTABLISHED STRAY → ESTABLISHED : sendAck',
  'ESTABLISHED RST → CLOSED : notifyReset',
  'ESTABLISHED GIVE_UP → CLOSED : notifyTimeout',
  'ESTABLISHED KEEPALIVE_GIVE_UP → CLOSED : sendRst notifyTimeout',
  'FIN_WAIT_1.attached CLOSE → FIN_WAIT_1.orphaned',
  'FIN_WAIT_1.attached CLOSE_UNREAD → CLOSED : -finRto sendRst',
  'FIN_WAIT_1.attached ABORT → CLOSED : -finRto sendRst',
  'FIN_WAIT_1.attached ACK_OF_FIN → FIN_WAIT_2.attached : -finRto',
  'FIN_WAIT_1.attached FIN → CLOSING : -finRto sendAck notifyEof +finRto',
  'FIN_WAIT_1.attached FIN_ACK_OF_FIN → TIME_WAIT : -finRto sendAck notifyEof +twoMsl',
  'FIN_WAIT_1.attached DATA → FIN_WAIT_1.attached : sendAck',
  'FIN_WAIT_1.attached STRAY → FIN_WAIT_1.attached : sendAck',
  'FIN_WAIT_1.attached RST → CLOSED : -finRto notifyReset',
  'FIN_WAIT_1.attached TIMEOUT_finRto → FIN_WAIT_1.attached : -finRto retransmit +finRto',
  'FIN_WAIT_1.attached GIVE_UP → CLOSED : -finRto notifyTimeout',
  'FIN_WAIT_1.orphaned ACK_OF_FIN → FIN_WAIT_2.orphaned : -finRto +finWait2',
  'FIN_WAIT_1.orphaned FIN → CLOSING : -finRto sendAck notifyEof +finRto',
  'FIN_WAIT_1.orphaned FIN_ACK_OF_FIN → TIME_WAIT : -finRto sendAck notifyEof +twoMsl',
  'FIN_WAIT_1.orphaned DATA → CLOSED : -finRto sendRst',
  'FIN_WAIT_1.orphaned STRAY → FIN_WAIT_1.orphaned : sendAck',
  'FIN_WAIT_1.orphaned RST → CLOSED : -finRto notifyReset',
  'FIN_WAIT_1.orphaned TIMEOUT_finRto → FIN_WAIT_1.orphaned : -finRto retransmit +finRto',
  'FIN_WAIT_1.orphaned GIVE_UP → CLOSED : -finRto notifyTimeout',
  'FIN_WAIT_2.attached CLOSE → FIN_WAIT_2.orphaned : +finWait2',
  'FIN_WAIT_2.attached CLOSE_UNREAD → CLOSED : sendRst',
  'FIN_WAIT_2.attached ABORT → CLOSED : sendRst',
  'FIN_WAIT_2.attached FIN → TIME_WAIT : sendAck notifyEof +twoMsl',
  'FIN_WAIT_2.attached DATA → FIN_WAIT_2.attached : sendAck',
  'FIN_WAIT_2.attached STRAY → FIN_WAIT_2.attached : sendAck',
  'FIN_WAIT_2.attached RST → CLOSED : notifyReset',
  'FIN_WAIT_2.attached KEEPALIVE_GIVE_UP → CLOSED : sendRst notifyTimeout',
  'FIN_WAIT_2.orphaned FIN → TIME_WAIT : -finWait2 sendAck notifyEof +twoMsl',
  'FIN_WAIT_2.orphaned DATA → CLOSED : -finWait2 sendRst',
  'FIN_WAIT_2.orphaned STRAY → FIN_WAIT_2.orphaned : sendAck',
  'FIN_WAIT_2.orphaned RST → CLOSED : -finWait2 notifyReset',
  'FIN_WAIT_2.orphaned TIMEOUT_finWait2 → CLOSED : -finWait2',
  'CLOSING ABORT → CLOSED : -finRto sendRst',
  'CLOSING ACK_OF_FIN → TIME_WAIT : -finRto +twoMsl',
  'CLOSING FIN → CLOSING : sendAck',
  'CLOSING STRAY → CLOSING : sendAck',
  'CLOSING RST → CLOSED : -finRto',
  'CLOSING TIMEOUT_finRto → CLOSING : -finRto retransmit +finRto',
  'CLOSING GIVE_UP → CLOSED : -finRto notifyTimeout',
  'TIME_WAIT FIN → TIME_WAIT : -twoMsl sendAck +twoMsl',
  'TIME_WAIT FIN_ACK_OF_FIN → TIME_WAIT : -twoMsl sendAck +twoMsl',
  'TIME_WAIT STRAY → TIME_WAIT : sendAck',
  'TIME_WAIT RST → CLOSED : -twoMsl',
  'TIME_WAIT TIMEOUT_twoMsl → CLOSED : -twoMsl',
  'CLOSE_WAIT SHUTDOWN → LAST_ACK : -delAck sendFin +finRto',
  'CLOSE_WAIT CLOSE → LAST_ACK : -delAck sendFin +finRto',
  'CLOSE_WAIT CLOSE_UNREAD → CLOSED : -delAck sendRst',
  'CLOSE_WAIT ABORT → CLOSED : -delAck sendRst',
  'CLOSE_WAIT FIN → CLOSE_WAIT : sendAck',
  'CLOSE_WAIT STRAY → CLOSE_WAIT : sendAck',
  'CLOSE_WAIT RST → CLOSED : -delAck notifyPipe',
  'CLOSE_WAIT TIMEOUT_delAck → CLOSE_WAIT : sendAck',
  'CLOSE_WAIT GIVE_UP → CLOSED : -delAck notifyTimeout',
  'CLOSE_WAIT KEEPALIVE_GIVE_UP → CLOSED : -delAck sendRst notifyTimeout',
  'LAST_ACK ABORT → CLOSED : -finRto sendRst',
  'LAST_ACK ACK_OF_FIN → CLOSED : -finRto',
  'LAST_ACK FIN → LAST_ACK : sendAck',
  'LAST_ACK STRAY → LAST_ACK : sendAck',
  'LAST_ACK RST → CLOSED : -finRto',
  'LAST_ACK TIMEOUT_finRto → LAST_ACK : -finRto retransmit +finRto',
  'LAST_ACK GIVE_UP → CLOSED : -finRto notifyTimeout',
];

/** Where RFC 9293 as written differs: FIN ACKed at once, no FIN_WAIT_2 timer (null = not handled). */
const RFC9293_CHANGES: Array<[string, string | null]> = [
  ['ESTABLISHED FIN', 'ESTABLISHED FIN → CLOSE_WAIT : sendAck notifyEof'],
  ['FIN_WAIT_1.orphaned ACK_OF_FIN', 'FIN_WAIT_1.orphaned ACK_OF_FIN → FIN_WAIT_2.orphaned : -finRto'],
  ['FIN_WAIT_2.attached CLOSE', 'FIN_WAIT_2.attached CLOSE → FIN_WAIT_2.orphaned'],
  ['FIN_WAIT_2.orphaned FIN', 'FIN_WAIT_2.orphaned FIN → TIME_WAIT : sendAck notifyEof +twoMsl'],
  ['FIN_WAIT_2.orphaned DATA', 'FIN_WAIT_2.orphaned DATA → CLOSED : sendRst'],
  ['FIN_WAIT_2.orphaned RST', 'FIN_WAIT_2.orphaned RST → CLOSED : notifyReset'],
  ['FIN_WAIT_2.orphaned TIMEOUT_finWait2', null],
  ['CLOSE_WAIT SHUTDOWN', 'CLOSE_WAIT SHUTDOWN → LAST_ACK : sendFin +finRto'],
  ['CLOSE_WAIT CLOSE', 'CLOSE_WAIT CLOSE → LAST_ACK : sendFin +finRto'],
  ['CLOSE_WAIT CLOSE_UNREAD', 'CLOSE_WAIT CLOSE_UNREAD → CLOSED : sendRst'],
  ['CLOSE_WAIT ABORT', 'CLOSE_WAIT ABORT → CLOSED : sendRst'],
  ['CLOSE_WAIT RST', 'CLOSE_WAIT RST → CLOSED : notifyPipe'],
  ['CLOSE_WAIT TIMEOUT_delAck', null],
  ['CLOSE_WAIT GIVE_UP', 'CLOSE_WAIT GIVE_UP → CLOSED : notifyTimeout'],
  ['CLOSE_WAIT KEEPALIVE_GIVE_UP', 'CLOSE_WAIT KEEPALIVE_GIVE_UP → CLOSED : sendRst notifyTimeout'],
];

/** Linux with RST-on-unread-close off and tcp_rfc1337=1 (a RST does not end TIME_WAIT). */
const LENIENT_CHANGES: Array<[string, string | null]> = [
  ['ESTABLISHED CLOSE_UNREAD', 'ESTABLISHED CLOSE_UNREAD → FIN_WAIT_1.orphaned : sendFin +finRto'],
  ['FIN_WAIT_1.attached CLOSE_UNREAD', 'FIN_WAIT_1.attached CLOSE_UNREAD → FIN_WAIT_1.orphaned'],
  ['FIN_WAIT_2.attached CLOSE_UNREAD', 'FIN_WAIT_2.attached CLOSE_UNREAD → FIN_WAIT_2.orphaned : +finWait2'],
  ['TIME_WAIT RST', null],
  ['CLOSE_WAIT CLOSE_UNREAD', 'CLOSE_WAIT CLOSE_UNREAD → LAST_ACK : -delAck sendFin +finRto'],
];

function transitionsOf(features: EndpointFeatures): string[] {
  const table = tableFor(features);
  const lines: string[] = [];
  table.leaves.forEach((leaf, row) => {
    ENDPOINT_EVENTS.forEach((event, column) => {
      const cell = row * EVENT_COUNT + column;
      if (table.handled[cell] === 0) return;
      const fx = decodeEffects(table.effects[cell]!);
      const parts = [...fx.cancel.map((t) => `-${t}`), ...fx.actions, ...fx.start.map((t) => `+${t}`)];
      lines.push(`${leaf} ${event} → ${table.leaves[table.next[cell]!]}${parts.length > 0 ? ` : ${parts.join(' ')}` : ''}`);
    });
  });
  return lines;
}

function withChanges(base: readonly string[], changes: ReadonlyArray<[string, string | null]>): string[] {
  const byCell = new Map(base.map((line) => [line.split(' ').slice(0, 2).join(' '), line]));
  for (const [cell, line] of changes) {
    if (line === null) byCell.delete(cell);
    else byCell.set(cell, line);
  }
  return [...byCell.values()].sort();
}

describe('the endpoint machine, transition by transition', () => {
  it('linux: every handled (state, event) does what the specification says, and nothing else is handled', () => {
    expect(transitionsOf(featuresOf(LINUX))).toEqual(LINUX_TRANSITIONS);
  });

  it('rfc9293: ACKs a FIN at once and has no FIN_WAIT_2 timer; everything else as linux', () => {
    expect(transitionsOf(featuresOf(RFC9293)).sort()).toEqual(withChanges(LINUX_TRANSITIONS, RFC9293_CHANGES));
  });

  it('without RST on unread close or RST ending TIME_WAIT: close() sends FIN, TIME_WAIT ignores RST (RFC 1337)', () => {
    const features = { ...featuresOf(LINUX), rstOnUnreadClose: false, rstEndsTimeWait: false };
    expect(transitionsOf(features).sort()).toEqual(withChanges(LINUX_TRANSITIONS, LENIENT_CHANGES));
  });
});
