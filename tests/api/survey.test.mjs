// survey.test.mjs - public eco-behaviour surveys (issue 16 §1-§2, §5): the default questionnaire
// of the ten articles as data (2018 and 2023 names), questionnaire versions drafted by one
// official and published by another, the editor refusing logic loops, forward and unknown
// references (422 naming the question), waves with quota cells, a citizen's save-and-resume,
// one response per citizen per wave, answers out of range or against the skip logic refused and
// nothing saved, a full cell refused plainly (also under concurrent submissions), a closed wave
// refused, and quality flags recorded on the response rather than the response dropped.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, DEMO_PASSWORD } from './lib.mjs';

let srv, office, office2, leader, cits = [];
const day = (offset = 0) => new Date(Date.now() + 8 * 3600e3 + offset * 86400e3).toISOString().slice(0, 10);

async function citizenLogin(phone) {
  const c = srv.client();
  const r = await c.post('/api/v1/citizen/session', { phone, password: DEMO_PASSWORD });
  assert.equal(r.status, 200, r.text);
  return c;
}

/** A complete answer sheet for the default questionnaire. */
function full(extra = {}) {
  const a = { D_DISTRICT: 4, D_AGE: 2, D_SEX: 1, D_EDU: 5, D_URBAN: 1, D_OCC: 2, ATT1: 4, GREEN_BUY: 2 };
  for (let i = 1; i <= 10; i++) {
    const k = String(i).padStart(2, '0');
    a[`IMP${k}`] = 5; a[`PRA${k}`] = 3;
  }
  return { ...a, ...extra };
}

let defaultQn;
async function wave(extra = {}) {
  const r = await office.post('/api/v1/survey/waves', { questionnaire_id: defaultQn, title: '2026年第一轮', starts: day(-1), ends: day(30),
    target: 1000, min_seconds: 0, ...extra });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

before(async () => {
  srv = await startServer({ name: 'survey' });
  office = await srv.login('demo.office');
  office2 = await srv.login('demo.office2');
  leader = await srv.login('demo.leader');
  for (const p of ['13700137001', '13700137002', '13700137003', '13700137004']) cits.push(await citizenLogin(p));
  const l = await office.get('/api/v1/survey/questionnaires');
  defaultQn = l.json.items.find(q => q.code === 'ECO_BEHAVIOUR').id;
});
after(async () => { await srv.stop(); });

test('the default questionnaire: ten articles, an importance and a practice item each, 2018 and 2023 names', async () => {
  const r = await office.get(`/api/v1/survey/questionnaires/${defaultQn}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'published');
  const qs = r.json.definition.sections.flatMap(s => s.questions);
  const imp = qs.filter(q => q.role === 'importance'), pra = qs.filter(q => q.role === 'practice');
  assert.equal(imp.length, 10);
  assert.equal(pra.length, 10);
  assert.equal(imp[0].alt_labels['2018'], '关注生态环境');
  assert.equal(imp[0].alt_labels['2023'], '关爱生态环境');
  assert.equal(pra[8].alt_labels['2023'], '参与环境监督');
  for (const c of ['D_DISTRICT', 'D_AGE', 'D_SEX', 'D_EDU', 'D_URBAN', 'D_OCC'])
    assert.ok(qs.some(q => q.code === c), c);
  assert.equal(qs.find(q => q.code === 'D_DISTRICT').type, 'district');
  assert.equal(qs.find(q => q.code === 'D_DISTRICT').options.length, 38);
  assertError(await leader.get('/api/v1/survey/questionnaires'), 403, 'forbidden');
  assertError(await cits[0].get('/api/v1/survey/questionnaires'), 403);
});

const q = (code, extra = {}) => ({ code, type: 'single', text: `题目${code}`, options: [{ value: 1, label: '是' }, { value: 2, label: '否' }], ...extra });
const def = (...qs) => ({ sections: [{ code: 'S1', title: '第一部分', questions: qs }] });

test('the editor refuses loops, forward and unknown references, naming the question; nothing is saved', async () => {
  const before_ = (await office.get('/api/v1/survey/questionnaires')).json.items.length;
  let r = await office.post('/api/v1/survey/questionnaires', { code: 'T', title: '循环', definition: def(
    q('A', { show_if: { q: 'B', op: 'eq', value: 1 } }), q('B', { show_if: { q: 'A', op: 'eq', value: 1 } })) });
  assertError(r, 422, 'rule_violation', 'sections[0].questions[0]');
  assert.match(r.json.error.message, /A.*循环/);
  r = await office.post('/api/v1/survey/questionnaires', { code: 'T', title: '自指', definition: def(q('A', { show_if: { q: 'A', op: 'eq', value: 1 } })) });
  assertError(r, 422, 'rule_violation', 'sections[0].questions[0]');
  assert.match(r.json.error.message, /循环/);
  r = await office.post('/api/v1/survey/questionnaires', { code: 'T', title: '后引', definition: def(
    q('A', { show_if: { q: 'C', op: 'eq', value: 1 } }), q('B'), q('C')) });
  assertError(r, 422, 'rule_violation', 'sections[0].questions[0]');
  assert.match(r.json.error.message, /A.*后面的题目 C/);
  r = await office.post('/api/v1/survey/questionnaires', { code: 'T', title: '未知', definition: def(q('A'), q('B', { show_if: { q: 'Z', op: 'eq', value: 1 } })) });
  assertError(r, 422, 'rule_violation', 'sections[0].questions[1]');
  assert.match(r.json.error.message, /不存在的题目 Z/);
  assertError(await office.post('/api/v1/survey/questionnaires', { code: 'T', title: '重复', definition: def(q('A'), q('A')) }), 422, 'rule_violation', 'sections[0].questions[1]');
  assertError(await office.post('/api/v1/survey/questionnaires', { code: 'T', title: '题型', definition: def(q('A', { type: 'slider' })) }), 422, 'rule_violation', 'sections[0].questions[0]');
  assertError(await office.post('/api/v1/survey/questionnaires', { code: 'T', title: '数值', definition: def(q('A', { type: 'number', min: 5, max: 1 })) }), 422, 'rule_violation', 'sections[0].questions[0]');
  assertError(await office.post('/api/v1/survey/questionnaires', { code: 'T', title: 'x', definition: [] }), 400, undefined, 'definition');
  assert.equal((await office.get('/api/v1/survey/questionnaires')).json.items.length, before_);
});

test('a questionnaire is drafted by one official, published by another, then closed', async () => {
  const d = await office.post('/api/v1/survey/questionnaires', { code: 'PILOT', title: '试点问卷', definition: def(
    q('A'), q('B', { type: 'multiple', show_if: { q: 'A', op: 'eq', value: 1 }, options: [{ value: 1, label: 'x' }, { value: 2, label: 'y' }] }),
    { code: 'M', type: 'matrix', text: '矩阵', items: [{ code: 'm1', text: '一' }, { code: 'm2', text: '二' }] },
    { code: 'N', type: 'number', text: '人数', min: 0, max: 20 }, { code: 'T1', type: 'text', text: '建议', maxlen: 10 },
    { code: 'L', type: 'likert', text: '满意度', required: true }) });
  assert.equal(d.status, 201, d.text);
  assert.equal(d.json.status, 'draft');
  assert.deepEqual(d.json.actions, []);
  assertError(await office.post(`/api/v1/survey/questionnaires/${d.json.id}/publish`), 403, undefined, 'published_by');
  assertError(await office.post('/api/v1/survey/waves', { questionnaire_id: d.json.id, title: 'x', starts: day(), ends: day(1), target: 5 }), 422, 'rule_violation', 'questionnaire_id');
  const seen = await office2.get(`/api/v1/survey/questionnaires/${d.json.id}`);
  assert.deepEqual(seen.json.actions, ['publish']);
  const p = await office2.post(`/api/v1/survey/questionnaires/${d.json.id}/publish`);
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.status, 'published');
  assertError(await office2.post(`/api/v1/survey/questionnaires/${d.json.id}/publish`), 409);
  const c = await office.post(`/api/v1/survey/questionnaires/${d.json.id}/close`);
  assert.equal(c.json.status, 'closed');
  assertError(await office.post(`/api/v1/survey/questionnaires/999999/publish`), 404);
});

test('save and resume, then one submission per citizen; bad answers are refused and change nothing', async () => {
  const w = await wave();
  const me = cits[0];
  let f = await me.get(`/api/v1/citizen/surveys/${w.id}`);
  assert.equal(f.status, 200, f.text);
  assert.equal(f.json.response, null);
  assert.deepEqual(f.json.actions, ['save', 'submit']);
  assert.ok(f.json.definition.sections.length >= 4);
  assert.ok((await me.get('/api/v1/citizen/surveys')).json.items.some(x => x.id === w.id));
  const s = await me.put(`/api/v1/citizen/surveys/${w.id}/response`, { answers: { D_DISTRICT: 4, D_AGE: 2 } });
  assert.equal(s.status, 200, s.text);
  assert.equal(s.json.status, 'draft');
  f = await me.get(`/api/v1/citizen/surveys/${w.id}`);
  assert.deepEqual(f.json.response.answers, { D_AGE: 2, D_DISTRICT: 4 });
  // out of range, unknown question, against the skip logic, incomplete: refused, the draft unchanged
  assertError(await me.put(`/api/v1/citizen/surveys/${w.id}/response`, { answers: { D_AGE: 9 } }), 422, 'rule_violation', 'answers.D_AGE');
  assertError(await me.put(`/api/v1/citizen/surveys/${w.id}/response`, { answers: { IMP01: 6 } }), 422, 'rule_violation', 'answers.IMP01');
  assertError(await me.put(`/api/v1/citizen/surveys/${w.id}/response`, { answers: { NOPE: 1 } }), 422, 'rule_violation', 'answers');
  assertError(await me.post(`/api/v1/citizen/surveys/${w.id}/submit`, { answers: full({ GREEN_BUY: 2, GREEN_WHY: [1] }) }), 422, 'rule_violation', 'answers.GREEN_WHY');
  assertError(await me.post(`/api/v1/citizen/surveys/${w.id}/submit`, { answers: full({ D_SEX: undefined }) }), 422, 'rule_violation', 'answers.D_SEX');
  assertError(await me.put(`/api/v1/citizen/surveys/${w.id}/response`, { answers: 'x' }), 400, undefined, 'answers');
  f = await me.get(`/api/v1/citizen/surveys/${w.id}`);
  assert.deepEqual(f.json.response.answers, { D_AGE: 2, D_DISTRICT: 4 });
  const ok = await me.post(`/api/v1/citizen/surveys/${w.id}/submit`, { answers: full({ GREEN_BUY: 1, GREEN_WHY: [1, 3] }) });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.status, 'submitted');
  assert.deepEqual(ok.json.flags, []);
  assertError(await me.post(`/api/v1/citizen/surveys/${w.id}/submit`, { answers: full() }), 409, 'conflict', 'respondent');
  assertError(await me.put(`/api/v1/citizen/surveys/${w.id}/response`, { answers: {} }), 409, 'conflict', 'respondent');
  f = await me.get(`/api/v1/citizen/surveys/${w.id}`);
  assert.deepEqual(f.json.actions, []);
  assert.deepEqual(f.json.response.answers.GREEN_WHY, [1, 3]);
  const ow = await office.get(`/api/v1/survey/waves/${w.id}`);
  assert.equal(ow.json.submitted, 1);
});

test('quality flags are recorded on the response, which is kept', async () => {
  const w = await wave({ min_seconds: 3600 });
  const r = await cits[1].post(`/api/v1/citizen/surveys/${w.id}/submit`, { answers: full({ ATT1: 2 }) });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.flags.sort(), ['attention', 'too_fast']);
  assert.equal((await office.get(`/api/v1/survey/waves/${w.id}`)).json.submitted, 1);
});

test('quota cells: a full cell is refused plainly; a cell outside the design too; concurrent submissions never overfill', async () => {
  assertError(await office.post('/api/v1/survey/waves', { questionnaire_id: defaultQn, title: 'x', starts: day(), ends: day(1), target: 5,
    quota_vars: ['IMP01x'] }), 422, 'rule_violation', 'quota_vars');
  assertError(await office.post('/api/v1/survey/waves', { questionnaire_id: defaultQn, title: 'x', starts: day(), ends: day(1), target: 5,
    quota_vars: ['D_DISTRICT', 'D_AGE', 'D_SEX'], cells: [{ cell: [1, 1], target: 1 }] }), 422, 'rule_violation', 'cells');
  assertError(await office.post('/api/v1/survey/waves', { questionnaire_id: defaultQn, title: 'x', starts: day(1), ends: day(), target: 5 }), 422, 'rule_violation', 'ends');
  const w = await wave({ quota_vars: ['D_DISTRICT', 'D_AGE', 'D_SEX'], cells: [{ cell: [4, 2, 1], target: 1 }, { cell: [4, 2, 2], target: 2 }] });
  assert.equal(w.cells.length, 2);
  // two citizens race for the last place of cell 4|2|1
  const rs = await Promise.all([0, 1].map(i => cits[i].post(`/api/v1/citizen/surveys/${w.id}/submit`, { answers: full() })));
  assert.deepEqual(rs.map(r => r.status).sort(), [200, 422]);
  const lost = rs.find(r => r.status === 422);
  assert.equal(lost.json.error.field, 'quota');
  assert.match(lost.json.error.message, /名额已满/);
  // and the loser may not even save a draft in that cell, but may answer in another
  assertError(await cits[2].put(`/api/v1/citizen/surveys/${w.id}/response`, { answers: { D_DISTRICT: 4, D_AGE: 2, D_SEX: 1 } }), 422, 'rule_violation', 'quota');
  assertError(await cits[2].put(`/api/v1/citizen/surveys/${w.id}/response`, { answers: { D_DISTRICT: 5, D_AGE: 2, D_SEX: 1 } }), 422, 'rule_violation', 'quota');
  const other = await cits[2].post(`/api/v1/citizen/surveys/${w.id}/submit`, { answers: full({ D_SEX: 2 }) });
  assert.equal(other.status, 200, other.text);
  const ow = await office.get(`/api/v1/survey/waves/${w.id}`);
  assert.deepEqual(ow.json.cells.map(c => [c.cell, c.filled, c.full]), [['4|2|1', 1, true], ['4|2|2', 1, false]]);
  assert.equal(ow.json.submitted, 2);
});

test('a closed wave refuses responses; closing twice is a conflict', async () => {
  const w = await wave();
  await cits[3].put(`/api/v1/citizen/surveys/${w.id}/response`, { answers: { D_AGE: 1 } });
  const c = await office.post(`/api/v1/survey/waves/${w.id}/close`);
  assert.equal(c.status, 200, c.text);
  assert.equal(c.json.status, 'closed');
  assertError(await office.post(`/api/v1/survey/waves/${w.id}/close`), 409);
  const r = await cits[3].post(`/api/v1/citizen/surveys/${w.id}/submit`, { answers: full() });
  assertError(r, 422, 'rule_violation', 'wave');
  assert.match(r.json.error.message, /已结束/);
  assert.deepEqual((await cits[3].get(`/api/v1/citizen/surveys/${w.id}`)).json.actions, []);
  assert.ok(!(await cits[3].get('/api/v1/citizen/surveys')).json.items.some(x => x.id === w.id));
  assertError(await cits[3].get('/api/v1/citizen/surveys/999999'), 404);
  assertError(await leader.post(`/api/v1/survey/waves/${w.id}/close`), 403);
});

test('population margins: approximate demo figures say so; margins that do not sum to the total are refused', async () => {
  const m = await office.get('/api/v1/survey/margins');
  assert.equal(m.status, 200, m.text);
  assert.equal(m.json.approximate, true);
  assert.match(m.json.approximate_note, /近似/);
  assert.match(m.json.source, /第七次全国人口普查/);
  assert.equal(Object.keys(m.json.vars.D_DISTRICT).length, 38);
  for (const v of Object.values(m.json.vars))
    assert.equal(Object.values(v).reduce((a, b) => a + b, 0), m.json.total);
  const bad = await office.put('/api/v1/survey/margins', { total: 1000, source: '测试', approximate: false, vars: { D_SEX: { 1: 600, 2: 300 } } });
  assertError(bad, 422, 'rule_violation', 'vars.D_SEX');
  assert.match(bad.json.error.message, /900.*1000/);
  assert.deepEqual((await office.get('/api/v1/survey/margins')).json, m.json);
  assertError(await leader.put('/api/v1/survey/margins', { total: 1 }), 403);
});

test('analysis: raking to the margins with its passes and tolerance; importance, practice and gap, weighted beside unweighted', async () => {
  const put = await office.put('/api/v1/survey/margins', { total: 1000, source: '测试用边际', approximate: false,
    vars: { D_SEX: { 1: 600, 2: 400 }, D_AGE: { 1: 500, 2: 500 }, D_URBAN: { 1: 700, 2: 300 } } });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.json.approximate, false);
  const w = await wave();
  const people = [[1, 1, 1, 5, 5], [1, 2, 1, 5, 2], [2, 1, 1, 4, 1], [2, 2, 2, 2, 2]];
  for (const [i, [sex, age, urban, imp, pra]] of people.entries()) {
    const r = await cits[i].post(`/api/v1/citizen/surveys/${w.id}/submit`, { answers: full({ D_SEX: sex, D_AGE: age, D_URBAN: urban, IMP01: imp, PRA01: pra }) });
    assert.equal(r.status, 200, r.text);
  }
  let a = await office.get(`/api/v1/survey/waves/${w.id}/analysis?vars=D_SEX,D_AGE`);
  assert.equal(a.status, 200, a.text);
  assert.equal(a.json.responses, 4);
  assert.equal(a.json.weights.final, true);
  assert.equal(a.json.weights.iterations, 1);
  assert.equal(a.json.weights.tolerance, 1e-10);
  assert.ok(Math.abs(a.json.weights.design_effect - 1.04) < 1e-9);
  assert.ok(Math.abs(a.json.weights.effective_n - 1 / 0.26) < 1e-9);
  const art = a.json.articles[0];
  assert.equal(a.json.articles.length, 10);
  assert.equal(art.name_2018, '关注生态环境');
  assert.equal(art.name_2023, '关爱生态环境');
  assert.ok(Math.abs(art.importance.p - 0.8) < 1e-12, JSON.stringify(art));
  assert.ok(Math.abs(art.practice.p - 0.3) < 1e-12);
  assert.ok(Math.abs(art.gap.p - 0.5) < 1e-12);
  assert.ok(art.importance.ci_lo < 0.8 && art.importance.ci_hi > 0.8);
  assert.equal(art.importance_unweighted.p, 0.75);
  assert.equal(art.practice_unweighted.p, 0.25);
  assert.equal(art.gap_unweighted.p, 0.5);
  // not converged within the passes allowed: said so, and no weighted figure shown
  a = await office.get(`/api/v1/survey/waves/${w.id}/analysis?vars=D_SEX,D_URBAN&maxit=1`);
  assert.equal(a.json.weights.final, false);
  assert.match(a.json.weights.message, /未收敛/);
  assert.equal(a.json.articles[0].importance, null);
  assert.equal(a.json.weights.design_effect, null);
  assert.equal(a.json.articles[0].importance_unweighted.p, 0.75);
  a = await office.get(`/api/v1/survey/waves/${w.id}/analysis?vars=D_SEX,D_URBAN`);
  assert.equal(a.json.weights.final, true);
  assert.ok(a.json.weights.iterations > 1);
  // a category of the population with nobody in the sample cannot be weighted
  await office.put('/api/v1/survey/margins', { total: 1000, source: '测试', approximate: false, vars: { D_AGE: { 1: 400, 2: 400, 3: 200 } } });
  a = await office.get(`/api/v1/survey/waves/${w.id}/analysis?vars=D_AGE`);
  assert.equal(a.json.weights.final, false);
  assert.match(a.json.weights.message, /无法加权/);
  assertError(await office.get(`/api/v1/survey/waves/${w.id}/analysis?vars=D_EDU`), 422, 'rule_violation', 'vars');
  assertError(await office.get(`/api/v1/survey/waves/999999/analysis?vars=D_AGE`), 404);
});
