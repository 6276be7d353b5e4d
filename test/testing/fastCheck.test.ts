import { describe, expect, it } from 'vitest';
import type { Sim } from '../../src/api/index.js';
import { property, PropertyFailure } from '../../src/testing/fastCheck.js';

/** The handler of the issue: no close() when the first line is not a GET; `fixed` closes in finally, with a read timeout. */
function server(fixed: boolean) {
  return (sim: Sim): void => {
    const proc = sim.process('server', { nofile: 64 });
    proc.listen(8080, { backlog: 50 }, async (conn) => {
      try {
        const line = await conn.readLine(fixed ? { timeout: '30s' } : {});
        if (!line.startsWith('GET')) return;
        await conn.write('HTTP/1.0 200 OK\r\n\r\n');
        conn.close();
      } finally {
        if (fixed) conn.close();
      }
    });
  };
}

async function failureOf(run: Promise<void>): Promise<PropertyFailure> {
  try {
    await run;
  } catch (e) {
    if (e instanceof PropertyFailure) return e;
    throw e;
  }
  throw new Error('the property held');
}

describe('property: a server against generated clients and close faults', () => {
  it('finds the handler that forgets close(), shrinks it to one client, and draws the CLOSE_WAIT connection', async () => {
    const failure = await failureOf(property(server(false), { port: 8080, seed: 7, numRuns: 50 }));
    expect(failure.counterexample.clients).toHaveLength(1);
    expect(failure.counterexample.faults).toEqual([]);
    expect(failure.message).toMatch(/counterexample:\n  client 1 at 0 ms: /);
    expect(failure.message).toContain('in CLOSE_WAIT: the peer closed and the program never called close()');
    expect(failure.message).toContain('CLOSE-WAIT');
    expect(failure.message).toContain('replay: property(server, { …, seed: 7, path: ');
  });

  it('is deterministic: the same seed gives the same counterexample and the same trace, twice', async () => {
    const a = await failureOf(property(server(false), { port: 8080, seed: 99, numRuns: 30 }));
    const b = await failureOf(property(server(false), { port: 8080, seed: 99, numRuns: 30 }));
    expect(b.message).toBe(a.message);
    expect(b.path).toBe(a.path);
  });

  it('passes for the handler that closes on every path', async () => {
    await property(server(true), { port: 8080, seed: 7, numRuns: 60 });
  });
});
