// actions.test.mjs - the server tells the console what a user may do (issue 11): /api/v1/me
// carries the caller's permissions with their reach ("can") and the policy values the console
// needs; reports and dispatch notices carry the actions the caller may take now. Each role sees
// the actions it may take, every listed action is accepted (never 403) and an unlisted one is
// refused with 403.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib.mjs';

let srv, office, office2, reporter, admin, leader, wanzhou;
before(async () => {
  srv = await startServer({ name: 'actions' });
  [office, office2, reporter, admin, leader, wanzhou] = await Promise.all(
    ['demo.office', 'demo.office2', 'demo.yuzhong', 'demo.yuzhong.admin', 'demo.leader', 'demo.wanzhou']
      .map(u => srv.login(u)));
});
after(async () => { await srv.stop(); });

const names = o => (o.actions || []).map(a => a.name).sort();
const day = (n = 0) => new Date(Date.now() + 8 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const report = { kind: 'press_conference', activity_date: '2023-02-10', title: '渝中区2023年第一季度新闻发布会', tasks: [17] };

test('/me carries the permissions with their reach and the policy values', async () => {
  const me = async c => (await c.get('/api/v1/me')).json;
  const o = await me(office), y = await me(reporter), l = await me(leader);
  assert.equal(o.can.report_review, 'all');
  assert.equal(o.can.notice_manage, 'all');
  assert.equal(y.can.report_write, 'unit');
  assert.equal(y.can.report_review, undefined);
  assert.equal(y.can.notice_handle, 'unit');
  assert.equal(l.can.report_read, 'all');
  assert.equal(l.can.report_write, undefined);
  assert.deepEqual(Object.keys(o.policy).sort(), ['default_plan', 'grace_days', 'password_min_length']);
  assert.equal(o.policy.password_min_length, 12);
  assert.equal(o.policy.grace_days, 15);
  assert.equal(o.policy.default_plan, 'cq-2021-2025');
  assert.ok(Array.isArray(o.permissions), 'the per-user permissions stay an array');
  // the login answer is the same document
  const c = srv.client();
  const r = await c.login('demo.yuzhong.admin', 'Ecoact-Demo-2025');
  assert.equal(r.json.can.users_write, 'unit');
  assert.equal(r.json.policy.grace_days, 15);
});

test('a submitted report of 渝中区 filed by demo.yuzhong: who sees which action, and each holds', async () => {
  const f = await reporter.post('/api/v1/reports', report);
  assert.equal(f.status, 201, f.text);
  const id = f.json.id;
  assert.deepEqual(names(f.json), ['edit', 'evidence'], 'the filer may correct, never review');
  const seen = async c => names((await c.get(`/api/v1/reports/${id}`)).json);
  assert.deepEqual(await seen(office), ['edit', 'evidence', 'review']);
  assert.deepEqual(await seen(reporter), ['edit', 'evidence']);
  assert.deepEqual(await seen(admin), ['edit', 'evidence'], '渝中区 is reviewed by the office, not its own admin');
  assert.deepEqual(await seen(leader), []);
  for (const a of (await office.get(`/api/v1/reports/${id}`)).json.actions) assert.ok(a.label, 'every action has a label');

  // what is not listed is refused
  assert.equal((await reporter.post(`/api/v1/reports/${id}/review`, { decision: 'accept' })).status, 403);
  assert.equal((await admin.post(`/api/v1/reports/${id}/review`, { decision: 'accept' })).status, 403);
  assert.equal((await leader.put(`/api/v1/reports/${id}`, report)).status, 403);
  // what is listed holds
  const ed = await admin.put(`/api/v1/reports/${id}`, { ...report, summary: '补充说明' });
  assert.equal(ed.status, 200, ed.text);
  const ev = await reporter.put(`/api/v1/reports/${id}/evidence/a.pdf`, undefined,
    { body: PDF, headers: { 'Content-Type': 'application/pdf' } });
  assert.ok(ev.status === 200 || ev.status === 201, ev.text);
  const rv = await office.post(`/api/v1/reports/${id}/review`, { decision: 'accept' });
  assert.equal(rv.status, 200, rv.text);
  assert.deepEqual(names(rv.json), [], 'an accepted report offers nothing');
  assert.deepEqual(await seen(reporter), []);
  assert.equal((await reporter.put(`/api/v1/reports/${id}`, report)).status, 409);
});

test('four eyes: the office that filed a report does not see review; the other office does', async () => {
  const f = await office.post('/api/v1/reports', { ...report, unit: '500103', title: '办公室代报的发布会' });
  assert.equal(f.status, 201, f.text);
  const id = f.json.id;
  assert.deepEqual(names(f.json), ['edit', 'evidence']);
  assert.equal((await office.post(`/api/v1/reports/${id}/review`, { decision: 'accept' })).status, 403);
  const o2 = await office2.get(`/api/v1/reports/${id}`);
  assert.deepEqual(names(o2.json), ['edit', 'evidence', 'review']);
  assert.equal((await office2.post(`/api/v1/reports/${id}/review`, { decision: 'return', reason: '请补充材料' })).status, 200);
});

test('a dispatch notice to 渝中区: each role sees its steps, with the answer deadline', async () => {
  const body = { unit: '500103', task: 17, title: '关于落实新闻发布会制度的督办（动作）',
    requirements: '请按季度召开新闻发布会。', deadline: day(10) };
  const d = await office.post('/api/v1/notices', body);
  assert.equal(d.status, 201, d.text);
  const id = d.json.id;
  assert.deepEqual(names(d.json), ['discard', 'edit', 'issue']);
  const seen = async c => names((await c.get(`/api/v1/notices/${id}`)).json);
  assert.deepEqual(await seen(leader), []);

  const iss = await office.post(`/api/v1/notices/${id}/issue`, {});
  assert.equal(iss.status, 200, iss.text);
  assert.deepEqual(names(iss.json), ['escalate'], 'the office none of the unit\'s steps');
  assert.deepEqual(await seen(admin), ['sign']);
  assert.deepEqual(await seen(reporter), [], 'the unit has an admin: the admin signs');
  assert.deepEqual(await seen(leader), []);
  assert.equal((await wanzhou.get(`/api/v1/notices/${id}`)).status, 404);
  assert.equal((await reporter.post(`/api/v1/notices/${id}/sign`, {})).status, 403);
  assert.equal((await office.post(`/api/v1/notices/${id}/sign`, {})).status, 403);

  const sg = await admin.post(`/api/v1/notices/${id}/sign`, {});
  assert.equal(sg.status, 200, sg.text);
  assert.deepEqual(names(sg.json), ['answer', 'evidence']);
  const answer = sg.json.actions.find(a => a.name === 'answer');
  assert.equal(answer.deadline, body.deadline);
  assert.equal(answer.label, '反馈');
  assert.deepEqual(await seen(reporter), ['answer', 'evidence']);
  assert.deepEqual(await seen(office), ['escalate']);
  assert.equal((await office.post(`/api/v1/notices/${id}/answer`, { progress: '进展', next_steps: '计划' })).status, 403);

  const an = await reporter.post(`/api/v1/notices/${id}/answer`, { progress: '已召开发布会', next_steps: '继续按季度召开' });
  assert.equal(an.status, 200, an.text);
  assert.deepEqual(names(an.json), []);
  assert.deepEqual(await seen(office), ['review']);
  assert.deepEqual(await seen(admin), []);
  assert.equal((await admin.post(`/api/v1/notices/${id}/review`, { decision: 'accept' })).status, 403);
  const rv = await office.post(`/api/v1/notices/${id}/review`, { decision: 'accept' });
  assert.equal(rv.status, 200, rv.text);
  assert.deepEqual(names(rv.json), []);
});

test('escalate is offered until the notice is red', async () => {
  const d = await office.post('/api/v1/notices', { unit: '500103', task: 17, title: '升级测试督办',
    requirements: '请落实。', deadline: day(5), level: 'orange', issue: true });
  assert.equal(d.status, 201, d.text);
  const id = d.json.id;
  assert.deepEqual(names(d.json), ['escalate']);
  const up = await office.post(`/api/v1/notices/${id}/escalate`, {});
  assert.equal(up.status, 200, up.text);
  assert.equal(up.json.level, 'red');
  assert.deepEqual(names(up.json), [], 'red is the top: no escalate');
  assert.equal((await office.post(`/api/v1/notices/${id}/escalate`, {})).status, 409);
});
