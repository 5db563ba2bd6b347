// forms.test.mjs - the console as officials read it (issue 19, defects 3 and 10, the 补报 warning,
// labelled scores): a district reporter files a report typing a date outside the plan (kept, with
// an error naming the range, on its own line below the hint), a title over the server's limit
// (counted, refused, never cut), sees before submitting that the period has closed (补报) and
// attaches a photo and a PDF while filing (a thumbnail, a name and size), which arrive with the
// report; the office's notice form marks 重点任务 required and says why a past 办理期限 is
// refused; the plan's pages name the plan and its duties, not their codes (kept in tooltips);
// the home page labels 履职得分 with what it is; no page shows a code or an ISO date.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startConsole, uiLogin, shot, PHONE } from './lib.mjs';

let env;
let office;
before(async () => {
  env = await startConsole('forms');
  office = await env.srv.login('demo.office');
});
after(async () => { await env?.close(); });

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
// A 2×2 green PNG, so the thumbnail has something to show.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGNg0JjGwMAwjYGBgYGBAQAQ0gGBpNsXuQAAAABJRU5ErkJggg==', 'base64');

async function choose(page, label, typed, option) {
  await page.getByLabel(label, { exact: true }).first().focus();
  await page.keyboard.press('Enter');
  if (typed) await page.keyboard.type(typed);
  await page.getByRole('option', { name: option }).first().click();
}

/** A field's form item, its error and its hint. */
const item = (page, label) => page.locator('.el-form-item').filter({ has: page.getByLabel(label, { exact: true }) }).first();

/** Codes and ISO dates a person should not see in the page's text. */
async function noCodes(page, extra = []) {
  const text = await page.locator('main').innerText();
  for (const re of [/\d{4}-\d{2}-\d{2}/, /\b\d{4}Q\d\b/, /\bcq-2021-2025\b/, /\bt\d+-[a-z-]+/, /source：/, ...extra])
    assert.doesNotMatch(text, re, `no ${re} on ${page.url()}`);
  return text;
}

test('a reporter files: a date out of range explained, a long title counted and refused, the 补报 warning, evidence attached with previews', async () => {
  const page = await env.page();
  await uiLogin(page, env.base, 'demo.yuzhong');
  await page.getByRole('heading', { name: '你好，周填报' }).waitFor();
  await page.goto(`${env.base}/reports/new`);
  await page.getByRole('heading', { name: '填报台账' }).waitFor();
  await choose(page, '活动类型', '新闻发布', '新闻发布会（媒体通气会）');

  // A date after the plan, typed: kept, with a field error naming the allowed range.
  const date = page.getByLabel('活动日期', { exact: true });
  await date.click();
  await date.fill('2026年3月5日');
  await page.keyboard.press('Enter');
  await page.getByLabel('标题', { exact: true }).click();
  assert.equal(await date.inputValue(), '2026年3月5日', 'not emptied nor reverted');
  const dateItem = item(page, '活动日期');
  const dateError = dateItem.locator('.el-form-item__error');
  await dateError.getByText('2026年3月5日不在方案期限内：活动日期应在2021年7月1日至2025年12月31日之间').waitFor();
  // the hint and the error on lines of their own
  const hint = await dateItem.getByTestId('date-hint').boundingBox();
  const err = await dateError.boundingBox();
  assert.ok(err.y >= hint.y + hint.height - 1, `the error sits below the hint (hint ${JSON.stringify(hint)}, error ${JSON.stringify(err)})`);
  assert.doesNotMatch(await dateItem.innerText(), /今天）。?2026年/, 'hint and error do not run together');

  await date.click();
  await date.fill('2025年11月20日');
  await page.keyboard.press('Enter');
  await page.getByLabel('标题', { exact: true }).click();
  await dateError.waitFor({ state: 'detached' });
  await choose(page, '服务的重点任务', '17', /第17项/);
  await page.keyboard.press('Escape');

  // Before submitting: the period closed, so the report will count as made up late.
  const warn = page.getByTestId('late-warning');
  await warn.getByText('活动日期所在的考核周期已截止：本报送通过审核后按补报计').waitFor();
  assert.match(await warn.innerText(), /第17项「区级生态环境部门新闻发布会（媒体通气会）」2025年第四季度，已于 2026年1月15日 截止（含宽限期）/);

  // A title over the server's limit: counted and refused, never cut.
  const { title: max } = (await office.get('/api/v1/me')).json.policy.limits.report;
  const long = '渝中区'.repeat(Math.ceil((max + 5) / 3)).slice(0, max + 5);
  await page.getByLabel('标题', { exact: true }).fill(long);
  await page.getByLabel('地点', { exact: true }).click();
  assert.equal([...(await page.getByLabel('标题', { exact: true }).inputValue())].length, max + 5, 'the text is kept whole');
  const titleItem = item(page, '标题');
  await titleItem.getByTestId('char-count').getByText(`${max + 5} / ${max} 字，超出 5 字`).waitFor();
  await titleItem.locator('.el-form-item__error').getByText(`标题最多 ${max} 字，现有 ${max + 5} 字，请删减 5 字后再提交`).waitFor();
  const before = (await office.get('/api/v1/reports?limit=1000')).json.items.length;
  await page.getByTestId('report-submit').click();
  await page.getByText('请按提示修改后再提交').waitFor();
  assert.equal((await office.get('/api/v1/reports?limit=1000')).json.items.length, before, 'nothing sent');
  const TITLE = '渝中区2025年第四季度生态环境新闻发布会';
  await page.getByLabel('标题', { exact: true }).fill(TITLE);
  await titleItem.getByTestId('char-count').getByText(`${[...TITLE].length} / ${max} 字`, { exact: true }).waitFor();

  // Evidence while filing: a photo with its thumbnail, a PDF with its name and size.
  await page.getByTestId('evidence-input').setInputFiles([
    { name: '现场照片.png', mimeType: 'image/png', buffer: PNG },
    { name: '通稿.pdf', mimeType: 'application/pdf', buffer: PDF },
  ]);
  const ev = page.getByTestId('filing-evidence');
  const photo = ev.getByTestId('upload-item').filter({ hasText: '现场照片.png' });
  await photo.getByText('提交报送后上传').waitFor();
  const thumb = photo.getByTestId('upload-thumb');
  await page.waitForFunction(el => el.complete && el.naturalWidth > 0, await thumb.elementHandle());
  assert.equal(await thumb.getAttribute('alt'), '现场照片.png 预览');
  const pdf = ev.getByTestId('upload-item').filter({ hasText: '通稿.pdf' });
  assert.match(await pdf.innerText(), /PDF 文档 · \d+ B/);
  assert.equal(await pdf.getByTestId('upload-thumb').count(), 0, 'no thumbnail for a PDF');
  await shot(page, 'report-form-late-evidence-1366');

  await page.locator('.el-message').waitFor({ state: 'detached' });
  await page.getByTestId('report-submit').click();
  await page.getByText('报送已提交，佐证材料 2 个已上传').waitFor();
  await page.waitForURL(/\/reports\/\d+$/);
  const id = Number(/\/reports\/(\d+)/.exec(page.url())[1]);
  const r = (await office.get(`/api/v1/reports/${id}`)).json;
  assert.deepEqual(r.evidence.map(e => e.name).sort(), ['现场照片.png', '通稿.pdf'].sort());
  await page.getByTestId('evidence-table').getByText('现场照片.png').waitFor();
  await noCodes(page);
  await page.done();
});

test('the same form at 390 px: warning, counts and evidence fit, nothing scrolls sideways', async () => {
  const page = await env.page(PHONE);
  await uiLogin(page, env.base, 'demo.yuzhong');
  await page.getByRole('heading', { name: '你好，周填报' }).waitFor();
  await page.goto(`${env.base}/reports/new`);
  await choose(page, '活动类型', '新闻发布', '新闻发布会（媒体通气会）');
  const date = page.getByLabel('活动日期', { exact: true });
  await date.click();
  await date.fill('2024年5月6日');
  await page.keyboard.press('Enter');
  await page.getByLabel('标题', { exact: true }).click();
  await page.getByTestId('late-warning').getByText(/2024年第二季度/).waitFor();
  await page.getByTestId('evidence-input').setInputFiles([{ name: '照片.png', mimeType: 'image/png', buffer: PNG }]);
  await page.getByTestId('upload-thumb').waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling at 390 px (overflow ${overflow})`);
  await shot(page, 'report-form-late-390');
  await page.done();
});

test('the office’s notice form: 重点任务 marked required; a past 办理期限 kept and explained', async () => {
  const page = await env.page();
  await uiLogin(page, env.base, 'demo.office');
  await page.getByRole('heading', { name: '你好，王晓燕' }).waitFor();
  await page.goto(`${env.base}/notices/new`);
  const task = page.locator('.el-form-item').filter({ hasText: '重点任务' }).first();
  await task.waitFor();
  assert.match(await task.getAttribute('class'), /is-required/, 'the asterisk of a required field');
  const deadline = page.getByLabel('办理期限', { exact: true });
  await deadline.click();
  await deadline.fill('2025年2月11日');
  await page.keyboard.press('Enter');
  await page.getByLabel('标题', { exact: true }).click();
  assert.equal(await deadline.inputValue(), '2025年2月11日', 'not silently reverted');
  await item(page, '办理期限').locator('.el-form-item__error').getByText(/^2025年2月11日已过：办理期限不能早于今天（\d{4}年\d{1,2}月\d{1,2}日）$/).waitFor();
  await page.done();
});

test('the plan’s pages name the plan and its duties; the codes stay in tooltips', async () => {
  const page = await env.page();
  await uiLogin(page, env.base, 'demo.office');
  await page.getByRole('heading', { name: '你好，王晓燕' }).waitFor();
  await page.goto(`${env.base}/plans`);
  await page.getByTestId('plans-table').getByText('渝环〔2021〕87号').waitFor();
  assert.ok(await page.getByRole('button', { name: '从文件导入方案' }).isVisible());
  await noCodes(page, [/JSON/]);
  assert.equal(await page.getByTestId('plans-table').getByText('渝环〔2021〕87号').getAttribute('title'), '方案编码 cq-2021-2025');

  await page.goto(`${env.base}/plans/cq-2021-2025/tasks/17`);
  const crumb = page.locator('.crumbs .crumb-plan');
  await crumb.getByText(/^重庆市贯彻落实.*实施方案 第 1 版$/).waitFor();
  assert.equal(await crumb.getAttribute('title'), '方案编码 cq-2021-2025');
  await page.getByTestId('obligations-table').getByText('区级生态环境部门新闻发布会（媒体通气会）').waitFor();
  await noCodes(page);
  const duty = page.getByTestId('obligations-table').locator('.o-title').filter({ hasText: '区级生态环境部门新闻发布会' });
  assert.equal(await duty.getAttribute('title'), '义务编码 t17-press-district');
  await page.goto(`${env.base}/plans/cq-2021-2025`);
  await page.locator('.crumbs .crumb-plan').getByText(/实施方案 第 1 版$/).waitFor();
  await page.getByRole('button', { name: '导出方案数据' }).waitFor();
  await page.done();
});

test('home: 履职得分 says what it is and that it is not the 年度总分; periods in words', async () => {
  const page = await env.page();
  await uiLogin(page, env.base, 'demo.yuzhong');
  await page.getByRole('heading', { name: '你好，周填报' }).waitFor();
  const unit = page.getByTestId('unit-compliance');
  await unit.getByTestId('score-label').getByText('履职得分').waitFor();
  assert.match(await unit.getByTestId('score-rule').innerText(), /^履职得分：已结束的周期.*它不是年度考评的年度总分/);
  await page.getByTestId('red-items').waitFor();
  await noCodes(page);
  await page.done();
});
