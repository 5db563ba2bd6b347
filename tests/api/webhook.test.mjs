// webhook.test.mjs - the outbox pushed to a webhook (issue 12 §4, docs/outbox.md): a local
// receiver that fails deliveries on purpose (500s, answers too late, no answer at all, dropped
// connections) and keeps the set of messages it accepted, by Idempotency-Key. Nothing is lost,
// nothing enters the accepted set twice, every signature verifies, messages that keep failing
// become dead letters that an operator lists and sends again (route and CLI), quiet hours hold
// back a non-urgent message while an urgent one goes at once, and ending them releases it; a
// citizen's one-time code (outbox_direct) goes the same way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, freePort, cli, sql, assertError } from './lib.mjs';

const SECRET = 'webhook-test-secret-0123456789';
const rx = { accepted: new Map(), seen: new Map(), repeats: 0, badSig: 0, poison: true, log: [] };
let receiver, srv, office, sys;

/** The receiver: verifies the signature, then fails by the message id's remainder on a first
 * attempt: 0 a 500, 1 no answer (the client times out), 2 a dropped connection, 3 accepted but
 * answered too late (so the same key comes again and must be dropped); texts holding POISON fail
 * while rx.poison holds. */
function handle(req, res) {
  const chunks = [];
  req.on('data', c => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const ts = req.headers['x-ecoact-timestamp'], sig = req.headers['x-ecoact-signature'] || '';
    const want = 'v1=' + createHmac('sha256', SECRET).update(`${ts}.${body}`).digest('hex');
    if (sig.length !== want.length || !timingSafeEqual(Buffer.from(sig), Buffer.from(want))) { rx.badSig++; res.writeHead(401).end(); return; }
    const key = req.headers['idempotency-key'], msg = JSON.parse(body);
    assert.equal(msg.idempotency_key, key);
    const n = (rx.seen.get(key) ?? 0) + 1;
    rx.seen.set(key, n);
    rx.log.push(`${key} #${n}`);
    if (rx.accepted.has(key)) { rx.repeats++; res.writeHead(200).end('{"duplicate":true}'); return; }
    if (msg.text.includes('POISON') && rx.poison) { res.writeHead(500).end('down'); return; }
    if (n === 1) {
      switch (msg.id % 5) {
        case 0: res.writeHead(500).end('try later'); return;
        case 1: return; // no answer: the client's timeout ends it
        case 2: req.socket.destroy(); return;
        case 3: rx.accepted.set(key, msg); setTimeout(() => res.writeHead(200).end('{}'), 2500); return;
        default: break;
      }
    }
    rx.accepted.set(key, msg);
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
  });
}

before(async () => {
  const port = await freePort();
  receiver = createServer(handle);
  await new Promise(r => receiver.listen(port, '127.0.0.1', r));
  const secretFile = join(process.env.TMPDIR || '/tmp', `ecoact-webhook-secret-${port}`);
  writeFileSync(secretFile, SECRET + '\n', { mode: 0o600 });
  srv = await startServer({
    name: 'webhook',
    args: ['--webhook-url', `http://127.0.0.1:${port}/hooks/sms?src=ecoact`, '--webhook-secret-file', secretFile],
    env: { ECOACT_WEBHOOK_TIMEOUT: '1', ECOACT_WEBHOOK_BACKOFF: '1', ECOACT_WEBHOOK_BACKOFF_MAX: '2', ECOACT_WEBHOOK_INTERVAL: '1', ECOACT_WEBHOOK_MAX_ATTEMPTS: '4', ECOACT_TICK_SECONDS: '0' },
  });
  office = await srv.login('demo.office');
  sys = await srv.login('demo.sysadmin');
});
after(async () => {
  await srv.stop();
  assert.doesNotMatch(srv.stderr, new RegExp(SECRET), 'the secret is never logged');
  receiver.closeAllConnections?.();
  await new Promise(r => receiver.close(r));
});

const day = n => new Date(Date.now() + 8 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);
async function notice(title, deadline = day(30)) {
  const r = await office.post('/api/v1/notices', { unit: '500103', task: 17, title, requirements: '请按季度召开新闻发布会。', deadline, issue: true });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}
const rows = where => sql(srv, `SELECT id, status, attempts FROM outbox WHERE ${where} ORDER BY id`).trim().split('\n').filter(Boolean).map(l => l.split('|'));
async function until(what, fn, ms = 60000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}; receiver saw:\n${rx.log.join('\n')}\noutbox: ${JSON.stringify(rows("1=1"))} direct: ${sql(srv, "SELECT id, status, attempts, claimed_by, last_error, expires_at FROM outbox_direct")}\n${srv.stderr.slice(-1500)}`);
    await new Promise(r => setTimeout(r, 250));
  }
}

test('through 500s, timeouts, dropped connections and late answers: every message arrives once, signed; the ones that keep failing become dead letters, sent again by an operator', async () => {
  for (let i = 0; i < 16; i++) await notice(`渝中区督办第${i + 1}号`); // one SMS each, to 渝中区's unit_admin
  await notice('渝中区督办POISON一');
  await notice('渝中区督办POISON二');
  const total = rows('1=1').length;
  assert.equal(total, 18, 'one SMS per notice');
  const poison = rows("text LIKE '%POISON%'").map(r => Number(r[0]));
  assert.equal(poison.length, 2);
  await until('all but the poisoned delivered, the poisoned dead', () =>
    rows("status = 'sent'").length === total - 2 && rows("status = 'failed'").length === 2);
  for (const [id, , attempts] of rows("status = 'failed'")) assert.equal(attempts, '4', `message ${id} tried max_attempts times`);
  assert.equal(rx.badSig, 0);
  assert.equal(rx.accepted.size, total - 2);
  assert.ok(rx.repeats >= 1, 'a late answer made the client send again, with the same key');
  for (const [key, n] of rx.seen) if (n > 1) assert.ok(rx.accepted.has(key) || poison.some(p => key.startsWith(`ecoact-outbox-${p}-`)));
  // each accepted message is the one the outbox holds, with the recipient's phone
  for (const m of rx.accepted.values()) {
    assert.match(m.to.phone, /^1\d{10}$/);
    assert.match(m.text, /^【生态宣教】/);
  }
  // the database keeps no phone in clear
  assert.doesNotMatch(sql(srv, 'SELECT text, last_error FROM outbox') + sql(srv, 'SELECT detail FROM audit_log'), /1\d{10}/);
  // pushes are audited
  assert.match(sql(srv, "SELECT detail FROM audit_log WHERE action = 'outbox.push'"), /push \d+: \d+/);

  // dead letters: listed for the operator (sysadmin), not for others
  const dead = await sys.get('/api/v1/outbox/dead');
  assert.equal(dead.status, 200, dead.text);
  assert.deepEqual(dead.json.items.map(m => m.id).sort(), [...poison].sort());
  assert.match(dead.json.items[0].last_error, /HTTP 500/);
  assertError(await office.get('/api/v1/outbox/dead'), 403, 'forbidden');
  const listed = JSON.parse(cli(srv, ['outbox', 'dead']).out);
  assert.equal(listed.length, 2);
  // the gateway is back: one sent again through the route, one with the CLI
  rx.poison = false;
  const again = await sys.post(`/api/v1/outbox/${poison[0]}/retry`);
  assert.equal(again.status, 200, again.text);
  assert.equal(again.json.status, 'pending');
  assertError(await sys.post(`/api/v1/outbox/${poison[0]}/retry`), 409, 'conflict', 'id');
  assertError(await sys.post('/api/v1/outbox/999999/retry'), 404, 'not_found', 'id');
  const c = cli(srv, ['outbox', 'retry', String(poison[1])]);
  assert.equal(c.code, 0, c.err);
  await until('the retried dead letters delivered', () => rows("status = 'sent'").length === total);
  assert.equal(rx.accepted.size, total);
  assert.deepEqual(JSON.parse(cli(srv, ['outbox', 'dead']).out), []);
  for (const [key, n] of rx.seen) assert.ok(rx.accepted.has(key), `${key} seen ${n} times, accepted once`);
});

test('quiet hours hold back a non-urgent message, an urgent one goes at once, ending them releases it', async () => {
  const reporter = await srv.login('demo.yuzhong.admin'); // the one a notice to 渝中区 is told to
  const me = Number(sql(srv, "SELECT id FROM users WHERE username = 'demo.yuzhong.admin'").trim());
  const now = new Date(Date.now() + 8 * 3600e3), min = now.getUTCHours() * 60 + now.getUTCMinutes();
  const hm = m => `${String(Math.floor(((m + 1440) % 1440) / 60)).padStart(2, '0')}:${String((m + 1440) % 60).padStart(2, '0')}`;
  assertError(await reporter.put('/api/v1/me/notification-prefs', { sms: true, quiet_from: '25:00', quiet_to: '07:00' }), 422, 'rule_violation', 'quiet_from');
  assertError(await reporter.put('/api/v1/me/notification-prefs', { sms: true, quiet_from: '22:00' }), 422, 'rule_violation', 'quiet_to');
  const set = await reporter.put('/api/v1/me/notification-prefs', { sms: true, quiet_from: hm(min - 60), quiet_to: hm(min + 60) });
  assert.equal(set.status, 200, set.text);
  assert.deepEqual((await reporter.get('/api/v1/me/notification-prefs')).json, { sms: true, quiet_from: hm(min - 60), quiet_to: hm(min + 60), timezone: 'Asia/Shanghai' });
  const before = rows('1=1').length;
  await notice('渝中区督办（免打扰时段）');
  const fresh = rows(`id > ${rows('1=1')[before - 1][0]}`);
  assert.equal(fresh.length, 1);
  const held = Number(fresh[0][0]);
  assert.equal(Number(sql(srv, `SELECT user_id FROM outbox WHERE id = ${held}`)), me);
  assert.ok(Number(sql(srv, `SELECT not_before FROM outbox WHERE id = ${held}`)) > Date.now() / 1000 + 1800);
  await new Promise(r => setTimeout(r, 3000)); // three rounds of the deliverer
  assert.deepEqual(rows(`id = ${held}`)[0].slice(1), ['pending', '0'], 'held for the quiet hours');
  // urgent: a notice due in two days reminds its unit (notice_due) at once, quiet hours or not
  await notice('渝中区督办（两日内到期）', day(2));
  assert.equal(cli(srv, ['tick']).code, 0);
  const urgent = Number(sql(srv, `SELECT id FROM outbox WHERE user_id = ${me} AND urgent = 1 ORDER BY id DESC LIMIT 1`).trim());
  assert.ok(urgent > 0, 'the reminder is urgent');
  await until('the urgent reminder delivered in quiet hours', () => rows(`id = ${urgent} AND status = 'sent'`).length === 1);
  assert.equal(rows(`id = ${held}`)[0][1], 'pending');
  // turning SMS off queues nothing new; ending quiet hours releases the held message
  assert.equal((await reporter.put('/api/v1/me/notification-prefs', { sms: true })).status, 200);
  await until('the held message delivered once quiet hours end', () => rows(`id = ${held} AND status = 'sent'`).length === 1);
  assert.equal((await reporter.put('/api/v1/me/notification-prefs', { sms: false })).status, 200);
  const n = rows(`user_id = ${me}`).length;
  await notice('渝中区督办（短信已关闭）');
  assert.equal(rows(`user_id = ${me}`).length, n, 'no SMS queued for an account that turned SMS off');
  await until('everything delivered', () => rows("status <> 'sent'").length === 0);
  for (const [key, k] of rx.seen) assert.ok(rx.accepted.has(key), `${key} seen ${k} times`);
  assert.equal(new Set([...rx.accepted.values()].map(m => m.id)).size, rx.accepted.size, 'one key per message');
});

test('quiet hours are judged again when a message is handed out: a retry that falls in them waits', async () => {
  const admin = await srv.login('demo.yuzhong.admin');
  const me = Number(sql(srv, "SELECT id FROM users WHERE username = 'demo.yuzhong.admin'").trim());
  assert.equal((await admin.put('/api/v1/me/notification-prefs', { sms: true })).status, 200);
  rx.poison = true;
  await notice('渝中区督办POISON三');
  const id = Number(sql(srv, `SELECT MAX(id) FROM outbox WHERE user_id = ${me}`).trim());
  const key = `ecoact-outbox-${id}-`;
  await until('a first, failed attempt', () => [...rx.seen.keys()].some(k => k.startsWith(key)));
  // quiet hours begin while the message waits for its retry (written straight into the table,
  // as if the clock had moved into them)
  const now = new Date(Date.now() + 8 * 3600e3), min = now.getUTCHours() * 60 + now.getUTCMinutes();
  sql(srv, `INSERT INTO notify_prefs(user_id, sms, quiet_from, quiet_to, updated_at) VALUES (${me}, 1, ${(min + 1380) % 1440}, ${(min + 60) % 1440}, 0)
    ON CONFLICT (user_id) DO UPDATE SET quiet_from = excluded.quiet_from, quiet_to = excluded.quiet_to`);
  rx.poison = false;
  await new Promise(r => setTimeout(r, 4000)); // past the longest backoff (2 s) and a few rounds
  assert.ok(![...rx.accepted.keys()].some(k => k.startsWith(key)), 'not delivered in quiet hours');
  const [status, notBefore] = sql(srv, `SELECT status, not_before FROM outbox WHERE id = ${id}`).trim().split('|');
  assert.equal(status, 'pending');
  assert.ok(Number(notBefore) > Date.now() / 1000 + 1800, 'held until the quiet hours end');
  assert.equal((await admin.put('/api/v1/me/notification-prefs', { sms: true })).status, 200);
  await until('delivered once the quiet hours end', () => [...rx.accepted.keys()].some(k => k.startsWith(key)));
});

test('a citizen\'s one-time code goes through the webhook too: once each, through failures, and the code it carries signs them up', async () => {
  const pub = srv.client();
  const numbers = Array.from({ length: 6 }, (_, i) => String(13900000100 + i));
  for (const n of numbers) assert.equal((await pub.post('/api/v1/citizen/otp', { phone: n, purpose: 'register' })).status, 202);
  const direct = () => [...rx.accepted.values()].filter(m => m.idempotency_key.startsWith('ecoact-direct-'));
  await until('every code delivered', () => direct().length === numbers.length &&
    sql(srv, "SELECT count(*) FROM outbox_direct WHERE status = 'sent'").trim() === String(numbers.length));
  for (const [key, n] of rx.seen) if (key.startsWith('ecoact-direct-')) assert.ok(rx.accepted.has(key), `${key} seen ${n} times, accepted once`);
  assert.deepEqual(direct().map(m => m.to.phone).sort(), numbers);
  // once sent, neither the number nor the code is kept, and a pulling gateway gets nothing more
  assert.equal(sql(srv, 'SELECT count(*) FROM outbox_direct WHERE phone_seal IS NOT NULL OR secret_seal IS NOT NULL').trim(), '0');
  const gw = await srv.login('demo.gateway');
  const pulled = await gw.post('/api/v1/outbox/direct/claim', { limit: 50 });
  assert.equal(pulled.status, 200, pulled.text);
  assert.deepEqual(pulled.json.items, []);
  assert.match(sql(srv, "SELECT detail FROM audit_log WHERE action = 'outbox.push'"), /push direct \d+: \d+/);
  // the code the gateway was given is the one that registers the number
  const m = direct().find(x => x.to.phone === numbers[0]);
  const code = /(\d{6})/.exec(m.text)[1];
  const r = await pub.post('/api/v1/citizen/register', { phone: numbers[0], code, password: 'Citizen-Pass-2026', privacy_version: '2026-12-01' });
  assert.equal(r.status, 201, r.text);
});

test('ecoact outbox deliver runs one round for cron; it needs a webhook and its secret', async () => {
  const url = srv.proc.spawnargs[srv.proc.spawnargs.indexOf('--webhook-url') + 1];
  const secret = srv.proc.spawnargs[srv.proc.spawnargs.indexOf('--webhook-secret-file') + 1];
  const r = cli(srv, ['outbox', 'deliver', '--webhook-url', url, '--webhook-secret-file', secret]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /delivered \d+, failed \d+/);
  assert.equal(cli(srv, ['outbox', 'deliver']).code, 2);
  const short = join(srv.dir, 'short.secret');
  writeFileSync(short, 'tooshort\n', { mode: 0o600 });
  const bad = cli(srv, ['outbox', 'deliver', '--webhook-url', url, '--webhook-secret-file', short]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /at least 16 characters/);
  assert.doesNotMatch(bad.err + r.err + r.out, /tooshort|webhook-test-secret/);
  assert.equal(cli(srv, ['outbox', 'retry', '999999']).code, 1);
  assert.equal(cli(srv, ['outbox', 'nonsense']).code, 2);
  // the deliverer's audit rows (outbox.push) and the operator's (outbox.retry) keep the chain whole
  const v = cli(srv, ['verify', 'audit']);
  assert.equal(v.code, 0, v.out + v.err);
});
