/** `tcpsim real FILE`: run a scenario on real sockets and cross-check every socket with the model. */
import { parseArgs } from 'node:util';
import { UnsafeAddressError } from '../real/addressGuard.js';
import { crossCheckJson, crossCheckText } from '../real/crossCheckText.js';
import { realCheck } from '../real/realCheck.js';
import { RunTimeoutError } from '../real/cleanup.js';
import { RealModeError } from '../real/realModeError.js';
import { CommandError } from '../real/runCommand.js';
import { removeStaleRuns } from '../real/staleRuns.js';
import { loadForCli } from './loadForCli.js';
import { UsageError } from './usageError.js';

/** Help text of `tcpsim real`. */
export const REAL_HELP = `Usage: tcpsim real FILE [options]
       tcpsim real --cleanup

Run a scenario's programs on real node:net sockets on 127.0.0.1, read the
kernel's TCP table (/proc/net/tcp, held open) at every sample time, run the
model on the same scenario (linux profile from this machine's sysctls, each
connection on the port the kernel chose) and compare every socket's state.

A process with a command: runs that program instead (under prlimit at its
nofile, in the run's namespace; the model runs the scenario's description of
it). A command client's connections are read from the kernel's table while
they are made: the model's connection i is the i-th the server accepted,
started at that instant, and compared per socket from then on.

Options:
  --param NAME=VALUE    override a scenario parameter (repeatable)
  --seed N              seed of the model run
  --time-scale F        multiply the scenario's own times (sleeps, ramp, samples)
                        by F, in both runs; kernel timers (TIME_WAIT 60 s) don't
                        scale: their remaining time from ss -o is compared instead
  --every DURATION      sampling interval (before scaling)
  --until DURATION      end of the run (before scaling)
  --netns               run in a fresh network namespace (root): the scenario's
                        sysctls and fault windows (nftables drops) apply there
  --builtin             run every process with the built-in programs, ignoring
                        the scenario's command: entries
  --json                one JSON document on stdout
  --cleanup             only remove what runs killed before their cleanup left
                        (namespaces tcpsim-PID-N, nft tables, processes of runs
                        whose PID is gone) and list it; every run does this first
  -h, --help            this help

Only 127.0.0.0/8 and ::1 are ever used. Before anything starts, real mode
refuses (exit 2, at the line of the file) what the kernel cannot run: another
profile than linux, a profile value no sysctl sets, a sysctl this kernel lacks
or the model does not follow, a --time-scale that overflows a timer, a
command whose directory or program is missing (with how to build it), or a
--time-scale with a command (a program keeps its own clock).
Exit status: 0 when the kernel and the model agree on every socket at every
sample, 1 when they disagree, 2 for a usage or scenario error (or an address
or a setting real mode refuses), 3 when the run could not be made (not Linux,
a program or a tool failed).`;

/** Runs `tcpsim real`; returns the exit code. */
export async function realCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      seed: { type: 'string' },
      param: { type: 'string', multiple: true },
      every: { type: 'string' },
      until: { type: 'string' },
      'time-scale': { type: 'string' },
      netns: { type: 'boolean' },
      builtin: { type: 'boolean' },
      json: { type: 'boolean' },
      cleanup: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${REAL_HELP}\n`);
    return 0;
  }
  if (values.cleanup) {
    if (positionals.length > 0) throw new UsageError('--cleanup takes no FILE: it only removes what earlier runs left behind');
    return cleanupCommand();
  }
  const scaleText = values['time-scale'] ?? '1';
  const timeScale = Number(scaleText);
  if (!Number.isFinite(timeScale) || timeScale <= 0) throw new UsageError(`--time-scale: expected a positive number, found "${scaleText}"`);
  const scenario = loadForCli(positionals[0], values);
  try {
    const result = await realCheck(scenario, {
      timeScale,
      netns: values.netns ?? false,
      builtin: values.builtin ?? false,
      log: (line) => process.stderr.write(`${line}\n`),
    });
    if (values.json) process.stdout.write(`${JSON.stringify(crossCheckJson(result), null, 2)}\n`);
    else process.stdout.write(`${crossCheckText(result)}\n`);
    return result.check.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof UnsafeAddressError) {
      process.stderr.write(`tcpsim real: ${error.message}\n`);
      return 2;
    }
    if (error instanceof RealModeError || error instanceof CommandError || error instanceof RunTimeoutError) {
      process.stderr.write(`tcpsim real: the run could not be made: ${error.message}\n`);
      return 3;
    }
    throw error;
  }
}

/** `tcpsim real --cleanup`: removes what dead runs left and lists it; 3 when something stayed. */
async function cleanupCommand(): Promise<number> {
  const report = await removeStaleRuns();
  for (const line of report.removed) process.stdout.write(`removed ${line}\n`);
  if (report.removed.length === 0) process.stdout.write('nothing left behind by earlier runs\n');
  for (const line of report.skipped) process.stdout.write(`not looked at: ${line}\n`);
  for (const line of report.failed) process.stderr.write(`tcpsim real --cleanup: could not remove ${line}\n`);
  return report.failed.length === 0 ? 0 : 3;
}
