// A client that forgets close() on its timeout path. The server answers after 5 s; the client
// gives up after 2 s and returns without closing. When the server's answer and FIN arrive, the
// client's socket sits in CLOSE_WAIT for good. The first test FAILS on purpose; the second,
// closing in finally, passes.
import { expect, test } from 'vitest';
import { createSim, SimError, type Sim, type SimProcess } from 'tcpsim';
import 'tcpsim/vitest';

function slowServer(sim: Sim): void {
  const server = sim.process('server');
  server.listen(9000, async (conn) => {
    try {
      await conn.readLine();
      await sim.sleep('5s');
      await conn.write('late answer\n');
    } finally {
      conn.close();
    }
  });
}

async function fetchLeaky(client: SimProcess): Promise<string | null> {
  const conn = await client.connect(9000);
  await conn.write('GET /slow\n');
  try {
    const answer = await conn.readLine({ timeout: '2s' });
    conn.close();
    return answer;
  } catch (e) {
    if (e instanceof SimError && e.code === 'ETIMEDOUT') return null; // the bug: conn stays open
    throw e;
  }
}

async function fetchFixed(client: SimProcess): Promise<string | null> {
  const conn = await client.connect(9000);
  try {
    await conn.write('GET /slow\n');
    return await conn.readLine({ timeout: '2s' });
  } catch (e) {
    if (e instanceof SimError && e.code === 'ETIMEDOUT') return null;
    throw e;
  } finally {
    conn.close();
  }
}

async function runClient(fetch: (client: SimProcess) => Promise<string | null>): Promise<Sim> {
  const sim = createSim({ seed: 3 });
  slowServer(sim);
  const client = sim.process('client');
  client.spawn(async () => {
    expect(await fetch(client)).toBeNull();
  });
  await sim.run({ until: '3m' });
  return sim;
}

test('the leaky client leaves no CLOSE_WAIT behind', async () => {
  expect(await runClient(fetchLeaky)).toHaveNoCloseWait();
});

test('the fixed client leaves no CLOSE_WAIT behind', async () => {
  expect(await runClient(fetchFixed)).toHaveNoCloseWait();
});
