// print.test.mjs - issue 19 §8 and the batch issue of §6: a dispatch notice (督办单) gets its 文号
// when issued, from the office's prefix setting and a sequence per year, never the same twice
// even when many are issued at once; it prints as HTML and as a real PDF (pdftotext finds the 文号
// and the title) in the GB/T 9704 layout; a draft prints marked 草稿 with no number and is
// invisible to the unit; drafts are issued in batch, each in its own transaction.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, assertError } from './lib.mjs';

let srv, office, yz, wz;
let seq = 0;
const TMP = mkdtempSync(join(tmpdir(), 'ecoact-print-'));
const day = n => new Date(Date.now() + 8 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);
const draft = (extra = {}) => ({ unit: '500103', task: 17, title: `关于加快落实区县新闻发布会制度的督办 ${++seq}`,
  requirements: '请于期限内按季度召开新闻发布会，并报送发布会材料。', deadline: day(10), ...extra });
const year = () => Number(day(0).slice(0, 4));
const HAVE_PDFTOTEXT = existsSync('/usr/bin/pdftotext');

function pdfText(buf) {
  const f = join(TMP, `d${++seq}.pdf`);
  writeFileSync(f, buf);
  return execFileSync('pdftotext', ['-layout', f, '-'], { encoding: 'utf8' });
}

before(async () => {
  srv = await startServer({ name: 'print', threads: 4 });
  [office, yz, wz] = await Promise.all(['demo.office', 'demo.yuzhong', 'demo.wanzhou'].map(u => srv.login(u)));
});
after(async () => { await srv.stop(); });

test('the 文号 prefix is a setting; a notice issued gets 前缀〔年〕N号', async () => {
  const s = await office.get('/api/v1/notice-settings');
  assert.equal(s.status, 200, s.text);
  assert.equal(s.json.doc_prefix, '渝生态宣督');
  assertError(await office.put('/api/v1/notice-settings', { doc_prefix: '渝生宣督〔2025〕' }), 422, 'rule_violation', 'doc_prefix');
  assertError(await office.put('/api/v1/notice-settings', { doc_prefix: '渝 生' }), 422, 'rule_violation', 'doc_prefix');
  assertError(await office.put('/api/v1/notice-settings', { doc_prefix: '字'.repeat(13) }), 422, 'rule_violation', 'doc_prefix');
  assertError(await yz.put('/api/v1/notice-settings', { doc_prefix: '渝生宣督' }), 403, 'forbidden');
  const put = await office.put('/api/v1/notice-settings', { doc_prefix: '渝生宣督' });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.json.doc_no_example, '渝生宣督〔2025〕12号');
  const r = await office.post('/api/v1/notices', { ...draft(), issue: true });
  assert.equal(r.status, 201, r.text);
  assert.match(r.json.doc_no, new RegExp(`^渝生宣督〔${year()}〕\\d+号$`));
});

test('concurrent issues never get the same 文号 (20 drafts issued at once)', async () => {
  const ids = [];
  for (let i = 0; i < 20; i++) ids.push((await office.post('/api/v1/notices', draft())).json.id);
  const res = await Promise.all(ids.map(id => office.post(`/api/v1/notices/${id}/issue`, {})));
  for (const r of res) assert.equal(r.status, 200, r.text);
  const nos = res.map(r => r.json.doc_no);
  assert.equal(new Set(nos).size, nos.length, nos.join(' '));
  const seqs = nos.map(n => Number(/〕(\d+)号$/.exec(n)[1])).sort((a, b) => a - b);
  for (let i = 1; i < seqs.length; i++) assert.equal(seqs[i], seqs[i - 1] + 1, 'numbers follow one another with no gap');
});

test('a notice prints as a real PDF and as HTML with its 文号 and title; a draft says 草稿 and the unit cannot see it', async () => {
  const r = await office.post('/api/v1/notices', { ...draft({ title: '关于加强生态文明宣传阵地建设的督办' }), issue: true });
  const pdf = await yz.get(`/api/v1/notices/${r.json.id}/document.pdf`);
  assert.equal(pdf.status, 200, pdf.text);
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  assert.match(pdf.headers.get('content-disposition'), /attachment/);
  assert.equal(pdf.buf.subarray(0, 5).toString(), '%PDF-');
  if (HAVE_PDFTOTEXT) {
    const text = pdfText(pdf.buf).replace(/\s+/g, '');
    assert.ok(text.includes(r.json.doc_no), text.slice(0, 300));
    assert.ok(text.includes('关于加强生态文明宣传阵地建设的督办'));
    assert.ok(text.includes('督办要求'));
    assert.ok(text.includes('渝中区'), 'addressed to the unit');
  }
  const html = await office.get(`/api/v1/notices/${r.json.id}/document.html`);
  assert.equal(html.status, 200);
  assert.match(html.headers.get('content-type'), /text\/html/);
  assert.ok(html.text.includes(r.json.doc_no));
  assert.doesNotMatch(html.text, /<script/i);
  assertError(await wz.get(`/api/v1/notices/${r.json.id}/document.pdf`), 404, 'not_found');
  const d = await office.post('/api/v1/notices', draft());
  const dh = await office.get(`/api/v1/notices/${d.json.id}/document.html`);
  assert.equal(dh.status, 200);
  assert.equal(dh.headers.get('x-document-state'), 'draft');
  assert.match(dh.text, /草稿/);
  assertError(await yz.get(`/api/v1/notices/${d.json.id}/document.pdf`), 404, 'not_found');
  assertError(await office.get('/api/v1/notices/99999999/document.pdf'), 404, 'not_found');
});

test('batch issue: drafts are issued with a number each; issued ones and past deadlines are refused with reasons', async () => {
  const a = (await office.post('/api/v1/notices', draft())).json;
  const b = (await office.post('/api/v1/notices', draft({ unit: '500101' }))).json;
  const done = (await office.post('/api/v1/notices', { ...draft(), issue: true })).json;
  const r = await office.post('/api/v1/notices/issue-batch', { ids: [a.id, done.id, b.id, 99999999] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.total, 4);
  assert.equal(r.json.done, 2);
  assert.equal(r.json.refused, 2);
  const by = Object.fromEntries(r.json.items.map(i => [i.id, i]));
  assert.equal(by[a.id].ok, true);
  assert.equal(by[b.id].ok, true);
  assert.equal(by[done.id].code, 'conflict');
  assert.ok(by[done.id].message.length > 0);
  assert.equal(by[99999999].code, 'not_found');
  const got = await office.get(`/api/v1/notices/${a.id}`);
  assert.equal(got.json.stage, 'issued');
  assert.match(got.json.doc_no, /〔\d{4}〕\d+号$/);
  assertError(await office.post('/api/v1/notices/issue-batch', { ids: Array.from({ length: 201 }, (_, i) => i + 1) }), 413, 'too_large', 'ids');
  assertError(await yz.post('/api/v1/notices/issue-batch', { ids: [a.id] }), 403, 'forbidden');
});

test('a ledger report prints with its evidence list (PDF and HTML); another district cannot print it', async () => {
  const r = await yz.post('/api/v1/reports', { kind: 'press_conference', activity_date: '2025-11-20', title: '渝中区2025年第四季度生态环境新闻发布会',
    tasks: [17], place: '渝中区融媒体中心', summary: '通报四季度生态环境质量。', metrics: { participants: 30 } });
  assert.equal(r.status, 201, r.text);
  const pdfBytes = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
  const up = await yz.req('PUT', `/api/v1/reports/${r.json.id}/evidence/${encodeURIComponent('发布会通稿.pdf')}`, { body: pdfBytes, headers: { 'Content-Type': 'application/pdf' } });
  assert.ok(up.status === 201 || up.status === 200, up.text);
  const pdf = await office.get(`/api/v1/reports/${r.json.id}/document.pdf`);
  assert.equal(pdf.status, 200, pdf.text);
  assert.equal(pdf.buf.subarray(0, 5).toString(), '%PDF-');
  assert.match(pdf.headers.get('content-disposition'), /attachment/);
  if (HAVE_PDFTOTEXT) {
    const text = pdfText(pdf.buf).replace(/\s+/g, '');
    assert.ok(text.includes('渝中区2025年第四季度生态环境新闻发布会'), text.slice(0, 300));
    assert.ok(text.includes('发布会通稿.pdf'), 'the evidence list');
    assert.ok(text.includes('参与人数'), 'metrics by their labels');
    assert.ok(text.includes(`台账编号${r.json.id}`));
  }
  const html = await yz.get(`/api/v1/reports/${r.json.id}/document.html`);
  assert.equal(html.status, 200);
  assert.ok(html.text.includes('佐证材料'));
  assertError(await wz.get(`/api/v1/reports/${r.json.id}/document.pdf`), 404, 'not_found');
});

test('a unit\'s evaluation scorecard prints: total, rank, components; a district prints only its own', async () => {
  const base = '/api/v1/plans/cq-2021-2025/evaluations/2023/units/500103';
  const card = await yz.get(base);
  assert.equal(card.status, 200, card.text);
  const pdf = await yz.get(`${base}/scorecard.pdf`);
  assert.equal(pdf.status, 200, pdf.text);
  assert.equal(pdf.buf.subarray(0, 5).toString(), '%PDF-');
  assert.match(decodeURIComponent(pdf.headers.get('content-disposition')), /2023年度考核评估结果\.pdf/);
  if (HAVE_PDFTOTEXT) {
    const text = pdfText(pdf.buf).replace(/\s+/g, '');
    assert.ok(text.includes('渝中区2023年度生态文明宣传教育工作考核评估结果'), text.slice(0, 300));
    assert.ok(text.includes('履职合规'));
    assert.ok(text.includes('计分依据'));
  }
  const html = await office.get(`${base}/scorecard.html`);
  assert.equal(html.status, 200);
  assert.match(html.text, /分项得分/);
  assertError(await wz.get(`${base}/scorecard.pdf`), 403, 'forbidden', 'unit');
});
