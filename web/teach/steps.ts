/**
 * A lesson's run as the steps the page walks through: each segment sent, lost or dropped, each
 * state change, each call that opens or closes, each timer and error, with a sentence for it and
 * the state of both ends after it. Reads and writes are left out (their segments say it).
 */
import { ctlText } from '../../src/model/segment.js';
import { RFC_SPELLING, type TcpState } from '../../src/model/states.js';
import { timerText } from '../../src/report/timerText.js';
import type { TraceEvent } from '../../src/sim/trace.js';
import type { LessonRun } from './lesson.js';

/** One step of a lesson. */
export interface Step {
  /** Index of its event in the run's trace. */
  readonly eventIndex: number;
  readonly event: TraceEvent;
  readonly text: string;
  /** States after the step, and the state each end came from in its last change. */
  readonly client: TcpState | undefined;
  readonly server: TcpState | undefined;
  readonly clientFrom: TcpState | undefined;
  readonly serverFrom: TcpState | undefined;
}

const SHOWN_CALLS = new Set(['connect', 'accept', 'listen', 'close', 'shutdown', 'abort', 'exit']);

/** Seconds for a step: `0.105 s`. */
export function stepTime(us: number): string {
  return `${(us / 1e6).toFixed(us % 1000 === 0 ? 3 : 6)} s`;
}

/** The steps of `run`. */
export function lessonSteps(run: LessonRun): Step[] {
  const role = new Map(run.trace.sockets.map((s) => [s.id, s.role]));
  const number = new Map(run.sendOrder.map((id, i) => [id, i + 1]));
  const now: { client?: TcpState; server?: TcpState; clientFrom?: TcpState; serverFrom?: TcpState } = {};
  const steps: Step[] = [];
  run.trace.events.forEach((event, eventIndex) => {
    let text: string | undefined;
    const who = (socket: number | null): string => (socket === null ? 'a host' : (role.get(socket) ?? `socket ${socket}`));
    switch (event.kind) {
      case 'send':
        text = `${who(event.socket)} sends segment ${number.get(event.segmentId) ?? '?'}: ${ctlText(event.segment.flags)}${event.segment.payload.length > 0 ? ` with ${event.segment.payload.length} bytes` : ''}${event.retransmission ? ' (a retransmission)' : ''}`;
        break;
      case 'drop':
        text = `segment ${number.get(event.segmentId) ?? '?'} is ${event.reason === 'loss' ? 'lost' : `dropped (${event.reason})`}`;
        break;
      case 'state': {
        const r = role.get(event.socket);
        if (r === 'client' || r === 'server') {
          now[r] = event.to;
          now[`${r}From`] = event.from;
        }
        const why = event.cause.by === 'segment' ? `on segment ${number.get(event.cause.segmentId) ?? '?'}` : event.cause.by === 'call' ? `by ${event.cause.call}()` : `when its ${timerText(event.cause.timer)} timer expires`;
        text = `${who(event.socket)}: ${RFC_SPELLING[event.from]} → ${RFC_SPELLING[event.to]}, ${why}`;
        break;
      }
      case 'call':
        if (SHOWN_CALLS.has(event.call) || /^E[A-Z]+$/.test(event.result)) text = `${event.process} calls ${event.call}()${/^E[A-Z]+$/.test(event.result) ? `: ${event.result}` : ''}`;
        break;
      case 'timer':
        text = `${who(event.socket)}'s ${timerText(event.timer)} timer expires`;
        break;
      case 'error':
        text = `${event.process} gets ${event.errno}`;
        break;
      case 'deliver':
        break;
    }
    if (text === undefined) return;
    steps.push({ eventIndex, event, text: `${stepTime(event.at)} — ${text}`, client: now.client, server: now.server, clientFrom: now.clientFrom, serverFrom: now.serverFrom });
  });
  return steps;
}
