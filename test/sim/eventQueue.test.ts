import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../src/sim/eventQueue.js';

/** Pops everything: [time, item] in agenda order. */
function drain<T>(q: EventQueue<T>): Array<[number, T]> {
  const out: Array<[number, T]> = [];
  for (let item = q.popItem(); item !== undefined; item = q.popItem()) out.push([q.lastAt, item]);
  return out;
}

describe('EventQueue', () => {
  it('runs items in time order', () => {
    const q = new EventQueue<string>();
    q.push(30, 'c');
    q.push(10, 'a');
    q.push(20, 'b');
    expect(drain(q)).toEqual([
      [10, 'a'],
      [20, 'b'],
      [30, 'c'],
    ]);
  });

  it('same-time items run in insertion order on the heap path (pushed out of order for their lane)', () => {
    const q = new EventQueue<string>();
    // one lane name, times going back: after the first, every push is out of order for the lane and goes to the heap
    q.push(100, 'late', 7);
    const names = ['h0', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7', 'h8', 'h9'];
    for (const n of names) q.push(50, n, 7);
    expect(drain(q).map(([, n]) => n)).toEqual([...names, 'late']);
  });

  it('same-time items run in insertion order on the heap path when many lane names are used', () => {
    const q = new EventQueue<number>();
    // more distinct delays than there are lanes: the rest go to the heap; all due at 1000
    for (let i = 0; i < 40; i++) q.push(1000, i, 1000 + i);
    expect(drain(q).map(([, n]) => n)).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it('same-time items run in insertion order within a lane and across lanes and the heap', () => {
    const q = new EventQueue<string>();
    q.push(10, 'a1', 10); // lane 10
    q.push(10, 'b1', 5); // lane 5
    q.push(10, 'a2', 10);
    q.push(10, 'c1', 3);
    q.push(5, 'early', 3); // out of order for lane 3: heap
    q.push(10, 'c2', 3); // lane 3 now ends at 10 (the heap holds 'early')
    q.push(10, 'b2', 5);
    expect(drain(q)).toEqual([
      [5, 'early'],
      [10, 'a1'],
      [10, 'b1'],
      [10, 'a2'],
      [10, 'c1'],
      [10, 'c2'],
      [10, 'b2'],
    ]);
  });

  it('interleaves lanes and the heap by time, then by insertion', () => {
    const q = new EventQueue<string>();
    const expected: Array<[number, string]> = [];
    // a deterministic mix of times and lane names
    let x = 12345;
    for (let i = 0; i < 500; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      const at = x % 97;
      const lane = i % 13;
      q.push(at, `${i}`, lane);
      expected.push([at, `${i}`]);
    }
    expected.sort((a, b) => a[0] - b[0] || Number(a[1]) - Number(b[1]));
    expect(drain(q)).toEqual(expected);
  });

  it('default lanes by delay from the last pop keep the order as time moves on', () => {
    const q = new EventQueue<string>();
    q.push(0, 'start');
    expect(q.popItem()).toBe('start');
    q.push(50, 'a'); // delay 50
    q.push(30, 'b'); // delay 30
    q.push(50, 'c');
    expect(q.popItem()).toBe('b');
    expect(q.lastAt).toBe(30);
    q.push(80, 'd'); // delay 50 from 30: lane 50 holds 50, 50, 80
    q.push(60, 'e'); // delay 30
    expect(drain(q)).toEqual([
      [50, 'a'],
      [50, 'c'],
      [60, 'e'],
      [80, 'd'],
    ]);
  });

  it('popItemUntil takes nothing past its limit; peekTime and size agree', () => {
    const q = new EventQueue<string>();
    expect(q.peekTime()).toBe(Infinity);
    expect(q.popItemUntil(100)).toBeUndefined();
    q.push(20, 'x', 1);
    q.push(10, 'y', 2);
    q.push(40, 'z', 1);
    q.push(15, 'h', 1); // out of order for lane 1: heap
    expect(q.size).toBe(4);
    expect(q.peekTime()).toBe(10);
    expect(q.popItemUntil(9)).toBeUndefined();
    expect(q.size).toBe(4);
    expect(q.popItemUntil(10)).toBe('y');
    expect(q.popItemUntil(20)).toBe('h');
    expect(q.lastAt).toBe(15);
    expect(q.popItemUntil(20)).toBe('x');
    expect(q.popItemUntil(39)).toBeUndefined();
    expect(q.peekTime()).toBe(40);
    expect(q.size).toBe(1);
    expect(q.pop()).toEqual({ at: 40, item: 'z' });
    expect(q.pop()).toBeUndefined();
    expect(q.size).toBe(0);
    // the earliest in the heap, and a later lane after an earlier one: peekTime is the minimum of all
    q.push(110, 'a', 1);
    q.push(130, 'b', 2);
    expect(q.peekTime()).toBe(110);
    q.push(105, 'c', 1); // out of order for lane 1: heap
    expect(q.peekTime()).toBe(105);
  });

  it('same-time items in two lanes keep their insertion order after the lanes wrap and grow', () => {
    const q = new EventQueue<string>();
    const expected: string[] = [];
    // lanes 5 and 6 get an item at each time; which of the two is pushed first alternates
    const pushPair = (t: number): void => {
      const [first, second] = t % 2 === 0 ? [5, 6] : [6, 5];
      q.push(t, `${first}@${t}`, first);
      q.push(t, `${second}@${t}`, second);
      expected.push(`${first}@${t}`, `${second}@${t}`);
    };
    for (let t = 0; t < 10; t++) pushPair(t);
    for (let i = 0; i < 10; i++) expect(q.popItem()).toBe(expected[i]);
    // the rings' heads are past 0 now, so growing (at 16 items a lane, and 32) copies a wrapped ring
    for (let t = 10; t < 40; t++) pushPair(t);
    expect(drain(q).map(([, item]) => item)).toEqual(expected.slice(10));
  });

  it('a lane grows past its first capacity without losing order', () => {
    const q = new EventQueue<number>();
    for (let i = 0; i < 1000; i++) q.push(i, i, 5);
    // take some, add more, so the ring wraps before it grows again
    for (let i = 0; i < 300; i++) expect(q.popItem()).toBe(i);
    for (let i = 1000; i < 2500; i++) q.push(i, i, 5);
    // each item with its own time: times and items are kept in separate columns, both must survive growth
    expect(drain(q)).toEqual(Array.from({ length: 2200 }, (_, i) => [i + 300, i + 300]));
  });
});
