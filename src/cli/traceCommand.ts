/** `tcpsim trace FILE`: one connection of a run as an RFC 9293 table, Mermaid, pcapng or JSON. */
import { TRACE_HELP } from './helpTexts.js';
import { simulate } from '../sim/simulate.js';
import { mermaidSequence } from '../report/mermaid.js';
import { toPcapng } from '../report/pcapng.js';
import { rfcTable } from '../report/rfcTable.js';
import { loadForCli } from './loadForCli.js';
import { parseFlags } from './parseFlags.js';
import { UsageError } from './usageError.js';
import { isStdout, writeOutput } from './writeOutput.js';
import { withNewline } from './withNewline.js';


/** Runs `tcpsim trace`; returns the exit code. */
export function traceCommand(argv: string[]): number {
  const { values, positionals } = parseFlags('trace', argv, {
      conn: { type: 'string' },
      format: { type: 'string' },
      absolute: { type: 'boolean' },
      time: { type: 'boolean' },
      compact: { type: 'boolean' },
      output: { type: 'string', short: 'o' },
      seed: { type: 'string' },
      param: { type: 'string', multiple: true },
      profile: { type: 'string' },
      until: { type: 'string' },
      'allow-large': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(`${TRACE_HELP}\n`);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`tcpsim trace takes one scenario (found ${positionals.length}: ${positionals.join(' ')})`);
  const format = values.format ?? 'rfc';
  const output = values.output === undefined || isStdout(values.output) ? undefined : values.output;
  if (!['rfc', 'mermaid', 'pcapng', 'json'].includes(format)) throw new UsageError(`--format: expected rfc, mermaid, pcapng or json, found "${format}"`);
  if (values.conn !== undefined && !/^\d+$/.test(values.conn)) throw new UsageError(`--conn: expected a connection number, found "${values.conn}"`);
  const conn = values.conn === undefined ? undefined : Number(values.conn);
  const scenario = loadForCli(positionals[0], values);
  const only = conn ?? (format === 'pcapng' ? undefined : 0);
  const result = simulate(scenario, { trace: only === undefined ? true : (c) => c === only });
  const trace = result.world.trace();
  if (only !== undefined && !trace.sockets.some((s) => s.conn === only)) {
    throw new UsageError(`--conn ${only}: the run has no such connection (connections are numbered from 0 in connect order)`);
  }
  if (values.compact && format !== 'mermaid') throw new UsageError('--compact is for --format mermaid');
  const seq = values.absolute ? ('absolute' as const) : ('relative' as const);
  let text: string | Buffer;
  if (format === 'rfc') text = withNewline(rfcTable(trace, only ?? 0, { seq, time: values.time ?? false }));
  else if (format === 'mermaid') text = withNewline(mermaidSequence(trace, only ?? 0, { seq, endAt: scenario.sample.until, compact: values.compact ?? false }));
  else if (format === 'json') text = `${JSON.stringify(trace, null, 2)}\n`;
  else {
    if (output === undefined && process.stdout.isTTY) throw new UsageError('pcapng is binary: give -o FILE (or redirect stdout)');
    text = toPcapng(trace, only === undefined ? {} : { conns: [only] });
  }
  writeOutput(output ?? '-', text);
  return 0;
}
