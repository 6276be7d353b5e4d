/**
 * The teaching page in a real browser, served by `tcpsim teach`'s server on 127.0.0.1: clicking
 * through the normal close, and through the close whose final ACK the student drops, shows at
 * every step the states the model's own trace gives (the same lesson run here in Node, its state
 * changes folded up to the step's event); the keyboard steps too; the many-connections view
 * reaches EMFILE at the fd limit; nothing is fetched but the page; 360 px wide reads without
 * sideways scrolling. Needs Chromium (.ci/run installs it); skipped, saying so, without it,
 * except in CI, where its absence fails.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RFC_SPELLING, type TcpState } from '../../src/model/states.js';
import { startTeachServer, teachPage, type TeachServer } from '../../src/site/teachServer.js';
import type { Trace } from '../../src/sim/trace.js';
import { runLesson, type Intervention } from '../../web/teach/lesson.js';
import { describeInChromium, launchChromium } from './chromium.js';

/** The states of client and server after trace event `index`, folded from the trace's state changes. */
function statesAfter(trace: Trace, index: number): { client: string; server: string } {
  const role = new Map(trace.sockets.map((s) => [s.id, s.role]));
  const now: Record<string, TcpState | undefined> = {};
  for (const e of trace.events.slice(0, index + 1)) if (e.kind === 'state') now[role.get(e.socket) ?? ''] = e.to;
  const show = (s: TcpState | undefined): string => (s === undefined ? '—' : RFC_SPELLING[s]);
  return { client: show(now['client']), server: show(now['server']) };
}

describeInChromium('the teaching page in Chromium', () => {
  let browser: Browser;
  let server: TeachServer;
  beforeAll(async () => {
    const page = teachPage();
    if (page === undefined) throw new Error('dist/teach/index.html is missing: npm run build');
    server = await startTeachServer(page, 0);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(width = 1200): Promise<{ page: Page; requests: string[]; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });
    return { page, requests, errors };
  }

  /** Clicks forward through every step, checking both ends' states against the trace. */
  async function clickThrough(page: Page, trace: Trace): Promise<string[]> {
    const count = Number((await page.locator('#step-count').innerText()).replace(/^step \d+ of /, ''));
    const seen: string[] = [];
    for (let i = 0; i < count; i++) {
      if (i > 0) await page.click('#forward');
      expect(await page.evaluate<string>('document.body.dataset.step')).toBe(String(i));
      const index = Number(await page.evaluate<string>('document.body.dataset.eventIndex'));
      const client = await page.locator('[data-endpoint="client"] .state').innerText();
      const server = await page.locator('[data-endpoint="server"] .state').innerText();
      expect({ client, server }, `step ${i + 1}: ${await page.locator('#step-text').innerText()}`).toEqual(statesAfter(trace, index));
      // the diagram marks the same states
      const marked = await page.locator('.figure5 .state.current text').allTextContents();
      for (const s of [client, server]) if (s !== '—') expect(marked).toContain(s);
      seen.push(`${client}/${server}`);
    }
    return seen;
  }

  it('normal close: every step shows the states of the model\'s trace, ending CLOSED/CLOSED through TIME-WAIT', async () => {
    const { page, requests, errors } = await open();
    const run = runLesson({ profile: 'linux', close: 'normal', interventions: new Map() });
    const seen = await clickThrough(page, run.trace);
    expect(seen).toContain('TIME-WAIT/CLOSED');
    expect(seen.at(-1)).toBe('CLOSED/CLOSED');
    expect(requests).toEqual([server.url]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the dropped final ACK: the server stays in LAST-ACK, retransmits its FIN, and the client in TIME-WAIT answers', async () => {
    const { page } = await open();
    const rows = await page.locator('#segments tbody tr').count();
    await page.selectOption(`#segments tr[data-segment="${rows}"] select`, 'drop');
    await page.locator('body[data-runs="2"]').waitFor();
    const run = runLesson({ profile: 'linux', close: 'normal', interventions: new Map<number, Intervention>([[rows, { kind: 'drop' }]]) });
    const seen = await clickThrough(page, run.trace);
    expect(seen).toContain('TIME-WAIT/LAST-ACK');
    const texts: string[] = [];
    await page.click('#first');
    for (let i = 0; i < seen.length; i++) {
      texts.push(await page.locator('#step-text').innerText());
      await page.click('#forward');
    }
    expect(texts.some((t) => new RegExp(`segment ${rows} is lost`).test(t))).toBe(true);
    expect(texts.some((t) => /server sends segment \d+: FIN,ACK \(a retransmission\)/.test(t))).toBe(true);
    await page.close();
  });

  it('steps with the keyboard: Tab to the forward button and Enter, or the arrow keys', async () => {
    const { page } = await open();
    await page.focus('#forward');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Space');
    expect(await page.evaluate<string>('document.body.dataset.step')).toBe('2');
    await page.focus('#step-text');
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate<string>('document.body.dataset.step')).toBe('3');
    await page.keyboard.press('ArrowLeft');
    expect(await page.evaluate<string>('document.body.dataset.step')).toBe('2');
    await page.close();
  });

  it('switching to rfc9293 runs the model again: TIME-WAIT lasts 2 MSL', async () => {
    const { page } = await open();
    await page.check('input[name="profile"][value="rfc9293"]');
    await page.locator('body[data-runs="2"]').waitFor();
    expect(await page.locator('#ladder svg').textContent()).toContain('240 s later');
    await page.close();
  });

  it('many connections: the article\'s server reaches its fd limit and EMFILE; fewer clients do not', async () => {
    const { page } = await open();
    await page.evaluate(`(() => { const s = document.getElementById('many-time'); s.value = '30'; s.dispatchEvent(new Event('input')); })()`);
    expect(await page.locator('#emfile-text').innerText()).toBe('EMFILE at 0:10.027: accept() failed, the fd table is full.');
    expect(await page.locator('#fd-text').innerText()).toMatch(/^1024 of 1024 fds open/);
    expect(await page.locator('#histogram [data-state="CLOSE_WAIT"] .count').textContent()).toBe('1000');
    await page.fill('#clients', '100'); // a range: fill sets it and fires input and change
    await page.locator('body[data-many-runs="2"]').waitFor();
    expect(await page.locator('#emfile-text').innerText()).toBe('No EMFILE in this run.');
    await page.close();
  });

  it('is readable at 360 px: the page itself does not scroll sideways', async () => {
    const { page } = await open(360);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBeLessThanOrEqual(0);
    await page.close();
  });
});
