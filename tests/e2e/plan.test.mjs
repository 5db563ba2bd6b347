// plan.test.mjs - the plan (行动计划) in the browser: the office opens the 2021-2025 plan, a
// section by keyboard, task 17 with its lead units (names and original words), time limit and
// duties, and exports the plan as .json and .xlsx; a district reporter sees what its unit leads
// or cooperates on and filters by role, time limit and action; the office drafts the 2026-2030
// plan from the published one, edits it (a negative minimum is refused beside its field, a key
// already used too), adds and deletes an action after confirming, and publishes it after a
// confirmation; an imported plan file with an error names its JSON path and stores nothing; a
// good file becomes a draft, which is discarded after a confirmation; in a draft a task and a
// one-off duty are added (the server’s time-limit message beside its field) and deleted; a
// draft's tasks come from an edited 附件1 sheet (.csv): a bad row is named by row and column and
// stores nothing, an unchanged sheet offers no import, an edited one shows what changes (a task
// changed, one removed with its duty) and is imported after a confirmation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startConsole, uiLogin, shot, navTitles } from './lib.mjs';

let env;
let office;
before(async () => {
  env = await startConsole('plan');
  office = await env.srv.login('demo.office');
});
after(async () => { await env?.close(); });

const TMP = mkdtempSync(join(tmpdir(), 'ecoact-e2e-plan-'));
const PLAN = 'cq-2021-2025';

async function tasksOf(query = '') {
  const r = await office.get(`/api/v1/plans/${PLAN}/tasks?limit=1000${query}`);
  assert.equal(r.status, 200, r.text);
  return r.json.items;
}

/** Opens an Element Plus select by keyboard (focus, Enter) and picks an option. */
async function choose(scope, page, label, option) {
  await scope.getByLabel(label, { exact: true }).first().focus();
  await page.keyboard.press('Enter');
  const name = typeof option === 'string' ? { name: option, exact: true } : { name: option };
  await page.getByRole('option', name).first().click();
}

test('the office opens the plan, a section by keyboard and task 17 with its duties; exports .json and .xlsx', async () => {
  const page = await env.page();
  await uiLogin(page, env.base, 'demo.office');
  await page.getByRole('heading', { name: '你好，王晓燕' }).waitFor();
  assert.deepEqual(await navTitles(page),
    ['首页', '我的待办', '行动计划', '填报台账', '台账查询', '台账审核', '批量导入', '督办单', '合规矩阵', '单位履职', '日历订阅', '联席会议', '议定事项', '节假日安排', '年度考评', '评分细则', '单位', '社会组织', '我的 API 令牌', '修改密码']);
  await page.getByRole('link', { name: '行动计划' }).first().click();
  const plans = page.getByTestId('plans-table');
  const row = plans.locator('tbody tr').filter({ hasText: '渝环〔2021〕87号' }); // named by its title and 文号, its code in a tooltip
  await row.waitFor();
  assert.match(await row.innerText(), /第 1 版/);
  assert.match(await row.innerText(), /已发布/);
  assert.match(await row.innerText(), /2021年7月1日 至 2025年12月31日/);
  assert.match(await row.innerText(), /渝环〔2021〕87号/);
  await shot(page, 'plans-1366');

  await row.getByRole('link', { name: /实施方案/ }).click();
  await page.getByRole('heading', { name: /美丽中国，我是行动者/ }).waitFor();
  await page.getByTestId('task-count').getByText('共 86 项').waitFor();
  assert.match(await page.locator('.facts').innerText(), /11\s*项行动[\s\S]*40\s*条措施[\s\S]*86\s*项重点任务[\s\S]*89\s*项工作义务/);
  // The third action's section opens from the keyboard.
  const section = page.getByRole('button', { name: /三、开展新闻宣传与舆论引导行动/ });
  await section.focus();
  await page.keyboard.press('Enter');
  const t17 = page.locator('[data-task="17"]');
  await t17.waitFor();
  assert.match(await t17.innerText(), /做好新闻发布/);
  assert.match(await t17.innerText(), /牵头：各区县/);
  assert.match(await t17.innerText(), /时限：立即落实，长期坚持/);
  await shot(page, 'plan-1366');

  await t17.getByRole('link', { name: /第17项/ }).click();
  await page.getByRole('heading', { name: '第17项 做好新闻发布' }).waitFor();
  const desc = await page.getByTestId('task-desc').innerText();
  assert.match(desc, /三、开展新闻宣传与舆论引导行动/);
  assert.match(desc, /区级生态环境部门每季度召开1次新闻发布会/);
  assert.match(desc, /原文：各区县/);
  assert.match(desc, /原文：区县相关部门（单位）/);
  assert.match(desc, /立即落实，长期坚持/);
  assert.match(desc, /41 个单位/);
  const obligations = page.getByTestId('obligations-table');
  const district = obligations.locator('tbody tr').filter({ hasText: '区级生态环境部门新闻发布会' });
  const county = obligations.locator('tbody tr').filter({ hasText: '县级生态环境部门新闻发布会' });
  const d = await district.innerText();
  assert.match(d, /每个区、管理区（各自承担）/);
  assert.match(d, /新闻发布会（媒体通气会）/);
  assert.match(d, /1 次/);
  assert.match(d, /每季度/);
  assert.match(d, /2021年7月1日 至 2025年12月31日/);
  assert.match(await county.innerText(), /每个县（各自承担）[\s\S]*每半年/);
  await shot(page, 'task-1366');

  // A task with a dated time limit: the original words and the date.
  await page.goto(`${env.base}/plans/${PLAN}/tasks/3`);
  await page.getByRole('heading', { name: /^第3项/ }).waitFor();
  assert.match(await page.getByTestId('task-desc').innerText(), /2022年底前（即 2022年12月31日前）/);
  assert.match(await page.getByTestId('obligations-table').innerText(), /2022年12月31日前完成/);

  // Exports: .json (the plan document) and .xlsx (附件1's layout).
  await page.getByRole('link', { name: /实施方案 第 1 版$/ }).click();
  await page.getByTestId('task-count').waitFor();
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出方案数据' }).click()]);
  assert.match(json.suggestedFilename(), /^重庆市贯彻落实.*实施方案（第1版）_\d{4}年\d{1,2}月\d{1,2}日\.json$/);
  await json.saveAs(join(TMP, 'plan.json'));
  const doc = JSON.parse(readFileSync(join(TMP, 'plan.json'), 'utf8'));
  assert.equal(doc.code, PLAN);
  assert.equal(doc.tasks.length, 86);
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 Excel' }).click()]);
  assert.match(xlsx.suggestedFilename(), /^重庆市贯彻落实.*实施方案（第1版）重点任务_\d{4}年\d{1,2}月\d{1,2}日\.xlsx$/);
  await xlsx.saveAs(join(TMP, 'plan.xlsx'));
  const sheet = execFileSync('unzip', ['-p', join(TMP, 'plan.xlsx'), 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' });
  const strings = (() => {
    try { return execFileSync('unzip', ['-p', join(TMP, 'plan.xlsx'), 'xl/sharedStrings.xml'], { encoding: 'utf8' }); } catch { return ''; }
  })();
  assert.match(sheet + strings, /做好新闻发布/);
  await page.done();
});

test('a district reporter sees what its unit leads or cooperates on, and filters the tasks', async () => {
  const mine = await tasksOf('&unit=500103');
  const lead = await tasksOf('&unit=500103&role=lead');
  const dated = mine.filter(t => t.deadline.kind === 'date');
  const page = await env.page();
  await uiLogin(page, env.base, 'demo.yuzhong');
  await page.getByRole('heading', { name: '你好，周填报' }).waitFor();
  await page.getByRole('link', { name: '行动计划' }).first().click();
  await page.getByTestId('plans-table').getByRole('link', { name: /实施方案/ }).click();
  const count = page.getByTestId('task-count');
  await count.getByText(`渝中区牵头或配合的任务：共 ${mine.length} 项（全部 86 项）`).waitFor();
  assert.equal(await page.getByRole('button', { name: '创建草稿' }).count(), 0, 'drafts are the office’s');
  assert.equal(await page.getByTestId('draft-bar').count(), 0);

  await choose(page, page, '承担方式', '牵头');
  await count.getByText(`共 ${lead.length} 项`).waitFor();
  await choose(page, page, '承担方式', '牵头或配合');
  await choose(page, page, '任务时限', '限期完成');
  await count.getByText(`共 ${dated.length} 项`).waitFor();
  const shown = await page.locator('[data-task]').evaluateAll(els => els.map(e => Number(e.dataset.task)));
  assert.deepEqual(shown, dated.map(t => t.no), 'only dated tasks of the unit, in order, every section open');
  for (const t of dated) assert.match(await page.locator(`[data-task="${t.no}"]`).innerText(), /\d{4}年\d{1,2}月\d{1,2}日前/);
  await shot(page, 'plan-reporter-1366');

  await choose(page, page, '行动', '3. 开展新闻宣传与舆论引导行动');
  await choose(page, page, '任务时限', '全部');
  const inAction3 = mine.filter(t => t.action === 3);
  await count.getByText(`共 ${inAction3.length} 项`).waitFor();
  assert.ok(await page.locator('[data-task="17"]').isVisible());
  // Another unit: the picker accepts typing.
  await page.getByRole('button', { name: '清除筛选' }).click();
  await count.getByText('共 86 项').waitFor();
  await page.done();
});

test('the office drafts the 2026-2030 plan, edits it (field errors beside the field), and publishes it after confirming', async () => {
  const page = await env.page();
  await uiLogin(page, env.base, 'demo.office');
  await page.getByRole('heading', { name: '你好，王晓燕' }).waitFor();
  await page.goto(env.base + '/plans');
  const row = page.getByTestId('plans-table').locator('tbody tr').filter({ hasText: '渝环〔2021〕87号' }); // named by its title and 文号, its code in a tooltip
  await row.getByRole('button', { name: '创建草稿' }).click();
  const dlg = page.getByRole('dialog', { name: '创建草稿' });
  await dlg.getByText('新的方案（新编码）').click();
  await dlg.getByLabel('方案编码').fill('CQ 2026');
  await dlg.getByRole('button', { name: '创建草稿' }).click();
  await dlg.getByText('方案编码应为 2 到 64 个小写字母、数字或 -').waitFor(); // checked before sending
  await dlg.getByLabel('方案编码').fill('cq-2026-2030');
  await dlg.getByLabel('标题').fill('重庆市“美丽中国，我是行动者”提升公民生态文明意识行动方案（2026—2030年）（征求意见稿）');
  await dlg.getByRole('button', { name: '创建草稿' }).click();
  await page.waitForURL(/\/plans\/cq-2026-2030\?version=draft$/);
  await page.getByTestId('plan-status').getByText('草稿').waitFor();
  await page.getByTestId('draft-bar').waitFor();
  await page.getByTestId('task-count').getByText('共 86 项').waitFor();

  // The plan's facts: the period, checked before sending.
  await page.getByRole('button', { name: '编辑方案信息' }).click();
  const info = page.getByRole('dialog', { name: '编辑方案信息' });
  await info.getByLabel('文号').fill('');
  await info.getByRole('button', { name: '保存' }).click();
  await page.getByText('方案信息已保存').waitFor();

  // An action: added, then deleted after confirming.
  await page.getByRole('button', { name: '添加行动' }).click();
  const act = page.getByRole('dialog', { name: '添加行动' });
  await act.getByLabel('行动名称').fill('开展生态文明数字化传播行动');
  await act.getByLabel('措施 1 名称').fill('建设生态文明网上展馆');
  await act.getByRole('button', { name: '保存' }).click();
  await page.getByText('已保存行动 12').waitFor();
  const section = page.getByRole('button', { name: /十二、开展生态文明数字化传播行动/ });
  await section.click();
  await page.getByRole('button', { name: '删除行动' }).last().click();
  await page.getByRole('dialog', { name: '删除行动' }).getByRole('button', { name: '删除' }).click();
  await page.getByText('已删除行动 12').waitFor();
  await section.waitFor({ state: 'detached' });

  // Task 17 in the draft: its time limit, then its duty's minimum.
  await page.getByLabel('关键词').fill('17');
  await page.getByTestId('task-count').getByText('共 1 项').waitFor();
  await page.locator('[data-task="17"]').getByRole('link').click();
  await page.getByRole('heading', { name: '第17项 做好新闻发布' }).waitFor();
  await page.getByRole('button', { name: '编辑任务' }).click();
  const task = page.getByRole('dialog', { name: '编辑第17项任务' });
  await task.getByLabel('任务时限原文').fill('2027年6月前');
  await task.getByRole('button', { name: '保存' }).click();
  await page.getByText('任务已保存').waitFor();
  await page.getByTestId('task-desc').getByText('（即 2027年6月30日前）').waitFor();
  assert.match(await page.getByTestId('task-desc').innerText(), /2027年6月前（即 2027年6月30日前）\s*限期完成/);

  const district = page.getByTestId('obligations-table').locator('tbody tr').filter({ hasText: '区级生态环境部门新闻发布会（媒体通气会）' });
  await district.getByRole('button', { name: '编辑' }).click();
  const obl = page.getByRole('dialog', { name: '编辑义务「区级生态环境部门新闻发布会（媒体通气会）」' });
  const minimum = obl.getByLabel('最少次数');
  await minimum.fill('-1');
  await obl.getByRole('button', { name: '保存' }).click();
  const minItem = obl.locator('.el-form-item').filter({ has: page.getByLabel('最少次数') });
  await minItem.locator('.el-form-item__error').getByText(/最少次数应为正整数/).waitFor();
  await shot(page, 'obligation-minimum-error-1366', { fullPage: false });
  await minimum.fill('2');
  await obl.getByRole('button', { name: '保存' }).click();
  await page.getByText('义务「区级生态环境部门新闻发布会（媒体通气会）」已保存').waitFor();
  assert.ok(!(await page.getByTestId('obligations-table').innerText()).includes('t17-press-district'), 'the duty is named by its title, its code only in a tooltip');
  assert.equal(await district.locator('.o-title').getAttribute('title'), '义务编码 t17-press-district');
  await district.getByText('2 次').waitFor();
  const saved = await office.get('/api/v1/plans/cq-2026-2030/obligations/t17-press-district?version=draft');
  assert.equal(saved.json.minimum, 2);
  assert.equal((await office.get(`/api/v1/plans/${PLAN}/obligations/t17-press-district`)).json.minimum, 1, 'the published plan is untouched');

  // A key already used: the server's message beside the key.
  await page.getByRole('button', { name: '添加义务' }).click();
  const add = page.getByRole('dialog', { name: '添加义务' });
  await add.getByLabel('义务编码').fill('t17-press-district');
  await add.getByLabel('义务名称').fill('区级新闻发布会（重复）');
  await add.getByText('按层级（各单位分别承担）').click();
  await choose(add, page, '单位层级', '区');
  await page.keyboard.press('Escape');
  await choose(add, page, '活动类型', '新闻发布会（媒体通气会）');
  await add.getByRole('button', { name: '保存' }).click();
  const keyItem = add.locator('.el-form-item').filter({ has: page.getByLabel('义务编码') });
  await keyItem.locator('.el-form-item__error').getByText('义务编码 t17-press-district 已存在').waitFor();
  await shot(page, 'obligation-key-error-1366', { fullPage: false });
  await add.getByRole('button', { name: '取消' }).click();
  await page.done();

  // Publish, after a confirmation.
  const p2 = await env.page();
  await uiLogin(p2, env.base, 'demo.office');
  await p2.getByRole('heading', { name: '你好，王晓燕' }).waitFor();
  await p2.goto(env.base + '/plans/cq-2026-2030?version=draft');
  await p2.getByTestId('draft-bar').waitFor();
  await shot(p2, 'plan-draft-1366', { fullPage: false });
  const publish = p2.getByTestId('draft-bar').getByRole('button', { name: '发布', exact: true });
  await publish.click();
  const confirm = p2.getByRole('dialog', { name: '发布方案' });
  await confirm.getByText(/发布后该版本不能再修改/).waitFor();
  await confirm.getByRole('button', { name: '取消' }).click();
  await confirm.waitFor({ state: 'hidden' });
  assert.equal((await office.get('/api/v1/plans/cq-2026-2030')).json.status, 'draft', 'cancelled: still a draft');
  await publish.click();
  await confirm.getByRole('button', { name: '发布' }).click();
  await p2.getByText(/^已发布：.+ 第 1 版$/).waitFor();
  await p2.getByTestId('plan-status').getByText('已发布').waitFor();
  assert.equal(await p2.getByTestId('draft-bar').count(), 0);
  assert.equal((await office.get('/api/v1/plans/cq-2026-2030')).json.status, 'published');
  await p2.done();
});

test('importing a plan file: an error names its JSON path and stores nothing; a good file becomes a draft, discarded after confirming', async () => {
  const doc = (await office.get(`/api/v1/plans/${PLAN}/export.json`)).json;
  const bad = structuredClone(doc);
  bad.tasks[12].lead = ['市不存在局'];
  const versionsBefore = (await office.get(`/api/v1/plans?code=${PLAN}`)).json.items.length;

  const page = await env.page();
  await uiLogin(page, env.base, 'demo.office');
  await page.getByRole('heading', { name: '你好，王晓燕' }).waitFor();
  await page.goto(env.base + '/plans');
  await page.getByTestId('plans-table').locator('tbody tr').first().waitFor();
  const pick = page.getByRole('button', { name: '从文件导入方案' });
  const choose1 = async (name, text) => {
    const [fc] = await Promise.all([page.waitForEvent('filechooser'), pick.click()]);
    await fc.setFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
  };
  await choose1('方案.json', '{"code": "x",');
  const err = page.getByTestId('plan-import-error');
  await err.getByText(/文件不是有效的 JSON/).waitFor();
  await choose1('方案.json', JSON.stringify(bad));
  await err.getByText('tasks[12].lead', { exact: true }).waitFor();
  await err.getByText(/第13项任务的牵头单位/).waitFor();
  await err.getByText(/单位不存在：市不存在局/).waitFor();
  await shot(page, 'plan-import-error-1366');
  assert.equal((await office.get(`/api/v1/plans?code=${PLAN}`)).json.items.length, versionsBefore, 'nothing stored');

  await choose1('方案.json', JSON.stringify(doc));
  await page.waitForURL(new RegExp(`/plans/${PLAN}\\?version=draft$`));
  await page.getByTestId('plan-status').getByText('草稿').waitFor();
  await page.getByText(`第 2 版`).first().waitFor();
  await page.getByRole('button', { name: '删除草稿' }).click();
  const confirm = page.getByRole('dialog', { name: '删除草稿' });
  await confirm.getByText(/不能恢复/).waitFor();
  await confirm.getByRole('button', { name: '删除草稿' }).click();
  await page.waitForURL(/\/plans$/);
  await page.getByText('草稿已删除').waitFor();
  const after = (await office.get(`/api/v1/plans?code=${PLAN}`)).json.items;
  assert.equal(after.length, versionsBefore);
  assert.ok(after.every(p => p.status === 'published'));
  await page.done();
});

test('in a draft the office adds a task and a one-off duty, then deletes both after confirming', async () => {
  const d = await office.post(`/api/v1/plans/${PLAN}/drafts`, { code: 'cq-edit-test', title: '编辑测试方案' });
  assert.equal(d.status, 201, d.text);
  const page = await env.page();
  await uiLogin(page, env.base, 'demo.office');
  await page.getByRole('heading', { name: '你好，王晓燕' }).waitFor();
  await page.goto(env.base + '/plans/cq-edit-test?version=draft');
  await page.getByTestId('draft-bar').waitFor();

  await page.getByRole('button', { name: '添加任务', exact: true }).click();
  const dlg = page.getByRole('dialog', { name: '添加任务' });
  assert.equal(await dlg.getByLabel('任务序号', { exact: true }).inputValue(), '87', 'the next free number');
  await dlg.getByRole('button', { name: '保存' }).click();
  await dlg.getByText('请选择所属行动').waitFor(); // checked before sending
  await dlg.getByText('至少选择一个牵头单位').waitFor();
  await choose(dlg, page, '所属行动', '11. 保障措施');
  await choose(dlg, page, '所属措施', '（4）加强督导评估');
  await dlg.getByLabel('重点内容', { exact: true }).fill('开展年度工作总结');
  await dlg.getByLabel('具体任务', { exact: true }).fill('每年12月底前形成年度工作总结，报联席会议。');
  await dlg.getByLabel('牵头单位原文', { exact: true }).fill('市生态环境局');
  await choose(dlg, page, '牵头单位', /^重庆市生态环境局/);
  await page.keyboard.press('Escape');
  await dlg.getByLabel('任务时限原文', { exact: true }).fill('每年12月底');
  await dlg.getByRole('button', { name: '保存' }).click();
  // The server cannot read these words as a time limit: its message, beside the field.
  const dl = dlg.locator('.el-form-item').filter({ has: page.getByLabel('任务时限原文', { exact: true }) });
  await dl.locator('.el-form-item__error').getByText(/无法识别任务时限/).waitFor();
  await choose(dlg, page, '时限类型', '长期坚持');
  await dlg.getByLabel('任务时限原文', { exact: true }).fill('长期坚持');
  await dlg.getByRole('button', { name: '保存' }).click();
  await page.getByText('已添加第87项任务').waitFor();
  await page.getByLabel('关键词', { exact: true }).fill('年度工作总结');
  await page.locator('[data-task="87"]').getByRole('link').click();
  await page.getByRole('heading', { name: '第87项 开展年度工作总结' }).waitFor();

  await page.getByRole('button', { name: '添加义务' }).click();
  const obl = page.getByRole('dialog', { name: '添加义务' });
  await obl.getByLabel('义务编码', { exact: true }).fill('t87-summary');
  await obl.getByLabel('义务名称', { exact: true }).fill('年度工作总结');
  await choose(obl, page, '承担单位', '重庆市生态环境局');
  await page.keyboard.press('Escape');
  await choose(obl, page, '活动类型', '任务进展情况报告');
  await choose(obl, page, '周期', '限期完成');
  await obl.getByRole('button', { name: '保存' }).click();
  await obl.getByText('一次性义务须给出完成期限').waitFor();
  await obl.getByLabel('完成期限', { exact: true }).fill('2025年12月31日');
  await page.keyboard.press('Enter');
  await obl.getByRole('button', { name: '保存' }).click();
  await page.getByText('义务「年度工作总结」已保存').waitFor();
  const row = page.getByTestId('obligations-table').locator('tbody tr').filter({ hasText: '年度工作总结' });
  assert.match(await row.innerText(), /市生态环境局[\s\S]*任务进展情况报告[\s\S]*1 次[\s\S]*限期完成[\s\S]*2025年12月31日前完成/);

  await row.getByRole('button', { name: '删除' }).click();
  await page.getByRole('dialog', { name: '删除义务' }).getByRole('button', { name: '删除' }).click();
  await page.getByText('已删除义务「年度工作总结」').waitFor();
  await page.getByTestId('obligations-table').getByText(/没有量化的工作义务/).waitFor();
  await page.getByRole('button', { name: '删除任务' }).click();
  await page.getByRole('dialog', { name: '删除任务' }).getByRole('button', { name: '删除' }).click();
  await page.getByText('已删除第87项任务').waitFor();
  await page.getByTestId('task-count').getByText('共 86 项').waitFor();
  assert.equal((await office.get('/api/v1/plans/cq-edit-test/tasks/87?version=draft')).status, 404);
  await page.done();
});

test('in a draft the office imports the tasks from an edited 附件1 sheet: errors by row and column, then what changes, confirmed', async () => {
  const CODE = 'cq-e2e-sheet';
  const d = await office.post(`/api/v1/plans/${PLAN}/drafts`, { code: CODE, title: '任务表导入测试方案' });
  assert.equal(d.status, 201, d.text);
  const draftTasks = async () => {
    const r = await office.get(`/api/v1/plans/${CODE}/tasks?version=draft&limit=1000`);
    assert.equal(r.status, 200, r.text);
    return r.json.items;
  };
  const tasks = await draftTasks();
  assert.equal(tasks.length, 86);
  const t15 = tasks.find(t => t.no === 15);
  assert.ok(t15.content_continued, 'task 15 continues the 重点内容 of the row above');
  const duty15 = await office.get(`/api/v1/plans/${CODE}/obligations/t15-media-symposium?version=draft`);
  assert.equal(duty15.status, 200, duty15.text);
  assert.equal(duty15.json.task, 15);

  // 附件1's columns, one row a task; a continued 重点内容 is left blank, as in the printed table.
  const cell = v => (/[",\r\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
  const sheet = rows => [['序号', '重点内容', '具体任务', '牵头单位', '配合单位', '任务时限'], ...rows]
    .map(r => r.map(cell).join(',')).join('\r\n') + '\r\n';
  const rows = () => tasks.map(t => [t.no, t.content_continued ? '' : t.content, t.text, t.lead_text, t.coop_text || '', t.deadline?.text || '']);
  const bad = rows();
  bad[2][3] = '市生态环境局、市不存在局'; // task 3, the sheet's row 4
  const edited = rows().filter(r => r[0] !== 15);
  const NEW_TEXT = '不定期推出各级党政领导干部学习体会文章，每季度至少1篇（修订）。';
  edited.find(r => r[0] === 3)[2] = NEW_TEXT;

  const page = await env.page();
  await uiLogin(page, env.base, 'demo.office');
  await page.getByRole('heading', { name: '你好，王晓燕' }).waitFor();
  await page.goto(`${env.base}/plans/${CODE}?version=draft`);
  await page.getByTestId('task-count').getByText('共 86 项').waitFor();
  await page.getByTestId('draft-bar').getByRole('button', { name: '从 Excel 导入任务' }).click();
  const dlg = page.getByRole('dialog', { name: '从 Excel 导入任务' });
  await dlg.getByText('先点「导出 Excel」得到当前草稿的任务表，修改后再导入；按序号对应任务，表中没有的任务会被删除。').waitFor();
  const upload = async (name, text) => {
    const [fc] = await Promise.all([page.waitForEvent('filechooser'), dlg.getByRole('button', { name: '选择文件并检查' }).click()]);
    await fc.setFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
  };

  // Not a table file: refused before sending.
  const [fc0] = await Promise.all([page.waitForEvent('filechooser'), dlg.getByRole('button', { name: '选择文件并检查' }).click()]);
  await fc0.setFiles({ name: '任务表.txt', mimeType: 'text/plain', buffer: Buffer.from('序号') });
  await dlg.getByText('请选择 .xlsx 或 .csv 文件（所选文件：任务表.txt）').waitFor();

  // One bad cell: named by row and column; nothing stored, nothing to import.
  await upload('任务表.csv', sheet(bad));
  await dlg.getByTestId('task-sheet-errors-summary').getByText(/任务表有 1 处错误，草稿未作任何修改/).waitFor();
  const errRow = dlg.getByTestId('task-sheet-errors').locator('tbody tr');
  assert.equal(await errRow.count(), 1);
  assert.match(await errRow.innerText(), /第 4 行\s+牵头单位\s+.*市不存在局/);
  assert.equal(await dlg.getByRole('button', { name: '确认导入' }).count(), 0);
  await shot(page, 'plan-task-sheet-errors-1366', { fullPage: false });

  // The sheet as it is: nothing changes, nothing to import.
  await upload('任务表.csv', sheet(rows()));
  await dlg.getByTestId('task-sheet-nochange').getByText('表中的 86 项任务与草稿相同，没有需要导入的修改。').waitFor();
  assert.equal(await dlg.getByRole('button', { name: '确认导入' }).count(), 0);
  assert.equal(await dlg.getByTestId('task-sheet-errors').count(), 0, 'the earlier errors are gone');

  // Task 3's text changed and task 15 taken out: what changes, and the duty that goes with it.
  await upload('任务表（修改）.csv', sheet(edited));
  const summary = dlg.getByTestId('task-sheet-summary');
  await summary.waitFor();
  const text = await summary.innerText();
  assert.match(text, /新增 0 项\s+—/);
  assert.match(text, /修改 1 项\s+第3项：具体任务/);
  assert.match(text, /删除 1 项\s+第15项/);
  assert.match(text, /不变 84 项/);
  const duties = dlg.getByTestId('task-sheet-duties');
  assert.match(await duties.innerText(), /以下 1 项工作义务将随所删任务一并删除[\s\S]*t15-media-symposium（第15项）/);
  assert.ok((await duties.innerText()).includes(duty15.json.title));
  await shot(page, 'plan-task-sheet-summary-1366', { fullPage: false });
  assert.equal((await draftTasks()).length, 86, 'the checks store nothing');

  // 确认导入 asks first, as removing tasks cannot be undone; cancelling keeps the draft.
  await dlg.getByRole('button', { name: '确认导入' }).click();
  const confirm = page.getByRole('dialog', { name: '导入任务表' });
  await confirm.getByText('导入后将删除 1 项任务（第15项）及其 1 项工作义务，不能恢复。确定导入？').waitFor();
  await confirm.getByRole('button', { name: '取消' }).click();
  await confirm.waitFor({ state: 'hidden' });
  assert.equal((await draftTasks()).length, 86, 'cancelled: nothing stored');
  await dlg.getByRole('button', { name: '确认导入' }).click();
  await confirm.getByRole('button', { name: '确认导入' }).click();
  await page.getByText('已导入任务表：修改 1 项，删除 1 项，共 85 项任务').waitFor();
  await dlg.waitFor({ state: 'hidden' });

  // The page shows the imported tasks.
  await page.getByTestId('task-count').getByText('共 85 项').waitFor();
  assert.match(await page.locator('.facts').innerText(), /85\s*项重点任务[\s\S]*88\s*项工作义务/);
  assert.equal(await page.locator('[data-task="15"]').count(), 0);
  await page.locator('[data-task="3"]').getByText(NEW_TEXT).waitFor();
  assert.equal((await office.get(`/api/v1/plans/${CODE}/tasks/15?version=draft`)).status, 404);
  assert.equal((await office.get(`/api/v1/plans/${CODE}/obligations/t15-media-symposium?version=draft`)).status, 404);
  assert.equal((await office.get(`/api/v1/plans/${CODE}/tasks/3?version=draft`)).json.text, NEW_TEXT);
  assert.equal((await office.get(`/api/v1/plans/${PLAN}/tasks/15`)).status, 200, 'the published plan is untouched');

  // Opened again, the dialog starts afresh.
  await page.getByTestId('draft-bar').getByRole('button', { name: '从 Excel 导入任务' }).click();
  await dlg.getByRole('button', { name: '选择文件并检查' }).waitFor();
  assert.equal(await dlg.getByTestId('task-sheet-summary').count(), 0);
  assert.equal(await dlg.getByRole('button', { name: '确认导入' }).count(), 0);
  await dlg.getByRole('button', { name: '关闭', exact: true }).click();
  await dlg.waitFor({ state: 'hidden' });
  await page.done();
});
