import { describe, expect, it } from 'vitest';
import { createSim } from '../../src/api/index.js';

/** A server with 8 fds whose handlers hold their connection 5 s, and 20 clients that connect at once and wait for the close. */
async function storm(policy: 'posix' | 'libuv', runtime?: 'node' | 'c') {
  const sim = createSim({ seed: 2 });
  const server = sim.process('server', { nofile: 8, baselineFds: 3, ...(runtime === undefined ? {} : { runtime }) });
  const listener = server.listen(80, { acceptPolicy: policy, onAcceptError: 'retry', retryAfter: '1s' }, async (conn) => {
    await sim.sleep('5s');
    conn.close();
  });
  const clients = sim.process('clients');
  for (let i = 0; i < 20; i++) {
    clients.spawn(async () => {
      const conn = await clients.connect(80);
      await conn.readAll({ timeout: '1m' }).catch(() => '');
      conn.close();
    });
  }
  await sim.run({ until: '2m' });
  return { sim, server, counts: listener.counts };
}

describe('accept policies and runtimes', () => {
  it('posix: accept() fails with EMFILE while the table is full, retries, and serves everyone in the end', async () => {
    const { counts, server } = await storm('posix');
    expect(counts.accepted).toBe(20);
    expect(counts.dropped).toBe(0);
    expect(counts.emfile).toBeGreaterThan(0);
    expect(server.peakFds).toBe(8);
  });

  it("libuv: EMFILE is answered by accepting and closing at once (uv__emfile_trick); those clients are dropped", async () => {
    const { counts, sim } = await storm('libuv');
    expect(counts.dropped).toBeGreaterThan(0);
    expect(counts.accepted + counts.dropped).toBe(20);
    // each accept() that failed and each connection the trick dropped counts an EMFILE
    expect(sim.errors('server').EMFILE).toBe(counts.emfile + counts.dropped);
  });

  it("runtime node: baseline fds and Node's libuv policy; reading EOF closes the connection (allowHalfOpen false)", async () => {
    const sim = createSim();
    const server = sim.process('server', { runtime: 'node' });
    expect(server.fds).toBe(19);
    let state = '';
    server.listen(80, async (conn) => {
      await conn.readAll();
      state = conn.fd < 0 ? 'closed by the runtime' : 'still open';
    });
    const client = sim.process('client');
    client.spawn(async () => {
      const conn = await client.connect(80);
      conn.close();
    });
    await sim.run({ until: '2m' });
    expect(state).toBe('closed by the runtime');
    expect(sim.states()).toEqual({ LISTEN: 1 });
  });

  it('runtime python: a connection the handler drops is closed when it returns; c leaves it in CLOSE_WAIT', async () => {
    for (const [runtime, expected] of [
      ['python', { LISTEN: 1 }],
      ['c', { LISTEN: 1, CLOSE_WAIT: 1 }],
    ] as const) {
      const sim = createSim();
      const server = sim.process('server', { runtime });
      server.listen(80, async (conn) => {
        await conn.readAll();
      });
      const client = sim.process('client');
      client.spawn(async () => {
        const conn = await client.connect(80);
        conn.close();
      });
      await sim.run({ until: '2m' });
      expect(sim.states('server')).toEqual(expected);
    }
  });

  it('workers: at most n handlers at once; the others wait, accepted', async () => {
    const sim = createSim();
    const server = sim.process('server');
    let running = 0;
    let most = 0;
    server.listen(80, { workers: 3 }, async (conn) => {
      running++;
      most = Math.max(most, running);
      await sim.sleep(100);
      running--;
      conn.close();
    });
    const clients = sim.process('clients');
    for (let i = 0; i < 10; i++) clients.spawn(async () => (await clients.connect(80)).close());
    await sim.run({ until: '2m' });
    expect(most).toBe(3);
    expect(sim.states()).toEqual({ LISTEN: 1 });
  });

  it('bad input is refused with a clear message', () => {
    const sim = createSim();
    expect(() => sim.process('p', { nofile: 0 })).toThrow(/nofile must be a whole number ≥ 1, got 0/);
    const p = sim.process('p');
    expect(() => sim.process('p')).toThrow(/already a process named p/);
    expect(() => p.listen(70_000, async () => {})).toThrow(/port must be 1…65535, got 70000/);
    expect(() => sim.sleep('soon')).toThrow(/sleep: "soon" is not a duration/);
    expect(() => sim.processNamed('q')).toThrow(/no process named q \(there are: p\)/);
  });
});
