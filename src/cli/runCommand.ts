/** `tcpsim run FILE`: simulate a scenario and print the samples, summary, diagnosis and verdicts. */
import { simulate } from '../sim/simulate.js';
import { loadForCli } from './loadForCli.js';
import { paintFor } from './paint.js';
import { parseFlags } from './parseFlags.js';
import { NO_PROGRESS, progressOn } from './progress.js';
import { UsageError } from './usageError.js';
import { isStdout, writeOutput } from './writeOutput.js';

/** Help text of `tcpsim run`. */
export const RUN_HELP = `Usage: tcpsim run FILE [options]

Simulate a scenario over virtual time and print what \`netstat\` would show at
every sample, then a summary, a diagnosis and the scenario's expectations.
FILE is a scenario file or the name of a shipped one (see \`tcpsim list\`).

Options:
  --seed N              seed of the run, 0..4294967295 (default: the scenario's)
  --param NAME=VALUE    override a scenario parameter (repeatable)
  --profile P           linux or rfc9293 (default: the scenario's)
  --every DURATION      sampling interval, e.g. 5s (default: the scenario's)
  --until DURATION      end of the run, e.g. 35m (default: the scenario's)
  --json                one JSON document on stdout instead of text
  --quiet               summary only: no sample table, no progress
  --pcap OUT            also write every segment of the run to a pcapng file
                        (- for stdout; the report then goes to stderr)
  --allow-large         raise the guard-rail limits (huge runs)
  --no-color            no ANSI colours (NO_COLOR is respected too)
  -h, --help            this help

A run that takes more than 2 s reports its progress on stderr once a second.

Exit status: 0 when every expectation holds, 1 when one fails, 2 for a usage
or scenario error, 141 when the reader of stdout went away.`;

/** The options of `tcpsim run`. */
export const RUN_FLAGS = {
  seed: { type: 'string' },
  param: { type: 'string', multiple: true },
  profile: { type: 'string' },
  every: { type: 'string' },
  until: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
  pcap: { type: 'string' },
  'allow-large': { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Runs `tcpsim run`; returns the exit code. */
export async function runCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags('run', argv, RUN_FLAGS);
  if (values.help) {
    process.stdout.write(`${RUN_HELP}\n`);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`tcpsim run takes one scenario (found ${positionals.length}: ${positionals.join(' ')})`);
  const pcapToStdout = values.pcap !== undefined && isStdout(values.pcap);
  if (pcapToStdout && values.json) throw new UsageError('--pcap - and --json both want stdout: write the capture to a file');
  if (pcapToStdout && process.stdout.isTTY) throw new UsageError('pcapng is binary: give --pcap FILE, or redirect stdout');
  const scenario = loadForCli(positionals[0], values);
  const progress = values.quiet ? NO_PROGRESS : progressOn(process.stderr, scenario.name, scenario.sample.until);
  const result = simulate(scenario, {
    ...(values.pcap !== undefined ? { trace: true } : {}),
    onProgress: (at, events) => progress.tick(at, events),
  });
  progress.done();
  if (values.pcap !== undefined) {
    const { toPcapng } = await import('../report/pcapng.js');
    const capture = toPcapng(result.world.trace());
    writeOutput(values.pcap, capture);
  }
  const report = pcapToStdout ? process.stderr : process.stdout;
  if (values.json) {
    const { runJson } = await import('../report/runJson.js');
    report.write(`${runJson(result)}\n`);
  } else {
    const { runText } = await import('../report/runText.js');
    report.write(`${runText(result, scenario, { paint: paintFor(report, values['no-color'] ?? false), quiet: values.quiet ?? false })}\n`);
  }
  return result.expectations.every((e) => e.pass) ? 0 : 1;
}
