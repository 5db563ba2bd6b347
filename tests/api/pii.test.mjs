// pii.test.mjs - personal data: masked in answers, clear only with the permission secadmin
// grants (each read audited), and never in clear in the database file, its WAL or a backup.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { startServer, assertError, residentId, cli, readFile, BACKEND, sql } from './lib.mjs';

let srv, sys, office, auditor;
const ids = [residentId('50010319760412301'), residentId('50023019880808402'), residentId('11010519491231002')];
const phones = ['13700001111', '18623456789', '15999990000'];
const created = [];

before(async () => {
  srv = await startServer({ name: 'pii' });
  sys = await srv.login('demo.sysadmin');
  office = await srv.login('demo.office'); // holds unmask_pii in the demo
  auditor = await srv.login('demo.auditor');
  for (let i = 0; i < 3; i++) {
    const r = await sys.post('/api/v1/users', { username: `pii.user${i}`, display_name: `人员${i}`, unit_id: 2, phone: phones[i], resident_id: ids[i] });
    assert.equal(r.status, 201, r.text);
    created.push(r.json.id);
  }
});
after(async () => { await srv.stop(); });

test('answers mask phones and ID numbers', async () => {
  const u = (await sys.get(`/api/v1/users/${created[0]}`)).json;
  assert.equal(u.phone, '137****1111');
  assert.equal(u.resident_id, `500103********${ids[0].slice(14)}`);
  const all = (await sys.get('/api/v1/users?limit=1000')).text;
  for (const s of [...ids, ...phones]) assert.ok(!all.includes(s), `${s} in a list answer`);
});

test('unmasking needs the permission and every read is audited', async () => {
  assertError(await sys.get(`/api/v1/users/${created[1]}/personal-data`), 403, 'forbidden');
  const r = await office.get(`/api/v1/users/${created[1]}/personal-data`);
  assert.equal(r.status, 200);
  assert.equal(r.json.phone, phones[1]);
  assert.equal(r.json.resident_id, ids[1]);
  const log = (await auditor.get('/api/v1/audit?action=pii.unmask')).json.items;
  assert.equal(log[0].result, 'ok');
  assert.equal(log[0].username, 'demo.office');
  assert.equal(log[0].object, `user:${created[1]}`);
  assert.equal(log[1].result, 'denied');
  assert.equal(log[1].username, 'demo.sysadmin');
});

test('the database (file, WAL, backup) never holds them in clear', async () => {
  // a change of phone leaves no trace of the old one either
  const upd = await sys.patch(`/api/v1/users/${created[2]}`, { phone: '13600002222' });
  assert.equal(upd.status, 200, upd.text);
  phones.push('13600002222');
  if (BACKEND === 'sqlite') {
    const backup = join(srv.dir, 'backup.db');
    const b = cli(srv, ['backup', backup]);
    assert.equal(b.code, 0, b.err);
    for (const f of [srv.db.file, srv.db.file + '-wal', backup]) {
      const bytes = readFile(f).toString('latin1');
      for (const s of [...ids, ...phones]) assert.ok(!bytes.includes(s), `${s} found in ${f}`);
    }
    const strings = execFileSync('strings', [srv.db.file], { encoding: 'utf8' });
    for (const s of [...ids, ...phones]) assert.ok(!strings.includes(s));
    // the backup works: it holds the users, and their data decrypts with the key
    const n = execFileSync('sqlite3', [backup, 'SELECT count(*) FROM users WHERE id_enc IS NOT NULL'], { encoding: 'utf8' });
    assert.ok(Number(n) >= 3);
  } else {
    const dump = sql(srv, 'SELECT username, phone_enc, phone_hash, phone_mask, id_enc, id_hash, id_mask FROM users');
    for (const s of [...ids, ...phones]) assert.ok(!dump.includes(s), `${s} found in the PostgreSQL rows`);
    // the backup (pg_dump's custom format, compressed) read back as SQL holds no clear text
    const file = join(srv.dir, 'x.dump');
    const b = cli(srv, ['backup', file]);
    assert.equal(b.code, 0, b.err);
    const text = execFileSync('pg_restore', ['-f', '-', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
    assert.match(text, /COPY [\w.]*users \(/, 'the backup holds the users table');
    for (const s of [...ids, ...phones]) assert.ok(!text.includes(s), `${s} found in the backup`);
  }
});

test('personal data from the ciphertext of one user cannot be moved to another field', async () => {
  // swapping the encrypted phone into the ID column makes it unreadable, not a leak
  sql(srv, `UPDATE users SET id_enc = phone_enc WHERE id = ${created[0]}`);
  const r = await office.get(`/api/v1/users/${created[0]}/personal-data`);
  assert.equal(r.status, 200);
  assert.equal(r.json.resident_id, null);
  assert.equal(r.json.phone, phones[0]);
});
