#!/usr/bin/env node
/**
 * `npm run docs`: regenerates the README's generated sections from tcpsim's own output, so the
 * README can never drift from the model. Each section sits between
 * `<!-- BEGIN generated: NAME (npm run docs) -->` and `<!-- END generated: NAME -->`:
 *
 * - `article`: `tcpsim run article-java-forgot-close` and `tcpsim run article-java-close --quiet`;
 * - `handshake`: the four-way handshake taught from `tcpsim trace` (RFC table and Mermaid) for
 *   normal-close, simultaneous-close and lost-final-ack, and `tcpsim diagram`.
 *
 * Run directly, it uses the built CLI (dist/, hence `npm run build` first in the npm script).
 * test/docs.test.ts imports `readmeSections` and runs the same commands in-process on the sources,
 * then compares with the committed README. Everything here is deterministic: the runs are seeded
 * and the prose takes its numbers from the traces.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The generated sections, in README order. */
export const SECTION_NAMES = /** @type {const} */ (['article', 'handshake']);

const begin = (name) => `<!-- BEGIN generated: ${name} (npm run docs) -->`;
const end = (name) => `<!-- END generated: ${name} -->`;

/** Where a section's body starts and ends in `readme`; throws when its markers are missing. */
function bounds(readme, name) {
  const open = readme.indexOf(begin(name));
  const close = readme.indexOf(end(name));
  if (open < 0 || close < open) throw new Error(`README.md has no "${begin(name)}" … "${end(name)}" markers`);
  return { from: open + begin(name).length, to: close };
}

/** The committed body of section `name` (between its markers, without the line breaks around it). */
export function sectionOf(readme, name) {
  const { from, to } = bounds(readme, name);
  return readme.slice(from, to).replace(/^\n/, '').replace(/\n$/, '');
}

/** `readme` with section `name`'s body replaced by `body`. */
export function withSection(readme, name, body) {
  const { from, to } = bounds(readme, name);
  return `${readme.slice(0, from)}\n${body}\n${readme.slice(to)}`;
}

/** `1.030 s`, as the tables' time column prints an instant. */
function instant(us) {
  return `${(us / 1e6).toFixed(3)} s`;
}

/** `60 s`, `204 ms`, `61.446 s`: a duration as a person writes it, to the millisecond like the tables. */
function duration(us) {
  const ms = Math.round(us / 1000);
  if (ms < 1000) return `${ms} ms`;
  return `${ms / 1000} s`;
}

/** The facts the prose quotes, read off a `tcpsim trace --format json` document. */
function facts(trace) {
  const role = (r) => {
    const socket = trace.sockets.find((s) => s.role === r);
    if (socket === undefined) throw new Error(`trace has no ${r} socket`);
    return socket.id;
  };
  const client = role('client');
  const server = role('server');
  const events = trace.events;
  const find = (what, test) => {
    const event = events.find(test);
    if (event === undefined) throw new Error(`trace has no ${what}`);
    return event;
  };
  const entered = (socket, state) => find(`${state} on socket ${socket}`, (e) => e.kind === 'state' && e.socket === socket && e.to === state).at;
  const left = (socket, state) => find(`exit from ${state} on socket ${socket}`, (e) => e.kind === 'state' && e.socket === socket && e.from === state).at;
  const closed = (socket) => find(`close() on socket ${socket}`, (e) => e.kind === 'call' && e.socket === socket && e.call === 'close').at;
  const sends = (socket, test) => events.filter((e) => e.kind === 'send' && e.socket === socket && test(e.segment.flags));
  const arrival = (segmentId) => find(`delivery of segment ${segmentId}`, (e) => e.kind === 'deliver' && e.segmentId === segmentId).at;
  return { client, server, events, entered, left, closed, sends, arrival };
}

const FIN = 0x01;
const ACK = 0x10;

/** Runs `tcpsim trace NAME` in the three forms the README shows. */
async function traced(tcpsim, name) {
  const table = (await tcpsim(['trace', name, '--time'])).trimEnd();
  const mermaid = (await tcpsim(['trace', name, '--format', 'mermaid'])).trimEnd();
  const trace = JSON.parse(await tcpsim(['trace', name, '--format', 'json']));
  return { table, mermaid, trace };
}

/** A scenario's table and diagram, each under the command that prints it. */
function figures(name, { table, mermaid }) {
  return [
    `\`tcpsim trace ${name} --time\`:`,
    '',
    '```text',
    table,
    '```',
    '',
    `\`tcpsim trace ${name} --format mermaid\`:`,
    '',
    '```mermaid',
    mermaid,
    '```',
  ].join('\n');
}

async function normalClose(tcpsim) {
  const run = await traced(tcpsim, 'normal-close');
  const f = facts(run.trace);
  const closeWait = f.entered(f.server, 'CLOSE_WAIT');
  const finAck = f.sends(f.server, (flags) => flags === ACK).find((e) => e.at >= closeWait);
  const serverFin = f.sends(f.server, (flags) => (flags & FIN) !== 0)[0];
  if (finAck === undefined || serverFin === undefined) throw new Error('normal-close: the server sent no ACK of the FIN, or no FIN');
  const timeWait = f.left(f.client, 'TIME_WAIT') - f.entered(f.client, 'TIME_WAIT');
  return [
    '### Normal close (RFC 9293 Figure 12)',
    '',
    '[scenarios/normal-close.yaml](scenarios/normal-close.yaml): the client (TCP Peer A) sends a line,',
    'reads the reply and closes; the server (TCP Peer B) reads to end of file and closes a second later.',
    '',
    "- The client's close sends a FIN and moves it to FIN-WAIT-1 (RFC 9293 §3.6, case 1).",
    '- The FIN moves the server to CLOSE-WAIT. The server acknowledges it, but sends its own FIN only',
    '  when its program calls close, which moves it to LAST-ACK (§3.6, case 2). Linux acknowledges',
    `  a FIN after its delayed-ACK timer (40 ms, to the next 4-ms tick of the kernel's timer wheel), so the`,
    `  ACK leaves at ${instant(finAck.at)} and the FIN at ${instant(serverFin.at)}.`,
    '  A program that closed within those 40 ms would send its FIN with the ACK: three segments, and',
    '  the client would go from FIN-WAIT-1 straight to TIME-WAIT.',
    "- The ACK moves the client to FIN-WAIT-2 and the server's FIN moves it on to TIME-WAIT; the",
    "  client's ACK of that FIN moves the server to CLOSED.",
    `- The client stays in TIME-WAIT for ${duration(timeWait)}, then reaches CLOSED. RFC 9293 requires the side`,
    '  that closes first to stay there 2 × MSL (§3.6.1, MUST-13) and takes the MSL to be 2 minutes',
    "  (§3.4.2); Linux uses a fixed 60 s (`TCP_TIMEWAIT_LEN`), which its timer wheel rounds up to the",
    '  next 2.048-s step (HZ=250): TIME-WAIT ends 60–62 s after it starts. This run uses the linux profile.',
    '',
    figures('normal-close', run),
  ].join('\n');
}

async function simultaneousClose(tcpsim) {
  const run = await traced(tcpsim, 'simultaneous-close');
  const f = facts(run.trace);
  const serverFin = f.sends(f.server, (flags) => (flags & FIN) !== 0)[0];
  if (serverFin === undefined) throw new Error('simultaneous-close: the server sent no FIN');
  const clientTimeWait = f.left(f.client, 'TIME_WAIT') - f.entered(f.client, 'TIME_WAIT');
  const serverTimeWait = f.left(f.server, 'TIME_WAIT') - f.entered(f.server, 'TIME_WAIT');
  const stay = clientTimeWait === serverTimeWait ? `${duration(clientTimeWait)} after entering it` : 'after 2 × MSL';
  return [
    '### Simultaneous close (RFC 9293 Figure 13)',
    '',
    '[scenarios/simultaneous-close.yaml](scenarios/simultaneous-close.yaml): the server closes at',
    `${instant(f.closed(f.server))} and the client at ${instant(f.closed(f.client))}, before the server's FIN, sent at`,
    `${instant(serverFin.at)}, reaches it at ${instant(f.arrival(serverFin.segmentId))}.`,
    '',
    '- Each close sends a FIN and moves its side to FIN-WAIT-1.',
    "- Each side receives the other's FIN in FIN-WAIT-1, before its own FIN is acknowledged: it",
    '  acknowledges the FIN and enters CLOSING (RFC 9293 §3.10.7.4, the FIN bit in FIN-WAIT-1).',
    '- The ACK of its own FIN moves each side from CLOSING to TIME-WAIT (§3.10.7.4, the ACK field in',
    `  CLOSING). Both sides end in TIME-WAIT (§3.6, case 3), and each leaves it ${stay}.`,
    '',
    figures('simultaneous-close', run),
  ].join('\n');
}

async function lostFinalAck(tcpsim) {
  const run = await traced(tcpsim, 'lost-final-ack');
  const f = facts(run.trace);
  const [firstFin, retransmitted] = f.sends(f.server, (flags) => (flags & FIN) !== 0);
  if (firstFin === undefined || retransmitted === undefined || !retransmitted.retransmission) {
    throw new Error('lost-final-ack: expected the server to send its FIN twice');
  }
  const drop = f.events.find((e) => e.kind === 'drop');
  if (drop === undefined) throw new Error('lost-final-ack: nothing was lost');
  const secondArrival = f.arrival(retransmitted.segmentId);
  const timeWaitEnd = f.left(f.client, 'TIME_WAIT');
  return [
    '### Why TIME-WAIT exists: the final ACK is lost',
    '',
    "[scenarios/lost-final-ack.yaml](scenarios/lost-final-ack.yaml): the scenario's fault drops the",
    `client's last ACK, sent at ${instant(drop.at)} (\`XXX\`).`,
    '',
    '- The server stays in LAST-ACK: its FIN is not acknowledged, and segments up to and including a',
    '  FIN are retransmitted until acknowledged (RFC 9293 §3.6). Its retransmission timer fires',
    `  ${duration(retransmitted.at - firstFin.at)} after the first FIN (\`(RTO)\`), and the FIN goes again.`,
    '- The client is still in TIME-WAIT. There, the only thing that can arrive is a retransmission of',
    "  the peer's FIN: the client acknowledges it and restarts the 2 MSL timer (§3.10.7.4). That ACK",
    '  arrives, and the server reaches CLOSED.',
    `- The client leaves TIME-WAIT at ${instant(timeWaitEnd)}: ${duration(timeWaitEnd - secondArrival)} after the retransmitted FIN arrived,`,
    '  not after the first one, because the timer restarted.',
    '- Had the client gone straight to CLOSED, the retransmitted FIN would have found no connection,',
    '  and a segment without RST that arrives for no connection is answered with a RST (§3.10.7.1):',
    '  the server would have received a reset instead of the ACK of its FIN. Making sure the peer',
    "  receives that ACK, and keeping delayed segments of the connection from affecting a new one, is",
    "  what TIME-WAIT is for (RFC 9293 §3.3.2's definition of the state).",
    '',
    figures('lost-final-ack', run),
  ].join('\n');
}

async function stateDiagram(tcpsim) {
  const diagram = (await tcpsim(['diagram'])).trimEnd();
  return [
    '### The endpoint state diagram (RFC 9293 Figure 5)',
    '',
    '`tcpsim diagram` draws the state graph of the endpoint that runs, read off the table compiled from',
    'the xstate machine (linux profile): the states of RFC 9293 §3.3.2 and every transition between',
    'them, labelled `event / segment sent`; events that take the same transition are separated by',
    '`;`. It includes what Linux adds to Figure 5, such as the `tcp_fin_timeout` transition out of',
    'FIN_WAIT_2, which `tcpsim diagram --profile rfc9293` leaves out; `--format dot` prints Graphviz.',
    'It is laid out as Figure 5 as far as Mermaid and Graphviz allow: CLOSED on top, the opening',
    'below it, the closes ending in a second CLOSED at the bottom. Instead of every reset, abort and',
    'timeout converging on one CLOSED box, each state has one edge into a CLOSED box of its own',
    'carrying all those events.',
    '',
    '```mermaid',
    diagram,
    '```',
  ].join('\n');
}

async function handshake(tcpsim) {
  const intro = [
    '## The four-way handshake, from the model',
    '',
    'This section is output of tcpsim, regenerated by `npm run docs` (a test fails when it is stale).',
    "The tables use the layout of RFC 9293's figures (§3.5): numbered lines, `-->` and `<--` for a",
    'segment leaving or arriving, `...` for one still in the network, `XXX` for one lost, app calls and',
    "timers in parentheses, and each side's state after the segments of its line. Sequence numbers",
    "count from each side's initial sequence number, as Wireshark shows them; the first column is",
    'virtual time. Each connection starts with the three-way handshake and a line of data each way',
    '(§3.5); the close starts at the first `(Close)`. `tcpsim trace NAME --format pcapng -o FILE`',
    'writes the same segments for Wireshark, each commented with the state changes it caused.',
  ].join('\n');
  const parts = [intro, await normalClose(tcpsim), await simultaneousClose(tcpsim), await lostFinalAck(tcpsim), await stateDiagram(tcpsim)];
  return parts.join('\n\n');
}

async function article(tcpsim) {
  const forgot = (await tcpsim(['run', 'article-java-forgot-close', '--no-color'])).trimEnd();
  const closes = (await tcpsim(['run', 'article-java-close', '--quiet', '--no-color'])).trimEnd();
  const go = (await tcpsim(['run', 'article-go-forgot-close', '--until', '3m', '--no-color'])).trimEnd();
  const emfile = (await tcpsim(['run', 'article-java-forgot-close', '--param', 'rerun=1000', '--until', '3m', '--no-color'])).trimEnd();
  return [
    '`npm start`, that is `tcpsim run article-java-forgot-close`:',
    '',
    '```text',
    forgot,
    '```',
    '',
    'The same server with `socket.close()`, `tcpsim run article-java-close --quiet`:',
    '',
    '```text',
    closes,
    '```',
    '',
    'EMFILE, with the Java program as written: the client run a second time, 10 s after the first,',
    '`tcpsim run article-java-forgot-close --param rerun=1000 --until 3m`:',
    '',
    '```text',
    emfile,
    '```',
    '',
    "The Go demo without `c.Close()`, where CLOSE_WAIT vanishes but the fds do not,",
    '`tcpsim run article-go-forgot-close --until 3m`:',
    '',
    '```text',
    go,
    '```',
  ].join('\n');
}

/**
 * The body of every generated section. `tcpsim(args)` runs the command line with `args` and
 * resolves to its stdout (it must reject when the command fails).
 */
export async function readmeSections(tcpsim) {
  return { article: await article(tcpsim), handshake: await handshake(tcpsim) };
}

/** `node dist/cli/main.js ARGS`, from the repository root. */
function builtCli(root) {
  return async (args) => {
    const out = spawnSync(process.execPath, [join(root, 'dist/cli/main.js'), ...args], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      maxBuffer: 64 * 1024 * 1024,
    });
    if (out.status !== 0) throw new Error(`tcpsim ${args.join(' ')} exited ${out.status}:\n${out.stderr}`);
    return out.stdout;
  };
}

async function main() {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const path = join(root, 'README.md');
  const before = readFileSync(path, 'utf8');
  const sections = await readmeSections(builtCli(root));
  let after = before;
  for (const name of SECTION_NAMES) after = withSection(after, name, sections[name]);
  if (after === before) {
    process.stdout.write('README.md: generated sections already up to date\n');
    return;
  }
  writeFileSync(path, after);
  const changed = SECTION_NAMES.filter((name) => sectionOf(before, name) !== sections[name]);
  process.stdout.write(`README.md: regenerated ${changed.join(', ')}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    process.stderr.write(`docs: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
