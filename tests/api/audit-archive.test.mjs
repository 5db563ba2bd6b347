// audit-archive.test.mjs - the audit log's retention (issue 18 §4), on SQLite and PostgreSQL:
// rows older than six months move into an archive file that carries its stretch of the chain;
// `verify audit` checks the database's part alone and, given the files, the whole chain; a
// recent date, a tampered or cut-short archive and a missing one are each refused plainly.
// The old rows are written by `ecoact init` and `ecoact demo` run under faketime 400 days ago.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, cli, sql } from './lib.mjs';

let srv;
const daysAgo = n => new Date(Date.now() - n * 86400e3).toISOString().slice(0, 10);
const count = q => Number(sql(srv, q).trim());

before(async () => {
  srv = await startServer({ name: 'audit-archive', clock: '-400d' });
  srv.clock = '-400d'; // the operator's work, long ago: each command is an audit row
  for (let i = 0; i < 3; i++) {
    for (const op of ['lock', 'unlock']) { const r = cli(srv, ['user', op, '--username', 'demo.chengkou']); assert.equal(r.code, 0, r.err); }
  }
  delete srv.clock;
  await srv.login('demo.yuzhong'); // a row written now
});
after(async () => { await srv.stop(); });

test('rows past the retention move into an archive; the chain checks across it and the database', async () => {
  const old = count(`SELECT COUNT(*) FROM audit_log WHERE at < ${Math.floor(Date.now() / 1000) - 300 * 86400}`);
  const recent = count('SELECT COUNT(*) FROM audit_log') - old;
  assert.ok(old > 5 && recent >= 1, `old ${old}, recent ${recent}`);

  const tooSoon = cli(srv, ['audit', 'archive', '--before', daysAgo(100), join(srv.dir, 'soon.jsonl')]);
  assert.equal(tooSoon.code, 3, tooSoon.out + tooSoon.err);
  assert.match(tooSoon.err, /至少保留 183 天/);
  assert.ok(!existsSync(join(srv.dir, 'soon.jsonl')), 'a refused archive leaves no file');

  const bad = cli(srv, ['audit', 'archive', '--before', '2025-13-01', join(srv.dir, 'x.jsonl')]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--before must be a date/);

  const file = join(srv.dir, 'audit-1.jsonl');
  const a = cli(srv, ['audit', 'archive', '--before', daysAgo(200), file]);
  assert.equal(a.code, 0, a.err);
  assert.match(a.out, new RegExp(`rows 1-${old} \\(${old} rows\\) moved into`));
  assert.equal(statSync(file).mode & 0o777, 0o600, 'the archive is for its owner only');
  assert.equal(readFileSync(file, 'utf8').trim().split('\n').length, old + 2, 'header, rows, trailer');
  assert.equal(count(`SELECT MIN(id) FROM audit_log`), old + 1, 'the old rows left the database');
  assert.equal(count(`SELECT COUNT(*) FROM audit_log WHERE action = 'audit.archive'`), 1, 'the archiving is itself audited');

  const listed = cli(srv, ['audit', 'archives']);
  assert.match(listed.out, new RegExp(`rows 1-${old} \\(${old} rows, before ${daysAgo(200)}\\)`));

  const alone = cli(srv, ['verify', 'audit']);
  assert.equal(alone.code, 0, alone.out + alone.err);
  assert.match(alone.out, new RegExp(`rows 1-${old} are in 1 archive file\\(s\\), not checked here`));
  assert.match(alone.out, /audit log intact, \d+ rows/);

  const across = cli(srv, ['verify', 'audit', file]);
  assert.equal(across.code, 0, across.out + across.err);
  assert.match(across.out, new RegExp(`archive .*audit-1.jsonl intact, rows 1-${old}`));
  assert.match(across.out, /audit log intact/);

  const again = cli(srv, ['audit', 'archive', '--before', daysAgo(200), join(srv.dir, 'audit-2.jsonl')]);
  assert.equal(again.code, 0, again.err);
  assert.match(again.out, /no row in the database was written before/);
  assert.ok(!existsSync(join(srv.dir, 'audit-2.jsonl')));

  // a backup of the database with archives still proves itself
  const b = cli(srv, ['backup', join(srv.dir, 'after-archive.backup'), '--verify']);
  assert.equal(b.code, 0, b.out + b.err);
  assert.match(b.out, /audit log intact/);
});

test('a tampered, cut-short or foreign archive fails the check, naming the row or the reason', () => {
  const file = join(srv.dir, 'audit-1.jsonl');
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const edited = lines.map((l, i) => (i === 3 ? l.replace(/"result":"ok"/, '"result":"failure"') : l));
  assert.notDeepEqual(edited, lines, 'the test edits a row');
  const t = join(srv.dir, 'tampered.jsonl');
  writeFileSync(t, edited.join('\n') + '\n');
  const r1 = cli(srv, ['verify', 'audit', t]);
  assert.equal(r1.code, 3);
  assert.match(r1.out, /archive .*tampered.jsonl BROKEN: 第 3 行被篡改/);

  const cut = join(srv.dir, 'cut.jsonl');
  writeFileSync(cut, lines.slice(0, -3).join('\n') + '\n');
  const r2 = cli(srv, ['verify', 'audit', cut]);
  assert.equal(r2.code, 3);
  assert.match(r2.out, /without its trailer: it was cut short/);

  const notOne = join(srv.dir, 'not.jsonl');
  writeFileSync(notOne, '{"hello":1}\n');
  const r3 = cli(srv, ['verify', 'audit', notOne]);
  assert.equal(r3.code, 3);
  assert.match(r3.out, /not an ecoact audit archive/);

  const missing = cli(srv, ['verify', 'audit', join(srv.dir, 'nowhere.jsonl')]);
  assert.equal(missing.code, 3);
  assert.match(missing.out, /cannot open the archive/);

  // the database's first remaining row tampered: the chain breaks where the archive ends
  const first = count('SELECT MIN(id) FROM audit_log');
  sql(srv, `UPDATE audit_log SET detail = 'x' WHERE id = ${first}`);
  const r4 = cli(srv, ['verify', 'audit', file]);
  assert.equal(r4.code, 3);
  assert.match(r4.out, new RegExp(`audit log BROKEN at row ${first}`));
});
