/**
 * `tcpsim compare RECORDED SCENARIO`: a recorded timeline against the model's run.
 * - `tcpsim run --json` of a scenario agrees with that scenario at offset 0, and not with another.
 * - The acceptance run: `tcpsim watch --record` of `tcpsim real` running a shipped scenario (in a
 *   namespace of its own: the real-mode suite runs the same scenario on the host's loopback at
 *   the same time) lines up with `tcpsim run` of it — and not with a scenario whose server closes.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tcpsim } from '../cli/tcpsim.js';
import { osSkipReason } from '../real/osSupport.js';

const dir = mkdtempSync(join(tmpdir(), 'tcpsim-compare-'));
const FORGETS = 'scenarios/real/server-forgets-close.yaml';
const CLOSES = 'scenarios/real/passive-close.yaml';

const written = new Map<string, string>();
/** `tcpsim run SCENARIO --json`, written to a file once. */
function runJson(scenario: string): string {
  const known = written.get(scenario);
  if (known !== undefined) return known;
  const out = tcpsim(['run', scenario, '--json']);
  expect(out.code).toBe(0);
  const path = join(dir, `${scenario.replace(/\W+/g, '-')}.json`);
  writeFileSync(path, out.stdout);
  written.set(scenario, path);
  return path;
}

describe('tcpsim compare with a run of the model', () => {
  it('a scenario’s own run agrees with it, at the offset 0', () => {
    const out = tcpsim(['compare', runJson(FORGETS), FORGETS, '--json']);
    const doc = JSON.parse(out.stdout) as { offset: number; compared: number; agreed: number; source: string };
    expect(doc).toMatchObject({ offset: 0, source: 'run --json' });
    expect(doc.compared).toBe(7);
    expect(doc.agreed).toBe(7);
    expect(out.code).toBe(0);
  });

  it('another scenario’s run does not, wherever it is placed; the text says where', () => {
    const out = tcpsim(['compare', runJson(CLOSES), FORGETS]);
    expect(out.stdout).toMatch(/≠/);
    expect(out.stdout).toMatch(/agreement: \d+\/\d+ samples/);
    expect(out.code).toBe(1);
  });

  it('mistakes: a missing file, a file that is not a recording, a process the scenario lacks', () => {
    expect(tcpsim(['compare', join(dir, 'none.json'), FORGETS]).stderr).toContain('no such recording');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"samples": 3}');
    const notRecording = tcpsim(['compare', bad, FORGETS]);
    expect(notRecording.stderr).toContain('expected a recording');
    expect(notRecording.code).toBe(2);
    expect(tcpsim(['compare', runJson(FORGETS), FORGETS, '--process', 'db']).stderr).toContain('has no such process (it has server, client)');
    expect(tcpsim(['compare', runJson(FORGETS), FORGETS, '--process', 'server']).stderr).toContain('only tcpsim watch records do');
    expect(tcpsim(['compare', runJson(FORGETS)]).code).toBe(2);
  });
});

const skipReal = osSkipReason !== undefined && process.env['CI'] === undefined;

describe.skipIf(skipReal)(`tcpsim watch --record of tcpsim real, compared with the model${skipReal ? ` (${osSkipReason ?? ''})` : ''}`, () => {
  it('the recorded timeline lines up with tcpsim run’s, and not with a server that closes', () => {
    const record = join(dir, 'real.json');
    const watch = tcpsim(['watch', '--every', '100ms', '--record', record, '--', process.execPath, 'dist/cli/main.js', 'real', FORGETS, '--netns'], { timeoutMs: 60_000 });
    // the real run agreed with the model itself (its own exit 0), and the watch diagnosed the server's leak
    expect(watch.stdout, watch.stderr).toContain('agreement: connections');
    expect(watch.code, watch.stdout).toBe(1);
    const recorded = JSON.parse(readFileSync(record, 'utf8')) as { samples: { states: Record<string, number> }[] };
    expect(recorded.samples.some((s) => s.states['CLOSE_WAIT'] === 3 && s.states['FIN_WAIT_2'] === 3)).toBe(true);

    const same = tcpsim(['compare', record, FORGETS, '--json']);
    const doc = JSON.parse(same.stdout) as { compared: number; agreed: number; fitted: boolean; offset: number };
    expect(doc.fitted).toBe(true);
    expect(doc.offset).toBeGreaterThan(0);
    expect(doc.compared).toBeGreaterThanOrEqual(5);
    expect(doc.agreed).toBe(doc.compared);
    expect(same.code).toBe(0);

    const other = tcpsim(['compare', record, CLOSES]);
    expect(other.code).toBe(1);
  });
});
