/** `tcpsim watch`: the article's `netstat | awk` loop for a live process, per process, with a diagnosis. */
import { existsSync } from 'node:fs';
import { tryParseDuration } from '../scenario/duration.js';
import { LiveTable } from '../watch/liveTable.js';
import { portListeners } from '../watch/portListeners.js';
import { readProcessIdentity } from '../watch/processIdentity.js';
import { CommandStartError, shellStatus, startCommand, type StartedCommand } from '../watch/startedCommand.js';
import { recordJson, sampleJson, summaryJson, type SampleJson, type WatchEnd } from '../watch/watchJson.js';
import { watchHeading, watchReport } from '../watch/watchReport.js';
import { watchSession, type WatchOutcome } from '../watch/watchSession.js';
import type { WatchTarget } from '../watch/watchSampler.js';
import { WATCH_HELP } from './helpTexts.js';
import { paintFor } from './paint.js';
import { parseFlags } from './parseFlags.js';
import { UsageError } from './usageError.js';
import { isStdout, writeOutput } from './writeOutput.js';

/** The options of `tcpsim watch`. */
export const WATCH_FLAGS = {
  pid: { type: 'string', multiple: true },
  port: { type: 'string', multiple: true },
  every: { type: 'string' },
  for: { type: 'string' },
  json: { type: 'boolean' },
  record: { type: 'string' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The smallest sampling interval: each sample reads /proc for every watched process. */
const MIN_EVERY_MS = 10;
/** How long a command stopped by the watch (`--for`) gets to exit after SIGTERM before SIGKILL. */
const STOP_GRACE_MS = 5000;

function durationMs(flag: string, text: string): number {
  const parsed = tryParseDuration(text);
  if (!parsed.ok) throw new UsageError(`${flag}: expected a duration such as 500ms, 5s or 10m, found "${text}" (${parsed.reason})${parsed.hint === undefined ? '' : `; ${parsed.hint}`}`);
  return parsed.micros / 1000;
}

function wholeNumber(flag: string, text: string, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > max) throw new UsageError(`${flag}: expected a number from 1 to ${max}, found "${text}"`);
  return Number(text);
}

/** The pids to watch for --pid and --port, with the ports each was found listening on. */
function resolveTargets(pidTexts: readonly string[], portTexts: readonly string[]): { target: WatchTarget; what: string } {
  const pids = new Set<number>();
  const ports = new Map<number, number[]>();
  const what: string[] = [];
  for (const text of pidTexts.flatMap((t) => t.split(','))) {
    const pid = wholeNumber('--pid', text, 2 ** 22);
    const identity = readProcessIdentity(pid);
    if (identity === undefined) throw new UsageError(`--pid ${pid}: no such process`);
    if (pid === process.pid) throw new UsageError(`--pid ${pid} is tcpsim watch itself`);
    pids.add(pid);
    what.push(`${identity.label}${identity.cmdline === '' ? '' : ` (${identity.cmdline})`}`);
  }
  for (const text of portTexts) {
    const port = wholeNumber('--port', text, 65_535);
    const found = portListeners(port);
    if (!found.listening) throw new UsageError(`--port ${port}: nothing listens on port ${port} (in this network namespace)`);
    if (found.pids.length === 0) {
      throw new UsageError(
        `--port ${port}: a socket listens there, but no process whose fds this user can read holds it (${found.unreadable} processes are not readable): it belongs to another user. Run tcpsim watch as root or as that user.`,
      );
    }
    for (const pid of found.pids) {
      pids.add(pid);
      ports.set(pid, [...(ports.get(pid) ?? []), port]);
      const identity = readProcessIdentity(pid);
      what.push(`${identity?.label ?? pid}${identity?.cmdline ? ` (${identity.cmdline})` : ''}, listening on port ${port}`);
    }
  }
  return { target: { pids: [...pids], ports }, what: what.join('; ') };
}

/** Runs `tcpsim watch`; returns the exit code. */
export async function watchCommand(argv: string[]): Promise<number> {
  const dash = argv.indexOf('--');
  const flagWords = dash < 0 ? argv : argv.slice(0, dash);
  const commandWords = dash < 0 ? [] : argv.slice(dash + 1);
  const { values, positionals } = parseFlags('watch', flagWords, WATCH_FLAGS);
  if (values.help) {
    process.stdout.write(`${WATCH_HELP}\n`);
    return 0;
  }
  if (positionals.length > 0) {
    const word = positionals[0] ?? '';
    const hint = /^\d+$/.test(word) ? `; did you mean --pid ${word}?` : `; a command to start goes after --, as in \`tcpsim watch -- ${word}\``;
    throw new UsageError(`tcpsim watch: unexpected argument "${word}"${hint}`);
  }
  const pidTexts = values.pid ?? [];
  const portTexts = values.port ?? [];
  if (dash >= 0 && commandWords.length === 0) throw new UsageError('-- ends the options and needs a command after it: tcpsim watch -- CMD ARGS…');
  if (commandWords.length > 0 && (pidTexts.length > 0 || portTexts.length > 0)) throw new UsageError('watch either processes (--pid, --port) or a command it starts (-- CMD), not both');
  if (commandWords.length === 0 && pidTexts.length === 0 && portTexts.length === 0) throw new UsageError('what to watch: --pid PID, --port PORT, or -- CMD ARGS…');
  const everyMs = values.every === undefined ? 5000 : durationMs('--every', values.every);
  if (everyMs < MIN_EVERY_MS) throw new UsageError(`--every ${values.every ?? ''}: at least ${MIN_EVERY_MS}ms (each sample reads /proc for every watched process)`);
  const forMs = values.for === undefined ? undefined : durationMs('--for', values.for);
  if (forMs !== undefined && forMs <= 0) throw new UsageError('--for: a duration longer than 0');
  if (values.json && values.record !== undefined && isStdout(values.record)) throw new UsageError('--json and --record - both want stdout: record to a file');
  if (process.platform !== 'linux' || !existsSync('/proc/self/net/tcp')) {
    process.stderr.write('tcpsim watch: needs Linux and its /proc (the TCP table, /proc/PID/fd); this system has neither\n');
    return 3;
  }

  const paint = paintFor(process.stdout, values['no-color'] ?? false);
  const out = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  const json = values.json ?? false;
  const stop = new AbortController();
  let command: StartedCommand | undefined;
  let target: WatchTarget;
  let what: string;
  const startMs = performance.now();
  if (commandWords.length > 0) {
    try {
      command = await startCommand(commandWords as [string, ...string[]], json);
    } catch (error) {
      if (error instanceof CommandStartError) {
        process.stderr.write(`tcpsim watch: ${error.message}\n`);
        return error.status;
      }
      throw error;
    }
    target = { pids: [], treeRoot: command.pid };
    what = `\`${commandWords.join(' ')}\` (pid ${command.pid}) and its children`;
  } else {
    ({ target, what } = resolveTargets(pidTexts, portTexts));
  }

  // Ctrl-C: without a command, end the watch and report (twice: leave now); with one, pass it on
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    interrupts += 1;
    if (command !== undefined) {
      command.signal(interrupts >= 3 ? 'SIGKILL' : signal);
      return;
    }
    if (interrupts >= 2) process.exit(130);
    stop.abort();
  };
  const signals: NodeJS.Signals[] = command === undefined ? ['SIGINT', 'SIGTERM'] : ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);
  // the command never outlives the watch (a closed stdout ends tcpsim at once)
  const stopCommandAtExit = (): void => command?.signal('SIGTERM');
  process.on('exit', stopCommandAtExit);

  const samples: SampleJson[] = [];
  const table = new LiveTable(paint, out);
  if (!json) for (const line of watchHeading({ what, everyMs, forMs }, paint)) out(line);
  let outcome: WatchOutcome;
  try {
    outcome = await watchSession({
      target,
      everyMs,
      forMs,
      stop: stop.signal,
      startMs,
      ...(command === undefined ? {} : { commandExited: command.exited }),
      onSample: (sample, history, findings) => {
        const doc = sampleJson(sample, history, everyMs, findings);
        samples.push(doc);
        if (json) out(JSON.stringify({ kind: 'sample', ...doc }));
        else table.add(sample, history, findings);
      },
    });
  } finally {
    for (const s of signals) process.removeListener(s, onSignal);
  }
  let ended: WatchEnd = outcome.ended;
  if (command !== undefined && command.exit() === undefined) {
    if (ended === 'for') {
      // --for ended the watch first: the command goes with it
      ended = 'command-stopped';
      command.signal('SIGTERM');
      const timer = setTimeout(() => command?.signal('SIGKILL'), STOP_GRACE_MS);
      await command.exited;
      clearTimeout(timer);
    } else {
      // its processes are gone from /proc (a zombie has no fds left to read) before Node has reaped it
      await command.exited;
    }
  }
  process.removeListener('exit', stopCommandAtExit);
  const exit = command?.exit();
  const cmdlines = new Map([...outcome.history.processes.keys()].map((pid) => [pid, readProcessIdentity(pid)?.cmdline ?? ''] as const));
  const summary = summaryJson({
    history: outcome.history,
    context: outcome.context,
    findings: outcome.findings,
    notSeen: outcome.notSeen,
    ended,
    cmdlines,
    ...(command === undefined ? {} : { command: { argv: command.argv, status: exit === undefined ? null : shellStatus(exit) } }),
  });
  if (json) out(JSON.stringify({ kind: 'summary', ...summary }));
  else {
    table.finish();
    if (ended === 'exited') out(paint.dim('every watched process has exited'));
    out('');
    for (const line of watchReport(outcome.history, outcome.findings, outcome.notSeen, paint)) out(line);
  }
  if (values.record !== undefined) writeOutput(values.record, recordJson(samples, summary, new Date(Date.now() - (performance.now() - startMs))));
  const leak = outcome.findings.some((f) => f.leak);
  if (exit !== undefined && ended === 'command-exited') {
    const status = shellStatus(exit);
    if (status !== 0) return status;
  }
  return leak ? 1 : 0;
}
