// filing.test.mjs - what the console reads before and about a filing (issue 19, ux): the check
// before filing (GET /units/{id}/filing-check: the periods a report would count toward and
// whether they are closed, so that it counts as made up late, 补报), the input limits in /me, the
// ledger's date messages in 年月日, the labels of the two scores (履职得分, 年度总分) and the
// answer for a year without an evaluation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError } from './lib.mjs';

const PLAN = 'cq-2021-2025';
const E = `/api/v1/plans/${PLAN}/evaluations`;
let srv, office, yz, wz;

before(async () => {
  srv = await startServer({ name: 'filing' });
  [office, yz, wz] = await Promise.all(['demo.office', 'demo.yuzhong', 'demo.wanzhou'].map(u => srv.login(u)));
});
after(async () => { await srv.stop(); });

const check = (c, unit, q) => c.get(`/api/v1/units/${unit}/filing-check?${new URLSearchParams(q)}`);

test('a date in a closed period: the duty, its period, its deadline (end + grace) and late', async () => {
  const r = await check(yz, '500103', { activity_date: '2025-11-20', kind: 'press_conference', tasks: '17' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.activity_date, '2025-11-20');
  const grace = (await yz.get('/api/v1/me')).json.policy.grace_days;
  const d = r.json.items.find(i => i.obligation.key === 't17-press-district');
  assert.ok(d, r.text);
  assert.equal(d.obligation.task, 17);
  assert.match(d.obligation.title, /新闻发布会/);
  assert.deepEqual(d.period, { start: '2025-10-01', end: '2025-12-31', label: '2025Q4' });
  const deadline = new Date(Date.UTC(2025, 11, 31 + grace)).toISOString().slice(0, 10);
  assert.equal(d.deadline, deadline);
  assert.equal(d.closed, true, 'the plan ended: every period of it is closed today');
  assert.equal(d.assessed, true);
  assert.equal(r.json.late, true);
  // other kinds count for other duties only
  const other = await check(yz, '500103', { activity_date: '2025-11-20', kind: 'case_exchange' });
  assert.ok(!other.json.items.some(i => i.obligation.key === 't17-press-district'));
});

test('progress reports count only for the tasks they name; a date after today holds nothing', async () => {
  const plan = (await office.get(`/api/v1/plans/${PLAN}/export.json`)).json;
  // 市生态环境局 owes a progress report on many tasks
  const progress = plan.obligations.filter(o => o.kind === 'progress_report' && (o.who.units || []).includes('市生态环境局')).map(o => o.task);
  assert.ok(progress.length >= 2);
  const [a, b] = progress;
  const forA = await check(office, encodeURIComponent('市生态环境局'), { activity_date: '2025-06-10', kind: 'progress_report', tasks: String(a) });
  assert.equal(forA.status, 200, forA.text);
  assert.ok(forA.json.items.length > 0 && forA.json.items.every(i => i.obligation.task === a), forA.text);
  const forB = await check(office, encodeURIComponent('市生态环境局'), { activity_date: '2025-06-10', kind: 'progress_report', tasks: String(b) });
  assert.ok(forB.json.items.every(i => i.obligation.task === b), forB.text);
  const both = await check(office, encodeURIComponent('市生态环境局'), { activity_date: '2025-06-10', kind: 'progress_report', tasks: `${a},${b}` });
  assert.equal(both.json.items.length, forA.json.items.length + forB.json.items.length);
  const later = await check(yz, '500103', { activity_date: '2099-01-01', kind: 'press_conference' });
  assert.equal(later.status, 200, later.text);
  assert.deepEqual(later.json.items, []);
  assert.equal(later.json.late, false);
});

test('unit scoping and bad input: another unit 403, fields named, nothing unknown accepted', async () => {
  assertError(await check(yz, '500101', { activity_date: '2025-11-20', kind: 'press_conference' }), 403, 'forbidden', 'id');
  assert.equal((await check(wz, '500101', { activity_date: '2025-11-20', kind: 'press_conference' })).status, 200);
  assert.equal((await check(office, '500101', { activity_date: '2025-11-20', kind: 'press_conference' })).status, 200);
  assertError(await check(office, '999999', { activity_date: '2025-11-20', kind: 'press_conference' }), 404, 'not_found', 'id');
  assertError(await check(yz, '500103', { kind: 'press_conference' }), 422, 'rule_violation', 'activity_date');
  assertError(await check(yz, '500103', { activity_date: '2025-02-30', kind: 'press_conference' }), 422, 'rule_violation', 'activity_date');
  assertError(await check(yz, '500103', { activity_date: '2025-11-20' }), 422, 'rule_violation', 'kind');
  assertError(await check(yz, '500103', { activity_date: '2025-11-20', kind: 'press_conference', tasks: '17,x' }), 422, 'rule_violation', 'tasks');
  assertError(await check(yz, '500103', { activity_date: '2025-11-20', kind: 'press_conference', tasks: Array.from({ length: 21 }, (_, i) => i + 1).join(',') }), 422, 'rule_violation', 'tasks');
  assertError(await check(yz, '500103', { activity_date: '2025-11-20', kind: 'press_conference', plan: 'no-such-plan' }), 404, 'not_found', 'plan');
  const anon = srv.client();
  assert.equal((await check(anon, '500103', { activity_date: '2025-11-20', kind: 'press_conference' })).status, 401);
});

test('/me sends the limits the checks enforce, and the ledger says dates in 年月日', async () => {
  const me = (await yz.get('/api/v1/me')).json;
  assert.deepEqual(me.policy.limits.report, { title: 200, summary: 5000, place: 200, tasks: 20, links: 20 });
  assert.deepEqual(me.policy.limits.meeting, { title: 200, place: 200, text: 5000, reason: 1000 });
  // where a report came from, in words (the history showed source：demo)
  const words = me.labels.reports;
  assert.equal(words.sources.demo, '演示数据');
  assert.equal(words.sources.meeting, '联席会议纪要印发');
  assert.equal(words.fields.source, '来源');
  const body = { unit: '500103', plan: PLAN, kind: 'press_conference', activity_date: '2025-11-20', tasks: [17], title: 'x'.repeat(me.policy.limits.report.title + 1) };
  const long = await yz.post('/api/v1/reports', body);
  assertError(long, 422, 'rule_violation', 'title');
  assert.match(long.json.error.message, /最多 200 字（现 201 字）/);
  const late = await yz.post('/api/v1/reports', { ...body, title: '日期检查', activity_date: '2099-01-05' });
  assertError(late, 422, 'rule_violation', 'activity_date');
  assert.match(late.json.error.message, /2099年1月5日/);
  assert.match(late.json.error.message, /2021年7月1日 至 2025年12月31日/);
  assert.doesNotMatch(late.json.error.message, /\d{4}-\d{2}-\d{2}|cq-2021-2025/);
});

test('the two scores are labelled with what they are; a year without evaluation is a clear 404', async () => {
  const s = (await yz.get(`/api/v1/plans/${PLAN}/compliance/summary`)).json;
  assert.equal(s.score_label, '履职得分');
  assert.match(s.score_note, /不是年度考评的年度总分/);
  const y = (await office.get(`${E}/2024?tier=district`)).json;
  assert.equal(y.total_label, '年度总分');
  assert.match(y.total_note, /不是首页的履职得分/);
  const card = (await yz.get(`${E}/2024/units/500103`)).json;
  assert.equal(card.total_label, '年度总分');
  const none = await office.get(`${E}/2026`);
  assertError(none, 404, 'not_found', 'year');
  assert.match(none.json.error.message, /2026 年不在实施方案的实施期（2021—2025 年）内，没有该年度的考评/);
  assert.doesNotMatch(none.json.error.message, /cq-/);
});
