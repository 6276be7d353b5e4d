#!/usr/bin/env node
/**
 * Byte identity of the command line's output across an engine change (issue 13): every shipped
 * scenario (scenarios/*.yaml, scenarios/real/*.yaml) under several seeds, as `run` text and
 * `--json`, and as `trace` in every format (RFC table with times, mermaid, json, pcapng), plus a
 * few runs at other profiles and sizes. Runs the built bundle (npm run build first).
 *
 *   node scripts/byteIdentity.mjs capture DIR   # write every output (stdout, stderr, exit code) under DIR
 *   node scripts/byteIdentity.mjs compare DIR   # run again and list every output that differs from DIR
 *
 * Capture on the commit before the change, compare after each step. Two commands run at a time.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist/bundle/tcpsim.js');
const [mode, dir] = process.argv.slice(2);
if ((mode !== 'capture' && mode !== 'compare') || !dir) {
  process.stderr.write('usage: byteIdentity.mjs capture|compare DIR\n');
  process.exit(2);
}

const scenarioFiles = [
  ...readdirSync(join(ROOT, 'scenarios')).filter((f) => f.endsWith('.yaml')).map((f) => join('scenarios', f)),
  ...readdirSync(join(ROOT, 'scenarios/real')).filter((f) => f.endsWith('.yaml')).map((f) => join('scenarios/real', f)),
].sort();

/** [case name, argv] for every output compared. */
const cases = [];
for (const file of scenarioFiles) {
  const name = basename(file, '.yaml') + (file.includes('/real/') ? '.real' : '');
  for (const seed of ['default', '2', '4242']) {
    const seedArgs = seed === 'default' ? [] : ['--seed', seed];
    cases.push([`${name}.s${seed}.run.txt`, ['run', file, '--no-color', ...seedArgs]]);
    cases.push([`${name}.s${seed}.run.json`, ['run', file, '--json', ...seedArgs]]);
    cases.push([`${name}.s${seed}.trace.rfc`, ['trace', file, '--time', ...seedArgs]]);
    cases.push([`${name}.s${seed}.trace.mermaid`, ['trace', file, '--format', 'mermaid', ...seedArgs]]);
    cases.push([`${name}.s${seed}.trace.json`, ['trace', file, '--format', 'json', ...seedArgs]]);
    cases.push([`${name}.s${seed}.trace.pcapng`, ['trace', file, '--format', 'pcapng', ...seedArgs]]);
  }
  cases.push([`${name}.rfc9293.run.json`, ['run', file, '--json', '--profile', 'rfc9293']]);
  cases.push([`${name}.conn1.trace.rfc`, ['trace', file, '--conn', '1', '--absolute']]);
}
cases.push(['bench-lifecycle.20000.run.json', ['run', 'bench-lifecycle', '--json', '--param', 'connections=20000']]);
cases.push(['emfile.big.run.txt', ['run', 'emfile', '--no-color', '--param', 'clients=3000', '--param', 'nofile=512']]);
cases.push(['java-forgot.nofile.run.json', ['run', 'article-java-forgot-close', '--json', '--param', 'nofile=70000', '--param', 'clients=30000', '--allow-large']]);

function runCase(argv) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...argv], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', TCPSIM_PROGRESS_AFTER_MS: '1e12' } });
    const out = [];
    const err = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    child.on('close', (code) => resolve({ stdout: Buffer.concat(out), stderr: Buffer.concat(err), code }));
  });
}

mkdirSync(dir, { recursive: true });
const differing = [];
let next = 0;
async function worker() {
  while (next < cases.length) {
    const [name, argv] = cases[next++];
    const r = await runCase(argv);
    const parts = { out: r.stdout, err: r.stderr, code: Buffer.from(`${r.code}\n`) };
    for (const [ext, bytes] of Object.entries(parts)) {
      const path = join(dir, `${name}.${ext}`);
      if (mode === 'capture') writeFileSync(path, bytes);
      else if (!existsSync(path) || !readFileSync(path).equals(bytes)) differing.push(`${name}.${ext}  (tcpsim ${argv.join(' ')})`);
    }
  }
}
await Promise.all([worker(), worker()]);
if (mode === 'capture') process.stdout.write(`captured ${cases.length} cases (${cases.length * 3} files) in ${dir}\n`);
else if (differing.length === 0) process.stdout.write(`byte-identical: all ${cases.length} cases (stdout, stderr, exit code) match ${dir}\n`);
else {
  process.stdout.write(`${differing.length} outputs differ from ${dir}:\n${differing.sort().map((d) => `  ${d}`).join('\n')}\n`);
  process.exit(1);
}
