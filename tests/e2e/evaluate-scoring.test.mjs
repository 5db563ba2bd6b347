// evaluate-scoring.test.mjs - the evaluator's work list and the leader's sign-off in the browser
// (issue 19): an evaluator lands on 评分进度 for a year (已评分 0 / 41), filters to 未评分,
// uploads a scoring sheet with a bad row and sees the row's error (nothing stored), fixes it, sees
// what would change, confirms and sees progress rise; the office turns 签批 on (发布须领导签批),
// the office has no 发布 button but 提请签批, the leader signs off (签批同意 with a note), the
// office then publishes; the steps are shown in the year's history. Also at 390 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startConsole, uiLogin, shot, PHONE } from './lib.mjs';

const E = '/api/v1/plans/cq-2021-2025/evaluations';
const TMP = mkdtempSync(join(tmpdir(), 'ecoact-e2e-scoring-'));
let env;
let office;
before(async () => {
  env = await startConsole('evaluate-scoring');
  office = await env.srv.login('demo.office');
});
after(async () => { await env?.close(); });

const HEAD = '行政区划代码,单位名称,类别,评分（0-100）,评价意见';

test('an evaluator: progress of the 41 units, a sheet with a bad row refused by row, fixed, progress rises', async () => {
  const page = await env.page();
  await uiLogin(page, env.base, 'demo.evaluator');
  await page.getByRole('heading', { name: /^你好，/ }).waitFor();
  await page.getByRole('link', { name: '年度考评' }).first().click();
  await page.getByRole('tab', { name: /2023年/ }).click();
  await page.waitForURL(/year=2023/);
  const summary = page.getByTestId('scoring-summary');
  await summary.getByText('已评分 0 / 41 个单位').waitFor();
  const table = page.getByTestId('scoring-table');
  await table.locator('tbody tr').filter({ hasText: '渝中区' }).getByText('未评分').waitFor();
  assert.equal(await page.getByTestId('scoring-template').count(), 1, 'the template is offered');

  const bad = join(TMP, 'bad.csv');
  writeFileSync(bad, [HEAD, '500101,万州区,区,90,工作扎实', '500102,涪陵区,区,120,分数写错了'].join('\n'));
  await page.getByTestId('scoring-input').setInputFiles(bad);
  await page.getByTestId('scoring-errors-summary').getByText(/评分表有 1 处错误，未导入任何评分/).waitFor();
  const errs = page.getByTestId('scoring-errors');
  assert.match(await errs.locator('tbody tr').first().innerText(), /第 3 行\s+评分（0-100）\s+评分应为 0 到 100 之间的数/);
  assert.equal(await page.getByTestId('scoring-confirm').count(), 0, 'no import while a row is bad');
  await summary.getByText('已评分 0 / 41 个单位').waitFor();
  assert.equal((await office.get(`${E}/2023/units/500101`)).json.components.find(c => c.key === 'evaluator').raw, null, 'nothing stored');

  const good = join(TMP, 'good.csv');
  writeFileSync(good, [HEAD, '500101,万州区,区,90,工作扎实', '500102,涪陵区,区,82,已核实'].join('\n'));
  await page.getByTestId('scoring-input').setInputFiles(good);
  await page.getByTestId('scoring-check-ok').getByText(/检查通过：2 个单位的评分（新增 2，修改 0）/).waitFor();
  await page.getByTestId('scoring-confirm').click();
  await page.getByText('已导入 2 个单位的评分（新增 2，修改 0）').waitFor();
  await summary.getByText('已评分 2 / 41 个单位').waitFor();
  await table.locator('tbody tr').filter({ hasText: '万州区' }).getByText('已评分').waitFor();
  await table.locator('tbody tr').filter({ hasText: '万州区' }).getByText('赵评估').waitFor();

  // 未评分: the two are gone from the list, the counts stay
  await page.getByTestId('scoring-filter').getByText('未评分').click();
  await page.getByText('共 39 个单位').waitFor();
  assert.equal(await table.locator('tbody tr').filter({ hasText: '万州区' }).count(), 0);
  await shot(page, 'evaluate-scoring-evaluator');
  await page.done();

  const phone = await env.page(PHONE);
  await uiLogin(phone, env.base, 'demo.evaluator');
  await phone.getByRole('heading', { name: /^你好，/ }).waitFor();
  await phone.goto(`${env.base}/evaluations?year=2023`);
  await phone.getByTestId('scoring-summary').getByText('已评分 2 / 41 个单位').waitFor();
  const w = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(w <= 390 + 1, `no sideways scroll at 390 px (${w})`);
  await shot(phone, 'evaluate-scoring-phone');
  await phone.done();
});

test('with 签批 on: the office asks, the leader signs off, then the office publishes', async () => {
  const off = await env.page();
  await uiLogin(off, env.base, 'demo.office');
  await off.getByRole('heading', { name: /^你好，/ }).waitFor();
  await off.goto(`${env.base}/evaluations?year=2023`);
  await off.getByTestId('eval-publish').waitFor(); // sign-off off: 发布 straight away
  await off.getByText('发布须领导签批').click();
  await off.getByText('已开启：年度考评结果须经领导签批后才能发布').waitFor();
  assert.equal((await office.get('/api/v1/evaluation-settings')).json.signoff_required, true);
  await off.getByTestId('eval-signoff-state').getByText('未提请签批').waitFor();
  assert.equal(await off.getByTestId('eval-publish').count(), 0, 'no 发布 before the sign-off');
  await off.getByTestId('eval-signoff-request').click();
  await off.getByRole('dialog', { name: '提请签批' }).getByRole('button', { name: '提请签批' }).click();
  await off.getByTestId('eval-signoff-state').getByText('待领导签批').waitFor();
  assert.equal(await off.getByTestId('eval-signoff-request').count(), 0);
  assert.equal(await off.getByTestId('eval-signoff-approve').count(), 0, 'the office cannot sign');

  const lead = await env.page();
  await uiLogin(lead, env.base, 'demo.leader');
  await lead.getByRole('heading', { name: /^你好，/ }).waitFor();
  await lead.goto(`${env.base}/evaluations?year=2023`);
  await lead.getByTestId('eval-signoff-state').getByText('待领导签批').waitFor();
  assert.equal(await lead.getByTestId('eval-publish').count(), 0);
  assert.equal(await lead.getByText('发布须领导签批').count(), 0, 'only the office sets it');
  await lead.getByTestId('eval-signoff-approve').click();
  const dlg = lead.getByRole('dialog', { name: '签批 2023 年度考评结果' });
  await dlg.getByRole('textbox').fill('同意发布');
  await dlg.getByRole('button', { name: '签批同意' }).click();
  await lead.getByTestId('eval-signoff-state').getByText('已签批').waitFor();
  await lead.getByTestId('eval-signoff').getByText(/签批同意：同意发布/).waitFor();
  assert.equal(await lead.getByTestId('eval-signoff-approve').count(), 0);
  await shot(lead, 'evaluate-signoff-leader');
  await lead.done();

  await off.reload();
  await off.getByTestId('eval-signoff-state').getByText('已签批').waitFor();
  await off.getByTestId('eval-publish').click();
  await off.getByRole('dialog', { name: '发布 2023 年度考评结果' }).getByRole('button', { name: '发布' }).click();
  await off.getByText(/已发布 2023 年度考评结果/).waitFor();
  await off.getByTestId('year-status').getByText(/2023 年度结果已于 .* 发布/).waitFor();
  assert.match(await off.getByTestId('eval-signoff').innerText(), /提请签批[\s\S]*签批同意：同意发布/);
  await off.done();
});
