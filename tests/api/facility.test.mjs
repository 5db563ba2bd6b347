// facility.test.mjs - environmental facilities open to the public (issue 15 §1-§5) on the real
// binary: the registry filed by an organisation's admin and reviewed by the district's officials
// (never by another district's), sessions with recurrence and key dates, bookings with companions
// (resident IDs kept only as keyed hashes), each refusal with its Chinese error (outside the
// window, over the limit, cooldown, under the minimum age), a group that does not fit changing
// nothing, the waitlist offer after a cancellation and its lapse by the tick, the signed QR code at
// the gate (forged and replayed codes refused), walk-ins, the count inside against the safety
// limit, feedback, and the task 74 ledger report filed once when the session is recorded held.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sql, cli, assertError, residentId } from './lib.mjs';
import { people, orgOf } from './volunteer-lib.mjs';

let srv, office, yzAdmin, wzAdmin, yzUnit, wzUnit, op, org, fac;
const now = () => Math.floor(Date.now() / 1000);
const dayOf = t => new Date((t + 8 * 3600) * 1000).toISOString().slice(0, 10);

/** A session body starting `inSec` from now, booking open now. */
function sessionBody(o = {}) {
  const starts = now() + (o.inSec ?? 3 * 86400);
  return {
    day: dayOf(starts), starts_at: starts, ends_at: starts + 7200, capacity: o.capacity ?? 10,
    individual_quota: o.ind ?? 6, group_quota: o.grp ?? 4, booking_opens: o.opens ?? now() - 3600,
    booking_closes: o.closes ?? starts - 60, cancel_by: o.cancelBy ?? starts - 3600, ...(o.repeat ? { repeat: o.repeat } : {}),
  };
}
async function session(o) {
  const r = await op.client.post(`/api/v1/citizen/fac/facilities/${fac}/sessions`, sessionBody(o));
  assert.equal(r.status, 201, r.text);
  return r.json.sessions[0];
}
const facBody = o => ({ category: 'sewage', name: '鸡冠石污水处理厂', org_id: org, unit_id: yzUnit, address: '南岸区鸡冠石镇', lat: 29.56, lng: 106.63, safety_limit: 12, min_age: 10, batch: '第一批', ...o });

before(async () => {
  srv = await startServer({ name: 'facility' });
  office = await srv.login('demo.office');
  yzAdmin = await srv.login('demo.yuzhong.admin');
  wzAdmin = await srv.login('demo.wanzhou');
  yzUnit = (await office.get('/api/v1/units/500103')).json.id;
  wzUnit = (await office.get('/api/v1/units/500101')).json.id;
  [op] = people(srv, 1);
  org = orgOf(srv, op.id, yzUnit);
});
after(async () => { await srv.stop(); });

test('the registry: filed by the organisation\'s admin, reviewed by the district (not another district), returned, corrected, approved', async () => {
  const [stranger] = people(srv, 1);
  const before = sql(srv, 'SELECT COUNT(*) FROM fac_facilities').trim(); // the demo's
  assertError(await stranger.client.post('/api/v1/citizen/fac/facilities', facBody()), 422, undefined, 'org_id');
  assertError(await op.client.post('/api/v1/citizen/fac/facilities', facBody({ category: 'zoo' })), 422, undefined, 'category');
  assertError(await op.client.post('/api/v1/citizen/fac/facilities', facBody({ category: 'voluntary' })), 422, undefined, 'kind_note');
  assertError(await op.client.post('/api/v1/citizen/fac/facilities', facBody({ lat: 45 })), 422, undefined, 'lat');
  assert.equal(sql(srv, 'SELECT COUNT(*) FROM fac_facilities').trim(), before, 'bad input changes nothing');
  const f = await op.client.post('/api/v1/citizen/fac/facilities', facBody());
  assert.equal(f.status, 201, f.text);
  fac = f.json.id;
  assert.equal(f.json.status_label, '待审核');
  assert.equal(f.json.category_label, '城市污水处理设施');
  assert.equal(f.json.operator, true);
  // not on the public list until approved; another citizen does not see it
  assert.equal((await stranger.client.get(`/api/v1/citizen/fac/facilities/${fac}`)).status, 404);
  // a unit_reporter (demo.wanzhou) holds no fac_review (another unit's unit_admin: matrix.test.mjs)
  assert.equal((await wzAdmin.get(`/api/v1/fac/facilities/${fac}`)).status, 403);
  assert.equal((await wzAdmin.post(`/api/v1/fac/facilities/${fac}/review`, { decision: 'approve' })).status, 403);
  assertError(await office.post(`/api/v1/fac/facilities/${fac}/review`, { decision: 'return' }), 422, undefined, 'reason');
  const ret = await office.post(`/api/v1/fac/facilities/${fac}/review`, { decision: 'return', reason: '请补充无障碍设施说明' });
  assert.equal(ret.status, 200, ret.text);
  assert.equal(ret.json.status, 'returned');
  const up = await op.client.put(`/api/v1/citizen/fac/facilities/${fac}`, { accessibility: '无障碍通道、轮椅借用' });
  assert.equal(up.status, 200, up.text);
  assert.equal(up.json.status, 'registered');
  assert.equal(up.json.accessibility, '无障碍通道、轮椅借用');
  assertError(await stranger.client.put(`/api/v1/citizen/fac/facilities/${fac}`, { name: 'x' }), 404, undefined, 'id');
  const ok = await yzAdmin.post(`/api/v1/fac/facilities/${fac}/review`, { decision: 'approve' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.status, 'open');
  const list = await stranger.client.get(`/api/v1/citizen/fac/facilities?unit=${yzUnit}&category=sewage`);
  assert.ok(list.json.items.some(x => x.id === fac), list.text);
  assert.ok(list.json.items.every(x => x.unit_id === yzUnit && x.category === 'sewage' && x.status === 'open'));
  assert.equal((await stranger.client.get(`/api/v1/citizen/fac/facilities?unit=${wzUnit}`)).json.items.length, 0);
  assert.deepEqual((await op.client.get('/api/v1/citizen/fac/operated')).json.items.map(x => x.id), [fac]);
  // a district official lists its own unit's; office all
  const mine = (await yzAdmin.get('/api/v1/fac/facilities')).json.items;
  assert.ok(mine.some(x => x.id === fac) && mine.every(x => x.unit_id === yzUnit));
  assert.equal((await yzAdmin.get(`/api/v1/fac/facilities?unit=${wzUnit}`)).status, 403);
});

test('sessions: a weekly recurrence, bad input refused, key dates marked, the office sees facilities with none planned', async () => {
  assertError(await op.client.post(`/api/v1/citizen/fac/facilities/${fac}/sessions`, sessionBody({ capacity: 50 })), 422, undefined, 'capacity');
  assertError(await op.client.post(`/api/v1/citizen/fac/facilities/${fac}/sessions`, { ...sessionBody(), day: '2020-13-01' }), 422, undefined, 'day');
  const r = await op.client.post(`/api/v1/citizen/fac/facilities/${fac}/sessions`, sessionBody({ inSec: 20 * 86400, repeat: { every: 'week', times: 3 } }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.sessions.length, 3);
  assert.deepEqual(r.json.sessions.map(s => s.starts_at - r.json.sessions[0].starts_at), [0, 7 * 86400, 14 * 86400]);
  // a session on next 六五环境日 is marked
  const y = Number(dayOf(now()).slice(0, 4)) + 1;
  const starts = Math.floor(Date.parse(`${y}-06-05T10:00:00+08:00`) / 1000);
  const k = await op.client.post(`/api/v1/citizen/fac/facilities/${fac}/sessions`, { ...sessionBody(), day: `${y}-06-05`, starts_at: starts, ends_at: starts + 3600, booking_closes: starts - 60, cancel_by: starts - 3600 });
  assert.equal(k.status, 201, k.text);
  assert.equal(k.json.sessions[0].key_date, 'world_env_day');
  assert.equal(k.json.sessions[0].key_date_label, '六五环境日');
  const kd = await office.get(`/api/v1/fac/key-dates?year=${y}`);
  assert.equal(kd.status, 200, kd.text);
  const byCode = Object.fromEntries(kd.json.key_dates.map(x => [x.code, x]));
  assert.ok(!byCode.world_env_day.without_session.some(x => x.id === fac));
  assert.ok(byCode.eco_day.without_session.some(x => x.id === fac));
  assert.equal(byCode.eco_day.day, `${y}-08-15`);
});

test('booking: companions kept as keyed hashes; outside the window, under age, over the limit and in a cooldown each refused', async () => {
  const s = await session();
  const [P] = people(srv, 1);
  const cid = residentId('50010319850301002');
  const b = await P.client.post(`/api/v1/citizen/fac/sessions/${s.id}/book`, { companions: [{ name: '王同行', resident_id: cid }] });
  assert.equal(b.status, 201, b.text);
  assert.equal(b.json.state, 'held');
  const row = sql(srv, `SELECT id_hash, id_mask, age FROM fac_companions WHERE booking_id = ${b.json.id}`).trim().split('|');
  assert.ok(!row[0].includes(cid) && row[0].length === 64, 'a keyed hash, not the number');
  assert.match(row[1], /^500103\*+\d{3}[\dX]$/);
  assert.equal(sql(srv, `SELECT COUNT(*) FROM fac_companions WHERE id_hash LIKE '%${cid.slice(6, 14)}%' OR name = '${cid}'`).trim(), '0');
  assert.equal((await srv.client().get('/api/v1/citizen/fac/bookings')).status, 401);
  assert.equal((await P.client.get(`/api/v1/citizen/fac/sessions/${s.id}`)).json.individual_taken, 2);
  // twice: refused
  assertError(await P.client.post(`/api/v1/citizen/fac/sessions/${s.id}/book`, {}), 409, undefined, 'id');
  // a child companion under the minimum age (10), and a child booker
  const [Q] = people(srv, 1);
  const child = residentId(`500103${new Date().getFullYear() - 6}0101003`);
  const e1 = await Q.client.post(`/api/v1/citizen/fac/sessions/${s.id}/book`, { companions: [{ name: '小明', resident_id: child }] });
  assertError(e1, 422, undefined, 'min_age');
  assert.match(e1.json.error.message, /未满10周岁/);
  const [kid] = people(srv, 1, { birth: `${new Date().getFullYear() - 8}-01-01` });
  assertError(await kid.client.post(`/api/v1/citizen/fac/sessions/${s.id}/book`, {}), 422, undefined, 'min_age');
  assertError(await Q.client.post(`/api/v1/citizen/fac/sessions/${s.id}/book`, { companions: [{ name: '李', resident_id: '500103198501010000' }] }), 422, undefined, 'companions');
  // outside the window
  const late = await session({ opens: now() + 86400, closes: now() + 2 * 86400 });
  const w = await Q.client.post(`/api/v1/citizen/fac/sessions/${late.id}/book`, {});
  assertError(w, 422, undefined, 'booking_window');
  assert.match(w.json.error.message, /不在预约时间内/);
  // over the limit of three live bookings
  for (let i = 0; i < 3; i++) {
    const x = await session({ inSec: (4 + i) * 86400 });
    assert.equal((await Q.client.post(`/api/v1/citizen/fac/sessions/${x.id}/book`, {})).status, 201);
  }
  const x4 = await session({ inSec: 8 * 86400 });
  assertError(await Q.client.post(`/api/v1/citizen/fac/sessions/${x4.id}/book`, {}), 422, undefined, 'limit');
  // three no-shows in a year: a cooldown
  const [R] = people(srv, 1);
  for (let i = 0; i < 3; i++)
    sql(srv, `INSERT INTO fac_bookings(session_id, citizen_id, kind, headcount, state, created_at, updated_at) VALUES (${late.id + 0}, ${R.id}, 'individual', 1, 'no_show', ${now() - 86400 * (i + 1)}, ${now() - 86400 * (i + 1)}) ON CONFLICT DO NOTHING`);
  sql(srv, `INSERT INTO fac_bookings(session_id, citizen_id, kind, headcount, state, created_at, updated_at) VALUES (${s.id}, ${R.id}, 'individual', 1, 'no_show', ${now() - 3600}, ${now() - 3600})`);
  sql(srv, `INSERT INTO fac_bookings(session_id, citizen_id, kind, headcount, state, created_at, updated_at) VALUES (${x4.id}, ${R.id}, 'individual', 1, 'no_show', ${now() - 7200}, ${now() - 7200})`);
  const cd = await R.client.post(`/api/v1/citizen/fac/sessions/${(await session({ inSec: 9 * 86400 })).id}/book`, {});
  assertError(cd, 403, undefined, 'cooldown');
  assert.match(cd.json.error.message, /暂停预约/);
});

test('a group fits whole or not at all: one that does not fit changes nothing', async () => {
  const s = await session({ grp: 4 });
  const [L, M] = people(srv, 2);
  const big = await L.client.post(`/api/v1/citizen/fac/sessions/${s.id}/book`, { group_name: '巴蜀中学初二3班', leader_name: '陈老师', headcount: 5 });
  assertError(big, 409, undefined, 'headcount');
  assert.match(big.json.error.message, /未预约/);
  assert.equal(sql(srv, `SELECT COUNT(*) FROM fac_bookings WHERE session_id = ${s.id}`).trim(), '0');
  assert.equal((await L.client.get(`/api/v1/citizen/fac/sessions/${s.id}`)).json.group_taken, 0);
  const ok = await L.client.post(`/api/v1/citizen/fac/sessions/${s.id}/book`, { group_name: '巴蜀中学初二3班', leader_name: '陈老师', headcount: 4 });
  assert.equal(ok.status, 201, ok.text);
  assertError(await M.client.post(`/api/v1/citizen/fac/sessions/${s.id}/book`, { group_name: '某公司', leader_name: '张', headcount: 1 }), 409, undefined, 'headcount');
});

test('the waitlist: a cancellation offers the place to the next; an unconfirmed offer passes on by the tick', async () => {
  const s = await session({ capacity: 2, ind: 1, grp: 1 });
  const [X, Y, Z] = people(srv, 3);
  const bx = await X.client.post(`/api/v1/citizen/fac/sessions/${s.id}/book`, {});
  const by = await Y.client.post(`/api/v1/citizen/fac/sessions/${s.id}/book`, {});
  const bz = await Z.client.post(`/api/v1/citizen/fac/sessions/${s.id}/book`, {});
  assert.deepEqual([bx, by, bz].map(b => b.json.state), ['held', 'waiting', 'waiting']);
  assert.equal(by.json.state_label, '候补中');
  const c = await X.client.post(`/api/v1/citizen/fac/bookings/${bx.json.id}/cancel`, {});
  assert.equal(c.status, 200, c.text);
  assert.equal(c.json.items.find(i => i.id === bx.json.id).state, 'cancelled');
  const ro = await op.client.get(`/api/v1/citizen/fac/sessions/${s.id}/roster`);
  assert.deepEqual(ro.json.waitlist.map(w => [w.citizen_id, w.state]), [[Y.id, 'offered'], [Z.id, 'waiting']]);
  assert.equal((await X.client.get(`/api/v1/citizen/fac/sessions/${s.id}/roster`)).status, 404);
  assert.ok((await Y.client.get('/api/v1/citizen/inbox')).json.items.some(m => m.kind === 'fac_offer'));
  sql(srv, `UPDATE fac_bookings SET offer_until = ${now() - 10} WHERE id = ${by.json.id}`);
  const t = cli(srv, ['tick']);
  assert.equal(t.code, 0, t.err);
  assertError(await Y.client.post(`/api/v1/citizen/fac/bookings/${by.json.id}/confirm`, {}), 409, undefined, 'id');
  const ok = await Z.client.post(`/api/v1/citizen/fac/bookings/${bz.json.id}/confirm`, {});
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.items.find(i => i.id === bz.json.id).state_label, '已预约');
  assert.equal((await Z.client.get(`/api/v1/citizen/fac/sessions/${s.id}`)).json.individual_taken, 1);
});

test('the visit: the signed QR code at the gate (forged, replayed, another\'s refused), walk-ins, the count inside, feedback, the ledger once', async () => {
  const s = await session({ inSec: 1800, capacity: 12, ind: 8, grp: 4 });
  const [V, W] = people(srv, 2);
  const bv = await V.client.post(`/api/v1/citizen/fac/sessions/${s.id}/book`, { companions: [{ name: '同行甲', resident_id: residentId('50010319900101004') }] });
  const bw = await W.client.post(`/api/v1/citizen/fac/sessions/${s.id}/book`, { group_name: '社区居民团', leader_name: '赵阿姨', headcount: 4 });
  assert.equal(bw.status, 201, bw.text);
  assert.equal((await W.client.get(`/api/v1/citizen/fac/bookings/${bv.json.id}/qr`)).status, 404, 'another\'s booking');
  const q = await V.client.get(`/api/v1/citizen/fac/bookings/${bv.json.id}/qr`);
  assert.equal(q.status, 200, q.text);
  assert.match(q.json.code, /^EQ1\./);
  assert.match(q.json.svg, /<svg/);
  const forged = q.json.code.slice(0, -4) + (q.json.code.endsWith('AAAA') ? 'BBBB' : 'AAAA');
  assertError(await op.client.post(`/api/v1/citizen/fac/sessions/${s.id}/checkin`, { code: forged }), 422);
  assertError(await V.client.post(`/api/v1/citizen/fac/sessions/${s.id}/checkin`, { code: q.json.code }), 404, undefined, 'id');
  const ci = await op.client.post(`/api/v1/citizen/fac/sessions/${s.id}/checkin`, { code: q.json.code });
  assert.equal(ci.status, 200, ci.text);
  assert.equal(ci.json.inside, 2);
  assertError(await op.client.post(`/api/v1/citizen/fac/sessions/${s.id}/checkin`, { code: q.json.code }), 409, undefined, 'nonce');
  // feedback after entering, once
  assert.equal((await V.client.post(`/api/v1/citizen/fac/bookings/${bv.json.id}/feedback`, { rating: 5, comment: '讲解很清楚' })).status, 201);
  assertError(await V.client.post(`/api/v1/citizen/fac/bookings/${bv.json.id}/feedback`, { rating: 4 }), 409, undefined, 'id');
  assertError(await W.client.post(`/api/v1/citizen/fac/bookings/${bw.json.id}/feedback`, { rating: 9 }), 422, undefined, 'rating');
  const qw = await W.client.get(`/api/v1/citizen/fac/bookings/${bw.json.id}/qr`);
  assert.equal((await op.client.post(`/api/v1/citizen/fac/sessions/${s.id}/checkin`, { code: qw.json.code })).json.inside, 6);
  // walk-ins while there is space: 12 places, 6 booked → 6 walk-ins fit, a 7th does not
  assertError(await op.client.post(`/api/v1/citizen/fac/sessions/${s.id}/walkin`, { count: 7 }), 409, undefined, 'count');
  const wk = await op.client.post(`/api/v1/citizen/fac/sessions/${s.id}/walkin`, { count: 6 });
  assert.equal(wk.status, 200, wk.text);
  assert.equal(wk.json.inside, 12);
  assert.equal(wk.json.places_left, 0);
  const lv = await op.client.post(`/api/v1/citizen/fac/sessions/${s.id}/leave`, { booking_id: bw.json.id });
  assert.equal(lv.json.inside, 8);
  assert.equal(lv.json.roster.find(b => b.id === bw.json.id).state, 'left');
  assertError(await op.client.post(`/api/v1/citizen/fac/sessions/${s.id}/leave`, { count: 9 }), 409, undefined, 'count');
  // held: before the start refused; then (the session moved into the plan period) once
  assertError(await op.client.post(`/api/v1/citizen/fac/sessions/${s.id}/held`, {}), 409, undefined, 'id');
  const past = Math.floor(Date.parse('2025-11-20T10:00:00+08:00') / 1000);
  sql(srv, `UPDATE fac_sessions SET day = '2025-11-20', starts_at = ${past}, ends_at = ${past + 7200}, booking_opens = ${past - 86400}, booking_closes = ${past - 60}, cancel_by = ${past - 3600} WHERE id = ${s.id}`);
  const h = await op.client.post(`/api/v1/citizen/fac/sessions/${s.id}/held`, {});
  assert.equal(h.status, 200, h.text);
  assert.equal(h.json.status, 'held');
  assert.ok(h.json.report_id > 0, h.text);
  assertError(await op.client.post(`/api/v1/citizen/fac/sessions/${s.id}/held`, {}), 409, undefined, 'id');
  const rep = sql(srv, `SELECT unit_id, kind, activity_date, metrics, source FROM reports WHERE source_ref = 'fac_session:${s.id}'`).trim().split('\n');
  assert.equal(rep.length, 1, 'one event, one record');
  const [unit, kind, date, metrics, source] = rep[0].split('|');
  assert.deepEqual([Number(unit), kind, date, source], [yzUnit, 'facility_opening', '2025-11-20', 'facility']);
  assert.deepEqual(JSON.parse(metrics), { participants: 12, sessions: 1 });
});

test('the safety limit holds the count inside; cancelling a session tells everyone booked', async () => {
  const s = await session({ inSec: 1800, capacity: 12, ind: 12, grp: 0 });
  sql(srv, `UPDATE fac_sessions SET safety_limit = 3 WHERE id = ${s.id}`);
  const [A, B] = people(srv, 2);
  const ba = await A.client.post(`/api/v1/citizen/fac/sessions/${s.id}/book`, { companions: [{ name: '甲', resident_id: residentId('50010319900101005') }] });
  const bb = await B.client.post(`/api/v1/citizen/fac/sessions/${s.id}/book`, { companions: [{ name: '乙', resident_id: residentId('50010319900101006') }] });
  assert.equal((await op.client.post(`/api/v1/citizen/fac/sessions/${s.id}/checkin`, { code: (await A.client.get(`/api/v1/citizen/fac/bookings/${ba.json.id}/qr`)).json.code })).status, 200);
  const full = await op.client.post(`/api/v1/citizen/fac/sessions/${s.id}/checkin`, { code: (await B.client.get(`/api/v1/citizen/fac/bookings/${bb.json.id}/qr`)).json.code });
  assertError(full, 409, undefined, 'safety_limit');
  assert.equal((await op.client.get(`/api/v1/citizen/fac/sessions/${s.id}/roster`)).json.roster.find(r => r.id === bb.json.id).state, 'held', 'refused entry changes nothing');
  const s2 = await session({ inSec: 10 * 86400 });
  const [C] = people(srv, 1);
  assert.equal((await C.client.post(`/api/v1/citizen/fac/sessions/${s2.id}/book`, {})).status, 201);
  assert.equal((await op.client.post(`/api/v1/citizen/fac/sessions/${s2.id}/cancel`, {})).status, 200);
  assert.ok((await C.client.get('/api/v1/citizen/inbox')).json.items.some(m => m.kind === 'fac_cancel'));
  assert.equal((await C.client.get('/api/v1/citizen/fac/bookings')).json.items[0].state, 'cancelled');
});

test('the bi-monthly lights: sessions held only in January and April give green, green, then red once May-June has closed', async () => {
  const f = await op.client.post('/api/v1/citizen/fac/facilities', facBody({ name: '井口垃圾焚烧发电厂', category: 'waste' }));
  assert.equal(f.status, 201, f.text);
  assert.equal((await office.post(`/api/v1/fac/facilities/${f.json.id}/review`, { decision: 'approve' })).status, 200);
  const t = d => Math.floor(Date.parse(`${d}T10:00:00+08:00`) / 1000);
  sql(srv, `UPDATE fac_facilities SET reviewed_at = ${t('2025-01-01')} WHERE id = ${f.json.id}`);
  for (const d of ['2025-01-15', '2025-04-10'])
    sql(srv, `INSERT INTO fac_sessions(facility_id, day, starts_at, ends_at, capacity, ind_quota, grp_quota, safety_limit, booking_opens, booking_closes, cancel_by, status, held_at, created_by, created_at)
      VALUES (${f.json.id}, '${d}', ${t(d)}, ${t(d) + 3600}, 10, 10, 0, 12, 0, ${t(d)}, ${t(d)}, 'held', ${t(d) + 7200}, ${op.id}, 0)`);
  const lights = async (as_of, c = office) => {
    const r = await c.get(`/api/v1/fac/lights?as_of=${as_of}`);
    assert.equal(r.status, 200, r.text);
    return r.json.items.find(x => x.id === f.json.id);
  };
  // mid-May: Jan-Feb and Mar-Apr met, May-Jun in progress and on track (the engine's rule);
  // late June without a session: yellow
  let l = await lights('2025-05-20');
  assert.deepEqual(l.periods.map(p => [p.period, p.light]), [['2025-01~02', 'green'], ['2025-03~04', 'green'], ['2025-05~06', 'green']]);
  assert.equal(l.periods[2].status, 'in_progress');
  l = await lights('2025-06-25');
  assert.equal(l.periods[2].light, 'yellow');
  // after May-Jun and its grace days: red
  l = await lights('2025-07-20');
  assert.deepEqual(l.periods.map(p => p.light).slice(0, 3), ['green', 'green', 'red']);
  assert.equal(l.periods[2].status, 'missed');
  assert.equal(l.periods[2].period_label, '2025年5—6月');
  // a district sees its own facilities; another's is refused
  assert.ok(await lights('2025-07-20', yzAdmin));
  assert.equal((await yzAdmin.get(`/api/v1/fac/lights?unit=${wzUnit}`)).status, 403);
  assertError(await office.get('/api/v1/fac/lights?as_of=2025-13-01'), 422, undefined, 'as_of');
});
