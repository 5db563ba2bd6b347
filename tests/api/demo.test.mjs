// demo.test.mjs - the demo history (`ecoact demo --history`, issue 3 §6): after it the compliance
// summary shows strong, middling and weak units with green, yellow and red lights; 2021-2024 are
// published and rank the units, 2025 is left to publish; reports wait for review at the end of
// 2025, some were returned and corrected, some made up late; notices sit at every stage; the
// half-yearly joint meetings are held; running it again changes no count; the same seed gives the
// same numbers on a fresh database; the demo flag stays set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, cli, sql } from './lib.mjs';

const PLAN = 'cq-2021-2025';
let srv, office, yz, leader;
let first; // the history's output line

const counts = s => sql(s, `SELECT (SELECT count(*) FROM reports) || ',' || (SELECT count(*) FROM notices) || ','
  || (SELECT count(*) FROM meetings) || ',' || (SELECT count(*) FROM eval_scores) || ',' || (SELECT count(*) FROM eval_publications)
  || ',' || (SELECT count(*) FROM users)`).trim();

before(async () => {
  srv = await startServer({ name: 'demo', demo: false });
  const t0 = Date.now();
  const r = cli(srv, ['demo', '--history']);
  assert.equal(r.code, 0, `ecoact demo --history failed: ${r.err}`);
  first = r.out;
  console.log(`# demo history (sanitizer build) in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${r.out.trim().split('\n').pop()}`);
  [office, yz, leader] = await Promise.all(['demo.office', 'demo.yuzhong', 'demo.leader'].map(u => srv.login(u)));
});
after(async () => { await srv.stop(); });

test('the history reports what it made; the demo flag stays set', () => {
  assert.match(first, /15 demo account\(s\) added/);
  const m = /history 2021-2025 \(seed 2025\) in [\d.]+ s: (\d+) reports \((\d+) accepted, (\d+) made up late, (\d+) returned of which (\d+) corrected, (\d+) waiting for review\), (\d+) dispatch notices, (\d+) joint meetings, (\d+) evaluator scores, (\d+) years published/.exec(first);
  assert.ok(m, first);
  const [reports, accepted, late, returned, corrected, pending, notices, meetings, scores, published] = m.slice(1).map(Number);
  assert.ok(reports > 3000, `${reports} reports`);
  assert.ok(accepted > reports * 0.9);
  assert.ok(late > 50 && returned > 50 && corrected > 0 && corrected < returned && pending > 10);
  assert.ok(notices >= 15);
  assert.equal(meetings, 9, 'one regular joint meeting each half-year 2021H2-2025H2');
  assert.ok(scores >= 41 * 5);
  assert.equal(published, 4);
  assert.equal(sql(srv, "SELECT value FROM settings WHERE name = 'demo'").trim(), '1');
  assert.equal(sql(srv, "SELECT value FROM settings WHERE name = 'demo_history'").trim(), '2025');
});

test('the compliance summary shows strong, middling and weak units, with green, yellow and red lights', async () => {
  const r = await office.get(`/api/v1/plans/${PLAN}/compliance/summary`);
  assert.equal(r.status, 200, r.text);
  const units = r.json.units.filter(u => ['district', 'county', 'zone'].includes(u.tier));
  assert.equal(units.length, 41, 'every district-level unit has a record');
  assert.ok(units.some(u => u.score >= 90), 'strong units');
  assert.ok(units.some(u => u.score >= 70 && u.score < 90), 'units in between');
  assert.ok(units.some(u => u.score < 70), 'weak units');
  assert.ok(units.every(u => u.green > 0));
  assert.ok(units.filter(u => u.yellow > 0).length > 20, 'made-up (补报) periods in many units');
  assert.ok(units.filter(u => u.red > 0).length > 20);
  const yzs = units.find(u => u.code === '500103'), ck = units.find(u => u.code === '500229');
  assert.ok(yzs.score > ck.score + 15, `渝中区 ${yzs.score} is strong, 城口县 ${ck.score} weak`);
  const counties = units.filter(u => u.tier === 'county'), districts = units.filter(u => u.tier === 'district');
  const mean = a => a.reduce((s, u) => s + u.score, 0) / a.length;
  assert.ok(mean(counties) < mean(districts), 'counties sparser');
  assert.ok(r.json.units.some(u => u.name === '市生态环境局' && u.green > 50));
});

test('2021-2024 are published and rank the units; 2025 is left to publish', async () => {
  const years = (await leader.get(`/api/v1/plans/${PLAN}/evaluations`)).json.items;
  assert.deepEqual(years.map(y => [y.year, y.published]), [[2021, true], [2022, true], [2023, true], [2024, true], [2025, false]]);
  assert.ok(years.slice(0, 4).every(y => y.units === 47 && y.published_by === '王晓燕'));
  assert.equal(years[3].as_of, '2025-03-10');
  const d = (await leader.get(`/api/v1/plans/${PLAN}/evaluations/2024?tier=district`)).json;
  assert.equal(d.published, true);
  assert.equal(d.items.length, 26);
  assert.equal(d.items[0].rank, 1);
  assert.ok(d.items[0].total > d.items[25].total + 15, 'a real spread of totals');
  assert.ok(new Set(d.items.map(i => i.total)).size > 15, 'few ties');
  assert.ok(d.items.every(i => i.components.find(c => c.key === 'evaluator').scores === 1));
  assert.ok(d.items.every(i => i.change && typeof i.change.points === 'number'), 'change on 2023');
  assert.ok(d.items.some(i => i.change.rank > 0) && d.items.some(i => i.change.rank < 0), 'ranks move');
  const live = (await leader.get(`/api/v1/plans/${PLAN}/evaluations/2025?tier=county`)).json;
  assert.equal(live.published, false);
  assert.equal(live.items.length, 12);
  const fin = (await leader.get(`/api/v1/plans/${PLAN}/evaluations/final`)).json;
  assert.equal(fin.provisional, true);
  assert.equal(fin.items.length, 47);
  // the office may publish 2025 now
  const p = await office.post(`/api/v1/plans/${PLAN}/evaluations/2025/publish`);
  assert.equal(p.status, 200, p.text);
  assert.equal((await leader.get(`/api/v1/plans/${PLAN}/evaluations/final`)).json.provisional, false);
});

test('the ledger: reports waiting for review at the end of 2025, returned and corrected ones, plausible titles', async () => {
  const q = (await office.get('/api/v1/reports/review-queue?limit=200')).json.items;
  assert.ok(q.length > 10);
  assert.ok(q.every(i => i.activity_date >= '2025-07-01'), 'waiting since the end of 2025');
  const returned = (await office.get('/api/v1/reports?status=returned&limit=200')).json.items;
  assert.ok(returned.length > 0, 'some returned reports still wait for correction');
  const mine = (await yz.get('/api/v1/reports?limit=200')).json.items;
  assert.ok(mine.length > 50);
  assert.ok(mine.every(i => i.unit_id === mine[0].unit_id));
  assert.ok(mine.some(i => /^渝中区\d{4}年第[一二三四]季度例行新闻发布会$/.test(i.title) || /渝中区.*新闻发布会/.test(i.title)), mine.map(i => i.title).slice(0, 5).join(' / '));
  const titles = sql(srv, "SELECT title FROM reports WHERE kind = 'online_campaign' AND title LIKE '%六五环境日%'");
  assert.ok(titles.trim().length > 0, 'campaigns on 六五环境日');
  const school = JSON.parse(sql(srv, "SELECT metrics FROM reports WHERE kind = 'school_class_hours' ORDER BY id LIMIT 1").trim());
  assert.ok(school.schools_total >= school.schools_met && school.class_hours >= 12 * school.schools_met);
  // a corrected report's history: returned, then resubmitted, then accepted
  const id = sql(srv, "SELECT id FROM reports WHERE status = 'accepted' AND return_reason IS NULL AND id IN"
    + " (SELECT report_id FROM report_history WHERE action = 'return') ORDER BY id LIMIT 1").trim();
  const h = (await office.get(`/api/v1/reports/${id}`)).json;
  const actions = (h.history || []).map(x => x.action);
  assert.ok(actions.includes('return') && actions.includes('accept'), JSON.stringify(actions));
});

test('dispatch notices at different stages and levels; meetings held and their minutes issued', async () => {
  const n = (await office.get('/api/v1/notices?limit=200')).json.items;
  const stages = new Set(n.map(i => i.stage));
  for (const s of ['drafted', 'issued', 'signed', 'in_progress', 'answered', 'closed']) assert.ok(stages.has(s), `no ${s} notice`);
  assert.ok(n.some(i => i.level !== 'blue'), 'some escalated');
  const late = n.filter(i => i.answered_date && i.answered_date > i.deadline);
  assert.ok(late.length > 0, 'some answered late');
  const m = (await office.get('/api/v1/meetings?limit=50')).json.items;
  assert.equal(m.length, 9);
  assert.ok(m.every(x => x.stage === 'issued'), JSON.stringify(m.map(x => x.stage)));
  const t83 = (await office.get('/api/v1/reports?task=83&limit=50')).json.items;
  assert.equal(t83.length, 9, 'each meeting filed its own ledger report');
});

test('running the history again changes nothing', async () => {
  const before = counts(srv);
  const s1 = (await office.get(`/api/v1/plans/${PLAN}/compliance/summary`)).text;
  const r = cli(srv, ['demo', '--history']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /0 demo account\(s\) added/);
  assert.match(r.out, /is loaded already: nothing to do/);
  const r2 = cli(srv, ['demo', '--seed', '7']);
  assert.equal(r2.code, 0, r2.err);
  assert.match(r2.out, /seed 2025\) is loaded already/);
  assert.equal(counts(srv), before);
  assert.equal((await office.get(`/api/v1/plans/${PLAN}/compliance/summary`)).text, s1);
  assert.equal(cli(srv, ['demo', '--seed', 'x']).code, 2);
  assert.equal(cli(srv, ['demo', '--colour']).code, 2);
});

test('the same seed gives the same numbers on a fresh database', async () => {
  const other = await startServer({ name: 'demo-again', demo: false });
  try {
    const r = cli(other, ['demo', '--seed', '2025']);
    assert.equal(r.code, 0, r.err);
    const o = await other.login('demo.office');
    const pick = j => j.units.map(u => [u.id, u.green, u.yellow, u.red, u.score]);
    const a = (await office.get(`/api/v1/plans/${PLAN}/compliance/summary`)).json;
    const b = (await o.get(`/api/v1/plans/${PLAN}/compliance/summary`)).json;
    assert.deepEqual(pick(b), pick(a));
    const ev = j => j.items.map(i => [i.unit.id, i.total, i.rank]);
    for (const y of [2022, 2024]) {
      const ea = (await office.get(`/api/v1/plans/${PLAN}/evaluations/${y}`)).json;
      const eb = (await o.get(`/api/v1/plans/${PLAN}/evaluations/${y}`)).json;
      assert.deepEqual(ev(eb), ev(ea), `evaluation ${y}`);
    }
    const ids = s => sql(s, "SELECT count(*) || ':' || sum(length(title)) FROM reports").trim();
    assert.equal(ids(other), ids(srv));
  } finally {
    await other.stop();
  }
});

test('a unit reporter sees its own scorecards with their drill-down, never another unit\'s', async () => {
  const own = await yz.get(`/api/v1/plans/${PLAN}/evaluations/2024/units/500103`);
  assert.equal(own.status, 200, own.text);
  assert.ok(own.json.drilldown.compliance.length >= 16);
  assert.ok(own.json.drilldown.scores.length === 1);
  assertError(await yz.get(`/api/v1/plans/${PLAN}/evaluations/2024/units/500101`), 403, 'forbidden', 'unit');
});

test('the demo prints a citizen login that works, with a guardian and her child, and organisations accepted and waiting', async () => {
  const m = /citizen login: phone (\d{11}), password (\S+)/.exec(first);
  assert.ok(m, first);
  const c = srv.client();
  const r = await c.post('/api/v1/citizen/session', { phone: m[1], password: m[2] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.realname.status, 'verified');
  assert.equal(r.json.wards.length, 1, 'the guardian of a child under 14');
  assert.equal(r.json.wards[0].status, 'approved');
  assert.equal(r.json.organisations[0].status, 'accepted');
  const pending = (await office.get('/api/v1/orgs?status=pending')).json.items;
  assert.equal(pending.length, 1);
  assert.equal((await office.get(`/api/v1/orgs/${pending[0].id}`)).json.unit.code, '500101');
  assert.equal(sql(srv, "SELECT count(*) FROM citizens WHERE realname = 'verified' AND birth_date > '2012-01-01'").trim(), '1');
});
