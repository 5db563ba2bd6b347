// volunteer.test.mjs - the volunteer platform (issue 13 §1-§3) on the real binary: teams in a
// tree reviewed by the level above (officials for a 市级总队, the parent team's admins below;
// never the filer), moves with their history, the registry (number, sealed emergency contact),
// memberships, activities through their lifecycle, cancelling that messages the signed-up, and
// each refusal of sign-up with its Chinese error: double, overlap, outside the window, under age,
// suspended after absences, a group that does not fit (nobody added); the waitlist offer, its
// confirmation and its lapse by the tick.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sql, cli, assertError, residentId } from './lib.mjs';
import { people, orgOf, schedule } from './volunteer-lib.mjs';

let srv, office, yzAdmin, wzAdmin, yzUnit, wzUnit;
let A, B, city, district; // A administers the city team, B the district team
const now = () => Math.floor(Date.now() / 1000);

async function activity(admin, team, opts = {}) {
  const pr = await admin.client.post(`/api/v1/citizen/vol/teams/${team}/projects`, { theme: 'waste_sorting', service_type: 'practice', title: '垃圾分类进社区' });
  assert.equal(pr.status, 201, pr.text);
  const s = schedule(opts.nshifts ?? 1, opts);
  const body = { title: opts.title ?? '垃圾分类宣传', day: s.day, place: '解放碑步行街', unit_id: yzUnit, min_age: opts.min_age ?? 0,
    signup_opens: opts.signup_opens ?? s.signup_opens, signup_closes: opts.signup_closes ?? s.signup_closes, cancel_by: s.cancel_by, shifts: s.shifts };
  const a = await admin.client.post(`/api/v1/citizen/vol/projects/${pr.json.id}/activities`, body);
  assert.equal(a.status, 201, a.text);
  return a.json;
}

/** An activity of the district team, submitted by B and approved by A: open. */
async function openActivity(opts) {
  const a = await activity(B, district, opts);
  assert.equal(a.status, 'draft');
  assert.deepEqual(a.actions.filter(x => x !== 'cancel'), ['submit']);
  assert.equal((await B.client.post(`/api/v1/citizen/vol/activities/${a.id}/steps`, { step: 'submit' })).status, 200);
  const r = await A.client.post(`/api/v1/citizen/vol/activities/${a.id}/steps`, { step: 'approve' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'open');
  return r.json;
}

before(async () => {
  srv = await startServer({ name: 'volunteer' });
  office = await srv.login('demo.office');
  yzAdmin = await srv.login('demo.yuzhong.admin');
  wzAdmin = await srv.login('demo.wanzhou');
  yzUnit = (await office.get('/api/v1/units/500103')).json.id;
  wzUnit = (await office.get('/api/v1/units/500101')).json.id;
  [A, B] = people(srv, 2);
});
after(async () => { await srv.stop(); });

test('a 市级总队 is reviewed by the officials of its unit, never by its filer; a 区县分队 by the city team\'s admins', async () => {
  const f = await A.client.post('/api/v1/citizen/vol/teams', { level: 'city', name: '市生态环境志愿服务总队', unit_id: wzUnit, org_id: orgOf(srv, A.id, wzUnit), areas: '渝中区,江北区' });
  assert.equal(f.status, 201, f.text);
  city = f.json.id;
  assert.equal(f.json.status, 'registered');
  assert.equal(f.json.status_label, '待审核');
  assert.equal(f.json.level_label, '市级总队');
  assert.ok(!f.json.actions.includes('approve'), 'the filer is offered no review');
  assertError(await A.client.post(`/api/v1/citizen/vol/teams/${city}/review`, { decision: 'approve' }), 403, undefined, 'id');
  // another district's unit_admin does not even see it (a unit_reporter holds no vol_review);
  // the office sees and reviews it
  assert.equal((await yzAdmin.get(`/api/v1/vol/teams/${city}`)).status, 404);
  assert.equal((await yzAdmin.post(`/api/v1/vol/teams/${city}/review`, { decision: 'approve' })).status, 404);
  assert.equal((await wzAdmin.get(`/api/v1/vol/teams/${city}`)).status, 403);
  const g = await office.get(`/api/v1/vol/teams/${city}`);
  assert.deepEqual(g.json.actions, ['approve']);
  const r = await office.post(`/api/v1/vol/teams/${city}/review`, { decision: 'approve' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'active');
  assertError(await office.post(`/api/v1/vol/teams/${city}/review`, { decision: 'approve' }), 409, undefined, 'decision');

  const d = await B.client.post('/api/v1/citizen/vol/teams', { parent_id: city, level: 'district', name: '渝中区志愿服务分队', unit_id: yzUnit, org_id: orgOf(srv, B.id, yzUnit) });
  assert.equal(d.status, 201, d.text);
  district = d.json.id;
  assertError(await B.client.post(`/api/v1/citizen/vol/teams/${district}/review`, { decision: 'approve' }), 403, undefined, 'id');
  assertError(await office.post(`/api/v1/vol/teams/${district}/review`, { decision: 'approve' }), 403, undefined, 'id');
  const ga = await A.client.get(`/api/v1/citizen/vol/teams/${district}`);
  assert.ok(ga.json.actions.includes('approve'), JSON.stringify(ga.json.actions));
  const ok = await A.client.post(`/api/v1/citizen/vol/teams/${district}/review`, { decision: 'approve' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.status_label, '已启用');
  // a city team cannot sit under a district team; nor can a team be filed for an organisation
  // its filer does not administer
  assertError(await B.client.post('/api/v1/citizen/vol/teams', { parent_id: district, level: 'city', name: 'x', unit_id: yzUnit, org_id: orgOf(srv, B.id, yzUnit) }), 422, undefined, 'parent_id');
  assertError(await B.client.post('/api/v1/citizen/vol/teams', { parent_id: city, level: 'org', name: 'x', unit_id: yzUnit, org_id: orgOf(srv, A.id, yzUnit) }), 422, undefined, 'org_id');
});

test('a team moves within the tree with its history, and never under its own subtree', async () => {
  const [C] = people(srv, 1);
  const s = await C.client.post('/api/v1/citizen/vol/teams', { parent_id: district, level: 'street', name: '解放碑街道志愿服务队', unit_id: yzUnit, org_id: orgOf(srv, C.id, yzUnit) });
  assert.equal(s.status, 201, s.text);
  assert.equal((await B.client.post(`/api/v1/citizen/vol/teams/${s.json.id}/review`, { decision: 'approve' })).status, 200);
  // B (not an admin of the new parent) cannot take it elsewhere; A receives it under the city team
  assertError(await B.client.post(`/api/v1/citizen/vol/teams/${s.json.id}/move`, { parent_id: city }), 403, undefined, 'parent_id');
  const m = await A.client.post(`/api/v1/citizen/vol/teams/${s.json.id}/move`, { parent_id: city });
  assert.equal(m.status, 200, m.text);
  assert.equal(m.json.parent_id, city);
  assert.deepEqual(m.json.history.map(h => h.event), ['filed', 'approve', 'moved']);
  assertError(await B.client.post(`/api/v1/citizen/vol/teams/${city}/move`, { parent_id: district }), 422, undefined, "parent_id");
});

test('a verified citizen joins the registry with a number; the emergency contact is sealed; memberships are approved by the team\'s admins', async () => {
  const [V] = people(srv, 1);
  const j = await V.client.post('/api/v1/citizen/vol/me', { skills: '急救,摄影', districts: '渝中区', emergency_contact: '王芳 13900001111' });
  assert.equal(j.status, 201, j.text);
  assert.match(j.json.number, new RegExp(`^ZY${new Date().getUTCFullYear()}${String(V.id).padStart(8, '0')}$`));
  assert.equal(j.json.emergency_contact, '王芳 13900001111');
  assert.equal(j.json.emergency_mask, '****1111');
  const raw = sql(srv, `SELECT emergency_mask FROM vol_volunteers WHERE citizen_id = ${V.id}`);
  assert.ok(!raw.includes('王芳'));
  assertError(await V.client.post('/api/v1/citizen/vol/me', {}), 409, undefined, 'citizen_id');
  // not verified: refused
  const [U] = people(srv, 1);
  sql(srv, `UPDATE citizens SET realname = 'none' WHERE id = ${U.id}`);
  assertError(await U.client.post('/api/v1/citizen/vol/me', {}), 403, undefined, 'realname');
  // membership
  const ap = await V.client.post(`/api/v1/citizen/vol/teams/${district}/join`, {});
  assert.equal(ap.status, 200, ap.text);
  assert.equal(ap.json.my_membership, 'applied');
  assertError(await V.client.post(`/api/v1/citizen/vol/teams/${district}/members/${V.id}/decide`, { decision: 'approve' }), 404);
  const ok = await B.client.post(`/api/v1/citizen/vol/teams/${district}/members/${V.id}/decide`, { decision: 'approve' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal((await V.client.get(`/api/v1/citizen/vol/teams/${district}`)).json.my_membership, 'approved');
});

test('an activity goes draft → review by the level above → open; the filer never approves it; the portal finds it by district, theme and date', async () => {
  const a = await activity(B, district, { title: '河岸清洁' });
  assert.equal((await B.client.post(`/api/v1/citizen/vol/activities/${a.id}/steps`, { step: 'submit' })).status, 200);
  assertError(await B.client.post(`/api/v1/citizen/vol/activities/${a.id}/steps`, { step: 'approve' }), 403, undefined, 'id');
  assertError(await office.post(`/api/v1/vol/activities/${a.id}/review`, { decision: 'approve' }), 403, undefined, 'id');
  assertError(await A.client.post(`/api/v1/citizen/vol/activities/${a.id}/steps`, { step: 'return' }), 422, undefined, 'reason');
  const r = await A.client.post(`/api/v1/citizen/vol/activities/${a.id}/steps`, { step: 'approve' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status_label, '招募中');
  const [V] = people(srv, 1);
  const found = await V.client.get(`/api/v1/citizen/vol/activities?unit=${yzUnit}&theme=waste_sorting&from=${a.day}&to=${a.day}`);
  assert.ok(found.json.items.some(x => x.id === a.id), found.text);
  const none = await V.client.get(`/api/v1/citizen/vol/activities?unit=${wzUnit}`);
  assert.ok(!none.json.items.some(x => x.id === a.id));
  assertError(await V.client.get('/api/v1/citizen/vol/activities?theme=nonsense'), 422, undefined, 'theme');
});

test('sign-up refusals: double, overlapping, outside the window, under age, each in Chinese', async () => {
  const a = await openActivity({ nshifts: 2, min_age: 18 });
  const b = await openActivity({ nshifts: 1 }); // its shift is at the same time as a's first
  const [V] = people(srv, 1, { volunteer: true });
  const s1 = a.shifts[0].id, s2 = a.shifts[1].id;
  const ok = await V.client.post(`/api/v1/citizen/vol/shifts/${s1}/signup`, {});
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.state, 'held');
  const dbl = await V.client.post(`/api/v1/citizen/vol/shifts/${s1}/signup`, {});
  assertError(dbl, 409, undefined, 'shift_id');
  assert.match(dbl.json.error.message, /不能重复报名/);
  const ov = await V.client.post(`/api/v1/citizen/vol/shifts/${b.shifts[0].id}/signup`, {});
  assertError(ov, 409, undefined, 'shift_id');
  assert.match(ov.json.error.message, /时间重叠/);
  assert.equal((await V.client.post(`/api/v1/citizen/vol/shifts/${s2}/signup`, {})).status, 201); // next shift: fine
  const [kid] = people(srv, 1, { volunteer: true, birth: `${new Date().getUTCFullYear() - 16}-01-01` });
  const young = await kid.client.post(`/api/v1/citizen/vol/shifts/${s1}/signup`, {});
  assertError(young, 422, undefined, 'min_age');
  assert.match(young.json.error.message, /年满18周岁/);
  const late = await openActivity({ signup_opens: now() + 86400 });
  const w = await V.client.post(`/api/v1/citizen/vol/shifts/${late.shifts[0].id}/signup`, {});
  assertError(w, 422, undefined, 'signup_window');
  assert.match(w.json.error.message, /不在报名时间内/);
  const [N] = people(srv, 1);
  assertError(await N.client.post(`/api/v1/citizen/vol/shifts/${s1}/signup`, {}), 403, undefined, 'volunteer');
  const taken = (await V.client.get(`/api/v1/citizen/vol/activities/${a.id}`)).json.shifts;
  assert.deepEqual(taken.map(s => [s.taken, s.my_state]), [[1, 'held'], [1, 'held']]);
});

test('a group sign-up takes places for all or for none', async () => {
  const a = await openActivity({ places: 3 });
  const members = people(srv, 4, { volunteer: true });
  for (const m of members) {
    assert.equal((await m.client.post(`/api/v1/citizen/vol/teams/${district}/join`, {})).status, 200);
    assert.equal((await B.client.post(`/api/v1/citizen/vol/teams/${district}/members/${m.id}/decide`, { decision: 'approve' })).status, 200);
  }
  const shift = a.shifts[0].id;
  const big = await B.client.post(`/api/v1/citizen/vol/shifts/${shift}/group`, { members: members.map(m => m.id) });
  assertError(big, 409, undefined, 'members');
  assert.match(big.json.error.message, /名额不足.*未报名任何人/);
  let s = (await B.client.get(`/api/v1/citizen/vol/activities/${a.id}`)).json.shifts[0];
  assert.equal(s.taken, 0, 'nobody was added');
  const [outsider] = people(srv, 1, { volunteer: true });
  assertError(await B.client.post(`/api/v1/citizen/vol/shifts/${shift}/group`, { members: [members[0].id, outsider.id] }), 422, undefined, 'members');
  assertError(await members[0].client.post(`/api/v1/citizen/vol/shifts/${shift}/group`, { members: [members[1].id] }), 403, undefined, 'id');
  const fit = await B.client.post(`/api/v1/citizen/vol/shifts/${shift}/group`, { members: members.slice(0, 3).map(m => m.id) });
  assert.equal(fit.status, 201, fit.text);
  s = (await B.client.get(`/api/v1/citizen/vol/activities/${a.id}`)).json.shifts[0];
  assert.equal(s.taken, 3);
  assert.equal(s.free, 0);
});

test('the waitlist: a freed place is offered to the next, confirmed, or passed on by the tick when it lapses', async () => {
  const a = await openActivity({ places: 1 });
  const shift = a.shifts[0].id;
  const [X, Y, Z] = people(srv, 3, { volunteer: true });
  assert.equal((await X.client.post(`/api/v1/citizen/vol/shifts/${shift}/signup`, {})).json.state, 'held');
  assert.equal((await Y.client.post(`/api/v1/citizen/vol/shifts/${shift}/signup`, {})).json.state, 'waiting');
  assert.equal((await Z.client.post(`/api/v1/citizen/vol/shifts/${shift}/signup`, {})).json.state, 'waiting');
  assertError(await Y.client.post(`/api/v1/citizen/vol/shifts/${shift}/confirm`, {}), 404, undefined, 'id');
  const c = await X.client.post(`/api/v1/citizen/vol/shifts/${shift}/cancel`, {});
  assert.equal(c.status, 200, c.text);
  assert.equal(c.json.items.find(i => i.shift_id === shift).state, 'cancelled'); // before the deadline: no absence
  const wl = await B.client.get(`/api/v1/citizen/vol/shifts/${shift}/waitlist`);
  assert.deepEqual(wl.json.items.map(i => [i.citizen_id, i.state]), [[Y.id, 'offered'], [Z.id, 'waiting']]);
  assert.equal((await X.client.get(`/api/v1/citizen/vol/shifts/${shift}/waitlist`)).status, 404, 'only the team admins see the waitlist');
  const msg = await Y.client.get('/api/v1/citizen/inbox');
  assert.ok(msg.json.items.some(m => m.kind === 'vol_offer' && m.title.includes('候补名额')), msg.text);
  // Y lets the offer lapse: the tick passes it to Z, who confirms
  sql(srv, `UPDATE vol_signups SET offer_until = ${now() - 10} WHERE shift_id = ${shift} AND citizen_id = ${Y.id}`);
  const t = cli(srv, ['tick']);
  assert.equal(t.code, 0, t.err);
  assertError(await Y.client.post(`/api/v1/citizen/vol/shifts/${shift}/confirm`, {}), 404, undefined, 'id');
  const ok = await Z.client.post(`/api/v1/citizen/vol/shifts/${shift}/confirm`, {});
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.items.find(i => i.shift_id === shift).state_label, '已报名');
  const s = (await Z.client.get(`/api/v1/citizen/vol/activities/${a.id}`)).json.shifts[0];
  assert.equal(s.taken, 1);
});

test('late cancellations count as absences: five in a year suspend sign-up for 30 days; a no-show counts too', async () => {
  const a = await openActivity({ nshifts: 6, cancelBy: now() - 60 });
  const [V] = people(srv, 1, { volunteer: true });
  for (let i = 0; i < 5; i++) {
    const sid = a.shifts[i].id;
    assert.equal((await V.client.post(`/api/v1/citizen/vol/shifts/${sid}/signup`, {})).status, 201);
    const c = await V.client.post(`/api/v1/citizen/vol/shifts/${sid}/cancel`, {});
    assert.equal(c.status, 200, c.text);
    assert.equal(c.json.items.find(x => x.shift_id === sid).state, 'late_cancel');
  }
  const me = await V.client.get('/api/v1/citizen/vol/me');
  assert.equal(me.json.absences_12m, 5);
  assert.equal(me.json.suspended, true);
  const r = await V.client.post(`/api/v1/citizen/vol/shifts/${a.shifts[5].id}/signup`, {});
  assertError(r, 403, undefined, 'suspended');
  assert.match(r.json.error.message, /报名资格暂停至\d{4}年\d{1,2}月\d{1,2}日/);
  // a no-show, recorded by the running team's admin once the shift has begun
  const b = await openActivity();
  const [W] = people(srv, 1, { volunteer: true });
  assert.equal((await W.client.post(`/api/v1/citizen/vol/shifts/${b.shifts[0].id}/signup`, {})).status, 201);
  assertError(await B.client.post(`/api/v1/citizen/vol/shifts/${b.shifts[0].id}/absent`, { citizen_id: W.id }), 409, undefined, 'id');
  sql(srv, `UPDATE vol_shifts SET starts_at = ${now() - 7200}, ends_at = ${now() - 3600} WHERE id = ${b.shifts[0].id}`);
  assertError(await A.client.post(`/api/v1/citizen/vol/shifts/${b.shifts[0].id}/absent`, { citizen_id: W.id }), 404, undefined, 'id');
  assert.equal((await B.client.post(`/api/v1/citizen/vol/shifts/${b.shifts[0].id}/absent`, { citizen_id: W.id })).status, 200);
  assert.equal((await W.client.get('/api/v1/citizen/vol/me')).json.absences_12m, 1);
});

test('withdrawing an activity nobody joined is silent; cancelling one with sign-ups tells every signed-up volunteer', async () => {
  const quiet = await openActivity();
  const w = await B.client.post(`/api/v1/citizen/vol/activities/${quiet.id}/steps`, { step: 'cancel' });
  assert.equal(w.status, 200, w.text);
  assert.equal(w.json.status, 'withdrawn');
  assert.equal(w.json.status_label, '已取消发布');
  const a = await openActivity({ places: 1, title: '湿地观鸟' });
  const [X, Y] = people(srv, 2, { volunteer: true });
  await X.client.post(`/api/v1/citizen/vol/shifts/${a.shifts[0].id}/signup`, {});
  await Y.client.post(`/api/v1/citizen/vol/shifts/${a.shifts[0].id}/signup`, {}); // waiting
  assertError(await X.client.post(`/api/v1/citizen/vol/activities/${a.id}/steps`, { step: 'cancel' }), 404);
  const c = await B.client.post(`/api/v1/citizen/vol/activities/${a.id}/steps`, { step: 'cancel', reason: '暴雨预警' });
  assert.equal(c.status, 200, c.text);
  assert.equal(c.json.status_label, '已取消活动');
  for (const p of [X, Y]) {
    const m = await p.client.get('/api/v1/citizen/inbox');
    assert.ok(m.json.items.some(i => i.kind === 'vol_cancelled' && i.title.includes('湿地观鸟')), m.text);
    assert.equal((await p.client.get('/api/v1/citizen/vol/me/signups')).json.items[0].state, 'cancelled');
  }
  assert.equal(c.json.shifts[0].taken, 0);
});

test('an official who is the filer of a 市级总队 (same phone) is offered no review and is refused it', async () => {
  // 刘渝中 (demo.yuzhong.admin, phone 13900139003) registers on the portal with the same number
  const gw = await srv.login('demo.gateway');
  const c = srv.client();
  assert.equal((await c.post('/api/v1/citizen/otp', { phone: '13900139003', purpose: 'register' })).status, 202);
  const claim = await gw.post('/api/v1/outbox/direct/claim', { limit: 100 });
  const code = /(\d{6})/.exec(claim.json.items.find(m => m.phone === '13900139003').text)[1];
  const reg = await c.post('/api/v1/citizen/register', { phone: '13900139003', code, password: 'Citizen-Pass-2026', privacy_version: '2026-12-01' });
  assert.equal(reg.status, 201, reg.text);
  assert.equal((await c.post('/api/v1/citizen/me/realname', { name: '刘渝中', id_number: residentId('50010319800101001'), sensitive_consent: '2026-12-01' })).status, 200);
  const t = await c.post('/api/v1/citizen/vol/teams', { level: 'city', name: '渝中区青年志愿服务总队', unit_id: yzUnit, org_id: orgOf(srv, reg.json.id, yzUnit) });
  assert.equal(t.status, 201, t.text);
  assert.deepEqual((await yzAdmin.get(`/api/v1/vol/teams/${t.json.id}`)).json.actions, []);
  assertError(await yzAdmin.post(`/api/v1/vol/teams/${t.json.id}/review`, { decision: 'approve' }), 403, undefined, 'id');
  assert.deepEqual((await office.get(`/api/v1/vol/teams/${t.json.id}`)).json.actions, ['approve']);
  assert.equal((await office.post(`/api/v1/vol/teams/${t.json.id}/review`, { decision: 'approve' })).status, 200);
});
