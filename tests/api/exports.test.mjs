// exports.test.mjs - the .xlsx exports of the lists officials see (issue 19 defect 7): 督办单,
// 单位履职, accounts, units and the compliance matrix open as workbooks holding the rows their
// lists show, under Chinese file names with the date (RFC 5987 filename* plus an ASCII
// fallback); the import template is an .xlsx whose hints are Chinese and which, filled in, is
// imported; the security policy page's API: validated, audited, secadmin's alone, in force.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError } from './lib.mjs';
import { sheetRows } from './xlsx.mjs';

let srv, office, sys, yz;
before(async () => {
  srv = await startServer({ name: 'exports' });
  office = await srv.login('demo.office');
  sys = await srv.login('demo.sysadmin');
  yz = await srv.login('demo.yuzhong');
});
after(async () => { await srv.stop(); });

const PLAN = '/api/v1/plans/cq-2021-2025';
const DATE = '_\\d{4}年\\d{1,2}月\\d{1,2}日\\.xlsx$';
async function xlsx(c, path, name, ascii) {
  const r = await c.get(path);
  assert.equal(r.status, 200, `${path}: ${r.text}`);
  assert.match(r.headers.get('content-type'), /spreadsheetml/);
  const cd = r.headers.get('content-disposition');
  assert.match(decodeURIComponent(/filename\*=UTF-8''(\S+)/.exec(cd)[1]), new RegExp(`^${name}${DATE}`));
  assert.match(cd, new RegExp(`filename="${ascii}_\\d{4}-\\d{2}-\\d{2}\\.xlsx"`));
  return sheetRows(r.buf);
}

test('督办单: the export holds the rows the list shows, with its filters', async () => {
  for (const t of ['关于甲的督办单', '关于乙的督办单'])
    assert.equal((await office.post('/api/v1/notices', { unit: '500154', subject: 'task', task: 3, title: t, requirements: '尽快', deadline: '2030-01-30', issue: true })).status, 201);
  const list = (await office.get('/api/v1/notices?limit=1000')).json.items;
  const rows = await xlsx(office, '/api/v1/notices/export.xlsx', '督办单', 'notices');
  assert.deepEqual(rows[1].slice(0, 3), ['文号', '标题', '承办单位']);
  assert.deepEqual(rows.slice(2).map(r => r[1]), list.map(n => n.title));
  const kz = (await office.get('/api/v1/notices?unit=500154&limit=1000')).json.items;
  const krows = await xlsx(office, '/api/v1/notices/export.xlsx?unit=500154', '督办单', 'notices');
  assert.equal(krows.length - 2, kz.length);
  assert.ok(krows.slice(2).every(r => r[2] === '开州区'));
  assertError(await office.get('/api/v1/notices/export.xlsx?stage=nope'), 422, 'rule_violation', 'stage');
});

test('accounts and units: the lists as workbooks', async () => {
  const users = (await sys.get('/api/v1/users?limit=1000')).json.items;
  const rows = await xlsx(sys, '/api/v1/users/export.xlsx', '账号名录', 'users');
  assert.deepEqual(rows.slice(2).map(r => r[0]), users.map(u => u.username));
  assert.ok(rows.slice(2).some(r => r[0] === 'demo.office' && r[1] === '王晓燕' && /联席会议办公室/.test(r[3])));
  const units = (await sys.get('/api/v1/units?limit=1000')).json.items;
  const urows = await xlsx(sys, '/api/v1/units/export.xlsx', '单位名录', 'units');
  assert.deepEqual(urows.slice(2).map(r => r[0]), units.map(u => u.name));
  const districts = (await sys.get('/api/v1/units?tier=district&limit=1000')).json.items;
  assert.equal((await xlsx(sys, '/api/v1/units/export.xlsx?tier=district', '单位名录', 'units')).length - 2, districts.length);
});

test('单位履职 and the compliance matrix as .xlsx, named by their scope', async () => {
  const q = 'as_of=2024-12-31';
  const sum = (await office.get(`${PLAN}/compliance/summary?${q}`)).json.units;
  const rows = await xlsx(office, `${PLAN}/compliance/units.xlsx?${q}`, '单位履职_全市', 'compliance-units');
  assert.deepEqual(rows.slice(2).map(r => r[0]), sum.map(u => u.name));
  const first = sum.find(u => u.score !== null);
  const row = rows.find(r => r[0] === first.name);
  assert.equal(Number(row[2]).toFixed(1), Number(first.score).toFixed(1));
  assert.equal(Number(row[7]), first.red);
  const cells = (await office.get(`${PLAN}/compliance?${q}&unit=500229`)).json.items;
  const mrows = await xlsx(office, `${PLAN}/compliance/export.xlsx?${q}&unit=500229`, '合规矩阵_城口县', 'compliance-matrix');
  assert.equal(mrows.length - 2, cells.length);
  assert.ok(mrows.slice(2).every(r => /城口县/.test(r[0])));
  assertError(await yz.get(`${PLAN}/compliance/export.xlsx?unit=500229`), 403, 'forbidden', 'unit');
});

test('the import template: .xlsx with Chinese hints, and filled in it imports', async () => {
  const r = await yz.get('/api/v1/reports/import-template.xlsx');
  assert.equal(r.status, 200);
  assert.match(decodeURIComponent(/filename\*=UTF-8''(\S+)/.exec(r.headers.get('content-disposition'))[1]), new RegExp(`^台账导入模板${DATE}`));
  const rows = sheetRows(r.buf);
  assert.deepEqual(rows[0].slice(0, 4), ['单位', '类型', '活动日期', '标题']);
  const hints = sheetRows(r.buf, 'sheet2');
  assert.ok(hints.some(h => h[0] === '活动日期' && /日期，格式为 2025-02-11/.test(h[1])));
  assert.ok(!JSON.stringify(hints).includes('YYYY'));
  const dry = await yz.req('POST', '/api/v1/reports/import?dry_run=1', { body: r.buf, headers: { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } });
  assert.equal(dry.status, 200, dry.text);
  assert.equal(dry.json.count, 1);
  const bad = await yz.req('POST', '/api/v1/reports/import?dry_run=1', { body: '单位,类型,活动日期,标题\n500103,新闻发布会（媒体通气会）,昨天,x\n', headers: { 'Content-Type': 'text/csv' } });
  assert.equal(bad.status, 422);
  assert.match(JSON.stringify(bad.json.errors), /格式为 2025-02-11/);
});

test('security policy: validated at the field, audited in Chinese, secadmin only, and in force', async () => {
  const sec = await srv.login('demo.secadmin');
  const p = (await sec.get('/api/v1/security-policy')).json;
  assert.equal(p.labels.token_max_days, 'API 令牌最长有效期（天）');
  assert.deepEqual(p.bounds.token_max_days, [1, 366]);
  assertError(await sec.put('/api/v1/security-policy', { token_max_days: 0 }), 422, 'rule_violation', 'token_max_days');
  assertError(await office.put('/api/v1/security-policy', { token_max_days: 30 }), 403, 'forbidden');
  const set = await sec.put('/api/v1/security-policy', { token_max_days: 30, lock_minutes: 15 });
  assert.equal(set.status, 200, set.text);
  assert.equal(set.json.token_max_days, 30);
  assertError(await office.post('/api/v1/tokens', { name: 'x', scopes: ['read'], expires_in_days: 60 }), 422, 'rule_violation', 'expires_in_days');
  assert.equal((await office.post('/api/v1/tokens', { name: 'x', scopes: ['read'] })).status, 201);
  const aud = await srv.login('demo.auditor');
  const row = (await aud.get('/api/v1/audit?action=security_policy.update&limit=1')).json.items[0];
  assert.equal(row.op_label, '修改安全策略');
  assert.equal(row.object_label, '安全策略');
  assert.match(row.detail_text, /API 令牌最长有效期（天）改为 30/);
  assert.match(row.detail_text, /锁定时长（分钟）改为 15/);
  await sec.put('/api/v1/security-policy', { token_max_days: 366, lock_minutes: 30 });
});

test('the matrix as CSV from the server: the console CSV columns, filters and keyword, a Chinese name', async () => {
  const q = 'as_of=2024-12-31&light=red&period=2023Q3';
  const cells = (await office.get(`${PLAN}/compliance?${q}`)).json.items;
  const r = await office.get(`${PLAN}/compliance/export.csv?${q}`);
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^text\/csv/);
  assert.match(decodeURIComponent(/filename\*=UTF-8''(\S+)/.exec(r.headers.get('content-disposition'))[1]), /^合规矩阵_全市_\d{4}年\d{1,2}月\d{1,2}日\.csv$/);
  assert.ok(r.text.startsWith('\uFEFF单位,承担方式,任务,义务编码,工作义务,频次,周期,'));
  const lines = r.text.trim().split('\r\n');
  assert.equal(lines.length - 1, cells.length);
  assert.ok(lines.slice(1).every(l => l.includes(',红灯,')));
  const kz = (await office.get(`${PLAN}/compliance/export.csv?${q}&q=${encodeURIComponent('城口')}`)).text.trim().split('\r\n');
  assert.equal(kz.length - 1, cells.filter(c => c.units.some(u => u.name.includes('城口'))).length);
  assertError(await office.get(`${PLAN}/compliance/export.csv?q=${'x'.repeat(65)}`), 422, 'rule_violation', 'q');
});
