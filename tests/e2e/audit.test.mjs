// audit.test.mjs - issue 19 in the browser: the auditor filters the audit log by person and
// operation and reads it in Chinese (operation names, 督办单「title」, reasons), downloads it as
// .xlsx under its Chinese name and finds the export in the log; secadmin opens 安全策略 (no one
// else sees it), is told at the field when a value is out of bounds, shortens the API token
// lifetime, and sees it take effect on the token form; the import template downloads as .xlsx.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { Client } from '../api/lib.mjs';
import { sheetRows } from '../api/xlsx.mjs';
import { startConsole, uiLogin, shot, navTitles, SHOTS } from './lib.mjs';

let env;
before(async () => { env = await startConsole('audit'); });
after(async () => { await env?.close(); });

test('auditor: filter by person and operation, Chinese names, export the log as .xlsx', async () => {
  const office = new Client(env.base);
  await office.login('demo.office', 'Ecoact-Demo-2025');
  const n = await office.post('/api/v1/notices', { unit: '500154', subject: 'task', task: 3, title: '关于开州区宣传工作的督办单', requirements: '尽快', deadline: '2030-01-30' });
  assert.equal(n.status, 201, n.text);
  assert.equal((await new Client(env.base).login('demo.leader', 'Wrong-password-1')).status, 401);

  const page = await env.page();
  await uiLogin(page, env.base, 'demo.auditor');
  await page.getByRole('link', { name: '审计日志' }).first().click();
  const table = page.getByTestId('audit-table');
  await table.locator('tbody tr').first().waitFor();
  await page.getByLabel('人员').fill('王晓');
  await page.getByRole('combobox', { name: '操作' }).click();
  await page.getByRole('option', { name: /新建督办单/ }).click();
  const filtered = page.waitForResponse(r => r.url().includes('/api/v1/audit?') && r.url().includes('action=notice.create'));
  await page.getByRole('button', { name: '查询' }).click();
  await filtered;
  await table.getByText('督办单「关于开州区宣传工作的督办单」').waitFor();
  const text = await table.innerText();
  assert.match(text, /新建督办单/);
  assert.match(text, /王晓燕/);
  assert.doesNotMatch(text, /notice\.create|notice:\d/, 'no codes in the table');
  assert.equal(await table.locator('tbody tr').count(), 1);
  await shot(page, 'audit-filtered-1366');

  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export').click()]);
  assert.match(dl.suggestedFilename(), /^审计日志_\d{4}年\d{1,2}月\d{1,2}日\.xlsx$/);
  const file = join(SHOTS, 'audit-export.xlsx');
  await dl.saveAs(file);
  const rows = sheetRows(readFileSync(file)).slice(2);
  assert.equal(rows.length, 1);
  assert.equal(rows[0][5], '新建督办单');
  assert.equal(rows[0][6], '督办单「关于开州区宣传工作的督办单」');

  // the failed login reads as 失败 with its reason, and the export is in the log
  await page.getByRole('button', { name: '重置' }).click();
  await table.getByText('导出审计日志').first().waitFor();
  await table.getByText('用户名或密码错误').first().waitFor();
  await page.done();
});

test('secadmin: 安全策略 with field errors from the server, audited, and in force', async () => {
  const page = await env.page();
  await uiLogin(page, env.base, 'demo.office');
  await page.getByRole('heading', { name: /^你好，/ }).waitFor();
  assert.ok(!(await navTitles(page)).includes('安全策略'), 'only secadmin sees it');
  await page.context().clearCookies();

  await uiLogin(page, env.base, 'demo.secadmin');
  await page.getByRole('link', { name: '安全策略' }).first().click();
  await page.getByRole('heading', { name: '安全策略' }).waitFor();
  const field = page.getByLabel('API 令牌最长有效期（天）');
  await field.fill('400');
  await page.getByTestId('policy-save').click();
  await page.getByTestId('policy-token_max_days').getByText('API 令牌最长有效期（天） 应在 1 到 366 之间').waitFor();
  await field.fill('30');
  await page.getByTestId('policy-save').click();
  await page.getByText('安全策略已保存，立即生效').waitFor();
  await shot(page, 'security-policy-1366');

  // in force: the token form (opened afresh) allows at most 30 days
  await page.goto(env.base + '/tokens');
  await page.getByRole('button', { name: /创建令牌|新建令牌/ }).first().click();
  const days = page.getByLabel('有效天数');
  await days.fill('90');
  await days.blur();
  assert.equal(await days.inputValue(), '30');
  await page.done();

  const aud = new Client(env.base);
  await aud.login('demo.auditor', 'Ecoact-Demo-2025');
  const row = (await aud.get('/api/v1/audit?action=security_policy.update&limit=1')).json.items[0];
  assert.equal(row.detail_text, 'API 令牌最长有效期（天）改为 30');
});

test('reporter: the import template downloads as .xlsx with Chinese hints', async () => {
  const page = await env.page();
  await uiLogin(page, env.base, 'demo.yuzhong');
  await page.getByRole('link', { name: '批量导入' }).first().click();
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /下载模板/ }).click()]);
  assert.match(dl.suggestedFilename(), /^台账导入模板_\d{4}年\d{1,2}月\d{1,2}日\.xlsx$/);
  const file = join(SHOTS, 'import-template.xlsx');
  await dl.saveAs(file);
  const hints = sheetRows(readFileSync(file), 'sheet2');
  assert.ok(hints.some(h => h[0] === '活动日期' && /格式为 2025-02-11/.test(h[1])));
  await page.done();
});

test('office: 单位履职 and the matrix download as .xlsx holding the rows shown', async () => {
  const page = await env.page();
  await uiLogin(page, env.base, 'demo.office');
  await page.getByRole('heading', { name: /^你好，/ }).waitFor();
  await page.goto(env.base + '/compliance/units');
  await page.getByRole('heading', { name: '单位履职' }).waitFor();
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('units-export').click()]);
  assert.match(dl.suggestedFilename(), /^单位履职_全市_\d{4}年\d{1,2}月\d{1,2}日\.xlsx$/);
  const file = join(SHOTS, 'compliance-units.xlsx');
  await dl.saveAs(file);
  const names = sheetRows(readFileSync(file)).slice(2).map(r => r[0]);
  assert.ok(names.includes('城口县') && names.includes('渝中区'));

  await page.goto(env.base + '/compliance?unit=500229&light=red');
  await page.getByTestId('export-xlsx').waitFor();
  await page.waitForFunction(() => !document.querySelector('[data-testid="export-xlsx"]').disabled);
  const [mx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
  assert.match(mx.suggestedFilename(), /^合规矩阵_城口县_\d{4}年\d{1,2}月\d{1,2}日\.xlsx$/);
  const mfile = join(SHOTS, 'compliance-matrix.xlsx');
  await mx.saveAs(mfile);
  const rows = sheetRows(readFileSync(mfile)).slice(2);
  assert.ok(rows.length > 0 && rows.every(r => /城口县/.test(r[0]) && r[14] === '红灯'));
  await page.done();
});
