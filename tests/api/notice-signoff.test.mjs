// notice-signoff.test.mjs - the leader's 签批 (issue 19): with supervise.signoff_required on
// (GET/PUT /api/v1/notice-settings), a draft is issued only once a leader approved it: the office
// asks (signoff-request), a leader approves (signoff, with an optional note) or returns it
// (signoff-return, with a reason); the leaders have it in 待办, the requester learns of a return;
// every step is in the history and the audit log; with the setting off nothing changes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError } from './lib.mjs';

let srv, office, office2, leader, admin, auditor;
before(async () => {
  srv = await startServer({ name: 'notice-signoff' });
  [office, office2, leader, admin, auditor] = await Promise.all(
    ['demo.office', 'demo.office2', 'demo.leader', 'demo.yuzhong.admin', 'demo.auditor'].map(u => srv.login(u)));
});
after(async () => { await srv.stop(); });

const day = (n = 0) => new Date(Date.now() + 8 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);
const inbox = async c => (await c.get('/api/v1/inbox?limit=200')).json.items;
const names = o => o.actions.map(a => a.name);
async function draft(title) {
  const r = await office.post('/api/v1/notices', { unit: '500103', task: 17, title, requirements: '请按季度召开新闻发布会', deadline: day(10) });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

test('the setting sits beside the 文号 prefix and changes nothing else', async () => {
  const g = await office.get('/api/v1/notice-settings');
  assert.equal(g.status, 200, g.text);
  assert.equal(g.json.signoff_required, false);
  const prefix = g.json.doc_prefix;
  const on = await office.put('/api/v1/notice-settings', { signoff_required: true });
  assert.equal(on.status, 200, on.text);
  assert.equal(on.json.signoff_required, true);
  assert.equal(on.json.doc_prefix, prefix, 'the prefix stays');
  assertError(await office.put('/api/v1/notice-settings', { signoff_required: 'yes' }), 400);
  assert.equal((await leader.put('/api/v1/notice-settings', { signoff_required: false })).status, 403);
  assert.equal((await office.put('/api/v1/notice-settings', { signoff_required: false })).json.signoff_required, false);
});

test('签批 on: request → return (with a reason) → request → approve → issue, all in the history', async () => {
  assert.equal((await office.put('/api/v1/notice-settings', { signoff_required: true })).status, 200);
  const d = await draft('须签批的督办单');
  const id = d.id;
  assert.equal(d.signoff.required, true);
  assert.equal(d.signoff.state, 'none');
  assert.equal(d.signoff.state_label, '未提请签批');
  assert.ok(!names(d).includes('issue'), 'not issued unsigned');
  assert.ok(names(d).includes('signoff_request'));
  const un = await office.post(`/api/v1/notices/${id}/issue`, {});
  assertError(un, 409, 'conflict');
  assert.equal(un.json.error.message, '须经领导签批后方可下发');
  assert.equal((await leader.post(`/api/v1/notices/${id}/signoff`, {})).status, 409, 'nothing asked yet');

  const rq = await office.post(`/api/v1/notices/${id}/signoff-request`, { note: '请审阅' });
  assert.equal(rq.status, 200, rq.text);
  assert.equal(rq.json.signoff.state, 'requested');
  assert.equal(rq.json.signoff.state_label, '待领导签批');
  assert.ok(!names(rq.json).includes('edit'), 'no edits while the leader reads it');
  assert.equal((await office.patch(`/api/v1/notices/${id}`, { title: '改' })).status, 409);
  assert.ok((await inbox(leader)).some(i => i.link === `/notices/${id}` && i.kind === 'notice_signoff'), 'the leaders have it in 待办');
  assert.ok(!(await inbox(admin)).some(i => i.link === `/notices/${id}`), 'the unit sees nothing of a draft');
  const lv = (await leader.get(`/api/v1/notices/${id}`)).json;
  assert.deepEqual(names(lv).sort(), ['signoff', 'signoff_return']);
  for (const c of [office, office2, admin]) {
    const r = await c.post(`/api/v1/notices/${id}/signoff`, {});
    assert.ok(r.status === 403 || r.status === 404, `only a leader signs off: ${r.status}`);
  }
  const noReason = await leader.post(`/api/v1/notices/${id}/signoff-return`, {});
  assertError(noReason, 400);
  assert.equal(noReason.json.error.field, 'reason');
  const back = await leader.post(`/api/v1/notices/${id}/signoff-return`, { reason: '督办要求需写明时限' });
  assert.equal(back.status, 200, back.text);
  assert.equal(back.json.signoff.state, 'returned');
  assert.equal(back.json.signoff.note, '督办要求需写明时限');
  assert.ok(!(await inbox(leader)).some(i => i.link === `/notices/${id}` && i.kind === 'notice_signoff'), 'the return settles it');
  assert.ok((await inbox(office)).some(i => i.link === `/notices/${id}` && i.kind === 'notice_signoff_returned'), 'the requester learns of it');
  const ov = names((await office.get(`/api/v1/notices/${id}`)).json);
  assert.ok(ov.includes('edit') && ov.includes('signoff_request'), `the office edits and asks again: ${ov}`);

  assert.equal((await office.patch(`/api/v1/notices/${id}`, { requirements: '请于十日内召开新闻发布会' })).status, 200);
  assert.equal((await office.post(`/api/v1/notices/${id}/signoff-request`, {})).status, 200);
  const ok = await leader.post(`/api/v1/notices/${id}/signoff`, { note: '同意下发' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.signoff.state, 'approved');
  assert.equal(ok.json.signoff.state_label, '已签批');
  assert.equal(ok.json.signoff.note, '同意下发');
  assert.ok(ok.json.signoff.by.name);
  assert.deepEqual(names((await leader.get(`/api/v1/notices/${id}`)).json), [], 'signed once');
  const is = await office.post(`/api/v1/notices/${id}/issue`, {});
  assert.equal(is.status, 200, is.text);
  const h = is.json.history.map(x => x.action_label);
  for (const l of ['提请领导签批', '领导签批退回', '领导签批同意', '下发']) assert.ok(h.includes(l), `history has ${l}: ${h}`);
  const a = await auditor.get('/api/v1/audit?action=notice.signoff&limit=10');
  assert.ok(JSON.stringify(a.json).includes('领导签批督办单'));
  assert.equal((await office.put('/api/v1/notice-settings', { signoff_required: false })).status, 200);
});

test('an edit after approval asks for 签批 again', async () => {
  assert.equal((await office.put('/api/v1/notice-settings', { signoff_required: true })).status, 200);
  const { id } = await draft('签批后修改');
  await office.post(`/api/v1/notices/${id}/signoff-request`, {});
  assert.equal((await leader.post(`/api/v1/notices/${id}/signoff`, {})).status, 200);
  const e = await office.patch(`/api/v1/notices/${id}`, { title: '签批后又修改' });
  assert.equal(e.json.signoff.state, 'none');
  assertError(await office.post(`/api/v1/notices/${id}/issue`, {}), 409, 'conflict');
  assert.equal((await office.put('/api/v1/notice-settings', { signoff_required: false })).status, 200);
});

test('a draft discarded while it waits for 签批 leaves nothing in the leaders\' 待办', async () => {
  assert.equal((await office.put('/api/v1/notice-settings', { signoff_required: true })).status, 200);
  const { id } = await draft('提请后删除');
  assert.equal((await office.post(`/api/v1/notices/${id}/signoff-request`, {})).status, 200);
  assert.ok((await inbox(leader)).some(i => i.link === `/notices/${id}`));
  assert.equal((await office.del(`/api/v1/notices/${id}`)).status, 200);
  assert.ok(!(await inbox(leader)).some(i => i.link === `/notices/${id}`));
  assert.equal((await office.put('/api/v1/notice-settings', { signoff_required: false })).status, 200);
});

test('签批 off: issued directly, no sign-off offered', async () => {
  const d = await draft('无须签批');
  assert.ok(names(d).includes('issue'));
  assert.ok(!names(d).includes('signoff_request'));
  assertError(await office.post(`/api/v1/notices/${d.id}/signoff-request`, {}), 409, 'conflict');
  assert.equal((await office.post(`/api/v1/notices/${d.id}/issue`, {})).status, 200);
});
