import { describe, expect, it } from 'vitest';
import { runFlatTable, runXstate } from '../../src/bench/baselines.js';

// The baselines are only worth comparing with if they do the workload: every endpoint of every
// connection ends CLOSED, and both step through the same events.
describe('benchmark baselines', () => {
  it('B (flat table) and A (xstate transition) take every endpoint to CLOSED through the same events', () => {
    const flat = runFlatTable(200);
    const xstate = runXstate(200);
    expect(flat.closed).toBe(400);
    expect(xstate.closed).toBe(400);
    expect(xstate.events).toBe(flat.events);
    // handshake, request, reply, three-segment close (the server's FIN carries the delayed ACK), 2MSL
    expect(flat.events).toBe(200 * 19);
  });
});
