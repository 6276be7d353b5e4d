/**
 * A reader that goes away (`tcpsim … | head -1`) ends tcpsim quietly with 141, as `git log`
 * does: no stack trace, no "internal error" (which used to be a Node EPIPE trace and exit 1, or
 * exit 70 for `--pcap /dev/stdout`).
 */
import { describe, expect, it } from 'vitest';
import { tcpsimIntoClosedPipe } from './tcpsim.js';


describe('writing to a closed stdout', () => {
  it.each([
    ['run article-java-forgot-close --json'],
    ['run normal-close'],
    ['list'],
    ['trace normal-close'],
    ['trace normal-close --format json'],
    ['trace normal-close --format pcapng'],
    ['trace normal-close --format pcapng -o /dev/stdout'],
    ['diagram'],
    ['--help'],
    ['help run'],
  ])('tcpsim %s: exit 141, nothing on stderr', async (line) => {
    const out = await tcpsimIntoClosedPipe(line.split(' '));
    expect(out.stderr).toBe('');
    expect(out.code).toBe(141);
  });

  it.each(['-', '/dev/stdout'])('tcpsim run normal-close --pcap %s: the report goes to stderr, the capture to the closed stdout: exit 141, no trace', async (out) => {
    const outcome = await tcpsimIntoClosedPipe(['run', 'normal-close', '--pcap', out]);
    expect(outcome.stderr).toContain('Summary');
    expect(outcome.stderr).not.toMatch(/internal error|EPIPE|\n\s+at /);
    expect(outcome.code).toBe(141);
  });
});
