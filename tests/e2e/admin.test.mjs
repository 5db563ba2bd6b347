// admin.test.mjs - the administrators' pages in the browser: the auditor's first login with a
// one-time password (forced password change, then the audit log and its hash chain), sysadmin
// creating an account (one-time password shown once, server field errors beside the field),
// a unit_admin limited to its own unit, secadmin granting roles (and the server's refusal to
// mix administrator roles), the personal-data view for holders of unmask_pii.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client, sql } from '../api/lib.mjs';
import { startConsole, uiLogin, shot, navTitles, PHONE } from './lib.mjs';

let env;
before(async () => { env = await startConsole('admin'); });
after(async () => { await env?.close(); });

test('auditor: one-time password → forced password change → audit log with the logins → chain intact', async () => {
  // A failed login to find with the result filter below.
  assert.equal((await new Client(env.base).login('demo.leader', 'Wrong-password-1')).status, 401);
  const page = await env.page();
  await uiLogin(page, env.base, 'auditor', env.srv.otps.auditor);
  await page.waitForURL(/\/password$/);
  await page.getByRole('heading', { name: '请先修改密码' }).waitFor();
  assert.deepEqual(await navTitles(page), [], 'no navigation before the password is changed');
  // Nothing else is reachable before the change.
  await page.goto(env.base + '/audit');
  await page.waitForURL(/\/password$/);
  await page.getByRole('heading', { name: '请先修改密码' }).waitFor();
  await shot(page, 'password-forced-1366');

  // The policy is checked before sending; the server's field error shows beside the field.
  await page.getByLabel('原密码').fill(env.srv.otps.auditor);
  await page.getByLabel('新密码', { exact: true }).fill('short1A!');
  await page.getByLabel('确认新密码').fill('short1A!');
  await page.getByRole('button', { name: '保存新密码' }).click();
  await page.getByText('密码长度至少为12个字符').waitFor();
  await page.getByLabel('新密码', { exact: true }).fill('Auditor-2026-strong');
  await page.getByLabel('确认新密码').fill('Auditor-2026-strong');
  await page.getByRole('button', { name: '保存新密码' }).click();
  await page.getByText('密码不能包含用户名').waitFor();
  await page.getByLabel('原密码').fill('not-the-one-time-password');
  await page.getByLabel('新密码', { exact: true }).fill('Strong-Pass-2026');
  await page.getByLabel('确认新密码').fill('Strong-Pass-2026');
  await page.getByRole('button', { name: '保存新密码' }).click();
  const oldItem = page.locator('.el-form-item').filter({ has: page.getByLabel('原密码') });
  await oldItem.getByText('原密码不正确').waitFor(); // the server's message, beside its field
  await page.getByLabel('原密码').fill(env.srv.otps.auditor);
  await page.getByRole('button', { name: '保存新密码' }).click();
  await page.getByRole('heading', { name: /^你好，/ }).waitFor();
  assert.deepEqual(await navTitles(page), ['首页', '我的待办', '单位', '审计日志', '我的 API 令牌', '修改密码']);

  await page.getByRole('link', { name: '审计日志' }).first().click();
  const table = page.getByTestId('audit-table');
  await table.getByText('修改密码').first().waitFor();
  const text = await table.innerText();
  assert.match(text, /登录/, 'the login rows are listed, in Chinese');
  assert.doesNotMatch(text, /session\.create|user\.password_change/, 'codes only in tooltips');
  assert.match(text, /\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d:\d\d/, 'times as 2025年6月5日 14:03:05');
  // Newest first: the first row is the password change that just happened.
  assert.match(await table.locator('tbody tr').first().innerText(), /修改密码/);

  // Filter: failed results only (the wrong password above).
  await page.getByRole('combobox', { name: '结果' }).focus(); // keyboard: opens with Enter
  await page.keyboard.press('Enter');
  await page.getByRole('option', { name: '失败' }).click();
  const filtered = page.waitForResponse(r => r.url().includes('/api/v1/audit?') && r.url().includes('result=failure'));
  await page.getByRole('button', { name: '查询' }).click();
  await filtered;
  await table.getByText('失败').first().waitFor();
  assert.doesNotMatch(await table.innerText(), /成功/);
  await page.getByRole('button', { name: '重置' }).click();
  await table.getByText('成功').first().waitFor();

  await page.getByTestId('verify').click();
  await page.getByTestId('verify-result').getByText(/审计日志完整，哈希链校验通过（共 \d+ 条）/).waitFor();
  await shot(page, 'audit-1366');
  await page.done();
});

test('sysadmin creates an account and sees the one-time password once; it works for login', async () => {
  const page = await env.page();
  await uiLogin(page, env.base, 'demo.sysadmin');
  await page.getByRole('heading', { name: '你好，演示系统管理员' }).waitFor();
  assert.deepEqual(await navTitles(page), ['首页', '我的待办', '账号管理', '单位', '我的 API 令牌', '修改密码']);
  await page.getByRole('link', { name: '账号管理' }).first().click();
  const table = page.getByTestId('users-table');
  await table.getByText('demo.yuzhong.admin').waitFor();
  assert.match(await table.innerText(), /139\*\*\*\*9004/, 'phone numbers are masked');
  await shot(page, 'users-sysadmin-1366');

  await page.getByRole('button', { name: '新建账号' }).click();
  const dlg = page.getByRole('dialog', { name: '新建账号' });
  // Checked before sending.
  await dlg.getByRole('button', { name: '创建' }).click();
  await dlg.getByText('请输入用户名').waitFor();
  await dlg.getByText('请选择所属单位').waitFor();
  await dlg.getByLabel('用户名').fill('demo.office'); // taken: the server says so beside the field
  await dlg.getByLabel('姓名').fill('钱新人');
  await dlg.getByLabel('所属单位').click();
  await page.keyboard.type('万州');
  await page.getByRole('option', { name: /万州区/ }).click();
  await dlg.getByLabel('手机号').fill('1380013');
  await dlg.getByRole('button', { name: '创建' }).click();
  await dlg.getByText('手机号应为11位数字').waitFor();
  await dlg.getByLabel('手机号').fill('13700137000');
  await dlg.getByRole('button', { name: '创建' }).click();
  const userItem = dlg.locator('.el-form-item').filter({ has: page.getByLabel('用户名') });
  await userItem.locator('.el-form-item__error').getByText('用户名已存在').waitFor();
  await shot(page, 'users-create-error-1366', { fullPage: false });
  await dlg.getByLabel('用户名').fill('wanzhou.qian');
  await dlg.getByRole('button', { name: '创建' }).click();
  const secret = page.getByRole('dialog', { name: '账号已创建' });
  const otp = (await secret.locator('[data-secret]').innerText()).trim();
  assert.match(otp, /^[A-Z]{4}-[a-z]{4}-\d{4}-[a-z]{4}$/);
  await shot(page, 'users-created-otp-1366', { fullPage: false });
  await secret.getByRole('button', { name: '我已妥善保存' }).click();
  await table.getByText('wanzhou.qian').waitFor();
  const row = table.locator('tbody tr').filter({ hasText: 'wanzhou.qian' });
  assert.match(await row.innerText(), /钱新人/);
  assert.match(await row.innerText(), /万州区/);
  assert.match(await row.innerText(), /137\*\*\*\*7000/);
  assert.match(await row.innerText(), /待改密/);
  const c = new Client(env.base);
  const r = await c.login('wanzhou.qian', otp);
  assert.equal(r.status, 200);
  assert.equal(r.json.must_change_password, true);

  // Search and the unit filter narrow the list.
  await page.getByLabel('用户名或姓名').fill('qian');
  const searched = page.waitForResponse(r2 => r2.url().includes('/api/v1/users?') && r2.url().includes('q=qian'));
  await page.getByRole('button', { name: '查询' }).click();
  await searched;
  await table.locator('tbody tr').first().waitFor();
  assert.equal(await table.locator('tbody tr').count(), 1);

  // Disable after confirming; the account can no longer log in.
  await row.getByRole('button', { name: '停用' }).click();
  await page.getByRole('dialog', { name: '停用账号' }).getByRole('button', { name: '停用' }).click();
  await row.getByText('已停用').waitFor();
  assert.equal((await new Client(env.base).login('wanzhou.qian', otp)).status, 423);
  await row.getByRole('button', { name: '启用' }).click();
  await page.getByRole('dialog', { name: '启用账号' }).getByRole('button', { name: '启用' }).click();
  await row.getByText('待改密').waitFor();

  // Reset password after confirming: a new one-time password, shown once.
  await row.getByRole('button', { name: '重置密码' }).click();
  await page.getByRole('dialog', { name: '重置密码' }).getByRole('button', { name: '重置' }).click();
  const again = page.getByRole('dialog', { name: '密码已重置' });
  const otp2 = (await again.locator('[data-secret]').innerText()).trim();
  assert.notEqual(otp2, otp);
  await again.getByRole('button', { name: '我已妥善保存' }).click();
  assert.equal((await new Client(env.base).login('wanzhou.qian', otp2)).status, 200);

  // Edit: name and phone; the phone's server-side check shows beside the field.
  await row.getByRole('button', { name: '编辑' }).click();
  const edit = page.getByRole('dialog', { name: /编辑账号/ });
  await edit.getByLabel('姓名').fill('钱新');
  await edit.getByLabel('身份证号').fill('500101199001011234');
  await edit.getByRole('button', { name: '保存' }).click();
  await edit.getByText(/身份证号校验位不正确/).waitFor();
  await edit.getByLabel('身份证号').fill('');
  await edit.getByRole('button', { name: '保存' }).click();
  await table.getByText('钱新', { exact: true }).waitFor();
  // sysadmin never holds unmask_pii: no 查看完整信息 button.
  assert.equal(await page.getByRole('button', { name: '查看完整信息' }).count(), 0);
  await page.done();
});

test('sysadmin adds a school under a district; it is listed among the child units', async () => {
  const page = await env.page();
  await uiLogin(page, env.base, 'demo.sysadmin');
  await page.getByRole('heading', { name: '你好，演示系统管理员' }).waitFor();
  await page.getByRole('link', { name: '单位' }).first().click();
  await page.getByRole('button', { name: '添加下级单位' }).click();
  const dlg = page.getByRole('dialog', { name: '添加下级单位' });
  await dlg.getByRole('button', { name: '添加' }).click();
  await dlg.getByText('请选择上级区县').waitFor();
  await dlg.getByText('请输入单位名称').waitFor();
  await dlg.getByLabel('上级区县').click();
  await page.keyboard.type('渝中');
  await page.getByRole('option', { name: /渝中区/ }).click();
  await dlg.getByLabel('单位名称').fill('重庆市渝中区人和街小学');
  await dlg.getByLabel('简称').fill('人和街小学');
  await dlg.getByRole('button', { name: '添加' }).click();
  await page.getByText('已添加单位：重庆市渝中区人和街小学').waitFor();
  await page.getByRole('tab', { name: /^下级单位（1）$/ }).click();
  const row = page.getByTestId('units-table').locator('tbody tr').filter({ hasText: '人和街小学' });
  assert.match(await row.innerText(), /学校/);
  assert.match(await row.innerText(), /渝中区/);
  // The same name again: the server's conflict message, beside the name.
  await page.getByRole('button', { name: '添加下级单位' }).click();
  await dlg.getByLabel('上级区县').click();
  await page.keyboard.type('渝中');
  await page.getByRole('option', { name: /渝中区/ }).click();
  await dlg.getByLabel('单位名称').fill('重庆市渝中区人和街小学');
  await dlg.getByRole('button', { name: '添加' }).click();
  await dlg.locator('.el-form-item__error').getByText(/已有同名/).waitFor();
  await page.done();
});

test('a unit_admin sees and manages only its own unit', async () => {
  const page = await env.page();
  await uiLogin(page, env.base, 'demo.yuzhong.admin');
  await page.getByRole('heading', { name: '你好，刘渝中' }).waitFor();
  await page.getByRole('link', { name: '账号管理' }).first().click();
  const table = page.getByTestId('users-table');
  await table.getByText('demo.yuzhong', { exact: true }).waitFor();
  const text = await table.innerText();
  assert.match(text, /demo\.yuzhong\.admin/);
  for (const other of ['demo.wanzhou', 'demo.chengkou', 'demo.office', 'demo.sysadmin']) {
    assert.doesNotMatch(text, new RegExp(other.replace('.', '\\.')), `${other} is another unit's account`);
  }
  assert.doesNotMatch(text, /万州区|城口县/);
  await shot(page, 'users-unit-admin-1366');
  // The server refuses another unit's list too (the console does not ask for it).
  const r = await page.evaluate(async () => (await fetch('/api/v1/users?unit=500101')).status);
  assert.equal(r, 403);
  // Create: the unit is preset to its own, the role is unit_reporter.
  await page.getByRole('button', { name: '新建账号' }).click();
  const dlg = page.getByRole('dialog', { name: '新建账号' });
  await dlg.getByText('单位填报员').waitFor();
  await dlg.getByLabel('用户名').fill('yuzhong.zhao');
  await dlg.getByLabel('姓名').fill('赵新');
  await dlg.getByRole('button', { name: '创建' }).click();
  await page.getByRole('dialog', { name: '账号已创建' }).getByRole('button', { name: '我已妥善保存' }).click();
  const row = table.locator('tbody tr').filter({ hasText: 'yuzhong.zhao' });
  await row.getByText('单位填报员').waitFor();
  assert.match(await row.innerText(), /渝中区/);
  await page.done();
});

test('secadmin grants a role; mixing administrator roles is refused with the server message', async () => {
  const page = await env.page();
  await uiLogin(page, env.base, 'demo.secadmin');
  await page.getByRole('heading', { name: '你好，演示安全管理员' }).waitFor();
  assert.deepEqual(await navTitles(page), ['首页', '我的待办', '角色授权', '单位', '安全策略', '我的 API 令牌', '修改密码']);
  await page.getByRole('link', { name: '角色授权' }).first().click();
  await page.getByLabel('用户名或姓名').fill('wanzhou');
  await page.getByRole('button', { name: '查询' }).click();
  const users = page.getByTestId('roles-users');
  await users.getByRole('button', { name: '选择 demo.wanzhou' }).click();
  await page.getByRole('heading', { name: /吴万州/ }).waitFor();
  const roles = page.getByRole('group', { name: '角色' });
  assert.equal(await roles.getByRole('checkbox', { name: '单位填报员' }).isChecked(), true);
  await roles.getByText('单位管理员').click();
  await page.getByRole('button', { name: '保存角色' }).click();
  await page.getByText('角色已保存').waitFor();
  await users.getByText('单位管理员、单位填报员').or(users.getByText('单位填报员、单位管理员')).waitFor();
  const c = new Client(env.base);
  await c.login('demo.wanzhou', 'Ecoact-Demo-2025');
  assert.deepEqual((await c.get('/api/v1/me')).json.roles.sort(), ['unit_admin', 'unit_reporter']);

  // An administrator role with a business role: the server's message, shown beside the roles.
  await roles.getByText('安全审计员').click();
  await page.getByRole('button', { name: '保存角色' }).click();
  await page.getByText(/三权分立/).first().waitFor();
  await shot(page, 'roles-refused-1366');
  await roles.getByText('安全审计员').click();

  // Grant unmask_pii to the office's leader; the office account already has it (demo).
  await page.getByLabel('用户名或姓名').fill('leader');
  await page.getByRole('button', { name: '查询' }).click();
  await users.getByRole('button', { name: '选择 demo.leader' }).click();
  await page.getByRole('heading', { name: /李建国/ }).waitFor();
  await page.getByText('可以查看完整手机号和身份证号').click();
  await page.getByRole('button', { name: '保存权限' }).click();
  await page.getByText('已授予查看完整个人信息的权限').waitFor();
  const leader = new Client(env.base);
  await leader.login('demo.leader', 'Ecoact-Demo-2025');
  assert.deepEqual((await leader.get('/api/v1/me')).json.permissions, ['unmask_pii']);
  await shot(page, 'roles-1366');
  await page.done();
});

test('a unit_admin granted unmask_pii views personal data in clear after a notice; the view is audited', async () => {
  const sec = new Client(env.base);
  await sec.login('demo.secadmin', 'Ecoact-Demo-2025');
  const list = await sec.get('/api/v1/users?q=demo.yuzhong.admin');
  const id = list.json.items[0].id;
  assert.equal((await sec.put(`/api/v1/users/${id}/permissions`, { permissions: ['unmask_pii'] })).status, 200);

  const page = await env.page(PHONE);
  await uiLogin(page, env.base, 'demo.yuzhong.admin');
  await page.getByRole('heading', { name: '你好，刘渝中' }).waitFor();
  await page.goto(env.base + '/users');
  const row = page.getByTestId('users-table').locator('tbody tr').filter({ hasText: 'demo.yuzhong' }).filter({ hasText: '周填报' });
  await row.getByRole('button', { name: '查看完整信息' }).click();
  await page.getByRole('dialog', { name: '查看完整信息' }).getByText(/记入审计日志/).waitFor();
  await page.getByRole('dialog', { name: '查看完整信息' }).getByRole('button', { name: '查看' }).click();
  const dlg = page.getByRole('dialog', { name: '完整个人信息' });
  await dlg.getByText('13900139004').waitFor();
  await dlg.getByText(/^500103199008011236|^50010319900801123[0-9X]$/).waitFor();
  await dlg.getByText('本次查看已记入审计日志').waitFor();
  await shot(page, 'users-pii-390', { fullPage: false });
  await page.done();
});

test('a tampered audit row: 校验哈希链 names the first bad row', async () => {
  const target = Number(sql(env.srv, "SELECT id FROM audit_log WHERE action = 'session.create' AND result = 'failure' ORDER BY id LIMIT 1").trim());
  sql(env.srv, `UPDATE audit_log SET result = 'ok' WHERE id = ${target}`);
  try {
    const page = await env.page();
    await uiLogin(page, env.base, 'auditor', 'Strong-Pass-2026'); // set in the first test
    await page.getByRole('heading', { name: /^你好，/ }).waitFor();
    await page.goto(env.base + '/audit');
    await page.getByTestId('audit-table').locator('tbody tr').first().waitFor();
    await page.getByTestId('verify').click();
    const result = page.getByTestId('verify-result');
    await result.getByText(`哈希链校验未通过：第一处异常在第 ${target} 条记录`).waitFor();
    await shot(page, 'audit-tampered-1366', { fullPage: false });
    await page.done();
  } finally {
    sql(env.srv, `UPDATE audit_log SET result = 'failure' WHERE id = ${target}`);
  }
});
