// A connection storm against a server with 32 fds: accept() fails with EMFILE while the table is
// full, the accept loop retries every 100 ms, and every connection is served in the end. The fd
// count never passes the limit, and nothing leaks.
import { expect, test } from 'vitest';
import { createSim, expectNoLeak, SimError } from 'tcpsim';
import 'tcpsim/vitest';

test('EMFILE under a storm: the server sheds load and recovers', async () => {
  const sim = createSim({ seed: 9 });
  const server = sim.process('server', { nofile: 32 });
  server.listen(80, { backlog: 512, onAcceptError: 'retry', retryAfter: 100 }, async (conn) => {
    try {
      await conn.readLine({ timeout: '10s' });
      await sim.sleep(200); // work
      await conn.write('ok\n');
    } finally {
      conn.close();
    }
  });
  const clients = sim.process('clients', { nofile: 4096 });
  let served = 0;
  for (let i = 0; i < 300; i++) {
    clients.spawn(
      async () => {
        const conn = await clients.connect(80);
        try {
          await conn.write('GET /\n');
          if ((await conn.readLine({ timeout: '60s' })) === 'ok\n') served++;
        } catch (e) {
          if (!(e instanceof SimError)) throw e;
        } finally {
          conn.close();
        }
      },
      { at: i / 10 },
    );
  }
  await sim.run({ until: '5m' });
  expect(sim.errors('server').EMFILE).toBeGreaterThan(0);
  expect(served).toBe(300);
  expect(sim).toStayWithinFds(32, { process: 'server' });
  expectNoLeak(sim);
});
