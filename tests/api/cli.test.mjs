// cli.test.mjs - the operator's command line: help everywhere, init twice, errors that say what
// to do, schema version checks, backup, write rate limits, recovery after the database
// connection is lost (PostgreSQL).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, cli, sql, BIN, BACKEND, assertError } from './lib.mjs';

const run = (args, opts = {}) => spawnSync(BIN, args, { encoding: 'utf8', ...opts });

test('every command answers --help with its usage and exit code 0', () => {
  for (const c of ['init', 'serve', 'migrate', 'user', 'backup', 'restore', 'verify', 'demo']) {
    const r = run([c, '--help']);
    assert.equal(r.status, 0, c);
    assert.match(r.stdout, /usage: ecoact/, c);
  }
  assert.match(run(['--help']).stdout, /commands:/);
  const bad = run(['frobnicate']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown command 'frobnicate'/);
});

test('init twice changes nothing and says so; a bad database URL is explained', async () => {
  const srv = await startServer({ name: 'cli-init', demo: false });
  try {
    const again = cli(srv, ['init']);
    assert.equal(again.code, 0);
    assert.match(again.out, /already initialised.*nothing changed/);
    assert.equal(Number(sql(srv, "SELECT count(*) FROM users WHERE username IN ('sysadmin','secadmin','auditor')").trim()), 3);
    assert.equal(Number(sql(srv, "SELECT count(*) FROM units WHERE tier IN ('district','county','zone')").trim()), 41);
    const bad = run(['migrate', '--db', 'mysql://nope']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /unknown database URL/);
    const nokey = run(['serve', '--db', srv.dbUrl, '--data-key', join(srv.dir, 'missing.key')]);
    assert.equal(nokey.status, 1);
    assert.match(nokey.stderr, /data key/);
  } finally { await srv.stop(); }
});

test('a database newer than the binary is refused by serve and migrate', async () => {
  const srv = await startServer({ name: 'cli-newer', demo: false });
  await srv.stop();
  sql(srv, "INSERT INTO schema_migrations(version, name, applied_at) VALUES (9999, '9999_future.sql', 0)");
  const m = cli(srv, ['migrate']);
  assert.equal(m.code, 1);
  assert.match(m.err, /newer than this binary/);
  const s = run(['serve', '--db', srv.dbUrl, '--data-key', srv.keyFile, '--listen', '127.0.0.1:1']);
  assert.notEqual(s.status, 0);
  assert.match(s.stderr, /newer than this binary knows/);
});

test('backup makes a usable copy while the server runs (SQLite)', { skip: BACKEND !== 'sqlite' }, async () => {
  const srv = await startServer({ name: 'cli-backup' });
  try {
    const file = join(srv.dir, 'copy.db');
    const r = cli(srv, ['backup', file]);
    assert.equal(r.code, 0, r.err);
    assert.equal(execFileSync('sqlite3', [file, 'PRAGMA integrity_check'], { encoding: 'utf8' }).trim(), 'ok');
    assert.ok(Number(execFileSync('sqlite3', [file, 'SELECT count(*) FROM users'], { encoding: 'utf8' })) >= 16);
    const again = cli(srv, ['backup', file]);
    assert.equal(again.code, 1);
    assert.match(again.err, /already exists/);
    const verify = run(['verify', 'audit', '--db', `sqlite:${file}`, '--data-key', srv.keyFile]);
    assert.equal(verify.status, 0, verify.stdout + verify.stderr);
  } finally { await srv.stop(); }
});

test('writes per account are rate limited (429 with Retry-After)', async () => {
  const srv = await startServer({ name: 'cli-writelimit', args: ['--write-limit', '3/60'] });
  try {
    const c = await srv.login('demo.sysadmin');
    for (let i = 0; i < 3; i++) assert.notEqual((await c.post('/api/v1/tokens', { name: `t${i}`, scopes: ['read'] })).status, 429);
    const r = await c.post('/api/v1/tokens', { name: 't4', scopes: ['read'] });
    assertError(r, 429, 'rate_limited');
    assert.ok(Number(r.headers.get('retry-after')) >= 1);
    assert.equal((await c.get('/api/v1/tokens')).json.items.length, 3, 'the refused write did nothing');
    assert.equal((await c.get('/api/v1/me')).status, 200, 'reads are not limited');
  } finally { await srv.stop(); }
});

test('a lost PostgreSQL connection: 503 at worst, then the server reconnects', { skip: BACKEND !== 'pg' }, async () => {
  const srv = await startServer({ name: 'cli-pg-reconnect', threads: 1 });
  try {
    const c = await srv.login('demo.office');
    assert.equal((await c.get('/api/v1/units?limit=1')).status, 200);
    sql(srv, 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
    const first = await c.get('/api/v1/units?limit=1');
    assert.ok([200, 503].includes(first.status), `got ${first.status}`);
    if (first.status === 503) assert.equal(first.json.error.code, 'unavailable');
    const second = await c.get('/api/v1/units?limit=1');
    assert.equal(second.status, 200);
  } finally { await srv.stop(); }
});

test('the access log: one JSON line per request, in the file asked for, without secrets', async () => {
  const { mkdtempSync, readFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const file = join(mkdtempSync(join(tmpdir(), 'ecoact-log-')), 'access.log');
  const srv = await startServer({ name: 'cli-accesslog', args: ['--access-log', file] });
  try {
    const c = await srv.login('demo.office');
    await c.get('/api/v1/units/500103');
    const lines = readFileSync(file, 'utf8').trim().split('\n').map(l => JSON.parse(l));
    const unit = lines.find(l => l.route === '/api/v1/units/{id}');
    assert.equal(unit.status, 200);
    assert.equal(unit.method, 'GET');
    assert.ok(unit.user > 0);
    assert.match(unit.rid, /^[0-9a-f]{16}$/);
    const text = readFileSync(file, 'utf8');
    assert.ok(!text.includes(c.cookie.split('=')[1]), 'no session token in the log');
    assert.ok(!text.includes('Ecoact-Demo-2025'), 'no password in the log');
  } finally { await srv.stop(); }
});

test('serve refuses a port another process already holds', async () => {
  const srv = await startServer({ name: 'cli-port' });
  try {
    const port = new URL(srv.base).port;
    const r = run(['serve', '--db', srv.dbUrl, '--data-key', srv.keyFile, '--listen', `127.0.0.1:${port}`]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /cannot listen on 127\.0\.0\.1:\d+: Address already in use \(another process holds this port\)/);
  } finally { await srv.stop(); }
});

test('user list shows every account with its unit, roles and state', async () => {
  const srv = await startServer({ name: 'cli-user-list' });
  try {
    const lock = cli(srv, ['user', 'lock', '--username', 'demo.yuzhong']);
    assert.equal(lock.code, 0, lock.err);
    const r = cli(srv, ['user', 'list']);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split('\n');
    assert.match(lines[0], /^id\s+username\s+name\s+unit\s+roles \/ state$/);
    const count = Number(sql(srv, 'SELECT count(*) FROM users').trim());
    assert.equal(lines.length - 1, count, 'one line per account');
    const reporter = lines.find((l) => /\sdemo\.yuzhong\s/.test(l));
    assert.match(reporter, /渝中区.*unit_reporter .*\[locked\]/);
    assert.doesNotMatch(lines.find((l) => /\sdemo\.office\s/.test(l)), /\[locked\]/);
  } finally {
    await srv.stop();
  }
});
