// evaluate-scores.test.mjs - the evaluator's side of a year (issue 19): the work list of the 41
// district-level units with who scored each and when (counts from the server, filterable to
// 未评分), the scoring template (.xlsx, Chinese headers and file name, units prefilled), and
// scores uploaded in batch: every row checked first (unknown unit, score out of range, comment
// too long, duplicate unit) with the rows' errors in Chinese and nothing stored, a dry run that
// shows what would change, then all rows in one go, audited. Only the evaluator's permission
// reaches these routes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, sql } from './lib.mjs';
import { sheetRows } from './xlsx.mjs';

const E = '/api/v1/plans/cq-2021-2025/evaluations';
const CSV = { 'Content-Type': 'text/csv' };
let srv, office, evaluator, leader, yz;

before(async () => {
  srv = await startServer({ name: 'evaluate-scores' });
  [office, evaluator, leader, yz] = await Promise.all(
    ['demo.office', 'demo.evaluator', 'demo.leader', 'demo.yuzhong'].map(u => srv.login(u)));
});
after(async () => { await srv.stop(); });

const progress = async (q = '') => {
  const r = await evaluator.get(`${E}/2023/progress${q}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
};
const upload = (csv, q = '') => evaluator.req('POST', `${E}/2023/scores/import${q}`, { body: csv, headers: CSV });

test('the work list counts the 41 district-level units and who scored each, filterable to 未评分', async () => {
  const p0 = await progress();
  assert.equal(p0.total, 41);
  assert.equal(p0.scored, 0);
  assert.equal(p0.unscored, 41);
  assert.equal(p0.items.length, 41);
  assert.ok(p0.items.every(i => !i.scored && i.status_label === '未评分' && i.mine === null));
  assert.deepEqual(p0.actions, ['score', 'import_scores', 'download_template']);
  const put = await evaluator.put(`${E}/2023/scores/500103`, { score: 88.5, comment: '宣传活动丰富' });
  assert.equal(put.status, 201, put.text);
  const p1 = await progress();
  assert.equal(p1.scored, 1);
  assert.equal(p1.mine, 1);
  const yzRow = p1.items.find(i => i.unit.code === '500103');
  assert.equal(yzRow.unit.name, '渝中区');
  assert.equal(yzRow.status_label, '已评分');
  assert.equal(yzRow.last_scored_by.length > 0, true);
  assert.ok(yzRow.last_scored_at > 0);
  assert.deepEqual(yzRow.mine, { score: 88.5, comment: '宣传活动丰富', updated_at: yzRow.last_scored_at });
  const un = await progress('?status=unscored');
  assert.equal(un.count, 40);
  assert.equal(un.total, 41, 'the counts stay over all units');
  assert.ok(!un.items.some(i => i.unit.code === '500103'));
  assertError(await evaluator.get(`${E}/2023/progress?status=x`), 422, 'rule_violation', 'status');
  assertError(await evaluator.get(`${E}/2031/progress`), 404, 'not_found', 'year');
  for (const c of [office, leader, yz]) assertError(await c.get(`${E}/2023/progress`), 403, 'forbidden');
});

test('the template has Chinese headers, a Chinese file name and the units prefilled', async () => {
  const r = await evaluator.get(`${E}/2023/scores-template.xlsx`);
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /spreadsheetml/);
  const name = decodeURIComponent(/filename\*=UTF-8''(\S+)/.exec(r.headers.get('content-disposition'))[1]);
  assert.match(name, /2023年度评分模板_\d{4}年\d{1,2}月\d{1,2}日\.xlsx$/);
  const rows = sheetRows(r.buf);
  assert.deepEqual(rows[1], ['行政区划代码', '单位名称', '类别', '评分（0-100）', '评价意见（必填，最多1000字）']);
  assert.equal(rows.length, 2 + 41);
  const yzRow = rows.find(x => x[0] === '500103');
  assert.equal(yzRow[1], '渝中区');
  assert.equal(Number(yzRow[3]), 88.5);
  assert.equal(yzRow[4], '宣传活动丰富');
  assert.equal(rows.find(x => x[0] === '500101')[3], '');
  assertError(await office.get(`${E}/2023/scores-template.xlsx`), 403, 'forbidden');
});

test('an upload with a bad row names each row in Chinese and changes nothing', async () => {
  const before = await progress();
  const csv = [
    '行政区划代码,单位名称,类别,评分（0-100）,评价意见',
    '500101,万州区,区,90,工作扎实',
    '599999,,区,80,不存在的单位',
    '500102,涪陵区,区,120,分数超出范围',
    `500104,大渡口区,区,75,${'长'.repeat(1001)}`,
    '500101,万州区,区,91,重复的单位',
    '500105,江北区,区,85,',
    '500106,沙坪坝区,区,,',
  ].join('\n');
  const r = await upload(csv);
  assertError(r, 422, 'rule_violation', 'file');
  assert.match(r.json.error.message, /评分表有 5 处错误，未导入任何评分/);
  const by = Object.fromEntries(r.json.errors.map(e => [e.row, e]));
  assert.match(by[3].message, /单位不存在：599999/);
  assert.equal(by[3].column, '行政区划代码');
  assert.match(by[4].message, /评分应为 0 到 100 之间的数/);
  assert.equal(by[4].column, '评分（0-100）');
  assert.match(by[5].message, /评价意见最多 1000 字/);
  assert.match(by[6].message, /单位重复：万州区已在第 2 行评分/);
  assert.match(by[7].message, /请填写评价意见/);
  assert.equal(r.json.errors_total, 5);
  const after_ = await progress();
  assert.equal(after_.scored, before.scored, 'nothing stored');
  assert.equal(after_.items.find(i => i.unit.code === '500101').scored, false);
  const audit = sql(srv, "SELECT result || '|' || detail FROM audit_log WHERE action = 'evaluation.scores_import' ORDER BY id DESC LIMIT 1").trim();
  assert.match(audit, /rejected: 5 error/);
  // a sheet without the columns
  assertError(await upload('单位,分数\n500101,90\n'), 422, 'rule_violation', 'file');
});

test('a dry run shows what would change; the upload stores every row at once, audited', async () => {
  const csv = '行政区划代码,单位名称,类别,评分（0-100）,评价意见\n'
    + '500101,万州区,区,90,工作扎实\n500103,渝中区,区,92.25,复核后上调\n500106,沙坪坝区,区,,\n';
  const dry = await upload(csv, '?dry_run=1');
  assert.equal(dry.status, 200, dry.text);
  assert.equal(dry.json.dry_run, true);
  assert.equal(dry.json.created, 1);
  assert.equal(dry.json.updated, 1);
  assert.equal(dry.json.skipped_blank, 1);
  assert.deepEqual(dry.json.rows.map(x => [x.row, x.unit_name, x.score, x.before, x.change]),
    [[2, '万州区', 90, null, '新增'], [3, '渝中区', 92.25, 88.5, '修改']]);
  assert.equal((await progress()).scored, 1, 'a dry run stores nothing');
  const r = await upload(csv);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.count, 2);
  const p = await progress();
  assert.equal(p.scored, 2);
  assert.equal(p.unscored, 39);
  assert.equal(p.items.find(i => i.unit.code === '500103').mine.score, 92.25);
  const audit = sql(srv, "SELECT result || '|' || detail FROM audit_log WHERE action = 'evaluation.scores_import' ORDER BY id DESC LIMIT 1").trim();
  assert.match(audit, /1 created, 1 updated from csv/);
  // the scorecard sees the evaluator's score
  const card = (await office.get(`${E}/2023/units/500101`)).json;
  assert.equal(card.components.find(c => c.key === 'evaluator').raw, 90);
  assertError(await office.req('POST', `${E}/2023/scores/import`, { body: csv, headers: CSV }), 403, 'forbidden');
});

test('the template filled in comes back as .xlsx: the title row is skipped, unchanged scores say 不变', async () => {
  const t = await evaluator.get(`${E}/2023/scores-template.xlsx`);
  assert.equal(t.status, 200);
  const XLSX = { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
  const r = await evaluator.req('POST', `${E}/2023/scores/import?dry_run=1`, { body: t.buf, headers: XLSX });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.count, 2, 'the two units scored before');
  assert.equal(r.json.skipped_blank, 39);
  assert.deepEqual(r.json.rows.map(x => [x.unit_name, x.change]).sort(), [['万州区', '不变'], ['渝中区', '不变']]);
  assert.ok(r.json.rows.every(x => x.row > 2), 'rows numbered as in the file (title, header)');
});
