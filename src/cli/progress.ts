/**
 * Progress of a long run on stderr: virtual time reached, events and rate, at most once a second
 * and only once the run has taken 2 s (a short run prints nothing). On a terminal the line is
 * rewritten in place; elsewhere (a log, CI) each report is its own line. Never on stdout.
 */
import { wantsColor } from './paint.js';

/** Wall time before the first report, and between reports, in milliseconds. */
const FIRST_AFTER_MS = 2000;
const EVERY_MS = 1000;

/** Receives the run's position; `done()` clears a terminal's progress line. */
export interface Progress {
  tick(virtualMicros: number, events: number): void;
  done(): void;
}

function firstAfter(): number {
  const text = process.env['TCPSIM_PROGRESS_AFTER_MS'];
  const ms = text === undefined || text === '' ? Number.NaN : Number(text);
  return Number.isFinite(ms) && ms >= 0 ? ms : FIRST_AFTER_MS;
}

/** A reporter that does nothing (`--quiet`, or a caller that wants silence). */
export const NO_PROGRESS: Progress = { tick: () => {}, done: () => {} };

/** `12:05` or `1:02:03` of virtual time. */
function clockText(micros: number): string {
  const total = Math.floor(micros / 1e6);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h > 0 ? `${h}:${String(m).padStart(2, '0')}` : m}:${String(s).padStart(2, '0')}`;
}

/** Where progress is written: stderr, or a stand-in in tests. */
export type ProgressStream = Pick<NodeJS.WriteStream, 'write' | 'isTTY'>;

/**
 * Progress for a run of `name` that ends at `untilMicros` of virtual time, written to `stream`.
 * `firstAfterMs` defaults to 2 s (TCPSIM_PROGRESS_AFTER_MS overrides it, for tests of the wiring).
 */
export function progressOn(stream: ProgressStream, name: string, untilMicros: number, now: () => number = () => performance.now(), firstAfterMs = firstAfter()): Progress {
  const started = now();
  let last = started;
  let shown = false;
  const tty = stream.isTTY === true;
  const dim = wantsColor(stream, false) ? (t: string) => `\u001b[2m${t}\u001b[0m` : (t: string) => t;
  return {
    tick(virtualMicros, events) {
      const at = now();
      if (at - started < firstAfterMs || (shown && at - last < EVERY_MS)) return;
      last = at;
      shown = true;
      const seconds = (at - started) / 1000;
      const rate = Math.round(events / seconds).toLocaleString('en-US');
      const line = `tcpsim: ${name} — ${clockText(virtualMicros)} of ${clockText(untilMicros)} virtual, ${events.toLocaleString('en-US')} events, ${rate} events/s, ${Math.round(seconds)} s`;
      stream.write(tty ? `\r\u001b[K${dim(line)}` : `${line}\n`);
    },
    done() {
      if (shown && tty) stream.write('\r\u001b[K');
    },
  };
}
