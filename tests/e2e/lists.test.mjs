// lists.test.mjs - issue 19 §6 and §8 in the browser, as the officials did it: the office opens
// 台账审核 with 30 older reports waiting, sees 共 N 条, searches the title of a report filed today
// and finds it on page 1; selects two reports (one it filed itself) and 批量通过 them: one
// confirmation with the count, then a summary saying one was accepted and why the other was not;
// on a phone (390 px) the queue is cards, not a table; on a 督办单 打印 opens the printable document
// with its 文号 and PDF downloads a real PDF.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startConsole, uiLogin, shot, PHONE } from './lib.mjs';

let env, office, yz;
const TMP = mkdtempSync(join(tmpdir(), 'ecoact-e2e-lists-'));
const TODAY_TITLE = '渝中区生态文明进社区宣讲会（今日报送）';
const OWN_TITLE = '办公室代报：渝中区生态环境日活动';
const file = (c, title, extra = {}) => c.post('/api/v1/reports', { kind: 'press_conference', activity_date: '2025-11-20', title, tasks: [17], ...extra });

before(async () => {
  env = await startConsole('lists');
  [office, yz] = await Promise.all(['demo.office', 'demo.yuzhong'].map(u => env.srv.login(u)));
  for (let i = 0; i < 30; i++) assert.equal((await file(yz, `渝中区第${i + 1}次生态文明宣讲`, { activity_date: `2025-${String(1 + (i % 10)).padStart(2, '0')}-10` })).status, 201);
  assert.equal((await file(office, OWN_TITLE, { unit: '500103' })).status, 201);
  assert.equal((await file(yz, TODAY_TITLE)).status, 201);
});
after(async () => { await env?.close(); });

test('台账审核: the total, a search that finds today\'s report on page 1, batch accept with a summary per report', async () => {
  const page = await env.page();
  await uiLogin(page, env.base, 'demo.office');
  await page.getByRole('heading', { name: '你好，王晓燕' }).waitFor();
  await page.getByRole('link', { name: '台账审核' }).first().click();
  const table = page.getByTestId('review-table');
  await table.locator('tbody tr').first().waitFor();
  assert.match(await page.getByTestId('list-total').innerText(), /共 32 条/);
  assert.match(await table.locator('tbody tr').first().innerText(), /今日报送/, 'newest first: today\'s report heads the queue');
  await page.getByLabel('关键词').fill('今日报送');
  await page.getByRole('button', { name: '查询' }).click();
  await page.getByTestId('list-total').getByText('共 1 条').waitFor();
  assert.match(await table.locator('tbody tr').first().innerText(), new RegExp(TODAY_TITLE.replace(/[()（）]/g, '.')));
  await shot(page, 'review-search-1366');

  // batch: today's report and the one the office filed itself
  await page.getByLabel('关键词').fill('渝中区');
  await page.getByRole('button', { name: '查询' }).click();
  await page.getByTestId('list-total').getByText('共 32 条').waitFor();
  for (const t of [TODAY_TITLE, OWN_TITLE]) await table.locator('tbody tr').filter({ hasText: t }).locator('.el-checkbox').click();
  const bar = page.getByTestId('batch-bar');
  assert.match(await bar.innerText(), /已选 2 份/);
  await bar.getByRole('button', { name: '批量通过' }).click();
  const confirm = page.getByRole('dialog', { name: '批量通过' });
  await confirm.getByText(/确定通过选中的 2 份报送/).waitFor();
  await confirm.getByRole('button', { name: '通过 2 份' }).click();
  const summary = page.getByRole('dialog', { name: '批量审核结果' });
  await summary.getByText(/共 2 份：已通过 1 份，未处理 1 份/).waitFor();
  const text = await summary.innerText();
  assert.match(text, /四眼原则/, 'why the office may not accept its own report');
  assert.match(text, /各自在一个事务/);
  await shot(page, 'review-batch-summary-1366', { fullPage: false });
  await summary.getByRole('button', { name: '知道了' }).click();
  await page.getByTestId('list-total').getByText('共 31 条').waitFor();
  assert.equal((await office.get('/api/v1/reports?q=' + encodeURIComponent('今日报送'))).json.items[0].status, 'accepted');
  await page.done();
});

test('台账审核 at 390 px: cards with a checkbox and 通过/退回, no table', async () => {
  const page = await env.page(PHONE);
  await uiLogin(page, env.base, 'demo.office2');
  await page.getByRole('heading', { name: /你好/ }).waitFor();
  await page.goto(env.base + '/reports/review');
  const cards = page.getByTestId('review-cards');
  await cards.locator('li').first().waitFor();
  assert.equal(await page.getByTestId('review-table').count(), 0);
  const first = cards.locator('li').first();
  assert.match(await first.innerText(), /通过[\s\S]*退回/);
  const box = await first.boundingBox();
  assert.ok(box.width <= 390, `a card fits the phone (${box.width}px)`);
  await first.locator('.el-checkbox').click();
  await page.getByTestId('batch-bar').getByText('已选 1 份').waitFor();
  await shot(page, 'review-cards-390');
  await page.done();
});

test('a 督办单 prints: 打印 opens the document with its 文号, PDF downloads a real PDF', async () => {
  const n = await office.post('/api/v1/notices', { unit: '500103', task: 17, title: '关于加快落实区县新闻发布会制度的督办',
    requirements: '请按季度召开新闻发布会。', deadline: new Date(Date.now() + 8 * 3600e3 + 10 * 86400e3).toISOString().slice(0, 10), issue: true });
  assert.equal(n.status, 201, n.text);
  const page = await env.page();
  await uiLogin(page, env.base, 'demo.yuzhong');
  await page.getByRole('heading', { name: '你好，周填报' }).waitFor();
  await page.goto(env.base + `/notices/${n.json.id}`);
  await page.getByTestId('notice-title').waitFor();
  const print = page.getByTestId('print-html');
  assert.equal(await print.getAttribute('target'), '_blank');
  const [tab] = await Promise.all([page.context().waitForEvent('page'), print.click()]);
  await tab.waitForLoadState();
  const body = await tab.locator('body').innerText();
  assert.ok(body.includes(n.json.doc_no), body.slice(0, 200));
  assert.match(body, /督办要求/);
  await tab.close();
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('print-pdf').click()]);
  assert.match(dl.suggestedFilename(), /^督办单_.*\.pdf$/);
  const f = join(TMP, 'notice.pdf');
  await dl.saveAs(f);
  assert.equal(readFileSync(f).subarray(0, 5).toString(), '%PDF-');
  await page.done();
});

test('a ledger report prints: 打印 on the report page opens it with its evidence list', async () => {
  const r = await file(yz, '渝中区生态文明宣传周活动（打印）', { summary: '组织社区居民参加生态文明宣传周。' });
  assert.equal(r.status, 201, r.text);
  const page = await env.page();
  await uiLogin(page, env.base, 'demo.yuzhong');
  await page.getByRole('heading', { name: '你好，周填报' }).waitFor();
  await page.goto(env.base + `/reports/${r.json.id}`);
  await page.getByTestId('report-title').waitFor();
  const [tab] = await Promise.all([page.context().waitForEvent('page'), page.getByTestId('print-html').click()]);
  await tab.waitForLoadState();
  const body = await tab.locator('body').innerText();
  assert.match(body, /渝中区生态文明宣传周活动（打印）/);
  assert.match(body, /佐证材料/);
  assert.match(body, new RegExp(`台账编号 ${r.json.id}`));
  await tab.close();
  await page.done();
});
