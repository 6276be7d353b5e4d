/**
 * The teaching page's two pictures for docs/ (docs/teach-close-wait.png, docs/teach-emfile.png),
 * taken with Debian's headless Chromium from the built page (npm run site first): the normal close
 * stepped to the server's CLOSE-WAIT, and the many-connections view at the article's EMFILE.
 * Run: node scripts/teach-screenshots.mjs
 */
import { chromium } from 'playwright-core';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(pathToFileURL(join(root, 'dist/teach/index.html')).href);
  await page.waitForSelector('body[data-ready="true"]');
  // the normal close, forward until the server is in CLOSE-WAIT
  for (let i = 0; i < 60 && (await page.locator('[data-endpoint="server"] .state').innerText()) !== 'CLOSE-WAIT'; i++) await page.click('#forward');
  const top = await page.locator('.endpoints').boundingBox();
  const bottom = await page.locator('.panes').boundingBox();
  if (top === null || bottom === null) throw new Error('teach-screenshots: the lesson is not laid out');
  await page.screenshot({ path: join(root, 'docs/teach-close-wait.png'), clip: { x: 0, y: top.y - 8, width: 1280, height: Math.min(bottom.y + 560, bottom.y + bottom.height) - top.y + 8 }, fullPage: true });
  // many connections: the article's server at 0:30, past its EMFILE at 0:10.027
  await page.evaluate(`(() => { const s = document.getElementById('many-time'); s.value = '30'; s.dispatchEvent(new Event('input')); })()`);
  await page.locator('#many').screenshot({ path: join(root, 'docs/teach-emfile.png') });
} finally {
  await browser.close();
}
