// opinion.test.mjs - public-opinion keyword rules (issue 17 §2): a rule with topic, grade hint
// and owner; a rule that does not parse is 422 with the character position of the fault (NEAR
// without a distance, an empty rule, a rule of only NOT, one that would match everything), and
// nothing is stored; labelled examples with precision and recall; going live needs examples and
// another official than the last editor; the test bench says which live rules match and where;
// a live rule's edit makes it a draft again and the bench stops matching it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sql, assertError } from './lib.mjs';

let srv, office, office2, leader;
const count = () => Number(sql(srv, 'SELECT COUNT(*) FROM opinion_rules').trim());

before(async () => {
  srv = await startServer({ name: 'opinion' });
  office = await srv.login('demo.office');
  office2 = await srv.login('demo.office2');
  leader = await srv.login('demo.leader');
});
after(async () => { await srv.stop(); });

const rule = (extra = {}) => ({ name: '长江排污', expression: '(排污 OR 偷排) NEAR/5 长江 AND NOT 演练', topic: 'water', grade_hint: 'major', owner: '500101', ...extra });

test('a rule that does not parse is 422 with its position, and nothing is stored', async () => {
  const before = count();
  const cases = [
    ['排污 NEAR 长江', 3, /NEAR\/n/],
    ['', 0, /为空/],
    ['   ', 0, /为空/],
    ['NOT 演练', 0, /NOT/],
    ['污水 OR NOT 演练', 0, /所有文本/],
    ['(排污 AND 长江', 10, /右括号/],
    ['排污 AND', 6, /不完整/],
    ['排污 OR OR 长江', 6, /关键词/],
  ];
  for (const [expression, pos, msg] of cases) {
    const r = await office.post('/api/v1/opinion/rules', rule({ expression }));
    assertError(r, 422, 'rule_violation', 'expression');
    assert.equal(r.json.error.position, pos, `${expression}: ${r.text}`);
    assert.match(r.json.error.message, msg, expression);
    assert.match(r.json.error.message, new RegExp(`第 ${pos + 1} 个字符`));
  }
  assertError(await office.post('/api/v1/opinion/rules', rule({ topic: 'weather' })), 422, undefined, 'topic');
  assertError(await office.post('/api/v1/opinion/rules', rule({ owner: '999999' })), 422, undefined, 'owner');
  assert.equal(count(), before);
  // the bench refuses a bad expression the same way
  const b = await office.post('/api/v1/opinion/bench', { text: '长江', expression: '长江 NEAR/ 排污' });
  assertError(b, 422, 'rule_violation', 'expression');
  assert.equal(b.json.error.position, 3);
});

test('only the office manages rules', async () => {
  assert.equal((await leader.get('/api/v1/opinion/rules')).status, 403);
  assert.equal((await leader.post('/api/v1/opinion/rules', rule())).status, 403);
  assert.equal((await srv.client().get('/api/v1/opinion/rules')).status, 401);
});

test('examples show precision and recall; live needs examples and another official; the bench finds it and where', async () => {
  const c = await office.post('/api/v1/opinion/rules', rule());
  assert.equal(c.status, 201, c.text);
  const id = c.json.id;
  assert.equal(c.json.status, 'draft');
  assert.equal(c.json.topic_label, '水');
  assert.equal(c.json.grade_hint_label, '重大');
  assert.equal(c.json.owner.code, '500101');
  // without examples it cannot go live
  assertError(await office2.post(`/api/v1/opinion/rules/${id}/publish`), 422, undefined, 'examples');
  const ex = [
    ['某化工厂偷排废水进长江', true],       // matches
    ['长江边有企业排污', true],             // matches
    ['排污口距离那条大江还有很远，长江', true], // too far apart: a miss
    ['长江排污应急演练今日举行', false],     // NOT 演练
    ['嘉陵江水质良好', false],
  ];
  let last;
  for (const [text, match] of ex) {
    last = await office.post(`/api/v1/opinion/rules/${id}/examples`, { text, match });
    assert.equal(last.status, 201, last.text);
  }
  assert.deepEqual(last.json.quality, { true_positive: 2, false_positive: 0, false_negative: 1, true_negative: 2, precision: 1, recall: 0.667 });
  const g = await office.get(`/api/v1/opinion/rules/${id}`);
  assert.equal(g.json.examples.length, 5);
  assert.equal(g.json.examples[2].correct, false);
  assert.equal(g.json.quality.recall, 0.667);
  assert.ok(!g.json.actions.includes('publish'), 'the last editor is offered no publish');
  // the last editor never puts it live
  assertError(await office.post(`/api/v1/opinion/rules/${id}/publish`), 403, undefined, 'id');
  // a draft is not in the bench's live set
  let b = await office.post('/api/v1/opinion/bench', { text: '某化工厂偷排废水进长江' });
  assert.equal(b.status, 200, b.text);
  assert.ok(!b.json.items.some(i => i.rule_id === id));
  const p = await office2.post(`/api/v1/opinion/rules/${id}/publish`);
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.status, 'live');
  assert.equal(p.json.quality.precision, 1);
  assertError(await office2.post(`/api/v1/opinion/rules/${id}/publish`), 409);
  b = await office.post('/api/v1/opinion/bench', { text: '某化工厂偷排废水进长江' });
  const hit = b.json.items.find(i => i.rule_id === id);
  assert.ok(hit, b.text);
  assert.equal(hit.grade_hint, 'major');
  assert.deepEqual(hit.hits.map(h => [h.literal, h.start, h.end]), [['偷排', 4, 6], ['长江', 9, 11]]);
  assert.equal(b.json.characters, 11);
  b = await office.post('/api/v1/opinion/bench', { text: '长江排污应急演练' });
  assert.ok(!b.json.items.some(i => i.rule_id === id));
  // one expression on the bench, no rule stored
  b = await office.post('/api/v1/opinion/bench', { text: '噪声扰民，工地夜间施工', expression: '(噪声 OR 工地) AND 夜间' });
  assert.equal(b.json.matched, 1);
  assert.equal(b.json.items[0].rule_id, null);
  // an edit of the expression makes it a draft again: out of the live set at once
  const u = await office2.put(`/api/v1/opinion/rules/${id}`, rule({ expression: '偷排 AND 嘉陵江' }));
  assert.equal(u.status, 200, u.text);
  assert.equal(u.json.status, 'draft');
  b = await office.post('/api/v1/opinion/bench', { text: '某化工厂偷排废水进长江' });
  assert.ok(!b.json.items.some(i => i.rule_id === id));
  const bad = await office2.put(`/api/v1/opinion/rules/${id}`, rule({ expression: 'NOT 嘉陵江' }));
  assertError(bad, 422, 'rule_violation', 'expression');
  assert.equal((await office.get(`/api/v1/opinion/rules/${id}`)).json.expression, '偷排 AND 嘉陵江');
  // now office (not the last editor) may put it live
  assert.equal((await office.post(`/api/v1/opinion/rules/${id}/publish`)).status, 200);
  const r = await office.post(`/api/v1/opinion/rules/${id}/retire`);
  assert.equal(r.json.status, 'retired');
  assertError(await office.put(`/api/v1/opinion/rules/${id}`, rule()), 409);
  const list = await office.get('/api/v1/opinion/rules?status=retired');
  assert.ok(list.json.items.some(i => i.id === id));
  const del = await office.del(`/api/v1/opinion/rules/${id}/examples/${g.json.examples[4].id}`);
  assert.equal(del.status, 200, del.text);
  assertError(await office.del(`/api/v1/opinion/rules/${id}/examples/${g.json.examples[4].id}`), 404);
});

test('forty live rules answer the bench in one pass', async () => {
  const ids = [];
  for (let i = 0; i < 40; i++) {
    const r = await office.post('/api/v1/opinion/rules', rule({ name: `规则${i}`, expression: `测试词${i}号 AND 排放`, topic: 'air', grade_hint: 'general' }));
    ids.push(r.json.id);
  }
  const n = ids.join(',');
  sql(srv, `INSERT INTO opinion_examples (rule_id, text, expect, created_by, created_at) SELECT id, '测试', 1, 1, 0 FROM opinion_rules WHERE id IN (${n})`);
  sql(srv, `INSERT INTO opinion_examples (rule_id, text, expect, created_by, created_at) SELECT id, '无关', 0, 1, 0 FROM opinion_rules WHERE id IN (${n})`);
  for (const id of ids) assert.equal((await office2.post(`/api/v1/opinion/rules/${id}/publish`)).status, 200);
  const b = await office.post('/api/v1/opinion/bench', { text: '今天测试词7号工厂排放黑烟，测试词31号也在排放' });
  assert.equal(b.status, 200, b.text);
  assert.deepEqual(b.json.items.map(i => i.name), ['规则7', '规则31']);
  assert.ok(b.json.rules_checked >= 40);
});
