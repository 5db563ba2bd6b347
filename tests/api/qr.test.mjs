// qr.test.mjs - signed QR codes (issue 12 §5): a signed-in account's own code as PNG (decoded
// back with zbarimg) and SVG; check-in, booking and voucher codes issued as the areas will
// (`ecoact qr issue`, which calls qr_issue) and scanned at a desk: good once, then refused as
// replayed; forged, malformed, expired and wrong-purpose codes each refused with their own field
// and Chinese message; of concurrent scans of one single-use code exactly one succeeds; who may
// scan (qr_scan: office, unit_admin, unit_reporter).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, cli, sql, assertError } from './lib.mjs';

let srv, office, reporter, leader;
before(async () => {
  srv = await startServer({ name: 'qr', threads: 2 });
  office = await srv.login('demo.office');
  reporter = await srv.login('demo.yuzhong');
  leader = await srv.login('demo.leader');
});
after(async () => { await srv.stop(); });

/** The text of the QR code in a PNG, read by zbarimg. */
function decode(png) {
  const f = join(srv.dir, `code-${Math.random().toString(36).slice(2)}.png`);
  writeFileSync(f, png);
  return execFileSync('zbarimg', ['-q', '--raw', f], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
}

/** Issues a code through the CLI (qr_issue); returns its text, and its PNG decoded. */
function issue(purpose, subject, ttl = 3600) {
  const png = join(srv.dir, `issued-${purpose}-${subject}.png`);
  const r = cli(srv, ['qr', 'issue', '--purpose', purpose, '--subject', String(subject), '--ttl', String(ttl), '--png', png]);
  assert.equal(r.code, 0, r.err);
  const text = r.out.trim();
  assert.equal(execFileSync('zbarimg', ['-q', '--raw', png], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(), text);
  return text;
}

const scan = (c, body) => c.post('/api/v1/qr/scan', body);

test('a person\'s own code: PNG that zbarimg reads back, SVG, JSON; valid 5 minutes, reusable; a desk sees whose it is', async () => {
  const me = (await reporter.get('/api/v1/me')).json;
  const png = await reporter.get('/api/v1/me/qr.png');
  assert.equal(png.status, 200);
  assert.equal(png.headers.get('content-type'), 'image/png');
  assert.equal(png.buf.subarray(1, 4).toString(), 'PNG');
  const text = decode(png.buf);
  assert.match(text, /^EQ1\.[A-Za-z0-9_-]{126}$/);
  const svg = await reporter.get('/api/v1/me/qr.svg');
  assert.equal(svg.status, 200);
  assert.equal(svg.headers.get('content-type'), 'image/svg+xml');
  assert.match(svg.text, /^<\?xml[^]*<svg [^]*<path fill="#000" d="M/);
  const j = (await reporter.get('/api/v1/me/qr')).json;
  assert.equal(j.purpose, 'person');
  assert.equal(j.subject_id, me.id ?? me.user?.id ?? j.subject_id);
  assert.ok(j.expires_at - Math.floor(Date.now() / 1000) <= 300);
  for (let i = 0; i < 2; i++) { // not single use
    const s = await scan(office, { code: text, purpose: 'person' });
    assert.equal(s.status, 200, s.text);
    assert.equal(s.json.subject_id, j.subject_id);
    assert.equal(s.json.single_use, false);
    assert.equal(s.json.redeemed_at, null);
    assert.equal(s.json.person.id, j.subject_id);
    assert.equal(s.json.person.display_name, (await reporter.get('/api/v1/me')).json.display_name ?? s.json.person.display_name);
  }
  // the code of an account since disabled is refused
  const sys = await srv.login('demo.sysadmin');
  const u = (await sys.post('/api/v1/users', { username: 'qr.gone', display_name: '已停用', unit_id: Number(sql(srv, "SELECT unit_id FROM users WHERE username = 'demo.yuzhong'").trim()) })).json;
  const gone = srv.client();
  await gone.login('qr.gone', u.one_time_password);
  assert.equal((await gone.put('/api/v1/me/password', { old_password: u.one_time_password, new_password: 'Qr-Gone-Pass-2026' })).status, 200);
  const goneCode = (await gone.get('/api/v1/me/qr')).json.code;
  assert.equal((await scan(office, { code: goneCode, purpose: 'person' })).status, 200);
  assert.equal((await sys.post(`/api/v1/users/${u.id}/lock`)).status, 200);
  assertError(await scan(office, { code: goneCode, purpose: 'person' }), 422, 'rule_violation', 'subject_id');
  assert.equal((await srv.client().get('/api/v1/me/qr.png')).status, 401);
  assertError(await reporter.get('/api/v1/me/qr.png?scale=99'), 422, 'rule_violation', 'scale');
});

test('a citizen\'s own code on the portal: PNG read back, purpose citizen; the desk sees only verified/minor/child; officials\' routes refused', async () => {
  const c = srv.client();
  assert.equal((await c.post('/api/v1/citizen/session', { phone: '13700137005', password: 'Ecoact-Demo-2025' })).status, 200);
  const me = (await c.get('/api/v1/citizen/me/qr')).json;
  assert.equal(me.purpose, 'citizen');
  assert.equal(me.purpose_label, '市民码');
  const png = await c.get('/api/v1/citizen/me/qr.png');
  assert.equal(png.status, 200);
  const text = decode(png.buf);
  assert.equal((await c.get('/api/v1/citizen/me/qr.svg')).status, 200);
  assert.equal((await c.get('/api/v1/me/qr')).status, 403, 'a public session never reaches an official\'s route');
  assert.equal((await reporter.get('/api/v1/citizen/me/qr')).status, 403, 'nor an official the portal\'s');
  const s = await scan(office, { code: text, purpose: 'citizen' });
  assert.equal(s.status, 200, s.text);
  assert.equal(s.json.subject_id, me.subject_id);
  assert.deepEqual(Object.keys(s.json.citizen).sort(), ['child', 'id', 'minor', 'verified']);
  assertError(await scan(office, { code: text, purpose: 'person' }), 422, 'rule_violation', 'purpose');
});

test('a check-in code: good once, then refused as replayed with when it was used; verify does not use it up', async () => {
  const code = issue('checkin', 501);
  const v = await office.post('/api/v1/qr/verify', { code, purpose: 'checkin', subject_id: 501 });
  assert.equal(v.status, 200, v.text);
  assert.equal(v.json.redeemed_at, null);
  const s = await scan(reporter, { code, purpose: 'checkin', subject_id: 501 });
  assert.equal(s.status, 200, s.text);
  assert.deepEqual([s.json.purpose, s.json.subject_id, s.json.single_use], ['checkin', 501, true]);
  assert.ok(s.json.redeemed_at > 0);
  const again = await scan(office, { code, purpose: 'checkin' });
  assertError(again, 409, 'conflict', 'nonce');
  assert.match(again.json.error.message, /已于 .* 使用过，不能重复使用/);
  assertError(await office.post('/api/v1/qr/verify', { code, purpose: 'checkin' }), 409, 'conflict', 'nonce');
  assert.equal(sql(srv, 'SELECT COUNT(*) FROM qr_redemptions WHERE subject_id = 501').trim(), '1');
});

test('forged, malformed, expired, wrong-purpose and wrong-subject codes are refused, each with its own field and message', async () => {
  const good = issue('booking', 77);
  // forged: a signature byte changed, then the subject changed under the old signature
  const body = Buffer.from(good.slice(4), 'base64url');
  const sigFlip = Buffer.from(body); sigFlip[60] ^= 1;
  const forged = await scan(office, { code: 'EQ1.' + sigFlip.toString('base64url'), purpose: 'booking' });
  assertError(forged, 422, 'rule_violation', 'signature');
  assert.match(forged.json.error.message, /签名无效/);
  const subj = Buffer.from(body); subj[9] = 78;
  assertError(await scan(office, { code: 'EQ1.' + subj.toString('base64url'), purpose: 'booking' }), 422, 'rule_violation', 'signature');
  // signed with another server's key
  const other = await startServer({ name: 'qr-other', demo: false });
  const foreign = cli(other, ['qr', 'issue', '--purpose', 'booking', '--subject', '77']).out.trim();
  await other.stop();
  assertError(await scan(office, { code: foreign, purpose: 'booking' }), 422, 'rule_violation', 'signature');
  // not a code of ours
  for (const code of ['hello', 'EQ1.', 'EQ1.!!!!', 'EQ2.' + good.slice(4), good.slice(0, 40)])
    assertError(await scan(office, { code, purpose: 'booking' }), 422, 'rule_violation', 'code');
  // wrong purpose, wrong subject: nothing is used up
  const wrong = await scan(office, { code: good, purpose: 'voucher' });
  assertError(wrong, 422, 'rule_violation', 'purpose');
  assert.match(wrong.json.error.message, /这是预约入场的二维码，不能用于兑换券/);
  assertError(await scan(office, { code: good, purpose: 'booking', subject_id: 78 }), 422, 'rule_violation', 'subject_id');
  assert.equal((await scan(office, { code: good, purpose: 'booking', subject_id: 77 })).status, 200);
  // expired
  const short = issue('voucher', 9, 1);
  await new Promise(r => setTimeout(r, 2200));
  const exp = await scan(office, { code: short, purpose: 'voucher' });
  assertError(exp, 422, 'rule_violation', 'expires_at');
  assert.match(exp.json.error.message, /已于 \d{4}-\d\d-\d\d \d\d:\d\d 过期/);
  // bad input: named fields, nothing recorded
  assertError(await scan(office, { code: good }), 400, 'bad_request', 'purpose');
  assertError(await scan(office, { code: good, purpose: 'party' }), 422, 'rule_violation', 'purpose');
  assertError(await scan(office, { code: 'x'.repeat(400), purpose: 'booking' }), 422, undefined, 'code');
  assertError(await scan(office, { code: good, purpose: 'booking', extra: 1 }), 400, 'bad_request', 'extra');
  assert.equal(sql(srv, 'SELECT COUNT(*) FROM qr_redemptions WHERE purpose = 3').trim(), '0');
});

test('concurrent scans of one voucher: exactly one succeeds, the others are refused as replayed', async () => {
  const desks = await Promise.all(['demo.office', 'demo.yuzhong', 'demo.yuzhong.admin', 'demo.office2'].map(u => srv.login(u)));
  for (let round = 0; round < 3; round++) {
    const code = issue('voucher', 1000 + round);
    const all = await Promise.all(Array.from({ length: 12 }, (_, i) => scan(desks[i % desks.length], { code, purpose: 'voucher' })));
    const ok = all.filter(r => r.status === 200), replayed = all.filter(r => r.status === 409);
    assert.equal(ok.length, 1, all.map(r => `${r.status} ${r.text.slice(0, 80)}`).join('\n'));
    assert.equal(replayed.length, 11);
    for (const r of replayed) assert.equal(r.json.error.field, 'nonce');
    assert.equal(sql(srv, `SELECT COUNT(*) FROM qr_redemptions WHERE subject_id = ${1000 + round}`).trim(), '1');
  }
});

test('the public key verifies a code offline (Ed25519 over the context and the first 30 bytes)', async () => {
  const { createPublicKey, verify } = await import('node:crypto');
  const k = (await srv.client().get('/api/v1/qr/public-key')).json;
  assert.equal(k.algorithm, 'Ed25519');
  const der = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(k.public_key, 'base64url')]);
  const key = createPublicKey({ key: der, format: 'der', type: 'spki' });
  const raw = Buffer.from(issue('voucher', 4242).slice(4), 'base64url');
  const msg = Buffer.concat([Buffer.from('ecoact-qr-v1'), raw.subarray(0, 30)]);
  assert.ok(verify(null, msg, key, raw.subarray(30)));
  assert.equal(raw.readBigInt64BE(2), 4242n);
  raw[5] ^= 1;
  assert.ok(!verify(null, Buffer.concat([Buffer.from('ecoact-qr-v1'), raw.subarray(0, 30)]), key, raw.subarray(30)));
});

test('who may scan: office, unit_admin and unit_reporter; not leader; scans are audited', async () => {
  const code = issue('checkin', 600);
  assertError(await scan(leader, { code, purpose: 'checkin' }), 403, 'forbidden');
  assert.equal((await srv.client().post('/api/v1/qr/scan', { code, purpose: 'checkin' })).status, 401);
  assert.equal((await scan(office, { code, purpose: 'checkin' })).status, 200);
  const auditor = await srv.login('demo.auditor');
  const rows = (await auditor.get('/api/v1/audit?action=qr.scan&limit=50')).json.items;
  assert.ok(rows.some(r => r.object === 'qr:checkin:600' && r.result === 'ok'), JSON.stringify(rows.slice(0, 3)));
  assert.ok(rows.some(r => r.result === 'failure'), 'refused scans are audited as failures');
});
