// opinion-items.test.mjs - public-opinion items in (issue 17 §1): a vendor channel's token and
// secret shown once; signed batches (no or wrong signature 401, a replayed signature 409); a
// replayed item answers its first result, changed content under its id is 409 and changes
// nothing; an oversized item, a missing publication time and invalid UTF-8 are refused with
// nothing stored; a URL seen before is a duplicate outside the event's reach; a near-duplicate
// text joins its original's event, whose reach is the sum; the live rules' grade on the item; an
// official's item by hand; the author kept only as a keyed hash.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { startServer, sql, assertError } from './lib.mjs';

let srv, office, office2, leader, ch;
const now = () => Math.floor(Date.now() / 1000);
const n = q => Number(sql(srv, q).trim());

async function send(body, opts = {}) {
  const text = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const ts = String(opts.ts ?? now());
  const sig = opts.sig ?? 'v1=' + createHmac('sha256', ch.secret).update(Buffer.concat([Buffer.from(`${ts}.`), text])).digest('hex');
  const headers = { 'Content-Type': 'application/json', 'X-Ecoact-Timestamp': ts, 'X-Ecoact-Signature': sig };
  if (opts.token !== null) headers.Authorization = `Bearer ${opts.token ?? ch.token}`;
  const res = await fetch(srv.base + '/api/v1/opinion/ingest', { method: 'POST', headers, body: text });
  const out = { status: res.status, text: await res.text() };
  try { out.json = JSON.parse(out.text); } catch { out.json = null; }
  return out;
}

let seq = 0;
const item = (extra = {}) => ({ source_item_id: `V-${++seq}`, source: '微博', url: `https://weibo.example/p/${seq}`, author: '某网友',
  published_at: now() - 600, text: `第${seq}条：今天天气不错，出门散步${seq}次`, reads: 100, shares: 10, comments: 1, media: 'text', ...extra });

before(async () => {
  srv = await startServer({ name: 'opinion-items' });
  office = await srv.login('demo.office');
  office2 = await srv.login('demo.office2');
  leader = await srv.login('demo.leader');
  const c = await office.post('/api/v1/opinion/channels', { name: '舆情监测推送', vendor: '某监测服务商' });
  assert.equal(c.status, 201, c.text);
  ch = c.json;
  assert.ok(ch.token && ch.secret);
  const list = await office.get('/api/v1/opinion/channels');
  assert.ok(!list.text.includes(ch.secret) && !list.text.includes(ch.token), 'never shown again');
  // a live rule of grade 重大
  const r = await office.post('/api/v1/opinion/rules', { name: '长江偷排', expression: '偷排 NEAR/10 长江', topic: 'water', grade_hint: 'major', owner: '500101' });
  assert.equal(r.status, 201, r.text);
  await office.post(`/api/v1/opinion/rules/${r.json.id}/examples`, { text: '偷排进长江', match: true });
  await office.post(`/api/v1/opinion/rules/${r.json.id}/examples`, { text: '长江很美', match: false });
  assert.equal((await office2.post(`/api/v1/opinion/rules/${r.json.id}/publish`)).status, 200);
});
after(async () => { await srv.stop(); });

test('the credential: no token or a bad signature 401, a replayed signature 409, sessions never', async () => {
  const body = { items: [item()] };
  assertError(await send(body, { token: null }), 401);
  assertError(await send(body, { sig: 'v1=' + '0'.repeat(64) }), 401);
  assertError(await send(body, { ts: now() - 3600 }), 401);
  const ts = now();
  const first = await send(body, { ts });
  assert.equal(first.status, 200, first.text);
  assertError(await send(body, { ts }), 409);
  assert.equal((await office.post('/api/v1/opinion/ingest', body)).status, 401);
});

test('a batch: results per item; replays answer their first result; changed content 409 and nothing stored', async () => {
  const a = item(), b = item({ text: '某化工厂夜里偷排废水直接流进长江，附近居民拍到视频', reads: 5000, media: 'video' });
  const r = await send({ items: [a, b] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.new, 2);
  const [ra, rb] = r.json.items;
  assert.equal(ra.status, 'new');
  assert.equal(ra.grade, 'general');
  assert.equal(rb.grade, 'major', 'the live rule grades it');
  assert.equal(rb.rules, 1);
  const again = await send({ items: [a, b] }, { ts: now() + 1 }); // another signature, the same items
  assert.equal(again.json.replayed, 2);
  assert.deepEqual(again.json.items.map(i => [i.item_id, i.replayed]), [[ra.item_id, true], [rb.item_id, true]]);
  const items = n('SELECT COUNT(*) FROM opinion_items'), events = n('SELECT COUNT(*) FROM opinion_events');
  const changed = await send({ items: [{ ...a, text: '改过的内容' }] });
  assert.equal(changed.status, 200);
  assert.equal(changed.json.items[0].ok, false);
  assert.equal(changed.json.items[0].code, 'conflict');
  assert.equal(changed.json.items[0].field, 'items[0].source_item_id');
  assert.equal(n('SELECT COUNT(*) FROM opinion_items'), items);
  assert.equal(n('SELECT COUNT(*) FROM opinion_events'), events);
  // the stored item: the author only as a keyed hash
  const g = await office.get(`/api/v1/opinion/items/${rb.item_id}`);
  assert.equal(g.status, 200, g.text);
  assert.match(g.json.author_hash, /^[0-9a-f]{64}$/);
  assert.ok(!JSON.stringify(g.json).includes('某网友'));
  assert.equal(g.json.rules[0].grade_hint, 'major');
  assert.equal(g.json.media_label, '视频');
  assert.equal(sql(srv, `SELECT COUNT(*) FROM opinion_items WHERE author_hash LIKE '%网友%'`).trim(), '0');
});

test('bad items are refused with a clear error and nothing stored', async () => {
  const items = n('SELECT COUNT(*) FROM opinion_items'), events = n('SELECT COUNT(*) FROM opinion_events');
  const r = await send({ items: [item({ text: '长'.repeat(30000) }), item({ published_at: undefined }), item({ url: 'ftp://x' }), item({ media: 'hologram' }), item({ text: '' })] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.items.map(i => [i.ok, i.code, i.field]), [
    [false, 'too_large', 'items[0].text'],
    [false, 'bad_request', 'items[1].published_at'],
    [false, 'rule_violation', 'items[2].url'],
    [false, 'rule_violation', 'items[3].media'],
    [false, 'rule_violation', 'items[4].text'],
  ]);
  assert.match(r.json.items[1].message, /发布时间/);
  // invalid UTF-8: the whole body is refused
  const bad = Buffer.concat([Buffer.from('{"items":[{"source_item_id":"U-1","source":"x","url":"https://x.example/u","published_at":1700000000,"text":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}]}')]);
  const u = await send(bad);
  assertError(u, 400);
  assert.equal(n('SELECT COUNT(*) FROM opinion_items'), items);
  assert.equal(n('SELECT COUNT(*) FROM opinion_events'), events);
  // by hand, the same checks
  assertError(await office.post('/api/v1/opinion/items', { source: '网页', url: 'https://x.example/h', text: '没有时间' }), 400, undefined, 'published_at');
});

test('duplicates by URL stay outside the reach; near-duplicates join the event and sum its reach', async () => {
  const text = '南岸区某小区旁边的垃圾中转站每天傍晚臭气熏天，居民多次反映至今没有解决，希望有关部门尽快处理';
  const a = item({ text, reads: 1000, shares: 50, comments: 20 });
  const r1 = (await send({ items: [a] })).json.items[0];
  assert.equal(r1.status, 'new');
  const near = item({ text: text + '！！', reads: 300, shares: 5, comments: 2 });
  const r2 = (await send({ items: [near] })).json.items[0];
  assert.equal(r2.status, 'near_duplicate', JSON.stringify(r2));
  assert.equal(r2.duplicate_of, r1.item_id);
  assert.equal(r2.event_id, r1.event_id);
  const dup = item({ url: a.url, text: '同一链接再次推送', reads: 99999 });
  const r3 = (await send({ items: [dup] })).json.items[0];
  assert.equal(r3.status, 'duplicate');
  assert.equal(r3.duplicate_of, r1.item_id);
  const other = item({ text: '两江新区一条河道发现大量死鱼，河水发黑发臭，附近有施工工地在排放泥浆', reads: 7 });
  const r4 = (await send({ items: [other] })).json.items[0];
  assert.equal(r4.status, 'new');
  assert.notEqual(r4.event_id, r1.event_id);
  const ev = (await office.get('/api/v1/opinion/events')).json.items.find(e => e.id === r1.event_id);
  assert.deepEqual([ev.items, ev.reach], [2, { reads: 1300, shares: 55, comments: 22 }]);
  const list = await office.get('/api/v1/opinion/items?limit=3');
  assert.equal(list.json.items.length, 3);
  assert.ok(list.json.items[0].id > list.json.items[2].id);
});

test('an official enters an item by hand; only the office', async () => {
  const body = { source: '今日头条', url: 'https://toutiao.example/a/1', published_at: now() - 60, text: '有人在长江边偷排工业废水，现场气味刺鼻', reads: 20 };
  const r = await office.post('/api/v1/opinion/items', body);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.grade, 'major');
  const again = await office.post('/api/v1/opinion/items', body);
  assert.equal(again.status, 200);
  assert.equal(again.json.replayed, true);
  assert.equal(again.json.item_id, r.json.item_id);
  assert.equal((await leader.post('/api/v1/opinion/items', body)).status, 403);
  assert.equal((await leader.get('/api/v1/opinion/items')).status, 403);
  const rv = await office.post(`/api/v1/opinion/channels/${ch.id}/revoke`);
  assert.equal(rv.status, 200);
  assertError(await send({ items: [item()] }), 401);
});

test('routing by the gazetteer: the district it names, several → the city office, none → the office triages; the office edits places', async () => {
  const unitId = code => n(`SELECT id FROM units WHERE code = '${code}'`);
  const host = n('SELECT id FROM units WHERE is_host = 1');
  const one = async text => (await office.post('/api/v1/opinion/items', { source: '网页', url: `https://news.example/${++seq}`, published_at: now() - 60, text })).json;
  let r = await one('解放碑附近一家餐馆油烟直排，路过的人都被呛到');
  assert.equal(r.route, 'district', JSON.stringify(r));
  assert.equal(r.unit_id, unitId('500103'));
  assert.equal(r.places, '解放碑');
  r = await one('万州的江面上漂着一层油污');
  assert.equal(r.unit_id, unitId('500101'), 'the stem of 万州区 names it too');
  r = await one('万州区和涪陵区交界处的河段出现大片死鱼');
  assert.equal(r.route, 'several');
  assert.equal(r.unit_id, host);
  assert.equal(r.route_label, '涉及多地，由市级办理');
  r = await one('某地一条小河发黑发臭');
  assert.deepEqual([r.route, r.unit_id], ['none', null]);
  // the office adds a place; it routes at once
  assertError(await office.post('/api/v1/opinion/places', { name: '龙凤溪', kind: 'place', unit: '市委宣传部' }), 422, undefined, 'unit');
  assertError(await office.post('/api/v1/opinion/places', { name: '溪', kind: 'place', unit: '500109' }), 422, undefined, 'name');
  const p = await office.post('/api/v1/opinion/places', { name: '龙凤溪', kind: 'place', unit: '500109' });
  assert.equal(p.status, 201, p.text);
  assertError(await office.post('/api/v1/opinion/places', { name: '龙凤溪', kind: 'place', unit: '500109' }), 409, undefined, 'name');
  r = await one('龙凤溪沿岸有人倾倒建筑垃圾');
  assert.equal(r.unit_id, unitId('500109'));
  const list = await office.get('/api/v1/opinion/places');
  assert.equal(list.json.districts.length, 41);
  assert.ok(list.json.items.some(i => i.name === '解放碑' && i.unit.code === '500103'));
  assert.equal((await office.del(`/api/v1/opinion/places/${p.json.id}`)).status, 200);
  r = await one('龙凤溪沿岸又有人倾倒建筑垃圾了，还在继续');
  assert.equal(r.route, 'none');
  const item = await office.get(`/api/v1/opinion/items/${r.item_id}`);
  assert.equal(item.json.route, 'none');
  assert.equal((await leader.get('/api/v1/opinion/places')).status, 403);
});

test('handling: 研判 → 交办 → 处置 → 市委宣传部 sign-off for 重大 → 反馈 → 办结, each by its role; released before sign-off refused; the tick escalates', async () => {
  const wz = await srv.login('demo.wanzhou'), yz = await srv.login('demo.yuzhong'), xcb = await srv.login('demo.xcb');
  const wzUnit = n("SELECT id FROM units WHERE code = '500101'");
  const mk = async (text, extra = {}) => (await office.post('/api/v1/opinion/items', { source: '网页', url: `https://case.example/${++seq}`, published_at: now() - 60, text, ...extra })).json;
  // reach over the threshold makes it 重大 whatever the rules say
  assertError(await office.put('/api/v1/opinion/settings', { reach_major: 1000, reach_grave: 500 }), 422, undefined, 'reach_grave');
  assert.equal((await office.put('/api/v1/opinion/settings', { reach_major: 50000, reach_grave: 500000 })).status, 200);
  const it = await mk('万州区某工厂烟囱冒黑烟，视频转发很多', { reads: 60000 });
  assert.equal(it.grade, 'major');
  let g = await office.get(`/api/v1/opinion/items/${it.item_id}`);
  assert.equal(g.json.case.status, 'found');
  assert.equal(g.json.case.clock_hours, 24);
  const path = s => `/api/v1/opinion/items/${it.item_id}/${s}`;
  // out of order, or by the wrong role
  assertError(await office.post(path('assign'), { unit: '500101' }), 409, undefined, 'status');
  assert.equal((await wz.post(path('assess'), {})).status, 403);
  assert.equal((await office.post(path('assess'), {})).status, 200);
  assertError(await office.post(path('assign'), { unit: '500101', deadline: now() + 30 * 3600 }), 422, undefined, 'deadline');
  const a = await office.post(path('assign'), { unit: '500101' });
  assert.equal(a.status, 200, a.text);
  assert.equal(a.json.unit.code, '500101');
  assert.equal(n(`SELECT COUNT(*) FROM inbox_items WHERE dedupe_key = 'opinion:${it.item_id}:assigned'`), 1);
  // another district's account cannot see or answer it
  assert.equal((await yz.post(path('respond'), { response: '已处理' })).status, 404);
  assert.equal((await office.post(path('respond'), { response: '已处理' })).status, 403);
  const rs = await wz.post(path('respond'), { response: '经核查，该厂已停产整改，环保执法人员已到场。', links: ['https://www.wz.gov.cn/notice/1'] });
  assert.equal(rs.status, 200, rs.text);
  assert.deepEqual(rs.json.links, ['https://www.wz.gov.cn/notice/1']);
  // one voice: not released before 市委宣传部's sign-off
  const early = await wz.post(path('release'));
  assertError(early, 409, undefined, 'signed_by');
  assert.equal((await office.get(`/api/v1/opinion/items/${it.item_id}`)).json.case.status, 'responded');
  assertError(await wz.post(path('signoff')), 403);
  assert.equal((await xcb.post(path('signoff'))).status, 200);
  const rel = await wz.post(path('release'));
  assert.equal(rel.status, 200, rel.text);
  assert.equal(rel.json.status, 'released');
  const cl = await office.post(path('close'));
  assert.equal(cl.json.status, 'closed');
  // 一般: released without sign-off; sign-off refused
  const gen = await mk('万州区一处垃圾桶满了没人清运');
  assert.equal(gen.grade, 'general');
  const p2 = s => `/api/v1/opinion/items/${gen.item_id}/${s}`;
  await office.post(p2('assess'), {});
  await office.post(p2('assign'), { unit: '500101' });
  await wz.post(p2('respond'), { response: '已清运' });
  assertError(await xcb.post(p2('signoff')), 409, undefined, 'grade');
  assert.equal((await wz.post(p2('release'))).status, 200);
  // the office grades up at 研判: the clock follows (5 h for 特别重大); the tick escalates once the clock ran out
  const grave = await mk('万州区长江段疑似化学品泄漏，大量死鱼');
  const p3 = s => `/api/v1/opinion/items/${grave.item_id}/${s}`;
  const as = await office.post(p3('assess'), { grade: 'grave' });
  assert.equal(as.json.clock_hours, 5);
  await office.post(p3('assign'), { unit: '500101' });
  sql(srv, `UPDATE opinion_cases SET due_at = ${now() - 10} WHERE item_id = ${grave.item_id}`);
  const { cli } = await import('./lib.mjs');
  const t = cli(srv, ['tick']);
  assert.equal(t.code, 0, t.err);
  g = await office.get(`/api/v1/opinion/items/${grave.item_id}`);
  assert.ok(g.json.case.escalated_at, JSON.stringify(g.json.case));
  assert.equal(g.json.case.overdue, true);
  assert.equal(n(`SELECT COUNT(*) FROM inbox_items WHERE dedupe_key LIKE 'opinion:${grave.item_id}:overdue:%'`), 2);
  cli(srv, ['tick']);
  assert.equal(n(`SELECT COUNT(*) FROM inbox_items WHERE dedupe_key LIKE 'opinion:${grave.item_id}:overdue:%'`), 2, 'escalated once');
  assert.ok(wzUnit > 0);
});
