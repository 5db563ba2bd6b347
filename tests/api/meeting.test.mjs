// meeting.test.mjs - the joint meeting system (联席会议制度, 附件2): a full cycle from the notice
// to issued minutes and follow-up items (with past dates the office records), the t83 ledger
// report filed when a regular meeting is held, the documents as printable HTML and as a real
// PDF, and each violation: a late notice (reason required), a topic after its window (refused
// unless the office accepts it late), a late agenda, issuing without every countersign, a unit
// that is not a member, a change request reopening countersigning; reminders to the units that
// have not acted; member units; the holiday calendars.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, assertError, cli } from './lib.mjs';

let srv, office, sthjj, xcb, leader, yuzhong, wmb, jw, mz, tw, fl, sys;
const PW = 'Meeting-Test-2025!';
const shanghai = (offsetDays = 0) => new Date(Date.now() + 8 * 3600e3 + offsetDays * 86400e3).toISOString().slice(0, 10);
const thisYear = Number(shanghai().slice(0, 4));

before(async () => {
  srv = await startServer({ name: 'meeting' });
  // reporters of the member units that have no demo account
  for (const [user, unit] of [['m.wmb', '市文明办'], ['m.jw', '市教委'], ['m.mz', '市民政局'], ['m.tw', '团市委'], ['m.fl', '市妇联']]) {
    const r = cli(srv, ['user', 'add', '--username', user, '--unit', unit, '--role', 'unit_reporter', '--name', user, '--password-file', '-'], PW);
    assert.equal(r.code, 0, r.err);
  }
  [office, sthjj, xcb, leader, yuzhong, sys] = await Promise.all(
    ['demo.office', 'demo.sthjj', 'demo.xcb', 'demo.leader', 'demo.yuzhong', 'demo.sysadmin'].map(u => srv.login(u)));
  [wmb, jw, mz, tw, fl] = await Promise.all(['m.wmb', 'm.jw', 'm.mz', 'm.tw', 'm.fl'].map(u => srv.login(u, PW)));
});
after(async () => { await srv.stop(); });

const step = (m, name) => m.steps.find(s => s.step === name);
const names = units => units.map(u => u.short_name).sort();
const create = (body) => office.post('/api/v1/meetings', { kind: 'regular', level: 'standard', place: '市生态环境局会议室', ...body });

test('member units: the seven of 附件2, two conveners, 市生态环境局 hosts', async () => {
  const r = await leader.get('/api/v1/meeting-members');
  assert.equal(r.status, 200, r.text);
  const active = r.json.items.filter(m => m.active);
  assert.deepEqual(names(active.map(m => m.unit)), ['团市委', '市妇联', '市委宣传部', '市教委', '市文明办', '市民政局', '市生态环境局'].sort());
  assert.deepEqual(names(active.filter(m => m.role === 'convener').map(m => m.unit)), ['市委宣传部', '市生态环境局']);
  assert.deepEqual(active.filter(m => m.host).map(m => m.unit.short_name), ['市生态环境局']);
  assert.ok(active.every(m => m.joined_on === '2021-06-30'));
});

test('holiday calendars: 2021-2026 from the State Council, with 调休 working days', async () => {
  const list = await xcb.get('/api/v1/calendars');
  assert.equal(list.status, 200, list.text);
  assert.deepEqual(list.json.items.map(y => y.year).filter(y => y <= 2026), [2021, 2022, 2023, 2024, 2025, 2026]);
  const y = (await leader.get('/api/v1/calendars/2025')).json;
  assert.equal(y.title, '国务院办公厅关于2025年部分节假日安排的通知');
  const nd = y.holidays.find(h => h.from === '2025-10-01');
  assert.equal(nd.to, '2025-10-08');
  assert.equal(nd.days, 8);
  assert.deepEqual(y.workdays.map(w => w.date), ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']);
  const y23 = (await leader.get('/api/v1/calendars/2023')).json;
  assert.equal(y23.holidays[0].from, '2022-12-31', '2023 元旦 starts in 2022');
  assertError(await leader.get('/api/v1/calendars/2040'), 404, 'not_found', 'year');
});

test('the office enters a later year; past years are fixed; others may not', async () => {
  const next = thisYear + 1;
  const body = {
    title: `国务院办公厅关于${next}年部分节假日安排的通知`, doc_no: null,
    holidays: [{ name: '元旦', from: `${next}-01-01`, to: `${next}-01-01` }, { name: '国庆节', from: `${next}-10-01`, to: `${next}-10-07` }],
    workdays: [],
  };
  assertError(await sthjj.put(`/api/v1/calendars/${next}`, body), 403, 'forbidden');
  const r = await office.put(`/api/v1/calendars/${next}`, body);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.source, 'office');
  assert.equal(r.json.holidays.length, 2);
  // a make-up working day must be a Saturday or Sunday
  let weekday = new Date(`${next}-03-02T00:00:00Z`);
  while ([0, 6].includes(weekday.getUTCDay())) weekday = new Date(weekday.getTime() + 86400e3);
  const bad = await office.put(`/api/v1/calendars/${next}`, { ...body, workdays: [{ date: weekday.toISOString().slice(0, 10), name: '调休' }] });
  assertError(bad, 422, 'rule_violation', 'workdays[0].date');
  assertError(await office.put(`/api/v1/calendars/${next}`, { ...body, colour: 1 }), 400, 'bad_request', 'colour');
  assertError(await office.put('/api/v1/calendars/2021', { ...body, title: 't', holidays: [{ name: '元旦', from: '2021-01-01', to: '2021-01-01' }] }), 422, 'rule_violation', 'year');
  // the stored year is unchanged by the refused requests
  assert.equal((await office.get(`/api/v1/calendars/${next}`)).json.workdays.length, 0);
});

let M; // the full-cycle meeting
test('a regular meeting: created by the office with its deadlines; a reporter cannot create one', async () => {
  assertError(await sthjj.post('/api/v1/meetings', { title: 'x', date: '2025-06-20' }), 403, 'forbidden');
  assertError(await create({ title: '', date: '2025-06-20' }), 422, 'rule_violation', 'title');
  assertError(await create({ title: 'x', date: '2025-02-30' }), 422, 'rule_violation', 'date');
  assertError(await create({ title: 'x', date: '2025-06-20', level: 'vip' }), 422, 'rule_violation', 'level');
  const r = await create({ title: '2025年上半年重庆市生态文明宣传教育工作联席会议', date: '2025-06-20', guests: ['市人大', '市政协'] });
  assert.equal(r.status, 201, r.text);
  M = r.json.id;
  assert.equal(r.json.stage, 'planned');
  assert.equal(r.json.host.short_name, '市生态环境局');
  assert.deepEqual(names(r.json.conveners), ['市委宣传部', '市生态环境局']);
  assert.equal(step(r.json, 'notice').deadline, '2025-06-05', 'at least 15 days before');
  assert.equal(step(r.json, 'agenda').deadline, '2025-06-15', 'at least 5 days before');
  assert.equal(step(r.json, 'notice').status, 'overdue');
  assert.deepEqual(names(step(r.json, 'notice').pending_units), ['市生态环境局']);
  assert.equal(step(r.json, 'topics').status, 'waiting');
  const list = await yuzhong.get('/api/v1/meetings?year=2025');
  assert.ok(list.json.items.some(m => m.id === M));
});

test('the notice: only the host (or the office) sends it, on time; received the same day by every member unit', async () => {
  assertError(await xcb.post(`/api/v1/meetings/${M}/notice`, {}), 403, 'forbidden');
  // a reporter cannot record a past date
  assertError(await sthjj.post(`/api/v1/meetings/${M}/notice`, { on: '2025-06-03' }), 403, 'forbidden', 'on');
  assertError(await office.post(`/api/v1/meetings/${M}/notice`, { on: shanghai(1) }), 422, 'rule_violation', 'on');
  const r = await office.post(`/api/v1/meetings/${M}/notice`, { on: '2025-06-03', body: '请各单位做好会议准备。' });
  assert.equal(r.status, 200, r.text);
  const m = r.json;
  assert.equal(m.stage, 'notified');
  assert.equal(step(m, 'notice').status, 'on_time');
  assert.equal(step(m, 'notice').done_date, '2025-06-03');
  // topics within 5 days of receipt: 06-08 is a Sunday, so the period ends on Monday 06-09
  assert.equal(step(m, 'topics').deadline, '2025-06-09');
  assert.equal(m.units.length, 7);
  assert.ok(m.units.every(u => u.received_date === '2025-06-03'));
  assert.deepEqual(names(step(m, 'receipt').pending_units), ['团市委', '市妇联', '市委宣传部', '市教委', '市文明办', '市民政局']);
  const doc = m.documents.find(d => d.kind === 'notice');
  assert.match(doc.doc_no, /^渝生态宣联〔2025〕\d+号$/);
  assert.equal(doc.title, '关于召开2025年上半年重庆市生态文明宣传教育工作联席会议的通知');
  // re-issuing is refused
  assertError(await office.post(`/api/v1/meetings/${M}/notice`, { on: '2025-06-03' }), 409, 'conflict');
});

test('receipts and topics: the office records replies; a late topic needs its reason and stays late', async () => {
  for (const [unit, on] of [['市文明办', '2025-06-04'], ['市教委', '2025-06-04'], ['市委宣传部', '2025-06-05']]) {
    const r = await office.post(`/api/v1/meetings/${M}/receipts`, { unit, on });
    assert.equal(r.status, 200, r.text);
  }
  assertError(await office.post(`/api/v1/meetings/${M}/receipts`, { unit: '市文明办', on: '2025-06-05' }), 409, 'conflict');
  assertError(await office.post(`/api/v1/meetings/${M}/receipts`, { on: '2025-06-05' }), 422, 'rule_violation', 'unit');
  assertError(await office.post(`/api/v1/meetings/${M}/receipts`, { unit: '500103', on: '2025-06-05' }), 422, 'rule_violation', 'unit');
  assertError(await office.post(`/api/v1/meetings/${M}/receipts`, { unit: '市生态环境局', on: '2025-06-05' }), 422, 'rule_violation', 'unit');
  const none = await office.post(`/api/v1/meetings/${M}/receipts`, { unit: '市民政局', on: '2025-06-06', no_topics: true });
  assert.equal(none.status, 200, none.text);
  const topic = (unit, on, body = {}) => office.post(`/api/v1/meetings/${M}/topics`, {
    unit, on, category: 1, title: `${unit}议题`, background: '背景情况', decision_requested: '请联席会议研究决定', ...body });
  const t1 = await topic('市委宣传部', '2025-06-05', { category: 1, title: '联合开展习近平生态文明思想宣讲' });
  assert.equal(t1.status, 201, t1.text);
  assert.equal(t1.json.category_label, '（一）研究推动习近平生态文明思想宣传工作');
  assert.equal(t1.json.late, false);
  const t2 = await topic('市文明办', '2025-06-06', { category: 1, title: '习近平生态文明思想进社区宣讲' });
  const t3 = await topic('市教委', '2025-06-07', { category: 2, title: '六五环境日校园主题活动' });
  const t4 = await topic('团市委', '2025-06-09', { category: 4, title: '青年生态环保志愿服务项目' });
  for (const t of [t2, t3, t4]) assert.equal(t.status, 201, t.text);
  assertError(await topic('市妇联', '2025-06-11'), 422, 'rule_violation', 'late_reason');
  assertError(await topic('市妇联', '2025-06-10', { category: 8 }), 422, 'rule_violation', 'category');
  assertError(await topic('市妇联', '2025-06-10', { background: '' }), 422, 'rule_violation', 'background');
  const late = await topic('市妇联', '2025-06-11', { category: 3, title: '最美家庭绿色生活评选', late_reason: '市妇联因换届延误，经联席会议办公室同意补报' });
  assert.equal(late.status, 201, late.text);
  assert.equal(late.json.late, true);
  assert.match(late.json.late_reason, /换届/);
  // a member unit itself cannot submit after its window (06-09): 422, and nothing is stored
  const self = await xcb.post(`/api/v1/meetings/${M}/topics`, { category: 7, title: '逾期议题', background: '背景', decision_requested: '决定' });
  assertError(self, 422, 'rule_violation');
  assert.match(self.json.error.message, /期限已过/);
  const m = (await office.get(`/api/v1/meetings/${M}`)).json;
  assert.equal(m.topics.length, 5);
  assert.equal(step(m, 'topics').status, 'late', 'the last reply came after the deadline');
  assert.equal(m.units.find(u => u.unit.short_name === '市妇联').topics_status, 'late');
  assert.equal(m.units.find(u => u.unit.short_name === '团市委').topics_status, 'on_time');
  assert.equal(m.units.find(u => u.unit.short_name === '市民政局').no_topics, true);
  assert.ok(m.history.some(h => h.action === 'topic_late' && h.late));
});

const T = {};
test('selection by the host: select, merge duplicates, decline with a reason; the agenda waits for every topic', async () => {
  const list = (await leader.get(`/api/v1/meetings/${M}/topics`)).json.items;
  for (const t of list) T[t.unit.short_name] = t.id;
  const sel = (tid, body) => office.post(`/api/v1/meetings/${M}/topics/${tid}/selection`, { on: '2025-06-12', ...body });
  assertError(await xcb.post(`/api/v1/meetings/${M}/topics/${T['市委宣传部']}/selection`, { decision: 'select' }), 403, 'forbidden');
  assert.equal((await sel(T['市委宣传部'], { decision: 'select' })).status, 200);
  assertError(await sel(T['市文明办'], { decision: 'merge', into: T['市教委'] }), 422, 'rule_violation', 'into');
  const merged = await sel(T['市文明办'], { decision: 'merge', into: T['市委宣传部'] });
  assert.equal(merged.status, 200, merged.text);
  assert.equal(merged.json.selection, 'merged');
  assertError(await sel(T['市妇联'], { decision: 'decline' }), 422, 'rule_violation', 'reason');
  assertError(await sel(99999999, { decision: 'select' }), 404, 'not_found');
  assert.equal((await sel(T['市妇联'], { decision: 'decline', reason: '与第三项合并研究' })).status, 200);
  assert.equal((await sel(T['市教委'], { decision: 'select' })).status, 200);
  assertError(await office.post(`/api/v1/meetings/${M}/agenda`, { on: '2025-06-13' }), 409, 'conflict');
  assert.equal((await sel(T['团市委'], { decision: 'select' })).status, 200);
  // the selected topic with a merged one cannot be declined
  assertError(await sel(T['市委宣传部'], { decision: 'decline', reason: 'x' }), 409, 'conflict');
  // the history names the topic by its title and the decision in words, never "议题 25：select"
  const notes = (await office.get(`/api/v1/meetings/${M}`)).json.history.filter(h => h.action === 'selection').map(h => h.note);
  assert.ok(notes.length >= 4, notes.join('\n'));
  assert.ok(notes.every(n => /^议题「.+」：(列为中心议题|合并|未采纳)$/.test(n)), notes.join('\n'));
  assert.ok(notes.some(n => n === '议题「最美家庭绿色生活评选」：未采纳'), notes.join('\n'));
});

test('the agenda: a convener (or the office) sends it at least 5 days before', async () => {
  assertError(await jw.post(`/api/v1/meetings/${M}/agenda`, {}), 403, 'forbidden');
  const r = await office.post(`/api/v1/meetings/${M}/agenda`, { on: '2025-06-13', order: [T['团市委']] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.stage, 'agenda_sent');
  assert.equal(step(r.json, 'agenda').status, 'on_time');
  assert.equal(step(r.json, 'selection').status, 'on_time');
  const sel = r.json.topics.filter(t => t.selection === 'selected');
  assert.deepEqual(sel.map(t => t.unit.short_name), ['团市委', '市委宣传部', '市教委'], 'the given order first, then by category');
  assert.match(r.json.documents.find(d => d.kind === 'agenda').doc_no, /^渝生态宣联〔2025〕\d+号$/);
  assertError(await office.post(`/api/v1/meetings/${M}/agenda`, { on: '2025-06-13' }), 409, 'conflict');
  // topics are closed now, even for the office
  assertError(await office.post(`/api/v1/meetings/${M}/topics`, { unit: '市民政局', on: '2025-06-14', late_reason: 'x', category: 7, title: 't', background: 'b', decision_requested: 'd' }), 409, 'conflict');
});

let reportId;
test('held: attendance and a decision per topic; the t83 ledger report is filed once, from the meeting', async () => {
  const before = (await office.get('/api/v1/reports?task=83&limit=200')).json.items.length;
  const attendance = [
    { unit: '市委宣传部', person: '张部长', post: '副部长', rank: 'deputy' },
    { unit: '市生态环境局', person: '李局长', post: '副局长', rank: 'deputy' },
    { unit: '市文明办', person: '王处长', post: '处长', rank: 'division' },
    { unit: '市教委', person: '赵处长', post: '处长', rank: 'division' },
    { unit: '市民政局', person: '钱处长', post: '处长', rank: 'division' },
    { unit: '团市委', person: '孙部长', post: '部长', rank: 'division' },
    { unit: '市妇联', person: '周干事', post: '干事', rank: 'staff' },
    { guest: true, unit_name: '市人大常委会办公厅', person: '吴主任', post: '副主任', rank: 'deputy' },
  ];
  const decisions = [
    { topic_id: T['市委宣传部'], decision: '同意联合开展宣讲，由市委宣传部牵头制定方案。' },
    { topic_id: T['市教委'], decision: '同意举办校园主题活动。' },
  ];
  assertError(await office.post(`/api/v1/meetings/${M}/held`, { on: '2025-06-20', attendance, decisions }), 422, 'rule_violation', 'decisions');
  decisions.push({ topic_id: T['团市委'], decision: '支持青年志愿服务项目。' });
  assertError(await office.post(`/api/v1/meetings/${M}/held`, { on: '2025-06-19', attendance, decisions }), 422, 'rule_violation', 'on');
  assertError(await office.post(`/api/v1/meetings/${M}/held`, { on: '2025-06-20', attendance: [{ unit: '500103', person: 'x', rank: 'staff' }], decisions }), 422, 'rule_violation', 'attendance[0]');
  assertError(await office.post(`/api/v1/meetings/${M}/held`, { on: '2025-06-20', attendance: [{ unit: '市教委', person: 'x', rank: 'boss' }], decisions }), 422, 'rule_violation', 'attendance[0]');
  const r = await office.post(`/api/v1/meetings/${M}/held`, { on: '2025-06-20', attendance, decisions });
  assert.equal(r.status, 200, r.text);
  const m = r.json;
  assert.equal(m.stage, 'held');
  assert.equal(step(m, 'held').status, 'on_time');
  assert.equal(step(m, 'minutes').deadline, '2025-06-27', 'within 7 days');
  assert.deepEqual(m.attendance_warnings, ['市妇联出席人员级别低于第三条要求（应为业务处室（部门）负责人）']);
  assert.equal(m.ledger.task, 83);
  reportId = m.ledger.report_id;
  assert.ok(reportId, `no ledger report: ${JSON.stringify(m.ledger)}`);
  assert.equal(m.ledger.status, 'accepted', 'the office recorded it: accepted at once');
  const rep = (await leader.get(`/api/v1/reports/${reportId}`)).json;
  assert.equal(rep.kind, 'joint_meeting');
  assert.equal(rep.activity_date, '2025-06-20');
  assert.equal(rep.unit.key, '市生态环境局');
  assert.deepEqual(rep.tasks, [83]);
  assert.equal(rep.metrics.participants, 8);
  assert.equal(rep.metrics.topics, 3);
  const after = (await office.get('/api/v1/reports?task=83&limit=200')).json.items;
  assert.equal(after.length, before + 1, 'one event, one record');
  assertError(await office.post(`/api/v1/meetings/${M}/held`, { on: '2025-06-20', attendance, decisions }), 409, 'conflict');
});

test('minutes by 市生态环境局 within 7 days; every unit countersigns; a change request reopens countersigning', async () => {
  assertError(await xcb.post(`/api/v1/meetings/${M}/minutes`, { body: 'x' }), 403, 'forbidden');
  const decisions = [
    { topic_id: T['市委宣传部'], text: '制定全市习近平生态文明思想宣讲方案', unit: '市委宣传部', due: '2025-08-31' },
    { topic_id: T['市教委'], text: '举办六五环境日校园主题活动', unit: '市教委', due: '2025-09-30' },
    { text: '组建青年生态环保志愿服务队', unit: '团市委', due: '2030-12-31' },
  ];
  assertError(await office.post(`/api/v1/meetings/${M}/minutes`, { on: '2025-06-25', body: '纪要', decisions: [{ text: 'x', unit: '有关区县', due: '2025-08-01' }] }), 422, 'rule_violation', 'decisions[0]');
  assertError(await office.post(`/api/v1/meetings/${M}/minutes`, { on: '2025-06-25', body: '纪要', decisions: [{ text: 'x', unit: '市教委', due: '2025-06-01' }] }), 422, 'rule_violation', 'decisions[0]');
  const r = await office.post(`/api/v1/meetings/${M}/minutes`, { on: '2025-06-25', body: '会议听取了各成员单位工作情况汇报，研究了中心议题。', decisions });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.stage, 'minutes');
  assert.equal(step(r.json, 'minutes').status, 'on_time');
  const cs = step(r.json, 'countersign');
  assert.equal(cs.version, 1);
  assert.equal(cs.deadline, '2025-06-30', '5 days from 06-25 is a Monday');
  assert.equal(cs.pending_units.length, 6, 'the host signed by drafting');
  // a unit that is not a member cannot countersign
  assertError(await yuzhong.post(`/api/v1/meetings/${M}/countersigns`, { action: 'sign' }), 403, 'forbidden', 'unit');
  assert.equal((await office.post(`/api/v1/meetings/${M}/countersigns`, { unit: '市委宣传部', on: '2025-06-26' })).status, 200);
  assertError(await office.post(`/api/v1/meetings/${M}/countersigns`, { unit: '市教委', on: '2025-06-26', action: 'change' }), 422, 'rule_violation', 'comment');
  const ch = await office.post(`/api/v1/meetings/${M}/countersigns`, { unit: '市教委', on: '2025-06-26', action: 'change', comment: '第二项完成时限请调整为10月底' });
  assert.equal(ch.status, 200, ch.text);
  assert.equal(step(ch.json, 'countersign').status, 'change_requested');
  const jw = ch.json.units.find(u => u.unit.short_name === '市教委');
  assert.deepEqual([jw.countersign.status, jw.countersign.status_label], ['change_requested', '有修改意见，待承办单位修改']);
  assert.equal(jw.countersign.status_label, step(ch.json, 'countersign').status_label, 'one label for the unit and its step');
  assert.ok(ch.json.units.filter(u => u.receipt_status).every(u => u.receipt_status_label && u.topics_status_label), 'unit statuses carry their labels');
  assertError(await office.post(`/api/v1/meetings/${M}/countersigns`, { unit: '市文明办', on: '2025-06-26' }), 409, 'conflict');
  assertError(await office.post(`/api/v1/meetings/${M}/minutes/issue`, { on: '2025-06-27' }), 409, 'conflict');
  // the host's inbox has the change request
  const inbox = (await sthjj.get('/api/v1/inbox?limit=200')).json.items;
  assert.ok(inbox.some(i => i.kind === 'meeting_change' && /第二项完成时限/.test(i.title)), JSON.stringify(inbox.map(i => i.title)));
  decisions[1].due = '2025-10-31';
  const v2 = await office.post(`/api/v1/meetings/${M}/minutes`, { on: '2025-06-27', body: '会议听取了各成员单位工作情况汇报，研究了中心议题。', decisions });
  assert.equal(v2.status, 200, v2.text);
  const cs2 = step(v2.json, 'countersign');
  assert.equal(cs2.version, 2);
  assert.equal(cs2.change_requested, false);
  assert.equal(cs2.deadline, '2025-07-02');
  assert.equal(cs2.pending_units.length, 6, 'everyone signs the new version again, 市委宣传部 too');
  assert.equal(step(v2.json, 'minutes').done_date, '2025-06-25', 'the minutes step keeps its first draft');
  assert.equal(v2.json.minutes.versions.length, 2);
});

test('issuing needs every countersign of the current version (409); late countersigns need a reason', async () => {
  for (const [unit, on] of [['市委宣传部', '2025-06-28'], ['市文明办', '2025-06-28'], ['市教委', '2025-06-30'], ['市民政局', '2025-07-01'], ['团市委', '2025-07-02']]) {
    const r = await office.post(`/api/v1/meetings/${M}/countersigns`, { unit, on });
    assert.equal(r.status, 200, `${unit}: ${r.text}`);
  }
  const missing = await office.post(`/api/v1/meetings/${M}/minutes/issue`, { on: '2025-07-03' });
  assertError(missing, 409, 'conflict');
  assert.match(missing.json.error.message, /市妇联/);
  assertError(await office.post(`/api/v1/meetings/${M}/countersigns`, { unit: '市妇联', on: '2025-07-03' }), 422, 'rule_violation', 'late_reason');
  const late = await office.post(`/api/v1/meetings/${M}/countersigns`, { unit: '市妇联', on: '2025-07-03', late_reason: '主要负责同志出差' });
  assert.equal(late.status, 200, late.text);
  const cs = step(late.json, 'countersign');
  assert.equal(cs.status, 'late');
  assert.equal(cs.pending_units.length, 0);
  assert.equal(late.json.units.find(u => u.unit.short_name === '市妇联').countersign.status, 'late');
  assert.equal(late.json.units.find(u => u.unit.short_name === '市妇联').countersign.status_label, '逾期完成');
  assertError(await office.post(`/api/v1/meetings/${M}/countersigns`, { unit: '市妇联', on: '2025-07-03' }), 409, 'conflict');
  assertError(await xcb.post(`/api/v1/meetings/${M}/minutes/issue`, {}), 403, 'forbidden');
  const r = await office.post(`/api/v1/meetings/${M}/minutes/issue`, { on: '2025-07-04' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.stage, 'issued');
  assert.equal(step(r.json, 'issue').status, 'done');
  assert.deepEqual(r.json.documents.map(d => d.kind), ['notice', 'agenda', 'minutes']);
  assertError(await office.post(`/api/v1/meetings/${M}/minutes/issue`, { on: '2025-07-04' }), 409, 'conflict');
  // every member unit is told
  const inbox = (await mz.get('/api/v1/inbox?limit=200')).json.items;
  assert.ok(inbox.some(i => i.kind === 'meeting_issued'));
});

test('follow-ups: decisions of issued minutes, tracked with status and overdue, updated by the responsible unit', async () => {
  const r = await leader.get(`/api/v1/follow-ups?meeting=${M}`);
  assert.equal(r.status, 200, r.text);
  const items = r.json.items;
  assert.equal(items.length, 3);
  const edu = items.find(i => i.unit.short_name === '市教委');
  assert.equal(edu.due_date, '2025-10-31');
  assert.equal(edu.status, 'open');
  assert.equal(edu.overdue, shanghai() > '2025-10-31');
  const youth = items.find(i => i.unit.short_name === '团市委');
  assert.equal(youth.overdue, false);
  assertError(await yuzhong.patch(`/api/v1/follow-ups/${edu.id}`, { status: 'done' }), 403, 'forbidden');
  assertError(await jw.patch(`/api/v1/follow-ups/${edu.id}`, { status: 'finished' }), 422, 'rule_violation', 'status');
  const p = await jw.patch(`/api/v1/follow-ups/${edu.id}`, { status: 'in_progress', progress: '已完成活动方案' });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.status, 'in_progress');
  const d = await jw.patch(`/api/v1/follow-ups/${edu.id}`, { status: 'done' });
  assert.equal(d.json.status, 'done');
  assert.equal(d.json.done_date, shanghai());
  assert.equal(d.json.overdue, false);
  assert.equal((await leader.get('/api/v1/follow-ups?status=done')).json.items.length, 1);
  const overdue = (await leader.get(`/api/v1/follow-ups?meeting=${M}&overdue=true`)).json.items;
  assert.deepEqual(overdue.map(i => i.unit.short_name), shanghai() > '2025-08-31' ? ['市委宣传部'] : []);
  // one item by id, as in the list (an inbox link opens it); an unknown id is 404
  const one = await yuzhong.get(`/api/v1/follow-ups/${edu.id}`);
  assert.equal(one.status, 200, one.text);
  assert.deepEqual(one.json, (await leader.get(`/api/v1/follow-ups?meeting=${M}`)).json.items.find(i => i.id === edu.id));
  assertError(await leader.get('/api/v1/follow-ups/999999'), 404, 'not_found', 'id');
  // the responsible unit's inbox has its item
  assert.ok((await tw.get('/api/v1/inbox?limit=200')).json.items.some(i => i.kind === 'meeting_followup'));
});

test('documents: printable HTML (no scripts) and a real PDF, stored once issued and never changed', async () => {
  const m = (await leader.get(`/api/v1/meetings/${M}`)).json;
  const minutes = m.documents.find(d => d.kind === 'minutes');
  const pdf = await leader.get(`/api/v1/meetings/${M}/documents/minutes.pdf`);
  assert.equal(pdf.status, 200);
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  assert.equal(pdf.headers.get('x-document-state'), 'issued');
  assert.equal(pdf.buf.subarray(0, 5).toString(), '%PDF-');
  assert.match(pdf.headers.get('content-disposition'), /attachment/);
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf.buf }).toString();
  const flat = text.replace(/\s+/g, '');
  assert.ok(flat.includes(minutes.doc_no), `doc number in the PDF text:\n${text}`);
  assert.ok(flat.includes('2025年上半年重庆市生态文明宣传教育工作联席会议纪要'), text);
  assert.ok(flat.includes('重庆市生态文明宣传教育工作联席会议纪要'));
  assert.ok(flat.includes('抄送'));
  const again = await leader.get(`/api/v1/meetings/${M}/documents/minutes.pdf`);
  assert.ok(again.buf.equals(pdf.buf), 'the stored bytes, not a new rendering');
  const notice = await xcb.get(`/api/v1/meetings/${M}/documents/notice.pdf`);
  const nt = execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: notice.buf }).toString().replace(/\s+/g, '');
  assert.ok(nt.includes(m.documents.find(d => d.kind === 'notice').doc_no), nt);
  assert.ok(nt.includes('关于召开2025年上半年重庆市生态文明宣传教育工作联席会议的通知'), nt);
  const html = await yuzhong.get(`/api/v1/meetings/${M}/documents/notice.html`);
  assert.equal(html.status, 200);
  assert.match(html.headers.get('content-type'), /^text\/html; charset=utf-8/);
  assert.doesNotMatch(html.text, /<script/i);
  assert.doesNotMatch(html.text, /\son[a-z]+=/i, 'no event handler attributes');
  assert.match(html.text, /重庆市生态文明宣传教育工作联席会议办公室文件/);
  assert.ok(html.text.includes(m.documents.find(d => d.kind === 'notice').doc_no));
  assert.match(html.text, /<font color="#dd0000"/, 'the red 版头 survives a CSP that blocks styles');
  assert.match(html.text, /市人大/);
  const agenda = await leader.get(`/api/v1/meetings/${M}/documents/agenda.html`);
  assert.match(agenda.text, /青年生态环保志愿服务项目/);
  assertError(await leader.get(`/api/v1/meetings/${M}/documents/budget.pdf`), 404, 'not_found', 'file');
  assertError(await leader.get(`/api/v1/meetings/${M}/documents/minutes.docx`), 404, 'not_found', 'file');
});

test('the next meeting lists the follow-ups to report; a special meeting files no ledger report', async () => {
  const r = await create({ title: '2025年下半年重庆市生态文明宣传教育工作联席会议', date: '2025-12-18' });
  assert.equal(r.status, 201, r.text);
  const fr = r.json.follow_ups_to_report;
  assert.deepEqual(fr.map(f => f.unit.short_name).sort(), ['团市委', '市委宣传部', '市教委'].sort(), 'open ones, and one done since the last meeting');
  const s = await create({ kind: 'special', title: '生态环境舆情应对专题会议', date: '2025-11-20' });
  assert.equal(s.json.kind, 'special');
  assert.equal(s.json.ledger.filed, false);
  // a draft notice can be previewed before it is sent
  const draft = await leader.get(`/api/v1/meetings/${s.json.id}/documents/notice.html`);
  assert.equal(draft.status, 200);
  assert.equal(draft.headers.get('x-document-state'), 'draft');
  assert.match(draft.text, /草稿/);
  assertError(await leader.get(`/api/v1/meetings/${s.json.id}/documents/minutes.pdf`), 404, 'not_found', 'file');
});

test('a notice 10 days before is late: refused without a reason (422), then recorded and kept late; an agenda 3 days before too', async () => {
  const r = await create({ title: '2025年生态环境志愿服务专题联席会议', date: '2025-09-12' });
  const id = r.json.id;
  const no = await office.post(`/api/v1/meetings/${id}/notice`, { on: '2025-09-02' });
  assertError(no, 422, 'rule_violation', 'late_reason');
  assert.match(no.json.error.message, /2025-08-28/);
  assert.equal((await office.get(`/api/v1/meetings/${id}`)).json.stage, 'planned', 'nothing stored');
  const ok = await office.post(`/api/v1/meetings/${id}/notice`, { on: '2025-09-02', late_reason: '会议时间临时调整' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(step(ok.json, 'notice').status, 'late');
  assert.equal(step(ok.json, 'notice').late, true);
  assert.equal(step(ok.json, 'notice').late_reason, '会议时间临时调整');
  // topics due 5 days after 09-02 = 09-07, a Sunday → Monday 09-08
  assert.equal(step(ok.json, 'topics').deadline, '2025-09-08');
  const t = await office.post(`/api/v1/meetings/${id}/topics`, { unit: '市文明办', on: '2025-09-03', category: 4, title: '志愿服务记录', background: 'b', decision_requested: 'd' });
  assert.equal(t.status, 201, t.text);
  await office.post(`/api/v1/meetings/${id}/topics/${t.json.id}/selection`, { decision: 'select', on: '2025-09-08' });
  const a = await office.post(`/api/v1/meetings/${id}/agenda`, { on: '2025-09-09' });
  assertError(a, 422, 'rule_violation', 'late_reason');
  const a2 = await office.post(`/api/v1/meetings/${id}/agenda`, { on: '2025-09-09', late_reason: '议题筛选延误' });
  assert.equal(a2.status, 200, a2.text);
  assert.equal(step(a2.json, 'agenda').status, 'late');
  assert.equal(step(a2.json, 'agenda').deadline, '2025-09-07');
  // the units that never replied stay listed
  assert.ok(step(a2.json, 'receipt').pending_units.length >= 5);
  assert.equal(step(a2.json, 'receipt').status, 'overdue');
  const doc = await leader.get(`/api/v1/meetings/${id}/documents/agenda.pdf`);
  assert.equal(doc.buf.subarray(0, 5).toString(), '%PDF-');
});

let OPEN;
test('today: the host sends the notice itself; members reply themselves; a unit that is not a member is refused (403)', async () => {
  const r = await create({ title: '联席会议（当期）', date: shanghai(30) });
  OPEN = r.json.id;
  assertError(await yuzhong.post(`/api/v1/meetings/${OPEN}/notice`, {}), 403, 'forbidden');
  const n = await sthjj.post(`/api/v1/meetings/${OPEN}/notice`, {});
  assert.equal(n.status, 200, n.text);
  assert.equal(step(n.json, 'notice').done_date, shanghai());
  assert.equal(step(n.json, 'notice').status, 'on_time');
  // every member unit got the notice in its inbox, with the reply deadline
  const inbox = (await jw.get('/api/v1/inbox?limit=200')).json.items.filter(i => i.kind === 'meeting_notice' && i.link === `/meetings/${OPEN}`);
  assert.equal(inbox.length, 1);
  assert.equal(inbox[0].due_date, step(n.json, 'topics').deadline);
  assertError(await yuzhong.post(`/api/v1/meetings/${OPEN}/topics`, { category: 1, title: 't', background: 'b', decision_requested: 'd' }), 403, 'forbidden', 'unit');
  assertError(await yuzhong.post(`/api/v1/meetings/${OPEN}/receipts`, {}), 403, 'forbidden', 'unit');
  assertError(await xcb.post(`/api/v1/meetings/${OPEN}/topics`, { unit: '市教委', category: 1, title: 't', background: 'b', decision_requested: 'd' }), 403, 'forbidden', 'unit');
  const t = await xcb.post(`/api/v1/meetings/${OPEN}/topics`, { category: 5, title: '生态环境网络舆情联动处置', background: '背景', decision_requested: '建立联动机制' });
  assert.equal(t.status, 201, t.text);
  assert.equal(t.json.late, false);
  assert.equal(t.json.unit.short_name, '市委宣传部');
  const rc = await jw.post(`/api/v1/meetings/${OPEN}/receipts`, {});
  assert.equal(rc.status, 200, rc.text);
  const m = rc.json;
  const pending = names(step(m, 'receipt').pending_units);
  assert.ok(!pending.includes('市教委') && !pending.includes('市委宣传部'), pending.join());
  assert.ok(pending.includes('市妇联'));
  // the notice item is settled for 市委宣传部 (receipt and topic), still open for 市教委 (no topic yet)
  const xi = (await xcb.get('/api/v1/inbox?limit=200')).json.items.filter(i => i.kind === 'meeting_notice' && i.link === `/meetings/${OPEN}`);
  assert.equal(xi.length, 0);
  const ji = (await jw.get('/api/v1/inbox?limit=200')).json.items.filter(i => i.kind === 'meeting_notice' && i.link === `/meetings/${OPEN}`);
  assert.equal(ji.length, 1);
  // leaders read, never act
  assertError(await leader.post(`/api/v1/meetings/${OPEN}/receipts`, {}), 403, 'forbidden');
  // a reporter cannot speak for another unit
  assertError(await jw.post(`/api/v1/meetings/${OPEN}/receipts`, { unit: '市妇联' }), 403, 'forbidden', 'unit');
});

test('topic attachments: stored by hash, typed by content', async () => {
  const topics = (await xcb.get(`/api/v1/meetings/${OPEN}/topics`)).json.items;
  const tid = topics[0].id;
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
  const put = await xcb.req('PUT', `/api/v1/meetings/${OPEN}/topics/${tid}/attachments/${encodeURIComponent('背景材料.pdf')}`, { body: pdf, headers: { 'Content-Type': 'application/pdf' } });
  assert.equal(put.status, 201, put.text);
  assert.match(put.json.hash, /^[0-9a-f]{64}$/);
  const bad = await xcb.req('PUT', `/api/v1/meetings/${OPEN}/topics/${tid}/attachments/a.pdf`, { body: Buffer.from('not a pdf'), headers: { 'Content-Type': 'application/pdf' } });
  assertError(bad, 415, 'unsupported_media_type');
  const other = await jw.req('PUT', `/api/v1/meetings/${OPEN}/topics/${tid}/attachments/a.pdf`, { body: pdf, headers: { 'Content-Type': 'application/pdf' } });
  assertError(other, 403, 'forbidden');
  const get = await leader.get(`/api/v1/meetings/${OPEN}/topics/${tid}/attachments/${encodeURIComponent('背景材料.pdf')}`);
  assert.equal(get.status, 200);
  assert.ok(get.buf.equals(pdf));
  const t = (await leader.get(`/api/v1/meetings/${OPEN}/topics`)).json.items.find(x => x.id === tid);
  assert.deepEqual(t.attachments.map(a => a.name), ['背景材料.pdf']);
});

test('today: the host selects, a convener sends the agenda itself; the host cannot send it for the conveners only', async () => {
  const topics = (await sthjj.get(`/api/v1/meetings/${OPEN}/topics`)).json.items;
  const sel = await sthjj.post(`/api/v1/meetings/${OPEN}/topics/${topics[0].id}/selection`, { decision: 'select' });
  assert.equal(sel.status, 200, sel.text);
  assert.equal(sel.json.selection_date, shanghai());
  assertError(await tw.post(`/api/v1/meetings/${OPEN}/agenda`, {}), 403, 'forbidden');
  const a = await xcb.post(`/api/v1/meetings/${OPEN}/agenda`, {});
  assert.equal(a.status, 200, a.text);
  assert.equal(step(a.json, 'agenda').status, 'on_time');
  assert.equal(a.json.agenda_by_name, '张宣传');
  // every member unit is told to prepare, due on the meeting date
  const items = (await fl.get('/api/v1/inbox?limit=200')).json.items.filter(i => i.kind === 'meeting_agenda' && i.link === `/meetings/${OPEN}`);
  assert.equal(items.length, 1);
  assert.equal(items[0].due_date, shanghai(30));
  // the meeting cannot be recorded before its date
  assertError(await sthjj.post(`/api/v1/meetings/${OPEN}/held`, { attendance: [{ unit: '市委宣传部', person: 'x', rank: 'deputy' }], decisions: [{ topic_id: topics[0].id, decision: 'd' }] }), 422, 'rule_violation', 'on');
});

test('a regular meeting held after the 2021-2025 plan ended is kept, with the reason no ledger report was filed', { skip: shanghai() < '2026-06-26' }, async () => {
  const r = await create({ title: '2026年上半年联席会议', date: '2026-06-26' });
  const id = r.json.id;
  assert.equal((await office.post(`/api/v1/meetings/${id}/notice`, { on: '2026-06-10' })).status, 200);
  const t = await office.post(`/api/v1/meetings/${id}/topics`, { unit: '市教委', on: '2026-06-11', category: 2, title: '议题', background: 'b', decision_requested: 'd' });
  await office.post(`/api/v1/meetings/${id}/topics/${t.json.id}/selection`, { decision: 'select', on: '2026-06-16' });
  assert.equal((await office.post(`/api/v1/meetings/${id}/agenda`, { on: '2026-06-18' })).status, 200);
  const h = await office.post(`/api/v1/meetings/${id}/held`, { on: '2026-06-26', attendance: [{ unit: '市教委', person: 'x', rank: 'division' }], decisions: [{ topic_id: t.json.id, decision: '同意' }] });
  assert.equal(h.status, 200, h.text);
  assert.equal(h.json.ledger.report_id, null);
  assert.match(h.json.ledger.note, /未能自动登记台账/);
  // held on a Friday: the minutes are due 7 days later, Friday 2026-07-03
  assert.equal(step(h.json, 'minutes').deadline, '2026-07-03');
});

test('reminders: two days before a deadline and on it, to exactly the units that have not acted, once', async () => {
  const soon = await create({ title: '提醒测试会议', date: shanghai(17) }); // notice due in 2 days
  const today = await create({ title: '当日提醒测试会议', date: shanghai(15) }); // notice due today
  assertError(await sthjj.post('/api/v1/meeting-reminders', {}), 403, 'forbidden');
  const r = await office.post('/api/v1/meeting-reminders', {});
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.added >= 2, r.text);
  const mine = (await sthjj.get('/api/v1/inbox?limit=200')).json.items.filter(i => i.kind === 'meeting_due');
  const s = mine.find(i => i.link === `/meetings/${soon.json.id}`);
  const t = mine.find(i => i.link === `/meetings/${today.json.id}`);
  assert.ok(s && t, JSON.stringify(mine));
  assert.equal(s.due_date, shanghai(2));
  assert.match(s.title, /即将到期/);
  assert.equal(t.due_date, shanghai());
  assert.match(t.title, /今天到期/);
  // not the conveners who are not the host, not the members
  for (const c of [xcb, jw]) {
    const items = (await c.get('/api/v1/inbox?limit=200')).json.items;
    assert.ok(!items.some(i => i.link === `/meetings/${soon.json.id}` || i.link === `/meetings/${today.json.id}`));
  }
  const again = await office.post('/api/v1/meeting-reminders', {});
  assert.equal(again.json.added, 0, 'idempotent: dedupe keys');
  // sending the notice settles the host's reminder
  assert.equal((await sthjj.post(`/api/v1/meetings/${soon.json.id}/notice`, {})).status, 200);
  const left = (await sthjj.get('/api/v1/inbox?limit=200')).json.items.filter(i => i.kind === 'meeting_due');
  assert.ok(!left.some(i => i.link === `/meetings/${soon.json.id}`));
  assert.ok(left.some(i => i.link === `/meetings/${today.json.id}`));
});

test('meeting-deadlines: the chain a date gives, from the meeting\'s own calculation; a bad date is 422 naming it', async () => {
  const date = shanghai(40);
  const r = await office.get(`/api/v1/meeting-deadlines?date=${date}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.date, date);
  assert.deepEqual(r.json.steps.map(s => s.step), ['notice', 'selection', 'agenda', 'held']);
  const notice = step(r.json, 'notice'), agenda = step(r.json, 'agenda');
  assert.equal(notice.deadline, shanghai(25), 'notice 15 days before');
  assert.equal(agenda.deadline, shanghai(35), 'agenda 5 days before');
  assert.equal(step(r.json, 'held').deadline, date);
  assert.equal(notice.label, '会议通知');
  assert.equal(notice.status, 'due');
  // the same deadlines as a meeting planned on that day
  const m = await create({ title: '期限预览核对会议', date });
  assert.equal(m.status, 201, m.text);
  assert.equal(step(m.json, 'notice').deadline, notice.deadline);
  assert.equal(step(m.json, 'agenda').deadline, agenda.deadline);
  // too late for the notice: overdue
  const soon = await office.get(`/api/v1/meeting-deadlines?date=${shanghai(3)}`);
  assert.equal(step(soon.json, 'notice').status, 'overdue');
  assertError(await office.get('/api/v1/meeting-deadlines?date=2025-02-30'), 422, 'rule_violation', 'date');
  assertError(await office.get('/api/v1/meeting-deadlines'), 422, 'rule_violation', 'date');
  assertError(await office.get('/api/v1/meeting-deadlines?date=2020-01-01'), 422, 'rule_violation', 'date');
  assertError(await leader.get(`/api/v1/meeting-deadlines?date=${date}`), 403);
});

test('editing: the office moves a meeting before it is held, and the deadlines follow; not after it is issued', async () => {
  const r = await create({ title: '改期测试', date: shanghai(40) });
  const p = await office.patch(`/api/v1/meetings/${r.json.id}`, { date: shanghai(50), countersign_days: 7 });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.meeting_date, shanghai(50));
  assert.equal(p.json.countersign_days, 7);
  assert.equal(step(p.json, 'notice').deadline, shanghai(35));
  assertError(await office.patch(`/api/v1/meetings/${r.json.id}`, { countersign_days: 0 }), 422, 'rule_violation', 'countersign_days');
  assertError(await office.patch(`/api/v1/meetings/${M}`, { title: '改' }), 409, 'conflict');
  assertError(await sthjj.patch(`/api/v1/meetings/${r.json.id}`, { title: '改' }), 403, 'forbidden');
  assertError(await office.get('/api/v1/meetings/999999'), 404, 'not_found');
});

test('member units change: a unit joins and leaves; later notices go to the members of their day', async () => {
  const add = await office.post('/api/v1/meeting-members', { unit: '市委网信办', role: 'member', joined_on: '2026-01-01', note: '根据工作需要加入（第二条）' });
  assert.equal(add.status, 201, add.text);
  assert.equal(add.json.unit.short_name, '市委网信办');
  assertError(await office.post('/api/v1/meeting-members', { unit: '市委网信办', joined_on: '2026-02-01' }), 409, 'conflict');
  assertError(await office.post('/api/v1/meeting-members', { unit: '有关区县' }), 422, 'rule_violation', 'unit');
  assertError(await office.post('/api/v1/meeting-members', { unit: '市文联', host: true, joined_on: '2026-01-01' }), 409, 'conflict', 'host');
  assertError(await sthjj.post('/api/v1/meeting-members', { unit: '市文联' }), 403, 'forbidden');
  // a meeting noticed in 2025 keeps its seven units; one noticed now has eight
  assert.equal((await leader.get(`/api/v1/meetings/${M}`)).json.units.length, 7);
  const now = await create({ title: '成员调整后的会议', date: shanghai(20) });
  const n = await office.post(`/api/v1/meetings/${now.json.id}/notice`, {});
  assert.equal(n.status, 200, n.text);
  assert.equal(n.json.units.length, 8);
  const left = await office.patch(`/api/v1/meeting-members/${add.json.id}`, { left_on: shanghai(1) });
  assert.equal(left.status, 200, left.text);
  assert.equal(left.json.left_on, shanghai(1));
  assertError(await office.patch(`/api/v1/meeting-members/${add.json.id}`, { left_on: '2025-01-01' }), 422, 'rule_violation', 'left_on');
  assertError(await office.patch('/api/v1/meeting-members/999999', { note: 'x' }), 404, 'not_found');
  const later = (await leader.get(`/api/v1/meeting-members?date=${shanghai(2)}`)).json.items.filter(m => m.active);
  assert.equal(later.length, 7);
});

test('audit: steps are recorded with their object; an Idempotency-Key replays the answer', async () => {
  const r = await create({ title: '幂等测试', date: shanghai(25) });
  const h = { 'Idempotency-Key': `notice-${r.json.id}` };
  const a = await office.post(`/api/v1/meetings/${r.json.id}/notice`, {}, { headers: h });
  const b = await office.post(`/api/v1/meetings/${r.json.id}/notice`, {}, { headers: h });
  assert.equal(a.status, 200);
  assert.equal(b.status, 200);
  assert.equal(b.headers.get('idempotent-replayed'), 'true');
  const audit = await srv.login('demo.auditor');
  const rows = (await audit.get('/api/v1/audit?limit=1000')).json.items;
  assert.ok(rows.some(x => x.action === 'meeting.notice' && x.object === `meeting:${r.json.id}`), 'notice audited');
  assert.ok(rows.some(x => x.action === 'meeting.countersign' && x.object === `meeting:${M}`));
});
