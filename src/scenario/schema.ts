/**
 * The author-facing scenario format as a zod schema: what the YAML may contain *after* `${param}`
 * substitution and before defaults and units are applied. Every object is strict. Each leaf
 * carries, as its zod error, the phrase that completes "expected …" in a problem message.
 */
import * as z from 'zod';
import { TCP_STATES } from '../model/states.js';
import type { TcpState } from '../model/states.js';
import type { Errno } from '../model/errno.js';
import { DURATION_PATTERN } from './duration.js';

const PHRASES = new Set<string>();

/** Registers an "expected …" phrase and returns it as a zod error option. */
function says(text: string): { error: string } {
  PHRASES.add(text);
  return { error: text };
}

/** True when a zod issue message is one of this schema's "expected …" phrases. */
export function isExpectedPhrase(message: string): boolean {
  return PHRASES.has(message);
}

/** Every errno a scenario may count, as in `Errno` (src/sim/trace.ts). */
export const ERRNOS = ['EMFILE', 'ETIMEDOUT', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'EADDRINUSE', 'EADDRNOTAVAIL', 'EBADF', 'ENOTCONN'] as const satisfies readonly Errno[];
type MissingErrno = Exclude<Errno, (typeof ERRNOS)[number]>;
/** Fails to compile when `Errno` gains a member that ERRNOS lacks. */
const errnosComplete: [MissingErrno] extends [never] ? true : false = true;
void errnosComplete;

/** The "expected …" phrase for durations. */
export const DURATION_PHRASE = 'a duration such as 500ms, 20s, 2m or 1h (units us, ms, s, m, h, d), or 0';

function int(min: number, max: number, what: string): z.ZodNumber {
  const s = says(what);
  return z.number(s).int(s).min(min, s).max(max, s);
}

const count = (what: string): z.ZodNumber => int(0, Number.MAX_SAFE_INTEGER, what);
const positive = (what: string): z.ZodNumber => int(1, Number.MAX_SAFE_INTEGER, what);
const port = int(1, 65_535, 'a port number 1..65535');

const duration = z
  .union([z.literal(0), z.string().regex(DURATION_PATTERN, says(DURATION_PHRASE))], says(DURATION_PHRASE))
  .meta({ id: 'Duration', description: 'A duration: "50us", "500ms", "20s", "2m", "1h", "1m30s", or 0.' });

const PROBABILITY = 'a probability 0..1 or a percentage such as "5%"';
const probability = z
  .union([z.number(says(PROBABILITY)).min(0, says(PROBABILITY)).max(1, says(PROBABILITY)), z.string().regex(/^[0-9]+(?:\.[0-9]+)?%$/, says(PROBABILITY))], says(PROBABILITY))
  .meta({ id: 'Probability', description: 'A probability from 0 to 1, or a percentage string such as "5%".' });

const name = z.string(says('a name')).min(1, says('a non-empty name'));
const text = z.string(says('text'));

/** A dotted IPv4 address. */
const IPV4 = /^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/;

const profileName = z.enum(['linux', 'rfc9293'], says('linux or rfc9293'));

const profileObject = z
  .strictObject({
    name: profileName.optional().describe('Base profile (default linux).'),
    timeWait: duration.optional().describe('TIME_WAIT length (linux 60s, rfc9293 4m).'),
    finTimeout: z
      .union([duration, z.literal('never')], says(`${DURATION_PHRASE}, or never`))
      .optional()
      .describe('Lifetime of an orphaned FIN_WAIT_2 (net.ipv4.tcp_fin_timeout, 60s); never = no timer.'),
    synRetries: int(0, 255, 'a retry count 0..255').optional().describe('SYN retransmissions before ETIMEDOUT (tcp_syn_retries, 6).'),
    synLinearTimeouts: int(0, 255, 'a count 0..255').optional().describe('SYN timeouts before the RTO starts doubling (tcp_syn_linear_timeouts; linux 4, rfc9293 0).'),
    synAckRetries: int(0, 255, 'a retry count 0..255').optional().describe('SYN-ACK retransmissions (tcp_synack_retries, 5).'),
    finRetries: int(0, 255, 'a retry count 0..255').optional().describe('FIN/data retransmissions before the socket is dropped.'),
    synRto: duration.optional().describe('First SYN retransmission timeout (1s), doubling.'),
    rto: duration.optional().describe('First data/FIN retransmission timeout, doubling up to rtoMax.'),
    rtoMax: duration.optional().describe('Cap on the retransmission timeout (120s on Linux).'),
    rstOnUnreadClose: z.boolean(says('true or false')).optional().describe('close() with unread data sends RST (RFC 2525 §2.17).'),
    rstEndsTimeWait: z.boolean(says('true or false')).optional().describe('A RST received in TIME_WAIT ends it (tcp_rfc1337=0).'),
    synReopensTimeWait: z
      .boolean(says('true or false'))
      .optional()
      .describe('A newer SYN that finds its connection in TIME_WAIT on a listening port ends TIME_WAIT and opens a new connection (linux true, rfc9293 false).'),
    synRetryAfterBadAck: z
      .boolean(says('true or false'))
      .optional()
      .describe('After an ACK in SYN_SENT that is not for its SYN, the SYN goes again two timer ticks later if not yet retransmitted (Linux TCP_TIMEOUT_MIN; linux true, rfc9293 false).'),
    tailLossProbe: z.boolean(says('true or false')).optional().describe('A tail-loss probe precedes the RTO series (tcp_early_retrans=3; linux true).'),
    delAck: z
      .union([duration, z.literal('never')], says(`${DURATION_PHRASE}, or never`))
      .optional()
      .describe('Delay before ACKing a FIN received in ESTABLISHED (linux 40ms, TCP_ATO_MIN); never = ACK at once (rfc9293).'),
    rcvBuf: int(1, 1 << 30, 'a buffer size in bytes, 1..2^30').optional().describe('Receive buffer in bytes; unread data beyond it closes the window (linux 131072).'),
    hz: z
      .union([z.literal(100), z.literal(250), z.literal(300), z.literal(1000), z.literal('exact')], says('100, 250, 300, 1000 (CONFIG_HZ) or exact'))
      .optional()
      .describe("Ticks per second of Linux's timer wheel, which rounds every kernel timer up (linux 250); exact = timers fire at their timeout (rfc9293)."),
    keepaliveTime: duration.optional().describe('Idle time before the first keepalive probe when a program sets SO_KEEPALIVE alone (net.ipv4.tcp_keepalive_time, 2h).'),
    keepaliveIntvl: duration.optional().describe('Between unanswered keepalive probes (net.ipv4.tcp_keepalive_intvl, 75s).'),
    keepaliveProbes: int(1, 127, 'a probe count 1..127').optional().describe('Unanswered keepalive probes before the reset (net.ipv4.tcp_keepalive_probes, 9).'),
    somaxconn: int(1, 2 ** 31 - 1, 'a backlog cap ≥ 1').optional().describe('Cap on a listen() backlog (net.core.somaxconn; linux 4096).'),
    syncookies: z.boolean(says('true or false')).optional().describe('A SYN that finds the SYN queue full gets a SYN cookie instead of being dropped (net.ipv4.tcp_syncookies=1; linux true).'),
    rxCost: duration.optional().describe("Time a host's kernel takes to receive one segment; segments arriving together wait their turn (linux 5us, rfc9293 0)."),
    wakeLatency: duration.optional().describe('From the kernel waking a blocked program to the program running (linux 30us, rfc9293 0).'),
  })
  .describe('A profile with overrides.');

const PARAM_PHRASE = 'a number, or { default: N, description, min, max }';
const paramSpec = z.union(
  [
    z.number(says('a number')),
    z.strictObject({
      default: z.number(says('a number')).describe('Value used unless --param overrides it.'),
      description: text.optional().describe('What the parameter means (shown by the CLI).'),
      min: z.number(says('a number')).optional().describe('Smallest value --param may set.'),
      max: z.number(says('a number')).optional().describe('Largest value --param may set.'),
    }),
  ],
  says(PARAM_PHRASE),
);

/** The schema of the `params` section alone (validated before substitution). */
export const paramsSchema = z.record(z.string(), paramSpec, says('a map of parameter names to numbers, such as { clients: 1000 }')).describe('Named numbers, referenced elsewhere as ${name}.');

const network = z
  .strictObject({
    latency: duration.optional().describe('One-way delay (default 50us, loopback).'),
    jitter: duration.optional().describe('Extra random delay, uniform in [0, jitter] (default 0).'),
    loss: probability.optional().describe('Chance a segment is lost (default 0).'),
    duplicate: probability.optional().describe('Chance a segment is delivered twice (default 0).'),
    reorder: probability.optional().describe('Chance a segment is held back behind the next one (default 0).'),
  })
  .describe('Network behaviour.');

const host = z.strictObject({
  name: name.describe('Host name, referenced by processes[*].host.'),
  address: z.string(says('an IPv4 address such as 127.0.0.1')).regex(IPV4, says('an IPv4 address such as 127.0.0.1')),
});

const READ_PHRASE = 'line, eof, a byte count, { bytes: N } or { upTo: N }';
const readAmount = z.union(
  [
    z.literal('line'),
    z.literal('eof'),
    positive('a byte count ≥ 1'),
    z.strictObject({ bytes: positive('a byte count ≥ 1') }),
    z.strictObject({ upTo: positive('a buffer size ≥ 1').describe('One read(2) into an N-byte buffer: whatever has arrived, at most N bytes.') }),
  ],
  says(READ_PHRASE),
);

const WRITE_PHRASE = 'text to send, or { bytes: N } of filler';
const writeData = z.union([z.string(), z.strictObject({ bytes: positive('a byte count ≥ 1') })], says(WRITE_PHRASE));

const STEP_PHRASE = 'a step: connect, write, read or sleep (a one-key map), or shutdown, close, abort or exit';
/** The step keywords written as bare strings. */
export const BARE_STEPS = ['shutdown', 'close', 'abort', 'exit'] as const;
const step = z.union(
  [
    z.enum(BARE_STEPS, says(STEP_PHRASE)),
    z.strictObject({ connect: z.string(says('a process name or "address:port"')).min(1, says('a process name or "address:port"')).describe('A process name (its listening port) or "127.0.0.1:8888".') }),
    z.strictObject({ write: writeData.describe('Text to send, or { bytes: N } of filler.') }),
    z.strictObject({ read: readAmount.describe('line | eof | N | { bytes: N } | { upTo: N }') }),
    z.strictObject({ sleep: duration }),
  ],
  says(STEP_PHRASE),
).meta({ id: 'Step', description: 'One step of a program.' });
const steps = z.array(step, says('a list of steps'));

const listen = z.union(
  [
    port,
    z.strictObject({
      port: port.describe('Listening port.'),
      address: z
        .string(says('0.0.0.0 or the host\'s address'))
        .regex(IPV4, says('0.0.0.0 or the host\'s address'))
        .optional()
        .describe('Address to bind: the host\'s (default) or 0.0.0.0 for all addresses (Java\'s new ServerSocket(port)).'),
      backlog: positive('a backlog ≥ 1').optional().describe('Accept queue length (default: the runtime\'s, else 128); the kernel caps it at net.core.somaxconn.'),
      workers: z
        .union([positive('a worker count ≥ 1'), z.literal('unbounded')], says('a worker count ≥ 1, or unbounded'))
        .optional()
        .describe('Connections handled at once (a thread pool); default unbounded.'),
      onAcceptError: z
        .enum(['retry', 'stop', 'exit'], says('retry, stop or exit'))
        .optional()
        .describe('posix policy: what the program does when accept() fails — retry after acceptRetry, stop accepting (the listener stays open), or exit (default: the runtime\'s, else retry).'),
      acceptRetry: z
        .union([duration, z.literal('never')], says(`${DURATION_PHRASE}, or never`))
        .optional()
        .describe('posix policy: wait before retrying accept() after EMFILE (default 1s); never = stop accepting (same as onAcceptError: stop).'),
    }),
  ],
  says('a port number, or { port, address, backlog, workers, onAcceptError, acceptRetry }'),
);

const KEEPALIVE_PHRASE = 'off, on, or { idle, interval, probes }';
const keepalive = z.union(
  [
    z.enum(['off', 'on'], says(KEEPALIVE_PHRASE)),
    z.strictObject({
      idle: duration.optional().describe('TCP_KEEPIDLE: idle time before the first probe (default net.ipv4.tcp_keepalive_time, 2h).'),
      interval: duration.optional().describe('TCP_KEEPINTVL: between unanswered probes (default net.ipv4.tcp_keepalive_intvl, 75s).'),
      probes: positive('a probe count ≥ 1').optional().describe('TCP_KEEPCNT: unanswered probes before the reset (default net.ipv4.tcp_keepalive_probes, 9).'),
    }),
  ],
  says(KEEPALIVE_PHRASE),
);

const ARGV_ITEM_PHRASE = 'text (the program, then its arguments; numbers are written as text)';
const command = z
  .strictObject({
    argv: z
      .array(z.union([z.string(), z.number()], says(ARGV_ITEM_PHRASE)), says('a list: the program, then its arguments'))
      .min(1, says('a list with at least the program'))
      .describe('The program and its arguments (no shell); ${param} references work. argv[0] is looked up on PATH unless it contains a /, which makes it relative to cwd.'),
    cwd: z.string(says('a directory')).min(1, says('a directory')).optional().describe("Working directory, relative to the scenario file's directory (default: that directory)."),
    env: z
      .record(z.string(), z.union([z.string(), z.number()], says('text')), says('a map of variable names to values'))
      .optional()
      .describe("Environment variables added to real mode's own."),
    build: text.optional().describe('How to build the program, shown when cwd or argv[0] cannot be found.'),
  })
  .meta({ id: 'Command', description: 'Real mode: an external program that is this process (run under prlimit --nofile in the run\'s namespace); tcpsim run ignores it and runs the scenario\'s description.' });

const processEntry = z
  .strictObject({
    host: name.optional().describe('Host it runs on (default: the first host).'),
    nofile: positive('a file-descriptor limit ≥ 1').optional().describe('RLIMIT_NOFILE (default 1024).'),
    baselineFds: count('a file-descriptor count ≥ 0').optional().describe('fds open before any socket (default 3).'),
    runtime: z
      .enum(['java', 'go', 'node', 'python', 'c'], says('java, go, node, python or c'))
      .optional()
      .describe('Language runtime: brings its measured defaults for backlog, baselineFds, acceptPolicy, onAcceptError, keepalive and how it closes sockets (docs/scenario-format.md).'),
    acceptPolicy: z.enum(['posix', 'libuv'], says('posix or libuv')).optional().describe('How the program calls accept(): a loop around accept(2) (posix), or libuv\'s epoll loop with its EMFILE trick (default: the runtime\'s, else posix).'),
    keepalive: keepalive.optional().describe('SO_KEEPALIVE on every connection it opens or accepts (default: the runtime\'s, else off; Go: 15s/15s).'),
    allowHalfOpen: z.boolean(says('true or false')).optional().describe('false: the runtime closes a connection once a read reaches EOF (Node\'s default); default true except for node.'),
    acceptCost: duration.optional().describe('Program time per accepted connection before the next accept() (default 0).'),
    listen: listen.optional().describe('Server: the listening socket.'),
    onConnection: steps.optional().describe('Server: steps run for each accepted connection.'),
    connections: count('a connection count ≥ 0').optional().describe('Client: how many connections (default 1).'),
    start: duration.optional().describe('Client: when the first connection starts (default 0).'),
    ramp: duration.optional().describe('Client: connections start evenly over this span (default 0: all at once).'),
    steps: steps.optional().describe('Client: steps run for each connection; the first is connect.'),
    command: command.optional().describe('Real mode: run this program instead of the built-in runner; the model runs the description above (tcpsim run ignores command).'),
  })
  .meta({ id: 'Process', description: 'A process: a server (listen + onConnection) or a client (connections + steps).' });

const BOUND_PHRASE = 'a count N or { min: N, max: M }';
const bound = z.union(
  [count('a count ≥ 0'), z.strictObject({ min: count('a count ≥ 0').optional(), max: count('a count ≥ 0').optional() })],
  says(BOUND_PHRASE),
).meta({ id: 'Bound', description: 'An exact count N, or { min, max } (inclusive).' });

const stateBounds = z
  .strictObject(Object.fromEntries(TCP_STATES.map((s) => [s, bound.optional()])) as Record<TcpState, z.ZodOptional<typeof bound>>)
  .describe('Socket counts per state (canonical names, e.g. FIN_WAIT_2).');
const errnoBounds = z
  .strictObject(Object.fromEntries(ERRNOS.map((e) => [e, bound.optional()])) as Record<Errno, z.ZodOptional<typeof bound>>)
  .describe('Error counts per errno.');

const expectation = z.strictObject({
  at: z
    .union([duration, z.enum(['end', 'peak'])], says(`${DURATION_PHRASE}, end or peak`))
    .optional()
    .describe('Sample time, end (default) or peak (maximum over samples).'),
  process: name.optional().describe('Count only sockets of this process.'),
  states: stateBounds.optional(),
  fds: z.record(z.string(), bound).optional().describe('Open fds per process name.'),
  errors: errnoBounds.optional(),
  note: text.optional().describe('Shown instead of the generated description.'),
});

const fault = z.strictObject({
  match: z.enum(['any', 'fin', 'syn', 'rst', 'data'], says('any, fin, syn, rst or data')).describe('Which segments to drop.'),
  port: port.optional().describe('Only segments to or from this port (every segment when omitted).'),
  from: duration.optional().describe('Window start (default 0).'),
  until: duration.optional().describe('Window end (default: end of run).'),
  drop: probability.optional().describe('Chance to drop a matching segment (default 1).'),
});

/** The whole author-facing document (after `${param}` substitution). */
export const scenarioSchema = z
  .strictObject({
    $schema: z.string(says('a schema path')).optional(),
    name: name.optional().describe('Scenario name (default: the file name).'),
    description: text.optional().describe('One line saying what the scenario shows.'),
    seed: int(0, 2 ** 32 - 1, 'a seed 0..4294967295').optional().describe('PRNG seed (default 1).'),
    profile: z.union([profileName, profileObject], says('linux, rfc9293, or { name, timeWait, finTimeout, … }')).optional(),
    params: paramsSchema.optional(),
    network: network.optional(),
    hosts: z.array(host, says('a list of { name, address }')).optional().describe('Default: one host, localhost 127.0.0.1.'),
    processes: z.record(z.string(), processEntry, says('a map of process name to process')).describe('Processes by name.'),
    sample: z
      .strictObject({
        every: duration.optional().describe('Sampling interval (default 5s).'),
        until: duration.optional().describe('End of the run (default 5m).'),
      })
      .optional(),
    sysctls: z.record(z.string(), z.number(says('a number'))).optional().describe('Kernel tunables for real mode.'),
    faults: z.array(fault, says('a list of faults')).optional(),
    expect: z.array(expectation, says('a list of expectations')).optional(),
  })
  .describe('A tcpsim scenario. See docs/scenario-format.md.');

/** The validated author document: defaults not yet applied, durations still text. */
export type ScenarioDocument = z.infer<typeof scenarioSchema>;
/** One validated process entry. */
export type ProcessDocument = z.infer<typeof processEntry>;
/** One validated command. */
export type CommandDocument = z.infer<typeof command>;
/** One validated step. */
export type StepDocument = z.infer<typeof step>;
/** One validated bound. */
export type BoundDocument = z.infer<typeof bound>;
/** A validated duration (0 or text). */
export type DurationDocument = z.infer<typeof duration>;
/** A validated probability (number or "N%"). */
export type ProbabilityDocument = z.infer<typeof probability>;
