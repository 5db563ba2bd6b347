// portal.test.mjs - the public portal under /m/ (issue 12 §3, §7) at 390×844 in chromium:
// sign-up with the code read the way the SMS gateway reads it (its claim of outbox_direct, with
// the demo gateway account, as tests/api/citizen.test.mjs does), log-in and log-out, real name,
// a child under 14 and its guardian in two browser contexts, withdrawal of a consent, the data
// download (the file's JSON checked), deletion (then log-in fails), change of phone, the QR code
// (decoded with zbarimg), the links between portal and console, labels and touch targets, and
// the pages at 200% text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { sql, residentId } from '../api/lib.mjs';
import { startConsole, shot, PHONE, DEMO_PASSWORD, SHOTS, uiLogin as consoleLogin, noOverflow } from './lib.mjs';

let env, gw;
const PW = 'Citizen-Pass-2026';
let nextPhone = 13700200000;
const phone = () => String(++nextPhone);

before(async () => {
  env = await startConsole('portal');
  gw = await env.srv.login('demo.gateway');
});
after(async () => { await env?.close(); });

/** The code sent to a number, read from the gateway's claim (and reported sent). */
async function codeFor(number) {
  for (let i = 0; i < 50; i++) {
    const r = await gw.post('/api/v1/outbox/direct/claim', { limit: 100 });
    assert.equal(r.status, 200, r.text);
    let code = null;
    for (const m of r.json.items) {
      if (m.phone === number) code = /(\d{6})/.exec(m.text)[1];
      assert.equal((await gw.post(`/api/v1/outbox/direct/${m.id}/result`, { status: 'sent' })).status, 200);
    }
    if (code) return code;
    await new Promise(res => setTimeout(res, 100));
  }
  throw new Error(`no code for ${number}`);
}

/** Ages the codes sent so far by an hour, so that the send limits start afresh. */
const ageCodes = () => sql(env.srv, 'UPDATE citizen_otps SET created_at = created_at - 3601');

/** An account made through the API (for the parts a test is not about). */
async function apiAccount(id17) {
  ageCodes();
  const c = env.srv.client();
  const n = phone();
  assert.equal((await c.post('/api/v1/citizen/otp', { phone: n })).status, 202);
  const r = await c.post('/api/v1/citizen/register', { phone: n, code: await codeFor(n), password: PW, privacy_version: (await c.get('/api/v1/citizen/privacy')).json.version });
  assert.equal(r.status, 201, r.text);
  if (id17) {
    const v = await c.post('/api/v1/citizen/me/realname', { name: '刘建国', id_number: residentId(id17), sensitive_consent: r.json.privacy_version ?? (await c.get('/api/v1/citizen/privacy')).json.version });
    assert.equal(v.status, 200, v.text);
  }
  c.phone = n;
  c.id = r.json.id;
  return c;
}

async function phonePage() {
  return env.page(PHONE);
}

/** Signs up through the pages: number, code (from the gateway), password, consent. */
async function uiSignup(page, number, { screenshot } = {}) {
  ageCodes();
  await page.goto(env.base + '/m/signup');
  await page.getByLabel('手机号', { exact: true }).fill(number);
  await page.getByTestId('send-code').click();
  await page.getByText(/\d+ 秒后可重新发送/).waitFor();
  assert.ok(await page.getByTestId('send-code').isDisabled(), 'no second code during the countdown');
  const code = await codeFor(number);
  await page.getByLabel('短信验证码').fill(code);
  await page.getByLabel('设置密码').fill(PW);
  await page.getByLabel('再次输入密码').fill(PW);
  await page.getByLabel(/我已阅读并同意隐私政策/).check();
  if (screenshot) await shot(page, screenshot);
  await page.getByRole('button', { name: '注册并登录' }).click();
  await page.getByRole('heading', { name: /^您好/ }).waitFor();
}

async function uiLogin(page, number, password = PW) {
  await page.goto(env.base + '/m/login');
  await page.getByLabel('手机号', { exact: true }).fill(number);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
}

/** Clicks the confirm button of the Vant dialog that asks before a step. */
async function confirm(page, name) {
  const dlg = page.locator('.van-dialog'); // (a Vant toast is a role=dialog too)
  await dlg.waitFor();
  await dlg.getByRole('button', { name, exact: true }).click();
  await dlg.waitFor({ state: 'hidden' });
}

/** No horizontal scrolling at the phone's width. */

/** Every input has a label; every button and link in the page is at least 44×44 px. */
async function accessible(page, what) {
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll('main input, main textarea, main select')]
    .filter(i => i.type !== 'hidden' && !(i.labels && i.labels.length) && !i.getAttribute('aria-labelledby') && !i.getAttribute('aria-label'))
    .map(i => i.name || i.outerHTML.slice(0, 80)));
  assert.deepEqual(unlabelled, [], `${what}: every field has a label`);
  const small = await page.evaluate(() => [...document.querySelectorAll('main button, main a, main [role=button], main .van-cell--clickable, nav .van-tabbar-item, header .van-nav-bar__left')]
    .filter(e => e.offsetParent !== null)
    .map(e => ({ t: (e.innerText || e.getAttribute('aria-label') || e.tagName).trim().slice(0, 20), r: e.getBoundingClientRect() }))
    .filter(({ r }) => r.height < 43.5 || r.width < 43.5)
    .map(({ t, r }) => `${t} ${Math.round(r.width)}×${Math.round(r.height)}`));
  assert.deepEqual(small, [], `${what}: touch targets of 44×44 px at least`);
}

test('the portal is served under /m/, with the console\'s CSP; public pages need no log-in; portal and console link to each other', async () => {
  for (const p of ['/m/', '/m/signup', '/m/privacy']) {
    const r = await fetch(env.base + p);
    assert.equal(r.status, 200, p);
    assert.match(r.headers.get('content-security-policy'), /default-src 'self'/);
    assert.match(await r.text(), /\/assets\/portal-/);
  }
  const page = await phonePage();
  await page.goto(env.base + '/m/');
  await page.getByRole('heading', { name: '欢迎使用公众服务' }).waitFor();
  await page.getByText('志愿活动、绿色积分、设施开放日和问卷调查开放后会显示在这里。').waitFor();
  assert.ok(await page.getByTestId('demo-banner').isVisible(), 'the demo notice');
  await shot(page, 'portal-home-guest-390');
  await noOverflow(page, 'home');
  await accessible(page, 'home');
  await page.getByRole('button', { name: '隐私政策' }).click();
  await page.getByTestId('privacy-version').waitFor();
  const version = (await env.srv.client().get('/api/v1/citizen/privacy')).json.version;
  assert.match(await page.getByTestId('privacy-version').innerText(), new RegExp(version));
  await shot(page, 'portal-privacy-390');
  await accessible(page, 'privacy notice');
  await page.goto(env.base + '/m/open');
  await page.getByText('暂无公开内容').waitFor();
  // a page that needs a log-in sends there, and back after it
  await page.goto(env.base + '/m/me/data');
  await page.waitForURL(/\/m\/login\?redirect=/);
  // the portal's link for officials goes to the console, whose login links back
  await page.getByRole('link', { name: '工作人员登录' }).click();
  await page.waitForURL(u => new URL(u).pathname === '/login');
  await page.getByTestId('portal-link').click();
  await page.waitForURL(u => new URL(u).pathname === '/m/');
  await page.getByRole('heading', { name: '欢迎使用公众服务' }).waitFor();
  await page.goto(env.base + '/m/no-such-page');
  await page.getByText('页面不存在或已移动').waitFor();
  await page.done();
});

test('sign-up: the number, a code with a countdown, a password and the privacy consent; errors beside their fields; log-out and log-in', async () => {
  const page = await phonePage();
  await page.goto(env.base + '/m/signup');
  // nothing filled: each field says what it needs
  await page.getByRole('button', { name: '注册并登录' }).click();
  await page.getByText('请填写手机号').waitFor();
  await page.getByText('请填写短信验证码').waitFor();
  await page.getByText('请阅读并勾选同意隐私政策').waitFor();
  // a bad number: the server's message beside the number
  await page.getByLabel('手机号', { exact: true }).fill('12345');
  await page.getByTestId('send-code').click();
  const phoneError = page.locator('.van-field', { has: page.getByLabel('手机号', { exact: true }) }).locator('.van-field__error-message');
  await phoneError.waitFor();
  assert.match(await phoneError.innerText(), /手机号/);
  await shot(page, 'portal-signup-errors-390');
  await accessible(page, 'sign-up');
  // a wrong code: the tries left beside the code
  ageCodes();
  const n = phone();
  await page.getByLabel('手机号', { exact: true }).fill(n);
  await page.getByTestId('send-code').click();
  await page.getByText(/\d+ 秒后可重新发送/).waitFor();
  const code = await codeFor(n);
  await page.getByLabel('短信验证码').fill(code === '000000' ? '000001' : '000000');
  await page.getByLabel('设置密码').fill(PW);
  await page.getByLabel('再次输入密码').fill(PW);
  await page.getByLabel(/我已阅读并同意隐私政策/).check();
  await page.getByRole('button', { name: '注册并登录' }).click();
  const codeError = page.locator('.van-field', { has: page.getByLabel('短信验证码') }).locator('.van-field__error-message');
  await codeError.waitFor();
  assert.match(await codeError.innerText(), /还可尝试4次/);
  // a password the server refuses, beside the password
  await page.getByLabel('短信验证码').fill(code);
  await page.getByLabel('设置密码').fill('short');
  await page.getByLabel('再次输入密码').fill('short');
  await page.getByRole('button', { name: '注册并登录' }).click();
  const pwError = page.locator('.van-field', { has: page.getByLabel('设置密码') }).locator('.van-field__error-message');
  await pwError.waitFor();
  assert.ok((await pwError.innerText()).length > 2);
  await page.getByLabel('设置密码').fill(PW);
  await page.getByLabel('再次输入密码').fill(PW);
  await shot(page, 'portal-signup-390');
  await page.getByRole('button', { name: '注册并登录' }).click();
  await page.getByRole('heading', { name: /^您好/ }).waitFor();
  const masked = n.slice(0, 3) + '****' + n.slice(7);
  await page.getByText(`已登录（${masked}）`).waitFor();
  await shot(page, 'portal-home-390');
  // the account exists with the privacy consent in the notice's version
  const me = env.srv.client();
  assert.equal((await me.post('/api/v1/citizen/session', { phone: n, password: PW })).status, 200);
  const held = (await me.get('/api/v1/citizen/me')).json;
  assert.equal(held.consents[0].kind, 'privacy');
  assert.equal(held.consents[0].version, (await me.get('/api/v1/citizen/privacy')).json.version);
  // log out (after a confirmation), then a wrong password, then the right one
  await page.goto(env.base + '/m/settings');
  await page.getByTestId('logout').click();
  await confirm(page, '退出登录');
  await page.getByRole('heading', { name: '欢迎使用公众服务' }).waitFor();
  await uiLogin(page, n, 'Wrong-Pass-2026');
  await page.getByTestId('login-error').waitFor();
  await shot(page, 'portal-login-error-390');
  await uiLogin(page, n);
  await page.getByRole('heading', { name: /^您好/ }).waitFor();
  await page.goto(env.base + '/m/me');
  await page.getByTestId('realname-status').waitFor();
  await shot(page, 'portal-me-390');
  await accessible(page, 'me');
  await page.done();
});

test('real name: a wrong check digit beside the ID number; the separate consent; an adult is verified', async () => {
  const page = await phonePage();
  await uiSignup(page, phone());
  await page.goto(env.base + '/m/me/realname');
  const good = residentId('11010519491231002');
  const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
  await page.getByLabel('姓名').fill('李四');
  await page.getByLabel('身份证号', { exact: true }).fill(bad);
  await page.getByRole('button', { name: '提交认证' }).click();
  await page.getByText('请勾选同意处理身份证号这一敏感个人信息').waitFor();
  await page.getByLabel(/我同意处理我的身份证号/).check();
  await page.getByRole('button', { name: '提交认证' }).click();
  const idError = page.locator('.van-field', { has: page.getByLabel('身份证号', { exact: true }) }).locator('.van-field__error-message');
  await idError.waitFor();
  assert.match(await idError.innerText(), /身份证|校验/);
  await shot(page, 'portal-realname-error-390');
  await accessible(page, 'real name');
  await page.getByLabel('身份证号', { exact: true }).fill(good);
  await page.getByRole('button', { name: '提交认证' }).click();
  await page.getByRole('heading', { name: '已实名认证' }).waitFor();
  await page.getByText('1949-12-31').waitFor();
  await page.getByText('李*').waitFor();
  assert.doesNotMatch(await page.locator('main').innerText(), new RegExp(good), 'the number is shown masked');
  await shot(page, 'portal-realname-verified-390');
  await page.done();
});

test('guardian consent: a child under 14 names its guardian and waits; the guardian, in another browser, approves', async () => {
  const guardian = await apiAccount('50010319850505001');
  const child = await phonePage();
  const childPhone = phone();
  await uiSignup(child, childPhone);
  await child.goto(env.base + '/m/me/realname');
  await child.getByLabel('姓名').fill('小明');
  await child.getByLabel('身份证号', { exact: true }).fill(residentId('50010320160301001'));
  await child.getByLabel(/我同意处理我的身份证号/).check();
  await child.getByRole('button', { name: '提交认证' }).click();
  await child.getByRole('heading', { name: '等待监护人同意' }).waitFor();
  // a number with no verified adult's account is refused beside the field
  await child.getByLabel('监护人手机号').fill('13999999999');
  await child.getByRole('button', { name: '请监护人同意' }).click();
  const gError = child.locator('.van-field', { has: child.getByLabel('监护人手机号') }).locator('.van-field__error-message');
  await gError.waitFor();
  await shot(child, 'portal-guardian-error-390');
  await child.getByLabel('监护人手机号').fill(guardian.phone);
  await child.getByRole('button', { name: '请监护人同意' }).click();
  await child.getByTestId('guardian-waiting').waitFor();
  await shot(child, 'portal-guardian-waiting-390');

  const parent = await phonePage();
  await uiLogin(parent, guardian.phone);
  await parent.getByRole('heading', { name: /^您好/ }).waitFor();
  await parent.goto(env.base + '/m/me');
  await parent.getByText('1 项待处理').waitFor();
  await parent.goto(env.base + '/m/me/wards');
  const childId = (await (async () => { const c = env.srv.client(); await c.post('/api/v1/citizen/session', { phone: childPhone, password: PW }); return (await c.get('/api/v1/citizen/me')).json.id; })());
  const card = parent.getByTestId(`ward-${childId}`);
  await card.getByText('等待同意').waitFor();
  await shot(parent, 'portal-wards-390');
  await accessible(parent, 'wards');
  await card.getByRole('button', { name: '同意', exact: true }).click();
  await parent.locator('.van-dialog').getByText(/不满十四周岁/).waitFor();
  await shot(parent, 'portal-wards-confirm-390', { fullPage: false });
  await confirm(parent, '同意');
  await card.getByText('已同意').waitFor();

  await child.reload();
  await child.getByRole('heading', { name: '已实名认证' }).waitFor();
  await child.goto(env.base + '/m/me/consents');
  await child.getByTestId('consent-child').getByText(/\d{2}:\d{2}（监护人同意）/).waitFor();
  await shot(child, 'portal-child-consents-390');
  // the guardian may withdraw that consent again (after a confirmation)
  await card.getByRole('button', { name: '撤回同意' }).click();
  await confirm(parent, '撤回同意');
  await card.getByText('已撤回').or(parent.getByText('没有孩子请您同意')).first().waitFor();
  await child.goto(env.base + '/m/me/realname');
  await child.getByRole('button', { name: '提交认证' }).waitFor();
  await child.done();
  await parent.done();
});

test('consent withdrawal: the sensitive consent is withdrawn after a confirmation, the real name undone; the privacy consent leads to deletion', async () => {
  const c = await apiAccount('50010319700707005');
  const page = await phonePage();
  await uiLogin(page, c.phone);
  await page.getByRole('heading', { name: /^您好/ }).waitFor();
  await page.goto(env.base + '/m/me/consents');
  const sens = page.getByTestId('consent-sensitive');
  await sens.getByText('有效').waitFor();
  await page.getByTestId('consent-privacy').getByRole('button', { name: '不再同意：注销账号' }).waitFor();
  await shot(page, 'portal-consents-390');
  await accessible(page, 'consents');
  // cancelled: nothing changes
  await sens.getByRole('button', { name: '撤回同意' }).click();
  await confirm(page, '取消');
  await sens.getByText('有效').waitFor();
  await sens.getByRole('button', { name: '撤回同意' }).click();
  await page.locator('.van-dialog').getByText('撤回后，将删除您的身份证号').waitFor();
  await confirm(page, '确认撤回');
  await sens.getByText(/已于 .* 撤回/).waitFor();
  const me = (await c.get('/api/v1/citizen/me')).json;
  assert.equal(me.realname.status, 'none');
  assert.ok(me.consents.find(x => x.kind === 'sensitive').withdrawn_at > 0);
  await page.goto(env.base + '/m/me/realname');
  await page.getByRole('button', { name: '提交认证' }).waitFor();
  await page.done();
});

test('my data: shown masked; downloaded as a JSON file after the password again (a wrong one beside the field)', async () => {
  const c = await apiAccount('50010319900202004');
  const page = await phonePage();
  await uiLogin(page, c.phone);
  await page.getByRole('heading', { name: /^您好/ }).waitFor();
  await page.goto(env.base + '/m/me/data');
  await page.getByRole('heading', { name: '平台保存的您的信息' }).waitFor();
  const shown = await page.locator('main').innerText();
  assert.ok(shown.includes(c.phone.slice(0, 3) + '****' + c.phone.slice(7)));
  assert.doesNotMatch(shown, new RegExp(c.phone), 'the page shows the number masked');
  await page.getByLabel('登录密码').fill('Wrong-Pass-2026');
  await page.getByRole('button', { name: '下载 JSON 文件' }).click();
  const pwError = page.locator('.van-field', { has: page.getByLabel('登录密码') }).locator('.van-field__error-message');
  await pwError.waitFor();
  assert.match(await pwError.innerText(), /密码/);
  await shot(page, 'portal-data-error-390');
  await accessible(page, 'data');
  await page.getByLabel('登录密码').fill(PW);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载 JSON 文件' }).click()]);
  assert.match(dl.suggestedFilename(), /^ecoact-my-data-\d{8}\.json$/);
  const file = JSON.parse(readFileSync(await dl.path(), 'utf8'));
  assert.equal(file.data.phone, c.phone);
  assert.equal(file.data.realname.id_number, residentId('50010319900202004'));
  assert.equal(file.data.realname.name, '刘建国');
  assert.ok(file.data.consents.some(x => x.kind === 'sensitive'));
  assert.ok(file.exported_at > 0);
  await page.getByTestId('download-done').waitFor();
  await shot(page, 'portal-data-390');
  await page.done();
});

test('deletion: what it does, the password and a confirmation; then log-in fails', async () => {
  const c = await apiAccount('50010319600606006');
  const page = await phonePage();
  await uiLogin(page, c.phone);
  await page.getByRole('heading', { name: /^您好/ }).waitFor();
  await page.goto(env.base + '/m/settings/delete');
  await page.getByRole('heading', { name: '注销会做什么' }).waitFor();
  await page.getByRole('button', { name: '注销账号' }).click();
  await page.getByText('请填写登录密码').waitFor();
  await page.getByLabel('登录密码').fill(PW);
  await page.getByRole('button', { name: '注销账号' }).click();
  await page.locator('.van-dialog').getByText(/注销后无法恢复/).waitFor();
  await shot(page, 'portal-delete-confirm-390', { fullPage: false });
  await confirm(page, '取消');
  assert.equal((await c.get('/api/v1/citizen/me')).status, 200, 'cancelled: the account stays');
  await page.getByLabel('登录密码').fill(PW);
  await page.getByRole('button', { name: '注销账号' }).click();
  await confirm(page, '确认注销');
  await page.waitForURL(/\/m\/login/);
  await page.getByText('账号已注销').waitFor();
  assert.equal((await c.get('/api/v1/citizen/me')).status, 401);
  await uiLogin(page, c.phone);
  await page.getByTestId('login-error').waitFor();
  await shot(page, 'portal-deleted-login-390');
  assert.equal(new URL(page.url()).pathname, '/m/login');
  await page.done();
});

test('settings: change of phone with a code to the new number and the password again; then log-in with the new number', async () => {
  const c = await apiAccount();
  const page = await phonePage();
  await uiLogin(page, c.phone);
  await page.getByRole('heading', { name: /^您好/ }).waitFor();
  await page.goto(env.base + '/m/settings');
  await page.getByRole('button', { name: /更换手机号/ }).click();
  await page.waitForURL(/\/m\/settings\/phone$/);
  ageCodes();
  const n = phone();
  await page.getByLabel('新手机号').fill(n);
  await page.getByRole('button', { name: '发送到新手机号' }).click();
  await page.getByText(/\d+ 秒后可重新发送/).waitFor();
  await page.getByLabel('短信验证码').fill(await codeFor(n));
  await page.getByLabel('登录密码').fill('Wrong-Pass-2026');
  await page.getByRole('button', { name: '确认更换' }).click();
  const pwError = page.locator('.van-field', { has: page.getByLabel('登录密码') }).locator('.van-field__error-message');
  await pwError.waitFor();
  await shot(page, 'portal-phone-error-390');
  await accessible(page, 'change of phone');
  await page.getByLabel('登录密码').fill(PW);
  await page.getByRole('button', { name: '确认更换' }).click();
  await page.waitForURL(/\/m\/settings$/);
  await page.getByText(n.slice(0, 3) + '****' + n.slice(7)).waitFor();
  assert.equal((await env.srv.client().post('/api/v1/citizen/session', { phone: n, password: PW })).status, 200);
  assert.equal((await env.srv.client().post('/api/v1/citizen/session', { phone: c.phone, password: PW })).status, 401);
  await page.done();
});

test('settings: change of password with the current one; a wrong one beside its field; other devices signed out', async () => {
  const c = await apiAccount();
  const other = env.srv.client();
  assert.equal((await other.post('/api/v1/citizen/session', { phone: c.phone, password: PW })).status, 200);
  const page = await phonePage();
  await uiLogin(page, c.phone);
  await page.getByRole('heading', { name: /^您好/ }).waitFor();
  await page.goto(env.base + '/m/settings');
  await page.getByRole('button', { name: /修改密码/ }).click();
  await page.waitForURL(/\/m\/settings\/password$/);
  await page.getByLabel('当前密码').fill('Wrong-Pass-2026');
  await page.getByLabel('新密码', { exact: true }).fill('Citizen-New-2026');
  await page.getByLabel('再次输入新密码').fill('Citizen-New-2027');
  await page.getByRole('button', { name: '确认修改' }).click();
  const field = label => page.locator('.van-field', { has: page.getByLabel(label, { exact: true }) }).locator('.van-field__error-message');
  assert.match(await field('再次输入新密码').textContent(), /不一致/);
  await page.getByLabel('再次输入新密码').fill('Citizen-New-2026');
  await page.getByRole('button', { name: '确认修改' }).click();
  await field('当前密码').waitFor();
  await accessible(page, 'change of password');
  await shot(page, 'portal-password-error-390');
  await page.getByLabel('当前密码').fill(PW);
  await page.getByRole('button', { name: '确认修改' }).click();
  await page.waitForURL(/\/m\/settings$/);
  assert.equal((await other.get('/api/v1/citizen/me')).status, 401, 'the other device is signed out');
  assert.equal((await env.srv.client().post('/api/v1/citizen/session', { phone: c.phone, password: 'Citizen-New-2026' })).status, 200);
  await page.goto(env.base + '/m/');
  await page.getByRole('heading', { name: /^您好/ }).waitFor(); // this device stays signed in
  await page.done();
});

test('messages: the guardian sees the request with the unread badge, opens it and lands on the wards page', async () => {
  const guardian = await apiAccount('50010319850505101');
  const child = await apiAccount('50010320170301102');
  assert.equal((await child.post('/api/v1/citizen/me/guardian', { guardian_phone: guardian.phone })).status, 200);
  const page = await phonePage();
  await uiLogin(page, guardian.phone);
  await page.getByRole('heading', { name: /^您好/ }).waitFor();
  const tab = page.getByTestId('tab-messages');
  await tab.locator('.van-badge').getByText('1', { exact: true }).waitFor();
  assert.equal(await tab.getAttribute('aria-label'), '消息，1条未读');
  await tab.click();
  await page.waitForURL(/\/m\/messages$/);
  const msg = page.getByRole('button', { name: /请求您作为监护人同意/ });
  await msg.waitFor();
  assert.match(await msg.innerText(), /监护人同意请求[\s\S]*未读[\s\S]*刘\*\*（\d{3}\*{4}\d{4}）请求您作为监护人同意/);
  await noOverflow(page, 'messages');
  await accessible(page, 'messages');
  // white on the badge's red, and the unread mark, reach 4.5:1
  const colours = await page.evaluate(() => {
    const badge = document.querySelector('[data-testid=tab-messages] .van-badge');
    const st = document.querySelector('.pt-msg__state[data-state=unread]');
    return [getComputedStyle(badge).backgroundColor, getComputedStyle(badge).color, getComputedStyle(st).color];
  });
  assert.deepEqual(colours, ['rgb(200, 16, 46)', 'rgb(255, 255, 255)', 'rgb(200, 16, 46)']);
  await shot(page, 'portal-messages-unread-390');
  await msg.click();
  await page.waitForURL(/\/m\/me\/wards$/);
  await page.getByTestId(`ward-${child.id}`).getByText('等待同意').waitFor();
  // read now: no badge on the tab pages, and the message says so
  await page.goto(env.base + '/m/messages');
  await page.getByRole('button', { name: /请求您作为监护人同意/ }).getByText('已读').waitFor();
  assert.equal(await page.getByTestId('tab-messages').locator('.van-badge').count(), 0);
  await shot(page, 'portal-messages-read-390');
  // at 200% text the list still fits the width
  await page.evaluate(() => { document.documentElement.style.fontSize = '200%'; });
  await noOverflow(page, 'messages at 200% text');
  await shot(page, 'portal-messages-200pct-390');
  await page.done();
});

test('the demo citizen that scripts/run-demo prints logs in, sees the child she consented for and her QR code', async () => {
  const page = await phonePage();
  await uiLogin(page, '13700137001', DEMO_PASSWORD);
  await page.getByRole('heading', { name: /^您好/ }).waitFor();
  await page.goto(env.base + '/m/me/wards');
  await page.getByText('已同意').first().waitFor();
  assert.match(await page.locator('main').innerText(), /137\*{4}7002/);
  // her messages: the demo's review of her organisation, and her child's request (handled)
  await page.goto(env.base + '/m/messages');
  await page.getByText(/^组织登记已通过：/).waitFor();
  await page.getByText('已处理').first().waitFor();
  // 我的二维码: the server's signed code, which decodes (zbarimg) to what the API gives
  await page.goto(env.base + '/m/me/qr');
  await page.getByTestId('qr-expiry').waitFor();
  assert.match(await page.locator('main').innerText(), /市民码/);
  const img = page.getByTestId('qr-image');
  assert.ok(await img.evaluate(i => i.complete && i.naturalWidth > 100), 'the code is shown');
  const box = await img.boundingBox();
  assert.ok(box.width >= 250 && box.x >= 0 && box.x + box.width <= PHONE.width, `large and inside the width (${box.width})`);
  const file = join(SHOTS, 'portal-qr-code.png');
  await img.screenshot({ path: file });
  const text = execFileSync('zbarimg', ['--quiet', '--raw', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  assert.match(text, /^EQ1\./, 'a signed code of ours');
  await shot(page, 'portal-qr-390');
  await accessible(page, 'QR code');
  await page.done();
});

test('200% text: no horizontal scrolling, the main buttons stay on screen', async () => {
  const c = await apiAccount('50010319800101003');
  const page = await phonePage();
  const pages = [
    ['/m/', '登录'],
    ['/m/signup', '注册并登录'],
    ['/m/login', '登录'],
    ['/m/reset', '重置密码'],
  ];
  const big = () => page.evaluate(() => { document.documentElement.style.fontSize = '200%'; });
  async function check(path, button, name) {
    await page.goto(env.base + path);
    const b = page.getByRole('button', { name: button, exact: true }).first();
    await b.waitFor();
    const before = await b.boundingBox();
    await big();
    await page.waitForTimeout(100);
    await noOverflow(page, `${path} at 200%`);
    await b.scrollIntoViewIfNeeded();
    assert.ok(await b.isVisible(), `${path}: ${button} visible at 200%`);
    const box = await b.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= PHONE.width + 0.5, `${path}: ${button} inside the width`);
    assert.ok(box.height > before.height * 1.5, `${path}: ${button} grew with the text (${before.height} → ${box.height})`);
    const clipped = await page.evaluate(() => [...document.querySelectorAll('main button, main label, main .van-field__error-message')]
      .filter(e => e.offsetParent !== null && e.scrollHeight > e.clientHeight + 2 && getComputedStyle(e).overflowY !== 'visible')
      .map(e => e.innerText.slice(0, 20)));
    assert.deepEqual(clipped, [], `${path}: nothing clipped at 200%`);
    await shot(page, name);
  }
  for (const [path, button] of pages) await check(path, button, `portal-200-${path.replaceAll('/', '_')}`);
  await uiLogin(page, c.phone);
  await page.getByRole('heading', { name: /^您好/ }).waitFor();
  for (const [path, button] of [['/m/me/data', '下载 JSON 文件'], ['/m/settings/delete', '注销账号'], ['/m/me/consents', '撤回同意'], ['/m/settings', '退出登录']])
    await check(path, button, `portal-200-${path.replaceAll('/', '_')}`);
  await page.done();
});

/** A valid unified social credit code (GB 32100) from 17 characters. */
function uscc(first17) {
  const set = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = [...first17].reduce((s, c, i) => s + set.indexOf(c) * w[i], 0);
  return first17 + set[(31 - (sum % 31)) % 31];
}

test('organisations: a citizen registers one at 390 px (a wrong credit code beside its field); 渝中区 returns it in the console with a reason; corrected and filed again; accepted', async () => {
  const c = await apiAccount('50010319850303003');
  const page = await phonePage();
  await uiLogin(page, c.phone);
  await page.getByRole('heading', { name: /^您好/ }).waitFor();
  await page.goto(env.base + '/m/me');
  await page.getByText('我的组织').click();
  await page.getByText('您还没有加入组织').waitFor();
  await page.getByTestId('org-new').click();
  await page.getByLabel('组织类型').selectOption({ label: '志愿服务组织' });
  await page.getByLabel('组织名称').fill('渝中区青山志愿服务队');
  const code = uscc('53500103MJP000035');
  await page.getByLabel('统一社会信用代码').fill(code.slice(0, 17) + (code[17] === '1' ? '2' : '1'));
  await page.getByLabel('审核单位').selectOption({ label: '渝中区' });
  await page.getByRole('button', { name: '提交登记' }).click();
  const usccError = page.locator('.van-field', { has: page.getByLabel('统一社会信用代码') }).locator('.van-field__error-message');
  await usccError.waitFor();
  assert.match(await usccError.innerText(), /校验|信用代码/);
  await noOverflow(page, 'org form');
  await accessible(page, 'org form');
  await shot(page, 'portal-org-form-error-390');
  await page.getByLabel('统一社会信用代码').fill(code);
  await page.getByRole('button', { name: '提交登记' }).click();
  await page.getByTestId('org-status').filter({ hasText: '待审核' }).waitFor();
  assert.match(await page.locator('main').innerText(), /正在等待渝中区审核/);

  // 渝中区's unit admin finds it under 待审核 in the console and returns it with a reason
  const desk = await env.page();
  await consoleLogin(desk, env.base, 'demo.yuzhong.admin');
  await desk.getByRole('heading', { name: /^你好/ }).waitFor(); // signed in
  await desk.getByRole('link', { name: '社会组织' }).first().click();
  await desk.getByRole('heading', { name: '社会组织' }).waitFor();
  await desk.getByPlaceholder('组织名称或统一社会信用代码').fill('青山');
  await desk.getByRole('button', { name: '查询' }).click();
  await desk.getByTestId('list-total').filter({ hasText: '共 1 条' }).waitFor();
  await desk.getByRole('cell', { name: '渝中区青山志愿服务队' }).click();
  const drawer = desk.getByTestId('org-drawer');
  await drawer.getByText('志愿服务组织').waitFor();
  assert.doesNotMatch(await drawer.innerText(), new RegExp(c.phone), 'the phone is masked');
  await drawer.getByTestId('org-return').click();
  await desk.getByTestId('org-return-confirm').click();
  await desk.getByText('请写明退回理由').waitFor(); // no reason: said beside the field, nothing sent
  await desk.getByPlaceholder('如：名称与登记证书不一致').fill('名称应与登记证书一致：重庆市渝中区青山志愿服务队');
  await desk.getByTestId('org-return-confirm').click();
  await drawer.getByText('已退回').first().waitFor();
  assert.equal(await drawer.getByTestId('org-accept').count(), 0, 'nothing left to review');
  await shot(desk, 'console-org-returned');

  // the citizen sees the reason, corrects the name and files again
  await page.reload();
  await page.getByText('登记被退回：名称应与登记证书一致').waitFor();
  await page.getByTestId('org-resubmit').click();
  await page.getByLabel('组织名称').fill('重庆市渝中区青山志愿服务队');
  await page.getByRole('button', { name: '重新提交' }).click();
  await page.getByTestId('org-status').filter({ hasText: '待审核' }).waitFor();

  // the console accepts it after a confirmation; the citizen's list says 已通过
  await desk.reload();
  await desk.getByRole('cell', { name: '重庆市渝中区青山志愿服务队' }).click();
  await drawer.getByTestId('org-accept').click();
  await desk.locator('.el-message-box').getByRole('button', { name: '通过' }).click();
  await drawer.getByText('已通过').first().waitFor();
  await desk.keyboard.press('Escape');
  await drawer.waitFor({ state: 'hidden' });
  const [dl] = await Promise.all([desk.waitForEvent('download'), desk.getByTestId('orgs-export').click()]);
  assert.match(dl.suggestedFilename(), /^社会组织名录_\d{4}年\d{1,2}月\d{1,2}日\.xlsx$/);
  await page.goto(env.base + '/m/me/orgs');
  await page.getByTestId('my-orgs').getByText('已通过').waitFor();
  await shot(page, 'portal-orgs-390');
  await desk.done();
  await page.done();
});
