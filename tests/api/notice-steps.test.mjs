// notice-steps.test.mjs - one check per step of a 督办单 (issue 19 §1, §2): at every stage of a
// notice, for each role of the demo (the office, the unit_admin and a reporter of the notice's
// unit, a reporter of another unit, the leader), every step the notice's `actions` list succeeds
// and every step it does not list is refused (4xx, the notice unchanged). And the 待办 items
// follow the notice: the signing item reaches whoever may sign, the answering item whoever may
// answer, and answering closes it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sql } from './lib.mjs';

let srv, office, admin, reporter, wanzhou, leader;
before(async () => {
  srv = await startServer({ name: 'notice-steps' });
  [office, admin, reporter, wanzhou, leader] = await Promise.all(
    ['demo.office', 'demo.yuzhong.admin', 'demo.yuzhong', 'demo.wanzhou', 'demo.leader'].map(u => srv.login(u)));
});
after(async () => { await srv.stop(); });

const day = (n = 0) => new Date(Date.now() + 8 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const STEPS = {
  edit: (c, id) => c.patch(`/api/v1/notices/${id}`, { title: '修改后的督办单标题' }),
  discard: (c, id) => c.del(`/api/v1/notices/${id}`),
  issue: (c, id) => c.post(`/api/v1/notices/${id}/issue`, {}),
  sign: (c, id) => c.post(`/api/v1/notices/${id}/sign`, {}),
  evidence: (c, id) => c.put(`/api/v1/notices/${id}/evidence/a.pdf`, undefined,
    { body: PDF, headers: { 'Content-Type': 'application/pdf' } }),
  answer: (c, id) => c.post(`/api/v1/notices/${id}/answer`, { progress: '已召开发布会', next_steps: '按季度召开' }),
  review: (c, id) => c.post(`/api/v1/notices/${id}/review`, { decision: 'accept' }),
  escalate: (c, id) => c.post(`/api/v1/notices/${id}/escalate`, {}),
  urge: (c, id) => c.post(`/api/v1/notices/${id}/urge`, {}),
  signoff_request: (c, id) => c.post(`/api/v1/notices/${id}/signoff-request`, {}),
  signoff: (c, id) => c.post(`/api/v1/notices/${id}/signoff`, {}),
  signoff_return: (c, id) => c.post(`/api/v1/notices/${id}/signoff-return`, { reason: '请补充督办依据' }),
};
// How a notice reaches each stage: the office drafts and issues, the unit_admin signs, the
// reporter adds evidence and answers (so the office may review).
const WALK = { drafted: [], issued: ['issue'], signed: ['issue', 'sign'], in_progress: ['issue', 'sign', 'evidence'],
  overdue: ['issue', 'sign'], signoff_on: [], requested: ['signoff_request'], approved: ['signoff_request', 'signoff'], answered: ['issue', 'sign', 'evidence', 'answer'], closed: ['issue', 'sign', 'evidence', 'answer', 'review'] };
const WHO = { signoff_request: () => office, signoff: () => leader, issue: () => office, sign: () => admin, evidence: () => reporter, answer: () => reporter, review: () => office };
async function at(stage) {
  const d = await office.post('/api/v1/notices', { unit: '500103', task: 17, title: `步骤测试督办（${stage}）`,
    requirements: '请按季度召开新闻发布会并反馈', deadline: day(10) });
  assert.equal(d.status, 201, d.text);
  for (const s of WALK[stage]) {
    const r = await STEPS[s](WHO[s](), d.json.id);
    assert.ok(r.status < 300, `${s}: ${r.text}`);
  }
  if (stage === 'overdue') sql(srv, `UPDATE notices SET deadline = '${day(-2)}' WHERE id = ${d.json.id}`);
  return d.json.id;
}
const roles = () => ({ office, unit_admin: admin, unit_reporter: reporter, other_unit_reporter: wanzhou, leader });
const listed = async (c, id) => {
  const r = await c.get(`/api/v1/notices/${id}`);
  return r.status === 200 ? r.json.actions.map(a => a.name) : [];
};
const stateOf = async id => { const r = await office.get(`/api/v1/notices/${id}`); return r.status === 200 ? [r.json.stage, r.json.level, r.json.title, r.json.history.length] : r.status; };

const SIGNOFF = new Set(['signoff_on', 'requested', 'approved']);
for (const stage of Object.keys(WALK)) {
  test(`at ${stage}: what actions list succeeds, the rest is refused`, async () => {
    const set = await office.put('/api/v1/notice-settings', { signoff_required: SIGNOFF.has(stage) });
    assert.equal(set.status, 200, set.text);
    const shared = await at(stage);
    let offeredSomewhere = 0;
    for (const [role, c] of Object.entries(roles())) {
      const names = await listed(c, shared);
      for (const step of Object.keys(STEPS)) {
        if (names.includes(step)) {
          offeredSomewhere++;
          const id = await at(stage); // a fresh notice: the step changes it
          assert.ok((await listed(c, id)).includes(step));
          const r = await STEPS[step](c, id);
          assert.ok(r.status >= 200 && r.status < 300, `${role} ${step} at ${stage} is listed but got ${r.status}: ${r.text}`);
        } else {
          const before = await stateOf(shared);
          const r = await STEPS[step](c, shared);
          assert.ok(r.status >= 400 && r.status < 500 && r.status !== 401,
            `${role} ${step} at ${stage} is not listed but got ${r.status}: ${r.text}`);
          assert.ok(r.json?.error?.message && /[\u4e00-\u9fff]/.test(r.json.error.message), `a Chinese reason: ${r.text}`);
          assert.deepEqual(await stateOf(shared), before, `${role} ${step} at ${stage} changed nothing`);
        }
      }
    }
    if (stage !== 'closed') assert.ok(offeredSomewhere > 0, `someone may act at ${stage}`);
  });
}

test('the reporter is never offered 签收 when the unit has an admin, and the sign route agrees', async () => {
  const id = await at('issued');
  assert.ok(!(await listed(reporter, id)).includes('sign'));
  const r = await STEPS.sign(reporter, id);
  assert.equal(r.status, 403);
  assert.match(r.json.error.message, /单位管理员签收/);
  assert.ok((await listed(admin, id)).includes('sign'));
});

const inbox = async c => (await c.get('/api/v1/inbox?limit=200')).json.items;
test('待办 follows the notice: signing to the signer, answering to the unit until answered', async () => {
  const id = await at('issued');
  const link = `/notices/${id}`;
  assert.ok((await inbox(admin)).some(i => i.link === link && i.kind === 'notice_sign'), 'the admin signs');
  assert.ok(!(await inbox(reporter)).some(i => i.link === link), 'the reporter may not sign: nothing to do yet');
  assert.equal((await STEPS.sign(admin, id)).status, 200);
  for (const c of [reporter, admin]) {
    const it = (await inbox(c)).find(i => i.link === link && i.kind === 'notice_answer');
    assert.ok(it, 'whoever may answer has it in 待办');
    assert.match(it.title, /^督办单待反馈：/);
    assert.ok((await listed(c, id)).includes('answer'), 'and may answer');
  }
  assert.ok(!(await inbox(wanzhou)).some(i => i.link === link), 'nothing for another unit');
  assert.ok(!(await inbox(admin)).some(i => i.link === link && i.kind === 'notice_sign'), 'signing closed the signing item');
  assert.equal((await STEPS.answer(reporter, id)).status, 200);
  assert.ok(!(await inbox(reporter)).some(i => i.link === link && i.kind === 'notice_answer'), 'answering closed it');
  assert.ok(!(await inbox(admin)).some(i => i.link === link && i.kind === 'notice_answer'), 'for everyone');
});
