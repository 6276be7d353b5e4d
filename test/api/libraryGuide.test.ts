/**
 * docs/library.md says what the leaky server's property prints; this runs the example's server
 * (examples/library/server.ts, on the sources) with the guide's seed and checks every line the
 * guide shows (all but the elided "…") against the real output, and that the guide's handler
 * code is the examples' code.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Sim } from '../../src/api/index.js';
import { property, PropertyFailure } from '../../src/testing/fastCheck.js';

const guide = readFileSync('docs/library.md', 'utf8');
const server = readFileSync('examples/library/server.ts', 'utf8');

/** examples/library/server.ts's leaky server, verbatim but for the import. */
function startLeakyServer(sim: Sim): void {
  const proc = sim.process('server', { nofile: 64 });
  proc.listen(8080, { backlog: 50 }, async (conn) => {
    const line = await conn.readLine();
    if (!line.startsWith('GET')) return; // the bug: no close() on this path
    await conn.write('HTTP/1.0 200 OK\r\n\r\n');
    conn.close();
  });
}

describe('docs/library.md', () => {
  it("shows the leaky server's failure as the property prints it", async () => {
    expect(server).toContain("if (!line.startsWith('GET')) return; // the bug: no close() on this path");
    const shown = /```text\n(PropertyFailure: [\s\S]*?)```/.exec(guide)?.[1];
    expect(shown).toBeDefined();
    let message = '';
    try {
      await property(startLeakyServer, { port: 8080, seed: 42 });
    } catch (e) {
      if (e instanceof PropertyFailure) message = `PropertyFailure: ${e.message}`;
    }
    const lines = message.split('\n');
    for (const line of shown!.split('\n').filter((l) => l !== '…' && l !== '')) expect(lines).toContain(line);
  });

  it("shows the fixed handler as examples/library/server.ts has it", () => {
    const block = /server\.listen\(PORT, \{ backlog: 50 \}, async \(conn\) => \{\n  try \{[\s\S]*?\n\}\);/.exec(guide)?.[0];
    expect(block).toBeDefined();
    const indented = block!
      .split('\n')
      .map((l) => (l === '' ? l : `  ${l}`))
      .join('\n');
    expect(server).toContain(indented);
  });
});
