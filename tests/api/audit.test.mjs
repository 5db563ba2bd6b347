// audit.test.mjs - the audit log: a row for each write, login, failed login and logout; readable
// only by auditors; hash-chained so that `ecoact verify audit` names the first tampered row.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, assertError, cli, sql, ROOT } from './lib.mjs';
import { sheetRows } from './xlsx.mjs';

let srv, auditor;
before(async () => {
  srv = await startServer({ name: 'audit' });
  auditor = await srv.login('demo.auditor');
});
after(async () => { await srv.stop(); });

test('logins, failures, writes and logouts each leave a row with who, where, what and the result', async () => {
  const bad = await srv.client().login('demo.wanzhou', 'Not-the-password-1');
  assert.equal(bad.status, 401);
  const sys = await srv.login('demo.sysadmin');
  const u = await sys.post('/api/v1/users', { username: 'audited.one', display_name: '审计', unit_id: 2 });
  await sys.del('/api/v1/session');
  const rows = (await auditor.get('/api/v1/audit?limit=10')).json.items;
  const [logout, create, login, failed] = rows;
  assert.equal(logout.action, 'session.delete');
  assert.equal(logout.username, 'demo.sysadmin');
  assert.equal(create.action, 'user.create');
  assert.equal(create.object, `user:${u.json.id}`);
  assert.equal(create.result, 'ok');
  assert.equal(create.ip, '127.0.0.1');
  assert.equal(login.action, 'session.create');
  assert.equal(login.result, 'ok');
  assert.equal(failed.action, 'session.create');
  assert.equal(failed.result, 'failure');
  assert.equal(failed.object, 'user:demo.wanzhou');
  assert.ok(rows.every(r => !JSON.stringify(r).includes('Not-the-password')), 'no password in the log');
});

test('filters: by action, result and user', async () => {
  const ok = (await auditor.get('/api/v1/audit?action=session.create&result=ok')).json.items;
  assert.ok(ok.length >= 2);
  assert.ok(ok.every(r => r.action === 'session.create' && r.result === 'ok'));
  const me = (await auditor.get('/api/v1/me')).json.id;
  const mine = (await auditor.get(`/api/v1/audit?user=${me}`)).json.items;
  assert.ok(mine.every(r => r.user_id === me));
  assertError(await auditor.get('/api/v1/audit?result=maybe'), 422, 'rule_violation', 'result');
  const page1 = await auditor.get('/api/v1/audit?limit=2');
  const page2 = await auditor.get(`/api/v1/audit?limit=2&cursor=${page1.json.next_cursor}`);
  assert.ok(page2.json.items[0].id < page1.json.items[1].id);
});

test('the chain verifies, and a tampered row is named by the CLI and the API', async () => {
  let v = cli(srv, ['verify', 'audit']);
  assert.equal(v.code, 0, v.err);
  assert.match(v.out, /intact, \d+ rows/);
  assert.equal((await auditor.get('/api/v1/audit/verification')).json.intact, true);
  const target = Number(sql(srv, "SELECT id FROM audit_log WHERE action = 'user.create' ORDER BY id LIMIT 1").trim());
  sql(srv, `UPDATE audit_log SET result = 'failure' WHERE id = ${target}`);
  v = cli(srv, ['verify', 'audit']);
  assert.equal(v.code, 3);
  assert.match(v.out, new RegExp(`BROKEN at row ${target}: 第 ${target} 行被篡改`));
  const api = (await auditor.get('/api/v1/audit/verification')).json;
  assert.equal(api.intact, false);
  assert.equal(api.first_bad_id, target);
  sql(srv, `UPDATE audit_log SET result = 'ok' WHERE id = ${target}`);
  assert.equal(cli(srv, ['verify', 'audit']).code, 0);
});

test('a removed row is found', async () => {
  await srv.login('demo.leader');
  const last = Number(sql(srv, 'SELECT max(id) FROM audit_log').trim());
  sql(srv, `DELETE FROM audit_log WHERE id = ${last - 1}`);
  const v = cli(srv, ['verify', 'audit']);
  assert.equal(v.code, 3);
  assert.match(v.out, new RegExp(`第 ${last - 1} 行缺失`));
});

test('no route edits or deletes audit rows', async () => {
  const rows = (await auditor.get('/api/v1/audit?limit=1')).json.items;
  for (const m of ['PUT', 'PATCH', 'DELETE', 'POST']) {
    const r = await auditor.req(m, '/api/v1/audit', { json: {} });
    assert.equal(r.status, 405, `${m} /api/v1/audit`);
    const one = await auditor.req(m, `/api/v1/audit/${rows[0].id}`, { json: {} });
    assert.equal(one.status, 404);
  }
});

// ---- issue 19: the log as an auditor reads it ----

const decodeName = cd => decodeURIComponent(/filename\*=UTF-8''(\S+)/.exec(cd)[1]);

test('each row says in Chinese what was done, by whom, on what, and how it ended', async () => {
  const office = await srv.login('demo.office');
  const n = await office.post('/api/v1/notices', { unit: '500154', subject: 'task', task: 3, title: '关于推进宣传工作的督办单', requirements: '尽快', deadline: '2030-01-30' });
  assert.equal(n.status, 201, n.text);
  await srv.client().login('demo.wanzhou', 'Not-the-password-1');
  const rows = (await auditor.get('/api/v1/audit?limit=5')).json.items;
  const failed = rows.find(r => r.action === 'session.create' && r.result === 'failure');
  assert.equal(failed.op_label, '登录');
  assert.equal(failed.result_label, '失败');
  assert.equal(failed.result_text, '失败：用户名或密码错误');
  const made = rows.find(r => r.action === 'notice.create');
  assert.equal(made.op_label, '新建督办单');
  assert.equal(made.object_label, '督办单「关于推进宣传工作的督办单」');
  assert.equal(made.user_name, '王晓燕');
  assert.ok(made.unit_name && !/^\d+$/.test(made.unit_name));
  assert.equal(made.detail_text, '立项（草稿）');
  const login = rows.find(r => r.action === 'session.create' && r.result === 'ok');
  // a plan's object (plan:cq-2021-2025@2) reads as its title and version
  assert.equal((await office.post('/api/v1/plans/cq-2021-2025/drafts', {})).status, 201);
  const draft = (await auditor.get('/api/v1/audit?action=plan.draft&limit=1')).json.items[0];
  assert.match(draft.object_label, /^行动计划「重庆市贯彻落实.*实施方案（第2版）」$/);
  assert.match(login.object_label, /^账号「.+（demo\.office）」$/);
  // every action a route or command writes has a Chinese name in /me labels (the filter's list)
  const labels = (await auditor.get('/api/v1/me')).json.labels.audit.actions;
  const grep = (re, files) => execFileSync('sh', ['-c', `grep -hoE '${re}' ${files}`], { encoding: 'utf8', cwd: ROOT });
  const src = grep('(BODY_NONE|BODY_JSON|BODY_RAW),\\s*"[a-z_.]+"|\\.action = "[a-z_.]+"', 'src/*/*.c') +
    grep('^\\s+"[a-z_]+\\.[a-z_.]+", [a-z_]+, ', 'src/*/api_*.c');
  const codes = new Set([...src.matchAll(/"([a-z_]+\.[a-z_.]+)"/g)].map(m => m[1]));
  const missing = [...codes].filter(c => !labels[c]);
  assert.deepEqual(missing, [], 'operations without a Chinese name');
});

test('filters narrow by person (part of a name), unit, operation, result and time', async () => {
  const byName = (await auditor.get(`/api/v1/audit?person=${encodeURIComponent('王晓')}&limit=100`)).json.items;
  assert.ok(byName.length > 0);
  assert.ok(byName.every(r => r.username === 'demo.office'), 'the display name 王晓燕 finds demo.office only');
  const byLogin = (await auditor.get('/api/v1/audit?person=auditor&limit=100')).json.items;
  assert.ok(byLogin.length > 0 && byLogin.every(r => r.username === 'demo.auditor'));
  const unit = byName[0].unit_id;
  const inUnit = (await auditor.get(`/api/v1/audit?unit=${unit}&limit=100`)).json.items;
  assert.ok(inUnit.length > 0 && inUnit.every(r => r.unit_id === unit));
  const denied = (await auditor.get('/api/v1/audit?result=denied&action=notice.create&limit=100')).json.items;
  assert.ok(denied.every(r => r.result === 'denied' && r.action === 'notice.create'));
  const all = (await auditor.get('/api/v1/audit?limit=1000')).json.items;
  const mid = all[Math.floor(all.length / 2)].at;
  const later = (await auditor.get(`/api/v1/audit?from=${mid}&limit=1000`)).json.items;
  assert.ok(later.length < all.length || all.every(r => r.at >= mid));
  assert.ok(later.every(r => r.at >= mid));
  assertError(await auditor.get(`/api/v1/audit?person=${'x'.repeat(65)}`), 422, 'rule_violation', 'person');
  assertError(await auditor.get('/api/v1/audit?from=200&to=100'), 422, 'rule_violation', 'to');
});

test('the export: an .xlsx of the filtered rows, a Chinese file name, and an audit row of its own', async () => {
  const list = (await auditor.get('/api/v1/audit?person=demo.office&limit=1000')).json.items;
  const x = await auditor.get('/api/v1/audit/export.xlsx?person=demo.office');
  assert.equal(x.status, 200, x.text);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  assert.match(decodeName(x.headers.get('content-disposition')), /^审计日志_\d{4}年\d{1,2}月\d{1,2}日\.xlsx$/);
  assert.match(x.headers.get('content-disposition'), /filename="audit-log_\d{4}-\d{2}-\d{2}\.xlsx"/);
  const rows = sheetRows(x.buf);
  assert.deepEqual(rows[1].slice(0, 6), ['序号', '时间', '人员', '账号', '单位', '操作']);
  const body = rows.slice(2);
  assert.equal(body.length, list.length, 'one row per listed row');
  assert.deepEqual(body.map(r => Number(r[0])), list.map(r => r.id));
  assert.ok(body.every(r => r[3] === 'demo.office'));
  assert.ok(body.some(r => r[5] === '新建督办单' && r[6] === '督办单「关于推进宣传工作的督办单」'));
  const top = (await auditor.get('/api/v1/audit?limit=1')).json.items[0];
  assert.equal(top.action, 'audit.export');
  assert.equal(top.op_label, '导出审计日志');
  assert.equal(top.username, 'demo.auditor');
  assert.match(top.detail, new RegExp(`^导出 ${list.length} 条；人员：demo\\.office`));
  assert.equal((await (await srv.login('demo.office')).get('/api/v1/audit/export.xlsx')).status, 403);
});
