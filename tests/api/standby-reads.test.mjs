// standby-reads.test.mjs - reads on a standby (issue 18 §3, store/replica.h), PostgreSQL only: a
// primary with a streaming standby of its own (scripts/pg-temp), and a server with --read-db.
// The compliance matrix is read from the standby and says how stale it may be; with the
// standby's replay paused the answer states its lag, and past --read-db-max-lag the primary is
// read instead; a stopped standby sends reads to the primary; sessions stay on the
// primary, so a logout is honoured while the standby is behind. SQLite refuses --read-db.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BACKEND, BIN, ROOT, cli, serve, freePort } from './lib.mjs';

const pg = BACKEND === 'pg';
const pgTemp = (...args) => execFileSync(join(ROOT, 'scripts/pg-temp'), args, { encoding: 'utf8' }).trim();
const psql = (url, q) => execFileSync('psql', [url, '-At', '-q', '-c', q], { encoding: 'utf8' }).trim();
const sleep = ms => new Promise(r => setTimeout(r, ms));
const MATRIX = '/api/v1/plans/cq-2021-2025/compliance';
const lag = r => r.headers.get('x-ecoact-stale-seconds');

let dir, primary, standby, srv, app;
before(async () => {
  if (!pg) return;
  dir = mkdtempSync(join(tmpdir(), 'ecoact-standby-'));
  chmodSync(dir, 0o755); // the PostgreSQL servers run as the postgres user when we are root
  const p1 = await freePort(), p2 = await freePort();
  primary = pgTemp('start', join(dir, 'primary'), String(p1));
  psql(`${primary}/postgres`, 'CREATE DATABASE ecoact');
  pgTemp('standby', join(dir, 'standby'), String(p2), String(p1), 'async'); // a read replica: writes never wait for it
  standby = `postgresql://ecoact@127.0.0.1:${p2}/ecoact`;
  srv = { dir, dbUrl: `${primary}/ecoact`, keyFile: join(dir, 'ecoact.key') };
  for (const cmd of [['init'], ['demo']]) {
    const r = cli(srv, cmd);
    assert.equal(r.code, 0, `ecoact ${cmd[0]}: ${r.err}`);
  }
  app = await serve(srv, { name: 'standby-reads', args: ['--read-db', standby, '--read-db-max-lag', '3'] });
});
after(async () => {
  if (!pg) return;
  await app?.stop();
  for (const d of ['standby', 'primary']) try { pgTemp('stop', join(dir, d)); } catch { /* stopped */ }
});

test('the matrix and its export are read from a caught-up standby, stale by 0 seconds', { skip: !pg }, async () => {
  const c = await app.login('demo.yuzhong');
  const r = await c.get(MATRIX);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('x-ecoact-read-from'), 'standby');
  assert.equal(lag(r), '0');
  const x = await c.get(MATRIX + '/export.xlsx');
  assert.equal(x.status, 200);
  assert.equal(x.headers.get('x-ecoact-read-from'), 'standby', 'the export reads the standby too');
});

test('a standby behind says how stale it may be, and past the bound the primary is read', { skip: !pg }, async () => {
  const c = await app.login('demo.yuzhong');
  psql(`${standby}`, 'SELECT pg_wal_replay_pause()');
  try {
    await c.post('/api/v1/calendar-feeds', {}); // a write the paused standby receives but does not replay
    await sleep(1200);
    const behind = await c.get(MATRIX);
    assert.equal(behind.status, 200, behind.text);
    assert.equal(behind.headers.get('x-ecoact-read-from'), 'standby');
    assert.ok(Number(lag(behind)) >= 2 && Number(lag(behind)) <= 3, `stale by at most ${lag(behind)} s`);
    await sleep(2500); // past --read-db-max-lag 3
    const old = await c.get(MATRIX);
    assert.equal(old.headers.get('x-ecoact-read-from'), 'primary', 'too far behind: the primary answers');
    assert.equal(lag(old), null);
  } finally {
    psql(`${standby}`, 'SELECT pg_wal_replay_resume()');
  }
  for (let i = 0; i < 100; i++) {
    const r = await c.get(MATRIX);
    if (r.headers.get('x-ecoact-read-from') === 'standby') return assert.equal(lag(r), '0', 'caught up again');
    await sleep(100);
  }
  assert.fail('the standby did not catch up');
});

test('a logout is honoured while the standby is behind', { skip: !pg }, async () => {
  const c = await app.login('demo.yuzhong');
  const cookie = c.cookie;
  psql(`${standby}`, 'SELECT pg_wal_replay_pause()');
  try {
    assert.equal((await c.del('/api/v1/session')).status, 200);
    c.cookie = cookie; // the old cookie again: its session row is still on the paused standby
    const r = await c.get(MATRIX);
    assert.equal(r.status, 401, 'the session was checked on the primary');
  } finally {
    psql(`${standby}`, 'SELECT pg_wal_replay_resume()');
  }
});

test('a stopped standby sends reads to the primary, which says so', { skip: !pg }, async () => {
  const c = await app.login('demo.yuzhong');
  pgTemp('stop', join(dir, 'standby'));
  const r = await c.get(MATRIX);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('x-ecoact-read-from'), 'primary');
  assert.match(app.stderr, /read standby/, 'the server logs why it reads the primary');
});

test('--read-db needs PostgreSQL on both sides', async () => {
  const r = spawnSync(BIN, ['serve', '--db', 'sqlite:/nonexistent/x.db', '--read-db', 'postgresql://ecoact@127.0.0.1:1/x'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--read-db is a PostgreSQL standby/);
});
