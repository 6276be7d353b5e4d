#!/usr/bin/env node
/**
 * `npm run real:article`: the article's four programs (our Java and Go fixtures in
 * test/fixtures/article: Java/Go × forgot/close) run for real, each at 200 and at 1000 clients,
 * each in a fresh network namespace, and compared with the model per socket at every 5-s sample
 * (`tcpsim real scenarios/article-*.yaml --netns`).
 *
 * - Installs default-jdk-headless and golang-go with apt when javac or go is missing (root only;
 *   otherwise it says what to install and stops), then builds the fixtures into build/article
 *   (test/fixtures/article/build.sh; the scenarios' `command:` entries run them from there).
 * - What is scaled: only the length. The programs sleep 30 minutes, but nothing changes after
 *   ~150 s except the Java pool's wake-up at 30 min (Java: FIN_WAIT_2 gone by ~90 s, TIME_WAIT
 *   by ~100 s; Go: keepalive's RST ends CLOSE_WAIT at ~105 s), so each run stops at --until
 *   (150 s). --time-scale cannot apply: a program keeps its own clock.
 *
 * Options: --build (build only), --clients 200,1000, --only java-forgot-close,go-close (names
 * without `article-`), --until 150s.
 *
 * --storms runs the connection storms instead (scenarios/real/storm-java-backlog-*.yaml: the
 * Java programs, all clients started at once; 200 clients at backlog 50 and 5, 1000 at backlog
 * 50; 10 s sampled every 500 ms; --repeat N runs each N times; --backlog 5 only those at 5). Real mode ties each model
 * connection to the kernel's accept, so beside the per-socket agreement each storm prints the
 * storm itself, kernel and free-running model side by side: peak SYN_SENT and SYN_RECV, when
 * every client was connected, and the model's overflows, cookies and ETIMEDOUT (run to 150 s). Exit status 0 when every run agrees at every sample, 1 when
 * one does not, 3 when the programs cannot be built or run. Each run is `tcpsim real … --json`
 * in a child process, which cleans up its namespace and programs however it ends (Ctrl-C too).
 */
import { spawn, spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const PROGRAMS = ['java-forgot-close', 'java-close', 'go-forgot-close', 'go-close'];
const { values } = parseArgs({
  options: {
    build: { type: 'boolean' },
    clients: { type: 'string', default: '200,1000' },
    only: { type: 'string' },
    until: { type: 'string', default: '150s' },
    storms: { type: 'boolean' },
    repeat: { type: 'string', default: '1' },
    backlog: { type: 'string' },
  },
});
const sizes = values.clients.split(',').map(Number);
const programs = values.only === undefined ? PROGRAMS : values.only.split(',');
for (const p of programs) if (!PROGRAMS.includes(p)) fail(3, `--only: ${p} is not one of ${PROGRAMS.join(', ')}`);
const repeat = Number(values.repeat);
if (!Number.isInteger(repeat) || repeat < 1) fail(3, `--repeat: ${values.repeat} is not a count of runs`);
for (const n of sizes) if (!Number.isInteger(n) || n < 1) fail(3, `--clients: ${values.clients} is not a list of client counts`);

function fail(code, message) {
  process.stderr.write(`real:article: ${message}\n`);
  process.exit(code);
}

const has = (program, args) => spawnSync(program, args, { stdio: 'ignore' }).status === 0;
const missing = [has('javac', ['-version']) ? null : 'default-jdk-headless', has('go', ['version']) ? null : 'golang-go'].filter((p) => p !== null);
if (missing.length > 0) {
  if (process.getuid?.() !== 0) fail(3, `javac or go is missing: install ${missing.join(' and ')} (apt-get install ${missing.join(' ')}), or run this as root to have it installed`);
  process.stderr.write(`real:article: installing ${missing.join(' ')} with apt\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env }).status !== 0) fail(3, 'apt-get update failed');
  if (spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env }).status !== 0) fail(3, `apt-get install ${missing.join(' ')} failed`);
}
const built = spawnSync('bash', ['test/fixtures/article/build.sh', 'build/article'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
if (built.status !== 0) fail(3, 'building the article programs failed (test/fixtures/article/build.sh build/article)');
process.stderr.write('real:article: built the article programs into build/article\n');
if (values.build) process.exit(0);
if (process.getuid?.() !== 0) fail(3, 'the runs need root: each is in a fresh network namespace (tcpsim real --netns), and the model reads the kernel\'s tick count from /proc/timer_list');

const STATES = ['LISTEN', 'SYN_SENT', 'SYN_RECEIVED', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSING', 'TIME_WAIT', 'CLOSE_WAIT', 'LAST_ACK'];
const histogram = (h) => STATES.filter((s) => (h[s] ?? 0) > 0).map((s) => `${s} ${h[s]}`).join(', ') || '—';
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

/** One run through the CLI; resolves to its JSON report (or null) and exit code. */
function run(file, clients, until) {
  return new Promise((resolve) => {
    const args = ['dist/cli/main.js', 'real', file, '--param', `clients=${clients}`, ...(until === null ? [] : ['--until', until]), '--netns', '--json'];
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => (out += chunk));
    const forward = (signal) => child.kill(signal);
    process.on('SIGTERM', forward);
    child.on('exit', (code, signal) => {
      process.removeListener('SIGTERM', forward);
      let report = null;
      try {
        report = JSON.parse(out);
      } catch {
        report = null;
      }
      resolve({ code: code ?? (signal === null ? 1 : 128), report });
    });
  });
}

const STORMS = [
  { name: 'storm-java-backlog-50', clients: 200 },
  { name: 'storm-java-backlog-5', clients: 200 },
  { name: 'storm-java-backlog-50', clients: 1000 },
];
const runs = values.storms
  ? STORMS.filter((s) => values.backlog === undefined || s.name.endsWith(`-${values.backlog}`)).flatMap((s) => Array.from({ length: repeat }, () => ({ program: s.name, file: `scenarios/real/${s.name}.yaml`, clients: s.clients, until: null })))
  : sizes.flatMap((clients) => programs.flatMap((program) => Array.from({ length: repeat }, () => ({ program: `article-${program}`, file: `scenarios/article-${program}.yaml`, clients, until: values.until }))));

const results = [];
for (const { program, file, clients, until } of runs) {
  const started = Date.now();
  const startLoad = load();
  process.stdout.write(`\n== ${program}, ${clients} clients (${until === null ? 'the scenario\'s length' : `--until ${until}`}, --netns); load average ${startLoad}\n`);
  const { code, report } = await run(file, clients, until);
  const wall = (Date.now() - started) / 1000;
  if (report === null) {
    process.stdout.write(`   the run could not be made (exit ${code})\n`);
    results.push({ program, clients, ok: false, wall, figure: 'no run', load: startLoad });
    continue;
  }
  process.stdout.write(`   ${'t'.padStart(6)}  ${'sockets'.padEnd(11)}  kernel\n`);
  for (const s of report.samples) {
    const c = s.connections;
    const mark = c.agreed === c.compared ? '' : `  ✗ model: ${histogram(s.model)}`;
    process.stdout.write(`   ${`${(s.t / 1000).toFixed(s.t % 1000 === 0 ? 0 : 1)}s`.padStart(6)}  ${`${c.agreed}/${c.compared}`.padEnd(11)}  ${histogram(s.kernel)}${mark}\n`);
  }
  const t = report.tallies;
  const figure = `connections ${t.connections.agreed}/${t.connections.compared} socket-samples, listener ${t.listeners.agreed}/${t.listeners.compared}, timers ${t.timers.agreed}/${t.timers.compared}, counts ${t.counts.agreed}/${t.counts.compared}`;
  const offTimers = report.timers.filter((c) => !c.ok);
  if (offTimers.length > 0) {
    const at = [...new Set(offTimers.map((c) => `${(c.t / 1000).toFixed(0)}s`))].join(', ');
    const worst = offTimers.reduce((w, c) => (c.modelMs !== null && (w === null || Math.abs(c.modelMs - c.osMs) > Math.abs(w.modelMs - w.osMs)) ? c : w), null);
    process.stdout.write(`   ✗ kernel timers: ${offTimers.length} of ${report.timers.length} remaining times (TIME_WAIT/FIN_WAIT_2) off by more than 1 s, at ${at}${worst === null ? '' : `; largest: ${worst.state} ${worst.key}, kernel ${worst.osMs} ms, model ${Math.round(worst.modelMs)} ms`}\n`);
  }
  for (const c of report.counts) process.stdout.write(`   ${c.ok ? '✓' : '✗'} ${c.what}: kernel ${c.os}, model ${c.model}\n`);
  const anchors = report.anchors;
  if (anchors !== null) {
    const widths = anchors.connections.map((a) => a.by - a.after).sort((a, b) => a - b);
    process.stdout.write(`   connections learned: ${anchors.summaries.map((s) => `${s.process} ${s.learned}/${s.declared}`).join(', ')}; accept instants known to ±${((widths[widths.length >> 1] ?? 0) / 2).toFixed(0)} ms median, ±${((widths.at(-1) ?? 0) / 2).toFixed(0)} ms at worst\n`);
  }
  process.stdout.write(`   agreement: ${figure}; ${wall.toFixed(1)} s wall\n`);
  const storm = values.storms ? await stormFigures(file, clients, report) : '';
  if (storm !== '') process.stdout.write(`   storm: ${storm}\n`);
  results.push({ program, clients, ok: report.ok, wall, figure: storm === '' ? figure : `${figure}; ${storm}`, load: startLoad });
}
process.stdout.write('\nreal:article summary\n');
for (const r of results) process.stdout.write(`  ${r.ok ? '✓' : '✗'} ${r.program} ${String(r.clients).padStart(4)} clients: ${r.figure}; ${r.wall.toFixed(0)} s, load ${r.load}\n`);
process.exitCode = results.every((r) => r.ok) ? 0 : 1;

/**
 * The storm itself, kernel vs free-running model: peak SYN_SENT and SYN_RECV (with when), the
 * first sample with every client connected and nothing left in a handshake, and the model's
 * overflows, cookies and ETIMEDOUT (the model runs on to 150 s, past a SYN's last retry).
 */
async function stormFigures(file, clients, report) {
  const { loadScenarioFile, simulate } = await import('../dist/index.js');
  const scenario = loadScenarioFile(file, { params: { clients: String(clients) } });
  const model = simulate({ ...scenario, sample: { every: scenario.sample.every, until: 150_000_000 } });
  const seconds = (t) => `${(t / 1000).toFixed(1)} s`;
  const describe = (samples) => {
    const peak = (state) => samples.reduce((best, s) => ((s.h[state] ?? 0) > best.n ? { n: s.h[state], t: s.t } : best), { n: 0, t: 0 });
    const sent = peak('SYN_SENT');
    const recv = peak('SYN_RECEIVED');
    const all = samples.find((s) => (s.h.ESTABLISHED ?? 0) >= 2 * clients && (s.h.SYN_SENT ?? 0) === 0 && (s.h.SYN_RECEIVED ?? 0) === 0);
    return `SYN_SENT ≤${sent.n}${sent.n > 0 ? ` (${seconds(sent.t)})` : ''}, SYN_RECV ≤${recv.n}${recv.n > 0 ? ` (${seconds(recv.t)})` : ''}, all ${clients} connected by ${all === undefined ? 'never' : seconds(all.t)}`;
  };
  const kernel = describe(report.samples.map((s) => ({ t: s.t, h: s.kernel })));
  const free = describe(model.samples.filter((s) => s.t <= report.samples.at(-1).t).map((s) => ({ t: s.t, h: s.states })));
  const w = model.world;
  return `kernel ${kernel} | model ${free}, ${w.listenOverflows} overflows, ${w.syncookiesSent} cookies, ETIMEDOUT ${model.final.errors.ETIMEDOUT ?? 0}`;
}
