// notices.test.mjs - the 督办单 console's list, form and texts (issue 19): the list's keyword
// search (title, requirements, 文号, unit name) and total, the same filters for the list and its
// .xlsx export, batch issue counted per item, the 文号 prefix settings, one notice to several
// units in one all-or-nothing request, the form's limits in /me, the duty's description beside
// its code, and dates in generated texts as 2025年2月11日.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError } from './lib.mjs';
import { sheetRows } from './xlsx.mjs';

process.env.ECOACT_TICK_SECONDS = '1'; // the server's tick every second (the 待办 of notices due soon)

let srv, office, reporter, wanzhou;
before(async () => {
  srv = await startServer({ name: 'notices' });
  [office, reporter, wanzhou] = await Promise.all(
    ['demo.office', 'demo.yuzhong', 'demo.wanzhou'].map(u => srv.login(u)));
});
after(async () => { await srv.stop(); });

/** Asia/Shanghai date, shifted by n days, as YYYY-MM-DD. */
function day(n = 0) {
  return new Date(Date.now() + 8 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);
}
const cn = ymd => { const [y, m, d] = ymd.split('-').map(Number); return `${y}年${m}月${d}日`; };
let seq = 0;
function draft(extra = {}) {
  return { unit: '500103', task: 17, title: `关于落实新闻发布会制度的督办 ${++seq}`,
    requirements: '请于期限内召开新闻发布会，并报送发布会材料。', deadline: day(10), ...extra };
}
async function create(extra) {
  const r = await office.post('/api/v1/notices', draft(extra));
  assert.equal(r.status, 201, r.text);
  return r.json;
}
const list = async (c, q) => {
  const r = await c.get(`/api/v1/notices?${new URLSearchParams(q)}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
};

test('the list searches title, requirements, 文号 and unit name, and says how many match', async () => {
  const a = await create({ title: '关于垃圾分类宣传周活动的督办', issue: true });
  const b = await create({ unit: '500101', title: '关于六五环境日活动的督办', requirements: '请组织湿地保护主题宣传。', issue: true });
  const c = await create({ unit: '500101', title: '关于湿地保护宣传的督办（草稿）' });

  let r = await list(office, { q: '垃圾分类' });
  assert.deepEqual(r.items.map(n => n.id), [a.id], 'by title');
  assert.equal(r.total, 1);
  r = await list(office, { q: '湿地保护' });
  assert.deepEqual(r.items.map(n => n.id), [c.id, b.id], 'by title or requirements, newest first');
  assert.equal(r.total, 2);
  r = await list(office, { q: '万州' });
  assert.ok(r.items.length >= 2 && r.items.every(n => n.unit.code === '500101'), 'by the unit name');
  assert.ok(r.items.some(n => n.id === b.id) && r.items.some(n => n.id === c.id));
  r = await list(office, { q: a.doc_no });
  assert.deepEqual(r.items.map(n => n.id), [a.id], 'by 文号');
  r = await list(office, { q: '湿地保护', stage: 'issued' });
  assert.deepEqual(r.items.map(n => n.id), [b.id], 'q with the other filters');
  assert.equal(r.total, 1);

  // the total counts every match, not the page
  r = await list(office, { q: '督办', limit: 1 });
  assert.equal(r.items.length, 1);
  assert.ok(r.total >= 3, `total ${r.total}`);
  assert.ok(r.next_cursor);
  r = await list(office, {});
  assert.equal(typeof r.total, 'number');

  // a unit-scoped caller searches its own unit's issued notices only
  r = await list(reporter, { q: '督办' });
  assert.ok(r.items.every(n => n.unit.code === '500103' && n.stage !== 'drafted'));
  assert.ok(!r.items.some(n => n.id === b.id));
  r = await list(reporter, { q: '万州' });
  assert.equal(r.total, 0, 'another unit\'s notices stay hidden when searched by its name');
  r = await list(wanzhou, { q: '湿地保护' });
  assert.deepEqual(r.items.map(n => n.id), [b.id], 'never a draft');

  // the wildcard characters match themselves
  r = await list(office, { q: '%' });
  assert.equal(r.total, 0);

  assertError(await office.get(`/api/v1/notices?q=${encodeURIComponent('督'.repeat(30))}`), 422, 'rule_violation', 'q');
  assertError(await office.get('/api/v1/notices?stage=bogus'), 422, 'rule_violation', 'stage');
  assertError(await office.get('/api/v1/notices?unit=nowhere'), 422, 'rule_violation', 'unit');
});

test('the .xlsx export reads the same filters as the list, q included', async () => {
  const a = await create({ title: '关于生态文化作品征集的督办', issue: true });
  const x = await office.get(`/api/v1/notices/export.xlsx?q=${encodeURIComponent('生态文化作品征集')}`);
  assert.equal(x.status, 200, x.text);
  assert.match(decodeURIComponent(x.headers.get('content-disposition')), /督办单_\d{4}年\d{1,2}月\d{1,2}日\.xlsx/);
  const rows = sheetRows(x.buf).slice(2);
  assert.equal(rows.length, 1);
  assert.equal(rows[0][0], a.doc_no);
  assert.equal(rows[0][1], '关于生态文化作品征集的督办');
  assertError(await office.get(`/api/v1/notices/export.xlsx?q=${encodeURIComponent('督'.repeat(30))}`), 422, 'rule_violation', 'q');
  assertError(await office.get('/api/v1/notices/export.xlsx?level=pink'), 422, 'rule_violation', 'level');
});

test('batch issue: each draft issued or refused with its reason', async () => {
  const a = await create({ title: '批量下发测试一' });
  const b = await create({ title: '批量下发测试二' });
  const done = await create({ title: '批量下发测试三（已下发）', issue: true });
  const r = await office.post('/api/v1/notices/issue-batch', { ids: [a.id, b.id, done.id] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.total, 3);
  assert.equal(r.json.done, 2);
  assert.equal(r.json.refused, 1);
  const bad = r.json.items.find(i => i.id === done.id);
  assert.equal(bad.ok, false);
  assert.match(bad.message, /[\u4e00-\u9fff]/);
  const l = await list(office, { q: '批量下发测试', stage: 'issued' });
  assert.equal(l.total, 3);
  assertError(await reporter.post('/api/v1/notices/issue-batch', { ids: [a.id] }), 403, 'forbidden');
});

test('督办设置: the next 文号 previewed, a bad prefix refused at its field, a new prefix used by the next issue', async () => {
  let s = await office.get('/api/v1/notice-settings');
  assert.equal(s.status, 200, s.text);
  assert.match(s.json.doc_no_next, new RegExp(`^${s.json.doc_prefix}〔${day().slice(0, 4)}〕\\d+号$`));
  const bad = await office.put('/api/v1/notice-settings', { doc_prefix: '渝生宣督〔〕' });
  assertError(bad, 422, 'rule_violation', 'doc_prefix');
  assert.match(bad.json.error.message, /机关代字/);
  assertError(await office.put('/api/v1/notice-settings', { doc_prefix: '督'.repeat(13) }), 422, 'rule_violation', 'doc_prefix');
  assertError(await reporter.put('/api/v1/notice-settings', { doc_prefix: '渝督' }), 403, 'forbidden');
  assert.equal((await office.get('/api/v1/notice-settings')).json.doc_prefix, s.json.doc_prefix, 'a refused prefix changes nothing');

  const old = s.json.doc_prefix;
  s = await office.put('/api/v1/notice-settings', { doc_prefix: '渝环宣督' });
  assert.equal(s.status, 200, s.text);
  assert.match(s.json.doc_no_next, /^渝环宣督〔\d{4}〕\d+号$/);
  const again = (await office.get('/api/v1/notice-settings')).json.doc_no_next;
  assert.equal(again, s.json.doc_no_next, 'the preview takes no number');
  const n = await create({ issue: true });
  assert.equal(n.doc_no, s.json.doc_no_next, 'the next issue gets the previewed 文号');
  assert.notEqual((await office.get('/api/v1/notice-settings')).json.doc_no_next, n.doc_no);
  assert.equal((await office.put('/api/v1/notice-settings', { doc_prefix: old })).status, 200);
});

test('one notice to several units: one per unit in one request, all or nothing, the bad unit named by its place', async () => {
  const me = (await office.get('/api/v1/me')).json;
  assert.deepEqual(me.policy.limits.notice, { title: 200, requirements: 5000, note: 1000, units: 50 }, 'the form limits come from the server');

  const before = (await list(office, { q: '多单位督办' })).total;
  const body = { units: ['500103', '500101', '500102'], task: 17, title: '关于多单位督办新闻发布会制度落实的督办',
    requirements: '请于期限内召开新闻发布会。', deadline: day(12) };
  const r = await office.post('/api/v1/notices', body);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.total, 3);
  assert.deepEqual(r.json.items.map(n => n.unit.code), ['500103', '500101', '500102']);
  assert.ok(r.json.items.every(n => n.stage === 'drafted' && n.title === body.title && n.actions.some(a => a.name === 'issue')));
  assert.equal((await list(office, { q: '多单位督办' })).total, before + 3);

  // issued at once: each gets its own 文号
  const is = await office.post('/api/v1/notices', { ...body, units: ['500104', '500105'], issue: true });
  assert.equal(is.status, 201, is.text);
  assert.ok(is.json.items.every(n => n.stage === 'issued' && n.doc_no));
  assert.notEqual(is.json.items[0].doc_no, is.json.items[1].doc_no);

  // the third unit is unknown: nothing stored, the field names it
  let bad = await office.post('/api/v1/notices', { ...body, units: ['500103', '500101', 'nowhere'] });
  assertError(bad, 422, 'rule_violation', 'units[2]');
  assert.match(bad.json.error.message, /第 3 个单位/);
  bad = await office.post('/api/v1/notices', { ...body, units: ['500103', '500103'] });
  assertError(bad, 422, 'rule_violation', 'units[1]');
  assert.match(bad.json.error.message, /重复/);
  // a named group is refused when its notice is created, after the first ones: still nothing stored
  const group = (await office.get('/api/v1/units?tier=group&limit=1')).json.items[0];
  bad = await office.post('/api/v1/notices', { ...body, units: ['500103', '500101', group.id] });
  assertError(bad, 422, 'rule_violation', 'units[2]');
  assert.match(bad.json.error.message, new RegExp(`第 3 个单位（${group.name}）`));
  assert.equal((await list(office, { q: '多单位督办' })).total, before + 5, 'a refused request stores no notice');

  assertError(await office.post('/api/v1/notices', { ...body, units: [] }), 422, 'rule_violation', 'units');
  assertError(await office.post('/api/v1/notices', { ...body, units: Array.from({ length: 51 }, (_, i) => i + 1) }), 422, 'rule_violation', 'units');
  assertError(await office.post('/api/v1/notices', { ...body, units: '500103' }), 400, undefined, 'units');
  assertError(await office.post('/api/v1/notices', { ...body, unit: '500103' }), 400, undefined, 'units');
  bad = await office.post('/api/v1/notices', { ...body, units: ['500103'], title: '督'.repeat(201) });
  assertError(bad, 422, 'rule_violation', 'title');
  assertError(await reporter.post('/api/v1/notices', body), 403, 'forbidden');
});

test('督办 from a red cell: the open notice of the item is found, the duty shown by its description', async () => {
  const item = { unit: '500101', obligation: 't17-press-district', period_start: '2024-10-01', period_end: '2024-12-31' };
  const ask = (c, q = item) => c.get(`/api/v1/notices/open-for-item?${new URLSearchParams(q)}`);
  let r = await ask(office);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.notice, null, 'none yet');
  const made = await office.post('/api/v1/notices', { ...item, subject: 'compliance', plan: undefined,
    title: '关于督促万州区召开新闻发布会的督办单', requirements: '请说明未召开原因并尽快补报。', deadline: day(10) });
  assert.equal(made.status, 201, made.text);
  assert.equal(made.json.obligation, 't17-press-district', 'the code stays in the API');
  assert.equal(made.json.obligation_title, '区级生态环境部门新闻发布会（媒体通气会）');
  r = await ask(office);
  assert.deepEqual([r.json.notice.id, r.json.notice.stage_label], [made.json.id, '立项']);
  // the unit's own staff never learn of a draft, and ask about their own unit only
  assert.equal((await ask(wanzhou)).json.notice, null);
  assertError(await ask(reporter), 403, 'forbidden', 'unit');
  await office.post(`/api/v1/notices/${made.json.id}/issue`, {});
  assert.equal((await ask(wanzhou)).json.notice.id, made.json.id, 'issued, the unit sees it');
  // another period or unit has none; a second draft for the same item is refused
  assert.equal((await ask(office, { ...item, period_start: '2024-07-01', period_end: '2024-09-30' })).json.notice, null);
  const twin = await office.post('/api/v1/notices', { ...item, subject: 'compliance', title: '重复', requirements: '重复', deadline: day(10) });
  assertError(twin, 409, 'conflict', 'obligation');
  assertError(await ask(office, { ...item, unit: 'nowhere' }), 422, 'rule_violation', 'unit');
  assertError(await ask(office, { ...item, obligation: '' }), 422, 'rule_violation', 'obligation');
  assertError(await ask(office, { ...item, period_end: '2024年12月31日' }), 422, 'rule_violation', 'period_end');
  // a task notice has no duty
  const t = await create();
  assert.equal(t.obligation_title, null);
});

test('dates in generated texts read 2025年2月11日: the 待办 of a notice due soon, a past deadline refused', async () => {
  const n = await create({ title: '关于即将到期事项的督办', deadline: day(1), issue: true });
  const [y, m, d] = day(1).split('-').map(Number);
  const end = Date.now() + 8000;
  let due;
  for (;;) {
    const items = (await office.get('/api/v1/inbox?limit=1')).status === 200 ? (await reporter.get('/api/v1/inbox?limit=200')).json.items : [];
    due = items.find(i => i.link === `/notices/${n.id}` && i.kind === 'notice_due');
    if (due || Date.now() > end) break;
    await new Promise(r => setTimeout(r, 200));
  }
  assert.ok(due, 'the notice due soon is in the unit\'s 待办');
  assert.match(due.title, new RegExp(`^督办单将于${y}年${m}月${d}日到期：`));
  assert.doesNotMatch(due.title, /\d{4}-\d{2}-\d{2}/);
  const past = await office.post('/api/v1/notices', draft({ deadline: day(-3) }));
  assertError(past, 422, 'rule_violation', 'deadline');
  assert.equal(past.json.error.message, `办理期限${cn(day(-3))}早于今天（${cn(day())}）`);
});

test('the printed 督办单 downloads as 督办单_<文号>.pdf, its name encoded once', async () => {
  const n = await create({ issue: true });
  const r = await office.get(`/api/v1/notices/${n.id}/document.pdf`);
  assert.equal(r.status, 200, r.text);
  const cd = r.headers.get('content-disposition');
  const star = /filename\*=UTF-8''([^;]+)/.exec(cd);
  assert.ok(star, cd);
  assert.equal(decodeURIComponent(star[1]), `督办单_${n.doc_no}.pdf`);
});
