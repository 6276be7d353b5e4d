/**
 * The HTML report in a real browser: `tcpsim run article-java-forgot-close --html F` loads in
 * Chromium from a file with no request but the file itself, draws both charts (canvases with
 * lines on them, the EMFILE line when there is one), shows the summary, and its explorer opens
 * on the first leaked connection with an RFC table and a ladder that end in CLOSE-WAIT, then
 * follows a choice of connection. Needs Chromium (.ci/run installs it); skipped, saying so,
 * without it, except in CI, where its absence fails.
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/runCommand.js';
import { captureStdout } from '../report/captureStdout.js';
import { chartInk, describeInChromium, launchChromium, openReport } from './chromium.js';

const dir = mkdtempSync(join(tmpdir(), 'tcpsim-html-'));

async function report(name: string, args: string[]): Promise<string> {
  const file = join(dir, `${name}.html`);
  const { code } = await captureStdout(() => runCommand(['article-java-forgot-close', '--quiet', '--no-color', '--html', file, ...args]));
  expect([0, 1]).toContain(code);
  return file;
}

describeInChromium('the HTML report in Chromium', () => {
  let browser: Browser;
  let leak: string;
  beforeAll(async () => {
    browser = await launchChromium();
    leak = await report('leak', []);
  });
  afterAll(async () => {
    await browser?.close();
  });

  const open = (file: string, width = 1100): ReturnType<typeof openReport> => openReport(browser, file, width);

  it('is one file under 1 MB, the same bytes for the same run', async () => {
    expect(statSync(leak).size).toBeLessThan(1_000_000);
    expect(readFileSync(await report('again', [])).equals(readFileSync(leak))).toBe(true);
  });

  it('loads with no request but the file, and draws both charts with data', async () => {
    const { page, requests, errors } = await open(leak);
    expect(requests).toEqual([pathToFileURL(leak).href]);
    expect(errors).toEqual([]);
    // each chart is a canvas with ink on it: count non-blank pixels in its plotting area
    const inked = await chartInk(page);
    expect(inked).toHaveLength(2);
    for (const n of inked) expect(n).toBeGreaterThan(1000);
    // the legend names the states the run had, and the fds against the limit
    const legend = await page.locator('#states-chart .u-legend').innerText();
    for (const state of ['LISTEN', 'ESTABLISHED', 'FIN_WAIT_2', 'CLOSE_WAIT']) expect(legend).toContain(state);
    expect(await page.locator('#fds-chart .u-legend').innerText()).toContain('nofile server');
    await page.close();
  });

  it('reads a sample out with the keyboard: the End key gives the last one, CLOSE_WAIT 1000', async () => {
    const { page } = await open(leak);
    await page.focus('#states-chart');
    await page.keyboard.press('End');
    expect(await page.locator('#chart-readout').innerText()).toBe(
      'At 35:00: LISTEN 1, SYN_SENT 0, ESTABLISHED 0, FIN_WAIT_1 0, FIN_WAIT_2 0, CLOSE_WAIT 1000; server 1006/1024 fds, client 5/1024 fds.',
    );
    await page.close();
  });

  it('shows the summary, diagnosis and expectations of the text report', async () => {
    const { page } = await open(leak);
    expect(await page.locator('#summary').innerText()).toContain('1000 (first at 0:30)');
    expect(await page.locator('#diagnosis li').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('#expectations li.pass').count()).toBe(3);
    await page.close();
  });

  it('opens the explorer on the first leaked connection, its server still in CLOSE-WAIT at 35:00', async () => {
    const { page } = await open(leak);
    expect(await page.evaluate<string>('document.body.dataset.shownConn')).toBe('0');
    expect(await page.locator('#story option:checked').innerText()).toMatch(/^leaked · connection 0 and 999 more$/);
    const table = await page.locator('#rfc-table').innerText();
    expect(table).toContain('<CTL=FIN,ACK>');
    expect(table).toContain('CLOSE-WAIT');
    const ladder = page.locator('#ladder svg');
    expect(await ladder.locator('text', { hasText: 'CLOSE-WAIT at the end' }).count()).toBe(1);
    expect(await ladder.locator('text', { hasText: 'later' }).first().textContent()).toMatch(/^⋯ 3 s later ⋯$/);
    // another connection, typed in
    await page.fill('#conn', '17');
    await page.dispatchEvent('#conn', 'change');
    expect(await page.evaluate<string>('document.body.dataset.shownConn')).toBe('17');
    expect(await page.locator('#ladder svg').getAttribute('aria-label')).toContain('Sequence diagram of connection 17');
    await page.close();
  });

  it('marks the first EMFILE on the charts when the client runs twice', async () => {
    const file = await report('emfile', ['--param', 'rerun=1000', '--until', '3m']);
    expect(statSync(file).size).toBeLessThan(1_000_000);
    const { page } = await open(file);
    const data = JSON.parse(await page.locator('#tcpsim-data').innerText()) as { markers: { label: string }[] };
    expect(data.markers.map((m) => m.label)).toEqual(['server: accept() EMFILE at 0:10.027']);
    await page.close();
  });

  it('is readable at 360 px: nothing but the charts, ladder and tables scrolls sideways', async () => {
    const { page } = await open(leak, 360);
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();
  });
});
