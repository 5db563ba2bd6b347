// notice-steps.test.mjs - the steps of a 督办单 the server offers, in the browser (issue 19 §2-4):
// a district reporter finds a signed notice in 待办 (督办单待反馈) at 390 px and can answer it;
// the office urges an overdue notice (催办, after a confirmation) and the unit gets it in 待办;
// with 签批 required the office submits a draft, the leader finds it in 待办 and approves it with
// a note, and only then does the office see 下发.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startConsole, uiLogin, shot, PHONE } from './lib.mjs';
import { sql } from '../api/lib.mjs';

let env, office, admin;
before(async () => {
  env = await startConsole('notice-steps');
  [office, admin] = await Promise.all(['demo.office', 'demo.yuzhong.admin'].map(u => env.srv.login(u)));
});
after(async () => { await env?.close(); });

const day = (n = 0) => new Date(Date.now() + 8 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);
async function notice(title, { issue = true } = {}) {
  const r = await office.post('/api/v1/notices', { unit: '500103', task: 17, title, requirements: '请按季度召开新闻发布会并反馈', deadline: day(10), issue });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}
/** Signs in and waits until the console is shown (uiLogin only presses Enter). */
async function login(page, username) {
  await uiLogin(page, env.base, username);
  await page.getByRole('heading', { name: /^你好，/ }).waitFor();
}
async function confirm(page, title, button) {
  const box = page.getByRole('dialog', { name: title, exact: true });
  await box.waitFor();
  await box.getByRole('button', { name: button, exact: true }).click();
  await box.waitFor({ state: 'detached' });
}
async function openInboxItem(page, kind, title) {
  await page.getByTestId('inbox-badge').click();
  await page.getByRole('heading', { name: '我的待办' }).waitFor();
  const item = page.locator(`[data-testid="inbox-item"][data-kind="${kind}"]`).filter({ hasText: title });
  await item.waitFor();
  return item;
}

test('a signed notice is in the reporter\'s 待办 as 督办单待反馈 (390 px), and the reporter may answer', async () => {
  const TITLE = '浏览器测试：签收后待反馈';
  const id = await notice(TITLE);
  assert.equal((await admin.post(`/api/v1/notices/${id}/sign`, {})).status, 200);
  const page = await env.page(PHONE);
  await login(page, 'demo.yuzhong');
  const item = await openInboxItem(page, 'notice_answer', TITLE);
  assert.match(await item.innerText(), /督办单待反馈/);
  await shot(page, 'notice-answer-inbox-390');
  await item.getByRole('link', { name: new RegExp(TITLE) }).click();
  await page.waitForURL(new RegExp(`/notices/${id}$`));
  await page.getByTestId('answer-panel').waitFor();
  assert.equal(await page.getByTestId('notice-sign').count(), 0, 'no 签收 for the reporter');
});

test('the office urges an overdue notice; the unit has 督办单催办 in 待办', async () => {
  const TITLE = '浏览器测试：逾期催办';
  const id = await notice(TITLE);
  sql(env.srv, `UPDATE notices SET deadline = '${day(-3)}' WHERE id = ${id}`);
  const seen = (await office.get(`/api/v1/notices/${id}`)).json;
  assert.ok(seen.actions.some(a => a.name === 'urge'), JSON.stringify([seen.deadline, seen.stage, seen.actions]));
  const page = await env.page();
  await login(page, 'demo.office');
  await page.goto(`${env.base}/notices/${id}`);
  await page.getByTestId('notice-urge').click();
  await confirm(page, '催办', '催办');
  await page.getByText('已催办，单位将收到提醒').waitFor();
  await page.locator('.el-timeline').getByText('催办', { exact: true }).first().waitFor();
  await page.getByTestId('notice-urge').waitFor({ state: 'detached' });
  await shot(page, 'notice-urged');
  const unit = await env.page(PHONE);
  await login(unit, 'demo.yuzhong.admin');
  const item = await openInboxItem(unit, 'notice_urge', TITLE);
  assert.match(await item.innerText(), /督办单催办/);
});

test('签批: the office submits a draft, the leader approves it from 待办, then the office may issue', async () => {
  const page = await env.page();
  await login(page, 'demo.office');
  // the office turns 签批 on in 督办设置, after a confirmation
  await page.goto(`${env.base}/notices/settings`);
  await page.getByTestId('signoff-required').click();
  await confirm(page, '开启领导签批', '开启');
  await page.getByText('已开启：督办单下发前须领导签批').waitFor();
  assert.equal((await office.get('/api/v1/notice-settings')).json.signoff_required, true);
  const TITLE = '浏览器测试：须经领导签批';
  const id = await notice(TITLE, { issue: false });
  await page.goto(`${env.base}/notices/${id}`);
  const box = page.getByTestId('signoff-box');
  await box.getByText('领导签批：未提请签批').waitFor();
  await box.getByText('须经领导签批后方可下发').waitFor();
  assert.equal(await page.getByRole('button', { name: '下发' }).count(), 0, 'no 下发 before 签批');
  await page.getByTestId('signoff-request').click();
  await confirm(page, '提请签批', '提请签批');
  await box.getByText('领导签批：待领导签批').waitFor();
  assert.equal(await page.getByTestId('signoff-approve').count(), 0, 'the office does not sign off');

  const lp = await env.page();
  await login(lp, 'demo.leader');
  const item = await openInboxItem(lp, 'notice_signoff', TITLE);
  await item.getByRole('link', { name: new RegExp(TITLE) }).click();
  await lp.waitForURL(new RegExp(`/notices/${id}$`));
  await lp.getByTestId('signoff-approve').click();
  await lp.getByPlaceholder('如：同意下发').fill('同意，请按期下发');
  await lp.getByTestId('signoff-submit').click();
  await confirm(lp, '确认签批', '同意');
  await lp.getByTestId('signoff-box').getByText('领导签批：已签批').waitFor();
  await lp.getByTestId('signoff-box').getByText(/同意，请按期下发/).waitFor();
  await lp.locator('.el-timeline').getByText('领导签批同意').first().waitFor();
  await shot(lp, 'notice-signed-off');

  await page.reload();
  await page.getByTestId('signoff-box').getByText('领导签批：已签批').waitFor();
  await page.getByRole('button', { name: '下发' }).waitFor();
  assert.equal((await office.put('/api/v1/notice-settings', { signoff_required: false })).status, 200);
});
