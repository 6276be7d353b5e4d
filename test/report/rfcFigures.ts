/**
 * RFC 9293 §3.6 Figures 12 and 13 as the RFC prints them, and readers of an RFC-style table's
 * state columns, shared by the fixture tests and the golden tests on the engine's traces.
 */

/** Figure 12, the normal close (column positions as in the RFC). */
export const FIGURE_12 = `
    TCP Peer A                                           TCP Peer B

1.  ESTABLISHED                                          ESTABLISHED

2.  (Close)
    FIN-WAIT-1  --> <SEQ=100><ACK=300><CTL=FIN,ACK>  --> CLOSE-WAIT

3.  FIN-WAIT-2  <-- <SEQ=300><ACK=101><CTL=ACK>      <-- CLOSE-WAIT

4.                                                       (Close)
    TIME-WAIT   <-- <SEQ=300><ACK=101><CTL=FIN,ACK>  <-- LAST-ACK

5.  TIME-WAIT   --> <SEQ=101><ACK=301><CTL=ACK>      --> CLOSED

6.  (2 MSL)
    CLOSED
`.slice(1);

/** Figure 13, the simultaneous close. */
export const FIGURE_13 = `
    TCP Peer A                                           TCP Peer B

1.  ESTABLISHED                                          ESTABLISHED

2.  (Close)                                              (Close)
    FIN-WAIT-1  --> <SEQ=100><ACK=300><CTL=FIN,ACK>  ... FIN-WAIT-1
                <-- <SEQ=300><ACK=100><CTL=FIN,ACK>  <--
                ... <SEQ=100><ACK=300><CTL=FIN,ACK>  -->

3.  CLOSING     --> <SEQ=101><ACK=301><CTL=ACK>      ... CLOSING
                <-- <SEQ=301><ACK=101><CTL=ACK>      <--
                ... <SEQ=101><ACK=301><CTL=ACK>      -->

4.  TIME-WAIT                                            TIME-WAIT
    (2 MSL)                                              (2 MSL)
    CLOSED                                               CLOSED
`.slice(1);

/** [line number, Peer A state, Peer B state] for every row that prints a state, read by column. */
export function stateColumns(table: string): [string, string, string][] {
  const [header = ''] = table.split('\n');
  const aColumn = header.indexOf('TCP Peer A');
  const bColumn = header.indexOf('TCP Peer B');
  const state = (cell: string): string => (/^[A-Z]+(-[A-Z0-9]+)*$/.exec(cell.trim().split(/\s+/)[0] ?? '')?.[0] ?? '');
  const rows: [string, string, string][] = [];
  let line = '';
  for (const text of table.split('\n').slice(1)) {
    if (!/^[\d ]/.test(text)) continue; // the legend
    line = /^(\d+)\./.exec(text)?.[1] ?? line;
    const left = state(text.slice(aColumn, bColumn));
    const right = state(text.slice(bColumn));
    if (left !== '' || right !== '') rows.push([line, left, right]);
  }
  return rows;
}

/**
 * The states each side passes through from its last ESTABLISHED on (the close), in order, each
 * once: what a reader follows down one column of the table.
 */
export function closeSequences(table: string): { readonly a: string[]; readonly b: string[] } {
  const column = (k: 1 | 2): string[] => {
    const states = stateColumns(table).map((row) => row[k]).filter((s) => s !== '');
    const distinct = states.filter((s, i) => s !== states[i - 1]);
    return distinct.slice(Math.max(0, distinct.lastIndexOf('ESTABLISHED')));
  };
  return { a: column(1), b: column(2) };
}

/** A segment row of an RFC-style table: its two ends and its header text. */
export interface SegmentRow {
  readonly leftEnd: string;
  readonly rightEnd: string;
  readonly seq: number;
  readonly ack: number | undefined;
  readonly ctl: string;
  readonly data: number;
  /** Who sent it, when this row is where it was sent (not its arrival): `-->` at A's end or `<--` at B's. */
  readonly sentBy: 'A' | 'B' | undefined;
}

const SEGMENT_ROW = /(-->|<--|\.\.\.|XXX) <SEQ=(\d+)>(?:<ACK=(\d+)>)?<CTL=([A-Z,]+)>(?:<DATA=(\d+)>)?\s+(-->|<--|\.\.\.|XXX)/;

/** Every segment row of `table`, in order. */
export function segmentRows(table: string): SegmentRow[] {
  return table.split('\n').flatMap((text) => {
    const m = SEGMENT_ROW.exec(text);
    if (m === null) return [];
    const [, leftEnd = '', seq = '', ack, ctl = '', data, rightEnd = ''] = m;
    const sentBy = leftEnd === '-->' ? 'A' : rightEnd === '<--' ? 'B' : undefined;
    return [{ leftEnd, rightEnd, seq: Number(seq), ack: ack === undefined ? undefined : Number(ack), ctl, data: Number(data ?? 0), sentBy }];
  });
}
