/**
 * The Mermaid and DOT the CLI prints for the engine pass the strict grammar checks: every shipped
 * scenario's first connection as `tcpsim trace --format mermaid`, and `tcpsim diagram` for both
 * profiles; the DOT also goes through Graphviz when it is installed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagramCommand } from '../../src/cli/diagramCommand.js';
import { traceCommand } from '../../src/cli/traceCommand.js';
import { captureStdout } from './captureStdout.js';
import { checkDot, checkMermaidSequence, checkMermaidStateDiagram } from './mermaidGrammar.js';
import { hasTool } from './hasTool.js';

const SHIPPED = readdirSync('scenarios')
  .filter((f) => f.endsWith('.yaml') && !f.startsWith('bench-'))
  .map((f) => f.replace(/\.yaml$/, ''))
  .sort();

async function tcpsim(command: (argv: string[]) => number, ...argv: string[]): Promise<string> {
  const { code, stdout } = await captureStdout(() => command(argv));
  expect(code).toBe(0);
  return stdout;
}

describe('tcpsim trace --format mermaid', () => {
  it.each(SHIPPED)('%s: passes the grammar checker', async (name) => {
    const diagram = await tcpsim(traceCommand, name, '--format', 'mermaid');
    expect(checkMermaidSequence(diagram)).toEqual([]);
    expect(diagram).toMatch(/^sequenceDiagram\n/);
  });

  it.each(['normal-close', 'simultaneous-close', 'lost-final-ack'])('%s: shades TIME_WAIT', async (name) => {
    expect(await tcpsim(traceCommand, name, '--format', 'mermaid')).toContain('    rect rgb(255, 243, 205)\n');
  });

  it('lost-final-ack: draws the lost ACK with -x and the retransmitted FIN', async () => {
    const diagram = await tcpsim(traceCommand, 'lost-final-ack', '--format', 'mermaid');
    expect(diagram).toMatch(/A-xB: .*CTL=ACK#gt; \(lost\)\n/);
    expect(diagram).toMatch(/B->>A: .*CTL=FIN,ACK#gt; \(retransmission\)\n/);
  });

  it('article-java-forgot-close: the server is still in CLOSE-WAIT when the run ends at 35:00, and the pauses are told', async () => {
    const diagram = await tcpsim(traceCommand, 'article-java-forgot-close', '--format', 'mermaid');
    expect(diagram).toContain('    Note over A,B: 20 s later (at 0#58;23)\n');
    expect(diagram).toMatch(/ {4}Note over B: CLOSE-WAIT at the end \(35#58;00\)\n$/);
  });

  it('--compact: the loopback close\'s 64 KB segments and runs of ACKs fold into single messages, under half the lines', async () => {
    const full = await tcpsim(traceCommand, 'simultaneous-close-loopback', '--format', 'mermaid');
    const compact = await tcpsim(traceCommand, 'simultaneous-close-loopback', '--format', 'mermaid', '--compact');
    expect(checkMermaidSequence(compact)).toEqual([]);
    expect(compact.split('\n').length).toBeLessThan(full.split('\n').length / 2);
    expect(compact).toContain('    A->>B: 9 segments #lt;SEQ=1..524289#gt; 524,288 bytes\n');
    expect(compact).toContain('    A->>B: 8 ACKs #lt;ACK=131073#gt;\n    B->>A: 8 ACKs #lt;ACK=131073#gt;\n'); // a run is one way
    await expect(captureStdout(() => traceCommand(['normal-close', '--compact']))).rejects.toThrow('--compact is for --format mermaid');
  });

  it('close-with-unread-data: notes the failed read', async () => {
    expect(await tcpsim(traceCommand, 'close-with-unread-data', '--format', 'mermaid')).toContain('Note over A: read() → ECONNRESET\n');
  });
});

const hasDot = hasTool('dot', ['-V']);

describe('tcpsim diagram', () => {
  it.each(['linux', 'rfc9293'])('--profile %s: the Mermaid state diagram passes the grammar checker', async (profile) => {
    const diagram = await tcpsim(diagramCommand, '--profile', profile);
    expect(checkMermaidStateDiagram(diagram)).toEqual([]);
    expect(diagram).toContain('    FIN_WAIT_2 --> TIME_WAIT: rcv FIN / snd ACK\n');
    expect(diagram).toContain('    state "CLOSED" as CLOSED_end\n');
    expect(diagram).toContain('    TIME_WAIT --> CLOSED_end: rcv RST#59; 2MSL timeout\n');
  });

  it('shows the tcp_fin_timeout edge for linux only', async () => {
    expect(await tcpsim(diagramCommand, '--profile', 'linux')).toMatch(/FIN_WAIT_2 --> FIN_WAIT_2_to_CLOSED: .*tcp_fin_timeout/);
    expect(await tcpsim(diagramCommand, '--profile', 'rfc9293')).not.toContain('tcp_fin_timeout');
  });

  it.each(['linux', 'rfc9293'])('--profile %s --format dot: passes the DOT checker', async (profile) => {
    expect(checkDot(await tcpsim(diagramCommand, '--profile', profile, '--format', 'dot'))).toEqual([]);
  });

  it.skipIf(!hasDot)('--format dot is accepted by Graphviz (skipped: `dot` not installed — apt-get install graphviz)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tcpsim-dot-')), 'tcp.dot');
    writeFileSync(file, await tcpsim(diagramCommand, '--format', 'dot'));
    const svg = execFileSync('dot', ['-Tsvg', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(svg).toContain('<svg');
    expect(svg).toContain('FIN_WAIT_2');
  });
});
