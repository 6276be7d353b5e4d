/**
 * A process's file-descriptor table: RLIMIT_NOFILE, the fds open before any socket (baseline),
 * and POSIX's lowest-free-number allocation. An fd is an opaque number; the table owns what it
 * refers to.
 */

/** The per-process table of open fds. */
export class FdTable<T> {
  private readonly slots: (T | null)[] = [];
  private readonly free: number[] = [];
  private openCount: number;

  /** A table with `baseline` fds already open (0 … baseline−1) under limit `nofile`. */
  constructor(
    readonly nofile: number,
    readonly baseline: number,
  ) {
    if (baseline > nofile) throw new Error(`fd table: baseline ${baseline} exceeds nofile ${nofile}`);
    this.openCount = baseline;
  }

  /** Open fds, baseline included. */
  get inUse(): number {
    return this.openCount;
  }

  /** True when the next open would fail with EMFILE. */
  get full(): boolean {
    return this.openCount >= this.nofile;
  }

  /** Opens the lowest free fd for `value`; returns -1 (EMFILE) at the limit. */
  open(value: T): number {
    if (this.openCount >= this.nofile) return -1;
    let fd: number;
    if (this.free.length > 0) fd = this.popLowestFree();
    else fd = this.baseline + this.slots.length;
    const index = fd - this.baseline;
    if (index === this.slots.length) this.slots.push(value);
    else this.slots[index] = value;
    this.openCount++;
    return fd;
  }

  /** What `fd` refers to, or undefined when it is not an open socket fd. */
  get(fd: number): T | undefined {
    const value = this.slots[fd - this.baseline];
    return value === null ? undefined : value;
  }

  /** Closes `fd`; returns what it referred to, or undefined (EBADF). */
  close(fd: number): T | undefined {
    const index = fd - this.baseline;
    const value = this.slots[index];
    if (value === undefined || value === null) return undefined;
    this.slots[index] = null;
    this.openCount--;
    this.pushFree(fd);
    return value;
  }

  /** Every open socket fd with its value, lowest fd first. */
  entries(): Array<[number, T]> {
    const out: Array<[number, T]> = [];
    this.slots.forEach((value, index) => {
      if (value !== null) out.push([index + this.baseline, value]);
    });
    return out;
  }

  private pushFree(fd: number): void {
    const heap = this.free;
    let i = heap.length;
    heap.push(fd);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]! <= fd) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = fd;
  }

  private popLowestFree(): number {
    const heap = this.free;
    const top = heap[0]!;
    const last = heap.pop()!;
    const n = heap.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const c = l + 1 < n && heap[l + 1]! < heap[l]! ? l + 1 : l;
        if (last <= heap[c]!) break;
        heap[i] = heap[c]!;
        i = c;
      }
      heap[i] = last;
    }
    return top;
  }
}
