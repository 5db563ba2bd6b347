// citizen-inbox.test.mjs - citizens' in-app messages (issue 12 §4, "in-app messages, always") on
// the real binary: a guardian is asked to consent (the message links to the wards page and is
// closed once decided), the child is told the decision and a withdrawal, the filer of an
// organisation the review with its reason; a citizen reaches only its own messages (another's id
// answers 404), an official's session none (403); deletion removes them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sql, assertError, residentId } from './lib.mjs';

let srv, gw, office, yzAdmin, yzUnit;
const PW = 'Citizen-Pass-2026';
const VERSION = '2026-12-01';
let nextPhone = 13810000000;
const phone = () => String(++nextPhone);

/** A valid unified social credit code (GB 32100) from 17 characters. */
function uscc(first17) {
  const set = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = [...first17].reduce((s, c, i) => s + set.indexOf(c) * w[i], 0);
  return first17 + set[(31 - (sum % 31)) % 31];
}

/** The code sent to a number, read from the gateway's claim (and reported sent). */
async function codeFor(number) {
  const r = await gw.post('/api/v1/outbox/direct/claim', { limit: 100 });
  assert.equal(r.status, 200, r.text);
  let code = null;
  for (const m of r.json.items) {
    if (m.phone === number) code = /(\d{6})/.exec(m.text)[1];
    assert.equal((await gw.post(`/api/v1/outbox/direct/${m.id}/result`, { status: 'sent' })).status, 200);
  }
  assert.ok(code, `no code for ${number}`);
  return code;
}

async function register() {
  sql(srv, 'UPDATE citizen_otps SET created_at = created_at - 3601'); // the send limits start afresh
  const number = phone(), c = srv.client();
  assert.equal((await c.post('/api/v1/citizen/otp', { phone: number, purpose: 'register' })).status, 202);
  const r = await c.post('/api/v1/citizen/register', { phone: number, code: await codeFor(number), password: PW, privacy_version: VERSION });
  assert.equal(r.status, 201, r.text);
  c.phone = number;
  c.id = r.json.id;
  return c;
}

async function verified(id17, name = '张三') {
  const c = await register();
  const r = await c.post('/api/v1/citizen/me/realname', { name, id_number: residentId(id17), sensitive_consent: VERSION });
  assert.equal(r.status, 200, r.text);
  return c;
}

const inbox = async c => {
  const r = await c.get('/api/v1/citizen/inbox');
  assert.equal(r.status, 200, r.text);
  return r.json;
};

before(async () => {
  srv = await startServer({ name: 'citizen-inbox' });
  gw = await srv.login('demo.gateway');
  office = await srv.login('demo.office');
  yzAdmin = await srv.login('demo.yuzhong.admin');
  yzUnit = (await office.get('/api/v1/units/500103')).json.id;
});
after(async () => { await srv.stop(); });

test('a guardian is asked, the request closes when decided, the child is told; others get 404, officials 403', async () => {
  const parent = await verified('50010319800101001');
  const child = await verified('50010320170301002', '李小明');
  const empty = await inbox(parent);
  assert.deepEqual(empty.items, []);
  assert.deepEqual(empty.counts, { unread: 0, open: 0, total: 0 });
  assert.equal(empty.next_cursor, null);

  assert.equal((await child.post('/api/v1/citizen/me/guardian', { guardian_phone: parent.phone })).status, 200);
  let box = await inbox(parent);
  assert.equal(box.items.length, 1);
  const msg = box.items[0];
  assert.equal(msg.kind, 'guardian_request');
  assert.equal(msg.kind_label, '监护人同意请求');
  assert.match(msg.title, /^李\*\*（\d{3}\*{4}\d{4}）请求您作为监护人同意$/);
  assert.equal(msg.link, '/m/me/wards');
  assert.equal(msg.state, 'unread');
  assert.equal(msg.read_at, null);
  assert.deepEqual(box.counts, { unread: 1, open: 1, total: 1 });

  // another citizen: its id answers 404, and its inbox holds nothing of the parent's
  const other = await register();
  assertError(await other.post(`/api/v1/citizen/inbox/${msg.id}/read`), 404, 'not_found', 'id');
  assert.deepEqual((await inbox(other)).items, []);
  // an official's session reaches no public route
  assertError(await office.get('/api/v1/citizen/inbox'), 403, 'forbidden');
  assertError(await office.post(`/api/v1/citizen/inbox/${msg.id}/read`), 403, 'forbidden');
  assertError(await srv.client().get('/api/v1/citizen/inbox'), 401);
  assertError(await parent.post('/api/v1/citizen/inbox/abc/read'), 404);

  // opening it marks it read, once
  const rd = await parent.post(`/api/v1/citizen/inbox/${msg.id}/read`);
  assert.equal(rd.status, 200, rd.text);
  assert.deepEqual([rd.json.read, rd.json.already_read, rd.json.unread], [true, false, 0]);
  assert.equal((await parent.post(`/api/v1/citizen/inbox/${msg.id}/read`)).json.already_read, true);
  box = await inbox(parent);
  assert.equal(box.items[0].state, 'read');
  assert.ok(box.items[0].read_at > 0);
  assert.deepEqual(box.counts, { unread: 0, open: 1, total: 1 });

  // the decision closes the request and tells the child
  assert.equal((await parent.post(`/api/v1/citizen/wards/${child.id}/consent`, { approve: true, consent_version: VERSION })).status, 200);
  box = await inbox(parent);
  assert.equal(box.items[0].state, 'done');
  assert.ok(box.items[0].done_at > 0);
  assert.deepEqual(box.counts, { unread: 0, open: 0, total: 1 });
  let cb = await inbox(child);
  assert.equal(cb.items[0].kind, 'guardian_approved');
  assert.equal(cb.items[0].state, 'unread');
  assert.equal(cb.counts.unread, 1);

  // the guardian withdraws the consent: the child is told, newest first
  assert.equal((await parent.post(`/api/v1/citizen/wards/${child.id}/withdraw`)).status, 200);
  cb = await inbox(child);
  assert.deepEqual(cb.items.map(m => m.kind), ['guardian_withdrawn', 'guardian_approved']);
  assert.equal(cb.items[0].link, '/m/me/realname');
  assert.equal(cb.counts.unread, 2);
  // paging: one at a time, by cursor
  const p1 = (await child.get('/api/v1/citizen/inbox?limit=1')).json;
  assert.equal(p1.items.length, 1);
  assert.ok(p1.next_cursor);
  const p2 = (await child.get(`/api/v1/citizen/inbox?limit=1&cursor=${p1.next_cursor}`)).json;
  assert.equal(p2.items[0].kind, 'guardian_approved');
  // the download of what is held carries them; /me does not
  const dl = await child.post('/api/v1/citizen/me/export', { password: PW });
  assert.equal(dl.status, 200, dl.text);
  assert.deepEqual(dl.json.data.messages.map(m => m.kind), ['guardian_approved', 'guardian_withdrawn']);
  assert.equal((await child.get('/api/v1/citizen/me')).json.messages, undefined);
});

test('a refusal tells the child; asking again replaces the open request', async () => {
  const parent = await verified('50010319800101011');
  const child = await verified('50010320170301012');
  assert.equal((await child.post('/api/v1/citizen/me/guardian', { guardian_phone: parent.phone })).status, 200);
  assert.equal((await child.post('/api/v1/citizen/me/guardian', { guardian_phone: parent.phone })).status, 200);
  const box = await inbox(parent);
  assert.ok(box.counts.open <= 1, JSON.stringify(box.counts)); // a repeat in the same second adds nothing
  assert.equal((await parent.post(`/api/v1/citizen/wards/${child.id}/consent`, { approve: false })).status, 200);
  assert.equal((await inbox(parent)).counts.open, 0);
  const cb = await inbox(child);
  assert.equal(cb.items[0].kind, 'guardian_refused');
  assert.equal(cb.items[0].link, '/m/me/realname');
});

test('the filer of an organisation gets the review, with the reason when returned', async () => {
  const a = await verified('50010319750505021');
  const b = await verified('50010319750505032');
  const o1 = await a.post('/api/v1/citizen/orgs', { kind: 'social_org', name: '渝中区消息测试协会', uscc: uscc('51500103MJP00101'.padEnd(17, '0')), unit_id: yzUnit });
  assert.equal(o1.status, 201, o1.text);
  const o2 = await b.post('/api/v1/citizen/orgs', { kind: 'social_org', name: '渝中区退回测试协会', uscc: uscc('51500103MJP00102'.padEnd(17, '0')), unit_id: yzUnit });
  assert.equal(o2.status, 201, o2.text);
  assert.equal((await yzAdmin.post(`/api/v1/orgs/${o1.json.id}/review`, { decision: 'accept' })).status, 200);
  assert.equal((await yzAdmin.post(`/api/v1/orgs/${o2.json.id}/review`, { decision: 'return', reason: '请补充章程扫描件' })).status, 200);
  const ma = (await inbox(a)).items[0];
  assert.equal(ma.kind, 'org_accepted');
  assert.equal(ma.title, '组织登记已通过：渝中区消息测试协会');
  assert.equal(ma.body, null);
  const mb = (await inbox(b)).items[0];
  assert.equal(mb.kind, 'org_returned');
  assert.equal(mb.kind_label, '组织登记被退回');
  assert.equal(mb.body, '请补充章程扫描件');
  assertError(await a.post(`/api/v1/citizen/inbox/${mb.id + 1000}/read`), 404, 'not_found');
});

test('deleting the account deletes its messages, and those about it in its guardian\'s inbox', async () => {
  const parent = await verified('50010319800101041');
  const child = await verified('50010320170301042');
  const other = await verified('50010320170301064');
  assert.equal((await child.post('/api/v1/citizen/me/guardian', { guardian_phone: parent.phone })).status, 200);
  assert.equal((await other.post('/api/v1/citizen/me/guardian', { guardian_phone: parent.phone })).status, 200);
  assert.equal((await parent.post(`/api/v1/citizen/wards/${child.id}/consent`, { approve: true, consent_version: VERSION })).status, 200);
  assert.equal(sql(srv, `SELECT COUNT(*) FROM citizen_inbox WHERE citizen_id = ${child.id}`).trim(), '1');
  assert.deepEqual((await inbox(parent)).counts, { unread: 1, open: 1, total: 2 });
  assert.equal((await child.del('/api/v1/citizen/me', { json: { password: PW } })).status, 200);
  assert.equal(sql(srv, `SELECT COUNT(*) FROM citizen_inbox WHERE citizen_id = ${child.id}`).trim(), '0');
  // the guardian keeps only the other child's request
  const left = await inbox(parent);
  assert.equal(left.items.length, 1);
  assert.equal(left.items[0].state, 'unread');
  assert.ok(!JSON.stringify(left).includes(`****${child.phone.slice(-4)}`), 'nothing names the deleted child');
  // a pending request of a child who then deletes the account goes too
  assert.equal((await other.del('/api/v1/citizen/me', { json: { password: PW } })).status, 200);
  assert.deepEqual((await inbox(parent)).counts, { unread: 0, open: 0, total: 0 });
});
