/**
 * `tcpsim teach` as a user runs it: it prints one URL on 127.0.0.1, serves the built page there
 * (and only that page, only to GET and HEAD), opens nothing, and Ctrl-C (SIGINT) stops it with
 * status 0; a bad --port or a scenario argument is a usage error.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI, tcpsim } from './tcpsim.js';

/** Starts `tcpsim teach`, waits for its URL, and returns it with a way to send it a signal and await its exit. */
async function startTeach(): Promise<{ url: string; stop: (signal: NodeJS.Signals) => Promise<{ code: number | null; stdout: string; stderr: string }> }> {
  const child = spawn(process.execPath, [CLI, 'teach'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`tcpsim teach printed no URL: ${stdout}${stderr}`)), 30_000);
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      const found = /http:\/\/127\.0\.0\.1:\d+\//.exec(stdout);
      if (found !== null) {
        clearTimeout(timer);
        done(found[0]);
      }
    });
  });
  return {
    url,
    stop: async (signal) => {
      child.kill(signal);
      return { code: await exited, stdout, stderr };
    },
  };
}

describe('tcpsim teach', () => {
  it('serves the page on 127.0.0.1, that page only, and stops cleanly on Ctrl-C', async () => {
    const teach = await startTeach();
    try {
      const page = await fetch(teach.url);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const html = await page.text();
      expect(html).toContain('<h1>The TCP close, step by step</h1>');
      expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/); // everything inlined: the page fetches nothing
      expect((await fetch(`${teach.url}index.html`)).status).toBe(200);
      expect((await fetch(`${teach.url}../etc/passwd`)).status).toBe(404);
      expect((await fetch(`${teach.url}dist/teach/index.html`)).status).toBe(404);
      expect((await fetch(teach.url, { method: 'POST', body: 'x' })).status).toBe(405);
    } finally {
      const { code, stdout, stderr } = await teach.stop('SIGINT');
      expect(code).toBe(0);
      expect(stdout).toMatch(/^tcpsim teach: the teaching page is at http:\/\/127\.0\.0\.1:\d+\/ \(this machine only; Ctrl-C stops it\)\n$/);
      expect(stderr).toBe('');
    }
  });

  it('refuses a port out of range and a scenario argument, saying why', () => {
    const port = tcpsim(['teach', '--port', '70000']);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('--port: expected 0..65535, found "70000"');
    const file = tcpsim(['teach', 'article-java-forgot-close']);
    expect(file.code).toBe(2);
    expect(file.stderr).toContain('tcpsim teach takes no scenario');
  });
});
