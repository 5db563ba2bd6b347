// session.test.mjs - the console as unit staff and office staff meet it: login, the home page
// by role (desktop and phone), wrong passwords and the lockout message, no-permission pages,
// session expiry and logout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from '../api/lib.mjs';
import { startConsole, uiLogin, shot, navTitles, PHONE } from './lib.mjs';

let env;
before(async () => { env = await startConsole('session'); });
after(async () => { await env?.close(); });

test('the console is served with its CSP, and the login page renders (desktop and phone)', async () => {
  const res = await fetch(env.base + '/login');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-security-policy'), /default-src 'self'/);
  assert.match(await res.text(), /<div id="app">/);
  for (const [vp, name] of [[undefined, 'login-1366'], [PHONE, 'login-390']]) {
    const page = await env.page(vp);
    await page.goto(env.base + '/');
    await page.waitForURL(/\/login$/);
    await page.getByRole('heading', { name: /生态文明宣传教育工作平台/ }).waitFor();
    assert.ok(await page.getByText('演示数据').first().isVisible(), 'demo notice on the login page');
    await shot(page, name);
    if (vp === PHONE) {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `no horizontal scrolling at 390 px (overflow ${overflow})`);
    }
    await page.done();
  }
});

test('office logs in and sees who they are, what they can use, and the demo banner', async () => {
  const page = await env.page();
  await uiLogin(page, env.base, 'demo.office');
  await page.getByRole('heading', { name: '你好，王晓燕' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/');
  const header = page.locator('header.topbar');
  assert.match(await header.innerText(), /美丽中国，我是行动者/);
  assert.match(await header.innerText(), /王晓燕/);
  assert.match(await header.innerText(), /市生态环境宣传教育中心/);
  assert.match(await header.innerText(), /联席会议办公室/);
  assert.ok(await page.getByTestId('demo-banner').isVisible());
  // Navigation filtered by role: the plan and the ledger, units; no account or audit pages.
  assert.deepEqual(await navTitles(page),
    ['首页', '我的待办', '行动计划', '填报台账', '台账查询', '台账审核', '批量导入', '督办单', '合规矩阵', '单位履职', '日历订阅', '联席会议', '议定事项', '节假日安排', '年度考评', '评分细则', '单位', '社会组织', '我的 API 令牌', '修改密码']);
  const main = await page.locator('main').innerText();
  assert.match(main, /demo\.office/);
  assert.match(main, /现在可以使用/);
  assert.doesNotMatch(main, /账号管理|审计日志/);
  await shot(page, 'home-office-1366');
  // A page the role cannot use shows the no-permission state, not a broken page.
  await page.goto(env.base + '/audit');
  await page.getByText('无权访问').waitFor();
  await page.goto(env.base + '/units');
  await page.getByRole('heading', { name: '单位' }).waitFor();
  await page.getByRole('tab', { name: /^区（26）$/ }).click();
  await page.getByTestId('units-table').getByText('渝中区', { exact: true }).first().waitFor();
  await page.getByRole('tab', { name: /^县（12）$/ }).click();
  await page.getByTestId('units-table').getByText('城口县', { exact: true }).first().waitFor();
  assert.equal(await page.getByTestId('units-table').getByText('渝中区', { exact: true }).count(), 0);
  await page.getByRole('tab', { name: /^全部/ }).click();
  await page.getByLabel('搜索').fill('两江');
  await page.getByTestId('units-table').getByText('两江新区', { exact: true }).first().waitFor();
  await page.getByLabel('搜索').fill('');
  await shot(page, 'units-1366');
  await page.done();
});

test('a unit reporter on a phone: home page fits 390 px and the navigation opens as a drawer', async () => {
  const page = await env.page(PHONE);
  await uiLogin(page, env.base, 'demo.yuzhong');
  await page.getByRole('heading', { name: '你好，周填报' }).waitFor();
  assert.match(await page.locator('main').innerText(), /渝中区/);
  assert.match(await page.locator('main').innerText(), /单位填报员/);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling at 390 px (overflow ${overflow})`);
  await shot(page, 'home-reporter-390');
  await page.getByRole('button', { name: '打开导航菜单' }).click();
  await page.getByRole('dialog').getByRole('link', { name: '修改密码' }).click();
  await page.getByRole('heading', { name: '修改密码' }).waitFor();
  await shot(page, 'password-390');
  await page.done();
});

test('a wrong password shows the server message; five make the lockout message with its minutes', async () => {
  const page = await env.page();
  await uiLogin(page, env.base, 'demo.chengkou', 'Wrong-password-1');
  const err = page.getByTestId('login-error');
  await err.getByText('用户名或密码错误').waitFor();
  for (let i = 2; i <= 5; i++) {
    await page.getByLabel('密码', { exact: true }).fill(`Wrong-password-${i}`);
    const answered = page.waitForResponse(r => r.url().endsWith('/api/v1/session'));
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await answered;
  }
  await err.getByText(/锁定.*30 分钟/).waitFor();
  // Even the right password is refused while locked, with the same message.
  await page.getByLabel('密码', { exact: true }).fill('Ecoact-Demo-2025');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await err.getByText(/锁定/).waitFor();
  assert.match(new URL(page.url()).pathname, /\/login$/);
  await shot(page, 'login-locked-1366');
  // Empty fields are caught before anything is sent.
  await page.getByLabel('用户名').fill('');
  await page.getByLabel('密码', { exact: true }).fill('');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.getByText('请输入用户名').waitFor();
  await page.done();
});

test('when the session ends (idle timeout), the next call leads to login with a message, and back', async () => {
  const page = await env.page();
  await uiLogin(page, env.base, 'demo.leader');
  await page.getByRole('heading', { name: '你好，李建国' }).waitFor();
  const old = Math.floor(Date.now() / 1000) - 31 * 60;
  sql(env.srv, `UPDATE sessions SET last_seen = ${old} WHERE user_id = (SELECT id FROM users WHERE username = 'demo.leader')`);
  // The server keeps sessions it saw lately for up to 5 s (src/org/session.c): a change made
  // behind its back shows once that has passed. The page asks nothing meanwhile.
  await page.waitForTimeout(5500);
  await page.getByRole('link', { name: '我的 API 令牌' }).first().click();
  await page.getByTestId('login-notice').getByText('会话已过期，请重新登录').waitFor();
  assert.match(page.url(), /\/login\?redirect=(%2F|\/)tokens$/);
  await page.getByLabel('用户名').fill('demo.leader');
  await page.getByLabel('密码', { exact: true }).fill('Ecoact-Demo-2025');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.getByRole('heading', { name: '我的 API 令牌' }).waitFor();
  await page.done();
});

test('logout ends the session: the console returns to login and stays there', async () => {
  const page = await env.page();
  await uiLogin(page, env.base, 'demo.evaluator');
  await page.getByRole('heading', { name: '你好，赵评估' }).waitFor();
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.waitForURL(/\/login$/);
  await page.goto(env.base + '/tokens');
  await page.waitForURL(/\/login\?redirect=(%2F|\/)tokens$/);
  const cookies = await page.context().cookies();
  assert.equal(cookies.filter(c => c.name === 'ecoact_session' && c.value).length, 0);
  await page.done();
});

test('API tokens: create one (shown once), see it listed, revoke it after confirming', async () => {
  const page = await env.page();
  await uiLogin(page, env.base, 'demo.wanzhou');
  await page.getByRole('heading', { name: '你好，吴万州' }).waitFor();
  await page.getByRole('link', { name: '我的 API 令牌' }).first().click();
  await page.getByText('还没有 API 令牌').waitFor();
  await page.getByRole('button', { name: '创建令牌' }).click();
  const dlg = page.getByRole('dialog', { name: '创建 API 令牌' });
  await dlg.getByRole('button', { name: '创建' }).click();
  await dlg.getByText('请输入令牌用途').waitFor(); // checked before sending
  await dlg.getByLabel('用途').fill('数据同步');
  await dlg.getByRole('button', { name: '创建' }).click();
  const secret = page.getByRole('dialog', { name: '令牌已创建' });
  const token = (await secret.locator('[data-secret]').innerText()).trim();
  assert.match(token, /^[A-Za-z0-9_-]{20,}$/);
  await shot(page, 'token-created-1366', { fullPage: false });
  await secret.getByRole('button', { name: '我已妥善保存' }).click();
  const table = page.getByTestId('tokens-table');
  await table.getByText('数据同步').waitFor();
  // Once closed, the token is gone from the page, not merely hidden.
  await page.waitForFunction(t => !document.body.textContent.includes(t), token);
  const r = await fetch(env.base + '/api/v1/me', { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(r.status, 200);
  await table.getByRole('button', { name: '吊销' }).click();
  await page.getByRole('dialog', { name: '吊销令牌' }).getByRole('button', { name: '吊销' }).click();
  await table.getByText('已吊销').waitFor();
  await shot(page, 'tokens-1366');
  const r2 = await fetch(env.base + '/api/v1/me', { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(r2.status, 401);
  await page.done();
});
