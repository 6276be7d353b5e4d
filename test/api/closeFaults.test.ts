import { describe, expect, it } from 'vitest';
import { FIN } from '../../src/model/segment.js';
import { createSim, type CloseFault } from '../../src/api/index.js';
import { closingPair } from './closingPair.js';

/** One connection: the client sends a line and closes, the server reads to the end and closes. Returns the FIN/RST sends and drops. */
async function closeOf(faults: readonly CloseFault[]): Promise<{ fins: number[]; drops: number; delivered: number; closedAt: number }> {
  const sim = createSim({ closeFaults: faults, seed: 5 });
  const server = sim.process('server');
  let closedAt = -1;
  server.listen(80, async (conn) => {
    await conn.readAll();
    conn.close();
    closedAt = sim.now;
  });
  const client = sim.process('client');
  client.spawn(async () => {
    const conn = await client.connect(80);
    await conn.write('hi\n');
    conn.close();
  });
  await sim.run({ until: '3m' });
  const events = sim.trace().events;
  const finIds = new Set<number>();
  const fins: number[] = [];
  for (const e of events) {
    if (e.kind === 'send' && e.segment.flags & FIN) {
      finIds.add(e.segmentId);
      fins.push(e.at);
    }
  }
  const drops = events.filter((e) => e.kind === 'drop' && finIds.has(e.segmentId)).length;
  const delivered = events.filter((e) => e.kind === 'deliver' && finIds.has(e.segmentId)).length;
  expect(sim.states()).toEqual({ LISTEN: 1 });
  return { fins, drops, delivered, closedAt };
}

describe('close faults', () => {
  it('without faults: two FINs, each delivered once', async () => {
    const r = await closeOf([]);
    expect(r.fins).toHaveLength(2);
    expect(r.drops).toBe(0);
    expect(r.delivered).toBe(2);
  });

  it('loss of the first FIN: it is retransmitted', async () => {
    const r = await closeOf([{ segment: 0, kind: 'loss' }]);
    expect(r.drops).toBe(1);
    expect(r.fins).toHaveLength(3);
  });

  it('duplication delivers the FIN twice', async () => {
    const r = await closeOf([{ segment: 0, kind: 'duplicate' }]);
    expect(r.delivered).toBe(3);
  });

  it('delay holds the FIN back, and the server sees the end of the stream that much later', async () => {
    const plain = await closeOf([]);
    const late = await closeOf([{ segment: 0, kind: 'delay', delay: '150ms' }]);
    expect(late.closedAt - plain.closedAt).toBeCloseTo(150, 0);
  });

  it('reordering holds the FIN back past the segments sent after it (3 latencies and 1 µs instead of 1)', async () => {
    const sim = closingPair({ closeFaults: [{ segment: 0, kind: 'reorder' }] });
    await sim.run({ until: '3m' });
    const events = sim.trace().events;
    const fin = events.find((e) => e.kind === 'send' && (e.segment.flags & FIN) !== 0);
    const arrival = events.find((e) => e.kind === 'deliver' && fin?.kind === 'send' && e.segmentId === fin.segmentId);
    expect(arrival!.at - fin!.at).toBe(151);
  });
});

