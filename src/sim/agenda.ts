/**
 * What the engine's agenda holds: a segment due at a host, a timer's expiry, a program step to
 * wake (the Waiter itself) or a call (the function itself) — no wrapper object for the last two.
 */
import type { Segment } from '../model/segment.js';
import type { Socket, TimeWaitSocket, TimerLink, Waiter } from './socket.js';

/** A segment due at a host. */
export class DeliverItem {
  /** It waited for the host's kernel to finish the segments before it, and its turn has come. */
  reserved = false;

  constructor(
    readonly host: number,
    readonly segment: Segment,
    readonly segmentId: number,
    readonly conn: number,
  ) {}
}

/** A queued timer expiry; `owner` is the socket while the timer is live, null once stopped, restarted or expired. */
export class TimerItem implements TimerLink {
  constructor(
    public owner: Socket | TimeWaitSocket | null,
    readonly slot: number,
  ) {}
}

/** One item of the agenda. */
export type Agenda = DeliverItem | TimerItem | Waiter | (() => void);

/** The queue lane of segments waiting for their host's kernel (they come back in turn order). */
export const RECEIVE_LANE = Number.MAX_SAFE_INTEGER;
