/** `tcpsim run FILE`: simulate a scenario and print the samples, summary, diagnosis and verdicts. */
import { RUN_HELP } from './helpTexts.js';
import { simulate } from '../sim/simulate.js';
import { loadForCli } from './loadForCli.js';
import { paintFor } from './paint.js';
import { parseFlags } from './parseFlags.js';
import { NO_PROGRESS, progressOn } from './progress.js';
import { UsageError } from './usageError.js';
import { isStdout, writeOutput } from './writeOutput.js';
import { TRACED_CONNECTIONS } from '../report/html/tracedConnections.js';


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
  html: { type: 'string' },
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
  if (values.html !== undefined && isStdout(values.html) && (values.json || pcapToStdout)) throw new UsageError('--html - wants stdout, and so does --json or --pcap -: write the report to a file');
  const scenario = loadForCli(positionals[0], values);
  // the sysctls the model follows are profile values (model/sysctlProfile.ts); say which it does not
  const { ignoredSysctls } = await import('../model/sysctlProfile.js');
  for (const s of ignoredSysctls(scenario.sysctls)) process.stderr.write(`note: the model ignores sysctl ${s.sysctl}: ${s.why}\n`);
  const progress = values.quiet ? NO_PROGRESS : progressOn(process.stderr, scenario.name, scenario.sample.until);
  const result = simulate(scenario, {
    ...(values.pcap !== undefined ? { trace: true } : values.html !== undefined ? { trace: (conn: number) => conn < TRACED_CONNECTIONS } : {}),
    onProgress: (at, events) => progress.tick(at, events),
  });
  progress.done();
  if (values.pcap !== undefined) {
    const { toPcapng } = await import('../report/pcapng.js');
    const capture = toPcapng(result.world.trace());
    writeOutput(values.pcap, capture);
  }
  if (values.html !== undefined) {
    const { htmlReport } = await import('../report/html/htmlReport.js');
    writeOutput(values.html, htmlReport(result, scenario));
  }
  const report = pcapToStdout || (values.html !== undefined && isStdout(values.html)) ? process.stderr : process.stdout;
  if (values.json) {
    const { runJson } = await import('../report/runJson.js');
    report.write(`${runJson(result)}\n`);
  } else {
    const { runText } = await import('../report/runText.js');
    report.write(`${runText(result, scenario, { paint: paintFor(report, values['no-color'] ?? false), quiet: values.quiet ?? false })}\n`);
  }
  return result.expectations.every((e) => e.pass) ? 0 : 1;
}
