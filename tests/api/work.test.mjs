// work.test.mjs - the work ledger (台账): filing reports for one's own unit and child units,
// validation (dates inside the plan, tasks that exist, metrics the kind has), review (accept;
// return with a reason, correct, resubmit, with the full history), unit scoping, evidence files
// (round trip, allow-list checked by declared type and content, size limit), import from .csv
// and .xlsx (every error by row and column, all or nothing) and export as .xlsx.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, assertError, sql, ROOT } from './lib.mjs';

let srv, office, yz, yzAdmin, wz, sys, leader, evaluator;
let yuzhongId, wanzhouId, schoolId;
const base = { kind: 'press_conference', activity_date: '2023-02-10', title: '渝中区2023年第一季度新闻发布会', tasks: [17] };

before(async () => {
  srv = await startServer({ name: 'work' });
  [office, yz, yzAdmin, wz, sys, leader, evaluator] = await Promise.all(
    ['demo.office', 'demo.yuzhong', 'demo.yuzhong.admin', 'demo.wanzhou', 'demo.sysadmin', 'demo.leader', 'demo.evaluator'].map(u => srv.login(u)));
  yuzhongId = (await sys.get('/api/v1/units/500103')).json.id;
  wanzhouId = (await sys.get('/api/v1/units/500101')).json.id;
  const s = await sys.post('/api/v1/units', { name: '重庆市巴蜀小学校', key: '巴蜀小学', tier: 'school', parent_id: yuzhongId });
  assert.equal(s.status, 201, s.text);
  schoolId = s.json.id;
});
after(async () => { await srv.stop(); });

const file = (c, body) => c.post('/api/v1/reports', { ...base, ...body });
const todayShanghai = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);

test('a reporter files a report for its own unit: 201, submitted, with its history', async () => {
  const r = await file(yz, { metrics: { participants: 30, media_outlets: 8 }, links: ['https://www.cqyz.gov.cn/a.html'], place: '渝中区融媒体中心', summary: '通报一季度生态环境质量' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.status, 'submitted');
  assert.equal(r.json.unit.code, '500103');
  assert.equal(r.json.kind_name, '新闻发布会（媒体通气会）');
  assert.deepEqual(r.json.tasks, [17]);
  assert.deepEqual(r.json.metrics, { participants: 30, media_outlets: 8 });
  assert.equal(r.json.created_by.name, '周填报');
  assert.equal(r.json.history.length, 1);
  assert.equal(r.json.history[0].action, 'submit');
  const again = await yz.get(`/api/v1/reports/${r.json.id}`);
  assert.equal(again.status, 200);
  assert.equal(again.json.title, base.title);
  assert.equal(again.json.place, '渝中区融媒体中心');
  for (const c of [leader, evaluator, office, yzAdmin]) assert.equal((await c.get(`/api/v1/reports/${r.json.id}`)).status, 200);
});

test('validation: dates inside the plan, known kind, tasks that exist, metrics of the kind, lengths, links', async () => {
  assertError(await file(yz, { activity_date: '2021-06-30' }), 422, 'rule_violation', 'activity_date');
  const late = await file(yz, { activity_date: '2026-01-01' });
  assertError(late, 422, 'rule_violation', 'activity_date');
  assert.match(late.json.error.message, /2021年7月1日 至 2025年12月31日/, 'dates as people read them (issue 19)');
  assertError(await file(yz, { activity_date: '2023-02-30' }), 422, 'rule_violation', 'activity_date');
  assertError(await file(yz, { activity_date: '2023/02/10' }), 422, 'rule_violation', 'activity_date');
  assertError(await file(yz, { kind: 'party' }), 422, 'rule_violation', 'kind');
  const task = await file(yz, { tasks: [17, 999] });
  assertError(task, 422, 'rule_violation', 'tasks');
  assert.match(task.json.error.message, /999/);
  assertError(await file(yz, { tasks: [] }), 422, 'rule_violation', 'tasks');
  assertError(await file(yz, { tasks: ['17'] }), 400, 'bad_request', 'tasks');
  const neg = await file(yz, { metrics: { participants: -1 } });
  assertError(neg, 422, 'rule_violation', 'metrics.participants');
  const unknown = await file(yz, { metrics: { views: 100 } });
  assertError(unknown, 422, 'rule_violation', 'metrics.views');
  assert.match(unknown.json.error.message, /views/);
  assertError(await file(yz, { metrics: { participants: 1.5 } }), 400, 'bad_request', 'metrics.participants');
  assertError(await file(yz, { title: '' }), 422, 'rule_violation', 'title');
  assertError(await file(yz, { title: '题'.repeat(201) }), 422, 'rule_violation', 'title');
  assert.equal((await file(yz, { title: '题'.repeat(200) })).status, 201);
  assertError(await file(yz, { summary: '字'.repeat(5001) }), 422, 'rule_violation', 'summary');
  assertError(await file(yz, { links: ['javascript:alert(1)'] }), 422, 'rule_violation', 'links');
  assertError(await file(yz, { links: ['ftp://example.com/x'] }), 422, 'rule_violation', 'links');
  assertError(await file(yz, { colour: 'red' }), 400, 'bad_request', 'colour');
  assertError(await file(yz, { plan: 'no-such-plan' }), 422, 'rule_violation', 'plan');
  assertError(await file(yz, { unit: '有关区县' }), 403, 'forbidden', 'unit');
  assertError(await file(office, { unit: '有关区县' }), 422, 'rule_violation', 'unit');
  assertError(await file(yz, { unit: 'nowhere' }), 422, 'rule_violation', 'unit');
});

test('units: a report for another unit is 403, a report of another unit 404; child units are allowed; the office files for any unit', async () => {
  assertError(await file(yz, { unit: '500101' }), 403, 'forbidden', 'unit');
  assertError(await file(wz, { unit: yuzhongId }), 403, 'forbidden', 'unit');
  const child = await file(yz, { unit: '巴蜀小学', kind: 'school_class_hours', activity_date: '2023-06-30', title: '2022-2023学年生态文明教育课时', tasks: [51], metrics: { schools_total: 1, schools_met: 1, class_hours: 14 } });
  assert.equal(child.status, 201, child.text);
  assert.equal(child.json.unit.id, schoolId);
  assert.equal(child.json.parent_unit_id, yuzhongId);
  const byOffice = await file(office, { unit: '500101', title: '万州区新闻发布会（办公室代报）' });
  assert.equal(byOffice.status, 201, byOffice.text);
  assert.equal(byOffice.json.unit.code, '500101');
  // the Wanzhou reporter cannot read Yuzhong's reports, nor list them
  // another unit's report answers as if absent (404), so its ids are not told apart from missing ones
  assertError(await wz.get(`/api/v1/reports/${child.json.id}`), 404, 'not_found');
  assertError(await yz.get(`/api/v1/reports/${byOffice.json.id}`), 404, 'not_found');
  assertError(await wz.get('/api/v1/reports?unit=500103'), 403, 'forbidden', 'unit');
  assertError(await wz.put(`/api/v1/reports/${child.json.id}`, base), 404, 'not_found');
  const mine = await wz.get('/api/v1/reports?limit=200');
  assert.ok(mine.json.items.length >= 1);
  assert.ok(mine.json.items.every(i => i.unit.code === '500101'), 'a district sees only its own reports');
  // a district's list includes its child units
  const yzList = await yz.get('/api/v1/reports?unit=500103&limit=200');
  assert.ok(yzList.json.items.some(i => i.id === child.json.id));
  const schoolOnly = await office.get(`/api/v1/reports?unit=${schoolId}`);
  assert.deepEqual(schoolOnly.json.items.map(i => i.id), [child.json.id]);
});

test('review: accept records the Asia/Shanghai date; an accepted report is final', async () => {
  const r = await file(yz, { activity_date: '2023-05-20', title: '二季度新闻发布会' });
  assertError(await yz.post(`/api/v1/reports/${r.json.id}/review`, { decision: 'accept' }), 403, 'forbidden');
  assertError(await yzAdmin.post(`/api/v1/reports/${r.json.id}/review`, { decision: 'accept' }), 403, 'forbidden', 'id');
  assertError(await office.post(`/api/v1/reports/${r.json.id}/review`, { decision: 'maybe' }), 422, 'rule_violation', 'decision');
  const a = await office.post(`/api/v1/reports/${r.json.id}/review`, { decision: 'accept' });
  assert.equal(a.status, 200, a.text);
  assert.equal(a.json.status, 'accepted');
  assert.equal(a.json.accepted_date, todayShanghai());
  assert.equal(a.json.reviewer_name, '王晓燕');
  assertError(await office.post(`/api/v1/reports/${r.json.id}/review`, { decision: 'accept' }), 409, 'conflict');
  assertError(await yz.put(`/api/v1/reports/${r.json.id}`, { ...base, title: '改' }), 409, 'conflict');
  assertError(await yz.req('PUT', `/api/v1/reports/${r.json.id}/evidence/a.txt`, { body: 'x', headers: { 'Content-Type': 'text/plain' } }), 409, 'conflict');
  const accepted = await office.get('/api/v1/reports?status=accepted');
  assert.ok(accepted.json.items.some(i => i.id === r.json.id && i.accepted_date === todayShanghai()));
});

test('return with a reason, correct, resubmit: the history keeps who, when, what changed and why', async () => {
  const r = await file(yz, { activity_date: '2023-08-15', title: '全国生态日新闻发布会', metrics: { participants: 20 } });
  const id = r.json.id;
  assertError(await office.post(`/api/v1/reports/${id}/review`, { decision: 'return' }), 422, 'rule_violation', 'reason');
  const ret = await office.post(`/api/v1/reports/${id}/review`, { decision: 'return', reason: '请补充参会媒体数量和发布会通稿链接' });
  assert.equal(ret.status, 200, ret.text);
  assert.equal(ret.json.status, 'returned');
  assert.equal(ret.json.return_reason, '请补充参会媒体数量和发布会通稿链接');
  assertError(await office.post(`/api/v1/reports/${id}/review`, { decision: 'accept' }), 409, 'conflict');
  const inboxItem = async () => (await yz.get('/api/v1/inbox')).json.items.find(i => i.link === `/reports/${id}`);
  const item = await inboxItem();
  assert.equal(item?.kind, 'report_returned', 'the author sees the returned report in the inbox');
  assert.match(item.title, /全国生态日新闻发布会/);
  const fixed = await yz.put(`/api/v1/reports/${id}`, { ...base, activity_date: '2023-08-15', title: '全国生态日新闻发布会', metrics: { participants: 20, media_outlets: 12 }, links: ['https://www.cqyz.gov.cn/fb.html'] });
  assert.equal(fixed.status, 200, fixed.text);
  assert.equal(fixed.json.status, 'submitted');
  assert.equal(fixed.json.return_reason, null);
  assert.equal(await inboxItem(), undefined, 'resubmitting closes the inbox item');
  const ok = await office.post(`/api/v1/reports/${id}/review`, { decision: 'accept', reason: '材料齐全' });
  assert.equal(ok.status, 200);
  const h = (await yz.get(`/api/v1/reports/${id}`)).json.history;
  assert.deepEqual(h.map(x => x.action), ['submit', 'return', 'resubmit', 'accept']);
  assert.deepEqual(h.map(x => x.status), ['submitted', 'returned', 'submitted', 'accepted']);
  assert.equal(h[1].reason, '请补充参会媒体数量和发布会通稿链接');
  assert.equal(h[1].by.name, '王晓燕');
  assert.equal(h[2].by.name, '周填报');
  assert.deepEqual(h[2].changes.metrics, { from: { participants: 20 }, to: { participants: 20, media_outlets: 12 } });
  assert.deepEqual(h[2].changes.links, { from: [], to: ['https://www.cqyz.gov.cn/fb.html'] });
  assert.equal(h[2].changes.title, undefined, 'unchanged fields are not listed');
  assert.equal(h[3].reason, '材料齐全');
  assert.ok(h.every(x => Number.isInteger(x.at) && x.at > 1.6e9));
});

test('a unit_admin reviews its child units\' reports; the review queue shows what waits for each reviewer', async () => {
  const r = await file(yz, { unit: schoolId, kind: 'school_class_hours', activity_date: '2024-06-28', title: '2023-2024学年课时', tasks: [51], metrics: { schools_total: 1, schools_met: 1, class_hours: 12 } });
  const q = await yzAdmin.get('/api/v1/reports/review-queue?limit=200');
  assert.equal(q.status, 200, q.text);
  assert.ok(q.json.items.some(i => i.id === r.json.id));
  assert.ok(q.json.items.every(i => i.parent_unit_id === yuzhongId && i.status === 'submitted'));
  const oq = await office.get('/api/v1/reports/review-queue?limit=200');
  assert.ok(oq.json.items.some(i => i.id === r.json.id));
  assert.ok(oq.json.items.some(i => i.unit.code === '500103'), 'the office sees districts\' own reports');
  const ids = oq.json.items.map(i => i.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first (issue 19: new work is not hidden)');
  assertError(await yz.get('/api/v1/reports/review-queue'), 403, 'forbidden');
  const a = await yzAdmin.post(`/api/v1/reports/${r.json.id}/review`, { decision: 'accept' });
  assert.equal(a.status, 200, a.text);
  assert.equal(a.json.reviewer_name, '刘渝中');
  const after = await yzAdmin.get('/api/v1/reports/review-queue?limit=200');
  assert.ok(!after.json.items.some(i => i.id === r.json.id));
});

// A small valid PNG (1x1) and a PDF.
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

test('evidence: upload, download the same bytes as an attachment, identical files stored once, delete', async () => {
  const r = await file(yz, { activity_date: '2023-09-28', title: '三季度新闻发布会' });
  const id = r.json.id;
  const name = '发布会现场照片.png';
  const put = await yz.req('PUT', `/api/v1/reports/${id}/evidence/${encodeURIComponent(name)}`, { body: PNG, headers: { 'Content-Type': 'image/png' } });
  assert.equal(put.status, 201, put.text);
  assert.equal(put.json.size, PNG.length);
  assert.match(put.json.hash, /^[0-9a-f]{64}$/);
  const get = await leader.get(`/api/v1/reports/${id}/evidence/${encodeURIComponent(name)}`);
  assert.equal(get.status, 200);
  assert.ok(get.buf.equals(PNG), 'the bytes come back unchanged');
  assert.equal(get.headers.get('content-type'), 'image/png');
  assert.match(get.headers.get('content-disposition'), /^attachment;/);
  assert.ok(get.headers.get('content-disposition').includes(`filename*=UTF-8''${encodeURIComponent(name)}`), get.headers.get('content-disposition'));
  assert.equal(get.headers.get('x-content-type-options'), 'nosniff');
  // the same bytes under another name (and on another report) are stored once
  const r2 = await file(yz, { activity_date: '2023-09-29', title: '另一场发布会' });
  assert.equal((await yz.req('PUT', `/api/v1/reports/${r2.json.id}/evidence/copy.png`, { body: PNG, headers: { 'Content-Type': 'image/png' } })).status, 201);
  assert.equal(sql(srv, `SELECT COUNT(*) FROM files WHERE hash = '${put.json.hash}'`).trim(), '1');
  // replacing a name: 200
  const pdf = await yz.req('PUT', `/api/v1/reports/${id}/evidence/${encodeURIComponent(name)}`, { body: PDF, headers: { 'Content-Type': 'application/pdf' } });
  assert.equal(pdf.status, 200, pdf.text);
  const txt = await yz.req('PUT', `/api/v1/reports/${id}/evidence/notes.txt`, { body: '发布会通稿：……\n', headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  assert.equal(txt.status, 201, txt.text);
  const rep = (await yz.get(`/api/v1/reports/${id}`)).json;
  assert.deepEqual(rep.evidence.map(e => [e.name, e.content_type]).sort(), [['notes.txt', 'text/plain'], [name, 'application/pdf']].sort());
  assert.deepEqual(rep.history.slice(1).map(h => h.action), ['evidence_add', 'evidence_replace', 'evidence_add']);
  // another district cannot fetch it
  assertError(await wz.get(`/api/v1/reports/${id}/evidence/notes.txt`), 404, 'not_found'); // as if absent
  const text = await yz.get(`/api/v1/reports/${id}/evidence/notes.txt`);
  assert.equal(text.headers.get('content-type'), 'text/plain; charset=utf-8');
  assert.equal(text.text, '发布会通稿：……\n');
  const del = await yz.del(`/api/v1/reports/${id}/evidence/notes.txt`);
  assert.equal(del.status, 200, del.text);
  assertError(await yz.get(`/api/v1/reports/${id}/evidence/notes.txt`), 404, 'not_found');
  assertError(await yz.del(`/api/v1/reports/${id}/evidence/notes.txt`), 404, 'not_found');
  assert.equal((await yz.get(`/api/v1/reports/${id}`)).json.history.at(-1).action, 'evidence_remove');
});

/** PUT of `size` bytes with Expect: 100-continue; resolves to the status the server answers. */
function putExpecting(client, path, size) {
  return new Promise((resolve, reject) => {
    const u = new URL(client.base + path);
    const req = httpRequest({ host: u.hostname, port: u.port, path: u.pathname, method: 'PUT', headers: {
      'Content-Type': 'text/plain', 'Content-Length': size, Expect: '100-continue', Cookie: client.cookie, Origin: client.base } });
    req.on('continue', () => req.end(Buffer.alloc(size, 0x41)));
    req.on('response', res => { res.resume(); resolve(res.statusCode); req.destroy(); });
    req.on('error', reject);
  });
}

test('evidence: allow-list by declared type and by content, names, and the 20 MiB limit', async () => {
  const r = await file(yz, { activity_date: '2023-10-10', title: '四季度新闻发布会' });
  const put = (name, body, type) => yz.req('PUT', `/api/v1/reports/${r.json.id}/evidence/${encodeURIComponent(name)}`, { body, headers: { 'Content-Type': type } });
  const liar = await put('report.pdf', PNG, 'application/pdf');
  assertError(liar, 415, 'unsupported_media_type');
  assert.match(liar.json.error.message, /PDF/);
  assert.match(liar.json.error.message, /PNG/);
  assertError(await put('run.exe', Buffer.from('MZ\x90\x00\x03'), 'application/x-msdownload'), 415, 'unsupported_media_type');
  assertError(await put('page.html', '<html><script>alert(1)</script></html>', 'text/html'), 415, 'unsupported_media_type');
  assertError(await put('bin.txt', Buffer.from([0x41, 0x00, 0x42]), 'text/plain'), 415, 'unsupported_media_type');
  assertError(await put('gbk.txt', Buffer.from([0xc4, 0xe3, 0xba, 0xc3]), 'text/plain'), 415, 'unsupported_media_type');
  assertError(await put('empty.pdf', Buffer.alloc(0), 'application/pdf'), 422, 'rule_violation');
  assertError(await put('名'.repeat(121), PNG, 'image/png'), 422, 'rule_violation', 'name');
  assertError(await put('a\\b.png', PNG, 'image/png'), 422, 'rule_violation', 'name');
  assertError(await put('tab\there.png', PNG, 'image/png'), 422, 'rule_violation', 'name');
  assert.equal((await put('名'.repeat(120), PNG, 'image/png')).status, 201);
  // over 20 MiB: refused before the body is read (a client that asks with Expect: 100-continue
  // gets the 413 without sending the file)
  assert.equal(await putExpecting(yz, `/api/v1/reports/${r.json.id}/evidence/big.txt`, 20 * 1024 * 1024 + 1), 413);
  // a browser sends the whole body without asking first: it still reads a 413
  const huge = await yz.req('PUT', `/api/v1/reports/${r.json.id}/evidence/huge.pdf`, { body: Buffer.alloc(21 * 1024 * 1024, 0x20), headers: { 'Content-Type': 'application/pdf' } });
  assert.equal(huge.status, 413);
  const ok = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(20 * 1024 * 1024 - 9, 0x20)]);
  const max = await put('max.pdf', ok, 'application/pdf');
  assert.equal(max.status, 201, max.text);
  const back = await yz.get(`/api/v1/reports/${r.json.id}/evidence/max.pdf`);
  assert.equal(back.buf.length, ok.length);
});

test('lists: filters by kind, task, dates and status; cursor paging', async () => {
  for (const [d, t] of [['2024-03-05', '学雷锋纪念日志愿活动'], ['2024-03-22', '世界水日志愿活动'], ['2024-04-22', '世界地球日志愿活动']])
    assert.equal((await file(yz, { kind: 'volunteer_activity', activity_date: d, title: t, tasks: [44], metrics: { participants: 50 } })).status, 201);
  const vol = await yz.get('/api/v1/reports?kind=volunteer_activity');
  assert.equal(vol.json.items.length, 3);
  assert.deepEqual(vol.json.items.map(i => i.activity_date), ['2024-04-22', '2024-03-22', '2024-03-05'], 'newest first');
  assert.equal((await yz.get('/api/v1/reports?task=44')).json.items.length, 3);
  assert.equal((await yz.get('/api/v1/reports?kind=volunteer_activity&from=2024-03-10&to=2024-04-30')).json.items.length, 2);
  const p1 = await yz.get('/api/v1/reports?kind=volunteer_activity&limit=2');
  assert.equal(p1.json.items.length, 2);
  assert.ok(p1.json.next_cursor);
  const p2 = await yz.get(`/api/v1/reports?kind=volunteer_activity&limit=2&cursor=${p1.json.next_cursor}`);
  assert.deepEqual(p2.json.items.map(i => i.title), ['学雷锋纪念日志愿活动']);
  assert.equal(p2.json.next_cursor, null);
  assertError(await yz.get('/api/v1/reports?from=2024-13-01'), 422, 'rule_violation', 'from');
  assertError(await yz.get('/api/v1/reports?status=lost'), 422, 'rule_violation', 'status');
  assertError(await yz.get('/api/v1/reports?unit=nowhere'), 422, 'rule_violation', 'unit');
});

const CSV_TYPE = { 'Content-Type': 'text/csv' };
const countReports = () => Number(sql(srv, 'SELECT COUNT(*) FROM reports').trim());

test('import with bad rows: every error listed by row and column, nothing imported', async () => {
  const before = countReports();
  const csv = [
    '单位,类型,活动日期,标题,摘要,地点,服务任务,参与人数,media_outlets',
    '500103,新闻发布会（媒体通气会）,2024-01-15,一月发布会,,,17,20,5',
    '500101,press_conference,2024-02-15,万州的发布会,,,17,,',
    '500103,开会,2024-02-30,,,,17、999,-3,',
    '500103,seminar,2026-03-01,研讨会,,,5,10,2',
    'nowhere,seminar,2024-03-01,研讨会,,,x,ten,',
  ].join('\n');
  const r = await yz.req('POST', '/api/v1/reports/import', { body: csv, headers: CSV_TYPE });
  assertError(r, 422, 'rule_violation');
  const errs = r.json.errors.map(e => `${e.row}|${e.column}`);
  assert.deepEqual(errs.sort(), [
    '3|单位',        // another district
    '4|类型', '4|活动日期', '4|标题', '4|服务任务', '4|参与人数', // negative
    '5|活动日期', '5|media_outlets',  // outside the plan; seminar has no media_outlets
    '6|单位', '6|服务任务', '6|参与人数',
  ].sort(), JSON.stringify(r.json.errors, null, 1));
  assert.ok(r.json.errors.every(e => typeof e.message === 'string' && e.message.length > 0));
  assert.match(r.json.errors.find(e => e.row === 4 && e.column === '服务任务').message, /999|-3|任务/);
  assert.equal(r.json.errors_total, r.json.errors.length);
  assert.equal(countReports(), before, 'nothing imported');
  const hdr = await yz.req('POST', '/api/v1/reports/import', { body: '单位,类型,日期\n500103,seminar,2024-01-01\n', headers: CSV_TYPE });
  assertError(hdr, 422, 'rule_violation');
  assert.deepEqual(hdr.json.errors.map(e => `${e.row}|${e.column}`).sort(), ['1|日期', '1|活动日期', '1|标题'].sort());
  assertError(await yz.req('POST', '/api/v1/reports/import', { body: Buffer.from([0xb5, 0xa5, 0xce, 0xbb, 0x2c, 0x0a]), headers: CSV_TYPE }), 422, 'rule_violation', 'file');
  assertError(await yz.req('POST', '/api/v1/reports/import', { body: 'x', headers: { 'Content-Type': 'application/json' } }), 415, 'unsupported_media_type');
  const many = ['单位,类型,活动日期,标题,服务任务', ...Array.from({ length: 5001 }, (_, i) => `500103,seminar,2024-01-01,t${i},5`)].join('\n');
  const tooMany = await yz.req('POST', '/api/v1/reports/import', { body: many, headers: CSV_TYPE });
  assertError(tooMany, 422, 'rule_violation', 'file');
  assert.match(tooMany.json.error.message, /5000/);
  assertError(await yz.req('POST', '/api/v1/reports/import', { body: Buffer.alloc(10 * 1024 * 1024 + 1, 0x41), headers: CSV_TYPE }), 413, 'too_large');
  assertError(await yz.req('POST', '/api/v1/reports/import', { body: 'PK\x03\x04garbage', headers: { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } }), 422, 'rule_violation', 'file');
});

test('import of a good .csv (UTF-8 with BOM): dry run checks only, then all rows in one go', async () => {
  const csv = '\ufeff' + [
    '单位,类型,活动日期,标题,摘要,地点,服务任务,参与人数,media_outlets,链接',
    '500103,新闻发布会（媒体通气会）,2024-01-15,一月发布会,"摘要，含逗号和""引号""",渝中区,17,20,5,https://a.example/1',
    '巴蜀小学,seminar,2024/2/1,教师研讨会,,,5,15,,',
    '500103,volunteer_activity,2024年3月5日,学雷锋志愿服务,"两行\n摘要",,44、43,80,,',
  ].join('\r\n') + '\r\n';
  const before = countReports();
  const dry = await yz.req('POST', '/api/v1/reports/import?dry_run=1', { body: csv, headers: CSV_TYPE });
  assert.equal(dry.status, 200, dry.text);
  assert.equal(dry.json.count, 3);
  assert.equal(dry.json.dry_run, true);
  assert.equal(countReports(), before);
  const r = await yz.req('POST', '/api/v1/reports/import', { body: csv, headers: { 'Content-Type': 'text/csv; charset=utf-8' } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.count, 3);
  assert.equal(countReports(), before + 3);
  const [a, b, c] = await Promise.all(r.json.ids.map(id => yz.get(`/api/v1/reports/${id}`)));
  assert.equal(a.json.summary, '摘要，含逗号和"引号"');
  assert.deepEqual(a.json.metrics, { participants: 20, media_outlets: 5 });
  assert.deepEqual(a.json.links, ['https://a.example/1']);
  assert.equal(a.json.source, 'import');
  assert.equal(b.json.unit.id, schoolId);
  assert.equal(b.json.activity_date, '2024-02-01');
  assert.equal(c.json.activity_date, '2024-03-05');
  assert.equal(c.json.summary, '两行\n摘要');
  assert.deepEqual(c.json.tasks, [44, 43]);
});

async function exportXlsx(c, query = '') {
  const r = await c.get(`/api/v1/reports/export.xlsx${query}`);
  assert.equal(r.status, 200, r.text);
  const dir = mkdtempSync(join(tmpdir(), 'ecoact-xlsx-'));
  const path = join(dir, 'export.xlsx');
  writeFileSync(path, r.buf);
  return { r, path };
}

test('export: an .xlsx attachment with a Chinese file name whose sheet has the rows', async () => {
  const { r, path } = await exportXlsx(yz, '?kind=volunteer_activity');
  assert.equal(r.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const cd = r.headers.get('content-disposition');
  assert.match(cd, /^attachment;/);
  const m = /filename\*=UTF-8''(\S+)/.exec(cd);
  assert.ok(m, cd);
  assert.match(decodeURIComponent(m[1]), /^工作台账_\d{4}年\d{1,2}月\d{1,2}日\.xlsx$/);
  assert.match(cd, /filename="reports_\d{4}-\d{2}-\d{2}\.xlsx"/, 'an ASCII fallback');
  assert.equal(r.buf.subarray(0, 4).toString('binary'), 'PK\x03\x04');
  const sheet = execFileSync('unzip', ['-p', path, 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' });
  for (const t of ['单位', '活动日期', '服务任务', '参与人数', '提交人', '审核日期', '学雷锋志愿服务', '世界水日志愿活动', '志愿服务活动'])
    assert.ok(sheet.includes(t), `sheet1.xml lacks ${t}`);
  assert.ok(!sheet.includes('新闻发布会'), 'filters apply');
  const wb = execFileSync('unzip', ['-p', path, 'xl/workbook.xml'], { encoding: 'utf8' });
  assert.ok(wb.includes('name="台账"'));
  const rows = (sheet.match(/<row /g) || []).length;
  const listed = (await yz.get('/api/v1/reports?kind=volunteer_activity&limit=1000')).json.items.length;
  assert.equal(rows, listed + 1, 'a header row and one row per report');
  // a district's export holds only its own and its children's reports
  const wzx = await exportXlsx(wz);
  const wsheet = execFileSync('unzip', ['-p', wzx.path, 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' });
  assert.ok(!wsheet.includes('渝中区'));
  assertError(await wz.get('/api/v1/reports/export.xlsx?unit=500103'), 403, 'forbidden', 'unit');
});

test('import of a good .xlsx: the exported workbook goes back in (dates as Excel dates, kinds by Chinese name)', async () => {
  const { path } = await exportXlsx(yz, '?kind=volunteer_activity');
  const listed = (await yz.get('/api/v1/reports?kind=volunteer_activity&limit=1000')).json.items;
  const before = countReports();
  const body = readFileSync(path);
  const r = await yz.req('POST', '/api/v1/reports/import', { body, headers: { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.count, listed.length);
  assert.equal(countReports(), before + listed.length);
  const back = await Promise.all(r.json.ids.map(async id => (await yz.get(`/api/v1/reports/${id}`)).json));
  const key = x => `${x.activity_date}|${x.title}|${x.unit.id}|${JSON.stringify(x.tasks)}|${JSON.stringify(x.metrics)}`;
  assert.deepEqual(back.map(key).sort(), listed.map(key).sort());
  assert.ok(back.every(x => x.status === 'submitted' && x.source === 'import'));
});

test('import of a committed .xlsx fixture made with libxlsxwriter (shared strings, numbers, serial dates)', async () => {
  const body = readFileSync(join(ROOT, 'tests/api/fixtures/work-import.xlsx'));
  const dry = await yz.req('POST', '/api/v1/reports/import?dry_run=1', { body, headers: { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } });
  assert.equal(dry.status, 200, dry.text);
  assert.equal(dry.json.count, 2);
  const r = await yz.req('POST', '/api/v1/reports/import', { body, headers: { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } });
  assert.equal(r.status, 201, r.text);
  const a = (await yz.get(`/api/v1/reports/${r.json.ids[0]}`)).json;
  assert.equal(a.activity_date, '2023-06-05');
  assert.equal(a.kind, 'campaign');
  assert.deepEqual(a.metrics, { participants: 300, views: 12000 });
  assert.deepEqual(a.tasks, [22, 28]);
});
