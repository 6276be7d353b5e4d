/**
 * `tcpsim watch -- CMD`: it starts the command, watches it and its children, stops when it exits
 * and exits with its status; Ctrl-C goes to the command, which decides when to end; a command that
 * exits 0 after leaking makes the watch exit 1; `--for` ends the command with the watch; `--html`
 * writes the report page when the watch ends; and the command line's mistakes are usage errors.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tcpsim, type Outcome } from '../cli/tcpsim.js';
import { driveClients, jsonLines, lineMatching, sampleMatching, SERVER, tcpsimInBackground } from './liveProcesses.js';
import { pageData } from './watchPageSamples.js';

/**
 * `tcpsim watch --json OPTIONS -- node server.mjs leaky`: five clients connect and close, and once
 * all five of the server's CLOSE_WAIT are stuck (a leak diagnosed) Ctrl-C goes to the watch.
 */
async function leakyServerWatchedThenInterrupted(options: readonly string[]): Promise<Outcome> {
  const watch = tcpsimInBackground(['watch', '--every', '100ms', '--json', ...options, '--', process.execPath, SERVER, 'leaky', '0']);
  // with --json on stdout the command's own output goes to stderr
  const [, port] = await new Promise<RegExpExecArray>((done) => {
    let text = '';
    watch.child.stderr?.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const match = /listening (\d+) \d+\n/.exec(text);
      if (match !== null) done(match);
    });
  });
  await driveClients(Number(port), 5, 50);
  await sampleMatching<{ closeWait: Record<string, { stuck: number }> }>(watch.child, (s) => Object.values(s.closeWait).some((c) => c.stuck === 5));
  watch.child.kill('SIGINT');
  return watch.done;
}

const notLinux = process.platform !== 'linux';

describe.skipIf(notLinux)(`tcpsim watch -- CMD${notLinux ? ' (skipped: needs Linux)' : ''}`, () => {
  it.concurrent('exits with the command’s status when it is not 0, after the report', async () => {
    const out = await tcpsimInBackground(['watch', '--every', '100ms', '--', process.execPath, '-e', 'setTimeout(() => process.exit(3), 400)']).done;
    expect(out.stdout).toContain('Summary');
    expect(out.code).toBe(3);
  });

  it.concurrent('a command killed by a signal: 128 + its number, as a shell says', async () => {
    const out = await tcpsimInBackground(['watch', '--every', '100ms', '--', process.execPath, '-e', "setTimeout(() => process.kill(process.pid, 'SIGKILL'), 300)"]).done;
    expect(out.code).toBe(137);
  });

  it.concurrent('Ctrl-C goes to the command; it ends, and a good server leaves exit 0', async () => {
    const watch = tcpsimInBackground(['watch', '--every', '100ms', '--', process.execPath, SERVER, 'good', '0']);
    const [, port] = await lineMatching(watch.child, /listening (\d+) \d+\n/);
    await driveClients(Number(port), 5, 50);
    watch.child.kill('SIGINT');
    const out = await watch.done;
    expect(out.stdout).toContain('got SIGINT');
    expect(out.stdout).toContain('Summary');
    expect(out.code).toBe(0);
  });

  it.concurrent('a leaky server stopped with Ctrl-C exits 0 itself, and the watch exits 1 for the leak', async () => {
    const out = await leakyServerWatchedThenInterrupted([]);
    const summary = jsonLines(out.stdout).at(-1);
    expect(summary).toMatchObject({ kind: 'summary', ended: 'command-exited', commandStatus: 0, leak: true });
    expect(out.code).toBe(1);
  });

  it.concurrent('--html: Ctrl-C ends the command, and the watch writes its HTML report with what it saw', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tcpsim-watch-html-')), 'watch.html');
    const out = await leakyServerWatchedThenInterrupted(['--html', file]);
    expect(out.code).toBe(1);
    const html = readFileSync(file, 'utf8');
    const data = pageData(html);
    expect(data.states.find((s) => s.state === 'CLOSE_WAIT')?.counts).toContain(5);
    expect(data.processes[0]?.nofile).toBeGreaterThan(0);
    expect(data.processes[0]?.fds).toHaveLength(data.t.length);
    expect(html).toContain('does not close connections its peers have closed');
    expect(html).toContain('Not available for a watched process');
  });

  it.concurrent('--for ends the watch and the command with it (SIGTERM)', async () => {
    const out = await tcpsimInBackground(['watch', '--every', '100ms', '--for', '500ms', '--json', '--', process.execPath, SERVER, 'good', '0']).done;
    expect(jsonLines(out.stdout).at(-1)).toMatchObject({ kind: 'summary', ended: 'command-stopped', commandStatus: 143 });
    expect(out.code).toBe(0);
  });

  it('a command that cannot be started: 127, as a shell says', () => {
    const out = tcpsim(['watch', '--', 'tcpsim-no-such-command']);
    expect(out.stderr).toContain('cannot start tcpsim-no-such-command: command not found');
    expect(out.code).toBe(127);
  });
});

describe('help', () => {
  it.each([
    ['watch', /^Usage: tcpsim watch --pid PID/],
    ['compare', /^Usage: tcpsim compare RECORDED.json SCENARIO/],
  ])('tcpsim help %s, and the overview lists it', (command, usage) => {
    expect(tcpsim(['help', command]).stdout).toMatch(usage);
    expect(tcpsim([command, '--help']).stdout).toMatch(usage);
    expect(tcpsim(['--help']).stdout).toContain(`tcpsim ${command} `);
  });
});

describe('tcpsim watch: mistakes on the command line', () => {
  it.each([
    [[], 'what to watch: --pid PID, --port PORT, or -- CMD ARGS…'],
    [['1234'], 'did you mean --pid 1234?'],
    [['--pid', '1', '--', 'sleep', '1'], 'not both'],
    [['--pid', 'x'], '--pid: expected a number'],
    [['--pid', '1,x'], '--pid: expected a number from 1 to 4194304, found "x"'],
    [['--pid', '1', '--html', '-'], '--html -: the watch prints on stdout as it goes'],
    [['--pid', '1', '--every', '1ms'], '--every 1ms: at least 10ms'],
    [['--pid', '1', '--every', '5'], '--every: expected a duration'],
    [['--pid', '1', '--evry', '5s'], 'did you mean --every?'],
    [['--port', '1'], '--port 1: nothing listens on port 1'],
    [['--'], '-- ends the options and needs a command'],
  ])('tcpsim watch %j', (args, message) => {
    const out = tcpsim(['watch', ...args]);
    expect(out.stderr).toContain(message);
    expect(out.code).toBe(2);
  });
});
