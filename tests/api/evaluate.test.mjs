// evaluate.test.mjs - the annual evaluation (issue 3 §5) through the API: a strong and a weak
// district ranked from the reports they file (the rest of the districts tied behind them, counties
// ranked apart), the evaluator's score entering the total with its weight (and a missing score
// spreading its weight), the drill-down to periods, reports and notices, year-on-year change,
// publication freezing a year (409 for later scores and a second publication; later reports and
// rubric changes leave it as published), the rubric as versioned data, unit scoping (a reporter
// reads only its own scorecard), the .xlsx exports, the final 2021-2025 evaluation, draft notices
// for red items, and bad input.
//
// As in comply.test.mjs, the ledger stamps acceptance with today's date (after the plan), so the
// tests set reports.accepted_date afterwards with sql() to replay history; notices' deadlines
// and answer dates are set the same way (a notice's deadline cannot be in the past when drafted).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, assertError, sql } from './lib.mjs';

const PLAN = 'cq-2021-2025';
const E = `/api/v1/plans/${PLAN}/evaluations`;
let srv, office, evaluator, leader, yz, yzAdmin, wz, ck, sys;

before(async () => {
  srv = await startServer({ name: 'evaluate' });
  [office, evaluator, leader, yz, yzAdmin, wz, ck, sys] = await Promise.all(
    ['demo.office', 'demo.evaluator', 'demo.leader', 'demo.yuzhong', 'demo.yuzhong.admin', 'demo.wanzhou',
      'demo.chengkou', 'demo.sysadmin'].map(u => srv.login(u)));
});
after(async () => { await srv.stop(); });

async function fileAccepted(client, body, acceptedDate) {
  const r = await client.post('/api/v1/reports', body);
  assert.equal(r.status, 201, r.text);
  const a = await office.post(`/api/v1/reports/${r.json.id}/review`, { decision: 'accept' });
  assert.equal(a.status, 200, a.text);
  sql(srv, `UPDATE reports SET accepted_date = '${acceptedDate}' WHERE id = ${r.json.id}`);
  return r.json.id;
}

const rep = (kind, date, tasks, metrics) => ({ kind, activity_date: date, title: `${kind} ${date}`, tasks, ...(metrics ? { metrics } : {}) });
/** Every district duty of 2023 met on time: 16 closed periods. */
const all2023 = [
  rep('seminar', '2023-04-12', [5]),
  rep('press_conference', '2023-02-10', [17]), rep('press_conference', '2023-05-20', [17]),
  rep('press_conference', '2023-08-15', [17]), rep('press_conference', '2023-11-09', [17]),
  rep('culture_product', '2023-06-05', [31]),
  rep('school_class_hours', '2023-06-30', [51], { schools_total: 120, schools_met: 120, class_hours: 1440 }),
  rep('youth_project', '2023-03-12', [67]), rep('youth_project', '2023-07-01', [67]), rep('youth_project', '2023-10-10', [67]),
  rep('capacity_event', '2023-03-20', [73]), rep('capacity_event', '2023-06-20', [73]), rep('capacity_event', '2023-09-20', [73]),
  rep('online_campaign', '2023-06-05', [79]),
  rep('original_article', '2023-05-01', [79], { articles: 6 }), rep('original_article', '2023-09-01', [79], { articles: 5 }),
  rep('publicity_product', '2023-08-15', [79]),
  rep('progress_report', '2023-06-25', [44]), rep('progress_report', '2023-12-20', [44]),
  rep('progress_report', '2023-06-26', [47]), rep('progress_report', '2023-12-21', [47]),
];
const card = (items, code) => items.find(i => i.unit.code === code);
const comp = (c, key) => c.components.find(x => x.key === key);
let yzPress = [];

test('a strong and a weak district are ranked from the reports they file; the others tie behind them', async () => {
  for (const body of all2023) {
    const id = await fileAccepted(yz, body, body.activity_date);
    if (body.kind === 'press_conference') yzPress.push(id);
  }
  // 万州区: one quarter's conference on time, the seminar only made up late (补报)
  await fileAccepted(wz, rep('press_conference', '2023-02-15', [17]), '2023-02-20');
  await fileAccepted(wz, rep('seminar', '2023-11-20', [5]), '2024-02-20');

  const r = await office.get(`${E}/2023?tier=district&as_of=2026-06-01`);
  assert.equal(r.status, 200, r.text);
  const d = r.json;
  assert.equal(d.published, false);
  assert.equal(d.year, 2023);
  assert.equal(d.items.length, 26, 'the 26 districts only');
  assert.ok(d.items.every(i => i.unit.tier === 'district'));
  const y = card(d.items, '500103'), w = card(d.items, '500101');
  assert.deepEqual([comp(y, 'compliance').closed, comp(y, 'compliance').met], [16, 16]);
  assert.equal(comp(y, 'compliance').raw, 100);
  assert.equal(comp(y, 'timeliness').raw, 100, 'no notice was due: full marks');
  assert.equal(comp(y, 'evaluator').missing, true);
  assert.equal(comp(y, 'compliance').applied_weight, 80, 'the missing evaluator weight is spread: 60/75');
  assert.equal(y.total, 100);
  assert.equal(y.rank, 1);
  assert.equal(y.rank_of, 26);
  // (1 + 0.5) / 16 = 9.38 → 9.38 × 0.8 + 100 × 0.2
  assert.deepEqual([comp(w, 'compliance').met, comp(w, 'compliance').met_late, comp(w, 'compliance').missed], [1, 1, 14]);
  assert.equal(comp(w, 'compliance').raw, 9.38);
  assert.equal(w.total, 27.5);
  assert.equal(w.rank, 2);
  // the others: nothing on record, a tie for third place (ties share the rank)
  const rest = d.items.filter(i => !['500103', '500101'].includes(i.unit.code));
  assert.ok(rest.every(i => i.total === 20 && i.rank === 3), JSON.stringify(rest[0]));
  assert.deepEqual(d.items.slice(0, 2).map(i => i.unit.code), ['500103', '500101'], 'sorted by rank');
  assert.match(d.rank_rule, /并列/);
  // counties are ranked among the 12 counties, zones among 3
  const c = (await office.get(`${E}/2023?tier=county&as_of=2026-06-01`)).json.items;
  assert.equal(c.length, 12);
  assert.ok(c.every(i => i.rank === 1 && i.rank_of === 12));
  const z = (await office.get(`${E}/2023?tier=zone&as_of=2026-06-01`)).json.items;
  assert.deepEqual(z.map(i => i.rank_of), [3, 3, 3]);
  // all units: the 41 district-level units and the city departments that owe duties
  const all = (await leader.get(`${E}/2023`)).json;
  assert.equal(all.items.filter(i => ['district', 'county', 'zone'].includes(i.unit.tier)).length, 41);
  assert.ok(all.items.some(i => i.unit.name === '市生态环境局' && i.unit.tier === 'city_department'));
  assert.ok(!all.items.some(i => i.unit.name === '市民政局'), 'a department that owes nothing is not evaluated');
});

test('the drill-down names the periods and the reports behind each compliance point', async () => {
  const r = await office.get(`${E}/2023/units/500103?as_of=2026-06-01`);
  assert.equal(r.status, 200, r.text);
  const dd = r.json.drilldown;
  assert.equal(dd.compliance.length, 16);
  assert.ok(dd.compliance.every(i => i.status === 'met' && i.credit === 1 && i.report_ids.length > 0));
  const press = dd.compliance.filter(i => i.obligation.key === 't17-press-district');
  assert.deepEqual(press.map(i => i.period.label), ['2023Q1', '2023Q2', '2023Q3', '2023Q4']);
  assert.deepEqual(press.flatMap(i => i.report_ids), yzPress);
  assert.equal(press[2].deadline, '2023-10-15');
  const school = dd.compliance.find(i => i.obligation.key === 't51-school-class-hours');
  assert.equal(school.period.label, '2022-2023学年', 'a school year belongs to the year it ends in');
  const w = (await office.get(`${E}/2023/units/500101?as_of=2026-06-01`)).json.drilldown.compliance;
  const seminar = w.find(i => i.obligation.key === 't5-district-seminar');
  assert.deepEqual([seminar.status, seminar.light, seminar.credit], ['met_late', 'yellow', 0.5]);
  assert.equal(w.find(i => i.period.label === '2023Q3').status, 'missed');
  assert.deepEqual(r.json.drilldown.notices, []);
  assert.deepEqual(r.json.drilldown.scores, []);
});

test('the evaluator\'s score enters the total with its weight; one score per evaluator, replaced', async () => {
  const put = (unit, body, c = evaluator) => c.put(`${E}/2023/scores/${unit}`, body);
  const r = await put('500101', { score: 88, comment: '宣传工作有一定基础，但多项任务未按期完成。' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.score, 88);
  assert.equal(r.json.created, true);
  const again = await put('500101', { score: 90, comment: '复核后调整评分。' });
  assert.equal(again.status, 200, again.text);
  assert.equal(again.json.created, false);
  const w = card((await office.get(`${E}/2023?tier=district&as_of=2026-06-01`)).json.items, '500101');
  assert.equal(comp(w, 'evaluator').raw, 90);
  assert.equal(comp(w, 'evaluator').points, 22.5);
  assert.equal(comp(w, 'evaluator').scores, 1);
  assert.equal(comp(w, 'compliance').applied_weight, 60);
  // 9.38 × 0.6 + 100 × 0.15 + 90 × 0.25 = 5.63 + 15 + 22.5
  assert.equal(w.total, 43.13);
  assert.equal(w.rank, 2);
  const dd = (await office.get(`${E}/2023/units/500101?as_of=2026-06-01`)).json.drilldown.scores;
  assert.equal(dd.length, 1);
  assert.equal(dd[0].evaluator.name, '赵评估');
  assert.equal(dd[0].score, 90);
  assert.match(dd[0].comment, /复核/);
});

test('bad scores: 422 naming the field, 400 for a wrong type, 404 for an unknown unit, 403 for others', async () => {
  const put = (unit, body, c = evaluator) => c.put(`${E}/2023/scores/${unit}`, body);
  assertError(await put('500101', { score: 120, comment: 'x' }), 422, 'rule_violation', 'score');
  assertError(await put('500101', { score: -1, comment: 'x' }), 422, 'rule_violation', 'score');
  assertError(await put('500101', { score: 88.555, comment: 'x' }), 422, 'rule_violation', 'score');
  assertError(await put('500101', { score: '88', comment: 'x' }), 400, 'bad_request', 'score');
  assertError(await put('500101', { comment: 'x' }), 400, 'bad_request', 'score');
  assertError(await put('500101', { score: 80 }), 400, 'bad_request', 'comment');
  assertError(await put('500101', { score: 80, comment: 'x', extra: 1 }), 400, 'bad_request', 'extra');
  assertError(await put('999999', { score: 80, comment: 'x' }), 404, 'not_found', 'unit');
  assertError(await put('市民政局', { score: 80, comment: 'x' }), 422, 'rule_violation', 'unit');
  assertError(await evaluator.put(`${E}/2030/scores/500101`, { score: 80, comment: 'x' }), 404, 'not_found');
  assertError(await put('500101', { score: 80, comment: 'x' }, office), 403, 'forbidden');
  assertError(await put('500101', { score: 80, comment: 'x' }, yz), 403, 'forbidden');
  // nothing was changed by the refused requests
  const w = card((await office.get(`${E}/2023?tier=district&as_of=2026-06-01`)).json.items, '500101');
  assert.equal(comp(w, 'evaluator').raw, 90);
});

test('year-on-year change: points and rank against the year before', async () => {
  const d = (await office.get(`${E}/2023?tier=district&as_of=2026-06-01`)).json.items;
  const y = card(d, '500103'), w = card(d, '500101');
  assert.deepEqual(y.previous, { year: 2022, total: 20, rank: 1 }, '2022: nothing on record, all tied');
  assert.deepEqual(y.change, { points: 80, rank: 0 });
  assert.equal(w.change.points, 23.13);
  assert.equal(w.change.rank, -1, 'from a shared first place to second');
  const first = card((await office.get(`${E}/2021?tier=district`)).json.items, '500103');
  assert.equal(first.previous, null, 'the plan\'s first year has no year before');
  assert.equal(first.change, null);
});

test('the timeliness of answers to dispatch notices: by the deadline, late, unanswered', async () => {
  // notices are drafted with a deadline from today on; their dates are set into 2024 afterwards
  const make = async (title) => {
    const r = await office.post('/api/v1/notices', { unit: '500101', task: 17, title, requirements: '请按季度召开新闻发布会。', deadline: '2026-12-31', issue: true });
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  };
  const late = await make('关于万州区新闻发布会的督办（一）');
  const never = await make('关于万州区新闻发布会的督办（二）');
  const ontime = await make('关于万州区新闻发布会的督办（三）');
  for (const id of [late, ontime]) {
    assert.equal((await wz.post(`/api/v1/notices/${id}/sign`, {})).status, 200);
    const a = await wz.post(`/api/v1/notices/${id}/answer`, { progress: '已召开发布会', next_steps: '按季度召开' });
    assert.equal(a.status, 200, a.text);
  }
  const at = Math.floor(Date.parse('2024-04-01T02:00:00Z') / 1000);
  sql(srv, `UPDATE notices SET deadline = '2024-05-01', answered_date = '2024-05-10', issued_at = ${at} WHERE id = ${late}`);
  sql(srv, `UPDATE notices SET deadline = '2024-06-01', issued_at = ${at} WHERE id = ${never}`);
  sql(srv, `UPDATE notices SET deadline = '2024-07-01', answered_date = '2024-06-20', issued_at = ${at} WHERE id = ${ontime}`);
  const r = await office.get(`${E}/2024/units/500101?as_of=2026-06-01`);
  assert.equal(r.status, 200, r.text);
  const t = comp(r.json, 'timeliness');
  assert.deepEqual([t.notices, t.on_time, t.late, t.unanswered, t.pending], [3, 1, 1, 1, 0]);
  assert.equal(t.raw, 50, '(1 + 0.5 + 0) / 3');
  const outcomes = Object.fromEntries(r.json.drilldown.notices.map(n => [n.id, n.outcome]));
  assert.deepEqual(outcomes, { [late]: 'late', [never]: 'unanswered', [ontime]: 'on_time' });
  // as of a day before the last deadline, that notice is still open and not counted
  const before = comp((await office.get(`${E}/2024/units/500101?as_of=2024-06-10`)).json, 'timeliness');
  assert.deepEqual([before.on_time, before.late, before.unanswered, before.pending], [0, 1, 1, 1]);
});

test('a unit reporter reads only its own scorecard', async () => {
  const mine = await yz.get(`${E}/2023?as_of=2026-06-01`);
  assert.equal(mine.status, 200, mine.text);
  assert.deepEqual(mine.json.items.map(i => i.unit.code), ['500103']);
  assert.equal(mine.json.items[0].rank, 1, 'its rank among all districts');
  assert.equal((await yz.get(`${E}/2023/units/500103`)).status, 200);
  assertError(await yz.get(`${E}/2023/units/500101`), 403, 'forbidden', 'unit');
  assertError(await yz.get(`${E}/2023?unit=500101`), 403, 'forbidden', 'unit');
  assertError(await yzAdmin.get(`${E}/2023/units/500101`), 403, 'forbidden', 'unit');
  assertError(await wz.get(`${E}/final?unit=500103`), 403, 'forbidden', 'unit');
  const fin = await wz.get(`${E}/final`);
  assert.deepEqual(fin.json.items.map(i => i.unit.code), ['500101']);
  assertError(await sys.get(`${E}/2023`), 403, 'forbidden');
  const x = await ck.get(`${E}/2023.xlsx`);
  assert.equal(x.status, 200);
  const strings = unzip(x.buf, 'xl/sharedStrings.xml');
  assert.match(strings, /城口县/);
  assert.doesNotMatch(strings, /渝中区/, 'the export holds the caller\'s unit only');
});

function unzip(buf, part) {
  const f = join(srv.dir, `x-${Date.now()}-${Math.random()}.xlsx`);
  writeFileSync(f, buf);
  return execFileSync('unzip', ['-p', f, part], { encoding: 'utf8' });
}

test('the .xlsx exports: 总表 with ranks and 明细 per unit and component; bold headers, widths, frozen header row', async () => {
  const r = await office.get(`${E}/2023.xlsx?tier=district&as_of=2026-06-01`);
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /spreadsheetml/);
  assert.match(r.headers.get('content-disposition'), /attachment/);
  const book = unzip(r.buf, 'xl/workbook.xml');
  assert.match(book, /<sheet name="总表"/);
  assert.match(book, /<sheet name="明细"/);
  const strings = unzip(r.buf, 'xl/sharedStrings.xml');
  for (const s of ['类别内排名', '渝中区', '万州区', '履职合规', '督办反馈及时性', '第三方评估', '已结束周期 16 个：按时完成 16，补报 0，未完成 0'])
    assert.ok(strings.includes(s), `missing ${s}`);
  const sheet1 = unzip(r.buf, 'xl/worksheets/sheet1.xml');
  assert.match(sheet1, /<pane [^>]*state="frozen"/);
  assert.match(sheet1, /<cols>/);
  assert.equal((sheet1.match(/<row /g) || []).length, 2 + 26, 'title, header and 26 districts');
  assert.match(sheet1, /<v>100<\/v>/, '渝中区\'s total');
  assert.match(unzip(r.buf, 'xl/styles.xml'), /<b\/>/);
  const sheet2 = unzip(r.buf, 'xl/worksheets/sheet2.xml');
  assert.equal((sheet2.match(/<row /g) || []).length, 2 + 26 * 3, 'a row per unit and component');
  const f = await office.get(`${E}/final.xlsx`);
  assert.equal(f.status, 200);
  const fs = unzip(f.buf, 'xl/sharedStrings.xml');
  assert.ok(fs.includes('终期得分') && fs.includes('2021年总分（6个月）'), fs.slice(0, 400));
  assert.match(unzip(f.buf, 'xl/workbook.xml'), /<sheet name="明细"/);
});

test('publishing freezes a year: later scores 409, later reports and rubric changes leave it as published', async () => {
  assertError(await evaluator.post(`${E}/2023/publish`), 403, 'forbidden');
  assertError(await office.post(`${E}/2031/publish`), 404, 'not_found');
  const before = card((await office.get(`${E}/2023?tier=district`)).json.items, '500101');
  const p = await office.post(`${E}/2023/publish`);
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.published, true);
  assert.equal(p.json.units, 47);
  assert.equal(p.json.rubric.version, 1);
  assertError(await office.post(`${E}/2023/publish`), 409, 'conflict', 'year');
  assertError(await evaluator.put(`${E}/2023/scores/500101`, { score: 99, comment: '发布后修改' }), 409, 'conflict', 'year');
  // a report made up for 2023 now, and a new rubric: the published year does not move
  await fileAccepted(wz, rep('press_conference', '2023-05-10', [17]), '2026-06-01');
  const rb = await office.put(`/api/v1/plans/${PLAN}/rubric`, { weights: { compliance: 50, timeliness: 20, evaluator: 30 }, note: '2024年起调整权重' });
  assert.equal(rb.status, 200, rb.text);
  assert.equal(rb.json.version, 2);
  const after = await office.get(`${E}/2023?tier=district`);
  assert.equal(after.json.published, true);
  assert.equal(after.json.rubric.version, 1);
  const w = card(after.json.items, '500101');
  assert.equal(w.total, before.total);
  assert.equal(w.total, 43.13);
  assert.equal(comp(w, 'compliance').met_late, 1);
  // a year not published is computed live with the current rubric
  const live = await office.get(`${E}/2024?tier=district`);
  assert.equal(live.json.published, false);
  assert.equal(live.json.rubric.version, 2);
  assert.equal(comp(card(live.json.items, '500103'), 'compliance').weight, 50);
  const years = (await leader.get(E)).json.items;
  assert.deepEqual(years.map(y => [y.year, y.published]), [[2021, false], [2022, false], [2023, true], [2024, false], [2025, false]]);
  assert.equal(years[0].months, 6);
  // the published drill-down is frozen too
  const dd = (await office.get(`${E}/2023/units/500103`)).json;
  assert.equal(dd.published, true);
  assert.equal(dd.drilldown.compliance.length, 16);
});

test('the rubric: versions, weights that must sum to 100, who may edit', async () => {
  const g = await evaluator.get(`/api/v1/plans/${PLAN}/rubric`);
  assert.equal(g.status, 200, g.text);
  assert.equal(g.json.version, 2);
  assert.deepEqual(g.json.weights, { compliance: 50, timeliness: 20, evaluator: 30 });
  assert.deepEqual(g.json.history.map(h => [h.version, h.used_by_years]), [[2, []], [1, [2023]]]);
  const bad = await office.put(`/api/v1/plans/${PLAN}/rubric`, { weights: { compliance: 60, timeliness: 15, evaluator: 30 } });
  assertError(bad, 422, 'rule_violation', 'weights');
  assert.match(bad.json.error.message, /105/);
  assertError(await office.put(`/api/v1/plans/${PLAN}/rubric`, { weights: { compliance: 60, timeliness: 15 } }), 400, 'bad_request', 'weights.evaluator');
  assertError(await office.put(`/api/v1/plans/${PLAN}/rubric`, { weights: [60, 15, 25] }), 400, 'bad_request', 'weights');
  assertError(await office.put(`/api/v1/plans/${PLAN}/rubric`, { weights: { compliance: 60, timeliness: 15, evaluator: 25, bonus: 0 } }), 400, 'bad_request', 'weights.bonus');
  assertError(await office.put(`/api/v1/plans/${PLAN}/rubric`, { weights: { compliance: 60, timeliness: 15, evaluator: 25 }, late_credit: 150 }), 422, 'rule_violation', 'late_credit');
  assertError(await evaluator.put(`/api/v1/plans/${PLAN}/rubric`, { weights: { compliance: 60, timeliness: 15, evaluator: 25 } }), 403, 'forbidden');
  assertError(await office.get('/api/v1/plans/no-such-plan/rubric'), 404, 'not_found', 'code');
  // the same rubric again makes no new version
  const same = await office.put(`/api/v1/plans/${PLAN}/rubric`, { weights: { compliance: 50, timeliness: 20, evaluator: 30 } });
  assert.equal(same.json.version, 2);
  const back = await office.put(`/api/v1/plans/${PLAN}/rubric`, { weights: { compliance: 60, timeliness: 15, evaluator: 25 }, late_credit: 50, note: '恢复初始权重' });
  assert.equal(back.json.version, 3);
});

test('the final 2021-2025 evaluation: the month-weighted mean of the yearly totals, ranked within tier', async () => {
  const r = await office.get(`${E}/final?tier=district&as_of=2026-06-01`);
  assert.equal(r.status, 200, r.text);
  const f = r.json;
  assert.equal(f.provisional, true, 'only 2023 is published');
  assert.deepEqual(f.years.map(y => [y.year, y.months, y.published]), [[2021, 6, false], [2022, 12, false], [2023, 12, true], [2024, 12, false], [2025, 12, false]]);
  const y = card(f.items, '500103');
  assert.deepEqual(y.years.map(x => x.total), [20, 20, 100, 20, 20]);
  // (6·20 + 12·20 + 12·100 + 12·20 + 12·20) / 54 = 37.78
  assert.equal(y.total, 37.78);
  assert.equal(y.rank, 1);
  assert.equal(y.rank_of, 26);
  const w = card(f.items, '500101');
  assert.equal(w.years[2].total, 43.13, 'the published 2023');
  assert.equal(w.rank, 2);
  assert.match(f.final_rule, /加权/);
  assertError(await office.get(`${E}/final?tier=city`), 422, 'rule_violation', 'tier');
});

test('draft dispatch notices for red items: one per unit item without an open notice', async () => {
  const body = { unit: '500101', obligation: 't17-press-district', period: '2023Q3', as_of: '2026-06-01' };
  const r = await office.post('/api/v1/notices/drafts-from-red', body);
  assert.equal(r.status, 201, r.text);
  assert.deepEqual([r.json.red, r.json.created, r.json.skipped_open], [1, 1, 0]);
  const n = (await office.get(`/api/v1/notices/${r.json.first_id}`)).json;
  assert.equal(n.stage, 'drafted');
  assert.equal(n.subject, 'compliance');
  assert.equal(n.obligation, 't17-press-district');
  assert.equal(n.unit.code, '500101');
  // people read the period and the dates in words (issue 19 §3), the code stays in the API
  assert.match(n.title, /（2023年第三季度）/);
  assert.match(n.requirements, /2023年第三季度周期（2023年7月1日至2023年9月30日）/);
  assert.match(n.requirements, /截至 2026年6月1日/);
  assert.doesNotMatch(`${n.title}${n.requirements}`, /2023Q3|\d{4}-\d{2}-\d{2}/);
  assert.equal(n.obligation_title, '区级生态环境部门新闻发布会（媒体通气会）', 'the duty by its description');
  const again = await office.post('/api/v1/notices/drafts-from-red', body);
  assert.equal(again.status, 200, again.text);
  assert.deepEqual([again.json.created, again.json.skipped_open], [0, 1], 'the open draft is not repeated');
  // many at once, capped by max
  const many = await office.post('/api/v1/notices/drafts-from-red', { unit: '500229', as_of: '2026-06-01', max: 5 });
  assert.equal(many.status, 201, many.text);
  assert.equal(many.json.created, 5);
  assert.ok(many.json.remaining > 0);
  assertError(await office.post('/api/v1/notices/drafts-from-red', { as_of: '2023-13-01' }), 422, 'rule_violation', 'as_of');
  assertError(await office.post('/api/v1/notices/drafts-from-red', { deadline: '2020-01-01' }), 422, 'rule_violation', 'deadline');
  assertError(await office.post('/api/v1/notices/drafts-from-red', { level: 'purple' }), 422, 'rule_violation', 'level');
  assertError(await office.post('/api/v1/notices/drafts-from-red', { max: 0 }), 422, 'rule_violation', 'max');
  assertError(await office.post('/api/v1/notices/drafts-from-red', { colour: 1 }), 400, 'bad_request', 'colour');
  assertError(await office.post('/api/v1/notices/drafts-from-red', { plan: 'no-such-plan' }), 422, 'rule_violation', 'plan');
  assertError(await evaluator.post('/api/v1/notices/drafts-from-red', {}), 403, 'forbidden');
});

test('drafts come only from the filtered selection, counted first by a dry run that writes nothing', async () => {
  const as_of = '2026-06-01';
  const reds = (await office.get(`/api/v1/plans/cq-2021-2025/compliance?unit=500229&light=red&as_of=${as_of}`)).json.items;
  assert.ok(reds.length > 0, 'the demo has red items for 城口县');
  const task = reds[0].obligation.task;
  const inTask = reds.filter(c => c.obligation.task === task);
  const notices = () => Number(sql(srv, 'SELECT count(*) FROM notices').trim());
  const before = notices();
  const body = { unit: '500229', task, as_of };
  const dry = await office.post('/api/v1/notices/drafts-from-red', { ...body, dry_run: true });
  assert.equal(dry.status, 200, dry.text);
  assert.equal(dry.json.dry_run, true);
  assert.equal(dry.json.red, inTask.length, 'the red items of the unit and the task, as the matrix shows them');
  assert.equal(dry.json.would_create + dry.json.skipped_open + dry.json.remaining, inTask.length);
  assert.equal(dry.json.created, undefined);
  assert.equal(notices(), before, 'a dry run writes nothing');
  const real = await office.post('/api/v1/notices/drafts-from-red', body);
  assert.equal(real.json.created, dry.json.would_create, 'the confirmation counted what was then drafted');
  assert.equal(notices(), before + real.json.created);
  if (real.json.created) {
    const units = sql(srv, `SELECT DISTINCT unit_id FROM notices WHERE id BETWEEN ${real.json.first_id} AND ${real.json.last_id}`).trim().split('\n');
    assert.equal(units.length, 1, 'one unit only');
    const made = (await office.get(`/api/v1/notices/${real.json.first_id}`)).json;
    assert.equal(made.unit.code, '500229');
    assert.ok(inTask.some(c => c.obligation.key === made.obligation), 'a duty of the chosen task');
  }
  const byAction = await office.post('/api/v1/notices/drafts-from-red', { unit: '500229', action: 99, as_of, dry_run: true });
  assert.equal(byAction.json.red, 0, 'an action with no tasks selects nothing');
  assertError(await office.post('/api/v1/notices/drafts-from-red', { task: 'x' }), 400, 'bad_request', 'task');
});

test('a draft can be discarded, with an audit row; an issued notice cannot', async () => {
  const made = await office.post('/api/v1/notices', {
    unit: '500229', task: 17, title: '关于督促城口县召开新闻发布会的督办单（待删除）',
    requirements: '请按季度召开新闻发布会。', deadline: '2099-01-01' });
  assert.equal(made.status, 201, made.text);
  const id = made.json.id;
  assert.ok(made.json.actions.some(a => a.name === 'discard' && a.label === '删除草稿'), JSON.stringify(made.json.actions));
  assert.equal((await ck.del(`/api/v1/notices/${id}`)).status, 403, 'a unit never discards the office\'s drafts');
  assert.equal((await evaluator.del(`/api/v1/notices/${id}`)).status, 403);
  const gone = await office.del(`/api/v1/notices/${id}`);
  assert.equal(gone.status, 200, gone.text);
  assert.deepEqual(gone.json, { id, discarded: true });
  assertError(await office.get(`/api/v1/notices/${id}`), 404, 'not_found');
  assertError(await office.del(`/api/v1/notices/${id}`), 404, 'not_found');
  const row = sql(srv, `SELECT action || '|' || result || '|' || detail FROM audit_log WHERE object = 'notice:${id}' AND action = 'notice.discard'`).trim();
  assert.equal(row, 'notice.discard|ok|draft discarded: 关于督促城口县召开新闻发布会的督办单（待删除）');
  const issued = await office.post('/api/v1/notices', {
    unit: '500229', task: 17, title: '关于督促城口县召开新闻发布会的督办单（已下发）',
    requirements: '请按季度召开新闻发布会。', deadline: '2099-01-01', issue: true });
  assert.equal(issued.status, 201, issued.text);
  assert.ok(!issued.json.actions.some(a => a.name === 'discard'));
  assertError(await office.del(`/api/v1/notices/${issued.json.id}`), 409, 'conflict');
  assert.equal((await office.get(`/api/v1/notices/${issued.json.id}`)).status, 200, 'still there');
});

test('bad input: unknown years, units, plans and filters', async () => {
  assertError(await office.get(`${E}/abcd`), 404, 'not_found', 'year');
  assertError(await office.get(`${E}/2030`), 404, 'not_found', 'year');
  assertError(await office.get(`${E}/2020/units/500103`), 404, 'not_found');
  assertError(await office.get(`${E}/2023/units/999999`), 404, 'not_found', 'unit');
  assertError(await office.get(`${E}/2023/units/市民政局`), 404, 'not_found', 'unit');
  assertError(await office.get(`/api/v1/plans/no-such-plan/evaluations/2023`), 404, 'not_found', 'code');
  assertError(await office.get(`${E}/2023?tier=city`), 422, 'rule_violation', 'tier');
  assertError(await office.get(`${E}/2023?unit=nowhere`), 422, 'rule_violation', 'unit');
  assertError(await office.get(`${E}/2023?as_of=yesterday`), 422, 'rule_violation', 'as_of');
  assertError(await office.get(`${E}/2024?as_of=2020-01-01`), 422, 'rule_violation', 'as_of');
});
