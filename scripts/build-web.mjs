/**
 * Builds what runs in a browser, from web/ (and the model it imports from src/), with rolldown:
 * - dist/web/report.js and report.css: the HTML report's script and style, which
 *   `tcpsim run --html` inlines into each report (src/report/html/);
 * - dist/teach/index.html: the teaching page, one self-contained file (`npm run site`; `tcpsim
 *   teach` serves it).
 * `--site` builds the page only. Nothing here fetches anything at run time: each output is inlined.
 */
import { build } from 'rolldown';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const siteOnly = process.argv.includes('--site');

/** One browser bundle of `entry` as a string: an IIFE, minified, ASCII only (inlined into HTML). */
async function bundle(entry) {
  const { output } = await build({
    input: join(root, entry),
    platform: 'browser',
    resolve: { extensionAlias: { '.js': ['.ts', '.js'] } },
    write: false,
    logLevel: 'silent',
    output: { format: 'iife', minify: true, charset: 'ascii' },
  });
  const chunk = output.find((o) => o.type === 'chunk');
  if (chunk === undefined) throw new Error(`build-web: no output for ${entry}`);
  return chunk.code;
}

/** `</script` inside an inlined script would end it early. */
function inlineSafe(code) {
  return code.replace(/<\/(script)/gi, '<\\/$1');
}

const uplotCss = readFileSync(join(root, 'node_modules/uplot/dist/uPlot.min.css'), 'utf8');
const ladderCss = readFileSync(join(root, 'web/common/ladder.css'), 'utf8');

if (!siteOnly) {
  mkdirSync(join(root, 'dist/web'), { recursive: true });
  writeFileSync(join(root, 'dist/web/report.js'), inlineSafe(await bundle('web/report/main.ts')));
  writeFileSync(join(root, 'dist/web/report.css'), `${uplotCss}\n${ladderCss}${readFileSync(join(root, 'web/report/report.css'), 'utf8')}`);
}

mkdirSync(join(root, 'dist/teach'), { recursive: true });
const teach = await bundle('web/teach/main.ts');
// the many-connections view's programs: the article's scenarios, loaded and resolved here (the loader reads files)
const { loadScenarioFile } = await import(join(root, 'dist/scenario/index.js'));
const scenarios = {};
for (const name of ['article-java-forgot-close', 'article-go-forgot-close', 'article-java-close']) {
  scenarios[name] = loadScenarioFile(join(root, 'scenarios', `${name}.yaml`));
}
const page = readFileSync(join(root, 'web/teach/index.html'), 'utf8')
  .replace('/*STYLE*/', () => ladderCss + readFileSync(join(root, 'web/teach/teach.css'), 'utf8'))
  .replace('/*SCENARIOS*/', () => JSON.stringify(scenarios).replace(/</g, '\\u003c'))
  .replace('/*SCRIPT*/', () => inlineSafe(teach));
writeFileSync(join(root, 'dist/teach/index.html'), page);
