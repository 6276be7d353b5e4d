/**
 * `tcpsim watch --html`'s page from given samples: the report page of `run --html` carrying the
 * watched process's sockets by state and its fds against its limit, the EMFILE marker, watch's
 * own summary and diagnosis, and no connection explorer (a live process leaves no trace).
 */
import { describe, expect, it } from 'vitest';
import { watchHtml } from '../../src/watch/watchHtml.js';
import { LEAKING_WATCH, pageData } from './watchPageSamples.js';

describe('the HTML page of a watch', () => {
  const html = watchHtml(LEAKING_WATCH);
  const data = pageData(html);

  it('charts the watched process’s sockets by state at each sample (not its peers’)', () => {
    expect(data.t).toEqual([0, 1000, 2000, 3000, 4000]);
    expect(data.states).toEqual([
      { state: 'LISTEN', counts: [1, 1, 1, 1, 1] },
      { state: 'CLOSE_WAIT', counts: [0, 4, 8, 12, 16] },
    ]);
  });

  it('charts its fds against its RLIMIT_NOFILE and marks when it reached it', () => {
    expect(data.processes).toEqual([{ name: 'node[4242]', nofile: 20, fds: [4, 8, 12, 20, 20], closedFds: [0, 0, 0, 0, 0] }]);
    expect(data.markers).toEqual([{ t: 3000, label: 'node[4242]: fds at its limit, EMFILE at 0:03', kind: 'EMFILE' }]);
  });

  it('shows watch’s own summary, diagnosis and what it could not see', () => {
    expect(html).toContain('<dt>peak CLOSE_WAIT</dt><dd>16</dd>');
    expect(html).toMatch(/<section id="diagnosis"[^]*<li>node\[4242\] does not close connections its peers have closed/);
    expect(html).toMatch(/<section id="not-seen"[^]*<li>the fds of processes of other users<\/li>/);
    expect(html).toContain('<title>node[4242] (node server.mjs leaky 8080) — tcpsim report</title>');
    expect(html).toContain('sampled every 0:01 for 0:04');
  });

  it('has no connection explorer and no trace, and says why', () => {
    expect(html).toContain('Not available for a watched process');
    expect(html).not.toContain('id="tcpsim-trace"');
    expect(html).not.toContain('id="rfc-table"');
    expect(data.connections).toBe(0);
  });

  it('is the self-contained page of run --html: no fetch allowed, the same script', () => {
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).toContain('id="states-chart"');
    expect(html).toContain('id="fds-chart"');
  });
});
