import { describe, expect, it } from 'vitest';
import { createSim, SimError, type Conn } from '../../src/api/index.js';

describe('createSim: programs as async functions in virtual time', () => {
  it('a request and its answer, then both close: every connection reaches CLOSED', async () => {
    const sim = createSim({ seed: 7 });
    const server = sim.process('server', { nofile: 64 });
    server.listen(8080, { backlog: 50 }, async (conn) => {
      const line = await conn.readLine();
      await conn.write(`echo ${line}`);
      await conn.readAll();
      conn.close();
    });
    const client = sim.process('client');
    let answer = '';
    client.spawn(async () => {
      const conn = await client.connect(8080);
      await conn.write('GET / HTTP/1.0\n');
      answer = await conn.readLine();
      conn.close();
    });
    await sim.run({ until: '2m' });
    expect(answer).toBe('echo GET / HTTP/1.0\n');
    expect(sim.states()).toEqual({ LISTEN: 1 });
    expect(sim.fds('server')).toBe(4);
    expect(sim.fds('client')).toBe(3);
    expect(sim.now).toBe(120_000);
  });

  it('a handler that returns without close() leaves the server in CLOSE_WAIT with its fd', async () => {
    const sim = createSim();
    const server = sim.process('server');
    server.listen(8080, async (conn) => {
      const line = await conn.readLine();
      if (!line.startsWith('GET')) return;
      conn.close();
    });
    const client = sim.process('client');
    client.spawn(async () => {
      const conn = await client.connect(8080);
      conn.close();
    });
    await sim.run({ until: '5m' });
    expect(sim.states('server')).toEqual({ LISTEN: 1, CLOSE_WAIT: 1 });
    expect(sim.fds('server')).toBe(5);
  });

  it('sleep is virtual: ten minutes pass at once', async () => {
    const sim = createSim();
    const p = sim.process('p');
    const seen: number[] = [];
    p.spawn(async () => {
      await sim.sleep('10m');
      seen.push(sim.now);
      await sim.sleep(250);
      seen.push(sim.now);
    });
    const started = performance.now();
    await sim.run();
    expect(seen).toEqual([600_000, 600_250]);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('errors are SimErrors with Node-like codes: ECONNREFUSED, EMFILE, and a read timeout', async () => {
    const sim = createSim();
    const server = sim.process('server', { nofile: 5 });
    server.listen(80, async (conn) => {
      await sim.sleep('1h');
      conn.close();
    });
    const client = sim.process('client', { nofile: 5 });
    const codes: string[] = [];
    client.spawn(async () => {
      try {
        await client.connect(81);
      } catch (e) {
        if (e instanceof SimError) codes.push(`${e.syscall} ${e.code}`);
      }
      const conns: Conn[] = [];
      try {
        for (;;) conns.push(await client.connect(80));
      } catch (e) {
        if (e instanceof SimError) codes.push(e.message);
      }
      try {
        await conns[0]!.readLine({ timeout: '2s' });
      } catch (e) {
        if (e instanceof SimError) codes.push(`${e.code} at ${sim.now}`);
      }
    });
    await sim.run({ until: '10s' });
    expect(codes[0]).toBe('connect ECONNREFUSED');
    expect(codes[1]).toMatch(/^connect EMFILE/);
    expect(codes[2]).toMatch(/^ETIMEDOUT at /);
  });

  it('a program bug (not a SimError) fails run(); a SimError a task does not catch is recorded', async () => {
    const sim = createSim();
    const p = sim.process('p');
    p.spawn(async () => {
      await p.connect(9);
    });
    await sim.run({ until: '1s' });
    expect(sim.failures().map((f) => `${f.process}: ${String(f.error)}`)).toEqual(['p: SimError: connect ECONNREFUSED']);
    p.spawn(async () => {
      await sim.sleep(5);
      throw new TypeError('oops');
    });
    await expect(sim.run({ for: '1s' })).rejects.toThrow('oops');
  });

  it('same seed, same interleaving: two runs give the same trace, event for event', async () => {
    const once = async (): Promise<string> => {
      const sim = createSim({ seed: 3 });
      const server = sim.process('server', { nofile: 16 });
      server.listen(8080, { workers: 2 }, async (conn) => {
        await conn.readLine();
        await sim.sleep(3);
        await conn.write('ok\n');
        conn.close();
      });
      const client = sim.process('client');
      for (let i = 0; i < 20; i++) {
        client.spawn(
          async () => {
            const conn = await client.connect(8080);
            await conn.write('hi\n');
            await conn.readLine();
            conn.close();
          },
          { at: i % 3 },
        );
      }
      await sim.run({ until: '3m' });
      return JSON.stringify(sim.trace().events);
    };
    const a = await once();
    expect(a.length).toBeGreaterThan(1000);
    expect(await once()).toBe(a);
  });

  it('the clock waits for a continuation however deep its await chain: all of it runs at the instant its await settled', async () => {
    const sim = createSim();
    const p = sim.process('p');
    const deep = async (n: number): Promise<number> => (n === 0 ? sim.now : await deep(n - 1));
    const seen: number[] = [];
    p.spawn(async () => {
      await sim.sleep(10);
      seen.push(await deep(50));
    });
    // an event 1 µs later, which must not run before the continuation above finishes
    sim.world.at(10_001, () => seen.push(-1));
    await sim.run();
    expect(seen).toEqual([10, -1]);
  });
});
