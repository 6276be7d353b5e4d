/**
 * Debian's Chromium (/usr/bin/chromium, `apt-get install chromium`; .ci/run installs it) driven by
 * playwright-core, which downloads nothing. Headless, with the flags that keep it off the
 * network (no background networking, component updates, sync or QUIC), in a fresh profile.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
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
