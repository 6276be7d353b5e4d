/**
 * The HTML page of `tcpsim watch --html` in a real browser: built from a watch's samples, it loads
 * with no request but the file, draws both charts (the sockets by state, the fds against the
 * limit with the EMFILE line), and gets ready without a trace or an explorer. Needs Chromium;
 * skipped, saying so, without it, except in CI.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { watchHtml } from '../../src/watch/watchHtml.js';
import { LEAKING_WATCH } from '../watch/watchPageSamples.js';
import { chartInk, describeInChromium, launchChromium, openReport } from './chromium.js';

describeInChromium('the HTML page of a watch in Chromium', () => {
  let browser: Browser;
  const file = join(mkdtempSync(join(tmpdir(), 'tcpsim-watch-html-')), 'watch.html');
  beforeAll(async () => {
    writeFileSync(file, watchHtml(LEAKING_WATCH));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('draws both charts from the samples, with no request but the file and no error', async () => {
    const { page, requests, errors } = await openReport(browser, file);
    expect(requests).toEqual([pathToFileURL(file).href]);
    expect(errors).toEqual([]);
    const inked = await chartInk(page);
    expect(inked).toHaveLength(2);
    for (const n of inked) expect(n).toBeGreaterThan(1000);
    expect(await page.locator('#states-chart .u-legend').innerText()).toContain('CLOSE_WAIT');
    expect(await page.locator('#fds-chart .u-legend').innerText()).toContain('nofile node[4242]');
    await page.focus('#states-chart');
    await page.keyboard.press('End');
    expect(await page.locator('#chart-readout').innerText()).toBe('At 0:04: LISTEN 1, CLOSE_WAIT 16; node[4242] 20/20 fds.');
    await page.close();
  });
});
