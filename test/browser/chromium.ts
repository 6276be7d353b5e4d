/**
 * Debian's Chromium (/usr/bin/chromium, `apt-get install chromium`; .ci/run installs it) driven by
 * playwright-core, which downloads nothing. Headless, with the flags that keep it off the
 * network (no background networking, component updates, sync or QUIC), in a fresh profile.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';

/** Where Chromium is, when it is installed. */
export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

/** Why the browser tests cannot run here, or undefined when they can. */
export const browserMissing = CHROMIUM === undefined ? 'Chromium not installed — apt-get install chromium, or run .ci/run' : undefined;

/** Flags that keep a headless Chromium quiet on a closed network. */
export const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A headless Chromium in a fresh profile (playwright gives each launch its own --user-data-dir). */
export async function launchChromium(): Promise<Browser> {
  if (CHROMIUM === undefined) throw new Error(browserMissing);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}

/**
 * `describe` for tests that need Chromium: skipped, with the reason in its name, where Chromium
 * is missing — except in CI (CI=true), where a missing Chromium is a failing test.
 */
export function describeInChromium(name: string, body: () => void): void {
  it.runIf(process.env['CI'] === 'true')(`${name}: Chromium is installed in CI`, () => {
    expect(browserMissing).toBeUndefined();
  });
  describe.skipIf(browserMissing !== undefined)(browserMissing === undefined ? name : `${name} (skipped: ${browserMissing})`, body);
}

/** A report page opened from its file, once its script says it is ready, with what it requested and any error it logged. */
export async function openReport(browser: Browser, file: string, width = 1100): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });
  return { page, requests, errors };
}

/** The ink on each of a report's chart canvases: how many of its pixels are not blank. */
export function chartInk(page: Page): Promise<number[]> {
  return page.evaluate<number[]>(`[...document.querySelectorAll('.chart canvas')].map((c) => {
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return n;
  })`);
}
