// volunteer-herd.test.mjs - fair places under real concurrency (issue 13 §3, §8): 2,000
// volunteers sign up for one shift of 50 places at once, as many parallel HTTP requests over a
// pool of kept-alive connections. Exactly 50 hold a place, nobody holds two, the other 1,950 wait
// in the documented order (fewer unexcused absences in the last 12 months first, then arrival),
// and a freed place is offered to the head of that list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sql } from './lib.mjs';
import { people, orgOf, schedule, pooledPost, closePool } from './volunteer-lib.mjs';

let srv, office, unit, shift, activityId, admin, herd;
const N = 2000, PLACES = 50;

before(async () => {
  srv = await startServer({ name: 'volunteer-herd', threads: 4 });
  office = await srv.login('demo.office');
  unit = (await office.get('/api/v1/units/500103')).json.id;
  [admin] = people(srv, 1);
  const t = await admin.client.post('/api/v1/citizen/vol/teams', { level: 'city', name: '市级总队', unit_id: unit, org_id: orgOf(srv, admin.id, unit) });
  assert.equal(t.status, 201, t.text);
  assert.equal((await office.post(`/api/v1/vol/teams/${t.json.id}/review`, { decision: 'approve' })).status, 200);
  const p = await admin.client.post(`/api/v1/citizen/vol/teams/${t.json.id}/projects`, { theme: 'green_hills', service_type: 'practice', title: '护河' });
  const s = schedule(1, { places: PLACES });
  const a = await admin.client.post(`/api/v1/citizen/vol/projects/${p.json.id}/activities`, { title: '长江岸线清洁', day: s.day, place: '朝天门', unit_id: unit, signup_opens: s.signup_opens, signup_closes: s.signup_closes, cancel_by: s.cancel_by, shifts: s.shifts });
  assert.equal(a.status, 201, a.text);
  activityId = a.json.id;
  shift = a.json.shifts[0].id;
  assert.equal((await admin.client.post(`/api/v1/citizen/vol/activities/${activityId}/steps`, { step: 'submit' })).status, 200);
  assert.equal((await office.post(`/api/v1/vol/activities/${activityId}/review`, { decision: 'approve' })).status, 200);
  herd = people(srv, N, { volunteer: true });
  // unexcused absences in the last 12 months, on past shifts: every 7th has one, every 11th two
  // more (every 77th three)
  const now = Math.floor(Date.now() / 1000);
  const past = [90, 80, 70].map(d => Number(sql(srv, `INSERT INTO vol_shifts(activity_id, label, starts_at, ends_at, places)
    VALUES (${activityId}, '往期班次', ${now - d * 86400}, ${now - d * 86400 + 3600}, 10000) RETURNING id`).trim().split('\n')[0]));
  const rows = [];
  herd.forEach((h, i) => {
    h.absences = (i % 7 === 0 ? 1 : 0) + (i % 11 === 0 ? 2 : 0);
    for (let k = 0; k < h.absences; k++) rows.push(`(${past[k]}, ${h.id}, 'absent', ${now - 86400 * (k + 1)}, ${now - 86400 * (k + 1)})`);
  });
  for (let i = 0; i < rows.length; i += 500)
    sql(srv, `INSERT INTO vol_signups(shift_id, citizen_id, state, created_at, updated_at) VALUES ${rows.slice(i, i + 500).join(',')}`);
});
after(async () => { closePool(); await srv.stop(); });

test('2,000 concurrent sign-ups for 50 places: exactly 50 places, one row each, the waitlist in priority order', async () => {
  const answers = await Promise.all(herd.map(h => pooledPost(srv.base, `/api/v1/citizen/vol/shifts/${shift}/signup`, h.token)));
  const statuses = {};
  for (const a of answers) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
  assert.deepEqual(statuses, { 201: N }, JSON.stringify(answers.find(a => a.status !== 201)));
  const held = answers.filter(a => a.json.state === 'held').length;
  assert.equal(held, PLACES);
  assert.equal(answers.filter(a => a.json.state === 'waiting').length, N - PLACES);
  const s = (await admin.client.get(`/api/v1/citizen/vol/activities/${activityId}`)).json.shifts.find(x => x.id === shift);
  assert.equal(s.taken, PLACES);
  const count = sql(srv, `SELECT state, COUNT(*), COUNT(DISTINCT citizen_id) FROM vol_signups WHERE shift_id = ${shift} GROUP BY state ORDER BY state`).trim().split('\n');
  assert.deepEqual(count.map(l => l.split('|')), [['held', String(PLACES), String(PLACES)], ['waiting', String(N - PLACES), String(N - PLACES)]]);
  // the waitlist: priority = absences of the last 12 months, fewer first; then arrival
  const wl = (await admin.client.get(`/api/v1/citizen/vol/shifts/${shift}/waitlist`)).json.items;
  assert.equal(wl.length, N - PLACES);
  const byId = new Map(herd.map(h => [h.id, h]));
  const arrival = new Map(sql(srv, `SELECT citizen_id, id FROM vol_signups WHERE shift_id = ${shift}`).trim().split('\n').map(l => l.split('|').map(Number)));
  for (let i = 0; i < wl.length; i++) {
    assert.equal(wl[i].priority, byId.get(wl[i].citizen_id).absences, `priority of ${wl[i].citizen_id}`);
    if (i) {
      const a = wl[i - 1], b = wl[i];
      assert.ok(a.priority < b.priority || (a.priority === b.priority && arrival.get(a.citizen_id) < arrival.get(b.citizen_id)), `order at ${i}`);
    }
  }
  assert.ok(wl.some(w => w.priority > 0) && wl[0].priority === 0);
  // a holder cancels: the head of the list is offered the place; the count stays at 50
  const holder = herd.find(h => answers[herd.indexOf(h)].json.state === 'held');
  assert.equal((await holder.client.post(`/api/v1/citizen/vol/shifts/${shift}/cancel`, {})).status, 200);
  const after1 = (await admin.client.get(`/api/v1/citizen/vol/shifts/${shift}/waitlist`)).json.items;
  assert.deepEqual(after1[0], { ...wl[0], state: 'offered' });
  const s2 = (await admin.client.get(`/api/v1/citizen/vol/activities/${activityId}`)).json.shifts.find(x => x.id === shift);
  assert.equal(s2.taken, PLACES);
});

test('the same volunteer signing up ten times at once gets one row and one place', async () => {
  const [solo] = people(srv, 1, { volunteer: true });
  const answers = await Promise.all(Array.from({ length: 10 }, () => pooledPost(srv.base, `/api/v1/citizen/vol/shifts/${shift}/signup`, solo.token)));
  assert.equal(answers.filter(x => x.status === 201).length, 1, JSON.stringify(answers.map(x => x.status)));
  assert.ok(answers.filter(x => x.status !== 201).every(x => x.status === 409 && x.json.error.field === 'shift_id'));
  assert.equal(sql(srv, `SELECT COUNT(*) FROM vol_signups WHERE citizen_id = ${solo.id}`).trim(), '1');
});
