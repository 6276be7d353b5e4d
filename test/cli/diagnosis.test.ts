/**
 * The diagnosis speaks of the article only in the article's scenarios (its name starts with
 * `article-`), and counts agree with their nouns and verbs ("1 remains", not "1 remain").
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tcpsim } from './tcpsim.js';


describe('the article in the diagnosis', () => {
  it('the article’s scenario explains the article’s netstat', () => {
    expect(tcpsim(['run', 'article-java-forgot-close', '--quiet']).stdout).toContain("That is why the article's netstat shows CLOSE_WAIT but no FIN_WAIT2.");
  });

  it('a user’s scenario with the same leak does not mention the article', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tcpsim-diagnosis-'));
    const path = join(dir, 'my-leak.yaml');
    writeFileSync(path, readFileSync('scenarios/article-java-forgot-close.yaml', 'utf8').replace(/^name: .*$/m, 'name: my-leak').replace(/^description: .*$/m, 'description: my server forgets close()'));
    const out = tcpsim(['run', path, '--quiet']);
    expect(out.stdout).toContain('FIN_WAIT_2 sockets (peak 1000) expired');
    expect(out.stdout).not.toContain('article');
  });
});

describe('plurals', () => {
  it('one TIME_WAIT socket left: "1 remains"', () => {
    const out = tcpsim(['run', 'normal-close', '--until', '30s', '--quiet']);
    expect(out.stdout).toContain('; 1 remains at the end.');
  });

  it('one socket in CLOSE_WAIT: "1 socket sits"', () => {
    const out = tcpsim(['run', 'article-java-forgot-close', '--param', 'clients=1', '--quiet']);
    expect(out.stdout).toContain('1 socket sits in CLOSE_WAIT — the peer sent FIN');
    expect(out.stdout).toContain('for 1 accepted connection.');
  });
});
