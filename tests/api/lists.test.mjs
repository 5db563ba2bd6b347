// lists.test.mjs - issue 19 §6 on the demo database: the lists' keyword search (q, matched
// literally) with a total of what matches; the review queue's orders and filters (newest first
// by default, so a report filed today is on page 1); batch review, each report in its own
// transaction with the four-eyes rule kept per item and a reason for each refusal; the batch's
// size bound.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError } from './lib.mjs';

let srv, office, office2, yz, wz;
const todayShanghai = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
const file = (c, title, extra = {}) => c.post('/api/v1/reports', {
  kind: 'press_conference', activity_date: '2025-11-20', title, tasks: [17], ...extra });

before(async () => {
  srv = await startServer({ name: 'lists' });
  [office, office2, yz, wz] = await Promise.all(['demo.office', 'demo.office2', 'demo.yuzhong', 'demo.wanzhou'].map(u => srv.login(u)));
  // a queue of 30 reports of two districts, activity dates across 2025, filed before today's
  for (let i = 0; i < 30; i++) {
    const c = i % 2 ? wz : yz;
    const month = String(1 + (i % 12)).padStart(2, '0');
    const r = await file(c, `${i % 2 ? '万州区' : '渝中区'}第${i + 1}次生态文明宣讲`, { activity_date: `2025-${month}-15`, tasks: i % 3 ? [17] : [18] });
    assert.equal(r.status, 201, r.text);
  }
});
after(async () => { await srv.stop(); });

test('the review queue: newest first by default, so today\'s report is on page 1; q finds it; total counts what matches', async () => {
  const r = await file(yz, '渝中区垃圾分类进社区宣讲会（今日报送）');
  assert.equal(r.status, 201, r.text);
  const q = await office.get('/api/v1/reports/review-queue?limit=20');
  assert.equal(q.status, 200, q.text);
  assert.equal(q.json.items[0].id, r.json.id, 'the newest report comes first');
  assert.ok(q.json.total > 20, `total ${q.json.total}`);
  assert.ok(q.json.next_cursor);
  const found = await office.get(`/api/v1/reports/review-queue?q=${encodeURIComponent('垃圾分类进社区')}`);
  assert.equal(found.json.total, found.json.items.length);
  assert.ok(found.json.items.some(i => i.id === r.json.id));
  assert.ok(found.json.items.every(i => /垃圾分类进社区/.test(i.title)));
  const wzOnly = await office.get(`/api/v1/reports/review-queue?q=${encodeURIComponent('万州区')}`);
  assert.equal(wzOnly.json.total, 15);
  // the filer's name matches too; % and _ match only themselves
  const none = await office.get('/api/v1/reports/review-queue?q=%25');
  assert.equal(none.json.total, 0);
  assert.deepEqual(none.json.items, []);
  const under = await office.get('/api/v1/reports/review-queue?q=_');
  assert.equal(under.json.total, 0);
  assertError(await office.get(`/api/v1/reports/review-queue?q=${'长'.repeat(30)}`), 422, 'rule_violation', 'q');
  // the ledger list has the same search and total
  const all = await office.get(`/api/v1/reports?q=${encodeURIComponent('（今日报送）')}`);
  assert.equal(all.json.total, 1);
  assert.equal(all.json.items[0].id, r.json.id);
  const whole = await office.get('/api/v1/reports?limit=5');
  assert.equal(whole.json.total, q.json.total, 'nothing reviewed yet: the ledger holds what waits');
  assert.equal(whole.json.items.length, 5);
});

test('the review queue sorts (oldest, unit, activity date) and filters (unit, task, period, submitted dates)', async () => {
  const ids = async (qs) => {
    const out = [];
    let cursor = null;
    do {
      const r = await office.get(`/api/v1/reports/review-queue?limit=100${qs}${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(r.status, 200, r.text);
      out.push(...r.json.items);
      cursor = r.json.next_cursor;
    } while (cursor);
    return out;
  };
  const newest = await ids('');
  const oldest = await ids('&sort=oldest');
  assert.deepEqual(oldest.map(i => i.id), newest.map(i => i.id).reverse());
  const byUnit = await ids('&sort=unit');
  assert.equal(byUnit.length, newest.length, 'offset paging by unit reaches every report once');
  assert.equal(new Set(byUnit.map(i => i.id)).size, byUnit.length);
  for (let i = 1; i < byUnit.length; i++) assert.ok(byUnit[i - 1].unit.id <= byUnit[i].unit.id);
  const byDate = await ids('&sort=activity_date');
  for (let i = 1; i < byDate.length; i++) assert.ok(byDate[i - 1].activity_date <= byDate[i].activity_date);
  assertError(await office.get('/api/v1/reports/review-queue?sort=random'), 422, 'rule_violation', 'sort');
  // filters narrow, and the total follows
  const yzOnly = await office.get('/api/v1/reports/review-queue?unit=500103&limit=200');
  assert.ok(yzOnly.json.items.every(i => i.unit.code === '500103'));
  assert.ok(yzOnly.json.total < newest.length && yzOnly.json.total === yzOnly.json.items.length);
  const t18 = await office.get('/api/v1/reports/review-queue?task=18&limit=200');
  assert.equal(t18.json.total, 10);
  assert.ok(t18.json.items.every(i => i.tasks.includes(18)));
  const q4 = await office.get('/api/v1/reports/review-queue?period=2025Q4&limit=200');
  assert.equal(q4.json.total, 6 + 1, 'Oct-Dec: 6 of the 30, and today\'s report of 2025-11-20');
  assert.ok(q4.json.items.every(i => i.activity_date >= '2025-10-01' && i.activity_date <= '2025-12-31'));
  assertError(await office.get('/api/v1/reports/review-queue?period=2025Q5'), 422, 'rule_violation', 'period');
  const today = todayShanghai();
  const sub = await office.get(`/api/v1/reports/review-queue?submitted_from=${today}&submitted_to=${today}&limit=200`);
  assert.ok(sub.json.total >= 1);
  assert.ok(sub.json.items.every(i => i.updated_at * 1000 >= Date.parse(`${today}T00:00:00+08:00`)));
  assertError(await office.get('/api/v1/reports/review-queue?submitted_from=yesterday'), 422, 'rule_violation', 'submitted_from');
});

test('batch accept: a mix of items succeeds and refuses per item with reasons; each in its own transaction', async () => {
  const mine = await file(office, '办公室代报：渝中区宣讲活动', { unit: '500103' });
  const a = await file(yz, '渝中区批量审核一');
  const b = await file(yz, '渝中区批量审核二');
  const done = await file(yz, '渝中区已审核');
  assert.equal((await office2.post(`/api/v1/reports/${done.json.id}/review`, { decision: 'accept' })).status, 200);
  const r = await office.post('/api/v1/reports/review-batch', { ids: [a.json.id, mine.json.id, b.json.id, done.json.id, 99999999], decision: 'accept' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.total, 5);
  assert.equal(r.json.done, 2);
  assert.equal(r.json.refused, 3);
  assert.match(r.json.note, /各自在一个事务/);
  const by = Object.fromEntries(r.json.items.map(i => [i.id, i]));
  assert.equal(by[a.json.id].ok, true);
  assert.equal(by[b.json.id].ok, true);
  assert.equal(by[mine.json.id].ok, false);
  assert.equal(by[mine.json.id].code, 'forbidden');
  assert.match(by[mine.json.id].message, /四眼原则/);
  assert.equal(by[done.json.id].code, 'conflict');
  assert.match(by[done.json.id].message, /已通过审核/);
  assert.equal(by[99999999].code, 'not_found');
  assert.equal((await office.get(`/api/v1/reports/${a.json.id}`)).json.status, 'accepted');
  assert.equal((await office.get(`/api/v1/reports/${mine.json.id}`)).json.status, 'submitted', 'a refusal changes nothing');
  // whoever did not file it reviews it
  const other = await office2.post('/api/v1/reports/review-batch', { ids: [mine.json.id], decision: 'accept' });
  assert.equal(other.json.done, 1);
  // each item has its audit row
  const audit = await (await srv.login('demo.auditor')).get('/api/v1/audit?action=report.review&limit=20');
  assert.ok(audit.json.items.some(i => i.object === `report:${mine.json.id}` && i.result === 'denied'));
  assert.ok(audit.json.items.some(i => i.object === `report:${a.json.id}` && i.result === 'ok'));
});

test('batch return takes one reason for all; bounds and malformed bodies', async () => {
  const a = await file(yz, '渝中区批量退回一');
  const b = await file(yz, '渝中区批量退回二');
  assertError(await office.post('/api/v1/reports/review-batch', { ids: [a.json.id], decision: 'return' }), 422, 'rule_violation', 'reason');
  const r = await office.post('/api/v1/reports/review-batch', { ids: [a.json.id, b.json.id, a.json.id], decision: 'return', reason: '请补充活动照片' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.total, 2, 'a repeated id counts once');
  assert.equal(r.json.done, 2);
  const got = await yz.get(`/api/v1/reports/${b.json.id}`);
  assert.equal(got.json.status, 'returned');
  assert.equal(got.json.return_reason, '请补充活动照片');
  const many = Array.from({ length: 201 }, (_, i) => i + 1);
  const big = await office.post('/api/v1/reports/review-batch', { ids: many, decision: 'accept' });
  assertError(big, 413, 'too_large', 'ids');
  assert.match(big.json.error.message, /200/);
  assertError(await office.post('/api/v1/reports/review-batch', { ids: [], decision: 'accept' }), 400, 'bad_request', 'ids');
  assertError(await office.post('/api/v1/reports/review-batch', { ids: ['1'], decision: 'accept' }), 400, 'bad_request', 'ids');
  assertError(await office.post('/api/v1/reports/review-batch', { ids: [1], decision: 'maybe' }), 422, 'rule_violation', 'decision');
  assertError(await yz.post('/api/v1/reports/review-batch', { ids: [a.json.id], decision: 'accept' }), 403, 'forbidden');
});

test('accounts, units and meetings: q narrows and total counts what matches', async () => {
  const sys = await srv.login('demo.sysadmin');
  const all = await sys.get('/api/v1/users?limit=5');
  assert.equal(all.status, 200, all.text);
  assert.ok(all.json.total > 5 && all.json.items.length === 5);
  const demo = await sys.get('/api/v1/users?q=DEMO.YUZHONG&limit=200');
  assert.ok(demo.json.total >= 1, 'case does not matter');
  assert.equal(demo.json.total, demo.json.items.length);
  assert.ok(demo.json.items.every(u => /demo\.yuzhong/.test(u.username)));
  assert.equal((await sys.get('/api/v1/users?q=%25')).json.total, 0, '% matches only itself');
  const units = await sys.get('/api/v1/units?limit=3');
  assert.ok(units.json.total >= 41 && units.json.items.length === 3);
  const yzu = await sys.get(`/api/v1/units?q=${encodeURIComponent('渝中')}`);
  assert.equal(yzu.json.total, yzu.json.items.length);
  assert.ok(yzu.json.items.every(u => /渝中/.test(u.name + u.short_name)));
  assertError(await sys.get(`/api/v1/units?q=${'长'.repeat(30)}`), 422, 'rule_violation', 'q');
  for (const title of ['2025年第三季度联席会议全体会议', '生态文明宣传月专题会议']) {
    const m = await office.post('/api/v1/meetings', { kind: 'regular', level: 'standard', place: '市生态环境局会议室', title, date: '2030-06-20' });
    assert.equal(m.status, 201, m.text);
  }
  const ms = await office.get(`/api/v1/meetings?q=${encodeURIComponent('宣传月')}`);
  assert.equal(ms.status, 200, ms.text);
  assert.equal(ms.json.total, 1);
  assert.equal(ms.json.items[0].title, '生态文明宣传月专题会议');
  assert.equal((await office.get('/api/v1/meetings?q=' + encodeURIComponent('会议室'))).json.total, 2, 'the place matches too');
  assertError(await office.get(`/api/v1/meetings?q=${'长'.repeat(30)}`), 422, 'rule_violation', 'q');
});
