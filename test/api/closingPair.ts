import { createSim, type Sim, type SimOptions } from '../../src/api/index.js';

/** A simulation with one connection: the server reads to the end and closes, the client connects and closes at once. */
export function closingPair(options: SimOptions = {}, port = 80): Sim {
  const sim = createSim(options);
  const server = sim.process('server');
  server.listen(port, async (conn) => {
    await conn.readAll();
    conn.close();
  });
  const client = sim.process('client');
  client.spawn(async () => {
    const conn = await client.connect(port);
    conn.close();
  });
  return sim;
}
