// supervise.test.mjs - dispatch notices (督办单) and the inbox (待办) in the browser: the office
// issues a notice to 渝中区 from the form; the district's unit_admin sees it in the header's
// badge and the inbox (at 390 px), signs, uploads an evidence file (progress to 100%) and
// answers; the office returns it with a reason (after a confirmation); the unit sees the reason
// and answers again; the office accepts; the notice page shows every stage of 立项 → 下发 → 签收
// → 办理 → 反馈 → 复核 → 办结 with its time and the history (the return, an escalation by hand).
// Filters of the list, 完成 in the inbox, and who may see what.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startConsole, uiLogin, shot, PHONE, noOverflow } from './lib.mjs';

let env;
let office;
before(async () => {
  env = await startConsole('supervise');
  office = await env.srv.login('demo.office');
});
after(async () => { await env?.close(); });

const TITLE = '关于加快落实渝中区新闻发布会制度的督办';
const TXT = Buffer.from('渝中区新闻发布会落实情况说明：已于本季度召开新闻发布会一次。\n', 'utf8');
let noticeId;

/** Picks an option of an Element Plus select by typing, as a keyboard user does. */
async function choose(page, label, typed, option) {
  await page.getByLabel(label, { exact: true }).first().focus();
  await page.keyboard.press('Enter');
  if (typed) await page.keyboard.type(typed);
  await page.getByRole('option', { name: option }).first().click();
}
/** Confirms an ElMessageBox by its title and button. */
async function confirm(page, title, button) {
  const box = page.getByRole('dialog', { name: title, exact: true });
  await box.waitFor();
  await box.getByRole('button', { name: button, exact: true }).click();
  await box.waitFor({ state: 'detached' });
}
/** Waits until no ElMessage toast is shown (they cover the top of a screenshot). */
async function noToast(page) {
  await page.waitForFunction(() => !document.querySelector('.el-message'), null, { timeout: 10000 });
}
const TIME = /\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d:\d\d/;

test('the office issues a notice to 渝中区 from the form (unit, task, title, requirements, deadline)', async () => {
  const page = await env.page();
  await uiLogin(page, env.base, 'demo.office');
  await page.getByRole('heading', { name: '你好，王晓燕' }).waitFor();
  await page.getByRole('link', { name: '督办单' }).first().click();
  await page.getByRole('heading', { name: '督办单' }).waitFor();
  await page.getByTestId('notices-table').getByText('还没有督办单').waitFor();
  await page.getByTestId('notice-new').click();
  await page.getByRole('heading', { name: '新建督办单' }).waitFor();

  // Checked before sending.
  await page.getByTestId('notice-save').click();
  await page.getByText('请选择督办单位').waitFor();
  await page.getByText('请选择督办的重点任务').waitFor();
  await page.getByText('请填写标题').waitFor();

  await choose(page, '督办单位', '渝中', '渝中区');
  await choose(page, '重点任务', '17', /第17项/);
  await page.getByLabel('标题', { exact: true }).fill(TITLE);
  await page.getByLabel('督办要求', { exact: true }).fill('请按季度召开新闻发布会，通报生态环境质量状况，并报送发布会通稿和现场照片。');
  await page.getByLabel('标题', { exact: true }).focus(); // leaves 督办要求: its check passes again
  await page.getByText('请填写督办要求').waitFor({ state: 'detached' });
  const deadline = page.getByLabel('办理期限', { exact: true });
  assert.match(await deadline.inputValue(), /^\d{4}年\d{1,2}月\d{1,2}日$/, 'a deadline is proposed, shown as 2025年6月5日');
  await noToast(page);
  await shot(page, 'notice-form-1366');

  await page.getByTestId('notice-issue').click();
  await confirm(page, '下发督办单', '下发');
  await page.waitForURL(/\/notices\/\d+$/);
  noticeId = Number(/\/notices\/(\d+)/.exec(page.url())[1]);
  await page.getByTestId('notice-title').getByText(TITLE).waitFor();
  await page.getByTestId('notice-stage').getByText('下发').waitFor();
  await page.getByText(/渝生态宣督〔\d{4}〕\d+号/).first().waitFor();
  const n = (await office.get(`/api/v1/notices/${noticeId}`)).json;
  assert.equal(n.unit.code, '500103');
  assert.equal(n.task, 17);
  assert.equal(n.level, 'blue');

  // The list: level as a coloured tag, the stage; filters.
  await page.getByRole('link', { name: '督办单' }).first().click();
  const table = page.getByTestId('notices-table');
  const row = table.locator('tbody tr').filter({ hasText: TITLE });
  await row.waitFor();
  assert.match(await row.innerText(), /渝中区[\s\S]*第17项[\s\S]*蓝色[\s\S]*下发/);
  const blue = await row.locator('.level-tag').evaluate(e => getComputedStyle(e).backgroundColor);
  assert.equal(blue, 'rgb(47, 111, 214)', 'blue is blue');
  await choose(page, '督办级别', null, '红色');
  await page.getByRole('button', { name: '查询' }).click();
  await page.waitForURL(/level=red/);
  await table.getByText('没有符合条件的督办单').waitFor();
  await page.getByRole('button', { name: '重置' }).click();
  await row.waitFor();
  await shot(page, 'notices-1366');
  await page.done();
});

test('the unit_admin sees it in the badge and the inbox (390 px), signs, uploads evidence and answers', async () => {
  assert.ok(noticeId);
  const page = await env.page(PHONE);
  await uiLogin(page, env.base, 'demo.yuzhong.admin');
  await page.getByRole('heading', { name: '你好，刘渝中' }).waitFor();
  const badge = page.getByTestId('inbox-badge');
  await badge.locator('.el-badge__content').getByText('1', { exact: true }).waitFor();
  assert.match(await badge.getAttribute('aria-label'), /我的待办：1 项未办/);
  await page.getByTestId('home-inbox-list').getByText(TITLE).waitFor();
  await badge.click();
  await page.getByRole('heading', { name: '我的待办' }).waitFor();
  const item = page.getByTestId('inbox-item').filter({ hasText: TITLE });
  await item.waitFor();
  assert.equal(await item.getAttribute('data-kind'), 'notice_sign');
  assert.match(await item.innerText(), /待签收督办单[\s\S]*期限 \d{4}年\d{1,2}月\d{1,2}日/);
  await page.getByTestId('inbox-counts').getByText(/待签收督办单\s*1/).waitFor();
  await noOverflow(page);
  await shot(page, 'inbox-390');

  await item.getByRole('link', { name: TITLE }).click();
  await page.waitForURL(new RegExp(`/notices/${noticeId}$`));
  await page.getByTestId('notice-sign').click();
  await confirm(page, '签收督办单', '签收');
  await page.getByTestId('notice-stage').getByText('签收').waitFor();
  // signing settled the signing item; the answer is what the unit owes now (issue 19 §2)
  await page.waitForFunction(() => document.querySelector('[data-testid="inbox-badge"]')?.getAttribute('aria-label')?.includes('1 项未办'));
  assert.match(await badge.getAttribute('aria-label'), /我的待办：1 项未办/);

  // Evidence: a text file, with its progress bar.
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: '选择文件上传' }).click()]);
  await chooser.setFiles([{ name: '落实情况说明.txt', mimeType: 'text/plain', buffer: TXT }]);
  const up = page.getByTestId('upload-item').filter({ hasText: '落实情况说明.txt' });
  await up.getByText(/已上传/).waitFor();
  assert.equal(await up.getByRole('progressbar').getAttribute('aria-valuenow'), '100');
  await page.getByTestId('notice-evidence').getByText('落实情况说明.txt').waitFor();
  await page.getByTestId('notice-stage').getByText('办理').waitFor();

  // The answer: required fields checked first.
  await page.getByTestId('answer-submit').click();
  await page.getByText('请填写工作进展').waitFor();
  await page.getByText('请填写下一步计划').waitFor();
  const form = page.getByTestId('answer-form');
  await form.getByLabel('工作进展', { exact: true }).fill('已于本季度召开新闻发布会一次，通报上半年生态环境质量状况，8家媒体参加。');
  await form.getByLabel('存在困难', { exact: true }).fill('发布场地需与区融媒体中心协调。');
  await form.getByLabel('下一步计划', { exact: true }).fill('下季度继续召开，并提前一周报送发布方案。');
  await form.getByLabel('工作进展', { exact: true }).focus(); // leaves 下一步计划: its check passes again
  await page.getByText('请填写下一步计划').waitFor({ state: 'detached' });
  await noToast(page);
  await noOverflow(page);
  await page.getByTestId('answer-panel').scrollIntoViewIfNeeded();
  await shot(page, 'notice-answer-390');
  await page.getByTestId('answer-submit').click();
  await confirm(page, '提交反馈', '提交反馈');
  await page.getByTestId('notice-stage').getByText('反馈').waitFor();
  assert.equal(await page.getByTestId('answer-panel').count(), 0, 'no more answering while the office reviews');
  await page.getByTestId('answers').getByText('待复核').waitFor();
  await badge.locator('.el-badge__content').waitFor({ state: 'hidden' }); // answering settled 督办单待反馈
  await page.done();
});

test('the office returns the answer with a reason, after a confirmation; the unit answers again; the office accepts', async () => {
  assert.ok(noticeId);
  const op = await env.page();
  await uiLogin(op, env.base, 'demo.office');
  await op.getByRole('heading', { name: '你好，王晓燕' }).waitFor();
  // The office's inbox has the review.
  await op.getByTestId('inbox-badge').click();
  const review = op.getByTestId('inbox-item').filter({ hasText: '督办反馈待复核' });
  await review.waitFor();
  await review.getByRole('link', { name: '去办理' }).click();
  await op.waitForURL(new RegExp(`/notices/${noticeId}$`));
  await op.getByTestId('review-return').click();
  const dlg = op.getByRole('dialog', { name: '退回重办' });
  await dlg.getByRole('button', { name: '退回' }).click();
  await dlg.getByText('请填写退回理由').waitFor();
  await dlg.getByLabel('退回理由').fill('请补充发布会新闻通稿和现场照片。');
  await dlg.getByRole('button', { name: '退回' }).click();
  const box = op.getByRole('dialog', { name: '确认退回' });
  await box.getByText(/确定退回渝中区的反馈/).waitFor();
  await shot(op, 'notice-return-confirm-1366', { fullPage: false });
  await box.getByRole('button', { name: '退回', exact: true }).click();
  await op.getByTestId('notice-stage').getByText('办理').waitFor();
  await op.getByTestId('returned-box').getByText('退回理由：请补充发布会新闻通稿和现场照片。').waitFor();
  // The path as the server gives it: 办理 is current again, 被退回重办, with its time.
  const back = op.getByTestId('stage-path').locator('[data-step="in_progress"]');
  assert.equal(await back.getAttribute('data-state'), 'current');
  assert.match(await back.locator('.el-step__description').innerText(), new RegExp(`被退回重办 ${TIME.source}`));
  assert.equal(await op.getByTestId('stage-path').locator('[data-step="answered"]').getAttribute('data-state'), 'todo');

  // The unit sees the reason (inbox and page), adds a file and answers again.
  const up = await env.page(PHONE);
  await uiLogin(up, env.base, 'demo.yuzhong.admin');
  await up.getByRole('heading', { name: '你好，刘渝中' }).waitFor();
  await up.getByTestId('inbox-badge').click();
  const ret = up.getByTestId('inbox-item').filter({ hasText: '督办反馈被退回' });
  await ret.waitFor();
  await ret.getByRole('link', { name: '去办理' }).click();
  await up.getByTestId('returned-box').getByText('退回理由：请补充发布会新闻通稿和现场照片。').waitFor();
  await up.getByRole('heading', { name: '重新反馈办理情况' }).waitFor();
  const [chooser] = await Promise.all([up.waitForEvent('filechooser'), up.getByRole('button', { name: '选择文件上传' }).click()]);
  await chooser.setFiles([{ name: '新闻通稿.txt', mimeType: 'text/plain', buffer: Buffer.from('新闻通稿：渝中区召开2025年第二季度生态环境新闻发布会。\n') }]);
  await up.getByTestId('upload-item').filter({ hasText: '新闻通稿.txt' }).getByText(/已上传/).waitFor();
  const form = up.getByTestId('answer-form');
  await form.getByLabel('工作进展', { exact: true }).fill('已补充新闻通稿和现场照片。');
  await form.getByLabel('下一步计划', { exact: true }).fill('按季度继续召开新闻发布会。');
  await up.getByTestId('answer-submit').click();
  await confirm(up, '提交反馈', '提交反馈');
  await up.getByTestId('notice-stage').getByText('反馈').waitFor();
  await up.done();

  // The office accepts: 办结.
  await op.reload();
  await op.getByTestId('review-accept').click();
  await confirm(op, '复核通过', '通过并办结');
  await op.getByTestId('notice-stage').getByText('办结').waitFor();
  assert.equal(await op.getByTestId('review-accept').count(), 0);

  // Every stage with its time.
  const steps = op.getByTestId('stage-path').locator('.el-step');
  assert.equal(await steps.count(), 7);
  const titles = await steps.locator('.el-step__title').allInnerTexts();
  assert.deepEqual(titles.map(s => s.trim()), ['立项', '下发', '签收', '办理', '反馈', '复核', '办结']);
  const descs = await steps.locator('.el-step__description').allInnerTexts();
  for (let i = 0; i < 7; i++) assert.match(descs[i], TIME, `${titles[i]} has its time: ${descs[i]}`);
  const done = await steps.evaluateAll(els => els.map(e => e.querySelector('.el-step__head').classList.contains('is-success')));
  assert.deepEqual(done, [true, true, true, true, true, true, true]);

  // Two rounds, the history with the return.
  const rounds = op.getByTestId('answers').locator('li.answer');
  assert.equal(await rounds.count(), 2);
  assert.match(await rounds.nth(0).innerText(), /第 2 轮反馈[\s\S]*复核通过/);
  assert.match(await rounds.nth(1).innerText(), /第 1 轮反馈[\s\S]*已退回[\s\S]*存在困难[\s\S]*发布场地[\s\S]*退回理由：请补充发布会新闻通稿和现场照片/);
  const actions = await op.getByTestId('notice-history').getByTestId('history-item').evaluateAll(els => els.map(e => e.dataset.action));
  assert.deepEqual(actions, ['draft', 'issue', 'sign', 'start', 'evidence_add', 'answer', 'return', 'evidence_add', 'answer', 'accept']);
  const hist = await op.getByTestId('notice-history').innerText();
  assert.match(hist, /签收[\s\S]*刘渝中/);
  assert.match(hist, /复核：退回重办[\s\S]*请补充发布会新闻通稿和现场照片/);
  assert.doesNotMatch(hist, /undefined|null/);
  await shot(op, 'notice-closed-1366');
  await op.done();
});

test('the office escalates an overdue-prone notice by hand (blue → orange), recorded in the history; unit users never see drafts', async () => {
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  const made = await office.post('/api/v1/notices', {
    unit: '500103', task: 17, title: '关于渝中区生态文明宣传教育阵地建设的督办', requirements: '请建设宣传教育阵地。', deadline: today, issue: true,
  });
  assert.equal(made.status, 201, made.text);
  const draft = await office.post('/api/v1/notices', { unit: '500103', task: 17, title: '渝中区尚未下发的督办草稿', requirements: '草稿', deadline: today });
  assert.equal(draft.status, 201, draft.text);

  const page = await env.page();
  await uiLogin(page, env.base, 'demo.office');
  await page.getByRole('heading', { name: '你好，王晓燕' }).waitFor();
  await page.goto(`${env.base}/notices/${made.json.id}`);
  await page.getByTestId('escalate').click();
  const dlg = page.getByRole('dialog', { name: '升级督办' });
  await dlg.getByLabel('升级说明（选填）').fill('期限当天仍未签收');
  await dlg.getByRole('button', { name: '升级', exact: true }).click();
  await confirm(page, '确认升级', '升级');
  await page.getByText('已升级为橙色督办').waitFor();
  const hist = page.getByTestId('notice-history');
  await hist.locator('[data-action="escalate"]').waitFor();
  assert.match(await hist.innerText(), /升级督办[\s\S]*橙色[\s\S]*期限当天仍未签收/);
  // the draft: the office edits it
  await page.goto(`${env.base}/notices/${draft.json.id}`);
  await page.getByTestId('notice-stage').getByText('立项').waitFor();
  await page.getByRole('button', { name: '修改' }).click();
  await page.getByRole('heading', { name: '修改督办单草稿' }).waitFor();
  await page.getByLabel('标题', { exact: true }).fill('渝中区尚未下发的督办草稿（已修改）');
  await page.getByTestId('notice-save').click();
  await page.getByTestId('notice-title').getByText('渝中区尚未下发的督办草稿（已修改）').waitFor();
  // its path: 立项 done with its time, 下发 waiting (the server's texts)
  const path = page.getByTestId('stage-path');
  assert.match(await path.locator('[data-step="drafted"] .el-step__description').innerText(), TIME);
  assert.equal(await path.locator('[data-step="issued"]').getAttribute('data-state'), 'current');
  assert.equal((await path.locator('[data-step="issued"] .el-step__description').innerText()).trim(), '待下发');
  // an issued notice offers no 删除草稿
  await page.goto(`${env.base}/notices/${made.json.id}`);
  await page.getByTestId('notice-title').waitFor();
  assert.equal(await page.getByTestId('notice-discard').count(), 0);
  // the office discards a draft, after a confirmation: back to the list, which no longer shows it
  const gone = await office.post('/api/v1/notices', { unit: '500103', task: 17, title: '渝中区将被删除的督办草稿', requirements: '草稿', deadline: today });
  assert.equal(gone.status, 201, gone.text);
  await page.goto(`${env.base}/notices/${gone.json.id}`);
  await page.getByTestId('notice-title').getByText('渝中区将被删除的督办草稿').waitFor();
  await page.getByTestId('notice-discard').click();
  const box = page.getByRole('dialog', { name: '删除草稿', exact: true });
  await box.getByText(/草稿和它的办理记录将被删除[\s\S]*审计日志保留其标题/).waitFor();
  await box.getByRole('button', { name: '取消', exact: true }).click(); // cancelled: still there
  await box.waitFor({ state: 'detached' });
  await page.getByTestId('notice-title').getByText('渝中区将被删除的督办草稿').waitFor();
  await page.getByTestId('notice-discard').click();
  await confirm(page, '删除草稿', '删除');
  await page.getByText('草稿已删除').waitFor();
  await page.waitForURL(/\/notices$/);
  const list = page.getByTestId('notices-table');
  await list.getByText('渝中区尚未下发的督办草稿（已修改）').waitFor();
  assert.doesNotMatch(await list.innerText(), /渝中区将被删除的督办草稿/);
  assert.equal((await office.get(`/api/v1/notices/${gone.json.id}`)).status, 404);
  await page.done();

  // 渝中区's reporter: the issued ones, never the draft (403-free list, 404 on the draft).
  const rp = await env.page();
  await uiLogin(rp, env.base, 'demo.yuzhong');
  await rp.getByRole('heading', { name: '你好，周填报' }).waitFor();
  await rp.getByRole('link', { name: '督办单' }).first().click();
  const table = rp.getByTestId('notices-table');
  await table.getByText('关于渝中区生态文明宣传教育阵地建设的督办').waitFor();
  assert.doesNotMatch(await table.innerText(), /草稿/);
  assert.equal(await rp.getByTestId('notice-new').count(), 0, 'no 新建 for a unit');
  await rp.goto(`${env.base}/notices/${draft.json.id}`);
  await rp.locator('[data-state="not-found"]').getByText('督办单不存在。它可能已被删除，或不属于您的单位。').waitFor();
  await rp.goto(`${env.base}/notices/new`);
  await rp.locator('[data-state="forbidden"]').getByText('无权访问', { exact: true }).waitFor();
  await rp.done();

  // Another district: the not-found state (another unit's notice answers as if absent).
  const wz = await env.page();
  await uiLogin(wz, env.base, 'demo.wanzhou');
  await wz.getByRole('heading', { name: '你好，吴万州' }).waitFor();
  await wz.goto(`${env.base}/notices/${noticeId}`);
  await wz.locator('[data-state="not-found"]').getByText('找不到该内容', { exact: true }).waitFor();
  await wz.getByText('督办单不存在。它可能已被删除，或不属于您的单位。').waitFor();
  await wz.done();
});

test('the inbox: 完成 marks an item done; the count follows', async () => {
  const page = await env.page(PHONE);
  await uiLogin(page, env.base, 'demo.yuzhong.admin');
  await page.getByRole('heading', { name: '你好，刘渝中' }).waitFor();
  await page.getByTestId('inbox-badge').click();
  await page.getByRole('heading', { name: '我的待办' }).waitFor();
  const items = page.getByTestId('inbox-item');
  await items.first().waitFor();
  const before = await items.count();
  const first = items.first();
  const title = await first.locator('.item-title').innerText();
  await first.getByRole('button', { name: /完成/ }).click();
  await page.getByText(/已完成/).first().waitFor();
  await page.getByTestId('inbox-item').filter({ hasText: title }).waitFor({ state: 'detached' });
  assert.equal(await items.count(), before - 1);
  const badgeCount = await page.getByTestId('inbox-badge').getAttribute('data-count');
  assert.equal(Number(badgeCount || 0), before - 1);
  await page.done();
});
