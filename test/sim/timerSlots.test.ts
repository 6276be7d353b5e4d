import { describe, expect, it } from 'vitest';
import { TIMERS } from '../../src/model/endpointMachine.js';
import { Socket, TIMER_SLOTS, setTimerOf, timerOf } from '../../src/sim/socket.js';

describe('timer slots', () => {
  it('are the machine timers in order, then data retransmission and keepalive, each with a field of its own', () => {
    expect([...TIMER_SLOTS]).toEqual([...TIMERS, 'dataRto', 'keepalive']);
    const sock = new Socket(1, 0, 0, { addr: '127.0.0.1', port: 1 }, { addr: '127.0.0.1', port: 2 }, 0, 'client', 0);
    const links = TIMER_SLOTS.map((_, slot) => 101 + slot);
    links.forEach((link, slot) => setTimerOf(sock, slot, link));
    TIMER_SLOTS.forEach((name, slot) => {
      expect(timerOf(sock, slot)).toBe(links[slot]);
      expect(sock[`${name}Timer`]).toBe(links[slot]);
    });
  });
});
