// evaluate-signoff.test.mjs - the leader's sign-off (签批) of a year's evaluation (issue 19): with
// the setting evaluate.signoff_required on (the office sets it), publishing waits for a leader:
// the office asks, a leader approves (optional note) or returns it (reason required), whoever asked
// never decides (an account holding both roles included), publishing an unsigned year is a 409
// with a Chinese message, both steps are in the year's history and the audit log, and the year's
// `actions` offer each caller only the buttons the server will accept.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, sql } from './lib.mjs';

const E = '/api/v1/plans/cq-2021-2025/evaluations';
const S = `${E}/2023/signoff`;
let srv, office, leader, evaluator;

before(async () => {
  srv = await startServer({ name: 'evaluate-signoff' });
  [office, leader, evaluator] = await Promise.all(
    ['demo.office', 'demo.leader', 'demo.evaluator'].map(u => srv.login(u)));
});
after(async () => { await srv.stop(); });

const actions = async c => (await c.get(`${E}/2023`)).json.actions;

test('the office turns the sign-off on; nobody else can', async () => {
  const g = await leader.get('/api/v1/evaluation-settings');
  assert.equal(g.status, 200, g.text);
  assert.equal(g.json.signoff_required, false);
  assert.deepEqual(g.json.actions, []);
  assert.deepEqual((await office.get('/api/v1/evaluation-settings')).json.actions, ['edit']);
  assertError(await leader.put('/api/v1/evaluation-settings', { signoff_required: true }), 403, 'forbidden');
  assertError(await office.put('/api/v1/evaluation-settings', { signoff_required: 'yes' }), 400, 'bad_request', 'signoff_required');
  // off: the office may publish a closed year straight away, and there is nothing to sign
  assert.ok((await actions(office)).includes('publish'));
  assertError(await office.post(`${S}/request`), 422, 'rule_violation', 'signoff');
  const p = await office.put('/api/v1/evaluation-settings', { signoff_required: true });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.signoff_required, true);
  assert.match(sql(srv, "SELECT detail FROM audit_log WHERE action = 'evaluation.settings'"), /signoff required/);
});

test('unsigned, publishing is refused; the office asks and the leader is offered the decision', async () => {
  assert.deepEqual(await actions(office), ['request_signoff']);
  assert.deepEqual(await actions(leader), []);
  assertError(await office.post(`${E}/2023/publish`), 409, 'conflict', 'year');
  const refused = await office.post(`${E}/2023/publish`);
  assert.match(refused.json.error.message, /2023 年度评估须经领导签批后才能发布（当前：未提请签批）/);
  assertError(await leader.post(`${S}/approve`, {}), 409, 'conflict', 'signoff');
  assertError(await leader.post(`${S}/request`), 403, 'forbidden');
  const r = await office.post(`${S}/request`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.signoff.state, 'requested');
  assert.equal(r.json.signoff.state_label, '待领导签批');
  assertError(await office.post(`${S}/request`), 409, 'conflict', 'signoff');
  assert.deepEqual(await actions(office), []);
  assert.deepEqual(await actions(leader), ['approve_signoff', 'return_signoff']);
  assertError(await office.post(`${S}/approve`, {}), 403, 'forbidden');
  assertError(await evaluator.post(`${S}/approve`, {}), 403, 'forbidden');
  assertError(await office.post(`${E}/2023/publish`), 409, 'conflict', 'year');
});

test('whoever asked never signs, even holding the leader role too', async () => {
  const id = Number(sql(srv, "SELECT id FROM users WHERE username = 'demo.office'").trim());
  // (the office account holds unmask_pii, so its roles change only offline: set here directly)
  sql(srv, `INSERT INTO user_roles(user_id, role, granted_at) VALUES (${id}, 'leader', 0)`);
  const both = await srv.login('demo.office');
  assert.deepEqual(await actions(both), [], 'no sign-off buttons for the one who asked');
  const r = await both.post(`${S}/approve`, {});
  assertError(r, 403, 'forbidden', 'signoff');
  assert.match(r.json.error.message, /提请签批的人不能签批自己的申请/);
  assert.equal((await office.get(S)).json.signoff.state, 'requested');
  sql(srv, `DELETE FROM user_roles WHERE user_id = ${id} AND role = 'leader'`);
});

test('a return needs a reason; after a new request the leader approves and the office publishes', async () => {
  assertError(await leader.post(`${S}/return`, {}), 422, 'rule_violation', 'reason');
  assertError(await leader.post(`${S}/return`, { reason: '' }), 422, 'rule_violation', 'reason');
  const ret = await leader.post(`${S}/return`, { reason: '第三方评估尚缺两个县' });
  assert.equal(ret.status, 200, ret.text);
  assert.equal(ret.json.signoff.state_label, '已退回');
  assert.deepEqual(await actions(office), ['request_signoff']);
  assert.equal((await office.post(`${S}/request`)).status, 200);
  const ok = await leader.post(`${S}/approve`, { note: '同意发布' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.signoff.state, 'approved');
  assert.deepEqual(ok.json.signoff.history.map(h => [h.step_label, h.by.name.length > 0, h.note]),
    [['提请签批', true, ''], ['退回', true, '第三方评估尚缺两个县'], ['提请签批', true, ''], ['签批同意', true, '同意发布']]);
  assert.deepEqual(await actions(office), ['publish']);
  const pub = await office.post(`${E}/2023/publish`);
  assert.equal(pub.status, 200, pub.text);
  const after_ = (await office.get(`${E}/2023`)).json;
  assert.equal(after_.published, true);
  assert.deepEqual(after_.actions, []);
  assert.equal(after_.signoff.history.length, 4, 'the steps stay in the year\'s history');
  assertError(await office.post(`${S}/request`), 409, 'conflict', 'year');
  const steps = sql(srv, "SELECT action FROM audit_log WHERE action LIKE 'evaluation.signoff%' AND result = 'ok' ORDER BY id").trim().split('\n');
  assert.deepEqual(steps, ['evaluation.signoff_request', 'evaluation.signoff_return', 'evaluation.signoff_request', 'evaluation.signoff_approve']);
  assertError(await leader.get(`${E}/2031/signoff`), 404, 'not_found');
  // published: the evaluators' work list offers no more scoring, and an upload is a 409
  const prog = (await evaluator.get(`${E}/2023/progress`)).json;
  assert.equal(prog.published, true);
  assert.deepEqual(prog.actions, ['download_template']);
  const csv = '行政区划代码,单位名称,类别,评分（0-100）,评价意见\n500101,万州区,区,90,工作扎实\n';
  assertError(await evaluator.req('POST', `${E}/2023/scores/import`, { body: csv, headers: { 'Content-Type': 'text/csv' } }), 409, 'conflict', 'year');
});
