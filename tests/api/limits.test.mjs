// limits.test.mjs - memory exhaustion through a tiny spreadsheet (security finding 3): a
// workbook of a few KB whose cells all point to one long shared string is refused at once by
// the table budget (TABLE_MAX_DECODED_BYTES in src/base/table.h) on both imports that read
// tables, and the server's memory stays small; so is one whose sheet is a single huge tag; a
// file with many errors, or a long header cell repeated in each error, gets a small 422 (the
// first errors, errors_total counting all). The .xlsx files are built here: a minimal zip
// writer (deflate from node:zlib, CRC-32 below).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { startServer, assertError } from './lib.mjs';

const XLSX = { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
const CSV = { 'Content-Type': 'text/csv' };

const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A zip archive of the files (name → text), each deflated. */
function zip(files) {
  const locals = [], centrals = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text), packed = deflateRawSync(data, { level: 9 }), nm = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14); local.writeUInt32LE(packed.length, 18); local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nm.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10); central.writeUInt32LE(crc, 16); central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24); central.writeUInt16LE(nm.length, 28); central.writeUInt32LE(offset, 42);
    locals.push(local, nm, packed);
    centrals.push(central, nm);
    offset += 30 + nm.length + packed.length;
  }
  const dir = Buffer.concat(centrals), end = Buffer.alloc(22);
  const n = Object.keys(files).length;
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(n, 8); end.writeUInt16LE(n, 10);
  end.writeUInt32LE(dir.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

const esc = s => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
/** An .xlsx of one sheet: strings are the shared strings; a row's number cell i refers to
 * strings[i], a text cell is an inline string. */
function workbook(strings, rows) {
  const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
  const cell = v => (typeof v === 'number' ? `<c t="s"><v>${v}</v></c>` : `<c t="inlineStr"><is><t>${esc(v)}</t></is></c>`);
  return zip({
    'xl/workbook.xml': `<workbook ${NS}><sheets><sheet name="s" sheetId="1"/></sheets></workbook>`,
    'xl/sharedStrings.xml': `<sst ${NS}>${strings.map(s => `<si><t>${esc(s)}</t></si>`).join('')}</sst>`,
    'xl/worksheets/sheet1.xml': `<worksheet ${NS}><sheetData>${rows.map(r => `<row>${r.map(cell).join('')}</row>`).join('')}</sheetData></worksheet>`,
  });
}

/** The server's resident memory now and at its peak, in MB (/proc/PID/status). */
function memory(srv) {
  const s = readFileSync(`/proc/${srv.proc.pid}/status`, 'utf8');
  const kb = key => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(s)[1]);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}
const mb = x => `${x.toFixed(1)} MB`;

// 1,000 rows of 8 cells all naming one 120,000-byte shared string: 960 MB if every cell got its
// own copy. The zip is about 1.5 KB.
const LONG = 'x'.repeat(120000);
const BOMB = workbook([LONG], Array.from({ length: 1000 }, () => Array(8).fill(0)));
// A sheet that is one tag with a 31 MB attribute (expat holds an unfinished tag whole and
// rescans it with every chunk): the zip is about 32 KB.
const TAG = zip({
  'xl/workbook.xml': '<workbook/>',
  'xl/worksheets/sheet1.xml': `<worksheet><sheetData><row r="1" a="${'A'.repeat(31 << 20)}"/></sheetData></worksheet>`,
});
// One header row of 64 cells naming one 120,000-byte string: 64 unknown columns and 4 missing
// ones, 68 errors each with the header as its column.
const HEADERS = workbook(['列'.repeat(40000)], [Array(64).fill(0)]);

let srv, yz, office;
before(async () => {
  srv = await startServer({ name: 'limits' });
  [yz, office] = await Promise.all(['demo.yuzhong', 'demo.office'].map(u => srv.login(u)));
  const d = await office.post('/api/v1/plans/cq-2021-2025/drafts', { code: 'cq-limits', title: '限额' });
  assert.equal(d.status, 201, d.text);
});
after(async () => { await srv.stop(); });

test('a tiny workbook whose cells all point to one long shared string is refused at once; the server stays small', async t => {
  assert.ok(BOMB.length < 5000, `the workbook is ${BOMB.length} bytes`);
  const m0 = memory(srv);
  const started = Date.now();
  const work = await yz.req('POST', '/api/v1/reports/import?dry_run=1', { body: BOMB, headers: XLSX });
  const plan = await office.req('POST', '/api/v1/plans/cq-limits/tasks/import?dry_run=1', { body: BOMB, headers: XLSX });
  const ms = Date.now() - started;
  const m1 = memory(srv);
  t.diagnostic(`workbook ${BOMB.length} B; answers ${work.buf.length} B (${work.status}), ${plan.buf.length} B (${plan.status}) in ${ms} ms; ` +
    `RSS ${mb(m0.rss)} → ${mb(m1.rss)}, peak ${mb(m0.peak)} → ${mb(m1.peak)}`);
  // The sanitizer build rests at about 110 MB (its allocator and shadow memory), the release
  // build at about 18 MB, so the bound is on growth: the peak over the resident size before.
  // Decoding every cell (as before the budget) took 1.3 GB in the sanitizer build and 1.8 GB in
  // the release build, and kept it; refused at the budget, with the cells sharing their string,
  // the server grows by 2 or 3 MB. 60 MB leaves room for the sanitizer's bookkeeping and keeps
  // a release server under 100 MB.
  assert.ok(m1.peak - m0.rss < 60, `the server grew from ${mb(m0.rss)} to a peak of ${mb(m1.peak)}`);
  assert.ok(m1.rss - m0.rss < 60, `the server holds ${mb(m1.rss)} after, from ${mb(m0.rss)}`);
  for (const r of [work, plan]) {
    assertError(r, 413, 'too_large', 'file');
    assert.match(r.json.error.message, /解码后.*16 MiB/);
    assert.ok(r.buf.length < 1024, r.text);
  }
});

test('a sheet that is one huge tag is refused at about 1 MB of it, at once', async t => {
  assert.ok(TAG.length < 40000, `the workbook is ${TAG.length} bytes`);
  const m0 = memory(srv);
  const started = Date.now();
  const r = await yz.req('POST', '/api/v1/reports/import?dry_run=1', { body: TAG, headers: XLSX });
  const ms = Date.now() - started;
  const m1 = memory(srv);
  t.diagnostic(`workbook ${TAG.length} B; answer ${r.buf.length} B (${r.status}) in ${ms} ms; RSS ${mb(m0.rss)} → ${mb(m1.rss)}, peak ${mb(m0.peak)} → ${mb(m1.peak)}`);
  // before the limit: 13 s and a peak 70 MB higher in the release build (expat rescanning the tag)
  assertError(r, 422, 'rule_violation', 'file');
  assert.match(r.json.error.message, /过长的 XML 标记/);
  assert.ok(m1.peak - m0.rss < 60, `the server grew from ${mb(m0.rss)} to a peak of ${mb(m1.peak)}`);
  assert.ok(ms < 5000, `${ms} ms`);
});

test('a long header cell repeated in each error: a small 422 quoting it shortened', async t => {
  assert.ok(HEADERS.length < 3000, `the workbook is ${HEADERS.length} bytes`);
  const r = await yz.req('POST', '/api/v1/reports/import?dry_run=1', { body: HEADERS, headers: XLSX });
  t.diagnostic(`workbook ${HEADERS.length} B; answer ${r.buf.length} B (${r.status}), ${r.json?.errors?.length} of ${r.json?.errors_total} errors`);
  assertError(r, 422, 'rule_violation', 'file');
  assert.ok(r.buf.length < 64 * 1024, `the answer is ${r.buf.length} bytes`);
  assert.equal(r.json.errors_total, 68);
  assert.equal(r.json.errors.length, 68);
  const unknown = r.json.errors.filter(e => e.column.startsWith('列'));
  assert.equal(unknown.length, 64);
  for (const e of unknown) {
    assert.equal(e.column, `${'列'.repeat(60)}…`);
    assert.ok([...e.message].length < 200, e.message);
    assert.match(e.message, /未知的列“列+…”/);
  }
});

test('many errors: the first 100 listed, errors_total counts them all, the message says how many more', async t => {
  const kind = '开会'.repeat(500);
  const csv = ['单位,类型,活动日期,标题,服务任务', ...Array.from({ length: 300 }, (_, i) => `500103,${kind},2024-01-01,t${i},5`)].join('\n');
  const r = await yz.req('POST', '/api/v1/reports/import?dry_run=1', { body: csv, headers: CSV });
  t.diagnostic(`ledger .csv ${csv.length} chars; answer ${r.buf.length} B (${r.status}), ${r.json?.errors?.length} of ${r.json?.errors_total} errors`);
  assertError(r, 422, 'rule_violation', 'file');
  assert.equal(r.json.errors_total, 300);
  assert.equal(r.json.errors.length, 100);
  assert.deepEqual(r.json.errors.map(e => e.row), Array.from({ length: 100 }, (_, i) => i + 2), 'the first errors, in file order');
  assert.match(r.json.error.message, /300 处错误/);
  assert.match(r.json.error.message, /前 100 处.*另有 200 处/);
  assert.equal(r.json.errors[0].message, `未知活动类型：${'开会'.repeat(30)}…`);
  assert.ok(r.buf.length < 64 * 1024, `the answer is ${r.buf.length} bytes`);

  const content = '重点'.repeat(500);
  const sheet = ['序号,重点内容,具体任务,牵头单位', ...Array.from({ length: 150 }, (_, i) => `${i + 1},${content},任务,市生态环境局`)].join('\r\n');
  const p = await office.req('POST', '/api/v1/plans/cq-limits/tasks/import?dry_run=1', { body: sheet, headers: CSV });
  t.diagnostic(`附件1 .csv ${sheet.length} chars; answer ${p.buf.length} B (${p.status}), ${p.json?.errors?.length} of ${p.json?.errors_total} errors`);
  assertError(p, 422, 'rule_violation', 'file');
  assert.equal(p.json.errors_total, 150);
  assert.equal(p.json.errors.length, 100);
  assert.match(p.json.error.message, /另有 50 处/);
  assert.match(p.json.errors[0].message, new RegExp(`^重点内容「${'重点'.repeat(30)}…」不是`));
  assert.ok(p.buf.length < 64 * 1024, `the answer is ${p.buf.length} bytes`);
});
