// The same server with try/finally and a read timeout: the property holds for every generated
// mix of clients (polite, early close, half-close, abort, garbage, never reading, slow reading,
// disconnecting mid-request) and close-segment faults (loss, duplication, reordering, delay).
import { expect, test } from 'vitest';
import { createSim, expectNoLeak } from 'tcpsim';
import { property } from 'tcpsim/fast-check';
import 'tcpsim/vitest';
import { PORT, startFixedServer } from './server.js';

test('the fixed server closes every connection', async () => {
  await property(startFixedServer, { port: PORT, seed: 42 });
});

test('one garbage request, step by step', async () => {
  const sim = createSim({ seed: 1 });
  startFixedServer(sim);
  const client = sim.process('client');
  client.spawn(async () => {
    const conn = await client.connect(PORT);
    await conn.write('garbage\n');
    expect(await conn.read()).toBe(''); // the server closed without answering
    conn.close();
  });
  await sim.run({ until: '2m' });
  expectNoLeak(sim);
  expect(sim).toHaveNoCloseWait();
  expect(sim.states()).toEqual({ LISTEN: 1 });
});
