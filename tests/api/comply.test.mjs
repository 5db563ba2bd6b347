// comply.test.mjs - the compliance engine (issue 3 §3) through the API: DOMAIN.md's hand-worked
// 渝中区 example end to end, a county's half-year duty, a joint duty met by either unit, a metric
// sum (task 79), task 51's all-schools rule, progress reports per task, child units' reports
// counting for their district, pro-rated 2021 minimums, a once-by-date duty's 90-day yellow, the
// index seeing a newly accepted report at once, every duty of DOMAIN.md's table in the matrix for
// the right units, the summary and score, a unit's next 90 days, the .ics feed (structure,
// revocation), unit scoping (403) and bad input (422).
//
// Accepted dates: the ledger stamps acceptance with today's date, which lies after the plan; to
// replay history the tests set reports.accepted_date afterwards with the sql() helper. That
// UPDATE goes through the same trigger as any change of an accepted report (0004_comply.sql), so
// the engine's index picks it up on the next request like a real change.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, serve, assertError, sql } from './lib.mjs';

const PLAN = 'cq-2021-2025';
let srv, office, office2, sys, yz, yzAdmin, wz, ck, lj, sthjj, xcb, leader, evaluator;
let U = {}; // key or code → id

before(async () => {
  srv = await startServer({ name: 'comply' });
  [office, office2, sys, yz, yzAdmin, wz, ck, lj, sthjj, xcb, leader, evaluator] = await Promise.all(
    ['demo.office', 'demo.office2', 'demo.sysadmin', 'demo.yuzhong', 'demo.yuzhong.admin', 'demo.wanzhou', 'demo.chengkou',
      'demo.liangjiang', 'demo.sthjj', 'demo.xcb', 'demo.leader', 'demo.evaluator'].map(u => srv.login(u)));
  const units = (await sys.get('/api/v1/units?limit=1000')).json.items;
  for (const u of units) { U[u.key] = u.id; if (u.code) U[u.code] = u.id; }
  U.all = units;
});
after(async () => { await srv.stop(); });

/** Files a report as client, has the office accept it, and (optionally) sets its accepted date. */
async function fileAccepted(client, body, acceptedDate) {
  const r = await client.post('/api/v1/reports', body);
  assert.equal(r.status, 201, r.text);
  const a = await office.post(`/api/v1/reports/${r.json.id}/review`, { decision: 'accept' });
  assert.equal(a.status, 200, a.text);
  if (acceptedDate) sql(srv, `UPDATE reports SET accepted_date = '${acceptedDate}' WHERE id = ${r.json.id}`);
  return r.json.id;
}

async function matrix(client, q = {}) {
  const r = await client.get(`/api/v1/plans/${PLAN}/compliance?${new URLSearchParams(q)}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

function cell(items, key, unitId, label) {
  const c = items.find(i => i.obligation.key === key && i.units.some(u => u.id === unitId) && i.period.label === label);
  assert.ok(c, `no cell ${key} ${unitId} ${label}`);
  return c;
}

const press = (date, extra = {}) => ({ kind: 'press_conference', activity_date: date, title: `新闻发布会 ${date}`, tasks: [17], ...extra });

test('DOMAIN.md hand-worked example: 渝中区 press conferences per quarter', async () => {
  const yzId = U['500103'];
  const a = await fileAccepted(yz, press('2023-02-10'), '2023-02-10');
  const b = await fileAccepted(yz, press('2023-05-20'), '2023-05-20');
  let items = (await matrix(office, { obligation: 't17-press-district', unit: '500103', as_of: '2023-10-20' })).items;
  const q1 = cell(items, 't17-press-district', yzId, '2023Q1');
  assert.equal(q1.light, 'green');
  assert.equal(q1.status, 'met');
  assert.deepEqual(q1.report_ids, [a]);
  assert.equal(q1.period.start, '2023-01-01');
  assert.equal(q1.period.end, '2023-03-31');
  assert.deepEqual(q1.units, [{ id: yzId, name: '渝中区', code: '500103' }]);
  assert.equal(q1.obligation.task, 17);
  assert.equal(q1.obligation.per, 'quarter');
  const q2 = cell(items, 't17-press-district', yzId, '2023Q2');
  assert.equal(q2.light, 'green');
  assert.deepEqual(q2.report_ids, [b]);
  const q3 = cell(items, 't17-press-district', yzId, '2023Q3');
  assert.equal(q3.light, 'red'); // ended 2023-09-30, grace over after 2023-10-15
  assert.equal(q3.status, 'missed');
  assert.equal(q3.count, 0);
  assert.equal(q3.deadline, '2023-10-15');
  const q4 = cell(items, 't17-press-district', yzId, '2023Q4');
  assert.equal(q4.light, 'green'); // 19 of 92 days elapsed
  assert.equal(q4.status, 'in_progress');
  // periods run from 2021Q3 up to the one holding as_of, nothing later
  assert.deepEqual(items.map(i => i.period.label),
    ['2021Q3', '2021Q4', '2022Q1', '2022Q2', '2022Q3', '2022Q4', '2023Q1', '2023Q2', '2023Q3', '2023Q4']);

  items = (await matrix(office, { obligation: 't17-press-district', unit: '500103', as_of: '2023-12-09' })).items;
  assert.equal(cell(items, 't17-press-district', yzId, '2023Q4').light, 'yellow'); // 69 of 92 days, 75%
  items = (await matrix(office, { obligation: 't17-press-district', unit: '500103', as_of: '2023-12-08' })).items;
  assert.equal(cell(items, 't17-press-district', yzId, '2023Q4').light, 'green');

  // a conference dated 2023-09-28 accepted on 2023-11-02: Q3 made up late, yellow, never green
  const late = await fileAccepted(yz, press('2023-09-28'), '2023-11-02');
  items = (await matrix(office, { obligation: 't17-press-district', unit: '500103', as_of: '2023-11-01' })).items;
  assert.equal(cell(items, 't17-press-district', yzId, '2023Q3').light, 'red');
  items = (await matrix(office, { obligation: 't17-press-district', unit: '500103', as_of: '2023-12-09' })).items;
  const q3late = cell(items, 't17-press-district', yzId, '2023Q3');
  assert.equal(q3late.light, 'yellow');
  assert.equal(q3late.status, 'met_late');
  assert.equal(q3late.late, true);
  assert.equal(q3late.count, 1);
  assert.equal(q3late.on_time, 0);
  assert.deepEqual(q3late.report_ids, [late]);
  assert.equal(cell(items, 't17-press-district', yzId, '2023Q4').light, 'yellow');
  assert.equal(cell(items, 't17-press-district', yzId, '2023Q1').light, 'green');

  // the summary of the same cells: 9 closed quarters (2021Q3..2023Q3), 2 on time, 1 late
  const s = await office.get(`/api/v1/plans/${PLAN}/compliance/summary?obligation=t17-press-district&unit=500103&as_of=2023-12-09`);
  assert.equal(s.status, 200, s.text);
  assert.equal(s.json.units.length, 1);
  const u = s.json.units[0];
  assert.equal(u.id, yzId);
  assert.deepEqual([u.green, u.yellow, u.red], [2, 2, 6]);
  assert.deepEqual([u.closed, u.met, u.met_late, u.missed], [9, 2, 1, 6]);
  assert.equal(u.score, 27.8); // (2 + 0.5) / 9
  assert.match(s.json.score_rule, /补报计0.5/);
  // every action is listed (the heat map's columns); only action 3 (task 17) has cells here
  assert.equal(s.json.actions.length, 11);
  assert.deepEqual(s.json.actions.filter(a => a.green + a.yellow + a.red > 0).map(a => [a.no, a.green, a.yellow, a.red]), [[3, 2, 2, 6]]);
  assert.equal(s.json.actions[2].title, '开展新闻宣传与舆论引导行动');
  assert.deepEqual(s.json.matrix, [{ unit_id: yzId, action: 3, green: 2, yellow: 2, red: 6 }]);
});

test('a county owes a press conference per half-year, a zone per quarter', async () => {
  const ckId = U['500229'], ljId = U['两江新区'];
  const id = await fileAccepted(ck, press('2022-03-15'), '2022-03-20');
  const m = await matrix(office, { task: 17, unit: '500229', as_of: '2022-08-01' });
  assert.ok(m.items.every(i => i.obligation.key === 't17-press-county'), 'a county has no quarterly row');
  assert.deepEqual(m.items.map(i => i.period.label), ['2021H2', '2022H1', '2022H2']);
  const h1 = cell(m.items, 't17-press-county', ckId, '2022H1');
  assert.equal(h1.light, 'green');
  assert.deepEqual(h1.report_ids, [id]);
  assert.equal(cell(m.items, 't17-press-county', ckId, '2021H2').light, 'red');
  assert.equal(cell(m.items, 't17-press-county', ckId, '2022H2').status, 'in_progress');
  const z = await matrix(lj, { task: 17, as_of: '2022-08-01' });
  assert.ok(z.items.length > 0 && z.items.every(i => i.obligation.key === 't17-press-district' && i.units[0].id === ljId));
});

test('a joint duty is one row, met by reports of either unit, each report counted once', async () => {
  const ids = [U['市生态环境局'], U['市委宣传部']];
  const body = (date) => ({ kind: 'walking_interview', activity_date: date, title: `行进式采访 ${date}`, tasks: [14] });
  const a = await fileAccepted(xcb, body('2022-05-10'), '2022-05-12');
  const b = await fileAccepted(sthjj, body('2023-04-10'), '2023-04-11');
  const items = (await matrix(office, { obligation: 't14-walking-interview', as_of: '2024-03-01' })).items;
  assert.deepEqual([...new Set(items.map(i => i.units.map(u => u.id).join(',')))], [ids.join(',')], 'one row');
  assert.ok(items.every(i => i.scope === 'joint'));
  const y22 = cell(items, 't14-walking-interview', ids[0], '2022');
  assert.equal(y22.light, 'green');
  assert.deepEqual(y22.report_ids, [a]);
  const y23 = cell(items, 't14-walking-interview', ids[1], '2023');
  assert.equal(y23.light, 'green');
  assert.deepEqual(y23.report_ids, [b]);
  assert.equal(cell(items, 't14-walking-interview', ids[0], '2021').light, 'red');
  // either unit's staff see the joint row; 市委宣传部's reporter may not ask for 渝中区
  const mine = await matrix(xcb, { obligation: 't14-walking-interview', as_of: '2024-03-01' });
  assert.equal(mine.items.length, items.length);
  assertError(await xcb.get(`/api/v1/plans/${PLAN}/compliance?unit=500103`), 403, 'forbidden', 'unit');
});

test('task 79: at least 10 original articles a year, summed over reports', async () => {
  const wzId = U['500101'];
  const art = (date, n) => ({ kind: 'original_article', activity_date: date, title: `原创稿件 ${date}`, tasks: [79], metrics: { articles: n } });
  await fileAccepted(wz, art('2022-03-01', 4), '2022-03-02');
  await fileAccepted(wz, art('2022-06-01', 5), '2022-06-02');
  let items = (await matrix(office, { obligation: 't79-original-articles', unit: '500101', as_of: '2023-03-01' })).items;
  let y = cell(items, 't79-original-articles', wzId, '2022');
  assert.equal(y.count, 9);
  assert.equal(y.minimum, 10);
  assert.equal(y.light, 'red');
  assert.equal(y.report_ids.length, 2);
  assert.equal(y.obligation.metric, 'articles');
  const third = await fileAccepted(wz, art('2022-09-01', 1), '2022-09-05');
  items = (await matrix(office, { obligation: 't79-original-articles', unit: '500101', as_of: '2023-03-01' })).items;
  y = cell(items, 't79-original-articles', wzId, '2022');
  assert.equal(y.count, 10);
  assert.equal(y.light, 'green');
  assert.ok(y.report_ids.includes(third));
  // 2021 from July: 10 × 184/365 rounded up = 6
  assert.equal(cell(items, 't79-original-articles', wzId, '2021').minimum, 6);
});

test('task 51: a school year is met when a report says every school taught at least 12 课时', async () => {
  const yzId = U['500103'];
  const hours = (date, total, met) => ({ kind: 'school_class_hours', activity_date: date, title: `中小学生态文明课时 ${date}`, tasks: [51], metrics: { schools_total: total, schools_met: met, class_hours: 12 * met } });
  const partial = await fileAccepted(yz, hours('2023-06-30', 50, 48), '2023-07-05');
  let items = (await matrix(office, { obligation: 't51-school-class-hours', unit: '500103', as_of: '2023-10-01' })).items;
  let sy = cell(items, 't51-school-class-hours', yzId, '2022-2023学年');
  assert.equal(sy.period.start, '2022-09-01');
  assert.equal(sy.period.end, '2023-08-31');
  assert.equal(sy.count, 0);
  assert.equal(sy.light, 'red');
  assert.deepEqual(sy.report_ids, [partial], 'the partial report is shown behind the cell');
  const full = await fileAccepted(yz, hours('2023-07-10', 50, 50), '2023-07-12');
  items = (await matrix(office, { obligation: 't51-school-class-hours', unit: '500103', as_of: '2023-10-01' })).items;
  sy = cell(items, 't51-school-class-hours', yzId, '2022-2023学年');
  assert.equal(sy.count, 1);
  assert.equal(sy.light, 'green');
  assert.deepEqual(sy.report_ids, [partial, full]);
  // 2020-2021 school year: only July-August in effect, minimum 1 stays 1
  assert.equal(cell(items, 't51-school-class-hours', yzId, '2020-2021学年').minimum, 1);
});

test('progress reports count for the standing tasks they name', async () => {
  const yzId = U['500103'], sthjjId = U['市生态环境局'];
  const progress = (date, tasks) => ({ kind: 'progress_report', activity_date: date, title: `任务进展 ${date}`, tasks });
  const p = await fileAccepted(yz, progress('2022-03-01', [44]), '2022-03-05');
  const items = (await matrix(office, { unit: '500103', period: '2022H1', as_of: '2022-08-01' })).items;
  const t44 = cell(items, 't44-progress', yzId, '2022H1');
  assert.equal(t44.light, 'green');
  assert.deepEqual(t44.report_ids, [p]);
  assert.equal(cell(items, 't47-progress', yzId, '2022H1').light, 'red');
  const q = await fileAccepted(sthjj, progress('2022-04-01', [1, 2]), '2022-04-02');
  const city = (await matrix(office, { unit: '市生态环境局', period: '2022-05-01', as_of: '2022-08-01' })).items;
  assert.deepEqual(cell(city, 't1-progress', sthjjId, '2022H1').report_ids, [q]);
  assert.deepEqual(cell(city, 't2-progress', sthjjId, '2022H1').report_ids, [q]);
  assert.equal(cell(city, 't6-progress', sthjjId, '2022H1').count, 0);
});

test('child units\' reports count for their district', async () => {
  const yzId = U['500103'];
  const s = await sys.post('/api/v1/units', { name: '重庆市渝中区教育委员会', key: '渝中区教委', tier: 'department', parent_id: yzId });
  assert.equal(s.status, 201, s.text);
  const child = s.json.id;
  const id = await fileAccepted(yz, { unit: child, kind: 'culture_product', activity_date: '2022-10-10', title: '生态文化宣传册', tasks: [31], metrics: { products: 1 } }, '2022-10-12');
  const items = (await matrix(office, { obligation: 't31-district-culture-products', unit: '500103', as_of: '2023-02-01' })).items;
  const y = cell(items, 't31-district-culture-products', yzId, '2022');
  assert.equal(y.light, 'green');
  assert.deepEqual(y.report_ids, [id]);
  // the child unit itself owes nothing
  assert.equal((await matrix(office, { unit: child, as_of: '2023-02-01' })).items.length, 0);
  // a district's staff may look at their child unit; another district's may not
  assert.equal((await yz.get(`/api/v1/plans/${PLAN}/compliance?unit=${child}`)).status, 200);
  assertError(await wz.get(`/api/v1/plans/${PLAN}/compliance?unit=${child}`), 403, 'forbidden', 'unit');
});

test('2021 minimums are pro-rated from July (5 → 3, 3 → 2, 1 → 1)', async () => {
  const items = (await matrix(office, { period: '2021', as_of: '2022-03-01' })).items;
  const min = (key) => items.find(i => i.obligation.key === key && i.period.label === '2021').minimum;
  assert.equal(min('t31-city-culture-products'), 3);
  assert.equal(min('t11-case-exchange'), 2);
  assert.equal(min('t73-district-capacity-events'), 2);
  assert.equal(min('t67-city-youth-projects'), 2);
  assert.equal(min('t5-city-exchange'), 1);
  const y22 = (await matrix(office, { obligation: 't31-city-culture-products', period: '2022', as_of: '2023-03-01' })).items;
  assert.equal(y22[0].minimum, 5);
});

test('a once-by-date duty turns yellow 90 days before its date and red after its grace', async () => {
  const id = U['市生态环境局'];
  const at = async (d) => cell((await matrix(office, { obligation: 't82-terminals', as_of: d })).items, 't82-terminals', id, '2023-12-31前');
  let c = await at('2023-10-01'); // 91 days before
  assert.deepEqual([c.status, c.light], ['not_due', 'green']);
  assert.equal(c.period.start, '2021-07-01');
  assert.equal(c.period.end, '2023-12-31');
  c = await at('2023-10-02'); // 90 days before
  assert.deepEqual([c.status, c.light], ['in_progress', 'yellow']);
  c = await at('2024-01-15');
  assert.deepEqual([c.status, c.light], ['in_progress', 'yellow']);
  c = await at('2024-01-16');
  assert.deepEqual([c.status, c.light], ['missed', 'red']);
  // it is among 市生态环境局's duties due in the next 90 days
  const due = await sthjj.get(`/api/v1/units/${id}/obligations-due?as_of=2023-10-15`);
  assert.equal(due.status, 200, due.text);
  const t82 = due.json.items.find(i => i.obligation.key === 't82-terminals');
  assert.ok(t82, 'the once-by-date duty is listed');
  assert.equal(t82.missing, 1);
  assert.equal(t82.period.end, '2023-12-31');
  assert.equal(due.json.until, '2024-01-13');
  // once met, it is green and no longer due
  await fileAccepted(sthjj, { kind: 'terminals_in_place', activity_date: '2023-11-20', title: '宣传终端建成', tasks: [82], metrics: { terminals: 40 } }, '2023-11-22');
  c = await at('2024-03-01');
  assert.deepEqual([c.status, c.light], ['met', 'green']);
  const due2 = await sthjj.get(`/api/v1/units/${id}/obligations-due?as_of=2023-12-01`);
  assert.ok(!due2.json.items.some(i => i.obligation.key === 't82-terminals'));
});

test('a unit\'s next 90 days: open periods ending by as_of + 90, with what is missing', async () => {
  const r = await yz.get('/api/v1/units/500103/obligations-due?as_of=2024-10-20');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.unit.code, '500103');
  assert.equal(r.json.as_of, '2024-10-20');
  assert.equal(r.json.until, '2025-01-18');
  const keys = r.json.items.map(i => `${i.obligation.key} ${i.period.label}`);
  assert.ok(keys.includes('t17-press-district 2024Q4'), keys.join('; '));
  assert.ok(keys.includes('t5-district-seminar 2024'));
  assert.ok(keys.includes('t44-progress 2024H2'));
  assert.ok(!keys.some(k => k.startsWith('t17-press-district 2025Q1')), 'ends after the 90 days');
  assert.ok(!keys.some(k => k.includes('2024Q3')), 'closed periods are not due');
  const t17 = r.json.items.find(i => i.obligation.key === 't17-press-district');
  assert.equal(t17.missing, 1);
  assert.equal(t17.days_left, 72);
  const ends = r.json.items.map(i => i.period.end);
  assert.deepEqual(ends, [...ends].sort(), 'sorted by end date');
  // a period still in its grace is listed; a future period too
  const grace = await yz.get('/api/v1/units/500103/obligations-due?as_of=2024-10-05');
  assert.ok(grace.json.items.some(i => i.obligation.key === 't17-press-district' && i.period.label === '2024Q3'));
  const monthly = await sthjj.get('/api/v1/units/市生态环境局/obligations-due?as_of=2024-10-20');
  const months = monthly.json.items.filter(i => i.obligation.key === 't16-press-month').map(i => [i.period.label, i.future]);
  assert.deepEqual(months, [['2024-10', false], ['2024-11', true], ['2024-12', true]]);
  assertError(await yz.get('/api/v1/units/500101/obligations-due'), 403, 'forbidden');
  assertError(await office.get('/api/v1/units/no-such-unit/obligations-due'), 404, 'not_found');
});

test('the index sees a newly accepted report at once', async () => {
  const wzId = U['500101'];
  const before = cell((await matrix(office, { obligation: 't17-press-district', unit: '500101' })).items, 't17-press-district', wzId, '2025Q4');
  assert.equal(before.light, 'red');
  const r = await wz.post('/api/v1/reports', press('2025-11-20'));
  assert.equal(r.status, 201, r.text);
  const submitted = cell((await matrix(office, { obligation: 't17-press-district', unit: '500101' })).items, 't17-press-district', wzId, '2025Q4');
  assert.equal(submitted.count, 0, 'a submitted report does not count');
  assert.equal((await office.post(`/api/v1/reports/${r.json.id}/review`, { decision: 'accept' })).status, 200);
  // accepted today, long after 2025Q4's grace: made up late
  const after = cell((await matrix(office, { obligation: 't17-press-district', unit: '500101' })).items, 't17-press-district', wzId, '2025Q4');
  assert.equal(after.count, 1);
  assert.equal(after.status, 'met_late');
  assert.equal(after.light, 'yellow');
  assert.deepEqual(after.report_ids, [r.json.id]);
  // and a change of an accepted report by SQL is seen too (the trigger logs it)
  sql(srv, `UPDATE reports SET accepted_date = '2025-11-21' WHERE id = ${r.json.id}`);
  const fixed = cell((await matrix(office, { obligation: 't17-press-district', unit: '500101' })).items, 't17-press-district', wzId, '2025Q4');
  assert.equal(fixed.light, 'green');
  assert.equal(fixed.count, 1);
});

test('every duty of DOMAIN.md\'s table is in the matrix for the right units', async () => {
  const m = await matrix(office, { as_of: '2026-10-01' }); // every period closed, 2025-2026学年 too
  assert.equal(m.as_of, '2026-10-01');
  assert.equal(m.plan.code, PLAN);
  const obls = (await office.get(`/api/v1/plans/${PLAN}/obligations?limit=1000`)).json.items;
  assert.equal(obls.length, 89);
  const byTier = (tiers) => U.all.filter(u => tiers.includes(u.tier) && u.active !== false).map(u => u.id).sort((a, b) => a - b);
  const rows = new Map(); // key → Set of unit-id lists
  const periods = new Map(); // key|units → labels
  for (const i of m.items) {
    const us = i.units.map(u => u.id).join(',');
    if (!rows.has(i.obligation.key)) rows.set(i.obligation.key, new Set());
    rows.get(i.obligation.key).add(us);
    const k = `${i.obligation.key}|${us}`;
    if (!periods.has(k)) periods.set(k, []);
    periods.get(k).push(i.period.label);
  }
  for (const o of obls) {
    const got = rows.get(o.key);
    assert.ok(got, `${o.key} missing from the matrix`);
    if (o.who.kind === 'units') {
      assert.deepEqual([...got], [o.who.units.map(u => u.id).join(',')], `${o.key}: one row owed jointly`);
    } else if (o.who.kind === 'tiers') {
      const want = byTier(o.who.tiers);
      assert.deepEqual([...got].map(Number).sort((a, b) => a - b), want, `${o.key}: one row per unit of ${o.who.tiers}`);
    } else {
      assert.deepEqual([...got], [String(U['市生态环境局'])], `${o.key}: city-wide row owed by 市生态环境局`);
    }
  }
  // task 17: quarterly for the 26 districts and 3 zones, half-yearly for the 12 counties
  assert.equal(rows.get('t17-press-district').size, 29);
  assert.equal(rows.get('t17-press-county').size, 12);
  assert.equal(periods.get(`t17-press-district|${U['500103']}`).length, 18); // 2021Q3 .. 2025Q4
  assert.equal(periods.get(`t17-press-county|${U['500229']}`).length, 9); // 2021H2 .. 2025H2
  assert.equal(rows.get('t5-district-seminar').size, 26 + 12 + 3); // the 41 district-level units
  assert.equal(periods.get(`t16-press-month|${U['市生态环境局']}`).length, 54);
  assert.equal(periods.get(`t51-school-class-hours|${U['500103']}`).length, 6);
  const facility = m.items.filter(i => i.obligation.key === 't74-facility-opening');
  assert.equal(facility.length, 27); // 2021-07~08 .. 2025-11~12
  assert.ok(facility.every(i => i.scope === 'city_wide' && /全市/.test(i.note)));
  assert.equal(facility[0].period.label, '2021-07~08');
  // school years that lie less than half inside the plan are shown, grey, and not assessed
  // (issue 19 defect 9): 2020-2021 (62 of 365 days) and 2025-2026 (122 of 365)
  const school = m.items.filter(i => i.obligation.key === 't51-school-class-hours' && i.units[0].id === U['500103']);
  assert.deepEqual(school.map(i => [i.period.label, i.light]),
    [['2020-2021学年', 'grey'], ['2021-2022学年', school[1].light], ['2022-2023学年', school[2].light],
      ['2023-2024学年', school[3].light], ['2024-2025学年', school[4].light], ['2025-2026学年', 'grey']]);
  assert.equal(school[0].status, 'not_assessed');
  assert.match(school[0].not_assessed_reason, /^本周期仅 16% 在义务实施期（2021年7月1日 至 2025年12月31日）内，不足 50%，不考核$/);
  assert.match(school[5].not_assessed_reason, /仅 33% /);
  assert.ok(school.slice(1, 5).every(i => i.light !== 'grey' && !('not_assessed_reason' in i)));
  // 2021 is half in the plan (184 of 365 days): assessed, with its minimum scaled
  const y2021 = m.items.find(i => i.obligation.key === 't5-district-seminar' && i.units[0].id === U['500103'] && i.period.label === '2021');
  assert.notEqual(y2021.light, 'grey');
  const grey = m.items.filter(i => i.light === 'grey');
  assert.ok(grey.length > 0 && grey.every(i => i.obligation.key === 't51-school-class-hours'), 'only the straddling school years');
  for (const i of m.items) assert.ok(['green', 'yellow', 'red', 'grey'].includes(i.light));
  // the plan ended: every period is closed
  assert.ok(m.items.every(i => ['met', 'met_late', 'missed', 'not_assessed'].includes(i.status)));
});

test('task 74: facility openings of any unit count for the city-wide row', async () => {
  const id = await fileAccepted(yz, { kind: 'facility_opening', activity_date: '2023-03-05', title: '污水处理厂公众开放日', tasks: [74], metrics: { participants: 80 } }, '2023-03-06');
  const c = cell((await matrix(office, { obligation: 't74-facility-opening', as_of: '2023-06-01' })).items, 't74-facility-opening', U['市生态环境局'], '2023-03~04');
  assert.equal(c.light, 'green');
  assert.deepEqual(c.report_ids, [id]);
});

test('filters: light, period, task; pagination with limit and cursor', async () => {
  const red = await matrix(office, { unit: '500103', light: 'red', as_of: '2023-12-09' });
  assert.ok(red.items.length > 0 && red.items.every(i => i.light === 'red'));
  const gy = await matrix(office, { unit: '500103', light: 'green,yellow', as_of: '2023-12-09' });
  assert.ok(gy.items.every(i => i.light !== 'red'));
  const grey = await matrix(office, { unit: '500103', light: 'grey', as_of: '2023-12-09' });
  assert.deepEqual(grey.items.map(i => i.period.label), ['2020-2021学年']);
  const all = await matrix(office, { unit: '500103', as_of: '2023-12-09' });
  assert.equal(red.items.length + gy.items.length + grey.items.length, all.items.length);
  const byDate = await matrix(office, { unit: '500103', period: '2023-08-15', as_of: '2023-12-09' });
  assert.ok(byDate.items.every(i => i.period.start <= '2023-08-15' && i.period.end >= '2023-08-15'));
  assert.ok(byDate.items.some(i => i.period.label === '2023Q3') && byDate.items.some(i => i.period.label === '2022-2023学年'));
  const t5 = await matrix(office, { task: 5, as_of: '2022-02-01' });
  assert.ok(t5.items.every(i => i.obligation.task === 5));
  // action: the duties of its tasks only (action 3 holds tasks 13-21, the press conferences)
  const a3 = await matrix(office, { action: 3, unit: '500103', as_of: '2023-12-09' });
  assert.ok(a3.items.length > 0 && a3.items.every(i => i.obligation.action === 3));
  assert.ok(a3.items.some(i => i.obligation.task === 17));
  assert.equal(a3.items.length, all.items.filter(i => i.obligation.action === 3).length);
  const s3 = (await office.get(`/api/v1/plans/${PLAN}/compliance/summary?action=3&as_of=2023-12-09`)).json;
  assert.deepEqual(s3.actions.filter(a => a.green + a.yellow + a.red > 0).map(a => a.no), [3]);
  const p1 = await matrix(office, { unit: '500103', as_of: '2023-12-09', limit: 10 });
  assert.equal(p1.items.length, 10);
  assert.ok(p1.next_cursor);
  const p2 = await matrix(office, { unit: '500103', as_of: '2023-12-09', limit: 1000, cursor: p1.next_cursor });
  assert.equal(p2.next_cursor, null);
  assert.deepEqual([...p1.items, ...p2.items], all.items);
});

test('unit scoping: unit-scoped roles see their own unit\'s rows; wide roles see all', async () => {
  const own = await matrix(yz, { as_of: '2023-12-09' });
  assert.ok(own.items.length > 0);
  assert.ok(own.items.every(i => i.units.some(u => u.id === U['500103'])));
  const admin = await matrix(yzAdmin, { as_of: '2023-12-09' });
  assert.equal(admin.items.length, own.items.length);
  assertError(await yz.get(`/api/v1/plans/${PLAN}/compliance?unit=500101`), 403, 'forbidden', 'unit');
  assertError(await yzAdmin.get(`/api/v1/plans/${PLAN}/compliance/summary?unit=500101`), 403, 'forbidden', 'unit');
  for (const c of [leader, evaluator, office]) {
    const m = await matrix(c, { obligation: 't17-press-district', as_of: '2023-12-09' });
    assert.equal(new Set(m.items.map(i => i.units[0].id)).size, 29);
  }
  const s = await yz.get(`/api/v1/plans/${PLAN}/compliance/summary?as_of=2023-12-09`);
  assert.deepEqual(s.json.units.map(u => u.id), [U['500103']]);
  const wide = await leader.get(`/api/v1/plans/${PLAN}/compliance/summary?as_of=2023-12-09`);
  assert.ok(wide.json.units.length > 44);
  assert.ok(wide.json.actions.length >= 10);
  assert.ok(wide.json.matrix.every(c => c.green + c.yellow + c.red > 0));
});

test('bad input: as_of outside the plan or malformed (422), unknown plan (404), bad filters (422)', async () => {
  const base = `/api/v1/plans/${PLAN}/compliance`;
  assertError(await office.get(`${base}?as_of=2021-06-30`), 422, 'rule_violation', 'as_of');
  assertError(await office.get(`${base}?as_of=2023-02-30`), 422, 'rule_violation', 'as_of');
  assertError(await office.get(`${base}?as_of=yesterday`), 422, 'rule_violation', 'as_of');
  assertError(await office.get(`${base}/summary?as_of=2020-12-31`), 422, 'rule_violation', 'as_of');
  assertError(await office.get('/api/v1/units/500103/obligations-due?as_of=2021-01-01'), 422, 'rule_violation', 'as_of');
  assert.equal((await office.get(`${base}?as_of=2021-07-01&obligation=t17-press-district`)).status, 200);
  assert.equal((await office.get(`${base}?as_of=2030-01-01&obligation=t17-press-district`)).status, 200, 'after the plan is fine');
  assertError(await office.get(`${base}?light=blue`), 422, 'rule_violation', 'light');
  assertError(await office.get(`${base}?obligation=t999-none`), 422, 'rule_violation', 'obligation');
  assertError(await office.get(`${base}?unit=no-such-unit`), 422, 'rule_violation', 'unit');
  assertError(await office.get(`${base}?task=abc`), 400, 'bad_request', 'task');
  assertError(await office.get(`${base}?action=0`), 422, 'rule_violation', 'action');
  assertError(await office.get('/api/v1/plans/no-such-plan/compliance'), 404, 'not_found');
  assertError(await office.get(`${base}?cursor=-5`), 400, 'bad_request', 'cursor');
});

test('calendar feed: private .ics URL, RFC 5545 structure, revocation → 404', async () => {
  const c = await yz.post('/api/v1/calendar-feeds', {});
  assert.equal(c.status, 201, c.text);
  assert.equal(c.json.unit.id, U['500103']);
  assert.match(c.json.path, /^\/api\/v1\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
  assert.ok(c.json.url.endsWith(c.json.path));
  const token = c.json.path.slice('/api/v1/calendar/'.length, -4);
  assert.equal(sql(srv, `SELECT count(*) FROM calendar_feeds WHERE token_hash LIKE '%${token}%'`).trim(), '0', 'only a hash is stored');
  const list = await yz.get('/api/v1/calendar-feeds');
  assert.equal(list.json.items[0].id, c.json.id);
  assert.equal(list.json.items[0].revoked_at, null);
  assert.ok(!JSON.stringify(list.json).includes(token), 'the URL is shown only once');

  // calendar apps send no cookie
  const anon = srv.client();
  const ics = await anon.get(`${c.json.path}?as_of=2023-10-20`);
  assert.equal(ics.status, 200, ics.text);
  assert.match(ics.headers.get('content-type'), /^text\/calendar/);
  const text = ics.text;
  assert.ok(text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n'));
  assert.ok(text.endsWith('END:VCALENDAR\r\n'));
  assert.ok(!/[^\r]\n/.test(text), 'every line ends in CRLF');
  for (const line of text.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, `line over 75 octets: ${line}`);
  const unfolded = text.replace(/\r\n /g, '');
  const events = unfolded.split('BEGIN:VEVENT').slice(1);
  assert.ok(events.length > 0);
  assert.equal(events.length, (unfolded.match(/END:VEVENT/g) || []).length);
  for (const e of events) {
    assert.match(e, /\r\nUID:[^\r]+@ecoact\r\n/);
    assert.match(e, /\r\nDTSTAMP:\d{8}T\d{6}Z\r\n/);
    assert.match(e, /\r\nDTSTART;VALUE=DATE:\d{8}\r\n/);
    assert.match(e, /\r\nSUMMARY:[^\r]*[\u4e00-\u9fff][^\r]*\r\n/);
  }
  const q4 = events.find(e => e.includes('DTSTART;VALUE=DATE:20231231') && e.includes('新闻发布会'));
  assert.ok(q4, 'the 2023Q4 press conference due on its last day');
  assert.match(q4, /SUMMARY:【渝中区】.*2023年12月31日截止：还差1次/);
  // people read it (issue 19): dates in 年月日, no period or duty codes, no plan code
  assert.doesNotMatch(unfolded.replace(/\r\nUID:[^\r]+/g, ''), /\d{4}Q\d|\d{4}-\d{2}-\d{2}|t\d+-[a-z]|cq-2021-2025/);
  const uids = events.map(e => /UID:([^\r]+)/.exec(e)[1]);
  assert.equal(new Set(uids).size, uids.length, 'UIDs are unique');
  const again = await anon.get(`${c.json.path}?as_of=2023-10-20`);
  assert.deepEqual(again.text.match(/UID:[^\r]+/g), text.match(/UID:[^\r]+/g), 'UIDs are stable');

  // another unit cannot revoke it; the owner can; then 404
  assertError(await wz.del(`/api/v1/calendar-feeds/${c.json.id}`), 404, 'not_found');
  const d = await yz.del(`/api/v1/calendar-feeds/${c.json.id}`);
  assert.equal(d.status, 200, d.text);
  assert.equal(d.json.revoked, true);
  assertError(await anon.get(c.json.path), 404, 'not_found');
  assertError(await anon.get('/api/v1/calendar/' + 'A'.repeat(43) + '.ics'), 404, 'not_found');
  assertError(await anon.get('/api/v1/calendar/short.ics'), 404, 'not_found');
  assert.notEqual((await yz.get('/api/v1/calendar-feeds')).json.items[0].revoked_at, null);

  // unit-scoped roles create feeds for their own unit only; the office for any unit
  assertError(await yz.post('/api/v1/calendar-feeds', { unit: '500101' }), 403, 'forbidden', 'unit');
  const o = await office.post('/api/v1/calendar-feeds', { unit: '500229', name: '城口县日历' });
  assert.equal(o.status, 201, o.text);
  assert.equal(o.json.name, '城口县日历');
  const ck2 = await anon.get(`${o.json.path}?as_of=2023-05-01`);
  assert.equal(ck2.status, 200);
  assert.match(ck2.text.replace(/\r\n /g, ''), /SUMMARY:【城口县】.*2023年6月30日截止/);
  assertError(await office.post('/api/v1/calendar-feeds', { plan: 'no-such-plan' }), 422, 'rule_violation', 'plan');
  assertError(await office.post('/api/v1/calendar-feeds', { colour: 1 }), 400, 'bad_request', 'colour');
});

test('plan versions: the published version by default, a draft on request', async () => {
  const q = (v) => office.get(`/api/v1/plans/${PLAN}/compliance?obligation=t17-press-district&unit=500103&as_of=2022-01-10${v}`);
  const pub = await q('');
  assert.equal(pub.json.plan.version, 1);
  assert.equal(pub.json.plan.draft, false);
  assert.equal((await q('&version=1')).status, 200);
  assertError(await q('&version=draft'), 404, 'not_found');
  assertError(await q('&version=0'), 422, 'rule_violation', 'version');
  const d = await office.post(`/api/v1/plans/${PLAN}/drafts`, {});
  assert.equal(d.status, 201, d.text);
  const draft = await q('&version=draft');
  assert.equal(draft.status, 200, draft.text);
  assert.equal(draft.json.plan.draft, true);
  assert.deepEqual(draft.json.items.map(i => [i.period.label, i.light]), pub.json.items.map(i => [i.period.label, i.light]));
  assert.equal((await office.del(`/api/v1/plans/${PLAN}`)).status, 200);
});

/** A second app server on the same database (as behind a load balancer), signed in as the office. */
async function secondServer() {
  const two = await serve(srv, { name: 'second' });
  return { c: await two.login('demo.office'), stop: two.stop };
}

test('two app servers on one database: a report accepted on one is counted by the other at once', async () => {
  const ybId = U['500112'];
  const two = await secondServer();
  try {
    const q = `/api/v1/plans/${PLAN}/compliance?obligation=t17-press-district&unit=500112&period=2025Q4`;
    const before = await two.c.get(q); // the second server loads its index now
    assert.equal(before.status, 200, before.text);
    assert.equal(before.json.items[0].count, 0);
    const r = await office.post('/api/v1/reports', { ...press('2025-10-10'), unit: '500112' });
    assert.equal(r.status, 201, r.text);
    assert.equal((await office2.post(`/api/v1/reports/${r.json.id}/review`, { decision: 'accept' })).status, 200);
    const after = await two.c.get(q);
    assert.deepEqual(after.json.items[0].report_ids, [r.json.id]);
    assert.equal(after.json.items[0].units[0].id, ybId);
    assert.equal(after.json.items[0].status, 'met_late');
    // a report no longer accepted (an operator's correction) drops out on both
    sql(srv, `UPDATE reports SET status = 'returned', accepted_date = NULL, return_reason = '误审' WHERE id = ${r.json.id}`);
    assert.equal((await two.c.get(q)).json.items[0].count, 0);
    assert.equal((await office.get(q)).json.items[0].count, 0);
  } finally {
    await two.stop();
  }
});
