// bench/console.mjs - how fast the officials' console feels on a county's network (issue 19):
// Debian's chromium, throttled through the DevTools protocol to 10 Mbit/s with 50 ms round
// trips, loads the home page, the compliance matrix and the ledger list as the office on the
// demo's 2021-2025 history, first with an empty cache and then with a warm one. The reference in
// the same run is the same console with compression refused (Accept-Encoding: identity), i.e.
// what the pages cost before gzip and revalidation. Reports the time until each page shows its
// content and the bytes on the wire, and writes the table into docs/performance.md.
// Usage: node bench/console.mjs BASE_URL (bench/console starts the server). Never fails on speed.
import { chromium } from '../tests/node_modules/playwright-core/index.mjs';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';

const BASE = process.argv[2];
const PASSWORD = 'Ecoact-Demo-2025';
const NET = { offline: false, latency: 50, downloadThroughput: 10e6 / 8, uploadThroughput: 10e6 / 8 };
const PAGES = [
  { name: '首页 (home)', path: '/', shown: '[data-testid="heat-legend"] li' },
  { name: '合规矩阵 (matrix)', path: '/compliance', shown: 'button.light-cell' },
  { name: '台账列表 (ledger)', path: '/reports', shown: '.el-table__row' },
];
const ROUNDS = Number(process.env.BENCH_ROUNDS || 3);

/** One page load: ms until the content selector is visible, bytes received until then. */
async function load(page, cdp, p) {
  let bytes = 0;
  const count = e => { bytes += e.encodedDataLength; };
  cdp.on('Network.loadingFinished', count);
  const t0 = performance.now();
  await page.goto(BASE + p.path, { waitUntil: 'commit' });
  await page.locator(p.shown).first().waitFor({ state: 'visible', timeout: 60000 });
  const ms = performance.now() - t0;
  cdp.off('Network.loadingFinished', count);
  return { ms, bytes };
}

/** Cold (cache cleared) and warm loads of every page in one mode; medians over ROUNDS. */
async function measure(browser, identity) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', NET);
  if (identity) await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': 'identity' } });
  const login = await context.request.post(`${BASE}/api/v1/session`, {
    data: { username: 'demo.office', password: PASSWORD }, headers: { Origin: BASE },
  });
  if (!login.ok()) throw new Error(`login: ${login.status()} ${await login.text()}`);
  const out = [];
  for (const p of PAGES) {
    const cold = [], warm = [];
    for (let i = 0; i < ROUNDS; i++) {
      await cdp.send('Network.clearBrowserCache');
      cold.push(await load(page, cdp, p));
      warm.push(await load(page, cdp, p));
    }
    out.push({ page: p, cold: median(cold), warm: median(warm) });
  }
  await context.close();
  return out;
}

function median(runs) {
  const by = k => runs.map(r => r[k]).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
  return { ms: by('ms'), bytes: by('bytes') };
}

const kb = b => (b / 1024).toFixed(0);
const ratio = (a, b) => (b > 0 ? (a / b).toFixed(2) : '-');

const browser = await chromium.launch({
  executablePath: process.env.ECOACT_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let gz, plain;
try {
  plain = await measure(browser, true);
  gz = await measure(browser, false);
} finally {
  await browser.close();
}

const rows = gz.map((g, i) => {
  const p = plain[i];
  return `| ${g.page.name} | ${g.cold.ms.toFixed(0)} ms, ${kb(g.cold.bytes)} KB | ${p.cold.ms.toFixed(0)} ms, ${kb(p.cold.bytes)} KB | ${ratio(g.cold.ms, p.cold.ms)} / ${ratio(g.cold.bytes, p.cold.bytes)} | ${g.warm.ms.toFixed(0)} ms, ${kb(g.warm.bytes)} KB | ${p.warm.ms.toFixed(0)} ms, ${kb(p.warm.bytes)} KB | ${ratio(g.warm.ms, p.warm.ms)} / ${ratio(g.warm.bytes, p.warm.bytes)} |`;
});
const matrix = gz[1].cold.ms;
const table = [
  '| page | cold, gzip | cold, reference (identity) | ratio time / bytes | warm, gzip | warm, reference | ratio time / bytes |',
  '|---|---|---|---|---|---|---|',
  ...rows,
].join('\n');
console.log(table);
console.log(`matrix page cold: ${matrix.toFixed(0)} ms (goal ≤ 1500 ms)`);

const doc = 'docs/performance.md';
const section = `<!-- bench:console:start -->
### The console on a county's network (bench/console, ${new Date().toISOString().slice(0, 10)})
Debian's chromium ${browserVersion()}, throttled by the DevTools protocol to 10 Mbit/s down and up
with 50 ms latency, as demo.office on the demo's 2021-2025 history (release build, SQLite). Time is
from navigation to the page's content shown (the heat map's legend, the first light of the matrix,
the first ledger row); bytes are what came over the wire until then. Cold: the browser cache
cleared; warm: the same page again (hashed assets from the cache, the matrix revalidated by its
ETag). The reference is the same run with compression refused (Accept-Encoding: identity).
Medians of ${ROUNDS}. Goal: the matrix page within 1.5 s cold (now ${(matrix / 1000).toFixed(2)} s).

${table}
<!-- bench:console:end -->`;
let text = existsSync(doc) ? readFileSync(doc, 'utf8') : '# Performance\n\n';
if (text.includes('<!-- bench:console:start -->'))
  text = text.replace(/<!-- bench:console:start -->[\s\S]*<!-- bench:console:end -->/, section);
else text = `${text.trimEnd()}\n\n${section}\n`;
writeFileSync(doc, text);
console.log(`written to ${doc}`);

function browserVersion() {
  return browser.version();
}
