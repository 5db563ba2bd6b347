// backup.test.mjs - the restore drill (issue 18 §4), on SQLite and PostgreSQL: back up with
// --verify, write more, restore into a new database, verify, compare the counts, and serve from
// the restored copy; a backup never overwrites, a restore never lands on data, and a tampered
// audit chain fails the verification.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, serve, cli, sql, createPgDatabase, BACKEND } from './lib.mjs';

let srv, yz;
before(async () => {
  srv = await startServer({ name: 'backup' });
  yz = await srv.login('demo.yuzhong');
});
after(async () => { await srv.stop(); });

let seq = 0;
/** A new, empty database on the test backend: its URL. */
function emptyDatabase() {
  if (BACKEND === 'sqlite') return `sqlite:${join(srv.dir, `restored-${++seq}.db`)}`;
  return createPgDatabase(`r_${process.pid}_${Date.now()}_${++seq}`, { restoreTarget: true });
}

/** The "table rows" lines a verification prints, as an object. */
function counts(out) {
  return Object.fromEntries([...out.matchAll(/^ {2}(\w+)\s+(\d+)$/gm)].map(m => [m[1], Number(m[2])]));
}

test('the drill: back up and verify, write more, restore into a new database, same counts as the backup, and it serves', async () => {
  assert.equal((await yz.post('/api/v1/calendar-feeds', {})).status, 201);
  const file = join(srv.dir, 'drill.backup');
  const b = cli(srv, ['backup', file, '--verify']);
  assert.equal(b.code, 0, b.err + b.out);
  assert.match(b.out, /verified: .* restores and passes every check/);
  assert.match(b.out, /audit log intact, \d+ rows/);
  assert.equal(statSync(file).mode & 0o777, 0o600, 'a backup is for its owner only');
  const atBackup = counts(b.out);
  assert.ok(atBackup.users > 0 && atBackup.calendar_feeds >= 1, JSON.stringify(atBackup));

  assert.equal((await yz.post('/api/v1/calendar-feeds', {})).status, 201); // after the backup
  const now = Number(sql(srv, 'SELECT COUNT(*) FROM calendar_feeds').trim());
  assert.equal(now, atBackup.calendar_feeds + 1);

  const again = cli(srv, ['backup', file]);
  assert.equal(again.code, 1);
  assert.match(again.err, /already exists/, 'a backup never overwrites');

  const target = { dbUrl: emptyDatabase(), keyFile: srv.keyFile, dir: srv.dir };
  const r = cli(target, ['restore', file, '--verify']);
  assert.equal(r.code, 0, r.err + r.out);
  assert.match(r.out, /restored into the database/);
  const restored = counts(r.out.slice(r.out.indexOf('restored into the database')));
  assert.deepEqual(restored, atBackup, 'the restored database holds what the backup held, table by table');

  const twice = cli(target, ['restore', file]);
  assert.equal(twice.code, 1);
  assert.match(twice.err, /not empty|already exists/, 'a restore never lands on data');

  const copy = await serve(target, { name: 'backup-restored' });
  try {
    const c = await copy.login('demo.yuzhong');
    const feeds = await c.get('/api/v1/calendar-feeds');
    assert.equal(feeds.status, 200);
    assert.equal(feeds.json.items.length, atBackup.calendar_feeds, 'the feed made after the backup is not there');
  } finally {
    await copy.stop();
  }
});

test('a backup whose audit chain was tampered with fails its verification, and restore --verify restores nothing', async () => {
  const target = { dbUrl: emptyDatabase(), keyFile: srv.keyFile, dir: srv.dir };
  const file = join(srv.dir, 'clean.backup');
  assert.equal(cli(srv, ['backup', file]).code, 0);
  assert.equal(cli(target, ['restore', file]).code, 0);
  sql({ ...target, db: { file: target.dbUrl.replace(/^sqlite:/, '') } },
    "UPDATE audit_log SET action = 'tampered' WHERE id = (SELECT MIN(id) FROM audit_log)");
  const bad = join(srv.dir, 'tampered.backup');
  const b = cli(target, ['backup', bad, '--verify']);
  assert.equal(b.code, 3, b.err + b.out);
  assert.match(b.out, /audit log BROKEN at row \d+/);

  const fresh = { dbUrl: emptyDatabase(), keyFile: srv.keyFile, dir: srv.dir };
  const r = cli(fresh, ['restore', bad, '--verify']);
  assert.equal(r.code, 3, r.err + r.out);
  assert.doesNotMatch(r.out, /restored into the database/);
  if (BACKEND === 'sqlite') assert.throws(() => statSync(fresh.dbUrl.slice(7)), 'nothing was restored');
  else assert.equal(sql(fresh, "SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'").trim(), '0');
});

test('a backup or restore that cannot work says why', async () => {
  const missing = cli({ dbUrl: emptyDatabase(), keyFile: srv.keyFile }, ['restore', join(srv.dir, 'no-such.backup')]);
  assert.notEqual(missing.code, 0);
  assert.match(missing.err, /cannot read/);
  const usage = cli(srv, ['backup']);
  assert.equal(usage.code, 2);
  assert.match(usage.err, /usage: ecoact backup FILE/);
});
