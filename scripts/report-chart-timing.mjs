/**
 * How long the HTML report takes to draw its charts with many samples: writes the article's Java
 * leak sampled every second for three hours (10,801 samples) with --html, opens it in Debian's
 * headless Chromium (playwright-core, nothing downloaded) from the file, and measures, from the
 * start of navigation, when both chart canvases first have ink, and when the page says it is
 * ready (explorer too). A measurement, not a test: it prints the figures. Build first (npm run build).
 * Run: node scripts/report-chart-timing.mjs [runs, default 5]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 5);
const dir = mkdtempSync(join(tmpdir(), 'tcpsim-chart-timing-'));
const file = join(dir, 'report.html');
const args = ['run', 'article-java-forgot-close', '--every', '1s', '--until', '3h', '--quiet', '--html', file];
execFileSync(process.execPath, [join(root, 'dist/cli/main.js'), ...args], { stdio: 'ignore' });
const html = readFileSync(file, 'utf8');
const samples = (/"t":\[([^\]]*)\]/.exec(html)?.[1] ?? '').split(',').length;
const bytes = statSync(file).size;

/** In the page: the time since navigation start at which both chart canvases have ink, checked every frame. */
const INKED = `(() => {
  const canvases = [...document.querySelectorAll('.chart canvas')];
  if (canvases.length < 2) return false;
  const inked = canvases.every((c) => {
    if (c.width === 0 || c.height === 0) return false;
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) return true;
    return false;
  });
  return inked ? performance.now() : false;
})()`;

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
const drawn = [];
const ready = [];
try {
  for (let i = 0; i < runs; i++) {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'commit' });
    drawn.push(await (await page.waitForFunction(INKED, undefined, { polling: 'raf', timeout: 60_000 })).jsonValue());
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    ready.push(await page.evaluate('performance.now()'));
    await page.close();
  }
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`tcpsim ${args.join(' ').replace(file, 'report.html')}`);
console.log(`${samples.toLocaleString('en-US')} samples, ${bytes.toLocaleString('en-US')} bytes`);
console.log(`charts drawn: median ${Math.round(median(drawn))} ms after navigation start (${drawn.map(Math.round).join(', ')} ms)`);
// read after the wait returns, so an upper bound by one round trip
console.log(`page ready (explorer too): by median ${Math.round(median(ready))} ms (${ready.map(Math.round).join(', ')} ms)`);
