// ledger.test.mjs - the work ledger (台账) in the browser: a district reporter files a press
// conference on a phone with an evidence PDF (upload progress to 100%), the office returns it
// with a reason (after a confirmation), the reporter corrects and resubmits from the home page,
// the office accepts it, and the history shows every step; another district cannot open it;
// evidence checks before and by the server; the office exports the ledger as .xlsx and the
// workbook holds the report; a bulk import with a bad row lists the row and column and imports
// nothing, and a good file imports after 确认导入.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startConsole, uiLogin, shot, navTitles, PHONE } from './lib.mjs';

let env;
let office;
before(async () => {
  env = await startConsole('ledger');
  office = await env.srv.login('demo.office');
});
after(async () => { await env?.close(); });

const TMP = mkdtempSync(join(tmpdir(), 'ecoact-e2e-ledger-'));
// A PDF of about 3 MB, so the upload reports progress along the way.
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n'), Buffer.alloc(3 * 1024 * 1024, 0x20), Buffer.from('\ntrailer <<>>\n%%EOF\n')]);

/** Picks an option of an Element Plus select by typing, as a keyboard user does. */
async function choose(page, label, typed, option) {
  await page.getByLabel(label, { exact: true }).first().focus(); // the input, not its teleported list
  await page.keyboard.press('Enter');
  if (typed) await page.keyboard.type(typed);
  await page.getByRole('option', { name: option }).first().click();
}

/** The files a file chooser opened by clicking `button` receives. */
async function chooseFiles(page, button, files) {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), button.click()]);
  await chooser.setFiles(files);
}

async function reportCount(client, query = '') {
  let n = 0;
  let cursor = null;
  do {
    const r = await client.get(`/api/v1/reports?limit=1000${query}${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(r.status, 200, r.text);
    n += r.json.items.length;
    cursor = r.json.next_cursor;
  } while (cursor);
  return n;
}

const TITLE = '渝中区2025年第二季度生态环境新闻发布会';
let reportId;

test('a district reporter files a press conference on a phone and uploads a PDF (progress to 100%)', async () => {
  const page = await env.page(PHONE);
  await uiLogin(page, env.base, 'demo.yuzhong');
  await page.getByRole('heading', { name: '你好，周填报' }).waitFor();
  const ledger = page.getByTestId('my-ledger');
  await ledger.getByText('还没有报送').waitFor();
  // What the unit owes: after the plan's end nothing more falls due, and the page says so.
  await page.getByTestId('owed-90-days').getByText('未来 90 天没有应完成的工作义务').waitFor();
  await page.getByRole('button', { name: '打开导航菜单' }).click();
  assert.deepEqual(await page.getByRole('dialog').locator('nav.side-nav a').allInnerTexts().then(a => a.map(s => s.trim())),
    ['首页', '我的待办', '行动计划', '填报台账', '台账查询', '批量导入', '督办单', '合规矩阵', '单位履职', '日历订阅', '联席会议', '议定事项', '节假日安排', '年度考评', '评分细则', '单位', '社会组织', '我的 API 令牌', '修改密码']);
  await page.getByRole('dialog').getByRole('link', { name: '填报台账' }).click();
  await page.getByRole('heading', { name: '填报台账' }).waitFor();

  // Checked before sending: nothing filled in.
  await page.getByTestId('report-submit').click();
  await page.getByText('请选择活动类型').waitFor();
  await page.getByText('请至少选择一项服务的重点任务').waitFor();
  await page.getByText('请填写标题').waitFor();

  assert.match(await page.getByTestId('report-form').innerText(), /渝中区/, 'the unit is preset to the user’s own');
  await choose(page, '活动类型', '新闻发布', '新闻发布会（媒体通气会）');
  // The date picker: typed in the shown format; days outside the plan period are disabled.
  const date = page.getByLabel('活动日期', { exact: true });
  await date.click();
  await date.fill('2025年6月5日');
  await page.keyboard.press('Enter');
  await page.getByLabel('标题', { exact: true }).click(); // closes the picker
  assert.equal(await date.inputValue(), '2025年6月5日');
  await choose(page, '服务的重点任务', '17', /第17项/);
  await page.keyboard.press('Escape');
  await page.getByLabel('标题', { exact: true }).fill(TITLE);
  await page.getByLabel('摘要', { exact: true }).fill('通报上半年全区生态环境质量状况，回答记者提问。');
  await page.getByLabel('地点', { exact: true }).fill('渝中区融媒体中心');
  await page.getByLabel('参与人数', { exact: true }).fill('30');
  await page.getByLabel('媒体数', { exact: true }).fill('8');
  await page.getByLabel('相关链接', { exact: true }).fill('not a link');
  await page.getByLabel('地点', { exact: true }).click();
  await page.getByText('第 1 个链接无效').waitFor();
  await page.getByLabel('相关链接', { exact: true }).fill('https://www.cqyz.gov.cn/news/2025-06-05.html');
  await page.keyboard.press('Tab');
  await page.getByText('第 1 个链接无效').waitFor({ state: 'detached' });
  await page.locator('.el-message').waitFor({ state: 'detached' }); // the earlier 请按提示修改 toast
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling at 390 px (overflow ${overflow})`);
  await shot(page, 'report-form-390');

  await page.getByTestId('report-submit').click();
  await page.waitForURL(/\/reports\/\d+\?created=1$/);
  reportId = Number(/\/reports\/(\d+)/.exec(page.url())[1]);
  await page.getByTestId('report-title').getByText(TITLE).waitFor();
  await page.getByTestId('report-status').getByText('待审核').waitFor();
  await page.getByText('请在下方上传佐证材料').waitFor();

  // Evidence: checked before sending (type, size), then uploaded with a progress bar.
  const pick = page.getByRole('button', { name: '选择文件上传' });
  await chooseFiles(page, pick, [
    { name: '现场照片.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ') },
    { name: '发布会通稿.pdf', mimeType: 'application/pdf', buffer: PDF },
  ]);
  const items = page.getByTestId('upload-item');
  const bad = items.filter({ hasText: '现场照片.exe' });
  await bad.getByText('不支持的文件类型').waitFor();
  const good = items.filter({ hasText: '发布会通稿.pdf' });
  await good.getByText('已上传（PDF 文档）').waitFor();
  assert.equal(await good.getByRole('progressbar').getAttribute('aria-valuenow'), '100');
  await page.getByTestId('evidence-table').getByText('发布会通稿.pdf').waitFor();
  // A file that only claims to be a PDF: the server's 415 message is shown.
  await chooseFiles(page, pick, [{ name: '伪装.pdf', mimeType: 'application/pdf', buffer: Buffer.from('just some text, not a PDF') }]);
  await items.filter({ hasText: '伪装.pdf' }).getByText(/文件内容与声明的类型不符/).waitFor();
  // Over 20 MB: refused before sending.
  await chooseFiles(page, pick, [{ name: '录像.mp4', mimeType: 'video/mp4', buffer: Buffer.alloc(21 * 1024 * 1024) }]);
  await items.filter({ hasText: '录像.mp4' }).getByText(/文件过大.*20 MB/).waitFor();
  const overflow2 = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow2 <= 0, `no horizontal scrolling at 390 px (overflow ${overflow2})`);
  await shot(page, 'report-evidence-390');

  const r = await office.get(`/api/v1/reports/${reportId}`);
  assert.equal(r.json.evidence.length, 1);
  assert.equal(r.json.evidence[0].size, PDF.length);
  assert.deepEqual(r.json.tasks, [17]);
  assert.equal(r.json.activity_date, '2025-06-05');
  assert.deepEqual(r.json.metrics, { participants: 30, media_outlets: 8 });

  // My reports at 390 px: cards, no horizontal scrolling.
  await page.goto(env.base + '/reports');
  await page.getByTestId('reports-cards').getByText(TITLE).waitFor();
  const overflow3 = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow3 <= 0, `no horizontal scrolling at 390 px (overflow ${overflow3})`);
  await shot(page, 'reports-390');
  await page.done();
});

test('the office returns it with a reason; the reporter corrects and resubmits; the office accepts; the history shows it all', async () => {
  assert.ok(reportId, 'the report of the previous test');
  const op = await env.page();
  await uiLogin(op, env.base, 'demo.office');
  await op.getByRole('heading', { name: '你好，王晓燕' }).waitFor();
  await op.getByRole('link', { name: '台账审核' }).first().click();
  const queue = op.getByTestId('review-table');
  const row = queue.locator('tbody tr').filter({ hasText: TITLE });
  await row.waitFor();
  assert.match(await row.innerText(), /渝中区/);
  assert.match(await row.innerText(), /2025年6月5日/);
  await shot(op, 'review-1366');
  await row.getByRole('button', { name: '退回' }).click();
  const dlg = op.getByRole('dialog', { name: '退回报送' });
  await dlg.getByRole('button', { name: '退回' }).click();
  await dlg.getByText('请填写退回理由').waitFor(); // the reason is required
  await dlg.getByLabel('退回理由').fill('请补充发布会现场照片，并注明到场媒体名单。');
  await dlg.getByRole('button', { name: '退回' }).click();
  const confirm = op.getByRole('dialog', { name: '确认退回' });
  await confirm.getByText(/确定退回/).waitFor();
  await shot(op, 'review-return-confirm-1366', { fullPage: false });
  await confirm.getByRole('button', { name: '退回' }).click();
  await op.getByText(`已退回：${TITLE}`).waitFor();
  await queue.getByText('没有待审核的报送').waitFor();

  // The reporter sees it on the home page and corrects it.
  const rp = await env.page(PHONE);
  await uiLogin(rp, env.base, 'demo.yuzhong');
  const returned = rp.getByTestId('returned-list');
  await returned.getByText(TITLE).waitFor();
  await shot(rp, 'home-reporter-ledger-390');
  await returned.getByRole('link', { name: '修改并重新提交' }).click();
  await rp.getByRole('heading', { name: '修改并重新提交' }).waitFor();
  await rp.getByText('退回理由：请补充发布会现场照片，并注明到场媒体名单。').waitFor();
  await rp.getByLabel('标题', { exact: true }).fill(`${TITLE}（补充）`);
  await rp.getByLabel('媒体数', { exact: true }).fill('9');
  await rp.getByTestId('report-submit').click();
  await rp.waitForURL(new RegExp(`/reports/${reportId}$`));
  await rp.getByTestId('report-status').getByText('待审核').waitFor();
  await rp.getByText('已修改并重新提交，等待审核').waitFor();
  await rp.done();

  // The office accepts it from its page.
  await op.goto(`${env.base}/reports/${reportId}`);
  await op.getByTestId('report-title').getByText(`${TITLE}（补充）`).waitFor();
  // The evidence downloads as the file it was.
  const [ev] = await Promise.all([op.waitForEvent('download'), op.getByTestId('evidence-table').getByRole('link', { name: /发布会通稿\.pdf/ }).click()]);
  assert.equal(ev.suggestedFilename(), '发布会通稿.pdf');
  await ev.saveAs(join(TMP, 'evidence.pdf'));
  assert.ok(readFileSync(join(TMP, 'evidence.pdf')).equals(PDF), 'the downloaded evidence is the uploaded file');
  const corrected = (await office.get(`/api/v1/reports/${reportId}`)).json;
  assert.deepEqual(corrected.metrics, { participants: 30, media_outlets: 9 }, 'the metrics not touched are kept');
  assert.deepEqual(corrected.tasks, [17]);
  await op.getByRole('button', { name: '通过' }).click();
  await op.getByTestId('report-status').getByText('已通过').waitFor();
  assert.equal(await op.getByRole('button', { name: '通过' }).count(), 0);
  assert.equal(await op.getByRole('button', { name: '选择文件上传' }).count(), 0, 'no evidence changes once accepted');

  const history = op.getByTestId('report-history');
  const actions = await history.getByTestId('history-item').evaluateAll(els => els.map(e => e.dataset.action));
  assert.deepEqual(actions, ['submit', 'evidence_add', 'return', 'resubmit', 'accept']);
  const text = await history.innerText();
  assert.match(text, /提交报送/);
  assert.match(text, /添加佐证材料[\s\S]*发布会通稿\.pdf/);
  assert.match(text, /退回[\s\S]*王晓燕[\s\S]*理由：请补充发布会现场照片/);
  assert.match(text, /修改并重新提交[\s\S]*周填报[\s\S]*标题：/);
  assert.match(text, /（补充）/);
  assert.match(text, /审核通过[\s\S]*王晓燕[\s\S]*通过日期：\d{4}年\d{1,2}月\d{1,2}日/);
  assert.doesNotMatch(text, /accepted_date|undefined|null/);
  assert.match(text, /\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d:\d\d/);
  await shot(op, 'report-accepted-1366');
  await op.done();
});

test('a district user cannot open another district’s report: the not-found state', async () => {
  assert.ok(reportId);
  const page = await env.page();
  await uiLogin(page, env.base, 'demo.wanzhou');
  await page.getByRole('heading', { name: '你好，吴万州' }).waitFor();
  await page.goto(`${env.base}/reports/${reportId}`);
  // the server answers another unit's report as if it did not exist (its ids are not told apart)
  await page.locator('[data-state="not-found"]').getByText('找不到该内容', { exact: true }).waitFor();
  await page.getByText('报送不存在。它可能已被删除，或不属于您的单位。').waitFor();
  assert.doesNotMatch(await page.locator('main').innerText(), /发布会通稿/);
  await shot(page, 'report-forbidden-1366');
  // Nor does its own list show it.
  await page.goto(`${env.base}/reports`);
  await page.getByTestId('reports-table').getByText('还没有台账').waitFor();
  await page.done();
});

test('the office exports the ledger as .xlsx; the workbook holds the report', async () => {
  const title = '万州区2024年第三季度新闻发布会';
  const wz = await env.srv.login('demo.wanzhou');
  const made = await wz.post('/api/v1/reports', { kind: 'press_conference', activity_date: '2024-08-20', title, tasks: [17], metrics: { participants: 25 } });
  assert.equal(made.status, 201, made.text);

  const page = await env.page();
  await uiLogin(page, env.base, 'demo.office');
  await page.getByRole('heading', { name: '你好，王晓燕' }).waitFor();
  await page.getByRole('link', { name: '台账查询' }).first().click();
  const table = page.getByTestId('reports-table');
  await table.getByText(title).waitFor();
  await table.getByText(`${TITLE}（补充）`).waitFor();
  // Filter: status 待审核 leaves only the Wanzhou report.
  await choose(page, '状态', null, '待审核');
  await page.getByRole('button', { name: '查询' }).click();
  await page.waitForURL(/status=submitted/);
  await table.getByText(title).waitFor();
  await table.getByText(`${TITLE}（补充）`).waitFor({ state: 'detached' });
  await shot(page, 'reports-1366');

  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
  assert.match(dl.suggestedFilename(), /^工作台账_\d{4}年\d{1,2}月\d{1,2}日\.xlsx$/);
  const file = join(TMP, 'ledger.xlsx');
  await dl.saveAs(file);
  assert.equal(readFileSync(file).subarray(0, 4).toString('binary'), 'PK\x03\x04', 'an .xlsx is a zip');
  const list = execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' });
  assert.match(list, /^xl\/worksheets\/sheet1\.xml$/m);
  const sheet = execFileSync('unzip', ['-p', file, 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' });
  assert.ok(sheet.includes(title), 'the sheet holds the report title');
  assert.ok(!sheet.includes(`${TITLE}（补充）`), 'the export follows the filters');
  await page.done();
});

test('bulk import: a bad row shows its row and column and imports nothing; a good file imports after 确认导入', async () => {
  const yz = await env.srv.login('demo.yuzhong');
  const before = await reportCount(yz);
  const page = await env.page();
  await uiLogin(page, env.base, 'demo.yuzhong');
  await page.getByRole('heading', { name: '你好，周填报' }).waitFor();
  await page.getByRole('link', { name: '批量导入' }).first().click();
  await page.getByRole('heading', { name: '批量导入台账' }).waitFor();

  const header = '单位,类型,活动日期,标题,摘要,地点,服务任务,参与人数\n';
  const good1 = '500103,press_conference,2024-02-10,渝中区2024年第一季度新闻发布会,,,17,20\n';
  const bad = '500103,新闻发布会（媒体通气会）,2024-13-40,日期写错的发布会,,,17,-3\n';
  const good2 = '500103,新闻发布会（媒体通气会）,2024年5月20日,渝中区2024年第二季度新闻发布会,,,17,26\n';
  const pick = page.getByRole('button', { name: '选择文件并检查' });
  await chooseFiles(page, pick, [{ name: '台账.csv', mimeType: 'text/csv', buffer: Buffer.from(header + good1 + bad) }]);
  const errors = page.getByTestId('import-errors');
  await errors.locator('tbody tr').first().waitFor();
  const rows = await errors.locator('tbody tr').allInnerTexts();
  assert.equal(rows.length, 2, rows.join('\n'));
  assert.match(rows[0], /第 3 行\s+活动日期\s+无法识别的日期/);
  assert.match(rows[1], /第 3 行\s+参与人数\s+.*不能为负数/);
  await page.getByTestId('import-errors-summary').getByText(/未导入任何记录/).waitFor();
  assert.equal(await page.getByTestId('import-confirm').count(), 0, 'no 确认导入 while there are errors');
  await shot(page, 'import-errors-1366');
  assert.equal(await reportCount(yz), before, 'nothing imported');

  await chooseFiles(page, pick, [{ name: '台账.csv', mimeType: 'text/csv', buffer: Buffer.from(header + good1 + good2) }]);
  await page.getByTestId('import-ok').getByText('检查通过：共 2 条台账').waitFor();
  assert.equal(await reportCount(yz), before, 'the check stores nothing');
  await page.getByTestId('import-confirm').click();
  await page.getByTestId('import-done').getByText('已导入 2 条台账').waitFor();
  assert.equal(await reportCount(yz), before + 2);
  await page.getByRole('button', { name: '查看台账' }).click();
  await page.getByTestId('reports-table').getByText('渝中区2024年第二季度新闻发布会').waitFor();
  await page.done();
});

test('navigation by role: a leader reads the ledger but cannot file or review; a unit_admin reviews its child units', async () => {
  const page = await env.page();
  await uiLogin(page, env.base, 'demo.leader');
  await page.getByRole('heading', { name: '你好，李建国' }).waitFor();
  assert.deepEqual(await navTitles(page), ['首页', '我的待办', '行动计划', '台账查询', '督办单', '合规矩阵', '单位履职', '日历订阅', '联席会议', '议定事项', '节假日安排', '年度考评', '评分细则', '单位', '社会组织', '我的 API 令牌', '修改密码']);
  await page.goto(env.base + '/reports/new');
  await page.locator('[data-state="forbidden"]').getByText('无权访问', { exact: true }).waitFor();
  await page.goto(env.base + '/reports/review');
  await page.locator('[data-state="forbidden"]').getByText('无权访问', { exact: true }).waitFor();
  await page.goto(`${env.base}/reports/${reportId}`);
  await page.getByTestId('report-status').getByText('已通过').waitFor();
  assert.equal(await page.getByRole('button', { name: '修改并重新提交' }).count(), 0);
  await page.done();

  // A unit_admin reviews its child units' reports (a school of 渝中区 here), not its own unit's.
  const sys = await env.srv.login('demo.sysadmin');
  const yuzhong = (await sys.get('/api/v1/units/500103')).json;
  const school = await sys.post('/api/v1/units', { name: '重庆市人民小学', key: '人民小学', tier: 'school', parent_id: yuzhong.id });
  assert.equal(school.status, 201, school.text);
  const schoolReport = await office.post('/api/v1/reports', {
    unit: school.json.id, kind: 'campaign', activity_date: '2025-06-05', title: '人民小学六五环境日主题班会', tasks: [51],
  });
  assert.equal(schoolReport.status, 201, schoolReport.text);
  const admin = await env.page();
  await uiLogin(admin, env.base, 'demo.yuzhong.admin');
  await admin.getByRole('heading', { name: '你好，刘渝中' }).waitFor();
  assert.deepEqual(await navTitles(admin),
    ['首页', '我的待办', '行动计划', '填报台账', '台账查询', '台账审核', '批量导入', '督办单', '合规矩阵', '单位履职', '日历订阅', '联席会议', '议定事项', '节假日安排', '年度考评', '评分细则', '账号管理', '单位', '社会组织', '我的 API 令牌', '修改密码']);
  await admin.getByRole('link', { name: '台账审核' }).first().click();
  await admin.getByText('下级单位待审核的报送').waitFor();
  const queue = admin.getByTestId('review-table');
  const row = queue.locator('tbody tr').filter({ hasText: '人民小学六五环境日主题班会' });
  await row.waitFor();
  assert.doesNotMatch(await queue.innerText(), /渝中区2024年/, 'its own unit’s reports are the office’s to review');
  await row.getByRole('button', { name: '通过' }).click();
  await admin.getByText('已通过：人民小学六五环境日主题班会').waitFor();
  await queue.getByText('没有待审核的报送').waitFor();
  assert.equal((await office.get(`/api/v1/reports/${schoolReport.json.id}`)).json.status, 'accepted');
  await admin.done();
});
