// auth.test.mjs - logging in and out, lockout, forced password change, session expiry, CSRF,
// login rate limit, API tokens.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, sql, DEMO_PASSWORD, Client } from './lib.mjs';

let srv;
const cacheExpiry = () => new Promise(r => setTimeout(r, 5200)); // CACHE_TTL_SECONDS (src/base/gen.h) + margin
before(async () => { srv = await startServer({ name: 'auth' }); });
after(async () => { await srv.stop(); });

test('login sets an HttpOnly SameSite=Strict cookie and /me answers who I am', async () => {
  const c = srv.client();
  const r = await c.login('demo.yuzhong', DEMO_PASSWORD);
  assert.equal(r.status, 200);
  const cookie = r.headers.get('set-cookie');
  assert.match(cookie, /ecoact_session=[A-Za-z0-9_-]{43};/);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  assert.doesNotMatch(cookie, /Secure/, 'plain http on loopback: no Secure flag');
  assert.equal(r.json.username, 'demo.yuzhong');
  assert.deepEqual(r.json.roles, ['unit_reporter']);
  assert.equal(r.json.unit.code, '500103');
  assert.equal(r.json.unit.name, '渝中区');
  const me = await c.get('/api/v1/me');
  assert.equal(me.status, 200);
  assert.equal(me.json.display_name, '周填报');
});

test('wrong password and unknown user answer the same 401', async () => {
  const a = await srv.client().login('demo.wanzhou', 'Wrong-password-123');
  const b = await srv.client().login('nobody.here', 'Wrong-password-123');
  assertError(a, 401, 'unauthorized');
  assertError(b, 401, 'unauthorized');
  assert.equal(a.json.error.message, b.json.error.message);
});

test('five failures lock the account for 30 minutes (423 with Retry-After), even with the right password', async () => {
  const c = srv.client();
  for (let i = 0; i < 4; i++) assertError(await c.login('demo.chengkou', `Bad-password-${i}x`), 401);
  const fifth = await c.login('demo.chengkou', 'Bad-password-5x');
  assertError(fifth, 423, 'locked');
  const right = await c.login('demo.chengkou', DEMO_PASSWORD);
  assertError(right, 423, 'locked');
  const ra = Number(right.headers.get('retry-after'));
  assert.ok(ra > 1700 && ra <= 1800, `Retry-After ${ra}`);
  assert.match(right.json.error.message, /锁定/);
});

test('a locked account opens again when the lock time has passed', async () => {
  sql(srv, "UPDATE users SET locked_until = 1 WHERE username = 'demo.chengkou'");
  const r = await srv.client().login('demo.chengkou', DEMO_PASSWORD);
  assert.equal(r.status, 200);
});

test('an administrator must change the one-time password before anything else', async () => {
  const c = srv.client();
  const r = await c.login('auditor', srv.otps.auditor);
  assert.equal(r.status, 200);
  assert.equal(r.json.must_change_password, true);
  assertError(await c.get('/api/v1/audit'), 403, 'password_change_required');
  // policy: too short, too few classes, contains the username, same as old
  assertError(await c.put('/api/v1/me/password', { old_password: srv.otps.auditor, new_password: 'short1A!' }), 422, 'rule_violation', 'new_password');
  assertError(await c.put('/api/v1/me/password', { old_password: srv.otps.auditor, new_password: 'alllowercaseletters' }), 422, 'rule_violation', 'new_password');
  assertError(await c.put('/api/v1/me/password', { old_password: srv.otps.auditor, new_password: 'Auditor-2026-xyz' }), 422, 'rule_violation', 'new_password');
  assertError(await c.put('/api/v1/me/password', { old_password: 'not-the-old-one', new_password: 'Strong-Pass-2026' }), 422, 'rule_violation', 'old_password');
  const ok = await c.put('/api/v1/me/password', { old_password: srv.otps.auditor, new_password: 'Strong-Pass-2026' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.must_change_password, false);
  assert.equal((await c.get('/api/v1/audit')).status, 200);
  const again = await srv.client().login('auditor', 'Strong-Pass-2026');
  assert.equal(again.status, 200);
  assertError(await srv.client().login('auditor', srv.otps.auditor), 401);
});

test('a session cache never outlives a logout, a lock or a role change made on this server', async () => {
  const c = await srv.login('demo.wanzhou');
  assert.equal((await c.get('/api/v1/units?limit=1')).status, 200); // cached now
  const sys = await srv.login('demo.sysadmin');
  const me = (await c.get('/api/v1/me')).json;
  assert.equal((await sys.post(`/api/v1/users/${me.id}/lock`)).status, 200);
  assertError(await c.get('/api/v1/units?limit=1'), 401);
  assert.equal((await sys.post(`/api/v1/users/${me.id}/unlock`)).status, 200);
  const c2 = await srv.login('demo.wanzhou');
  assert.equal((await c2.get('/api/v1/users')).status, 403);
  const sec = await srv.login('demo.secadmin');
  // a change of roles ends the account's sessions at once (finding 6), cached or not
  assert.equal((await sec.put(`/api/v1/users/${me.id}/roles`, { roles: ['unit_admin'] })).status, 200);
  assertError(await c2.get('/api/v1/users'), 401);
  const c3 = await srv.login('demo.wanzhou');
  assert.equal((await c3.get('/api/v1/users')).status, 200, 'the new role is seen at the next login');
  assert.equal((await sec.put(`/api/v1/users/${me.id}/roles`, { roles: ['unit_reporter'] })).status, 200);
  assertError(await c3.get('/api/v1/users'), 401);
  assert.equal((await (await srv.login('demo.wanzhou')).get('/api/v1/users')).status, 403, 'and its removal too');
});

test('logout ends the session; the old cookie no longer works', async () => {
  const c = await srv.login('demo.leader');
  const saved = c.cookie;
  const r = await c.del('/api/v1/session');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('set-cookie'), /Max-Age=0/);
  const stale = new Client(srv.base);
  stale.cookie = saved;
  assertError(await stale.get('/api/v1/me'), 401);
});

test('a session idle for 30 minutes has expired', async () => {
  const c = await srv.login('demo.evaluator');
  assert.equal((await c.get('/api/v1/me')).status, 200);
  const old = Math.floor(Date.now() / 1000) - 31 * 60;
  sql(srv, `UPDATE sessions SET last_seen = ${old} WHERE user_id = (SELECT id FROM users WHERE username = 'demo.evaluator')`);
  await cacheExpiry(); // a change made outside this server is seen once its session cache entry ages out
  assertError(await c.get('/api/v1/me'), 401);
});

test('a session older than 12 hours has expired even when in use', async () => {
  const c = await srv.login('demo.evaluator');
  sql(srv, `UPDATE sessions SET expires_at = ${Math.floor(Date.now() / 1000) - 1} WHERE user_id = (SELECT id FROM users WHERE username = 'demo.evaluator')`);
  await cacheExpiry();
  assertError(await c.get('/api/v1/me'), 401);
});

test('a write with the session cookie from a foreign Origin is refused (403) and changes nothing', async () => {
  const c = await srv.login('demo.yuzhong.admin');
  const evil = await c.post('/api/v1/users', { username: 'csrf.victim', display_name: '跨站', unit_id: 1 }, { origin: 'http://evil.example' });
  assertError(evil, 403, 'forbidden');
  const none = await c.post('/api/v1/users', { username: 'csrf.victim', display_name: '跨站', unit_id: 1 }, { origin: null });
  assertError(none, 403, 'forbidden');
  const list = await (await srv.login('demo.sysadmin')).get('/api/v1/users?q=csrf');
  assert.equal(list.json.items.length, 0);
});

test('logins from one address are rate limited (429 with Retry-After)', async () => {
  const s2 = await startServer({ name: 'ratelimit', demo: true, args: ['--login-limit', '3/60'] });
  try {
    const c = s2.client();
    for (let i = 0; i < 3; i++) assert.notEqual((await c.login('demo.office', 'x-Wrong-123')).status, 429);
    const r = await c.login('demo.office', DEMO_PASSWORD);
    assertError(r, 429, 'rate_limited');
    assert.ok(Number(r.headers.get('retry-after')) >= 1);
  } finally { await s2.stop(); }
});

test('API tokens: scoped, shown once, revocable; a read token cannot write', async () => {
  const c = await srv.login('demo.sysadmin');
  assertError(await c.post('/api/v1/tokens', { name: 'x', scopes: ['admin'] }), 422, 'rule_violation', 'scopes');
  assertError(await c.post('/api/v1/tokens', { name: 'x', scopes: ['read'], expires_in_days: 9999 }), 422, 'rule_violation', 'expires_in_days');
  const made = await c.post('/api/v1/tokens', { name: '数据同步', scopes: ['read'] });
  assert.equal(made.status, 201, made.text);
  const bearer = new Client(srv.base);
  const auth = { Authorization: `Bearer ${made.json.token}` };
  const units = await bearer.get('/api/v1/units?tier=district', { headers: auth });
  assert.equal(units.status, 200);
  assert.equal(units.json.items.length, 26);
  assertError(await bearer.post('/api/v1/units', { name: 'x', tier: 'group' }, { headers: auth }), 401);
  const listed = await c.get('/api/v1/tokens');
  assert.ok(listed.json.items.every(t => !('token' in t)), 'tokens are never shown again');
  assert.equal((await c.del(`/api/v1/tokens/${made.json.id}`)).status, 200);
  assertError(await bearer.get('/api/v1/units', { headers: auth }), 401);
  assertError(await c.del(`/api/v1/tokens/${made.json.id}`), 404);
});

test('secadmin sets the security policy within bounds; lockout and password length follow it', async () => {
  const s2 = await startServer({ name: 'policy' });
  try {
    const sec = await s2.login('demo.secadmin');
    const before = await sec.get('/api/v1/security-policy');
    assert.equal(before.json.max_failures, 5);
    assert.deepEqual(before.json.bounds.password_min_length, [12, 64]);
    assertError(await sec.put('/api/v1/security-policy', { max_failures: 1 }), 422, 'rule_violation', 'max_failures');
    assertError(await sec.put('/api/v1/security-policy', { password_min_length: 8 }), 422, 'rule_violation', 'password_min_length');
    assertError(await sec.put('/api/v1/security-policy', { colour: 3 }), 400, 'bad_request', 'colour');
    assertError(await sec.put('/api/v1/security-policy', { lock_minutes: '5' }), 400, 'bad_request', 'lock_minutes');
    const set = await sec.put('/api/v1/security-policy', { max_failures: 3, lock_minutes: 5, password_min_length: 16 });
    assert.equal(set.status, 200, set.text);
    assert.equal(set.json.max_failures, 3);
    const c = s2.client();
    for (let i = 0; i < 2; i++) assertError(await c.login('demo.wanzhou', `Wrong-password-${i}x`), 401);
    const third = await c.login('demo.wanzhou', 'Wrong-password-3x');
    assertError(third, 423, 'locked');
    const ra = Number(third.headers.get('retry-after'));
    assert.ok(ra > 240 && ra <= 300, `Retry-After ${ra}`);
    const sys = await s2.login('demo.sysadmin');
    const short = await sys.post('/api/v1/users', { username: 'policy.user', display_name: '策略', unit_id: 2, password: 'Fourteen-ch-12' });
    assertError(short, 422, 'rule_violation', 'password');
    assert.match(short.json.error.message, /16/);
    assert.equal((await sys.post('/api/v1/users', { username: 'policy.user', display_name: '策略', unit_id: 2, password: 'Sixteen-chars-123' })).status, 201);
    const audit = (await (await s2.login('demo.auditor')).get('/api/v1/audit?action=security_policy.update')).json.items;
    assert.equal(audit.length, 1);
    assert.match(audit[0].detail, /max_failures/);
  } finally { await s2.stop(); }
});
