/** `tcpsim run FILE`: simulate a scenario and print the samples, summary, diagnosis and verdicts. */
import { parseArgs } from 'node:util';
import { writeFileSync } from 'node:fs';
import { ignoredSysctls } from '../model/sysctlProfile.js';
import { simulate } from '../sim/simulate.js';
import { runJson } from '../report/runJson.js';
import { runText } from '../report/runText.js';
import { loadForCli } from './loadForCli.js';
import { paintFor } from './paint.js';

/** Help text of `tcpsim run`. */
export const RUN_HELP = `Usage: tcpsim run FILE [options]

Simulate a scenario over virtual time and print what \`netstat\` would show at
every sample, then a summary, a diagnosis and the scenario's expectations.
FILE is a scenario file or the name of a shipped one (see \`tcpsim list\`).

Options:
  --seed N              seed of the run (default: the scenario's)
  --param NAME=VALUE    override a scenario parameter (repeatable)
  --profile P           linux or rfc9293 (default: the scenario's)
  --every DURATION      sampling interval, e.g. 5s (default: the scenario's)
  --until DURATION      end of the run, e.g. 35m (default: the scenario's)
  --json                one JSON document on stdout instead of text
  --quiet               summary only, no sample table
  --pcap OUT            also write every segment of the run to a pcapng file
  --allow-large         raise the guard-rail limits (huge runs)
  --no-color            no ANSI colours (NO_COLOR is respected too)
  -h, --help            this help

Exit status: 0 when every expectation holds, 1 when one fails, 2 for a usage
or scenario error.`;

/** Runs `tcpsim run`; returns the exit code. */
export async function runCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
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
    },
  });
  if (values.help) {
    process.stdout.write(`${RUN_HELP}\n`);
    return 0;
  }
  const scenario = loadForCli(positionals[0], values);
  // the sysctls the model follows are profile values (model/sysctlProfile.ts); say which it does not
  for (const s of ignoredSysctls(scenario.sysctls)) process.stderr.write(`note: the model ignores sysctl ${s.sysctl}: ${s.why}\n`);
  const started = performance.now();
  const progress = process.stderr.isTTY === true && !values.json;
  let lastProgress = started;
  const result = simulate(scenario, {
    ...(values.pcap !== undefined ? { trace: true } : {}),
    onSample: (sample) => {
      if (!progress) return;
      const now = performance.now();
      if (now - started > 1000 && now - lastProgress > 250) {
        lastProgress = now;
        process.stderr.write(`\r  simulating… ${(sample.t / 1000).toFixed(0)} s of ${(scenario.sample.until / 1e6).toFixed(0)} s`);
      }
    },
  });
  if (progress && lastProgress !== started) process.stderr.write('\r\u001b[K');
  if (values.pcap !== undefined) {
    const { toPcapng } = await import('../report/pcapng.js');
    writeFileSync(values.pcap, toPcapng(result.world.trace()));
  }
  if (values.json) process.stdout.write(`${runJson(result)}\n`);
  else process.stdout.write(`${runText(result, scenario, { paint: paintFor(process.stdout, values['no-color'] ?? false), quiet: values.quiet ?? false })}\n`);
  return result.expectations.every((e) => e.pass) ? 0 : 1;
}
