// The server under test: one request line, one answer. `startLeakyServer` forgets close() when
// the request is not a GET; `startFixedServer` closes on every path (try/finally) and gives up on
// a client that never sends its line (a read timeout).
import type { Sim } from 'tcpsim';

export const PORT = 8080;

export function startLeakyServer(sim: Sim): void {
  const server = sim.process('server', { nofile: 64 });
  server.listen(PORT, { backlog: 50 }, async (conn) => {
    const line = await conn.readLine();
    if (!line.startsWith('GET')) return; // the bug: no close() on this path
    await conn.write('HTTP/1.0 200 OK\r\n\r\n');
    conn.close();
  });
}

export function startFixedServer(sim: Sim): void {
  const server = sim.process('server', { nofile: 64 });
  server.listen(PORT, { backlog: 50 }, async (conn) => {
    try {
      const line = await conn.readLine({ timeout: '30s' });
      if (!line.startsWith('GET')) return;
      await conn.write('HTTP/1.0 200 OK\r\n\r\n');
    } finally {
      conn.close();
    }
  });
}
