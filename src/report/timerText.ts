/**
 * How traces name an expired timer, in the words of RFC 9293's figures (`(2 MSL)`) rather than
 * the engine's slot names: one wording for the RFC tables and the Mermaid diagrams.
 */
const TIMER_TEXT: Readonly<Record<string, string>> = {
  twoMsl: '2 MSL',
  finWait2: 'FIN-WAIT-2 timeout',
  delAck: 'delayed ACK',
  synRto: 'RTO',
  finRto: 'RTO',
  dataRto: 'RTO',
};

/** The reader's name of timer `timer` (its engine name when it has none). */
export function timerText(timer: string): string {
  return TIMER_TEXT[timer] ?? timer;
}
