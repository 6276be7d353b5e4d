/**
 * What the engine's agenda holds: a segment due at a host, timer expiries (a timer-wheel bucket
 * with every timer of its host due at that instant, or one timer alone when the profile has no
 * wheel), a program step to wake (the Waiter itself) or a call (the function itself) — no
 * wrapper object for the last two.
 */
import type { Segment } from '../model/segment.js';
import type { Waiter } from './socket.js';

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

/**
 * The kernel timers of one host that fire at one instant: a bucket of Linux's timer wheel.
 * enqueue_timer() adds a timer at the head of its bucket's list and expire_timers() runs the
 * list from the head, so the newest timer fires first (measured: SYNs retried 7,6,…,1, the next
 * round 1,2,…,7). Without a wheel (profile hz: exact) each timer is a bucket of its own.
 *
 * A timer is three numbers in `entries`, with no object of its own: the socket's id, the timer
 * slot, and the number it was started with. A timer stopped or restarted since stays in its
 * bucket and is skipped when the bucket fires (its slot holds another number by then); being
 * numbers, such stale entries keep no socket alive.
 */
export class WheelBucket {
  readonly entries: number[] = [];
  constructor(
    readonly host: number,
    readonly at: number,
  ) {}
}

/** One item of the agenda. */
export type Agenda = DeliverItem | WheelBucket | Waiter | (() => void);

/** The queue lane of segments waiting for their host's kernel (they come back in turn order). */
export const RECEIVE_LANE = Number.MAX_SAFE_INTEGER;
