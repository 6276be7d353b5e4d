/**
 * bench-lifecycle written with the library's async programs instead of the scenario's steps:
 * one server and 40 client processes on their own hosts, each client opening its share of the
 * connections evenly over one virtual second, every connection through its whole life (request,
 * answer, the client closes, the server reads EOF and closes, TIME_WAIT expires). The same
 * engine work as the YAML run; what differs is how the programs execute.
 */
import { createSim } from '../api/sim.js';
import { LINUX } from '../model/profile.js';
import { BENCH_CLIENT_HOSTS } from './measureTcpsim.js';

/** Runs the workload with `total` connections (rounded to a multiple of 40); returns wall time, events and the final states. */
export async function measureAsyncLifecycle(total: number): Promise<{ connections: number; wallMs: number; events: number; ok: boolean }> {
  const perClient = Math.max(1, Math.round(total / BENCH_CLIENT_HOSTS));
  const sim = createSim({ profile: { ...LINUX, rxCost: 0 }, seed: 1, trace: false }) // as bench-lifecycle.yaml: no receive cost;
  const started = performance.now();
  const server = sim.process('server', { nofile: 1_048_576, address: '127.0.0.1' });
  server.listen(8888, { backlog: 4096 }, async (conn) => {
    await conn.readLine();
    await conn.write('HTTP/1.0 200 OK\n');
    await conn.readAll();
    conn.close();
  });
  for (let c = 0; c < BENCH_CLIENT_HOSTS; c++) {
    const client = sim.process(`client-${String(c).padStart(2, '0')}`, { nofile: 1_048_576, address: `127.0.0.${c + 2}` });
    const lifecycle = async (): Promise<void> => {
      const conn = await client.connect(8888);
      await conn.write('GET / HTTP/1.0\n');
      await conn.readLine();
      conn.close();
    };
    // the scenario runner's ramp: connection i starts at floor(ramp · i / connections)
    for (let i = 0; i < perClient; i++) client.spawn(lifecycle, { at: Math.floor((1_000_000 * i) / perClient) / 1000 });
  }
  await sim.run({ until: '65s' });
  const wallMs = performance.now() - started;
  const states = sim.states();
  const ok = Object.keys(states).length === 1 && states.LISTEN === 1;
  return { connections: perClient * BENCH_CLIENT_HOSTS, wallMs, events: sim.world.eventsProcessed, ok };
}
