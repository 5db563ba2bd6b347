// notices.test.mjs - the 督办单 console as an official uses it (issue 19): the office searches
// the list (共 N 条), selects two drafts and 批量下发 them (a confirmation with the count, then a
// summary per notice), exports the filtered list as .xlsx, sets the 文号 prefix on 督办设置 (a
// refused prefix says why at the field, the next 文号 previewed), creates one notice for two
// units in one go (characters counted, 重点任务 marked required), and from a red cell of the
// compliance matrix 督办 opens the form prefilled, issues it, and the drawer then shows the open
// notice; the notice names its duty in words, its code only in a tooltip. At 390 px the list is
// cards with checkboxes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startConsole, uiLogin, shot, PHONE } from './lib.mjs';

let env, office;
function day(n = 0) {
  return new Date(Date.now() + 8 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);
}
const draft = (title, extra = {}) => office.post('/api/v1/notices', { unit: '500103', task: 17, title,
  requirements: '请于期限内召开新闻发布会，并报送发布会材料。', deadline: day(10), ...extra });

before(async () => {
  env = await startConsole('notices');
  office = await env.srv.login('demo.office');
  for (const t of ['关于湿地宣传周的督办（甲）', '关于湿地宣传周的督办（乙）']) assert.equal((await draft(t)).status, 201);
  assert.equal((await draft('关于其他事项的督办', { unit: '500101', issue: true })).status, 201);
});
after(async () => { await env?.close(); });

async function choose(page, label, typed, option) {
  await page.getByLabel(label, { exact: true }).first().focus();
  await page.keyboard.press('Enter');
  if (typed) await page.keyboard.type(typed);
  await page.getByRole('option', { name: option }).first().click();
}
async function confirm(page, title, button) {
  const box = page.getByRole('dialog', { name: title, exact: true });
  await box.waitFor();
  await box.getByRole('button', { name: button, exact: true }).click();
  await box.waitFor({ state: 'detached' });
}

test('the office searches, batch-issues two drafts, exports the list and sets the 文号 prefix', async () => {
  const page = await env.page();
  await uiLogin(page, env.base, 'demo.office');
  await page.getByRole('heading', { name: '你好，王晓燕' }).waitFor();
  await page.getByRole('link', { name: '督办单' }).first().click();
  await page.getByRole('heading', { name: '督办单' }).waitFor();
  const table = page.getByTestId('notices-table');
  await table.locator('tbody tr').first().waitFor();
  await page.getByTestId('list-total').getByText('共 3 条').waitFor();

  await page.getByLabel('关键词').fill('湿地宣传周');
  await page.getByRole('button', { name: '查询' }).click();
  await page.getByTestId('list-total').getByText('共 2 条').waitFor();
  await page.waitForURL(/q=/);
  for (const t of ['（甲）', '（乙）']) await table.locator('tbody tr').filter({ hasText: t }).locator('.el-checkbox').click();
  const bar = page.getByTestId('batch-bar');
  assert.match(await bar.innerText(), /已选 2 份/);
  await bar.getByRole('button', { name: '批量下发' }).click();
  const box = page.getByRole('dialog', { name: '批量下发' });
  await box.getByText(/确定下发选中的 2 份督办单/).waitFor();
  await box.getByRole('button', { name: '下发 2 份' }).click();
  const summary = page.getByRole('dialog', { name: '批量下发结果' });
  await summary.getByText(/共 2 份：已下发 2 份/).waitFor();
  assert.match(await summary.innerText(), /（甲）[\s\S]*（乙）|（乙）[\s\S]*（甲）/);
  await shot(page, 'notices-batch-summary', { fullPage: false });
  await summary.getByRole('button', { name: '知道了' }).click();
  await table.locator('tbody tr').filter({ hasText: '（甲）' }).getByText('下发').waitFor();
  await table.locator('tbody tr').filter({ hasText: '（甲）' }).getByText(/渝生态宣督〔\d{4}〕\d+号/).waitFor();

  // 导出 Excel: the filtered list, a Chinese file name
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
  assert.match(dl.suggestedFilename(), /^督办单_\d{4}年\d{1,2}月\d{1,2}日\.xlsx$/);
  const path = await dl.path();
  assert.ok(path);

  // 督办设置: a refused prefix says why, the preview follows the typing, saved it applies
  await page.getByTestId('notice-settings').click();
  await page.getByRole('heading', { name: '督办设置' }).waitFor();
  const preview = page.getByTestId('doc-no-preview');
  assert.match(await preview.innerText(), new RegExp(`^渝生态宣督〔${day().slice(0, 4)}〕4号$`), 'three issued this year: the next is 4');
  const prefix = page.getByLabel('文号前缀');
  await prefix.fill('渝环宣督〔〕');
  await page.getByTestId('settings-save').click();
  await page.getByTestId('field-doc_prefix').locator('.el-form-item__error').getByText(/机关代字/).waitFor();
  await prefix.fill('渝环宣督');
  assert.match(await preview.innerText(), /^渝环宣督〔\d{4}〕4号$/);
  await page.getByTestId('settings-save').click();
  await page.getByText(/文号前缀已保存/).waitFor();
  assert.equal((await office.get('/api/v1/notice-settings')).json.doc_prefix, '渝环宣督');
  await shot(page, 'notice-settings');
  await page.done();
});

test('one notice to two units in one go, characters counted, 重点任务 marked required', async () => {
  const page = await env.page();
  await uiLogin(page, env.base, 'demo.office');
  await page.getByRole('heading', { name: '你好，王晓燕' }).waitFor();
  await page.getByRole('link', { name: '督办单' }).first().click();
  await page.getByTestId('notice-new').click();
  await page.getByRole('heading', { name: '新建督办单' }).waitFor();
  assert.match(await page.getByTestId('field-task').getAttribute('class'), /is-required/, '重点任务 has its asterisk');
  await choose(page, '督办单位', '万州', '万州区');
  await page.keyboard.type('涪陵'); // the list stays open for the next unit
  await page.getByRole('option', { name: '涪陵区' }).first().click();
  await page.keyboard.press('Escape');
  await page.getByTestId('units-note').getByText('将为所选 2 个单位各建一份督办单').waitFor();
  await choose(page, '重点任务', '17', /第17项/);
  const title = page.getByLabel('标题', { exact: true });
  await title.fill('督'.repeat(205));
  await page.getByText('205 / 200 字，超出 5 字').waitFor();
  await page.getByLabel('督办要求', { exact: true }).fill('请按季度召开新闻发布会，并报送发布会通稿和现场照片。');
  await page.getByTestId('notice-save').click();
  await page.getByText(/标题最多 200 字，现有 205 字/).waitFor();
  assert.equal(await title.inputValue(), '督'.repeat(205), 'never cut');
  await title.fill('关于两区县新闻发布会制度落实的督办');
  await page.getByText('17 / 200 字').waitFor();
  await shot(page, 'notice-form-two-units');
  await page.getByTestId('notice-issue').click();
  await confirm(page, '下发督办单', '下发 2 份');
  await page.waitForURL(`${env.base}/notices`);
  await page.getByText('已为 2 个单位各下发一份督办单').waitFor();
  const l = (await office.get(`/api/v1/notices?q=${encodeURIComponent('两区县新闻发布会')}`)).json;
  assert.equal(l.total, 2);
  assert.deepEqual(l.items.map(n => n.unit.name).sort(), ['万州区', '涪陵区'].sort());
  assert.ok(l.items.every(n => n.stage === 'issued' && /^渝环宣督〔/.test(n.doc_no)));
  await page.done();
});

test('督办 from a red cell: the form prefilled, issued, then the drawer shows the open notice', async () => {
  const page = await env.page();
  await uiLogin(page, env.base, 'demo.office');
  await page.getByRole('heading', { name: '你好，王晓燕' }).waitFor(); // signed in before going on
  await page.goto(`${env.base}/compliance?unit=500101&task=17`);
  await page.getByRole('heading', { name: '合规矩阵' }).waitFor();
  const cell = page.locator('tr[data-row="t17-press-district"] button.light-cell[data-period="2023Q3"]');
  await cell.waitFor();
  assert.equal(await cell.getAttribute('data-light'), 'red');
  await cell.click();
  const drawer = page.getByRole('dialog', { name: /万州区 · 2023年第三季度/ });
  await drawer.waitFor();
  const duty = drawer.getByTestId('cell-duty');
  assert.equal(await duty.getAttribute('title'), '义务代码 t17-press-district', 'the code in a tooltip');
  assert.doesNotMatch(await drawer.innerText(), /t17-press-district|编码/, 'no code shown to people');
  await drawer.getByTestId('cell-supervise-button').getByText('督办').click();

  await page.waitForURL(/\/notices\/new\?/);
  await page.getByRole('heading', { name: '新建督办单' }).waitFor();
  const item = page.getByTestId('field-item');
  await item.getByText(/区级生态环境部门新闻发布会（媒体通气会）（2023年7月1日 至 2023年9月30日）/).waitFor();
  assert.doesNotMatch(await item.innerText(), /t17/);
  assert.equal(await page.getByLabel('标题', { exact: true }).inputValue(),
    '关于督促万州区完成“区级生态环境部门新闻发布会（媒体通气会）”（2023年第三季度）的督办单');
  assert.match(await page.getByTestId('field-units').innerText(), /万州区/);
  await page.getByLabel('督办要求', { exact: true }).fill('请说明2023年第三季度未召开新闻发布会的原因，并尽快补报。');
  await page.getByTestId('notice-issue').click();
  await confirm(page, '下发督办单', '下发');
  await page.waitForURL(/\/notices\/\d+$/);
  const id = Number(/\/notices\/(\d+)/.exec(page.url())[1]);
  const shown = page.getByTestId('notice-duty');
  await shown.getByText('区级生态环境部门新闻发布会（媒体通气会）').waitFor();
  assert.equal(await shown.getAttribute('title'), '义务代码 t17-press-district');
  assert.doesNotMatch(await page.locator('main').innerText(), /工作义务 t17|t17-press-district/);
  const n = (await office.get(`/api/v1/notices/${id}`)).json;
  assert.deepEqual([n.subject, n.obligation, n.period.start, n.period.end], ['compliance', 't17-press-district', '2023-07-01', '2023-09-30']);

  // back on the matrix, the same cell's 督办 opens the notice instead of drafting another
  await page.goto(`${env.base}/compliance?unit=500101&task=17`);
  await cell.click();
  await drawer.waitFor();
  await drawer.getByText(/万州区已有督办单（下发）/).waitFor();
  await drawer.getByTestId('cell-supervise-button').getByText('查看督办单').click();
  await page.waitForURL(`${env.base}/notices/${id}`);
  await page.done();
});

test('390 px: the list is cards with checkboxes and the search box', async () => {
  const page = await env.page(PHONE);
  await uiLogin(page, env.base, 'demo.office');
  await page.getByRole('heading', { name: '你好，王晓燕' }).waitFor(); // signed in before going on
  await page.goto(`${env.base}/notices?q=${encodeURIComponent('湿地宣传周')}`);
  const cards = page.getByTestId('notices-cards');
  await cards.locator('li').first().waitFor();
  assert.equal(await page.getByTestId('notices-table').count(), 0, 'no table on a phone');
  assert.equal(await cards.locator('li').count(), 2);
  await page.getByTestId('list-total').getByText('共 2 条').waitFor();
  await cards.locator('li').first().locator('.el-checkbox').click();
  await page.getByTestId('batch-bar').getByText('已选 1 份').waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling (overflow ${overflow})`);
  await shot(page, 'notices-390');
  await page.done();
});
