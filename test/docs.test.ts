/**
 * The README's generated sections are what `npm run docs` would write now: the same commands run
 * in-process on the sources (scripts/docs.mjs runs them on dist/), and the result must equal the
 * committed text between the markers.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diagramCommand } from '../src/cli/diagramCommand.js';
import { runCommand } from '../src/cli/runCommand.js';
import { traceCommand } from '../src/cli/traceCommand.js';
import { SECTION_NAMES, readmeSections, sectionOf, withSection } from '../scripts/docs.mjs';
import type { SectionName } from '../scripts/docs.mjs';
import { captureStdout } from './report/captureStdout.js';

const COMMANDS: Readonly<Record<string, (argv: string[]) => Promise<number> | number>> = {
  run: runCommand,
  trace: traceCommand,
  diagram: diagramCommand,
};

/** The command line in-process: what `node dist/cli/main.js ARGS` prints, from the sources. */
async function tcpsim(args: readonly string[]): Promise<string> {
  const [name = '', ...rest] = args;
  const command = COMMANDS[name];
  if (command === undefined) throw new Error(`docs.mjs ran an unknown command: tcpsim ${args.join(' ')}`);
  const { code, stdout } = await captureStdout(() => command(rest));
  if (code !== 0) throw new Error(`tcpsim ${args.join(' ')} exited ${code}`);
  return stdout;
}

let generated: Promise<Record<SectionName, string>> | undefined;
/** Every section, generated once for all the tests below. */
function sections(): Promise<Record<SectionName, string>> {
  generated ??= readmeSections(tcpsim);
  return generated;
}

describe('README.md generated sections', () => {
  const readme = readFileSync('README.md', 'utf8');

  it.each(SECTION_NAMES)('%s is up to date', async (name) => {
    expect(sectionOf(readme, name), `README.md's generated "${name}" section is stale: run \`npm run docs\` and commit README.md`).toBe((await sections())[name]);
  });

  it('come out the same twice (deterministic)', async () => {
    expect(await readmeSections(tcpsim)).toEqual(await sections());
  });

  it('teach the close from the RFC tables and diagrams of three scenarios, plus the state diagram', async () => {
    const handshake = (await sections()).handshake;
    for (const name of ['normal-close', 'simultaneous-close', 'lost-final-ack']) {
      expect(handshake).toContain(`\`tcpsim trace ${name} --time\`:\n\n\`\`\`text\n`);
      expect(handshake).toContain(`\`tcpsim trace ${name} --format mermaid\`:\n\n\`\`\`mermaid\nsequenceDiagram\n`);
    }
    expect(handshake).toContain('```mermaid\nstateDiagram-v2\n');
    expect(handshake.match(/RFC 9293 §\d/g)?.length).toBeGreaterThan(3);
  });

  it('splices a section between its markers and nothing else', () => {
    const text = 'a\n<!-- BEGIN generated: article (npm run docs) -->\nold\n<!-- END generated: article -->\nb\n';
    const spliced = withSection(text, 'article', 'new\nlines');
    expect(spliced).toBe('a\n<!-- BEGIN generated: article (npm run docs) -->\nnew\nlines\n<!-- END generated: article -->\nb\n');
    expect(sectionOf(spliced, 'article')).toBe('new\nlines');
    expect(() => sectionOf('no markers', 'handshake')).toThrow(/no "<!-- BEGIN generated: handshake/);
  });
});
