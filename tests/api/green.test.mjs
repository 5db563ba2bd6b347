// green.test.mjs - the green-life points ledger (issue 14 §1-§3): the catalogue and methodology
// versions (drafted by one official, published by another), channels whose token and secret are
// shown once, the partner's signed ingest (no or wrong signature, stale timestamp, replay,
// unknown behaviour, negative quantity, claim window, future date, caps credited up to the cap,
// idempotent retry, 409 on changed content, one act credited once across channels, batch limit),
// a citizen's own account, corrections as reversing entries, and `ecoact verify green` naming
// what was altered. Then a property-style run of random events and reversals with the invariants
// checked after each step.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { startServer, cli, sql, assertError, DEMO_PASSWORD } from './lib.mjs';

let srv, office, office2, leader, citizen, me, chA, chB;
const day = (offset = 0) => new Date(Date.now() + 8 * 3600e3 + offset * 86400e3).toISOString().slice(0, 10);
const now = () => Math.floor(Date.now() / 1000);

async function citizenLogin(phone) {
  const c = srv.client();
  const r = await c.post('/api/v1/citizen/session', { phone, password: DEMO_PASSWORD });
  assert.equal(r.status, 200, r.text);
  return c;
}

/** Sends a signed ingest request for channel ch; opts may spoil the credential. */
async function send(ch, body, opts = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const ts = String(opts.ts ?? now());
  const sig = opts.sig ?? 'v1=' + createHmac('sha256', ch.secret).update(`${ts}.${text}`).digest('hex');
  const headers = { 'Content-Type': 'application/json', 'X-Ecoact-Timestamp': ts, 'X-Ecoact-Signature': sig };
  if (opts.token !== null) headers.Authorization = `Bearer ${opts.token ?? ch.token}`;
  const res = await fetch(srv.base + '/api/v1/green/ingest', { method: 'POST', headers, body: text });
  const out = { status: res.status, text: await res.text(), sent: { ts, sig, text } };
  try { out.json = JSON.parse(out.text); } catch { out.json = null; }
  return out;
}

let seq = 0;
const trip = (extra = {}) => ({ source_event_id: `T-${++seq}`, citizen_id: me, behaviour: 'metro', quantity: 5200,
  activity_date: day(), started_at: now() - 3600 - seq * 7200, route: 'L1', ...extra });

before(async () => {
  srv = await startServer({ name: 'green' });
  office = await srv.login('demo.office');
  office2 = await srv.login('demo.office2');
  leader = await srv.login('demo.leader');
  citizen = await citizenLogin('13700137001');
  me = (await citizen.get('/api/v1/citizen/me')).json.id;
  assert.ok(me > 0);
  const a = await office.post('/api/v1/green/channels', { name: '轨道集团闸机', operator: '重庆市轨道交通（集团）', behaviours: ['metro'] });
  assert.equal(a.status, 201, a.text);
  chA = a.json;
  const b = await office.post('/api/v1/green/channels', { name: '出行即服务平台', operator: '某出行平台', behaviours: ['metro', 'bus'] });
  chB = b.json;
});
after(async () => { await srv.stop(); });

test('the catalogue: factors as integer mg with the document they come from; only the office', async () => {
  const r = await office.get('/api/v1/green/behaviours');
  assert.equal(r.status, 200);
  const metro = r.json.items.find(b => b.code === 'metro');
  assert.equal(metro.name, '地铁出行');
  assert.equal(metro.factor.mg_per_unit, 46800);
  assert.match(metro.factor.source_doc, /46\.8/);
  const ebike = r.json.items.find(b => b.code === 'ebike');
  assert.equal(ebike.factor.mg_per_unit, 43000);
  assert.equal(ebike.factor.source_date, '2023');
  assert.ok(r.json.items.every(b => Array.isArray(b.actions)));
  assert.ok(r.json.items.every(b => !b.factor || b.factor.validity_days <= 3650));
  assertError(await leader.get('/api/v1/green/behaviours'), 403, 'forbidden');
  assertError(await citizen.get('/api/v1/green/behaviours'), 403, 'forbidden');
});

test('a methodology version is drafted by one official and published by another; published is final', async () => {
  const f = { behaviour: 'bus', mg_per_unit: 26900, points_per_unit: 30, cap_day: 300, source_doc: '测试文件' };
  assertError(await office.post('/api/v1/green/versions', { title: 'x', effective_from: '2099-01-01', factors: [{ ...f, validity_days: 3651 }] }), 422, 'rule_violation', 'factors[0].validity_days');
  assertError(await office.post('/api/v1/green/versions', { title: 'x', effective_from: '2099-01-01', factors: [{ ...f, behaviour: 'teleport' }] }), 422, undefined, 'factors');
  const d = await office.post('/api/v1/green/versions', { title: '第2版（测试）', effective_from: '2099-01-01', factors: [f] });
  assert.equal(d.status, 201, d.text);
  assert.equal(d.json.status, 'draft');
  assert.deepEqual(d.json.actions, []); // the drafter is not offered publishing
  assertError(await office.post(`/api/v1/green/versions/${d.json.id}/publish`), 403, 'forbidden', 'published_by');
  assert.deepEqual((await office2.get(`/api/v1/green/versions/${d.json.id}`)).json.actions, ['publish']);
  const p = await office2.post(`/api/v1/green/versions/${d.json.id}/publish`);
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.status_label, '已发布');
  assertError(await office.post(`/api/v1/green/versions/${d.json.id}/publish`), 409, 'conflict');
  // a future version does not change today's factor
  const bus = (await office.get('/api/v1/green/behaviours')).json.items.find(b => b.code === 'bus');
  assert.equal(bus.factor.points_per_unit, 27);
});

test('a channel\'s token and secret are shown once, never stored in a replayed answer nor listed', async () => {
  assert.match(chA.token, /^[A-Za-z0-9_-]{43}$/);
  assert.match(chA.secret, /^[0-9a-f]{64}$/);
  assert.equal(chA.scope, 'green:ingest');
  const key = { headers: { 'Idempotency-Key': 'chan-1' } };
  const first = await office.post('/api/v1/green/channels', { name: '回收站', operator: '再生资源公司', behaviours: ['recycle'] }, key);
  const again = await office.post('/api/v1/green/channels', { name: '回收站', operator: '再生资源公司', behaviours: ['recycle'] }, key);
  assert.ok(first.json.secret);
  assert.equal(again.json.secret, undefined);
  assert.equal(again.json.secret_shown_once, true);
  const list = await office.get('/api/v1/green/channels');
  assert.ok(!list.text.includes(chA.secret) && !list.text.includes(chA.token));
  assert.deepEqual(list.json.items.find(c => c.id === chA.id).actions, ['revoke']);
});

test('the channel credential: no token, wrong signature, stale timestamp and replay are refused', async () => {
  const body = { events: [trip()] };
  assertError(await send(chA, body, { token: null }), 401, 'unauthorized', 'Authorization');
  assertError(await send(chA, body, { token: chB.token }), 401, 'unauthorized', 'X-Ecoact-Signature');
  assertError(await send(chA, body, { sig: 'v1=' + '0'.repeat(64) }), 401, 'unauthorized', 'X-Ecoact-Signature');
  assertError(await send(chA, body, { ts: now() - 301 }), 401, 'unauthorized', 'X-Ecoact-Timestamp');
  assertError(await send(chA, body, { ts: now() + 400 }), 401, 'unauthorized', 'X-Ecoact-Timestamp');
  const ok = await send(chA, body);
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.credited, 1);
  const replay = await fetch(srv.base + '/api/v1/green/ingest', { method: 'POST', body: ok.sent.text, headers: {
    'Content-Type': 'application/json', Authorization: `Bearer ${chA.token}`, 'X-Ecoact-Timestamp': ok.sent.ts, 'X-Ecoact-Signature': ok.sent.sig } });
  assert.equal(replay.status, 409);
  assert.equal((await replay.json()).error.field, 'X-Ecoact-Signature');
  // the official's bearer tokens and sessions are no channel credential
  assertError(await office.post('/api/v1/green/ingest', body), 401, 'unauthorized', 'Authorization');
});

test('bad events are refused one by one with their field; good ones beside them are credited', async () => {
  const r = await send(chA, { events: [
    trip({ behaviour: 'teleport' }),
    trip({ quantity: -5 }),
    trip({ activity_date: day(-8) }),
    trip({ activity_date: day(1) }),
    trip({ behaviour: 'bus' }),            // not this channel's behaviour
    trip({ citizen_id: 999999 }),
    trip(),
  ] });
  assert.equal(r.status, 200, r.text);
  const it = r.json.items;
  assert.deepEqual(it.map(i => i.status), ['refused', 'refused', 'refused', 'refused', 'refused', 'refused', 'credited']);
  assert.deepEqual(it.slice(0, 6).map(i => i.field), ['events[0].behaviour', 'events[1].quantity', 'events[2].activity_date',
    'events[3].activity_date', 'events[4].behaviour', 'events[5].citizen_id']);
  assert.match(it[2].message, /申报期限/);
  assert.match(it[3].message, /不能晚于今天/);
  assert.match(it[1].message, /正整数/);
  assert.equal(it[6].points, 244); // 5.2 km × 47 points per km, rounded down
  assert.equal(r.json.refused, 6);
});

test('over the daily cap the event is credited up to the cap, and the answer says so', async () => {
  const before = (await citizen.get('/api/v1/citizen/green')).json.balance; // 488 so far
  assert.equal(before, 488);
  const r = await send(chA, { events: [trip({ quantity: 10000 })] });
  const it = r.json.items[0];
  assert.equal(it.status, 'capped');
  assert.equal(it.requested_points, 470);
  assert.equal(it.points, 12); // 500 a day for metro
  assert.equal(it.cap, 'day');
  assert.match(it.message, /每日上限/);
  const full = await send(chA, { events: [trip()] });
  assert.equal(full.json.items[0].points, 0);
  assert.equal(full.json.items[0].entry_id, null);
  assert.equal((await citizen.get('/api/v1/citizen/green')).json.balance, 500);
});

test('the same event again answers its first entry; other content under its id is 409', async () => {
  const ev = trip({ activity_date: day(-1) });
  const a = await send(chA, { events: [ev] });
  assert.equal(a.json.items[0].status, 'credited');
  const b = await send(chA, { events: [ev] }, { ts: now() - 2 }); // a retry is a new signed request
  assert.equal(b.status, 200, b.text);
  assert.equal(b.json.items[0].replayed, true);
  assert.equal(b.json.items[0].entry_id, a.json.items[0].entry_id);
  assert.equal(b.json.credited, 0);
  const c = await send(chA, { events: [{ ...ev, quantity: 9000 }] });
  assert.equal(c.status, 200, c.text);
  assert.equal(c.json.items[0].status, 'refused');
  assert.equal(c.json.items[0].code, 'conflict');
  assert.equal(c.json.items[0].field, 'events[0].source_event_id');
  // the same source id from another channel is another event
  const bal = (await citizen.get('/api/v1/citizen/green')).json.balance;
  assert.equal(bal, 744);
});

test('one act reported through two channels is credited once', async () => {
  const ev = trip({ activity_date: day(-2), route: 'L3' });
  const a = await send(chA, { events: [ev] });
  assert.equal(a.json.items[0].status, 'credited');
  const b = await send(chB, { events: [{ ...ev, source_event_id: 'maas-77', started_at: ev.started_at + 90 }] });
  assert.equal(b.json.items[0].status, 'duplicate');
  assert.equal(b.json.items[0].points, 0);
  assert.equal(b.json.items[0].duplicate_of, a.json.items[0].event_id);
  assert.match(b.json.items[0].status_label, /不重复计分/);
  // another route at the same time is another act
  const c = await send(chB, { events: [{ ...ev, source_event_id: 'maas-78', route: 'L6' }] });
  assert.equal(c.json.items[0].status, 'credited');
});

test('a citizen sees only their own balance, history by behaviour, CO2e saved and next expiry', async () => {
  const r = await citizen.get('/api/v1/citizen/green');
  assert.equal(r.status, 200);
  const metro = r.json.by_behaviour.find(b => b.behaviour === 'metro');
  assert.equal(metro.name, '地铁出行');
  assert.equal(metro.points, r.json.balance);
  assert.ok(r.json.saved_mg > 0);
  assert.ok(r.json.next_expiry.date > day(3640));
  assert.match(r.json.next_expiry.date_label, /年.*月.*日/);
  const other = await citizenLogin('13700137003');
  assert.equal((await other.get('/api/v1/citizen/green')).json.balance, 0);
  assert.equal((await other.get('/api/v1/citizen/green/entries')).json.items.length, 0);
  const list = await citizen.get('/api/v1/citizen/green/entries?limit=2');
  assert.equal(list.json.items.length, 2);
  const rest = await citizen.get(`/api/v1/citizen/green/entries?cursor=${list.json.next_cursor}`);
  assert.ok(rest.json.items.every(e => e.seq < list.json.items[1].seq));
  assertError(await office.get('/api/v1/citizen/green'), 403, 'forbidden');
});

test('a correction is a reversing entry, once; verify green finds an altered entry and names it', async () => {
  const entries = (await citizen.get('/api/v1/citizen/green/entries')).json.items;
  const first = entries.at(-1);
  const bal = (await citizen.get('/api/v1/citizen/green')).json.balance;
  const r = await office.post(`/api/v1/green/entries/${first.id}/reverse`, { reason: '渠道误报' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.amount, -first.amount);
  assertError(await office.post(`/api/v1/green/entries/${first.id}/reverse`, { reason: '再次' }), 409, 'conflict');
  assertError(await leader.post(`/api/v1/green/entries/${first.id}/reverse`, { reason: 'x' }), 403, 'forbidden');
  assert.equal((await citizen.get('/api/v1/citizen/green')).json.balance, bal - first.amount);
  assert.equal((await citizen.get('/api/v1/citizen/green/entries?limit=1')).json.items[0].kind_label, '冲正');

  let v = cli(srv, ['verify', 'green']);
  assert.equal(v.code, 0, v.out + v.err);
  assert.match(v.out, /intact/);
  sql(srv, `UPDATE green_entries SET amount = amount + 1 WHERE id = ${first.id}`);
  v = cli(srv, ['verify', 'green']);
  assert.equal(v.code, 3);
  assert.match(v.out, new RegExp(`entry ${first.id} .*altered`));
  sql(srv, `UPDATE green_entries SET amount = amount - 1 WHERE id = ${first.id}`);
  sql(srv, `UPDATE green_accounts SET balance = balance + 5 WHERE citizen_id = ${me}`);
  v = cli(srv, ['verify', 'green']);
  assert.equal(v.code, 3);
  assert.match(v.out, /balance .* differs from the sum of its entries/);
  sql(srv, `UPDATE green_accounts SET balance = balance - 5 WHERE citizen_id = ${me}`);
  sql(srv, `UPDATE green_issuers SET balance = balance + 1 WHERE shard = ${me % 16}`);
  v = cli(srv, ['verify', 'green']);
  assert.equal(v.code, 3);
  assert.match(v.out, /issuing account/);
  sql(srv, `UPDATE green_issuers SET balance = balance - 1 WHERE shard = ${me % 16}`);
  assert.equal(cli(srv, ['verify', 'green']).code, 0);
});

test('batches: more than 10,000 events is 413 before any is looked at; a revoked channel is refused', async () => {
  const many = Array.from({ length: 10001 }, (_, i) => ({ source_event_id: `B-${i}` }));
  assertError(await send(chB, { events: many }), 413, 'too_large', 'events');
  // a full batch larger than the 1 MiB JSON limit is admitted for a channel's token, with a result each
  const big = Array.from({ length: 10000 }, (_, i) => trip({ source_event_id: `BIG-${i}-${'x'.repeat(100)}`, behaviour: 'teleport', route: 'y'.repeat(60) }));
  const r = await send(chB, { events: big });
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.ok(r.sent.text.length > (1 << 20));
  assert.equal(r.json.refused, 10000);
  assert.equal(r.json.items[9999].field, 'events[9999].behaviour');
  // the same size without a channel's token is refused before the body is read
  assert.ok([401, 413].includes((await send(chB, { events: big }, { token: 'not-a-token' })).status));
  const ch = (await office.post('/api/v1/green/channels', { name: '临时', operator: '测试', behaviours: ['bus'] })).json;
  assert.equal((await office.post(`/api/v1/green/channels/${ch.id}/revoke`)).status, 200);
  assertError(await office.post(`/api/v1/green/channels/${ch.id}/revoke`), 409, 'conflict');
  assertError(await send(ch, { events: [trip({ behaviour: 'bus' })] }), 401, 'unauthorized', 'Authorization');
});

test('property: random events and reversals keep balance = sum of entries, issuers balanced, chain intact', async () => {
  let rnd = 42;
  const next = n => { rnd = (rnd * 1103515245 + 12345) % 2147483648; return rnd % n; };
  const other = await citizenLogin('13700137004');
  const ids = [me, (await other.get('/api/v1/citizen/me')).json.id];
  for (let step = 0; step < 25; step++) {
    if (next(4) === 0) {
      const c = [citizen, other][next(2)];
      const earns = (await c.get('/api/v1/citizen/green/entries?limit=200')).json.items.filter(e => e.kind === 'earn');
      if (earns.length) {
        const r = await office.post(`/api/v1/green/entries/${earns[next(earns.length)].id}/reverse`, { reason: '抽查冲正' });
        assert.ok([201, 409].includes(r.status), r.text);
      }
    } else {
      const events = Array.from({ length: 1 + next(5) }, () => trip({ citizen_id: ids[next(2)], quantity: 1 + next(20000),
        activity_date: day(-next(6)), route: `L${next(3)}`, grade: ['partner', 'proof', 'self'][next(3)] }));
      const r = await send([chA, chB][next(2)], { events });
      assert.equal(r.status, 200, r.text);
    }
    for (const c of [citizen, other]) {
      const acct = (await c.get('/api/v1/citizen/green')).json;
      const all = (await c.get('/api/v1/citizen/green/entries?limit=200')).json.items;
      assert.equal(acct.balance, all.reduce((s, e) => s + e.amount, 0));
      assert.ok(acct.balance >= 0);
      assert.equal(acct.entries, all.length);
    }
    if (step % 8 === 7) assert.equal(cli(srv, ['verify', 'green']).code, 0);
  }
  const v = cli(srv, ['verify', 'green']);
  assert.equal(v.code, 0, v.out);
});
