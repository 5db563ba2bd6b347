// durability.test.mjs - writes through the API while the server is killed with SIGKILL at random
// moments and restarted. Afterwards every write acknowledged with a 2xx is there, retries with the
// same Idempotency-Key never doubled a write, the database passes its integrity check and the
// audit chain verifies. KILLS sets how many kills (make test: 8; make soak: 100).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { startServer, cli, sql, BIN, BACKEND, Client } from './lib.mjs';

const KILLS = Number(process.env.KILLS || 8);

async function waitUp(base) {
  for (let i = 0; i < 400; i++) {
    try { if ((await fetch(`${base}/healthz`)).ok) return; } catch { /* starting */ }
    await new Promise(r => setTimeout(r, 25));
  }
  throw new Error('server did not come back');
}

test(`acknowledged writes survive ${KILLS} kill -9 and retries never double them`, { timeout: 600000 }, async () => {
  const srv = await startServer({ name: 'durability' });
  const port = new URL(srv.base).port;
  const admin = await srv.login('demo.sysadmin');
  const acked = new Map();   // key -> unit id
  const attempted = new Set();
  let seq = 0;
  let proc = srv.proc, exited = srv.exited;
  for (let k = 0; k < KILLS; k++) {
    // a burst of concurrent writers; the kill lands somewhere inside it
    const writers = Array.from({ length: 4 }, async () => {
      for (;;) {
        const i = seq++;
        const key = `unit-${i}`;
        attempted.add(key);
        let r;
        try { r = await admin.post('/api/v1/units', { name: `耐久单位${i}`, tier: 'group' }, { headers: { 'Idempotency-Key': key } }); } catch { return; }
        if (r.status === 201) acked.set(key, r.json.id);
        else if (r.status >= 500 && r.status !== 503) throw new Error(`unexpected ${r.status}: ${r.text}`);
      }
    });
    await new Promise(r => setTimeout(r, 20 + Math.random() * 120));
    proc.kill('SIGKILL');
    await Promise.all(writers);
    await exited;
    proc = spawn(BIN, ['serve', '--listen', `127.0.0.1:${port}`, '--db', srv.dbUrl, '--data-key', srv.keyFile, '--threads', '2', '--login-limit', '1000/1'],
      { stdio: ['ignore', 'ignore', 'ignore'] });
    exited = new Promise(r => proc.once('exit', r));
    await waitUp(srv.base);
  }
  // retry everything that was not acknowledged, with the same keys
  let retried = 0;
  for (const key of attempted) {
    if (acked.has(key)) continue;
    retried++;
    const i = Number(key.split('-')[1]);
    const r = await admin.post('/api/v1/units', { name: `耐久单位${i}`, tier: 'group' }, { headers: { 'Idempotency-Key': key } });
    assert.equal(r.status, 201, r.text);
    acked.set(key, r.json.id);
  }
  // a retry of an acknowledged write answers the same id
  const [someKey, someId] = [...acked.entries()][0];
  const again = await admin.post('/api/v1/units', { name: `耐久单位${someKey.split('-')[1]}`, tier: 'group' }, { headers: { 'Idempotency-Key': someKey } });
  assert.equal(again.json.id, someId);
  proc.kill('SIGTERM');
  await exited;

  const rows = sql(srv, "SELECT name FROM units WHERE name LIKE '耐久单位%'").trim().split('\n').filter(Boolean);
  const names = new Set(rows);
  assert.equal(rows.length, names.size, 'no write doubled');
  assert.equal(rows.length, attempted.size, 'every attempted write is there exactly once');
  for (const key of acked.keys()) assert.ok(names.has(`耐久单位${key.split('-')[1]}`), `acknowledged ${key} lost`);
  if (BACKEND === 'sqlite') assert.equal(execFileSync('sqlite3', [srv.db.file, 'PRAGMA integrity_check'], { encoding: 'utf8' }).trim(), 'ok');
  const v = cli(srv, ['verify', 'audit']);
  assert.equal(v.code, 0, v.out + v.err);
  const audited = Number(sql(srv, "SELECT count(*) FROM audit_log WHERE action = 'unit.create' AND result = 'ok'").trim());
  assert.equal(audited, rows.length, 'one audit row per committed write');
  console.log(`# durability: ${KILLS} kills, ${attempted.size} writes attempted, ${rows.length} stored, ${retried} unanswered at a kill and retried`);
});
