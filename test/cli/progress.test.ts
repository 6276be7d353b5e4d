/**
 * A long run reports progress on stderr whether or not stderr is a terminal (it used to report
 * only to a terminal): at most once a second, only after 2 s, never on stdout, never with
 * --quiet, without colour under NO_COLOR.
 */
import { describe, expect, it } from 'vitest';
import { progressOn } from '../../src/cli/progress.js';
import { tcpsim } from './tcpsim.js';


function fakeStream(isTTY: boolean): { written: string[]; stream: { isTTY: boolean; write: (text: string) => boolean } } {
  const written: string[] = [];
  return { written, stream: { isTTY, write: (text: string) => (written.push(text), true) } };
}

describe('progressOn', () => {
  it('says nothing for the first 2 s, then at most once a second: virtual time, events, rate', () => {
    const { written, stream } = fakeStream(false);
    let ms = 0;
    const progress = progressOn(stream, 'big', 35 * 60e6, () => ms, 2000);
    for (ms = 0; ms <= 5000; ms += 100) progress.tick(ms * 1000, ms * 10);
    progress.done();
    expect(written).toHaveLength(4);
    expect(written[0]).toBe('tcpsim: big — 0:02 of 35:00 virtual, 20,000 events, 10,000 events/s, 2 s\n');
    expect(written.every((line) => line.endsWith('\n') && !line.includes('\r'))).toBe(true);
  });

  it('on a terminal rewrites one line and clears it at the end; no colour under NO_COLOR', () => {
    const saved = process.env['NO_COLOR'];
    process.env['NO_COLOR'] = '1';
    try {
      const { written, stream } = fakeStream(true);
      let ms = 0;
      const progress = progressOn(stream, 'big', 60e6, () => ms, 2000);
      for (ms = 0; ms <= 3000; ms += 500) progress.tick(ms * 1000, ms);
      progress.done();
      expect(written[0]).toMatch(/^\r\u001b\[Ktcpsim: big — /);
      expect(written.join('')).not.toContain('\u001b[2m');
      expect(written.at(-1)).toBe('\r\u001b[K');
    } finally {
      if (saved === undefined) delete process.env['NO_COLOR'];
      else process.env['NO_COLOR'] = saved;
    }
  });
});

describe('tcpsim run', () => {
  const env = { TCPSIM_PROGRESS_AFTER_MS: '0' };

  it('reports progress on stderr when stderr is not a terminal, and never on stdout', () => {
    const out = tcpsim(['run', 'article-java-forgot-close', '--json'], { env });
    expect(out.code).toBe(0);
    expect(out.stderr).toMatch(/^tcpsim: article-java-forgot-close — \d+:\d\d of 35:00 virtual, [\d,]+ events, [\d,]+ events\/s, \d+ s$/m);
    expect(out.stdout).not.toContain('virtual');
    expect(() => JSON.parse(out.stdout) as unknown).not.toThrow();
  });

  it('never with --quiet', () => {
    const out = tcpsim(['run', 'article-java-forgot-close', '--quiet'], { env });
    expect(out.stderr).toBe('');
  });
});
