import { describe, expect, it } from 'vitest';
import { createSim, expectAllClosed, expectNoLeak, type Sim } from '../../src/api/index.js';
import '../../src/testing/vitest.js';
import { closingPair } from './closingPair.js';

/** A server whose handler returns without close() when the request is not a GET; one client that sends `request`, then closes. */
async function run(request: string, closeOnEveryPath: boolean): Promise<Sim> {
  const sim = createSim({ seed: 11 });
  const server = sim.process('server', { nofile: 16 });
  server.listen(8080, async (conn) => {
    try {
      const line = await conn.readLine();
      if (!line.startsWith('GET')) return;
      await conn.write('HTTP/1.0 200 OK\r\n\r\n');
    } finally {
      if (closeOnEveryPath) conn.close();
    }
    conn.close();
  });
  const client = sim.process('client');
  client.spawn(async () => {
    const conn = await client.connect(8080);
    await conn.write(request);
    await conn.read(100, { timeout: '1s' }).catch(() => '');
    conn.close();
  });
  await sim.run({ until: '3m' });
  return sim;
}

describe('leak assertions', () => {
  it('expectNoLeak names the CLOSE_WAIT connection and draws it as an RFC 9293 table', async () => {
    const sim = await run('garbage\n', false);
    let message = '';
    try {
      expectNoLeak(sim);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('server holds fd 4 on connection 0 (127.0.0.1:8080 ⇄ 127.0.0.2:');
    expect(message).toContain('in CLOSE_WAIT: the peer closed and the program never called close()');
    expect(message).toContain('CLOSE-WAIT');
    expect(message).toMatch(/-->|<--/);
  });

  it('passes once every path closes', async () => {
    const sim = await run('garbage\n', true);
    expectNoLeak(sim);
    expectAllClosed(sim);
    expect(sim).toHaveNoCloseWait();
    expect(sim).toHaveNoLeak();
    expect(sim).toStayWithinFds(5);
  });

  it('expectAllClosed counts TIME_WAIT until it expires', async () => {
    const sim = closingPair();
    await sim.run({ until: '10s' });
    expect(() => expectAllClosed(sim)).toThrow(/1 in TIME_WAIT/);
    expectNoLeak(sim);
    await sim.run({ until: '2m' });
    expectAllClosed(sim);
  });

  it('the vitest matchers fail with the connection named', async () => {
    const sim = await run('garbage\n', false);
    expect(() => expect(sim).toHaveNoCloseWait()).toThrow(/expected no socket in CLOSE_WAIT, found 1[\s\S]*CLOSE-WAIT/);
    expect(() => expect(sim).toHaveNoLeak({ process: 'server' })).toThrow(/server still hold 1 \(1 in CLOSE_WAIT\)/);
    expect(() => expect(sim).toStayWithinFds(4)).toThrow(/server held 5 at its peak/);
    expect(() => expect(42).toHaveNoCloseWait()).toThrow(/expected a simulation from createSim\(\), got number/);
  });
});
