/**
 * What Wireshark users see in the article's captures: `tcpsim run article-java-forgot-close
 * --pcap F` draws the server and the clients as two addresses in `tshark -z flow,tcp,standard`
 * (both run on 127.0.0.1 in the scenario), starts on 2025-01-01, and with the client run a
 * second time (`--param rerun=1000`) `tshark -z expert` lists the server's EMFILE. Needs tshark
 * (.ci/run installs it); skipped, saying so, without it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/runCommand.js';
import { captureStdout } from './captureStdout.js';
import { hasTool } from './hasTool.js';

const hasTshark = hasTool('tshark', ['--version']);
const dir = mkdtempSync(join(tmpdir(), 'tcpsim-article-pcap-'));

async function capture(name: string, args: string[]): Promise<string> {
  const file = join(dir, `${name}.pcapng`);
  await captureStdout(() => runCommand(['article-java-forgot-close', '--quiet', '--no-color', '--pcap', file, ...args]));
  return file;
}

function tshark(args: string[]): string {
  return execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
}

describe.skipIf(!hasTshark)(hasTshark ? 'the article in Wireshark' : 'the article in Wireshark (skipped: tshark not installed — apt-get install tshark, or run .ci/run)', () => {
  it('the flow graph has two columns: the server at 127.0.0.1, the clients at 127.0.0.2', async () => {
    const file = await capture('leak', []);
    const flow = tshark(['-r', file, '-q', '-z', 'flow,tcp,standard']);
    const header = flow.split('\n').slice(0, 2).join('\n');
    expect([...header.matchAll(/\d+\.\d+\.\d+\.\d+/g)].map((m) => m[0])).toEqual(['127.0.0.2', '127.0.0.1']);
    const first = tshark(['-r', file, '-c', '1', '-t', 'ud', '-T', 'fields', '-e', 'frame.time_epoch', '-e', 'ip.src', '-e', 'ip.dst']);
    expect(first.trim().split('\t')).toEqual(['1735689600.000000000', '127.0.0.2', '127.0.0.1']);
  });

  it('-z expert lists the EMFILE of the second run, from the server, in time order', async () => {
    const file = await capture('emfile', ['--param', 'rerun=1000', '--until', '20s']);
    const expert = tshark(['-r', file, '-q', '-z', 'expert']);
    expect(expert).toMatch(/Comment\s+Frame\s+server: accept\(\) failed: EMFILE \(Too many open files\)/);
    const note = tshark(['-r', file, '-Y', 'syslog', '-T', 'fields', '-e', 'frame.time_relative', '-e', 'ip.src', '-e', 'syslog.level', '-e', 'syslog.msg']);
    expect(note.trim().split('\t')).toEqual(['10.027180000', '127.0.0.1', '3', 'server: accept() failed: EMFILE (Too many open files)']);
  });
});
