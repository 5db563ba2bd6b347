// facility-herd.test.mjs - a session is never oversold (issue 15 §3, §7): 5,000 verified citizens
// book one session of 30 individual places at once, as parallel HTTP requests over a pool of
// kept-alive connections. Exactly 30 hold a place, nobody holds two, the other 4,970 wait in
// arrival order, and a cancellation offers the freed place to the head of that list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sql } from './lib.mjs';
import { people, orgOf, pooledPost, closePool } from './volunteer-lib.mjs';

let srv, op, sessionId, herd;
const N = 5000, PLACES = 30;
const now = () => Math.floor(Date.now() / 1000);

before(async () => {
  srv = await startServer({ name: 'facility-herd', threads: 4 });
  const office = await srv.login('demo.office');
  const unit = (await office.get('/api/v1/units/500103')).json.id;
  [op] = people(srv, 1);
  const f = await op.client.post('/api/v1/citizen/fac/facilities', { category: 'waste', name: '黑石子垃圾焚烧发电厂', org_id: orgOf(srv, op.id, unit), unit_id: unit, address: '江北区', lat: 29.6, lng: 106.6, safety_limit: 100 });
  assert.equal(f.status, 201, f.text);
  assert.equal((await office.post(`/api/v1/fac/facilities/${f.json.id}/review`, { decision: 'approve' })).status, 200);
  const starts = now() + 5 * 86400;
  const s = await op.client.post(`/api/v1/citizen/fac/facilities/${f.json.id}/sessions`, {
    day: new Date((starts + 8 * 3600) * 1000).toISOString().slice(0, 10), starts_at: starts, ends_at: starts + 7200,
    capacity: 40, individual_quota: PLACES, group_quota: 10, booking_opens: now() - 60, booking_closes: starts - 60, cancel_by: starts - 3600 });
  assert.equal(s.status, 201, s.text);
  sessionId = s.json.sessions[0].id;
  herd = people(srv, N);
});
after(async () => { closePool(); await srv.stop(); });

test(`${N} concurrent bookings for ${PLACES} places: exactly ${PLACES} held, one row each, the rest waitlisted in arrival order`, async () => {
  const answers = await Promise.all(herd.map(h => pooledPost(srv.base, `/api/v1/citizen/fac/sessions/${sessionId}/book`, h.token)));
  const statuses = {};
  for (const a of answers) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
  assert.deepEqual(statuses, { 201: N }, JSON.stringify(answers.find(a => a.status !== 201)));
  assert.equal(answers.filter(a => a.json.state === 'held').length, PLACES);
  assert.equal(answers.filter(a => a.json.state === 'waiting').length, N - PLACES);
  const s = (await op.client.get(`/api/v1/citizen/fac/sessions/${sessionId}`)).json;
  assert.equal(s.individual_taken, PLACES);
  const count = sql(srv, `SELECT state, COUNT(*), COUNT(DISTINCT citizen_id) FROM fac_bookings WHERE session_id = ${sessionId} GROUP BY state ORDER BY state`).trim().split('\n');
  assert.deepEqual(count.map(l => l.split('|')), [['held', String(PLACES), String(PLACES)], ['waiting', String(N - PLACES), String(N - PLACES)]]);
  // the waitlist in arrival order (booking ids ascending), and every held booking arrived before
  // every waiting one is not required (concurrent arrivals), but the list is strictly ordered
  const wl = (await op.client.get(`/api/v1/citizen/fac/sessions/${sessionId}/roster`)).json.waitlist;
  assert.equal(wl.length, N - PLACES);
  for (let i = 1; i < wl.length; i++) assert.ok(wl[i - 1].id < wl[i].id, `order at ${i}`);
  // a holder cancels: the head of the list is offered the place; the count stays at 30
  const i = answers.findIndex(a => a.json.state === 'held');
  assert.equal((await herd[i].client.post(`/api/v1/citizen/fac/bookings/${answers[i].json.id}/cancel`, {})).status, 200);
  const wl2 = (await op.client.get(`/api/v1/citizen/fac/sessions/${sessionId}/roster`)).json.waitlist;
  assert.deepEqual(wl2[0], { ...wl[0], state: 'offered' });
  assert.equal((await op.client.get(`/api/v1/citizen/fac/sessions/${sessionId}`)).json.individual_taken, PLACES);
});

test('the same citizen booking ten times at once gets one row', async () => {
  const [solo] = people(srv, 1);
  const answers = await Promise.all(Array.from({ length: 10 }, () => pooledPost(srv.base, `/api/v1/citizen/fac/sessions/${sessionId}/book`, solo.token)));
  assert.equal(answers.filter(x => x.status === 201).length, 1, JSON.stringify(answers.map(x => x.status)));
  assert.ok(answers.filter(x => x.status !== 201).every(x => x.status === 409));
  assert.equal(sql(srv, `SELECT COUNT(*) FROM fac_bookings WHERE citizen_id = ${solo.id}`).trim(), '1');
});
