// citizen.test.mjs - public accounts (issue 12 §1, §2) on the real binary: one-time codes read
// the way the SMS gateway reads them (its claim of outbox_direct), registration, log-in, public
// sessions kept off officials' routes, real name (check digit, one account per ID number, also
// under a race), guardians under 14, consents, the data download with the password again,
// deletion anonymising the person, and organisations reviewed by their unit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sql, assertError, residentId, Client } from './lib.mjs';
import { sheetRows } from './xlsx.mjs';

let srv, gw, office, yzAdmin, wzAdmin, yzUnit;
const PW = 'Citizen-Pass-2026';
const VERSION = '2026-12-01';
let nextPhone = 13800000000;
const phone = () => String(++nextPhone);

/** A valid unified social credit code (GB 32100) from 17 characters. */
function uscc(first17) {
  const set = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = [...first17].reduce((s, c, i) => s + set.indexOf(c) * w[i], 0);
  return first17 + set[(31 - (sum % 31)) % 31];
}

/** The code sent to a number, read from the gateway's claim (and reported sent). */
async function codeFor(number) {
  const r = await gw.post('/api/v1/outbox/direct/claim', { limit: 100 });
  assert.equal(r.status, 200, r.text);
  let code = null;
  for (const m of r.json.items) {
    if (m.phone === number) code = /(\d{6})/.exec(m.text)[1];
    assert.equal((await gw.post(`/api/v1/outbox/direct/${m.id}/result`, { status: 'sent' })).status, 200);
  }
  assert.ok(code, `no code for ${number}`);
  return code;
}

/** Ages the codes sent so far by an hour, so that the send limits start afresh. */
const ageCodes = () => sql(srv, 'UPDATE citizen_otps SET created_at = created_at - 3601');

async function register(number = phone(), password = PW) {
  ageCodes();
  const c = srv.client();
  const s = await c.post('/api/v1/citizen/otp', { phone: number, purpose: 'register' });
  assert.equal(s.status, 202, s.text);
  const r = await c.post('/api/v1/citizen/register', { phone: number, code: await codeFor(number), password, privacy_version: VERSION });
  assert.equal(r.status, 201, r.text);
  c.phone = number;
  c.id = r.json.id;
  return c;
}

async function verified(id17 = '11010519491231002') {
  const c = await register();
  const r = await c.post('/api/v1/citizen/me/realname', { name: '张三', id_number: residentId(id17), sensitive_consent: VERSION });
  assert.equal(r.status, 200, r.text);
  return c;
}

before(async () => {
  srv = await startServer({ name: 'citizen' });
  gw = await srv.login('demo.gateway');
  office = await srv.login('demo.office');
  yzAdmin = await srv.login('demo.yuzhong.admin');
  wzAdmin = await srv.login('demo.wanzhou');
  yzUnit = (await office.get('/api/v1/units/500103')).json.id;
});
after(async () => { await srv.stop(); });

test('the privacy notice is public and states its version', async () => {
  const r = await srv.client().get('/api/v1/citizen/privacy');
  assert.equal(r.status, 200);
  assert.equal(r.json.version, VERSION);
  assert.ok(r.json.sensitive.includes('身份证号'));
});

test('registration: a bad number, a wrong code, a replayed code, an expired code, each its own error', async () => {
  const c = srv.client();
  assertError(await c.post('/api/v1/citizen/otp', { phone: '12345' }), 422, 'rule_violation', 'phone');
  assertError(await c.post('/api/v1/citizen/otp', { phone: '13800000001', extra: 1 }), 400, 'bad_request', 'extra');
  const n = phone();
  assertError(await c.post('/api/v1/citizen/register', { phone: n, code: '123456', password: PW, privacy_version: VERSION }), 422, 'rule_violation', 'code');
  assert.equal((await c.post('/api/v1/citizen/otp', { phone: n })).status, 202);
  const again = await c.post('/api/v1/citizen/otp', { phone: n });
  assertError(again, 429, 'rate_limited', 'phone');
  assert.ok(Number(again.headers.get('retry-after')) > 0);
  const code = await codeFor(n);
  const wrong = code === '000000' ? '000001' : '000000';
  const w = await c.post('/api/v1/citizen/register', { phone: n, code: wrong, password: PW, privacy_version: VERSION });
  assertError(w, 422, 'rule_violation', 'code');
  assert.match(w.json.error.message, /还可尝试4次/);
  assertError(await c.post('/api/v1/citizen/register', { phone: n, code, password: 'short', privacy_version: VERSION }), 422, 'rule_violation', 'password');
  assertError(await c.post('/api/v1/citizen/register', { phone: n, code, password: PW, privacy_version: 'old' }), 422, 'rule_violation', 'privacy_version');
  const ok = await c.post('/api/v1/citizen/register', { phone: n, code, password: PW, privacy_version: VERSION });
  assert.equal(ok.status, 201, ok.text);
  assert.match(ok.json.phone, /^1\d\d\*{4}\d{4}$/);
  assert.equal(ok.json.consents[0].kind, 'privacy');
  assert.equal(ok.json.consents[0].version, VERSION);
  const replay = await srv.client().post('/api/v1/citizen/register', { phone: n, code, password: PW, privacy_version: VERSION });
  assertError(replay, 409, 'conflict', 'code');
  assert.match(replay.json.error.message, /已使用/);
  // expired: a fresh code for another number, aged past its five minutes
  const m = phone();
  assert.equal((await c.post('/api/v1/citizen/otp', { phone: m })).status, 202);
  const mc = await codeFor(m);
  sql(srv, 'UPDATE citizen_otps SET expires_at = expires_at - 301');
  const exp = await c.post('/api/v1/citizen/register', { phone: m, code: mc, password: PW, privacy_version: VERSION });
  assertError(exp, 422, 'rule_violation', 'code');
  assert.match(exp.json.error.message, /过期/);
});

test('brute force: five wrong codes lock the code (429), even the right one afterwards', async () => {
  const c = srv.client();
  const n = phone();
  assert.equal((await c.post('/api/v1/citizen/otp', { phone: n })).status, 202);
  const code = await codeFor(n);
  const wrong = code === '999999' ? '999998' : '999999';
  for (let i = 0; i < 4; i++)
    assertError(await c.post('/api/v1/citizen/register', { phone: n, code: wrong, password: PW, privacy_version: VERSION }), 422, 'rule_violation', 'code');
  const fifth = await c.post('/api/v1/citizen/register', { phone: n, code: wrong, password: PW, privacy_version: VERSION });
  assertError(fifth, 429, 'rate_limited', 'code');
  assert.ok(Number(fifth.headers.get('retry-after')) > 0);
  assertError(await c.post('/api/v1/citizen/register', { phone: n, code, password: PW, privacy_version: VERSION }), 429, 'rate_limited', 'code');
});

test('sending is limited per client address too (429 with Retry-After)', async () => {
  ageCodes();
  const c = srv.client();
  for (let i = 0; i < 20; i++) assert.equal((await c.post('/api/v1/citizen/otp', { phone: phone() })).status, 202);
  const r = await c.post('/api/v1/citizen/otp', { phone: phone() });
  assertError(r, 429, 'rate_limited');
  assert.match(r.json.error.message, /本网络/);
  assert.ok(Number(r.headers.get('retry-after')) > 3000);
  const audit = (await (await srv.login('demo.auditor')).get('/api/v1/audit?action=citizen.otp&limit=3')).json.items;
  assert.equal(audit[0].result, 'denied', 'a send over the limit is audited');
  ageCodes();
});

test('codes are never in clear in the database, nor in a stored answer', async () => {
  const c = await register();
  const rows = sql(srv, "SELECT code_hash FROM citizen_otps").trim().split('\n');
  for (const h of rows) assert.match(h, /^[0-9a-f]{64}$/);
  const out = sql(srv, "SELECT text, COALESCE(length(secret_seal), 0), COALESCE(length(phone_seal), 0) FROM outbox_direct WHERE status = 'sent'");
  assert.doesNotMatch(out, /\d{6}/, 'no code in the outbox text');
  for (const line of out.trim().split('\n')) assert.match(line, /\{secret\}.*\|0\|0$/, 'sealed code and number erased once sent');
  assert.doesNotMatch(sql(srv, 'SELECT response FROM idempotency'), /\d{6}/);
  assert.ok(c.id > 0);
});

test('log-in with phone and password; public sessions never reach officials\' routes, nor an official\'s a public one', async () => {
  const c = await register();
  const anon = srv.client();
  assertError(await anon.post('/api/v1/citizen/session', { phone: c.phone, password: 'Wrong-Pass-2026' }), 401, 'unauthorized');
  assertError(await anon.post('/api/v1/citizen/session', { phone: '13900009999', password: PW }), 401, 'unauthorized');
  const l = await anon.post('/api/v1/citizen/session', { phone: c.phone, password: PW });
  assert.equal(l.status, 200, l.text);
  assert.ok(anon.pubCookie && !anon.cookie, 'a public cookie, not an officials\' one');
  for (const [m, p] of [['GET', '/api/v1/me'], ['GET', '/api/v1/units'], ['GET', '/api/v1/inbox'], ['GET', '/api/v1/reports'], ['GET', '/api/v1/orgs'], ['POST', '/api/v1/outbox/direct/claim']])
    assertError(await anon.req(m, p, m === 'POST' ? { json: {} } : {}), 403, 'forbidden');
  const audit = (await (await srv.login('demo.auditor')).get('/api/v1/audit?limit=5')).json.items;
  assert.ok(audit.some(a => a.result === 'denied' && /^citizen:/.test(a.username ?? '')), JSON.stringify(audit[0]));
  assertError(await office.get('/api/v1/citizen/me'), 403, 'forbidden'); // an official's session is no public one
  assert.equal((await anon.get('/api/v1/citizen/me')).status, 200);
  assert.equal((await anon.del('/api/v1/citizen/session')).status, 200);
  assertError(await anon.get('/api/v1/citizen/me'), 401, 'unauthorized');
});

test('a forgotten password is reset with a code sent to the number: unlocked, every session ended', async () => {
  const c = await register();
  const a = srv.client();
  for (let i = 0; i < 5; i++) await a.post('/api/v1/citizen/session', { phone: c.phone, password: 'Wrong-Pass-2026' });
  assertError(await a.post('/api/v1/citizen/session', { phone: c.phone, password: PW }), 423, 'locked');
  ageCodes();
  assert.equal((await a.post('/api/v1/citizen/otp', { phone: c.phone, purpose: 'reset_password' })).status, 202);
  const code = await codeFor(c.phone);
  assertError(await a.post('/api/v1/citizen/password-reset', { phone: c.phone, code, password: 'short' }), 422, 'rule_violation', 'password');
  const r = await a.post('/api/v1/citizen/password-reset', { phone: c.phone, code, password: 'Citizen-New-2026' });
  assert.equal(r.status, 200, r.text);
  assertError(await c.get('/api/v1/citizen/me'), 401, 'unauthorized'); // its sessions ended
  assertError(await a.post('/api/v1/citizen/password-reset', { phone: c.phone, code, password: 'Citizen-New-2027' }), 409, 'conflict', 'code');
  assertError(await a.post('/api/v1/citizen/session', { phone: c.phone, password: PW }), 401);
  assert.equal((await a.post('/api/v1/citizen/session', { phone: c.phone, password: 'Citizen-New-2026' })).status, 200);
  // a register code is nothing for a reset
  ageCodes();
  const n = phone();
  assert.equal((await a.post('/api/v1/citizen/otp', { phone: n })).status, 202);
  assertError(await a.post('/api/v1/citizen/password-reset', { phone: n, code: await codeFor(n), password: 'Citizen-New-2026' }), 422, 'rule_violation', 'code');
});

test('a signed-in citizen changes the password with the current one: other devices signed out, this one stays', async () => {
  const c = await register();
  const other = srv.client();
  assert.equal((await other.post('/api/v1/citizen/session', { phone: c.phone, password: PW })).status, 200);
  assertError(await c.post('/api/v1/citizen/me/password', { new_password: 'Citizen-New-2026' }), 401, 'unauthorized', 'password');
  assertError(await c.post('/api/v1/citizen/me/password', { password: 'Wrong-Pass-2026', new_password: 'Citizen-New-2026' }), 401, 'unauthorized', 'password');
  assertError(await c.post('/api/v1/citizen/me/password', { password: PW, new_password: 'short' }), 422, 'rule_violation', 'new_password');
  assertError(await c.post('/api/v1/citizen/me/password', { password: PW, new_password: PW }), 422, 'rule_violation', 'new_password');
  assertError(await c.post('/api/v1/citizen/me/password', { password: PW }), 400, 'bad_request', 'new_password');
  // nothing changed by the refusals: the old password still signs in
  assert.equal((await srv.client().post('/api/v1/citizen/session', { phone: c.phone, password: PW })).status, 200);
  const r = await c.post('/api/v1/citizen/me/password', { password: PW, new_password: 'Citizen-New-2026' });
  assert.equal(r.status, 200, r.text);
  assert.equal((await c.get('/api/v1/citizen/me')).status, 200, 'this device stays signed in');
  assertError(await other.get('/api/v1/citizen/me'), 401, 'unauthorized');
  assertError(await srv.client().post('/api/v1/citizen/session', { phone: c.phone, password: PW }), 401);
  assert.equal((await srv.client().post('/api/v1/citizen/session', { phone: c.phone, password: 'Citizen-New-2026' })).status, 200);
});

test('five wrong passwords lock a public account (423)', async () => {
  const c = await register();
  const a = srv.client();
  for (let i = 0; i < 4; i++) assertError(await a.post('/api/v1/citizen/session', { phone: c.phone, password: 'Wrong-Pass-2026' }), 401);
  assertError(await a.post('/api/v1/citizen/session', { phone: c.phone, password: 'Wrong-Pass-2026' }), 423, 'locked');
  assertError(await a.post('/api/v1/citizen/session', { phone: c.phone, password: PW }), 423, 'locked');
});

test('real name: wrong check digit, birth date and age derived, one account per ID number', async () => {
  const c = await register();
  const good = residentId('11010519491231002');
  const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
  assertError(await c.post('/api/v1/citizen/me/realname', { name: '李四', id_number: bad, sensitive_consent: VERSION }), 422, 'rule_violation', 'id_number');
  assertError(await c.post('/api/v1/citizen/me/realname', { name: '李四', id_number: good }), 400, 'bad_request', 'sensitive_consent');
  assertError(await c.post('/api/v1/citizen/me/realname', { name: '李四', id_number: good, sensitive_consent: 'x' }), 422, 'rule_violation', 'sensitive_consent');
  const r = await c.post('/api/v1/citizen/me/realname', { name: '李四', id_number: good, sensitive_consent: VERSION });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'verified');
  assert.equal(r.json.birth_date, '1949-12-31');
  assert.ok(r.json.age >= 76);
  assert.equal(r.json.minor, false);
  assert.equal(r.json.id_number, '110105********' + good.slice(14));
  assert.equal(r.json.name, '李*');
  const other = await register();
  const dup = await other.post('/api/v1/citizen/me/realname', { name: '李四', id_number: good, sensitive_consent: VERSION });
  assertError(dup, 409, 'conflict', 'id_number');
  assert.ok(dup.json.error.message.includes(c.phone.slice(0, 3) + '****' + c.phone.slice(7)), dup.json.error.message);
  assert.match(dup.json.error.message, /找回/);
  assert.doesNotMatch(sql(srv, 'SELECT COALESCE(id_mask, \'\') || name_mask FROM citizens'), new RegExp(good));
});

test('two registrations of one ID number at once: exactly one wins', async () => {
  const a = await register(), b = await register();
  const id = residentId('50010319800101003');
  const body = { name: '王五', id_number: id, sensitive_consent: VERSION };
  const rs = await Promise.all([a.post('/api/v1/citizen/me/realname', body), b.post('/api/v1/citizen/me/realname', body)]);
  assert.deepEqual(rs.map(r => r.status).sort(), [200, 409], rs.map(r => r.text).join('\n'));
  // one account, two numbers at once: one real name, and the other number stays free
  const c = await register();
  const ids = [residentId('50010319800101011'), residentId('50010319800101020')];
  const two = await Promise.all(ids.map(id => c.post('/api/v1/citizen/me/realname', { name: '王五', id_number: id, sensitive_consent: VERSION })));
  assert.deepEqual(two.map(r => r.status).sort(), [200, 409], two.map(r => r.text).join('\n'));
  const lost = ids[two.findIndex(r => r.status === 409)];
  assert.equal((await (await register()).post('/api/v1/citizen/me/realname', { name: '赵七', id_number: lost, sensitive_consent: VERSION })).status, 200);
});

test('under 14: no guardian, no verification; a verified adult guardian consents and the accounts are linked; under 18 is flagged', async () => {
  const child = await register();
  const r = await child.post('/api/v1/citizen/me/realname', { name: '小明', id_number: residentId('50010320160301001'), sensitive_consent: VERSION });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'pending_guardian');
  assert.equal(r.json.child, true);
  assert.equal(r.json.minor, true);
  assertError(await child.post('/api/v1/citizen/me/guardian', { guardian_phone: '13999999999' }), 422, 'rule_violation', 'guardian_phone');
  const unverified = await register();
  assertError(await child.post('/api/v1/citizen/me/guardian', { guardian_phone: unverified.phone }), 422, 'rule_violation', 'guardian_phone');
  const teen = await register();
  const t = await teen.post('/api/v1/citizen/me/realname', { name: '小红', id_number: residentId('50010320100101002'), sensitive_consent: VERSION });
  assert.equal(t.json.status, 'verified');
  assert.equal(t.json.minor, true);
  assert.equal(t.json.child, false);
  assertError(await child.post('/api/v1/citizen/me/guardian', { guardian_phone: teen.phone }), 422, 'rule_violation', 'guardian_phone');
  assertError(await teen.post('/api/v1/citizen/me/guardian', { guardian_phone: unverified.phone }), 422, 'rule_violation', 'guardian_phone');
  const parent = await verified('50010319850505001');
  const g = await child.post('/api/v1/citizen/me/guardian', { guardian_phone: parent.phone });
  assert.equal(g.status, 200, g.text);
  assertError(await unverified.post(`/api/v1/citizen/wards/${child.id}/consent`, { approve: true, consent_version: VERSION }), 404, 'not_found');
  assertError(await parent.post(`/api/v1/citizen/wards/${child.id}/consent`, { approve: true }), 422, 'rule_violation', 'consent_version');
  const ok = await parent.post(`/api/v1/citizen/wards/${child.id}/consent`, { approve: true, consent_version: VERSION });
  assert.equal(ok.status, 200, ok.text);
  const me = (await child.get('/api/v1/citizen/me')).json;
  assert.equal(me.realname.status, 'verified');
  assert.equal(me.guardians[0].id, parent.id);
  assert.equal(me.guardians[0].status, 'approved');
  assert.ok(me.consents.some(c => c.kind === 'child' && c.by_guardian && c.version === VERSION));
  assert.equal((await parent.get('/api/v1/citizen/me')).json.wards[0].id, child.id);
  // the guardian may withdraw that consent: the child is no longer verified, the link ends
  assertError(await teen.post(`/api/v1/citizen/wards/${child.id}/withdraw`), 404, 'not_found');
  assert.equal((await parent.post(`/api/v1/citizen/wards/${child.id}/withdraw`)).status, 200);
  const after = (await child.get('/api/v1/citizen/me')).json;
  assert.equal(after.realname.status, 'none');
  assert.equal(after.guardians.length, 0);
  assert.ok(after.consents.filter(c => c.kind !== 'privacy').every(c => c.withdrawn_at > 0));
});

test('sensitive steps ask for the password again; the download holds what is held, and is never stored', async () => {
  const c = await verified('50010319900202004');
  assertError(await c.post('/api/v1/citizen/me/export', {}), 401, 'unauthorized', 'password');
  assertError(await c.post('/api/v1/citizen/me/export', { password: 'Wrong-Pass-2026' }), 401, 'unauthorized', 'password');
  const h = { headers: { 'Idempotency-Key': 'export-1' } };
  const d = await c.post('/api/v1/citizen/me/export', { password: PW }, h);
  assert.equal(d.status, 200, d.text);
  assert.equal(d.json.data.phone, c.phone);
  assert.equal(d.json.data.realname.id_number, residentId('50010319900202004'));
  assert.equal(d.json.data.realname.name, '张三');
  assert.ok(d.json.data.consents.length >= 2);
  const again = await c.post('/api/v1/citizen/me/export', { password: PW }, h);
  assert.equal(again.json.secret_shown_once, true);
  assert.equal(again.json.data, undefined);
  assert.doesNotMatch(sql(srv, 'SELECT response FROM idempotency'), new RegExp(c.phone));
  // change of phone: the password and a code sent to the new number
  const n = phone();
  assertError(await c.post('/api/v1/citizen/me/phone', { phone: n, code: '123456' }), 401, 'unauthorized', 'password');
  assert.equal((await c.post('/api/v1/citizen/otp', { phone: n, purpose: 'change_phone' })).status, 202);
  const code = await codeFor(n);
  const ch = await c.post('/api/v1/citizen/me/phone', { password: PW, phone: n, code });
  assert.equal(ch.status, 200, ch.text);
  assert.equal((await srv.client().post('/api/v1/citizen/session', { phone: n, password: PW })).status, 200);
  assertError(await srv.client().post('/api/v1/citizen/session', { phone: c.phone, password: PW }), 401);
});

test('correction and withdrawal of consent: without it the ID number is not kept', async () => {
  const c = await verified('50010319700707005');
  const p = await c.patch('/api/v1/citizen/me', { nickname: '绿色达人', name: '张叁' });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.nickname, '绿色达人');
  assertError(await c.post('/api/v1/citizen/me/consents/privacy/withdraw'), 422, 'rule_violation', 'kind');
  const w = await c.post('/api/v1/citizen/me/consents/sensitive/withdraw');
  assert.equal(w.status, 200, w.text);
  assert.equal(w.json.realname.status, 'none');
  assert.equal(w.json.realname.id_number, null);
  assert.ok(w.json.consents.find(x => x.kind === 'sensitive').withdrawn_at > 0);
  const other = await register();
  assert.equal((await other.post('/api/v1/citizen/me/realname', { name: '张叁', id_number: residentId('50010319700707005'), sensitive_consent: VERSION })).status, 200);
});

test('deletion asks for the password and anonymises the person', async () => {
  const c = await verified('50010319600606006');
  assertError(await c.del('/api/v1/citizen/me'), 401, 'unauthorized', 'password');
  const d = await c.del('/api/v1/citizen/me', { json: { password: PW } });
  assert.equal(d.status, 200, d.text);
  assertError(await c.get('/api/v1/citizen/me'), 401);
  assertError(await srv.client().post('/api/v1/citizen/session', { phone: c.phone, password: PW }), 401);
  const row = sql(srv, `SELECT status, COALESCE(phone_mask, '-'), COALESCE(length(phone_seal), 0), COALESCE(length(id_seal), 0), COALESCE(birth_date, '-'), COALESCE(pw_hash, '-') FROM citizens WHERE id = ${c.id}`).trim();
  assert.equal(row, 'deleted|-|0|0|-|-');
  assert.equal(sql(srv, `SELECT COUNT(*) FROM citizen_consents WHERE citizen_id = ${c.id}`).trim(), '0');
  await register(c.phone); // the number is free again
  assert.equal((await (await register()).post('/api/v1/citizen/me/realname', { name: '赵六', id_number: residentId('50010319600606006'), sensitive_consent: VERSION })).status, 200);
});

test('organisations: credit code checked, reviewed by their unit, then that unit\'s', async () => {
  const unverified = await register();
  const body = { kind: 'social_org', name: '渝中区绿色家园协会', uscc: uscc('51500103MJP00001'.padEnd(17, '0')), unit_id: yzUnit };
  assertError(await unverified.post('/api/v1/citizen/orgs', body), 403, 'forbidden');
  const c = await verified('50010319750505007');
  assertError(await c.post('/api/v1/citizen/orgs', { ...body, uscc: body.uscc.slice(0, 17) + (body.uscc[17] === '1' ? '2' : '1') }), 422, 'rule_violation', 'uscc');
  assertError(await c.post('/api/v1/citizen/orgs', { ...body, kind: 'club' }), 422, 'rule_violation', 'kind');
  assertError(await c.post('/api/v1/citizen/orgs', { ...body, unit_id: 999999 }), 422, 'rule_violation', 'unit_id');
  const o = await c.post('/api/v1/citizen/orgs', body);
  assert.equal(o.status, 201, o.text);
  assert.equal(o.json.status, 'pending');
  assert.equal(o.json.members[0].role, 'org_admin');
  assert.match(o.json.responsible.phone, /\*{4}/);
  assertError(await (await verified('50010319750505015')).post('/api/v1/citizen/orgs', body), 409, 'conflict', 'uscc');
  const staff = await register();
  assert.equal((await c.post(`/api/v1/citizen/orgs/${o.json.id}/members`, { phone: staff.phone, role: 'org_staff' })).status, 200);
  assertError(await staff.post(`/api/v1/citizen/orgs/${o.json.id}/members`, { phone: unverified.phone }), 403, 'forbidden');
  assertError(await unverified.post(`/api/v1/citizen/orgs/${o.json.id}/members`, { phone: staff.phone }), 404, 'not_found');
  assert.equal((await staff.get('/api/v1/citizen/orgs')).json.items[0].id, o.json.id);
  // officials: 渝中区 sees and reviews its own; 万州区 does not see it
  const list = await yzAdmin.get('/api/v1/orgs?status=pending');
  assert.equal(list.status, 200, list.text);
  assert.ok(list.json.items.some(x => x.id === o.json.id));
  assertError(await wzAdmin.get(`/api/v1/orgs/${o.json.id}`), 404, 'not_found');
  assertError(await wzAdmin.post(`/api/v1/orgs/${o.json.id}/review`, { decision: 'accept' }), 403, 'forbidden'); // a reporter does not review
  assertError(await yzAdmin.post(`/api/v1/orgs/${o.json.id}/review`, { decision: 'return' }), 422, 'rule_violation', 'reason');
  const acc = await yzAdmin.post(`/api/v1/orgs/${o.json.id}/review`, { decision: 'accept' });
  assert.equal(acc.status, 200, acc.text);
  assert.equal(acc.json.status, 'accepted');
  assertError(await office.post(`/api/v1/orgs/${o.json.id}/review`, { decision: 'accept' }), 409, 'conflict');
  assert.equal((await office.get(`/api/v1/orgs/${o.json.id}`)).json.unit.code, '500103');
  assertError(await c.get('/api/v1/orgs'), 403, 'forbidden');
  // unmasking stays the audited permission: the office holds unmask_pii, 渝中区's admin does not
  const pd = `/api/v1/orgs/${o.json.id}/members/${c.id}/personal-data`;
  const clear = await office.get(pd);
  assert.equal(clear.status, 200, clear.text);
  assert.equal(clear.json.phone, c.phone);
  assert.equal(clear.json.id_number, residentId('50010319750505007'));
  assertError(await yzAdmin.get(pd), 403, 'forbidden');
  assertError(await office.get(`/api/v1/orgs/${o.json.id}/members/${unverified.id}/personal-data`), 404, 'not_found', 'cid');
  const audit = (await (await srv.login('demo.auditor')).get('/api/v1/audit?action=pii.unmask&limit=5')).json.items;
  assert.ok(audit.some(a => a.object === `citizen:${c.id}` && a.result === 'ok' && a.username === 'demo.office'));
  assert.ok(audit.some(a => a.object === `citizen:${c.id}` && a.result === 'denied' && a.username === 'demo.yuzhong.admin'));
});

test('a session of a deleted or unknown account is refused; a forged public cookie is nobody', async () => {
  const c = new Client(srv.base);
  c.pubCookie = 'ecoact_pub=1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
  assertError(await c.get('/api/v1/citizen/me'), 401, 'unauthorized');
  c.pubCookie = 'ecoact_pub=' + 'x'.repeat(5000);
  assertError(await c.get('/api/v1/citizen/me'), 401, 'unauthorized');
});

test('the filer never reviews: an official whose phone is the filer\'s public account is refused', async () => {
  const me = await register('13800138001'); // demo.office's phone number
  assert.equal((await me.post('/api/v1/citizen/me/realname', { name: '王晓燕', id_number: residentId('50010319800303008'), sensitive_consent: VERSION })).status, 200);
  const o = await me.post('/api/v1/citizen/orgs', { kind: 'enterprise', name: '某环保科技有限公司', uscc: uscc('91500103MA0000009'), unit_id: yzUnit });
  assert.equal(o.status, 201, o.text);
  assertError(await office.post(`/api/v1/orgs/${o.json.id}/review`, { decision: 'accept' }), 403, 'forbidden');
  const other = await srv.login('demo.office2');
  assert.equal((await other.post(`/api/v1/orgs/${o.json.id}/review`, { decision: 'return', reason: '营业执照照片不清晰' })).json.status, 'returned');
});

test('one code, two registrations at once: exactly one account', async () => {
  ageCodes();
  const n = phone();
  assert.equal((await srv.client().post('/api/v1/citizen/otp', { phone: n })).status, 202);
  const code = await codeFor(n);
  const body = { phone: n, code, password: PW, privacy_version: VERSION };
  const rs = await Promise.all([srv.client().post('/api/v1/citizen/register', body), srv.client().post('/api/v1/citizen/register', body)]);
  assert.deepEqual(rs.map(r => r.status).sort(), [201, 409], rs.map(r => r.text).join('\n'));
  assert.equal(sql(srv, "SELECT count(*) FROM citizen_unique WHERE kind = 'phone' AND owner_id IN (SELECT id FROM citizens WHERE status = 'active')").trim(),
    sql(srv, "SELECT count(*) FROM citizens WHERE status = 'active'").trim(), 'no account without its number');
});

test('a returned registration is corrected and filed again by its org_admin; officials search, count and export', async () => {
  const admin = await verified('50010319800808008');
  const opts = await admin.get('/api/v1/citizen/org-options');
  assert.equal(opts.status, 200, opts.text);
  assert.ok(opts.json.kinds.some(k => k.kind === 'volunteer_org' && k.label === '志愿服务组织'));
  assert.ok(opts.json.units.some(u => u.id === yzUnit), 'a district reviews');
  assert.ok(!opts.json.units.some(u => /学校|中学|小学/.test(u.name)), 'a school does not review');
  const body = { kind: 'volunteer_org', name: '渝中区蓝天志愿服务队', uscc: uscc('53500103MJP000021'), unit_id: yzUnit };
  const o = await admin.post('/api/v1/citizen/orgs', body);
  assert.equal(o.status, 201, o.text);
  assert.equal(o.json.status_label, '待审核');
  assert.equal(o.json.my_role_label, '管理员');
  assert.deepEqual(o.json.actions, ['add_member']);
  // the office sees it pending with 审核 among its actions; refiling a pending one is refused
  const seen = await office.get(`/api/v1/orgs/${o.json.id}`);
  assert.deepEqual(seen.json.actions, ['review']);
  assertError(await admin.put(`/api/v1/citizen/orgs/${o.json.id}`, body), 409, 'conflict');
  const ret = await office.post(`/api/v1/orgs/${o.json.id}/review`, { decision: 'return', reason: '名称与登记证书不一致' });
  assert.equal(ret.json.status_label, '已退回');
  assert.deepEqual(ret.json.actions, [], 'nothing left to review');
  const mine = await admin.get(`/api/v1/citizen/orgs/${o.json.id}`);
  assert.equal(mine.json.review_reason, '名称与登记证书不一致');
  assert.deepEqual(mine.json.actions, ['add_member', 'resubmit']);
  // a member who is no org_admin, and a stranger, may not refile; bad fields change nothing
  const staff = await register();
  assertError(await staff.put(`/api/v1/citizen/orgs/${o.json.id}`, body), 404, 'not_found');
  assert.equal((await admin.post(`/api/v1/citizen/orgs/${o.json.id}/members`, { phone: staff.phone })).status, 200);
  assertError(await staff.put(`/api/v1/citizen/orgs/${o.json.id}`, body), 403, 'forbidden');
  assert.deepEqual((await staff.get(`/api/v1/citizen/orgs/${o.json.id}`)).json.actions, []);
  assertError(await admin.put(`/api/v1/citizen/orgs/${o.json.id}`, { ...body, uscc: '12345' }), 422, 'rule_violation', 'uscc');
  assertError(await admin.put(`/api/v1/citizen/orgs/${o.json.id}`, { ...body, name: '' }), 422, 'rule_violation', 'name');
  assert.equal((await admin.get(`/api/v1/citizen/orgs/${o.json.id}`)).json.status, 'returned');
  const fixed = await admin.put(`/api/v1/citizen/orgs/${o.json.id}`, { ...body, name: '重庆市渝中区蓝天志愿服务队' });
  assert.equal(fixed.status, 200, fixed.text);
  assert.equal(fixed.json.status, 'pending');
  assert.equal(fixed.json.review_reason, null);
  assert.equal(fixed.json.name, '重庆市渝中区蓝天志愿服务队');
  assert.equal((await office.post(`/api/v1/orgs/${o.json.id}/review`, { decision: 'accept' })).status, 200);
  const told = (await admin.get('/api/v1/citizen/inbox')).json.items.filter(m => m.link === `/m/me/orgs/${o.json.id}`).map(m => m.kind).sort();
  assert.deepEqual(told, ['org_accepted', 'org_returned'], 'told of each decision, led to the organisation');
  // the credit code stays this organisation's: another filer is still refused
  assertError(await (await verified('50010319800808016')).post('/api/v1/citizen/orgs', body), 409, 'conflict', 'uscc');
  // search by part of the name or of the code, with the total; a long query is refused
  const hit = await yzAdmin.get('/api/v1/orgs?q=蓝天');
  assert.equal(hit.status, 200, hit.text);
  assert.equal(hit.json.total, 1);
  assert.equal(hit.json.items[0].id, o.json.id);
  assert.equal((await office.get(`/api/v1/orgs?q=${body.uscc.slice(8, 17)}`)).json.items[0].id, o.json.id);
  assert.equal((await office.get('/api/v1/orgs?q=没有这个组织')).json.total, 0);
  assertError(await office.get(`/api/v1/orgs?q=${'长'.repeat(30)}`), 422, 'rule_violation', 'q');
  assertError(await office.get('/api/v1/orgs?status=maybe'), 422, 'rule_violation', 'status');
  // the export: the rows of the list, masked, under a Chinese name; 万州区 gets none of 渝中区's
  const x = await yzAdmin.get('/api/v1/orgs/export.xlsx?q=蓝天');
  assert.equal(x.status, 200, x.text);
  assert.match(decodeURIComponent(/filename\*=UTF-8''(\S+)/.exec(x.headers.get('content-disposition'))[1]), /^社会组织名录_\d{4}年\d{1,2}月\d{1,2}日\.xlsx$/);
  const rows = sheetRows(x.buf);
  const head = rows.findIndex(r => r[0] === '组织名称');
  assert.deepEqual(rows.slice(head + 1).map(r => [r[0], r[2], r[3], r[6]]), [['重庆市渝中区蓝天志愿服务队', '志愿服务组织', '渝中区', '已通过']]);
  assert.match(rows[head + 1][5], /\*{4}/, 'the phone stays masked');
  const wz = await wzAdmin.get('/api/v1/orgs/export.xlsx');
  assert.ok(!sheetRows(wz.buf).some(r => r[0] === '重庆市渝中区蓝天志愿服务队'));
  const audit = (await (await srv.login('demo.auditor')).get('/api/v1/audit?action=organisation.export&limit=5')).json.items;
  assert.ok(audit.some(a => a.username === 'demo.yuzhong.admin' && a.op_label === '导出社会组织名录'));
});

test('races: the same guardian consents from two devices at once; two officials decide one registration at once; one member added twice at once', async () => {
  // a child names a guardian; the guardian's two sessions approve together: one consent, one link
  const child = await register();
  assert.equal((await child.post('/api/v1/citizen/me/realname', { name: '小刚', id_number: residentId('50010320170401003'), sensitive_consent: VERSION })).status, 200);
  const parent = await verified('50010319860606002');
  assert.equal((await child.post('/api/v1/citizen/me/guardian', { guardian_phone: parent.phone })).status, 200);
  const second = srv.client();
  assert.equal((await second.post('/api/v1/citizen/session', { phone: parent.phone, password: PW })).status, 200);
  const consent = { approve: true, consent_version: VERSION };
  const rs = await Promise.all([parent, second].map(s => s.post(`/api/v1/citizen/wards/${child.id}/consent`, consent)));
  const codes = rs.map(r => r.status).sort();
  assert.equal(codes[0], 200, rs.map(r => r.text).join(' | '));
  // the later one finds nothing left to consent to (as a second tap would), or the clash
  assert.ok([404, 409].includes(codes[1]), `the second answers 404 or 409, not ${codes[1]}: ${rs.map(r => r.text).join(' | ')}`);
  assert.equal(sql(srv, `SELECT COUNT(*) FROM citizen_consents WHERE citizen_id = ${child.id} AND kind = 'child' AND withdrawn_at IS NULL`).trim(), '1', 'one consent');
  assert.equal(sql(srv, `SELECT COUNT(*) FROM citizen_guardians WHERE child_id = ${child.id} AND status = 'approved'`).trim(), '1', 'one link');

  // the office and 渝中区's admin accept the same pending registration at once: one decides
  const admin = await verified('50010319860606010');
  const o = await admin.post('/api/v1/citizen/orgs', { kind: 'school', name: '渝中区人和街小学', uscc: uscc('52500103MJP000043'), unit_id: yzUnit });
  assert.equal(o.status, 201, o.text);
  const ds = await Promise.all([office, yzAdmin].map(s => s.post(`/api/v1/orgs/${o.json.id}/review`, { decision: 'accept' })));
  assert.deepEqual(ds.map(r => r.status).sort(), [200, 409], ds.map(r => r.text).join(' | '));
  assert.equal(sql(srv, `SELECT COUNT(*) FROM citizen_inbox WHERE citizen_id = ${admin.id} AND kind LIKE 'org%'`).trim(), '1', 'the filer is told once');

  // one phone added twice at once: one member row, the other told it is a member already
  const staff = await register();
  const ms = await Promise.all([0, 1].map(() => admin.post(`/api/v1/citizen/orgs/${o.json.id}/members`, { phone: staff.phone })));
  assert.deepEqual(ms.map(r => r.status).sort(), [200, 409], ms.map(r => r.text).join(' | '));
  assert.equal(sql(srv, `SELECT COUNT(*) FROM org_members WHERE org_id = ${o.json.id} AND citizen_id = ${staff.id}`).trim(), '1');

  // four decisions at once, each a message to the same person: four messages, numbered apart
  const more = [];
  for (let i = 0; i < 4; i++) {
    const x = await admin.post('/api/v1/citizen/orgs', { kind: 'enterprise', name: `渝中区环保企业${i}`, uscc: uscc(`91500103MA00000${i}${i}`), unit_id: yzUnit });
    assert.equal(x.status, 201, x.text);
    more.push(x.json.id);
  }
  const before = (await admin.get('/api/v1/citizen/inbox')).json.items.length;
  const deciders = [office, yzAdmin, office, yzAdmin];
  const all = await Promise.all(more.map((id, i) => deciders[i].post(`/api/v1/orgs/${id}/review`, i % 2 ? { decision: 'return', reason: '材料不全' } : { decision: 'accept' })));
  assert.deepEqual(all.map(r => r.status), [200, 200, 200, 200], all.map(r => r.text).join(' | '));
  const inbox = (await admin.get('/api/v1/citizen/inbox')).json.items;
  assert.equal(inbox.length, before + 4);
  assert.equal(new Set(inbox.map(m => m.id)).size, inbox.length, 'each message its own number');
});
