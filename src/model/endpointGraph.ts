/**
 * The endpoint's state graph in RFC 9293 Figure 5 terms (the eleven states, edges labelled
 * `event / action`), read off the compiled table — which is itself read off the xstate machine —
 * so the picture is drawn by the code that runs.
 */
import { ENDPOINT_EVENTS, type EndpointAction, type EndpointEvent, type EndpointFeatures } from './endpointMachine.js';
import { EVENT_COUNT, decodeEffects, tableFor } from './compileTable.js';
import { TCP_STATES } from './states.js';

/** One labelled transition between RFC states. */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
}

/** The RFC-level state graph. */
export interface EndpointGraph {
  readonly states: readonly string[];
  readonly edges: readonly GraphEdge[];
  readonly initial: string;
}

const EVENT_TEXT: Readonly<Record<EndpointEvent, string>> = {
  CONNECT: 'connect',
  LISTEN: 'listen',
  SHUTDOWN: 'shutdown',
  CLOSE: 'close',
  CLOSE_UNREAD: 'close, unread data',
  ABORT: 'abort',
  SYN: 'rcv SYN',
  SYN_ACK: 'rcv SYN,ACK',
  ACK_OF_SYN: 'rcv ACK of SYN',
  ACK_OF_FIN: 'rcv ACK of FIN',
  FIN: 'rcv FIN',
  FIN_ACK_OF_FIN: 'rcv FIN,ACK of FIN',
  DATA: 'rcv data',
  STRAY: 'rcv stray',
  RST: 'rcv RST',
  TIMEOUT_synRto: 'RTO',
  TIMEOUT_finRto: 'RTO',
  TIMEOUT_twoMsl: '2MSL timeout',
  TIMEOUT_finWait2: 'tcp_fin_timeout',
  TIMEOUT_delAck: 'delayed ACK',
  GIVE_UP: 'retries spent',
  KEEPALIVE_GIVE_UP: 'keepalive unanswered',
};

const ACTION_TEXT: Partial<Readonly<Record<EndpointAction, string>>> = {
  sendSyn: 'snd SYN',
  sendSynAck: 'snd SYN,ACK',
  sendAck: 'snd ACK',
  sendFin: 'snd FIN',
  sendRst: 'snd RST',
};

/** The graph for a profile's features: every transition that changes the RFC state, plus TIME_WAIT's restart. */
export function endpointGraph(features: EndpointFeatures): EndpointGraph {
  const table = tableFor(features);
  const labels = new Map<string, Set<string>>();
  table.leaves.forEach((_, row) => {
    ENDPOINT_EVENTS.forEach((event, col) => {
      const cell = row * EVENT_COUNT + col;
      if (!table.handled[cell]) return;
      const from = TCP_STATES[table.rfcStateOf[row]!]!;
      const to = TCP_STATES[table.rfcStateOf[table.next[cell]!]!]!;
      const effects = decodeEffects(table.effects[cell]!);
      const restart = from === to && effects.cancel.some((t) => effects.start.includes(t)) && event !== 'TIMEOUT_finRto' && event !== 'TIMEOUT_synRto';
      if (from === to && !restart) return;
      const actions = effects.actions.map((a) => ACTION_TEXT[a]).filter((a): a is string => a !== undefined);
      // Linux's ACK of a FIN leaves when CLOSE_WAIT's delayed-ACK timer expires
      if (effects.start.includes('delAck')) actions.push('snd ACK (delayed)');
      const label = `${EVENT_TEXT[event]}${actions.length ? ` / ${actions.join(', ')}` : ''}${restart ? ', restart 2MSL' : ''}`;
      const key = `${from}>${to}`;
      (labels.get(key) ?? labels.set(key, new Set()).get(key)!).add(label);
    });
  });
  const edges = [...labels].map(([key, set]) => {
    const [from, to] = key.split('>') as [string, string];
    return { from, to, label: [...set].join('\n') };
  });
  return { states: [...TCP_STATES], edges, initial: 'CLOSED' };
}
