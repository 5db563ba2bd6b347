// comply-seed.mjs - history for the compliance pages' browser tests: accepted reports of the
// district-level units over 2021-2025 (press conferences, seminars, culture products, online
// campaigns, youth projects, the volunteer work plan, an education venue), some units diligent,
// some not, a few made up late, so the heat matrix and the district tiles have something to show. The reports are imported in one .csv by the office
// (POST /reports/import) and then marked accepted with their acceptance dates in SQL, as the
// API tests replay history (the ledger stamps acceptance with today's date, after the plan;
// the UPDATE goes through the trigger the compliance index follows). 渝中区 (500103) is left
// out: the tests file its reports through the API themselves.
import assert from 'node:assert/strict';

/** A number in [0, 1) from a string, the same on every run. */
function hash01(s) {
  let h = 2166136261;
  for (const c of s) h = Math.imul(h ^ c.codePointAt(0), 16777619) >>> 0;
  return (h % 10007) / 10007;
}

const ymd = (y, m, d) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
function addDays(s, n) {
  const t = new Date(Date.UTC(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10))) + n * 86400000);
  return t.toISOString().slice(0, 10);
}

/** The rows: [unit, kind, date, title, tasks, metrics, acceptedDate]. */
export function seedRows(units, { skip = ['500103'] } = {}) {
  const rows = [];
  for (const u of units) {
    if (!['district', 'county', 'zone'].includes(u.tier) || skip.includes(u.code)) continue;
    const key = u.code || u.key;
    const diligence = 0.25 + 0.75 * hash01(key); // share of periods the unit meets
    const quarterly = u.tier !== 'county';
    for (let y = 2021; y <= 2025; y++) {
      const starts = quarterly ? [1, 4, 7, 10] : [1, 7];
      for (const m of starts) {
        if (y === 2021 && m < 7) continue;
        const tag = `${key}-${y}-${m}`;
        if (hash01(tag) > diligence) continue;
        const date = ymd(y, m + 1, 12);
        const late = hash01(`${tag}-late`) < 0.12;
        const end = quarterly ? ymd(y, m + 2, m + 2 === 6 || m + 2 === 9 ? 30 : 31) : ymd(y, m + 5, m === 1 ? 30 : 31);
        rows.push([key, 'press_conference', date, `${u.short_name || u.name}${y}年${m}月起新闻发布会`, '17', {},
          late ? addDays(end, 40) : addDays(date, 5)]);
      }
      if (hash01(`${key}-${y}-seminar`) < diligence) {
        rows.push([key, 'seminar', ymd(y, 9, 20), `${u.short_name || u.name}${y}年习近平生态文明思想研讨会`, '5', { participants: 60 }, ymd(y, 9, 28)]);
      }
      if (hash01(`${key}-${y}-product`) < diligence) {
        rows.push([key, 'culture_product', ymd(y, 11, 8), `${u.short_name || u.name}${y}年生态文化作品`, '31', { products: 1 }, ymd(y, 11, 18)]);
      }
      if (hash01(`${key}-${y}-online`) < diligence) {
        rows.push([key, 'online_campaign', ymd(y, 8, 15), `${u.short_name || u.name}${y}年全国生态日网络主题宣传`, '79', { views: 12000 }, ymd(y, 8, 25)]);
      }
      if (hash01(`${key}-${y}-youth`) < diligence) {
        for (const m of y === 2021 ? [8, 9, 10] : [4, 6, 10]) {
          rows.push([key, 'youth_project', ymd(y, m, 18), `${u.short_name || u.name}${y}年${m}月青少年生态实践项目`, '67', { participants: 40 }, ymd(y, m, 26)]);
        }
      }
    }
    if (hash01(`${key}-plan`) < diligence + 0.2) {
      rows.push([key, 'work_plan', '2021-10-15', `${u.short_name || u.name}生态环保志愿服务工作方案`, '42', {}, '2021-10-20']);
    }
    if (hash01(`${key}-venue`) < diligence) {
      rows.push([key, 'venue_built', '2024-05-20', `${u.short_name || u.name}生态文明教育馆建成开放`, '60', { venues: 1 }, '2024-06-01']);
    }
  }
  return rows;
}

function csvField(v) {
  const s = String(v ?? '');
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Imports the rows as the office and accepts them with their dates. office: a logged-in
 * Client (tests/api/lib.mjs); sql: (statement) => output. Returns the number of reports.
 */
export async function seedCompliance(office, sql, units, opts) {
  const rows = seedRows(units, opts);
  const metrics = ['participants', 'products', 'views', 'venues'];
  const head = ['单位', '类型', '活动日期', '标题', '服务任务', ...metrics];
  const text = [head, ...rows.map(r => [r[0], r[1], r[2], r[3], r[4], ...metrics.map(m => r[5][m] ?? '')])]
    .map(r => r.map(csvField).join(',')).join('\r\n') + '\r\n';
  const res = await office.req('POST', '/api/v1/reports/import', { body: text, headers: { 'Content-Type': 'text/csv' } });
  assert.equal(res.status, 201, res.text.slice(0, 2000));
  const ids = res.json.ids;
  assert.equal(ids.length, rows.length);
  // One statement: every imported report accepted on its own date.
  const cases = ids.map((id, i) => `WHEN ${id} THEN '${rows[i][6]}'`).join(' ');
  sql(`UPDATE reports SET status = 'accepted', accepted_date = CASE id ${cases} END WHERE id IN (${ids.join(',')})`);
  return ids.length;
}
