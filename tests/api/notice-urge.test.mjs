// notice-urge.test.mjs - 催办 (issue 19 §3): the office urges an overdue notice, at most once in
// 24 hours; the unit's staff get an urgent 待办 item, the history says 催办, the audit log
// 催办督办单. A notice not overdue, a draft, an answered one, and anyone but the office are
// refused with a Chinese reason, and nothing changes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sql, assertError } from './lib.mjs';

let srv, office, admin, reporter, wanzhou, leader, auditor;
before(async () => {
  srv = await startServer({ name: 'notice-urge' });
  [office, admin, reporter, wanzhou, leader, auditor] = await Promise.all(
    ['demo.office', 'demo.yuzhong.admin', 'demo.yuzhong', 'demo.wanzhou', 'demo.leader', 'demo.auditor'].map(u => srv.login(u)));
});
after(async () => { await srv.stop(); });

const day = (n = 0) => new Date(Date.now() + 8 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);
const inbox = async c => (await c.get('/api/v1/inbox?limit=200')).json.items;
async function issued(title) {
  const r = await office.post('/api/v1/notices', { unit: '500103', task: 17, title, requirements: '请按季度召开新闻发布会',
    deadline: day(5), issue: true });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}
const overdue = id => sql(srv, `UPDATE notices SET deadline = '${day(-2)}' WHERE id = ${id}`);
const names = async (c, id) => (await c.get(`/api/v1/notices/${id}`)).json.actions.map(a => a.name);

test('an overdue notice: 催办 once, to the unit, in the history and the audit log', async () => {
  const id = await issued('催办测试督办');
  assert.ok(!(await names(office, id)).includes('urge'), 'not offered before the deadline');
  const early = await office.post(`/api/v1/notices/${id}/urge`, {});
  assertError(early, 409, 'conflict');
  assert.match(early.json.error.message, /尚未逾期.*\d{4}年\d{1,2}月\d{1,2}日/);
  overdue(id);
  assert.ok((await names(office, id)).includes('urge'));
  for (const c of [leader, reporter, admin, wanzhou]) {
    assert.ok(!(await c.get(`/api/v1/notices/${id}`)).json?.actions?.some(a => a.name === 'urge'));
    const r = await c.post(`/api/v1/notices/${id}/urge`, {});
    assert.ok(r.status === 403 || r.status === 404, `${r.status} ${r.text}`);
  }
  const u = await office.post(`/api/v1/notices/${id}/urge`, { note: '请于三日内反馈' });
  assert.equal(u.status, 200, u.text);
  const h = u.json.history.find(x => x.action === 'urge');
  assert.ok(h, 'a history row');
  assert.equal(h.action_label, '催办');
  assert.equal(h.note, '请于三日内反馈');
  assert.equal(u.json.stage, 'issued', 'the stage stays');
  for (const c of [admin, reporter]) {
    const it = (await inbox(c)).find(i => i.link === `/notices/${id}` && i.kind === 'notice_urge');
    assert.ok(it, 'the unit has it in 待办');
    assert.match(it.title, /^督办单催办：/);
  }
  assert.ok(!(await inbox(wanzhou)).some(i => i.link === `/notices/${id}`), 'not another unit');
  assert.ok(!(await names(office, id)).includes('urge'), 'not offered again within 24 hours');
  const again = await office.post(`/api/v1/notices/${id}/urge`, {});
  assertError(again, 409, 'conflict');
  assert.match(again.json.error.message, /24 小时内已催办过，可于 \d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d 后再次催办/);
  const hist = (await office.get(`/api/v1/notices/${id}`)).json.history.filter(x => x.action === 'urge');
  assert.equal(hist.length, 1, 'the refused urge wrote nothing');
  // 24 hours later it may be urged again
  sql(srv, `UPDATE notice_history SET at = at - 86401 WHERE notice_id = ${id} AND action = 'urge'`);
  assert.ok((await names(office, id)).includes('urge'));
  assert.equal((await office.post(`/api/v1/notices/${id}/urge`, {})).status, 200);
  // the audit log names it
  const a = await auditor.get('/api/v1/audit?action=notice.urge&limit=10');
  assert.equal(a.status, 200, a.text);
  assert.ok(JSON.stringify(a.json).includes('催办督办单'), 'the audit log says 催办督办单');
  // the answer settles the urge items
  assert.equal((await admin.post(`/api/v1/notices/${id}/sign`, {})).status, 200);
  assert.equal((await reporter.post(`/api/v1/notices/${id}/answer`, { progress: '已召开', next_steps: '继续' })).status, 200);
  assert.ok(!(await inbox(admin)).some(i => i.link === `/notices/${id}` && i.kind === 'notice_urge'));
  const late = await office.post(`/api/v1/notices/${id}/urge`, {});
  assertError(late, 409, 'conflict');
  assert.match(late.json.error.message, /尚未反馈/);
});

test('a draft cannot be urged', async () => {
  const r = await office.post('/api/v1/notices', { unit: '500103', task: 17, title: '草稿', requirements: '要求', deadline: day(3) });
  const u = await office.post(`/api/v1/notices/${r.json.id}/urge`, {});
  assertError(u, 409, 'conflict');
  assert.match(u.json.error.message, /立项/);
});
