// users.test.mjs - account administration and the three-role separation: who creates whom,
// validation of personal data, uniqueness, unit scoping, role and permission grants.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, residentId, Client } from './lib.mjs';

let srv, sys, sec, ua;
before(async () => {
  srv = await startServer({ name: 'users' });
  sys = await srv.login('demo.sysadmin');
  sec = await srv.login('demo.secadmin');
  ua = await srv.login('demo.yuzhong.admin');
});
after(async () => { await srv.stop(); });

const yuzhong = async () => (await sys.get('/api/v1/units/500103')).json.id;
const wanzhou = async () => (await sys.get('/api/v1/units/500101')).json.id;

test('sysadmin creates an account: one-time password shown once, must change it, no roles yet', async () => {
  const r = await sys.post('/api/v1/users', { username: 'li.ming', display_name: '李明', unit_id: await wanzhou(), phone: '13912345678' });
  assert.equal(r.status, 201, r.text);
  assert.match(r.json.one_time_password, /^[A-Z]{4}-[a-z]{4}-[0-9]{4}-[a-z]{4}$/);
  assert.equal(r.json.must_change_password, true);
  assert.deepEqual(r.json.roles, []);
  assert.equal(r.json.phone, '139****5678');
  const again = await sys.get(`/api/v1/users/${r.json.id}`);
  assert.equal(again.json.one_time_password, undefined);
  const login = await srv.client().login('li.ming', r.json.one_time_password);
  assert.equal(login.status, 200);
  assert.equal(login.json.must_change_password, true);
});

test('roles are granted by secadmin, not set by sysadmin at creation', async () => {
  assertError(await sys.post('/api/v1/users', { username: 'x.role', display_name: 'X', unit_id: 2, roles: ['office'] }), 403, 'forbidden', 'roles');
  const u = await sys.post('/api/v1/users', { username: 'new.office', display_name: '新办公室', unit_id: 2 });
  const g = await sec.put(`/api/v1/users/${u.json.id}/roles`, { roles: ['office'] });
  assert.equal(g.status, 200, g.text);
  assert.deepEqual(g.json.roles, ['office']);
});

test('three-role separation: no account holds two administrator roles or an admin and a business role', async () => {
  const u = await sys.post('/api/v1/users', { username: 'sep.test', display_name: '分离', unit_id: 2 });
  // administrator roles are never granted online (only `ecoact user` on the server)
  assertError(await sec.put(`/api/v1/users/${u.json.id}/roles`, { roles: ['sysadmin', 'auditor'] }), 403, 'forbidden', 'roles');
  assertError(await sec.put(`/api/v1/users/${u.json.id}/roles`, { roles: ['secadmin'] }), 403, 'forbidden', 'roles');
  assert.equal((await sec.put(`/api/v1/users/${u.json.id}/roles`, { roles: ['leader', 'unit_admin'] })).status, 200);
  assert.equal((await sec.put(`/api/v1/users/${u.json.id}/roles`, { roles: [] })).status, 200);
  assertError(await sec.put(`/api/v1/users/${u.json.id}/roles`, { roles: ['pilot'] }), 422, 'rule_violation', 'roles');
  assert.deepEqual((await sec.get(`/api/v1/users/${u.json.id}`)).json.roles, []);
  const me = (await sec.get('/api/v1/me')).json;
  assertError(await sec.put(`/api/v1/users/${me.id}/roles`, { roles: ['secadmin', 'leader'] }), 403, 'forbidden');
});

test('unmask permission: granted by secadmin, never to a sysadmin, never to oneself', async () => {
  const sysId = (await sys.get('/api/v1/me')).json.id;
  assertError(await sec.put(`/api/v1/users/${sysId}/permissions`, { permissions: ['unmask_pii'] }), 403, 'forbidden', 'permissions');
  const secId = (await sec.get('/api/v1/me')).json.id;
  assertError(await sec.put(`/api/v1/users/${secId}/permissions`, { permissions: ['unmask_pii'] }), 403, 'forbidden', 'permissions');
  assertError(await sec.put(`/api/v1/users/${sysId}/permissions`, { permissions: ['everything'] }), 422, 'rule_violation', 'permissions');
});

test('personal data is validated with a message naming the field', async () => {
  const unit = await wanzhou();
  assertError(await sys.post('/api/v1/users', { username: 'bad.phone', display_name: 'A', unit_id: unit, phone: '12345' }), 422, 'rule_violation', 'phone');
  const good = residentId('50010119900307123');
  const badCheck = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
  const r = await sys.post('/api/v1/users', { username: 'bad.id', display_name: 'A', unit_id: unit, resident_id: badCheck });
  assertError(r, 422, 'rule_violation', 'resident_id');
  assert.match(r.json.error.message, /校验/);
  assertError(await sys.post('/api/v1/users', { username: 'bad.date', display_name: 'A', unit_id: unit, resident_id: residentId('50010119990230123') }), 422, 'rule_violation', 'resident_id');
  assertError(await sys.post('/api/v1/users', { username: 'a', display_name: 'A', unit_id: unit }), 422, 'rule_violation', 'username');
  assertError(await sys.post('/api/v1/users', { username: 'no.unit', display_name: 'A', unit_id: 99999 }), 422, 'rule_violation', 'unit_id');
  assertError(await sys.post('/api/v1/users', { username: 'weak.pw', display_name: 'A', unit_id: unit, password: 'password' }), 422, 'rule_violation', 'password');
  const none = await sys.get('/api/v1/users?q=bad.');
  assert.equal(none.json.items.length, 0, 'nothing half-written');
});

test('one resident ID, one account; usernames are unique', async () => {
  const id = residentId('50010119850101111');
  const a = await sys.post('/api/v1/users', { username: 'first.id', display_name: '甲', unit_id: 2, resident_id: id });
  assert.equal(a.status, 201, a.text);
  assertError(await sys.post('/api/v1/users', { username: 'second.id', display_name: '乙', unit_id: 2, resident_id: id }), 409, 'conflict', 'resident_id');
  assertError(await sys.post('/api/v1/users', { username: 'first.id', display_name: '丙', unit_id: 2 }), 409, 'conflict', 'username');
  assert.equal((await sys.get('/api/v1/users?q=second.id')).json.items.length, 0);
});

test('a unit admin manages only its own unit, and grants only the reporter role', async () => {
  const own = await yuzhong();
  const r = await ua.post('/api/v1/users', { username: 'yz.reporter2', display_name: '渝中二', unit_id: own, roles: ['unit_reporter'] });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json.roles, ['unit_reporter']);
  assertError(await ua.post('/api/v1/users', { username: 'yz.boss', display_name: '越权', unit_id: own, roles: ['office'] }), 403, 'forbidden', 'roles');
  assertError(await ua.post('/api/v1/users', { username: 'wz.user', display_name: '他区', unit_id: await wanzhou() }), 403, 'forbidden', 'unit_id');
  const list = await ua.get('/api/v1/users');
  assert.ok(list.json.items.length >= 3);
  assert.ok(list.json.items.every(u => u.unit.id === own), 'only own unit listed');
  const other = (await sys.get('/api/v1/users?q=demo.wanzhou')).json.items[0];
  assertError(await ua.get(`/api/v1/users/${other.id}`), 404, 'not_found');
  assertError(await ua.post(`/api/v1/users/${other.id}/lock`), 404, 'not_found');
  assertError(await ua.get(`/api/v1/users?unit=500101`), 403, 'forbidden', 'unit');
});

test('lock ends sessions and refuses login; unlock restores; password reset forces a change', async () => {
  const target = (await sys.get('/api/v1/users?q=demo.liangjiang')).json.items[0];
  const victim = await srv.login('demo.liangjiang');
  const locked = await sys.post(`/api/v1/users/${target.id}/lock`);
  assert.equal(locked.status, 200);
  assert.equal(locked.json.disabled, true);
  assertError(await victim.get('/api/v1/me'), 401);
  assertError(await srv.client().login('demo.liangjiang', 'Ecoact-Demo-2025'), 423, 'locked');
  assert.equal((await sys.post(`/api/v1/users/${target.id}/unlock`)).status, 200);
  assert.equal((await srv.client().login('demo.liangjiang', 'Ecoact-Demo-2025')).status, 200);
  const reset = await sys.post(`/api/v1/users/${target.id}/password-reset`);
  assert.equal(reset.status, 200);
  assertError(await srv.client().login('demo.liangjiang', 'Ecoact-Demo-2025'), 401);
  const c = new Client(srv.base);
  const l = await c.login('demo.liangjiang', reset.json.one_time_password);
  assert.equal(l.json.must_change_password, true);
  assertError(await c.get('/api/v1/units'), 403, 'password_change_required');
  const myId = (await sys.get('/api/v1/me')).json.id;
  assertError(await sys.post(`/api/v1/users/${myId}/lock`), 403, 'forbidden');
});

test('the CLI adds accounts with the same rules and reports errors', async () => {
  const { cli } = await import('./lib.mjs');
  const ok = cli(srv, ['user', 'add', '--username', 'cli.office', '--unit', '500103', '--role', 'office', '--password-file', '-'], 'Cli-Password-2026\n');
  assert.equal(ok.code, 0, ok.err);
  const weak = cli(srv, ['user', 'add', '--username', 'cli.weak', '--unit', '500103', '--role', 'office', '--password-file', '-'], 'short\n');
  assert.notEqual(weak.code, 0);
  assert.match(weak.err, /password/);
  const mixed = cli(srv, ['user', 'add', '--username', 'cli.mixed', '--unit', '500103', '--role', 'sysadmin', '--role', 'auditor', '--password-file', '-'], 'Cli-Password-2026\n');
  assert.notEqual(mixed.code, 0);
  assert.match(mixed.err, /三权分立/);
  const badUnit = cli(srv, ['user', 'add', '--username', 'cli.x', '--unit', '999999', '--role', 'office', '--password-file', '-'], 'Cli-Password-2026\n');
  assert.match(badUnit.err, /not found/);
  assert.equal((await srv.client().login('cli.office', 'Cli-Password-2026')).status, 200);
  const list = cli(srv, ['user', 'list']);
  assert.match(list.out, /cli\.office/);
  assert.doesNotMatch(list.out, /cli\.weak|cli\.mixed/);
});
