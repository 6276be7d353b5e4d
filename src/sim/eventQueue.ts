/**
 * The engine's agenda, ordered by (time, insertion sequence). The sequence number breaks ties in
 * insertion order, so two events at the same instant always run in the order they were scheduled
 * and every run is reproducible.
 *
 * Most items are scheduled a fixed delay after "now" (a link's latency, TIME_WAIT's 60 s, a wake
 * at once), and "now" never goes back, so items with the same delay arrive already sorted. Those
 * go to a FIFO lane per delay (O(1), no heap work, no per-item allocation); anything else goes to
 * a binary heap. Each lane stays sorted by (time, sequence), so taking the smallest head among
 * the heap and the lanes yields exactly the order one heap would.
 */

/** A queued item: when it is due and what it carries. */
interface Entry<T> {
  at: number;
  seq: number;
  item: T;
}

/**
 * Items scheduled the same delay after the time of the last pop, in order: a FIFO ring buffer
 * (times and sequence numbers in typed arrays; capacity a power of two, doubled when full), so a
 * lane allocates nothing per item and never copies its live part except to grow.
 */
class Lane<T> {
  head = 0;
  size = 0;
  mask = 15;
  at = new Float64Array(16);
  seq = new Float64Array(16);
  item: (T | undefined)[] = new Array<T | undefined>(16).fill(undefined);

  constructor(readonly delay: number) {}

  /** Time of the newest item (size > 0). */
  lastAt(): number {
    return this.at[(this.head + this.size - 1) & this.mask]!;
  }

  add(at: number, seq: number, item: T): void {
    if (this.size > this.mask) this.grow();
    const i = (this.head + this.size) & this.mask;
    this.at[i] = at;
    this.seq[i] = seq;
    this.item[i] = item;
    this.size++;
  }

  take(): T {
    const h = this.head;
    const item = this.item[h] as T;
    this.item[h] = undefined;
    this.head = (h + 1) & this.mask;
    this.size--;
    return item;
  }

  /** Twice the room; called when full, so the live part is the whole ring, from head round to head − 1. */
  private grow(): void {
    const old = this.mask + 1;
    const cap = old * 2;
    const h = this.head;
    const at = new Float64Array(cap);
    at.set(this.at.subarray(h));
    at.set(this.at.subarray(0, h), old - h);
    const seq = new Float64Array(cap);
    seq.set(this.seq.subarray(h));
    seq.set(this.seq.subarray(0, h), old - h);
    const item = new Array<T | undefined>(cap).fill(undefined);
    for (let k = 0; k < old; k++) item[k] = this.item[(h + k) & this.mask];
    this.at = at;
    this.seq = seq;
    this.item = item;
    this.head = 0;
    this.mask = cap - 1;
  }
}

const MAX_LANES = 8;

/** A deterministic priority queue of timed items. */
export class EventQueue<T> {
  private readonly heap: Entry<T>[] = [];
  private seq = 0;
  private count = 0;
  private readonly lanes: Lane<T>[] = [];
  /** Time of the last item popped: the lanes' "now". */
  lastAt = 0;

  /** Number of queued items. */
  get size(): number {
    return this.count;
  }

  /** Time of the earliest item, or Infinity when empty. */
  peekTime(): number {
    let best = this.heap.length > 0 ? this.heap[0]!.at : Infinity;
    const lanes = this.lanes;
    for (let i = 0; i < lanes.length; i++) {
      const lane = lanes[i]!;
      if (lane.size > 0 && lane.at[lane.head]! < best) best = lane.at[lane.head]!;
    }
    return best;
  }

  /**
   * Schedules `item` at time `at`. `lane` names the FIFO lane to try (by default the delay from
   * now): items pushed with one name must mostly come in time order — a timer rounded up to the
   * kernel's timer wheel passes its nominal duration, whose expiries never go back in time.
   * An item out of order for its lane goes to the heap, so the name affects speed only.
   */
  push(at: number, item: T, lane: number = at - this.lastAt): void {
    this.count++;
    const delay = lane;
    const lanes = this.lanes;
    for (let i = 0; i < lanes.length; i++) {
      const lane = lanes[i]!;
      if (lane.delay === delay) {
        if (lane.size === 0 || lane.lastAt() <= at) {
          lane.add(at, this.seq++, item);
          return;
        }
        break;
      }
    }
    if (lanes.length < MAX_LANES && delay >= 0 && !lanes.some((l) => l.delay === delay)) {
      const lane = new Lane<T>(delay);
      lane.add(at, this.seq++, item);
      lanes.push(lane);
      return;
    }
    this.pushHeap(at, item);
  }

  /** Removes and returns the earliest item (its time is then `lastAt`), or undefined when empty. */
  popItem(): T | undefined {
    return this.popItemUntil(Infinity);
  }

  /**
   * Removes and returns the earliest item if it is due at or before `limit`; otherwise (or when
   * empty) returns undefined and removes nothing. One scan where peekTime() + popItem() take two.
   */
  popItemUntil(limit: number): T | undefined {
    if (this.count === 0) return undefined;
    let bestLane: Lane<T> | null = null;
    let bestAt = Infinity;
    let bestSeq = Infinity;
    const heap = this.heap;
    if (heap.length > 0) {
      bestAt = heap[0]!.at;
      bestSeq = heap[0]!.seq;
    }
    const lanes = this.lanes;
    for (let i = 0; i < lanes.length; i++) {
      const lane = lanes[i]!;
      if (lane.size === 0) continue;
      const h = lane.head;
      const at = lane.at[h]!;
      if (at < bestAt || (at === bestAt && lane.seq[h]! < bestSeq)) {
        bestAt = at;
        bestSeq = lane.seq[h]!;
        bestLane = lane;
      }
    }
    if (bestAt > limit) return undefined;
    this.count--;
    this.lastAt = bestAt;
    if (bestLane === null) return this.popHeap()!.item;
    return bestLane.take();
  }

  /** Removes and returns the earliest item with its time, or undefined when empty. */
  pop(): { at: number; item: T } | undefined {
    if (this.count === 0) return undefined;
    const item = this.popItem() as T;
    return { at: this.lastAt, item };
  }

  private pushHeap(at: number, item: T): void {
    const heap = this.heap;
    const entry: Entry<T> = { at, seq: this.seq++, item };
    let i = heap.length;
    heap.push(entry);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (p.at < at || (p.at === at && p.seq < entry.seq)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = entry;
  }

  private popHeap(): Entry<T> | undefined {
    const heap = this.heap;
    const top = heap[0];
    if (!top) return undefined;
    const last = heap.pop()!;
    const n = heap.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let c = l;
        const left = heap[l]!;
        if (r < n) {
          const right = heap[r]!;
          if (right.at < left.at || (right.at === left.at && right.seq < left.seq)) c = r;
        }
        const child = heap[c]!;
        if (last.at < child.at || (last.at === child.at && last.seq < child.seq)) break;
        heap[i] = child;
        i = c;
      }
      heap[i] = last;
    }
    return top;
  }
}
