/**
 * What the engine's agenda holds: a segment due at a host, a timer's expiry (alone, or in a
 * timer-wheel bucket with the others of its host due at that instant), a program step to
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

/**
 * The kernel timers of one host that fire at one instant: a bucket of Linux's timer wheel.
 * enqueue_timer() adds a timer at the head of its bucket's list and expire_timers() runs the
 * list from the head, so the newest timer fires first (measured: SYNs retried 7,6,…,1, the next
 * round 1,2,…,7).
 */
export class WheelBucket {
  readonly timers: TimerItem[] = [];
  constructor(
    readonly host: number,
    readonly at: number,
  ) {}
}

/** One item of the agenda. */
export type Agenda = DeliverItem | TimerItem | WheelBucket | Waiter | (() => void);

/** The queue lane of segments waiting for their host's kernel (they come back in turn order). */
export const RECEIVE_LANE = Number.MAX_SAFE_INTEGER;
