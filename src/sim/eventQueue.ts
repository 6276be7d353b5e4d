/**
 * The engine's agenda: a binary min-heap ordered by (time, insertion sequence). The sequence
 * number breaks ties in insertion order, so two events at the same instant always run in the
 * order they were scheduled and every run is reproducible.
 */

/** A queued item: when it is due and what it carries. */
interface Entry<T> {
  at: number;
  seq: number;
  item: T;
}

/** A deterministic priority queue of timed items. */
export class EventQueue<T> {
  private readonly heap: Entry<T>[] = [];
  private seq = 0;

  /** Number of queued items. */
  get size(): number {
    return this.heap.length;
  }

  /** Time of the earliest item, or Infinity when empty. */
  peekTime(): number {
    return this.heap.length > 0 ? this.heap[0]!.at : Infinity;
  }

  /** Schedules `item` at time `at`. */
  push(at: number, item: T): void {
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

  /** Removes and returns the earliest item with its time, or undefined when empty. */
  pop(): { at: number; item: T } | undefined {
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
    return { at: top.at, item: top.item };
  }
}
