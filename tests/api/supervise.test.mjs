// supervise.test.mjs - supervision (督查督办): dispatch notices through their whole life with the
// history, every illegal step (409 naming the stage), unit scoping (403, drafts hidden),
// escalation of overdue notices by the server's tick and by hand, the inbox (the right users,
// once, gone when done), the SMS outbox (phones only to a gateway holding unmask_pii, every
// claim audited, never a phone in clear in the database) and validation errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, sql, cli, BACKEND } from './lib.mjs';

process.env.ECOACT_TICK_SECONDS = '1'; // the server's tick every second (inherited by the server)

let srv, office, admin, reporter, wanzhou, leader, evaluator, sys, sec, auditor;
before(async () => {
  srv = await startServer({ name: 'supervise' });
  [office, admin, reporter, wanzhou, leader, evaluator, sys, sec, auditor] = await Promise.all(
    ['demo.office', 'demo.yuzhong.admin', 'demo.yuzhong', 'demo.wanzhou', 'demo.leader', 'demo.evaluator',
      'demo.sysadmin', 'demo.secadmin', 'demo.auditor'].map(u => srv.login(u)));
});
after(async () => { await srv.stop(); });

/** Asia/Shanghai date, shifted by n days, as YYYY-MM-DD. */
function day(n = 0) {
  return new Date(Date.now() + 8 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);
}
const sleep = ms => new Promise(r => setTimeout(r, ms));
async function until(what, fn, ms = 8000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await sleep(150);
  }
}

let seq = 0;
function draft(extra = {}) {
  return { unit: '500103', task: 17, title: `关于加快落实区县新闻发布会制度的督办 ${++seq}`,
    requirements: '请于期限内按季度召开新闻发布会，并报送发布会材料。', deadline: day(10), ...extra };
}
async function issued(extra = {}) {
  const r = await office.post('/api/v1/notices', { ...draft(extra), issue: true });
  assert.equal(r.status, 201, r.text);
  return r.json;
}
const inbox = async c => (await c.get('/api/v1/inbox?limit=200')).json;
const stageMsg = (r, label) => { assertError(r, 409, 'conflict'); assert.match(r.json.error.message, new RegExp(`“${label}”`)); };
const text = Buffer.from('督办落实情况说明：已召开新闻发布会一次。\n', 'utf8');

test('the whole life of a notice: 立项 → 下发 → 签收 → 办理 → 反馈 → 复核(退回) → 反馈 → 办结, with history', async () => {
  const t0 = Math.floor(Date.now() / 1000);
  const d = await office.post('/api/v1/notices', draft());
  assert.equal(d.status, 201, d.text);
  const id = d.json.id;
  assert.equal(d.json.stage, 'drafted');
  assert.equal(d.json.stage_label, '立项');
  assert.equal(d.json.doc_no, null);
  assert.equal(d.json.level, 'blue');
  assert.equal(d.json.unit.code, '500103');
  assert.equal(d.json.subject, 'task');
  assert.equal(d.json.task, 17);

  const p = await office.patch(`/api/v1/notices/${id}`, { title: '关于渝中区新闻发布会制度落实情况的督办' });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.title, '关于渝中区新闻发布会制度落实情况的督办');
  assert.equal(p.json.task, 17, 'fields not in the PATCH stay');

  const is = await office.post(`/api/v1/notices/${id}/issue`, {});
  assert.equal(is.status, 200, is.text);
  assert.equal(is.json.stage, 'issued');
  assert.match(is.json.doc_no, new RegExp(`^渝生态宣督〔${day().slice(0, 4)}〕\\d+号$`));

  // the unit has a unit_admin: the admin signs, not the reporter
  const item = (await inbox(admin)).items.find(i => i.link === `/notices/${id}`);
  assert.ok(item, 'the unit_admin has the notice to sign in the inbox');
  assert.equal(item.kind, 'notice_sign');
  assert.equal(item.due_date, d.json.deadline);
  assert.ok(!(await inbox(reporter)).items.some(i => i.link === `/notices/${id}`), 'the reporter does not sign when the unit has an admin');
  assert.ok(!(await inbox(wanzhou)).items.some(i => i.link === `/notices/${id}`), 'nothing in another unit');
  assertError(await reporter.post(`/api/v1/notices/${id}/sign`, {}), 403, 'forbidden');
  const s = await admin.post(`/api/v1/notices/${id}/sign`, { note: '已签收，由区生态环境局办理' });
  assert.equal(s.status, 200, s.text);
  assert.equal(s.json.stage, 'signed');
  assert.equal(s.json.signed_by_name, '刘渝中');
  assert.ok(!(await inbox(admin)).items.some(i => i.link === `/notices/${id}` && i.kind === 'notice_sign'), 'signing settles the item');

  const ev = await reporter.put(`/api/v1/notices/${id}/evidence/说明.txt`, undefined, { body: text, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  assert.equal(ev.status, 201, ev.text);
  assert.match(ev.json.hash, /^[0-9a-f]{64}$/);
  const back = await leader.get(`/api/v1/notices/${id}/evidence/${encodeURIComponent('说明.txt')}`);
  assert.equal(back.status, 200);
  assert.deepEqual(back.buf, text);
  assert.equal((await admin.get(`/api/v1/notices/${id}`)).json.stage, 'in_progress');

  const a1 = await reporter.post(`/api/v1/notices/${id}/answer`, { progress: '已召开一次发布会', difficulties: '场地紧张', next_steps: '下季度再开一次' });
  assert.equal(a1.status, 200, a1.text);
  assert.equal(a1.json.stage, 'answered');
  assert.equal(a1.json.answered_date, day());
  assert.ok((await inbox(office)).items.some(i => i.link === `/notices/${id}` && i.kind === 'notice_review'), 'the office reviews');

  assertError(await office.post(`/api/v1/notices/${id}/review`, { decision: 'return' }), 422, 'rule_violation', 'reason');
  const ret = await office.post(`/api/v1/notices/${id}/review`, { decision: 'return', reason: '请补充发布会新闻稿' });
  assert.equal(ret.status, 200, ret.text);
  assert.equal(ret.json.stage, 'in_progress');
  assert.equal(ret.json.answered_date, null);
  const returned = (await inbox(reporter)).items.find(i => i.link === `/notices/${id}` && i.kind === 'notice_returned');
  assert.ok(returned, 'a returned answer lands in the unit inbox');
  assert.ok(!(await inbox(office)).items.some(i => i.link === `/notices/${id}` && i.kind === 'notice_review'));

  const a2 = await admin.post(`/api/v1/notices/${id}/answer`, { progress: '已补充新闻稿', next_steps: '按季度继续召开' });
  assert.equal(a2.status, 200, a2.text);
  assert.ok(!(await inbox(reporter)).items.some(i => i.link === `/notices/${id}`), 'answering settles the unit items');
  const done = await office.post(`/api/v1/notices/${id}/review`, { decision: 'accept', reason: '材料齐全' });
  assert.equal(done.status, 200, done.text);
  assert.equal(done.json.stage, 'closed');
  assert.equal(done.json.stage_label, '办结');

  const n = (await evaluator.get(`/api/v1/notices/${id}`)).json;
  assert.deepEqual(n.history.map(h => h.action),
    ['draft', 'update', 'issue', 'sign', 'start', 'evidence_add', 'answer', 'return', 'answer', 'accept']);
  assert.deepEqual(n.history.map(h => h.stage),
    ['drafted', 'drafted', 'issued', 'signed', 'in_progress', 'in_progress', 'answered', 'in_progress', 'answered', 'closed']);
  const now = Math.floor(Date.now() / 1000);
  for (let i = 0; i < n.history.length; i++) {
    const h = n.history[i];
    assert.ok(h.at >= t0 && h.at <= now, `history ${h.action} at ${h.at}`);
    if (i) assert.ok(h.at >= n.history[i - 1].at);
    assert.ok(h.by.name.length > 0);
  }
  assert.equal(n.history[3].by.name, '刘渝中');
  assert.equal(n.history[3].note, '已签收，由区生态环境局办理');
  assert.equal(n.history[7].note, '请补充发布会新闻稿');
  for (const st of ['drafted', 'issued', 'signed', 'in_progress', 'answered', 'reviewed', 'closed'])
    assert.ok(n.stages[st] >= t0, `stage ${st} has a time`);
  assert.equal(n.stages.reviewed, n.answers[0].review.at, '复核 is the latest review');
  assert.equal(n.answers.length, 2);
  assert.equal(n.answers[0].round, 2);
  assert.equal(n.answers[0].review.decision, 'accept');
  assert.equal(n.answers[1].review.decision, 'return');
  assert.equal(n.answers[1].difficulties, '场地紧张');
  assert.equal(n.evidence.length, 1);
  assert.equal(n.evidence[0].name, '说明.txt');
});

test('every step out of order is a 409 naming the current stage', async () => {
  const d = (await office.post('/api/v1/notices', draft())).json;
  stageMsg(await office.post(`/api/v1/notices/${d.id}/review`, { decision: 'accept' }), '立项');
  stageMsg(await office.post(`/api/v1/notices/${d.id}/escalate`, {}), '立项');
  assert.equal((await office.post(`/api/v1/notices/${d.id}/issue`, {})).status, 200);
  stageMsg(await office.post(`/api/v1/notices/${d.id}/issue`, {}), '下发');
  stageMsg(await office.patch(`/api/v1/notices/${d.id}`, { title: '改标题' }), '下发');
  stageMsg(await reporter.post(`/api/v1/notices/${d.id}/answer`, { progress: 'x', next_steps: 'y' }), '下发');
  stageMsg(await reporter.put(`/api/v1/notices/${d.id}/evidence/a.txt`, undefined, { body: text, headers: { 'Content-Type': 'text/plain' } }), '下发');
  assert.equal((await admin.post(`/api/v1/notices/${d.id}/sign`, {})).status, 200);
  stageMsg(await admin.post(`/api/v1/notices/${d.id}/sign`, {}), '签收');
  stageMsg(await office.post(`/api/v1/notices/${d.id}/review`, { decision: 'accept' }), '签收');
  assert.equal((await reporter.post(`/api/v1/notices/${d.id}/answer`, { progress: '完成', next_steps: '无' })).status, 200);
  stageMsg(await reporter.post(`/api/v1/notices/${d.id}/answer`, { progress: '再次', next_steps: '无' }), '反馈');
  stageMsg(await reporter.put(`/api/v1/notices/${d.id}/evidence/a.txt`, undefined, { body: text, headers: { 'Content-Type': 'text/plain' } }), '反馈');
  stageMsg(await office.post(`/api/v1/notices/${d.id}/escalate`, {}), '反馈');
  assert.equal((await office.post(`/api/v1/notices/${d.id}/review`, { decision: 'accept' })).status, 200);
  stageMsg(await office.post(`/api/v1/notices/${d.id}/review`, { decision: 'return', reason: 'x' }), '办结');
  stageMsg(await office.post(`/api/v1/notices/${d.id}/escalate`, {}), '办结');
  stageMsg(await admin.post(`/api/v1/notices/${d.id}/answer`, { progress: 'x', next_steps: 'y' }), '办结');
  const h = (await office.get(`/api/v1/notices/${d.id}`)).json.history.map(x => x.action);
  assert.deepEqual(h, ['draft', 'issue', 'sign', 'answer', 'accept'], 'refused steps leave no trace');
});

test('evidence: checked type, replaced by name, removed, each step in the history', async () => {
  const n = await issued({ title: '佐证材料测试' });
  assert.equal((await admin.post(`/api/v1/notices/${n.id}/sign`, {})).status, 200);
  const url = `/api/v1/notices/${n.id}/evidence/report.pdf`;
  assertError(await reporter.put(url, undefined, { body: text, headers: { 'Content-Type': 'application/pdf' } }), 415, 'unsupported_media_type');
  assertError(await reporter.put(url, undefined, { body: text, headers: { 'Content-Type': 'application/x-sh' } }), 415, 'unsupported_media_type');
  assertError(await reporter.put(`/api/v1/notices/${n.id}/evidence/empty.txt`, undefined, { body: Buffer.alloc(0), headers: { 'Content-Type': 'text/plain' } }), 422, 'rule_violation');
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
  assert.equal((await reporter.put(url, undefined, { body: pdf, headers: { 'Content-Type': 'application/pdf' } })).status, 201);
  const again = await admin.put(url, undefined, { body: Buffer.concat([pdf, Buffer.from('%more\n')]), headers: { 'Content-Type': 'application/pdf' } });
  assert.equal(again.status, 200, again.text);
  assert.equal((await wanzhou.get(url)).status, 404); // another unit's notice: as if absent
  assertError(await reporter.del(`/api/v1/notices/${n.id}/evidence/none.pdf`), 404, 'not_found');
  assert.equal((await reporter.del(url)).status, 200);
  assertError(await reporter.get(url), 404, 'not_found');
  const h = (await office.get(`/api/v1/notices/${n.id}`)).json;
  assert.deepEqual(h.history.map(x => x.action), ['draft', 'issue', 'sign', 'start', 'evidence_add', 'evidence_replace', 'evidence_remove']);
  assert.equal(h.evidence.length, 0);
  assert.equal(h.stage, 'in_progress');
});

test('another unit can neither see, sign nor answer a notice (404: its ids are not told apart from missing ones); a unit sees only its own, never drafts', async () => {
  const n = await issued();
  assertError(await wanzhou.get(`/api/v1/notices/${n.id}`), 404, 'not_found', 'id');
  assertError(await wanzhou.post(`/api/v1/notices/${n.id}/sign`, {}), 404, 'not_found');
  assert.equal((await admin.post(`/api/v1/notices/${n.id}/sign`, {})).status, 200);
  assertError(await wanzhou.post(`/api/v1/notices/${n.id}/answer`, { progress: 'x', next_steps: 'y' }), 404, 'not_found');
  assertError(await wanzhou.put(`/api/v1/notices/${n.id}/evidence/a.txt`, undefined, { body: text, headers: { 'Content-Type': 'text/plain' } }), 404, 'not_found');
  // 万州区 has no unit_admin: its reporter signs
  const w = await issued({ unit: '500101', title: '万州区督办单' });
  assert.ok((await inbox(wanzhou)).items.some(i => i.link === `/notices/${w.id}` && i.kind === 'notice_sign'));
  assert.equal((await wanzhou.post(`/api/v1/notices/${w.id}/sign`, {})).status, 200);
  const hidden = (await office.post('/api/v1/notices', draft({ unit: '500101', title: '万州区草稿' }))).json;
  assertError(await wanzhou.get(`/api/v1/notices/${hidden.id}`), 404, 'not_found');

  const mine = (await wanzhou.get('/api/v1/notices?limit=200')).json.items;
  assert.ok(mine.length >= 1);
  assert.ok(mine.every(x => x.unit.code === '500101'), 'only 万州区 notices');
  assert.ok(!mine.some(x => x.id === hidden.id), 'no drafts');
  assertError(await wanzhou.get('/api/v1/notices?unit=500103'), 403, 'forbidden', 'unit');
  for (const c of [leader, evaluator, office]) {
    const all = (await c.get('/api/v1/notices?limit=200')).json.items;
    assert.ok(all.some(x => x.unit.code === '500103') && all.some(x => x.unit.code === '500101'));
  }
  const yz = (await office.get('/api/v1/notices?unit=500103&stage=issued&limit=200')).json.items;
  assert.ok(yz.every(x => x.unit.code === '500103' && x.stage === 'issued'));
  const page = await office.get('/api/v1/notices?limit=1');
  assert.equal(page.json.items.length, 1);
  const next = await office.get(`/api/v1/notices?limit=1&cursor=${page.json.next_cursor}`);
  assert.ok(next.json.items[0].id < page.json.items[0].id, 'newest first, cursor pages on');
  assertError(await office.get('/api/v1/notices?stage=done'), 422, 'rule_violation', 'stage');
  assertError(await office.get('/api/v1/notices?level=purple'), 422, 'rule_violation', 'level');
});

test('an overdue notice escalates blue → orange → red on the tick, each change recorded once', async () => {
  const n = await issued({ title: '逾期督办测试' });
  assert.equal((await admin.post(`/api/v1/notices/${n.id}/sign`, {})).status, 200);
  sql(srv, `UPDATE notices SET deadline = '${day(-3)}' WHERE id = ${n.id}`);
  const orange = await until('orange', async () => {
    const x = (await office.get(`/api/v1/notices/${n.id}`)).json;
    return x.level === 'orange' && x;
  });
  assert.equal(orange.level_label, '橙色');
  assert.equal(orange.overdue, true);
  assert.equal(orange.overdue_days, 3);
  const e1 = orange.history.filter(h => h.action === 'escalate');
  assert.equal(e1.length, 1);
  assert.equal(e1[0].by.id, null);
  assert.equal(e1[0].by.name, '系统');
  assert.match(e1[0].note, /逾期 3 天/);
  sql(srv, `UPDATE notices SET deadline = '${day(-8)}' WHERE id = ${n.id}`);
  await until('red', async () => (await office.get(`/api/v1/notices/${n.id}`)).json.level === 'red');
  await sleep(2500); // more ticks change nothing
  const red = (await office.get(`/api/v1/notices/${n.id}`)).json;
  assert.deepEqual(red.history.filter(h => h.action === 'escalate').map(h => h.level), ['orange', 'red']);
  const listed = (await office.get('/api/v1/notices?level=red&overdue=true&limit=200')).json.items;
  assert.ok(listed.some(x => x.id === n.id && x.level === 'red' && x.overdue_days === 8));
  assert.ok(!(await office.get('/api/v1/notices?overdue=false&limit=200')).json.items.some(x => x.id === n.id));
  assert.ok((await inbox(reporter)).items.some(i => i.link === `/notices/${n.id}` && i.kind === 'notice_escalated'));
  // an answer stops the clock; the level stays
  const a = await admin.post(`/api/v1/notices/${n.id}/answer`, { progress: '已补办', next_steps: '按期办理' });
  assert.equal(a.status, 200, a.text);
  assert.equal(a.json.level, 'red');
  assert.equal(a.json.overdue, false);
  // `ecoact tick` (cron) runs the same work and is idempotent beside the server's tick
  const t = cli(srv, ['tick']);
  assert.equal(t.code, 0, t.err);
  assert.match(t.out, /^ecoact tick: nothing to do/, 'the server already did the work: the tick is idempotent');
  assert.equal((await office.get(`/api/v1/notices/${n.id}`)).json.history.filter(h => h.action === 'escalate').length, 2);
});

test('the office escalates by hand: blue → orange → red, then 409', async () => {
  const n = await issued({ title: '人工升级测试' });
  const o = await office.post(`/api/v1/notices/${n.id}/escalate`, { note: '进展缓慢' });
  assert.equal(o.status, 200, o.text);
  assert.equal(o.json.level, 'orange');
  const r = await office.post(`/api/v1/notices/${n.id}/escalate`, {});
  assert.equal(r.json.level, 'red');
  assertError(await office.post(`/api/v1/notices/${n.id}/escalate`, {}), 409, 'conflict');
  const h = r.json.history.filter(x => x.action === 'escalate');
  assert.deepEqual(h.map(x => x.level), ['orange', 'red']);
  assert.equal(h[0].by.name, '王晓燕');
  assert.match(h[0].note, /进展缓慢/);
  const issuedRed = await issued({ title: '直接红色督办', level: 'red' });
  assert.equal(issuedRed.level, 'red');
  assertError(await admin.post(`/api/v1/notices/${n.id}/escalate`, {}), 403, 'forbidden');
});

test('a notice due within three days reminds its unit once; done items vanish; others cannot touch them', async () => {
  const n = await issued({ title: '即将到期测试', deadline: day(2) });
  const item = await until('due reminder', async () =>
    (await inbox(reporter)).items.find(i => i.link === `/notices/${n.id}` && i.kind === 'notice_due'));
  assert.equal(item.kind_label, '督办单即将到期');
  assert.equal(item.target, 'unit');
  assert.equal(item.due_date, day(2));
  await sleep(2200);
  const box = await inbox(admin);
  assert.equal(box.items.filter(i => i.link === `/notices/${n.id}` && i.kind === 'notice_due').length, 1, 'added once');
  assert.ok(box.counts.notice_due >= 1);
  assert.equal(box.total, box.items.length);
  assert.equal(Object.values(box.counts).reduce((a, b) => a + b, 0), box.total);
  assertError(await wanzhou.post(`/api/v1/inbox/${item.id}/done`), 404, 'not_found');
  const ok = await reporter.post(`/api/v1/inbox/${item.id}/done`);
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.already_done, false);
  assert.equal((await reporter.post(`/api/v1/inbox/${item.id}/done`)).json.already_done, true);
  await sleep(1500);
  for (const c of [reporter, admin])
    assert.ok(!(await inbox(c)).items.some(i => i.id === item.id), 'a group item done by one is done for all');
  assert.equal((await inbox(evaluator)).items.length, 0, 'nothing for the evaluator');
  const far = await issued({ title: '远期督办', deadline: day(30) });
  await sleep(1500);
  assert.ok(!(await inbox(reporter)).items.some(i => i.link === `/notices/${far.id}` && i.kind === 'notice_due'));
});

test('the outbox: phones only to a gateway holding unmask_pii, every claim audited, no phone in clear in the database', async () => {
  // a gateway account: created by sysadmin, role by secadmin, password changed, a bearer token
  const u = await sys.post('/api/v1/users', { username: 'sms.gateway', display_name: '短信网关', unit_id: (await sys.get('/api/v1/units/市生态环境局')).json.id });
  assert.equal(u.status, 201, u.text);
  assert.equal((await sec.put(`/api/v1/users/${u.json.id}/roles`, { roles: ['gateway'] })).status, 200);
  const g = srv.client();
  await g.login('sms.gateway', u.json.one_time_password);
  assert.equal((await g.put('/api/v1/me/password', { old_password: u.json.one_time_password, new_password: 'Gateway-Pass-2026' })).status, 200);
  const tok = await g.post('/api/v1/tokens', { name: 'sms', scopes: ['read', 'write'] });
  assert.equal(tok.status, 201, tok.text);
  const bearer = { headers: { Authorization: `Bearer ${tok.json.token}` }, origin: null };
  const gw = { post: (p, json) => srv.client().req('POST', p, { json, ...bearer }) };

  const n = await issued({ title: '短信通知测试' }); // the sign item goes to 刘渝中 (phone 13900139003)
  assertError(await gw.post('/api/v1/outbox/claim', { limit: 50 }), 403, 'forbidden');
  assertError(await office.post('/api/v1/outbox/claim', { limit: 5 }), 403, 'forbidden'); // no gateway role
  let audit = (await auditor.get('/api/v1/audit?action=outbox.claim&limit=10')).json.items;
  assert.equal(audit[0].result, 'denied');
  assert.equal(audit[0].username, 'sms.gateway');

  assert.equal((await sec.put(`/api/v1/users/${u.json.id}/permissions`, { permissions: ['unmask_pii'] })).status, 200);
  assertError(await gw.post('/api/v1/outbox/claim', { limit: 0 }), 422, 'rule_violation', 'limit');
  const c = await srv.client().req('POST', '/api/v1/outbox/claim', { json: { limit: 100 }, headers: { ...bearer.headers, 'Idempotency-Key': 'claim-1' }, origin: null });
  assert.equal(c.status, 200, c.text);
  const msg = c.json.items.find(m => m.phone === '13900139003' && m.text.includes('短信通知测试'));
  assert.ok(msg, `a message for 刘渝中: ${c.text}`);
  assert.equal(msg.channel, 'sms');
  assert.equal(msg.attempts, 1);
  assert.ok([...msg.text].length <= 70, msg.text);
  assert.match(msg.text, /^【生态宣教】待签收督办单：/);
  assert.ok(c.json.items.every(m => /^1\d{10}$/.test(m.phone)));
  audit = (await auditor.get('/api/v1/audit?action=outbox.claim&limit=10')).json.items;
  assert.equal(audit[0].result, 'ok');
  assert.match(audit[0].detail, new RegExp(`\\b${msg.id}\\b`));
  assert.doesNotMatch(audit[0].detail, /139/);
  assert.equal((await gw.post('/api/v1/outbox/claim', { limit: 100 })).json.items.length, 0, 'claimed messages are not handed out twice');

  const sent = await gw.post(`/api/v1/outbox/${msg.id}/result`, { status: 'sent' });
  assert.equal(sent.status, 200, sent.text);
  assert.equal(sent.json.status, 'sent');
  assertError(await gw.post(`/api/v1/outbox/${msg.id}/result`, { status: 'sent' }), 409, 'conflict');
  assertError(await gw.post('/api/v1/outbox/999999/result', { status: 'sent' }), 404, 'not_found');
  assertError(await gw.post(`/api/v1/outbox/${msg.id}/result`, { status: 'maybe' }), 422, 'rule_violation', 'status');

  // a failure goes back to pending and is claimed again
  const other = c.json.items.find(m => m.id !== msg.id);
  if (other) {
    const f = await gw.post(`/api/v1/outbox/${other.id}/result`, { status: 'failed', error: '运营商拒收' });
    assert.equal(f.json.status, 'pending');
    const again = (await gw.post('/api/v1/outbox/claim', { limit: 100 })).json.items.find(m => m.id === other.id);
    assert.equal(again.attempts, 2);
  }

  // the database never holds the phone in clear: not in the outbox, not in stored answers
  const dump = sql(srv, 'SELECT text FROM outbox') + sql(srv, 'SELECT response FROM idempotency');
  assert.doesNotMatch(dump, /13900139003|13900139004/);
  assert.ok(n.id > 0);
});

test('validation: unknown task, unit, plan or obligation 422; deadline before today 422; unknown field 400', async () => {
  assertError(await office.post('/api/v1/notices', draft({ task: 999 })), 422, 'rule_violation', 'task');
  assertError(await office.post('/api/v1/notices', draft({ deadline: day(-1) })), 422, 'rule_violation', 'deadline');
  assertError(await office.post('/api/v1/notices', draft({ deadline: '2026-02-30' })), 422, 'rule_violation', 'deadline');
  assertError(await office.post('/api/v1/notices', draft({ unit: '509999' })), 422, 'rule_violation', 'unit');
  assertError(await office.post('/api/v1/notices', draft({ unit: 999999 })), 422, 'rule_violation', 'unit');
  assertError(await office.post('/api/v1/notices', draft({ plan: 'no-such-plan' })), 422, 'rule_violation', 'plan');
  assertError(await office.post('/api/v1/notices', draft({ title: '' })), 422, 'rule_violation', 'title');
  assertError(await office.post('/api/v1/notices', draft({ level: 'purple' })), 422, 'rule_violation', 'level');
  assertError(await office.post('/api/v1/notices', draft({ colour: 'red' })), 400, 'bad_request', 'colour');
  assertError(await office.post('/api/v1/notices', draft({ task: '17' })), 400, 'bad_request', 'task');
  const { task, ...noTask } = draft();
  assert.ok(task);
  assertError(await office.post('/api/v1/notices', noTask), 422, 'rule_violation', 'task');
  assertError(await office.post('/api/v1/notices', { ...noTask, obligation: 'no-such-duty', period_start: '2023-07-01', period_end: '2023-09-30' }), 422, 'rule_violation', 'obligation');
  assertError(await office.post('/api/v1/notices', { ...noTask, obligation: 't16-press-month', period_start: '2023-09-30', period_end: '2023-07-01' }), 422, 'rule_violation', 'period_end');
  const c = await office.post('/api/v1/notices', { ...noTask, obligation: 't16-press-month', period_start: '2023-07-01', period_end: '2023-07-31' });
  assert.equal(c.status, 201, c.text);
  assert.equal(c.json.subject, 'compliance');
  assert.deepEqual(c.json.period, { start: '2023-07-01', end: '2023-07-31' });
  assert.equal(c.json.task, null);
  const twin = await office.post('/api/v1/notices', { ...noTask, obligation: 't16-press-month', period_start: '2023-07-01', period_end: '2023-07-31' });
  assertError(twin, 409, 'conflict', 'obligation');
  assert.match(twin.json.error.message, new RegExp(String(c.json.id)));
  const before = (await office.get('/api/v1/notices?limit=1000')).json.items.length;
  assertError(await office.patch(`/api/v1/notices/${c.json.id}`, { deadline: day(-5) }), 422, 'rule_violation', 'deadline');
  assertError(await office.get('/api/v1/notices/999999'), 404, 'not_found');
  assert.equal((await office.get('/api/v1/notices?limit=1000')).json.items.length, before, 'nothing half-written');
  assert.equal(BACKEND === 'pg' || BACKEND === 'sqlite', true);
});

/** The path as "key:state:note" strings, and whether each step has a time. */
const pathOf = n => n.path.map(p => `${p.key}:${p.state}${p.note ? `:${p.note}` : ''}`);
const timed = n => n.path.map(p => p.at !== null);

test('the stage path comes with the notice: each stage, a returned answer, a step never reached', async () => {
  const d = (await office.post('/api/v1/notices', draft())).json;
  assert.deepEqual(d.path.map(p => p.label), ['立项', '下发', '签收', '办理', '反馈', '复核', '办结']);
  assert.deepEqual(pathOf(d), ['drafted:done', 'issued:current:待下发', 'signed:todo', 'in_progress:todo', 'answered:todo', 'reviewed:todo', 'closed:todo']);
  assert.deepEqual(timed(d), [true, false, false, false, false, false, false]);
  assert.equal(d.path[0].at, d.stages.drafted);
  assert.equal(d.returned, false);
  const id = d.id;

  const is = (await office.post(`/api/v1/notices/${id}/issue`, {})).json;
  assert.deepEqual(pathOf(is), ['drafted:done', 'issued:done', 'signed:current:待单位签收', 'in_progress:todo', 'answered:todo', 'reviewed:todo', 'closed:todo']);
  assert.equal(is.path[1].at, is.stages.issued);
  const s = (await admin.post(`/api/v1/notices/${id}/sign`, {})).json;
  assert.deepEqual(pathOf(s).slice(2, 5), ['signed:done', 'in_progress:current:待办理', 'answered:todo']);
  assert.equal(s.path[3].at, null);
  assert.equal((await reporter.put(`/api/v1/notices/${id}/evidence/a.txt`, undefined, { body: text, headers: { 'Content-Type': 'text/plain' } })).status, 201);
  const ip = (await admin.get(`/api/v1/notices/${id}`)).json;
  assert.deepEqual(pathOf(ip).slice(3, 5), ['in_progress:current:办理中', 'answered:todo']);
  assert.equal(ip.path[3].at, ip.stages.in_progress);
  const a = (await reporter.post(`/api/v1/notices/${id}/answer`, { progress: '已办', next_steps: '继续' })).json;
  assert.deepEqual(pathOf(a).slice(3), ['in_progress:done', 'answered:done', 'reviewed:current:待办公室复核', 'closed:todo']);
  const r = (await office.post(`/api/v1/notices/${id}/review`, { decision: 'return', reason: '请补充材料' })).json;
  assert.equal(r.returned, true);
  assert.deepEqual(pathOf(r).slice(3), ['in_progress:current:被退回重办', 'answered:todo', 'reviewed:todo', 'closed:todo']);
  assert.deepEqual(timed(r).slice(4), [false, false, false], 'the earlier answer and review are not shown as reached');
  assert.equal((await admin.post(`/api/v1/notices/${id}/answer`, { progress: '已补充', next_steps: '继续' })).json.returned, false);
  const c = (await office.post(`/api/v1/notices/${id}/review`, { decision: 'accept' })).json;
  assert.deepEqual(pathOf(c), ['drafted:done', 'issued:done', 'signed:done', 'in_progress:done', 'answered:done', 'reviewed:done', 'closed:done']);
  assert.ok(timed(c).every(Boolean), 'every step of a closed notice has its time');
  assert.equal(c.path[5].at, c.stages.reviewed);
  assert.ok(c.history.every(h => typeof h.action_label === 'string' && h.action_label.length > 0));
  assert.deepEqual(c.history.filter(h => h.action === 'return').map(h => h.action_label), ['复核：退回重办']);

  // answered right after signing: 办理 was never reached
  const n2 = await issued();
  await admin.post(`/api/v1/notices/${n2.id}/sign`, {});
  const a2 = (await admin.post(`/api/v1/notices/${n2.id}/answer`, { progress: '已办', next_steps: '继续' })).json;
  assert.deepEqual(pathOf(a2).slice(3, 6), ['in_progress:done:未经此步', 'answered:done', 'reviewed:current:待办公室复核']);
  assert.equal(a2.path[3].at, null);
});

test('GET /notice-vocabulary: stages (no drafts for unit users), path steps, levels, subjects, history actions', async () => {
  const v = await office.get('/api/v1/notice-vocabulary');
  assert.equal(v.status, 200, v.text);
  const pairs = l => l.map(x => `${x.name}:${x.label}`);
  assert.deepEqual(pairs(v.json.stages), ['drafted:立项', 'issued:下发', 'signed:签收', 'in_progress:办理', 'answered:反馈', 'closed:办结']);
  assert.deepEqual(pairs(v.json.steps), ['drafted:立项', 'issued:下发', 'signed:签收', 'in_progress:办理', 'answered:反馈', 'reviewed:复核', 'closed:办结']);
  assert.deepEqual(pairs(v.json.levels), ['blue:蓝色', 'orange:橙色', 'red:红色']);
  assert.deepEqual(pairs(v.json.subjects), ['task:重点任务', 'compliance:预警事项']);
  assert.equal(v.json.red_after_days, 7);
  const acts = Object.fromEntries(v.json.history_actions.map(a => [a.name, a.label]));
  for (const a of ['draft', 'update', 'issue', 'sign', 'start', 'evidence_add', 'evidence_replace', 'evidence_remove', 'answer', 'return', 'accept', 'escalate'])
    assert.ok(acts[a], `history action ${a} has a label`);
  for (const c of [admin, reporter, wanzhou]) {
    const u = await c.get('/api/v1/notice-vocabulary');
    assert.equal(u.status, 200, u.text);
    assert.deepEqual(u.json.stages.map(s => s.name), ['issued', 'signed', 'in_progress', 'answered', 'closed'], 'unit users never see drafts');
    assert.deepEqual(u.json.levels, v.json.levels);
  }
  assert.equal((await leader.get('/api/v1/notice-vocabulary')).json.stages[0].name, 'drafted');
  assertError(await sys.get('/api/v1/notice-vocabulary'), 403, 'forbidden');
});

test('the office discards a draft (删除草稿 among its actions); an issued notice cannot be', async () => {
  const d = (await office.post('/api/v1/notices', draft())).json;
  assert.deepEqual(d.actions.find(a => a.name === 'discard'), { name: 'discard', label: '删除草稿' });
  const x = await office.del(`/api/v1/notices/${d.id}`);
  assert.equal(x.status, 200, x.text);
  assertError(await office.get(`/api/v1/notices/${d.id}`), 404, 'not_found');
  const n = await issued();
  assert.ok(!n.actions.some(a => a.name === 'discard'));
  stageMsg(await office.del(`/api/v1/notices/${n.id}`), '下发');
});
