// actions.test.mjs - the server tells the console what a user may do (issue 11): /api/v1/me
// carries the caller's permissions with their reach ("can") and the policy values the console
// needs; reports and dispatch notices carry the actions the caller may take now. Each role sees
// the actions it may take, every listed action is accepted (never 403) and an unlisted one is
// refused with 403. Meetings (each step of the chain, topic decisions, countersigns for the
// office's units) and accounts (edit, lock, unlock, reset, roles, permissions, with the roles the
// caller may grant) likewise, for every role of the demo.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cli } from './lib.mjs';

let srv, office, office2, reporter, admin, leader, wanzhou, sthjj, xcb, evaluator, sysadmin, secadmin, auditor, jw, tw, twAdmin;
const PW = 'Actions-Test-2025!';
before(async () => {
  srv = await startServer({ name: 'actions' });
  for (const [user, unit, role] of [['m.jw', '市教委', 'unit_reporter'], ['m.tw', '团市委', 'unit_reporter'], ['m.tw.admin', '团市委', 'unit_admin']]) {
    const r = cli(srv, ['user', 'add', '--username', user, '--unit', unit, '--role', role, '--name', user, '--password-file', '-'], PW);
    assert.equal(r.code, 0, r.err);
  }
  [office, office2, reporter, admin, leader, wanzhou, sthjj, xcb, evaluator, sysadmin, secadmin, auditor] = await Promise.all(
    ['demo.office', 'demo.office2', 'demo.yuzhong', 'demo.yuzhong.admin', 'demo.leader', 'demo.wanzhou', 'demo.sthjj',
      'demo.xcb', 'demo.evaluator', 'demo.sysadmin', 'demo.secadmin', 'demo.auditor']
      .map(u => srv.login(u)));
  [jw, tw, twAdmin] = await Promise.all(['m.jw', 'm.tw', 'm.tw.admin'].map(u => srv.login(u, PW)));
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
  assert.deepEqual(Object.keys(o.policy).sort(), ['default_plan', 'grace_days', 'limits', 'password_min_length', 'token_max_days']);
  assert.ok(o.policy.limits.report.title > 0, 'the form limits come from the server');
  assert.equal(o.policy.password_min_length, 12);
  assert.equal(o.policy.grace_days, 15);
  assert.equal(o.policy.default_plan, 'cq-2021-2025');
  assert.ok(Array.isArray(o.permissions), 'the per-user permissions stay an array');
  // the compliance words the console shows are the server's
  assert.deepEqual(Object.keys(o.labels.lights), ['green', 'yellow', 'red', 'grey']);
  assert.deepEqual(o.labels.lights.red, { label: '红灯', desc: '逾期未完成' });
  assert.equal(o.labels.statuses.met_late, '补报完成');
  assert.equal(o.labels.statuses.not_assessed, '不计入考核');
  // and the ledger's, the plan's, the unit tiers and the period kinds
  assert.deepEqual(o.labels.reports.statuses, { submitted: '待审核', accepted: '已通过', returned: '已退回' });
  assert.equal(o.labels.reports.metrics.articles, '稿件数');
  assert.equal(o.labels.reports.actions.resubmit, '修改并重新提交');
  assert.equal(o.labels.reports.fields.activity_date, '活动日期');
  assert.equal(o.labels.reports.sources.import, '批量导入');
  assert.deepEqual(o.labels.plans.statuses, { draft: '草稿', published: '已发布' });
  assert.deepEqual(Object.keys(o.labels.plans.deadline_kinds), ['date', 'standing', 'none']);
  assert.equal(o.labels.plans.deadline_kinds.standing, '长期坚持');
  assert.equal(o.labels.plans.action_kinds.safeguard, '保障措施');
  assert.match(o.labels.plans.rules.all_schools, /^全部学校达标/);
  assert.equal(o.labels.tiers.district, '区');
  assert.equal(o.labels.tiers.department, '区县部门');
  assert.equal(Object.keys(o.labels.tiers).length, 13);
  assert.deepEqual(Object.keys(o.labels.periods), ['month', 'two_months', 'quarter', 'half_year', 'year', 'school_year', 'once']);
  assert.equal(o.labels.periods.quarter, '每季度');
  assert.equal(o.labels.periods.once, '限期完成');
  assert.deepEqual(o.labels.joint_meeting, { convener: '牵头单位', member: '成员单位' });
  assert.equal(o.labels.audit.actions['session.create'], '登录');
  assert.deepEqual(o.labels.audit.results, { ok: '成功', failure: '失败', denied: '拒绝' });
  assert.deepEqual(y.labels, o.labels);
  assert.equal(o.labels.inbox_kinds.notice_sign, '待签收督办单');
  assert.deepEqual(Object.keys(o.labels.eval_components), ['compliance', 'timeliness', 'evaluator']);
  assert.equal(o.labels.eval_components.evaluator.label, '第三方评估');
  assert.match(o.labels.eval_components.compliance.hint, /补报按细则折算/);
  assert.deepEqual(o.labels.unit_rules.duty_tiers, ['city_department', 'district', 'county', 'zone']);
  assert.ok(o.labels.unit_rules.child_tiers.includes('school') && !o.labels.unit_rules.child_tiers.includes('district')
    && !o.labels.unit_rules.child_tiers.includes('group'));
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

// ---- meetings ----

const meeting = async (c, id) => (await c.get(`/api/v1/meetings/${id}`)).json;
const acts = async (c, id) => names(await meeting(c, id));
const act = (m, name) => (m.actions || []).find(a => a.name === name);
const topicActs = (m, tid) => names(m.topics.find(t => t.id === tid));

test('a meeting held today-relative: each role sees the steps it may take, and each holds', async () => {
  const cr = await office.post('/api/v1/meetings', { kind: 'special', title: '动作测试专题会议', date: day(30), place: '会议室' });
  assert.equal(cr.status, 201, cr.text);
  const id = cr.json.id;
  assert.deepEqual(names(cr.json), ['edit', 'notice'], 'the office edits and may send the notice as the host');
  assert.equal(act(cr.json, 'notice').deadline, day(15), 'the notice at least 15 days before');
  assert.equal(act(cr.json, 'notice').label, '发出会议通知');
  assert.deepEqual(await acts(sthjj, id), ['notice'], '市生态环境局 hosts');
  for (const c of [xcb, jw, reporter, admin, leader, evaluator]) assert.deepEqual(await acts(c, id), []);
  for (const c of [sysadmin, secadmin, auditor]) assert.equal((await c.get(`/api/v1/meetings/${id}`)).status, 403, 'administrators do no business work');
  // unlisted: refused
  assert.equal((await xcb.post(`/api/v1/meetings/${id}/notice`, {})).status, 403);
  assert.equal((await reporter.post(`/api/v1/meetings/${id}/notice`, {})).status, 403);
  assert.equal((await leader.post(`/api/v1/meetings/${id}/notice`, {})).status, 403);
  assert.equal((await sthjj.patch(`/api/v1/meetings/${id}`, { place: '别处' })).status, 403);
  // listed: holds
  const n = await sthjj.post(`/api/v1/meetings/${id}/notice`, {});
  assert.equal(n.status, 200, n.text);
  assert.deepEqual(names(n.json), ['topic'], 'the host sends topics too, but confirms nothing');
  assert.equal((await sthjj.post(`/api/v1/meetings/${id}/receipts`, {})).status, 422, 'the host sent the notice: no receipt');
  const topicsDeadline = n.json.steps.find(s => s.step === 'topics').deadline;
  const j = await meeting(jw, id);
  assert.deepEqual(names(j), ['no_topics', 'receipt', 'topic']);
  assert.equal(act(j, 'topic').deadline, topicsDeadline);
  assert.deepEqual(act(j, 'receipt').units, [j.units.find(u => u.unit.short_name === '市教委').unit.id]);
  const o = await meeting(office, id);
  assert.deepEqual(names(o), ['edit', 'no_topics', 'receipt', 'topic']);
  assert.equal(act(o, 'receipt').units.length, 6, 'the office may confirm for every member unit but the host');
  for (const c of [reporter, admin, leader, evaluator]) assert.deepEqual(await acts(c, id), [], 'not a member');
  assert.equal((await reporter.post(`/api/v1/meetings/${id}/receipts`, {})).status, 403);

  const rc = await jw.post(`/api/v1/meetings/${id}/receipts`, {});
  assert.equal(rc.status, 200, rc.text);
  assert.deepEqual(names(rc.json), ['no_topics', 'topic'], 'confirmed once');
  assert.equal((await jw.post(`/api/v1/meetings/${id}/receipts`, {})).status, 409);
  const tp = await xcb.post(`/api/v1/meetings/${id}/topics`, { category: 5, title: '网络舆情联动', background: '背景', decision_requested: '建立机制' });
  assert.equal(tp.status, 201, tp.text);
  const tid = tp.json.id;
  assert.deepEqual(names(tp.json), ['attach'], 'the submitting unit attaches files to its topic');
  const h = await meeting(sthjj, id);
  assert.deepEqual(topicActs(h, tid), ['decline', 'select'], 'the host selects or declines (no other central topic to merge into)');
  assert.deepEqual(topicActs(await meeting(jw, id), tid), []);
  assert.deepEqual(names(await meeting(xcb, id)), ['topic'], 'a topic confirms the receipt; no agenda while a topic waits to be screened');
  assert.equal((await jw.post(`/api/v1/meetings/${id}/topics/${tid}/selection`, { decision: 'select' })).status, 403);
  assert.equal((await jw.req('PUT', `/api/v1/meetings/${id}/topics/${tid}/attachments/a.pdf`, { body: PDF, headers: { 'Content-Type': 'application/pdf' } })).status, 403);
  assert.equal((await xcb.post(`/api/v1/meetings/${id}/agenda`, {})).status, 409);
  const at = await xcb.req('PUT', `/api/v1/meetings/${id}/topics/${tid}/attachments/a.pdf`, { body: PDF, headers: { 'Content-Type': 'application/pdf' } });
  assert.equal(at.status, 201, at.text);
  const sl = await sthjj.post(`/api/v1/meetings/${id}/topics/${tid}/selection`, { decision: 'select' });
  assert.equal(sl.status, 200, sl.text);
  assert.deepEqual(names(sl.json), ['decline', 'reset'], 'a central topic may be declined or reset, not selected again');

  const x = await meeting(xcb, id);
  assert.deepEqual(names(x), ['agenda', 'topic'], 'a convener sends the agenda once every topic is screened');
  assert.equal(act(x, 'agenda').deadline, day(25), 'at least 5 days before');
  assert.ok(!names(await meeting(tw, id)).includes('agenda'), '团市委 is no convener');
  assert.equal((await tw.post(`/api/v1/meetings/${id}/agenda`, {})).status, 403);
  const ag = await xcb.post(`/api/v1/meetings/${id}/agenda`, {});
  assert.equal(ag.status, 200, ag.text);
  assert.deepEqual(names(ag.json), [], 'replies are closed; the meeting is not today');
  assert.deepEqual(await acts(office, id), ['edit', 'receipt'], 'receipts until it is held; nobody records it held before its day');
  assert.equal((await sthjj.post(`/api/v1/meetings/${id}/held`, { attendance: [{ unit: '市委宣传部', person: 'x', rank: 'deputy' }], decisions: [{ topic_id: tid, decision: 'd' }] })).status, 422);
  assert.equal((await xcb.post(`/api/v1/meetings/${id}/receipts`, {})).status, 409);
});

test('a past meeting the office records: held, minutes, countersigns for its units, issue', async () => {
  const cr = await office.post('/api/v1/meetings', { kind: 'special', title: '动作测试补录会议', date: day(-10) });
  assert.equal(cr.status, 201, cr.text);
  const id = cr.json.id;
  const n = await office.post(`/api/v1/meetings/${id}/notice`, { on: day(-25) });
  assert.equal(n.status, 200, n.text);
  const tp = await office.post(`/api/v1/meetings/${id}/topics`, { unit: '市教委', on: day(-24), category: 1, title: '宣传工作', background: '背景', decision_requested: '事项' });
  assert.equal(tp.status, 201, tp.text);
  const tid = tp.json.id;
  assert.deepEqual(names(tp.json), ['attach', 'decline', 'select']);
  assert.equal((await office.post(`/api/v1/meetings/${id}/topics/${tid}/selection`, { decision: 'select', on: day(-20) })).status, 200);
  // the replies' window has passed: a member unit confirms late, but submits no topic itself
  assert.deepEqual(await acts(jw, id), [], 'the office replied for 市教委');
  const t = await meeting(tw, id);
  assert.deepEqual(names(t), ['no_topics', 'receipt']);
  assert.equal((await tw.post(`/api/v1/meetings/${id}/topics`, { category: 1, title: 't', background: 'b', decision_requested: 'd' })).status, 422);
  assert.equal((await tw.post(`/api/v1/meetings/${id}/receipts`, {})).status, 422, 'late: the reason is asked for');
  const late = await tw.post(`/api/v1/meetings/${id}/receipts`, { late_reason: '通知未及时转达' });
  assert.equal(late.status, 200, late.text);
  assert.deepEqual(names(late.json), ['no_topics']);
  const ag = await office.post(`/api/v1/meetings/${id}/agenda`, { on: day(-16) });
  assert.equal(ag.status, 200, ag.text);
  assert.deepEqual(names(ag.json), ['edit', 'held', 'receipt'], 'the day has come: the office records it held');
  assert.equal(act(ag.json, 'held').deadline, day(-10));
  assert.deepEqual(await acts(sthjj, id), [], 'the host records it only on the day itself');
  const hd = await office.post(`/api/v1/meetings/${id}/held`, { on: day(-10), attendance: [{ unit: '市委宣传部', person: '张', rank: 'deputy' }], decisions: [{ topic_id: tid, decision: '同意' }] });
  assert.equal(hd.status, 200, hd.text);
  assert.deepEqual(names(hd.json), ['edit', 'minutes']);
  assert.equal(act(hd.json, 'minutes').label, '起草会议纪要');
  assert.ok(act(hd.json, 'minutes').deadline, 'the minutes within 7 days');
  assert.deepEqual(await acts(sthjj, id), ['minutes']);
  assert.deepEqual(await acts(jw, id), []);
  assert.equal((await jw.post(`/api/v1/meetings/${id}/minutes`, { body: '纪要' })).status, 403);
  const mn = await sthjj.post(`/api/v1/meetings/${id}/minutes`, { body: '会议纪要正文', late_reason: '补录' });
  assert.equal(mn.status, 200, mn.text);
  const o = mn.json;
  assert.deepEqual(names(o), ['minutes'], 'the host revises; it signed by drafting; nothing to issue yet');
  assert.equal(act(o, 'minutes').label, '修改会议纪要');
  const os = await meeting(office, id);
  assert.deepEqual(names(os), ['countersign', 'edit', 'minutes']);
  const cs = act(os, 'countersign');
  assert.equal(cs.units.length, 6, 'the office may countersign for every unit but the host');
  assert.equal(cs.deadline, os.steps.find(s => s.step === 'countersign').deadline);
  assert.deepEqual(await acts(jw, id), ['countersign']);
  assert.equal(act(await meeting(jw, id), 'countersign').label, '会签会议纪要（第 1 稿）');
  // 团市委 has a unit_admin: it countersigns, its reporter does not
  assert.deepEqual(await acts(tw, id), []);
  assert.equal((await tw.post(`/api/v1/meetings/${id}/countersigns`, { action: 'sign' })).status, 403);
  assert.deepEqual(await acts(twAdmin, id), ['countersign']);
  for (const c of [reporter, admin, leader, evaluator]) assert.deepEqual(await acts(c, id), []);
  assert.equal((await office.post(`/api/v1/meetings/${id}/minutes/issue`, { on: day() })).status, 409, 'not every unit signed');
  const js = await jw.post(`/api/v1/meetings/${id}/countersigns`, { action: 'sign' });
  assert.equal(js.status, 200, js.text);
  assert.deepEqual(names(js.json), []);
  assert.equal((await jw.post(`/api/v1/meetings/${id}/countersigns`, { action: 'sign' })).status, 409);
  const ta = await twAdmin.post(`/api/v1/meetings/${id}/countersigns`, { action: 'sign' });
  assert.equal(ta.status, 200, ta.text);
  const rest = act(await meeting(office, id), 'countersign').units;
  assert.equal(rest.length, 4);
  for (const unit of rest) {
    const r = await office.post(`/api/v1/meetings/${id}/countersigns`, { unit, action: 'sign' });
    assert.equal(r.status, 200, r.text);
  }
  const done = await meeting(sthjj, id);
  assert.deepEqual(names(done), ['issue', 'minutes']);
  assert.deepEqual(await acts(office, id), ['edit', 'issue', 'minutes']);
  assert.equal((await jw.post(`/api/v1/meetings/${id}/minutes/issue`, {})).status, 403);
  const is = await sthjj.post(`/api/v1/meetings/${id}/minutes/issue`, {});
  assert.equal(is.status, 200, is.text);
  assert.deepEqual(names(is.json), []);
  for (const c of [office, sthjj, xcb, jw, leader]) assert.deepEqual(await acts(c, id), [], 'an issued meeting offers nothing');
  assert.equal((await office.patch(`/api/v1/meetings/${id}`, { countersign_days: 6 })).status, 409);
  assert.deepEqual(is.json.documents_offered.map(d => [d.kind, d.draft]), [['notice', false], ['agenda', false], ['minutes', false]]);
  assert.equal(is.json.history[0].action_label, '筹备会议', 'the server labels the history');
});

// ---- accounts ----

const user = async (c, username) => (await c.get(`/api/v1/users?q=${encodeURIComponent(username)}`)).json.items.find(u => u.username === username);

test('accounts: each administrator sees what it may do to an account, and each holds', async () => {
  // /me says which roles a new account may get
  assert.deepEqual((await admin.get('/api/v1/me')).json.create_roles.map(r => r.name), ['unit_reporter']);
  assert.deepEqual((await sysadmin.get('/api/v1/me')).json.create_roles, [], 'roles come from secadmin');
  assert.deepEqual((await secadmin.get('/api/v1/me')).json.create_roles, []);
  const c = await admin.post('/api/v1/users', { username: 'yz.actions', display_name: '动作测试', unit_id: (await admin.get('/api/v1/me')).json.unit.id, roles: ['unit_reporter'] });
  assert.equal(c.status, 201, c.text);
  const id = c.json.id;
  assert.deepEqual(names(c.json), ['edit', 'lock', 'reset_password']);
  assert.deepEqual(names(await user(sysadmin, 'yz.actions')), ['edit', 'lock', 'reset_password']);
  const s = await user(secadmin, 'yz.actions');
  assert.deepEqual(names(s), ['permissions', 'roles']);
  assert.ok(s.grantable_roles.some(r => r.name === 'office' && r.label === '联席会议办公室'));
  assert.ok(!s.grantable_roles.some(r => ['sysadmin', 'secadmin', 'auditor'].includes(r.name)), 'administrator roles are never granted online');
  // protected accounts: administrators, unmask_pii holders, one's own
  assert.deepEqual(names(await user(sysadmin, 'demo.secadmin')), []);
  assert.deepEqual(names(await user(sysadmin, 'demo.sysadmin')), []);
  assert.deepEqual(names(await user(secadmin, 'demo.sysadmin')), []);
  assert.deepEqual(names(await user(admin, 'demo.yuzhong.admin')), [], 'not one\'s own');
  assert.deepEqual(names(await user(sysadmin, 'demo.yuzhong.admin')), ['edit', 'lock', 'reset_password'], 'a unit_admin is managed by sysadmin');
  assert.equal(await user(admin, 'demo.wanzhou'), undefined, 'another unit\'s account is not listed');
  for (const x of [office, leader, evaluator, reporter, auditor]) assert.equal((await x.get('/api/v1/users')).status, 403);
  // unlisted: refused
  const me = (await admin.get('/api/v1/me')).json.id;
  assert.equal((await admin.post(`/api/v1/users/${me}/lock`)).status, 403);
  const sec = (await user(sysadmin, 'demo.secadmin')).id;
  assert.equal((await sysadmin.post(`/api/v1/users/${sec}/password-reset`)).status, 403);
  assert.equal((await sysadmin.put(`/api/v1/users/${id}/roles`, { roles: ['unit_reporter'] })).status, 403);
  assert.equal((await secadmin.post(`/api/v1/users/${id}/lock`)).status, 403);
  assert.equal((await secadmin.put(`/api/v1/users/${(await user(secadmin, 'demo.sysadmin')).id}/roles`, { roles: ['office'] })).status, 403);
  assert.equal((await admin.put(`/api/v1/users/${id}/roles`, { roles: ['unit_admin'] })).status, 403);
  // listed: holds
  const ed = await admin.patch(`/api/v1/users/${id}`, { display_name: '动作测试二' });
  assert.equal(ed.status, 200, ed.text);
  const lk = await admin.post(`/api/v1/users/${id}/lock`);
  assert.equal(lk.status, 200, lk.text);
  assert.deepEqual(names(lk.json), ['edit', 'reset_password', 'unlock']);
  assert.equal(lk.json.actions.find(a => a.name === 'unlock').label, '启用');
  const ul = await admin.post(`/api/v1/users/${id}/unlock`);
  assert.equal(ul.status, 200, ul.text);
  assert.deepEqual(names(ul.json), ['edit', 'lock', 'reset_password']);
  const rs = await admin.post(`/api/v1/users/${id}/password-reset`);
  assert.equal(rs.status, 200, rs.text);
  const ro = await secadmin.put(`/api/v1/users/${id}/roles`, { roles: ['unit_reporter', 'leader'] });
  assert.equal(ro.status, 200, ro.text);
  assert.deepEqual(names(ro.json), ['permissions', 'roles']);
  assert.deepEqual(names(await user(admin, 'yz.actions')), [], 'a leader account is no longer the unit_admin\'s to manage');
  assert.equal((await admin.post(`/api/v1/users/${id}/lock`)).status, 403);
  const pm = await secadmin.put(`/api/v1/users/${id}/permissions`, { permissions: ['unmask_pii'] });
  assert.equal(pm.status, 200, pm.text);
  assert.deepEqual(names(pm.json), ['permissions'], 'an unmask_pii holder is re-roled only on the server; the permission may be revoked');
  assert.deepEqual(names(await user(sysadmin, 'yz.actions')), []);
  assert.equal((await secadmin.put(`/api/v1/users/${id}/roles`, { roles: ['unit_reporter'] })).status, 403);
  const rv = await secadmin.put(`/api/v1/users/${id}/permissions`, { permissions: [] });
  assert.equal(rv.status, 200, rv.text);
  assert.deepEqual(names(rv.json), ['permissions', 'roles']);
});
