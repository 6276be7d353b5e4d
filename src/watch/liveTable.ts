/**
 * The netstat-style table of `tcpsim watch`, printed a row per sample as the samples come: the
 * watched processes' sockets by state, their local peers' (`peer …` columns), the accept queue,
 * each process's fds against its limit, and the projected time to EMFILE. As in `tcpsim run`, a
 * row equal to the one before is folded into a `⋮` line; a state seen for the first time adds a
 * column, and the header is printed again. Live diagnosis lines appear under the row whose sample
 * first showed them.
 */
import { TCP_STATES, type TcpState } from '../model/states.js';
import { clock } from '../report/clock.js';
import type { Paint } from '../report/runText.js';
import { fdProjection } from './fdProjection.js';
import { aboutText } from './trend.js';
import type { WatchHistory } from './watchHistory.js';
import type { Finding } from './watchFindings.js';
import type { WatchSample } from './watchSample.js';

interface Column {
  readonly header: string;
  readonly cell: (sample: WatchSample, history: WatchHistory) => string;
}

const TIME_WIDTH = 8;

/** The live table; `write` takes one line at a time. */
export class LiveTable {
  private ownStates = new Set<TcpState>(['ESTABLISHED', 'CLOSE_WAIT']);
  private peerStates = new Set<TcpState>();
  private processes: number[] = [];
  private listeners = false;
  private headerKey = '';
  private previous: string[] | undefined;
  private folded: { time: string; cells: string[] } | undefined;
  private readonly announced = new Set<string>();

  constructor(
    private readonly paint: Paint,
    private readonly write: (line: string) => void,
  ) {}

  /** Prints the row of `sample` (or folds it), then the findings not shown before. */
  add(sample: WatchSample, history: WatchHistory, findings: readonly Finding[]): void {
    const shown = new Set(history.shownProcesses().map((h) => h.pid));
    for (const p of sample.processes) {
      if (!shown.has(p.pid)) continue;
      for (const s of Object.keys(p.states) as TcpState[]) this.ownStates.add(s);
    }
    for (const s of Object.keys(sample.peers) as TcpState[]) this.peerStates.add(s);
    for (const pid of shown) if (!this.processes.includes(pid)) this.processes.push(pid);
    this.processes = this.processes.filter((pid) => shown.has(pid));
    if (sample.acceptQueues.length > 0) this.listeners = true;
    const columns = this.columns(history);
    const key = columns.map((c) => c.header).join('|');
    const widths = columns.map((c) => Math.max(c.header.length, 6));
    const line = (time: string, cells: string[]): string => [time.padStart(TIME_WIDTH), ...cells.map((c, i) => c.padStart(widths[i]!))].join('  ');
    const cells = columns.map((c) => c.cell(sample, history));
    const time = clock(sample.t);
    if (key !== this.headerKey) {
      this.flushFold();
      if (this.headerKey !== '') this.write('');
      this.write(this.paint.bold(line('time', columns.map((c) => c.header))));
      this.headerKey = key;
      this.previous = undefined;
    }
    const fresh = findings.filter((f) => f.kind !== 'no-leak' && !this.announced.has(`${f.kind} ${f.process ?? ''}`));
    if (fresh.length === 0 && this.previous !== undefined && cells.every((c, i) => c === this.previous![i])) {
      this.folded = { time, cells };
      return;
    }
    this.flushFold();
    this.write(line(time, cells));
    this.previous = cells;
    for (const f of fresh) {
      this.announced.add(`${f.kind} ${f.process ?? ''}`);
      this.write(`${''.padStart(TIME_WIDTH)}  ${f.leak ? this.paint.bad('!') : this.paint.dim('·')} ${f.headline}`);
    }
  }

  /** Prints the last sample's row if it was folded. */
  finish(): void {
    if (this.folded === undefined) return;
    const widths = this.headerKey.split('|').map((h) => Math.max(h.length, 6));
    const { time, cells } = this.folded;
    this.flushFold();
    this.write([time.padStart(TIME_WIDTH), ...cells.map((c, i) => c.padStart(widths[i]!))].join('  '));
  }

  /** Rows equal to the one printed were skipped: a ⋮ line says so, as in `tcpsim run`. */
  private flushFold(): void {
    if (this.folded === undefined) return;
    this.write(this.paint.dim('⋮'.padStart(TIME_WIDTH)));
    this.folded = undefined;
  }

  private columns(history: WatchHistory): Column[] {
    const columns: Column[] = [];
    for (const state of TCP_STATES.filter((s) => this.ownStates.has(s))) {
      columns.push({
        header: state,
        cell: (sample) => String(sample.processes.filter((p) => this.processes.includes(p.pid)).reduce((n, p) => n + (p.states[state] ?? 0), 0)),
      });
    }
    for (const state of TCP_STATES.filter((s) => this.peerStates.has(s))) {
      columns.push({ header: `peer ${state}`, cell: (sample) => String(sample.peers[state] ?? 0) });
    }
    if (this.listeners) {
      columns.push({
        header: 'accept queue',
        cell: (sample) => {
          const queued = sample.acceptQueues.reduce((n, q) => n + q.queued, 0);
          const known = sample.acceptQueues.every((q) => q.backlog !== null);
          const backlog = sample.acceptQueues.reduce((n, q) => n + (q.backlog ?? 0), 0);
          return sample.acceptQueues.length === 0 ? '-' : known ? `${queued}/${backlog}` : String(queued);
        },
      });
    }
    for (const pid of this.processes) {
      const label = history.processes.get(pid)?.label ?? String(pid);
      columns.push({
        header: `fds ${label}`,
        cell: (sample) => {
          const p = sample.processes.find((x) => x.pid === pid);
          if (p === undefined) return 'gone';
          if (p.fds === null) return '?';
          return p.nofile === null ? String(p.fds) : `${p.fds}/${p.nofile}`;
        },
      });
    }
    columns.push({
      header: 'EMFILE in',
      cell: (sample, h) => {
        const etas = sample.processes
          .filter((p) => this.processes.includes(p.pid))
          .map((p) => {
            const ph = h.processes.get(p.pid);
            return ph === undefined ? undefined : fdProjection(ph)?.emfileInMs;
          })
          .filter((ms): ms is number => ms !== undefined);
        if (etas.length === 0) return '-';
        const soonest = Math.min(...etas);
        return soonest === 0 ? 'now' : aboutText(soonest);
      },
    });
    return columns;
  }
}
