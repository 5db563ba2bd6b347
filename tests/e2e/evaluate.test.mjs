// evaluate.test.mjs - the annual evaluation (年度考评) in the browser, over the seeded history of
// comply-seed.mjs: the office sees a year's scorecards ranked within the tier (bar chart, rank,
// change on the year before), exports the year as .xlsx and publishes it after a confirmation
// (then it says so and the evaluator's form is gone); an evaluator opens a unit's drill-down
// (components, trend 2021-2025, periods with the reports behind them), enters 120 and sees the
// server's field error beside 评分, then saves a valid score that shows in the drill-down; the
// office edits the rubric (a sum other than 100 is refused beside the field, a valid one is a
// new version after a confirmation), others read it only; the final 2021-2025 evaluation lists
// every year; a unit user sees its own scorecard and no other unit's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startConsole, uiLogin, shot, PHONE } from './lib.mjs';
import { sql } from '../api/lib.mjs';
import { seedCompliance } from './comply-seed.mjs';

const PLAN = 'cq-2021-2025';
const E = `/api/v1/plans/${PLAN}/evaluations`;
const TMP = mkdtempSync(join(tmpdir(), 'ecoact-e2e-evaluate-'));
let env;
let office;
let U = {};
before(async () => {
  env = await startConsole('evaluate');
  office = await env.srv.login('demo.office');
  const units = (await office.get('/api/v1/units?limit=1000')).json.items;
  for (const u of units) { U[u.key] = u; if (u.code) U[u.code] = u; }
  await seedCompliance(office, s => sql(env.srv, s), units);
  const ev = await env.srv.login('demo.evaluator');
  for (const [code, score] of [['500101', 91.5], ['500102', 84], ['500104', 77.25]]) {
    const r = await ev.put(`${E}/2023/scores/${code}`, { score, comment: `${U[code].name}2023年宣传教育工作评估意见。` });
    assert.equal(r.status, 201, r.text);
  }
});
after(async () => { await env?.close(); });

test('the office: a year’s scorecards ranked within the tier, the chart, .xlsx, and publishing after a confirmation', async () => {
  const page = await env.page();
  await uiLogin(page, env.base, 'demo.office');
  await page.getByRole('heading', { name: /^你好，/ }).waitFor();
  await page.getByRole('link', { name: '年度考评' }).first().click();
  await page.getByRole('heading', { name: '年度考评' }).waitFor();
  await page.getByRole('tab', { name: /2023年/ }).click();
  await page.waitForURL(/year=2023/);
  await page.getByTestId('year-status').getByText(/2023 年度结果尚未发布/).waitFor();
  const table = page.getByTestId('eval-table');
  await table.locator('tbody tr').first().waitFor();
  assert.deepEqual((await table.locator('thead th').allInnerTexts()).map(s => s.trim()),
    ['名次', '单位', '年度总分', '较上年', '履职合规', '督办反馈及时性', '第三方评估']);
  assert.match(await table.locator('tbody tr').first().innerText(), /^1 \/ 26/);
  assert.equal(await table.locator('tbody tr').count(), 20, '26 districts, 20 a page');
  await page.getByLabel('单位名称或代码').fill('万州');
  await table.locator('tbody tr').filter({ hasText: '万州区' }).waitFor();
  assert.equal(await table.locator('tbody tr').count(), 1);
  assert.match(await table.locator('tbody tr').innerText(), /原始分 91\.5/, 'the evaluator’s score');
  await page.getByLabel('单位名称或代码').fill('');
  await page.getByTestId('rank-chart').locator('canvas').first().waitFor();
  assert.match(await page.getByTestId('rank-chart').getAttribute('aria-label'), /^区2023年总分排名：1\./);
  // Counties are ranked among themselves.
  await page.getByRole('combobox', { name: '类别' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('option', { name: '县', exact: true }).click();
  await page.waitForURL(/tier=county/);
  await table.locator('tbody tr').filter({ hasText: '城口县' }).waitFor();
  assert.equal(await table.locator('tbody tr').count(), 12);
  assert.ok((await table.locator('tbody tr').allInnerTexts()).every(t => /\/ 12/.test(t)), 'ranks of 12');
  await shot(page, 'evaluate-year-office');

  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('eval-export').click()]);
  assert.match(dl.suggestedFilename(), /^重庆市贯彻落实.*实施方案2023年度考评_\d{4}年\d{1,2}月\d{1,2}日\.xlsx$/);
  await dl.saveAs(join(TMP, 'y2023.xlsx'));
  assert.equal(readFileSync(join(TMP, 'y2023.xlsx')).subarray(0, 4).toString('binary'), 'PK\x03\x04');

  // Publishing: cancelled first, then confirmed.
  await page.getByTestId('eval-publish').click();
  const dlg = page.getByRole('dialog', { name: '发布 2023 年度考评结果' });
  await dlg.getByText(/得分和排名将固定/).waitFor();
  await dlg.getByRole('button', { name: '取消' }).click();
  await dlg.waitFor({ state: 'hidden' });
  assert.equal((await office.get(`${E}/2023`)).json.published, false);
  await page.getByTestId('eval-publish').click();
  await page.getByRole('dialog', { name: '发布 2023 年度考评结果' }).getByRole('button', { name: '发布' }).click();
  await page.getByText(/已发布 2023 年度考评结果（47 个单位）/).waitFor();
  await page.getByTestId('year-status').getByText(/2023 年度结果已于 .* 由 王晓燕 发布/).waitFor();
  assert.equal(await page.getByTestId('eval-publish').count(), 0);
  await page.getByRole('tab', { name: /2023年\s*已发布/ }).waitFor();
  await page.done();
});

test('an evaluator: the drill-down, a score of 120 refused beside the field, a valid score saved', async () => {
  const page = await env.page();
  await uiLogin(page, env.base, 'demo.evaluator');
  await page.getByRole('heading', { name: /^你好，/ }).waitFor();
  await page.goto(`${env.base}/evaluations?year=2024`);
  await page.getByTestId('eval-scoring').waitFor(); // an evaluator's home: 评分进度 (evaluate-scoring.test.mjs)
  await page.getByTestId('eval-view').getByText('得分排名').click();
  await page.waitForURL(/view=ranking/);
  await page.getByTestId('eval-table').getByRole('link', { name: '涪陵区' }).click();
  await page.getByRole('heading', { name: '涪陵区 2024年度考评' }).waitFor();
  const card = page.getByTestId('scorecard');
  await card.getByText(/区第 \d+ 名 \/ 共 26 个/).waitFor();
  assert.deepEqual((await page.getByTestId('components').locator('tbody tr td:first-child').allInnerTexts()).map(s => s.trim()),
    ['履职合规', '督办反馈及时性', '第三方评估']);
  await page.getByTestId('components').getByText('尚无评估人员评分，本项不计，权重分配给其他评分项').waitFor();
  await page.getByTestId('trend-chart').locator('canvas').first().waitFor();
  assert.match(await page.getByTestId('trend-chart').getAttribute('aria-label'), /2021年 [\d.]+，2022年 [\d.]+，2023年 [\d.]+，2024年 [\d.]+，2025年 [\d.]+/);

  // The periods behind 履职合规, with links to the reports counted.
  const periods = page.getByTestId('drill-compliance');
  await periods.locator('tbody tr').first().waitFor();
  const press = periods.locator('tbody tr').filter({ hasText: '2024年第一季度' }).filter({ hasText: '新闻发布会' });
  const link = press.getByRole('link').first();
  if (await link.count()) assert.match(await link.getAttribute('href'), /^\/reports\/\d+$/);
  else await press.getByText('未完成').waitFor();

  // The score: 120 goes to the server, whose message shows beside the field.
  const form = page.getByTestId('score-form');
  await form.getByLabel('评分').fill('120');
  await form.getByLabel('评价意见').fill('组织有力，发布会按季度召开，宣传产品丰富。');
  await form.getByTestId('score-save').click();
  const fieldError = form.locator('.el-form-item').filter({ hasText: '评分' }).first().locator('.el-form-item__error');
  await fieldError.getByText('评分应为 0 到 100 之间的数，最多两位小数').waitFor();
  await shot(page, 'evaluate-score-error', { fullPage: false });
  assert.equal((await office.get(`${E}/2024/units/500102`)).json.drilldown.scores.length, 0, 'nothing saved');
  await form.getByLabel('评分').fill('88.5');
  await form.getByTestId('score-save').click();
  await page.getByText('评分已保存').waitFor();
  await page.getByRole('tab', { name: '评估评分（1）' }).click();
  await page.getByTestId('drill-scores').getByText('88.5').waitFor();
  assert.match(await page.getByTestId('components').locator('tbody tr').filter({ hasText: '第三方评估' }).innerText(), /88\.5/);
  await form.getByText(/已于 .* 评分，可修改/).waitFor();
  await shot(page, 'evaluate-unit-evaluator');

  // A published year takes no more scores: no form.
  await page.goto(`${env.base}/evaluations/2023/units/500102`);
  await page.getByRole('heading', { name: '涪陵区 2023年度考评' }).waitFor();
  await page.getByText(/2023 年度结果已于 .* 发布/).waitFor();
  assert.equal(await page.getByTestId('score-form').count(), 0);
  await page.done();
});

test('the rubric: the office’s weights must sum to 100 (refused beside the field), a new version after a confirmation; others read only', async () => {
  const page = await env.page();
  await uiLogin(page, env.base, 'demo.office');
  await page.getByRole('heading', { name: /^你好，/ }).waitFor();
  await page.getByRole('link', { name: '评分细则' }).first().click();
  await page.getByRole('heading', { name: '评分细则', exact: true }).waitFor();
  await page.getByText('当前版本：第 1 版').waitFor();
  const f = page.getByTestId('rubric-form');
  await f.getByLabel('履职合规权重').fill('65');
  await f.getByLabel('说明').click(); // the number input takes its value on blur
  assert.equal(await page.getByTestId('weights-sum').innerText(), '105%');
  await page.getByTestId('rubric-save').click();
  await f.getByText('三项权重之和应为 100，现为 105').waitFor();
  await f.getByLabel('履职合规权重').fill('55');
  await f.getByLabel('第三方评估权重').fill('30');
  await f.getByLabel('说明').fill('2025年起提高第三方评估权重');
  assert.equal(await page.getByTestId('weights-sum').innerText(), '100%');
  await page.getByTestId('rubric-save').click();
  const dlg = page.getByRole('dialog', { name: '保存评分细则' });
  await dlg.getByText(/保存为第 2 版评分细则/).waitFor();
  await dlg.getByRole('button', { name: '保存' }).click();
  await page.getByText('已保存为第 2 版').waitFor();
  await page.getByText('当前版本：第 2 版').waitFor();
  const hist = page.getByTestId('rubric-history');
  assert.equal(await hist.locator('tbody tr').count(), 2);
  assert.match(await hist.locator('tbody tr').nth(1).innerText(), /第 1 版[\s\S]*2023/, 'version 1 is what 2023 was published with');
  await shot(page, 'evaluate-rubric');
  await page.done();
  const r = (await office.get(`/api/v1/plans/${PLAN}/rubric`)).json;
  assert.deepEqual(r.weights, { compliance: 55, timeliness: 15, evaluator: 30 });

  const ev = await env.page();
  await uiLogin(ev, env.base, 'demo.evaluator');
  await ev.getByRole('heading', { name: /^你好，/ }).waitFor();
  await ev.goto(`${env.base}/evaluations/rubric`);
  await ev.getByText('（只有联席会议办公室可以修改）').waitFor();
  assert.ok(await ev.getByLabel('履职合规权重').isDisabled());
  assert.equal(await ev.getByTestId('rubric-save').count(), 0);
  await ev.done();
});

test('the final 2021-2025 evaluation: every year’s total, provisional while years are unpublished, .xlsx', async () => {
  const page = await env.page();
  await uiLogin(page, env.base, 'demo.leader');
  await page.getByRole('heading', { name: /^你好，/ }).waitFor();
  await page.goto(`${env.base}/evaluations?year=final&tier=district`);
  await page.getByText(/终期结果为暂定：2021、2022、2024、2025 年度尚未发布/).waitFor();
  const table = page.getByTestId('eval-table');
  await table.locator('tbody tr').first().waitFor();
  assert.deepEqual((await table.locator('thead th').allInnerTexts()).map(s => s.trim()),
    ['名次', '单位', '终期得分', '2021年（6个月）', '2022年（12个月）', '2023年（12个月）', '2024年（12个月）', '2025年（12个月）']);
  await page.getByTestId('rank-chart').locator('canvas').first().waitFor();
  assert.equal(await page.getByTestId('eval-publish').count(), 0, 'leaders do not publish');
  await shot(page, 'evaluate-final');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('eval-export').click()]);
  assert.match(dl.suggestedFilename(), /^重庆市贯彻落实.*实施方案终期评估_\d{4}年\d{1,2}月\d{1,2}日\.xlsx$/);
  await page.done();
});

test('a unit user sees its own scorecard only; another unit’s shows no permission (on a phone)', async () => {
  const page = await env.page(PHONE);
  await uiLogin(page, env.base, 'demo.wanzhou');
  await page.getByRole('heading', { name: /^你好，/ }).waitFor();
  await page.goto(`${env.base}/evaluations?year=2023`);
  await page.getByRole('heading', { name: '万州区的年度考评' }).waitFor();
  const cards = page.getByTestId('eval-cards');
  await cards.locator('li').first().waitFor();
  assert.deepEqual(await cards.locator('.card-title').allInnerTexts(), ['万州区']);
  assert.equal(await page.getByRole('combobox', { name: '类别' }).count(), 0);
  await cards.getByRole('link', { name: '万州区' }).click();
  await page.getByRole('heading', { name: '万州区 2023年度考评' }).waitFor();
  await page.getByTestId('drill-scores').waitFor({ state: 'attached' });
  assert.equal(await page.getByTestId('score-form').count(), 0);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= PHONE.width + 1, 'no sideways scrolling at 390 px');
  await shot(page, 'evaluate-unit-phone');
  await page.goto(`${env.base}/evaluations/2023/units/500103`);
  await page.locator('[data-state="forbidden"]').getByText('只能查看本单位的考核评估结果').waitFor();
  await page.done();
});

// ---- issue 19 (ux): what officials ran into on 年度考评 ----

test('switching 终期 → a year shows the year without a script error; 年度总分 says what it is', async () => {
  const page = await env.page();
  await uiLogin(page, env.base, 'demo.office');
  await page.getByRole('heading', { name: /^你好，/ }).waitFor();
  await page.goto(`${env.base}/evaluations?year=final&tier=district`);
  await page.getByTestId('eval-table').locator('tbody tr').first().waitFor();
  await page.getByRole('tab', { name: /2023年/ }).click();
  await page.getByTestId('year-status').getByText(/2023 年度结果/).waitFor();
  await page.getByRole('tab', { name: /终期/ }).click();
  await page.getByText(/终期结果为暂定/).waitFor();
  await page.getByRole('tab', { name: /2024年/ }).click();
  await page.getByTestId('year-status').getByText(/2024 年度结果/).waitFor();
  assert.deepEqual(page.problems, [], 'no TypeError while the year replaces the final');
  await page.getByTestId('total-note').getByText(/^年度总分是本年度履职合规、督办反馈及时性、第三方评估三项得分之和.*不是首页的履职得分/).waitFor();
  const head = page.getByTestId('total-header');
  assert.equal((await head.innerText()).trim(), '年度总分');
  await head.hover();
  await page.locator('.el-popper').filter({ hasText: '它不是首页的履职得分' }).first().waitFor();
  await page.done();
});

test('a year without an evaluation (2026): 尚未开始 with the reason, not 加载失败; the unit page likewise', async () => {
  const page = await env.page();
  await uiLogin(page, env.base, 'demo.office');
  await page.getByRole('heading', { name: /^你好，/ }).waitFor();
  await page.goto(`${env.base}/evaluations?year=2026`);
  const empty = page.getByTestId('eval-not-started');
  await empty.getByText('2026 年度考评尚未开始').waitFor();
  await empty.getByText('2026 年不在实施方案的实施期（2021—2025 年）内，没有该年度的考评').waitFor();
  assert.equal(await page.getByText('加载失败').count(), 0);
  await empty.getByRole('link', { name: '查看最近年度的考评' }).click();
  await page.waitForURL(/year=2025/);
  await page.getByTestId('year-status').waitFor();
  await page.goto(`${env.base}/evaluations/2026/units/500103`);
  await page.getByTestId('eval-not-started').getByText('2026 年度考评尚未开始').waitFor();
  assert.equal(await page.getByText('加载失败').count(), 0);
  await page.done();
});

test('at 390 px the ranking runs down the page, one row per unit, so the names never pile up', async () => {
  const page = await env.page(PHONE);
  await uiLogin(page, env.base, 'demo.office');
  await page.getByRole('heading', { name: /^你好，/ }).waitFor();
  await page.goto(`${env.base}/evaluations?year=2023&tier=district`);
  const chart = page.getByTestId('rank-chart');
  await chart.locator('canvas').first().waitFor();
  const n = (await office.get(`${E}/2023?tier=district`)).json.items.filter(c => c.total !== null).length;
  const box = await chart.boundingBox();
  assert.ok(box.height >= n * 22, `a row of at least 22 px per unit (${n} units, chart ${box.height} px high)`);
  assert.ok(box.width <= PHONE.width, 'the chart fits the window');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= PHONE.width + 1, 'no sideways scrolling at 390 px');
  await shot(page, 'evaluate-chart-390');
  await page.done();
});
