// inbox.test.mjs - 待办 and 待阅 apart (issue 19) on the real binary, SQLite and PostgreSQL: on the
// demo history, demo.xcb's nine 「会议纪要已印发」 are 待阅 (class toread), not 待办; the list
// filters by ?class= (a bad value is a 400 naming the field, in Chinese), every item carries the
// server's kind label and class, the counts per class answer the badge (todo only); a 待阅 item
// is marked read through the done route, and 全部标为已读 reads the rest and nothing else; an
// item of another unit stays out of reach. Last, migration 0012's backfill: items stored before
// it get their class from the kinds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cli, sql, assertError } from './lib.mjs';

let srv, xcb, stopped = false;

before(async () => {
  srv = await startServer({ name: 'inbox' });
  const h = cli(srv, ['demo', '--history']);
  assert.equal(h.code, 0, h.err);
  xcb = await srv.login('demo.xcb');
});
after(async () => { if (!stopped) await srv.stop(); });

const inbox = async (c, q = '') => {
  const r = await c.get(`/api/v1/inbox?limit=100${q}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
};

test('the nine 会议纪要已印发 are 待阅, apart from the 待办, with the server\'s labels', async () => {
  const all = await inbox(xcb);
  const issued = all.items.filter(i => i.kind === 'meeting_issued');
  assert.equal(issued.length, 9, 'demo.xcb has nine minutes issued from 2021 on');
  for (const i of issued) {
    assert.equal(i.class, 'toread');
    assert.equal(i.class_label, '待阅');
    assert.equal(i.kind_label, '会议纪要已印发');
    assert.match(i.title, /会议纪要已印发/);
  }
  assert.equal(all.classes.toread, all.items.filter(i => i.class === 'toread').length);
  assert.equal(all.classes.todo, all.items.filter(i => i.class === 'todo').length);
  assert.equal(all.total, all.classes.todo + all.classes.toread, 'without ?class the total is both');

  const toread = await inbox(xcb, '&class=toread');
  assert.equal(toread.items.length, all.classes.toread);
  assert.ok(toread.items.every(i => i.class === 'toread'));
  assert.equal(toread.total, all.classes.toread);
  assert.equal(toread.counts.meeting_issued, 9);
  // the kinds of the class asked, with the server's labels (the console's chips)
  assert.deepEqual(toread.kinds.find(k => k.kind === 'meeting_issued'),
    { kind: 'meeting_issued', kind_label: '会议纪要已印发', class: 'toread', count: 9 });
  assert.ok(toread.kinds.every(k => k.class === 'toread' && k.count === toread.counts[k.kind]));
  assert.deepEqual(toread.classes, all.classes, 'the counts per class do not depend on the filter');

  const todo = await inbox(xcb, '&class=todo');
  assert.ok(!todo.items.some(i => i.class !== 'todo' || i.kind === 'meeting_issued'), 'no minutes among the tasks');
  assert.equal(todo.total, all.classes.todo);
  assert.equal(todo.counts.meeting_issued, undefined);
  assert.ok(todo.kinds.every(k => k.class === 'todo' && typeof k.kind_label === 'string'));

  // the badge asks for one item: the counts come with it
  const badge = await xcb.get('/api/v1/inbox?class=todo&limit=1');
  assert.equal(badge.status, 200);
  assert.equal(badge.json.classes.todo, all.classes.todo);
  assert.equal(badge.json.classes.toread, 9);

  // the console's labels name the classes
  const me = await xcb.get('/api/v1/me');
  assert.equal(me.status, 200);
  assert.deepEqual(me.json.labels.inbox_classes, { todo: '待办', toread: '待阅' });
});

test('a class that is neither todo nor toread is a 400 naming the field, in Chinese', async () => {
  for (const bad of ['read', 'TODO', '', 'todo,toread']) {
    const r = await xcb.get(`/api/v1/inbox?class=${encodeURIComponent(bad)}`);
    assertError(r, 400, undefined, 'class');
    assert.match(r.json.error.message, /待办.*待阅/);
  }
});

test('a 待阅 item is marked read through the done route; the 待办 count does not move', async () => {
  const before = await inbox(xcb, '&class=toread');
  const one = before.items[0];
  const r = await xcb.post(`/api/v1/inbox/${one.id}/done`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.class, 'toread');
  assert.equal(r.json.already_done, false);
  const now = await inbox(xcb, '&class=toread');
  assert.equal(now.classes.toread, before.classes.toread - 1);
  assert.equal(now.classes.todo, before.classes.todo);
  assert.ok(!now.items.some(i => i.id === one.id));
  const again = await xcb.post(`/api/v1/inbox/${one.id}/done`);
  assert.equal(again.status, 200);
  assert.equal(again.json.already_done, true);

  // another unit's account cannot reach it, nor read it for xcb
  const wz = await srv.login('demo.wanzhou');
  const other = (await inbox(xcb, '&class=toread')).items[0];
  assertError(await wz.post(`/api/v1/inbox/${other.id}/done`), 404, undefined, 'id');
  assert.equal((await inbox(xcb)).classes.toread, now.classes.toread);
});

test('全部标为已读 reads every 待阅 item of the caller and no 待办 one', async () => {
  const wz = await srv.login('demo.wanzhou');
  const wzBefore = (await inbox(wz)).classes;
  const before = (await inbox(xcb)).classes;
  assert.ok(before.toread > 0);
  const r = await xcb.post('/api/v1/inbox/read-all');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.read, before.toread);
  assert.deepEqual(r.json.classes, { todo: before.todo, toread: 0 });
  const after = await inbox(xcb);
  assert.equal(after.classes.toread, 0);
  assert.equal(after.items.filter(i => i.class === 'toread').length, 0);
  assert.equal(after.classes.todo, before.todo);
  assert.deepEqual((await inbox(wz)).classes, wzBefore, 'another unit\'s items are untouched');
  const again = await xcb.post('/api/v1/inbox/read-all');
  assert.equal(again.json.read, 0);
  // audited, with its Chinese name
  const auditor = await srv.login('demo.auditor');
  const a = await auditor.get('/api/v1/audit?action=inbox.read_all&limit=5');
  assert.equal(a.status, 200, a.text);
  assert.equal(a.json.items.length, 2, a.text);
  assert.ok(JSON.stringify(a.json.items).includes('待阅事项全部标为已读'), a.text);
});

test('migration 0012 gives the items stored before it their class from the kinds', async () => {
  const open = Number(sql(srv, "SELECT COUNT(*) FROM inbox_items WHERE kind = 'meeting_issued'").trim());
  assert.ok(open >= 9);
  await srv.stop();
  stopped = true;
  // back to the schema before 0012: no class column, 0012 not recorded
  sql(srv, 'ALTER TABLE inbox_items DROP COLUMN class');
  sql(srv, 'DELETE FROM schema_migrations WHERE version = 12');
  const m = cli(srv, ['migrate']);
  assert.equal(m.code, 0, m.err);
  assert.match(m.out, /1 migration\(s\) applied/);
  const rows = sql(srv, 'SELECT kind, class, COUNT(*) FROM inbox_items GROUP BY kind, class ORDER BY kind')
    .trim().split('\n').map(l => l.split('|'));
  const classOf = Object.fromEntries(rows.map(([k, c]) => [k, c]));
  assert.equal(rows.length, new Set(rows.map(r => r[0])).size, 'one class per kind');
  assert.equal(classOf.meeting_issued, 'toread');
  for (const k of ['report_returned', 'notice_sign']) if (classOf[k]) assert.equal(classOf[k], 'todo');
  assert.equal(Number(rows.find(r => r[0] === 'meeting_issued')[2]), open);
});
