// audit.test.mjs - the audit log: a row for each write, login, failed login and logout; readable
// only by auditors; hash-chained so that `ecoact verify audit` names the first tampered row.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, cli, sql } from './lib.mjs';

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
