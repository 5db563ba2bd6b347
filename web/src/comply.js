// comply.js - what the compliance pages share (督办考核: home, 合规矩阵, 单位履职, 日历订阅):
// the lights (their colours; their words come from the server in /me) and statuses, period labels, the matrix
// cells grouped into rows (one obligation × its unit or joint units), and reads of the compliance
// routes (src/comply/api_comply.c; the .csv and .xlsx of the matrix are the server's).
import { get } from './api.js';
import { unitScoped } from './catalog.js';
import { fmtYmd, todayYmd, metricLabel, periodText } from './format.js';
import { session, can, policy, DEFAULT_PLAN } from './session.js';

// The default plan, a live binding of the server's (sent in /me).
export { DEFAULT_PLAN as PLAN };
export const PLAN_START = '2021-07-01'; // recurring duties run from here (the API refuses an earlier as_of)
/** Days after a period's end an accepted report still counts on time (the server's, from /me). */
export const graceDays = () => policy().grace_days;

// PERM_COMPLY_READ and its reach, from /me.
export const canReadComply = () => !!can('comply_read');
/** City-wide readers: comply_read reaches every unit. */
export const cityWide = () => can('comply_read') === 'all' && !unitScoped();

// The lights' colours are the console's; their words are the server's (/me "labels", from
// src/base/comply.c), read when shown.
const COLOURS = {
  green: { color: '#2e9e5b', text: '#fff' },
  yellow: { color: '#e6a23c', text: '#3a2a00' },
  red: { color: '#d9433b', text: '#fff' },
  grey: { color: '#606266', text: '#fff' },
};
const words = l => session.me?.labels?.lights?.[l];
export const LIGHTS = Object.fromEntries(Object.entries(COLOURS).map(([l, c]) => [l, {
  ...c,
  get label() { return words(l)?.label || l; },
  get desc() { return words(l)?.desc || ''; },
}]));
/** The lights a period is judged by; grey (not assessed) is shown beside them when present. */
export const LIGHT_ORDER = ['green', 'yellow', 'red'];
export const lightLabel = l => LIGHTS[l]?.label || l;

export const statusLabel = s => session.me?.labels?.statuses?.[s] || s;

export const SCOPES = { unit: '本单位承担', joint: '共同承担（任一单位报送即可）', city_wide: '全市统计' };

// ---- periods ----

/** The year a period is shown under: the year it ends (a school year under its second year). */
export const periodYear = p => Number(p.end.slice(0, 4));

/** A short label for a chip: Q3, 上半, 全年, 5月, 1-2月, 学年, 限期. */
export function shortPeriod(per, label) {
  let m;
  switch (per) {
    case 'quarter': return (m = /Q(\d)$/.exec(label)) ? `Q${m[1]}` : label;
    case 'half_year': return /H1$/.test(label) ? '上半' : /H2$/.test(label) ? '下半' : label;
    case 'year': return '全年';
    case 'month': return (m = /-(\d{2})$/.exec(label)) ? `${Number(m[1])}月` : label;
    case 'two_months': return (m = /-(\d{2})~(\d{2})$/.exec(label)) ? `${Number(m[1])}-${Number(m[2])}月` : label;
    case 'school_year': return '学年';
    case 'once': return '限期';
    default: return label;
  }
}

// Period labels in words (2023Q3 → 2023年第三季度): the one formatter, in format.js.
export { periodText };

/** "至少 1 次 / 每季度", with the metric for sums (task 79: 稿件数至少 10). */
export function duty(o) {
  if (o.rule === 'all_schools') return `${o.per_label}：全部学校达到12课时`;
  if (o.metric) return `${o.per_label}：${metricLabel(o.metric)}合计至少 ${o.minimum}`;
  return `${o.per_label}：至少 ${o.minimum} 次`;
}

/** How the cell's count reads: "0 / 1", "9 / 10 篇稿件数". */
export function countText(c) {
  if (c.obligation.rule === 'all_schools') return c.count >= c.minimum ? '已报告全部学校达标' : '尚未报告全部学校达标';
  const unit = c.obligation.metric ? `（${metricLabel(c.obligation.metric)}）` : '';
  return `${c.count} / ${c.minimum}${unit}`;
}

/** What a cell says to a screen reader and in its tooltip. */
export function cellText(c) {
  const why = c.not_assessed_reason ? `（${c.not_assessed_reason}）` : '';
  if (c.light === 'grey') return `${periodText(c.period.label)}：${lightLabel(c.light)}${why}，已计 ${countText(c)}`;
  return `${periodText(c.period.label)}：${lightLabel(c.light)}，${statusLabel(c.status)}，已计 ${countText(c)}`;
}

// ---- rows ----

const unitKey = c => c.units.map(u => u.id).join(',');

/**
 * The matrix's cells as rows: one per obligation × unit(s), in the server's order (plan order,
 * then units, then periods), each with its cells, the years they fall in, and light counts.
 */
export function toRows(items) {
  const rows = new Map();
  let seq = 0;
  for (const c of items) {
    const k = `${c.obligation.key}|${unitKey(c)}`;
    let r = rows.get(k);
    if (!r) {
      r = {
        key: k, seq: seq++, obligation: c.obligation, units: c.units, scope: c.scope, note: c.note || null,
        unitName: c.units.map(u => u.name).join('、'), cells: [], byYear: {}, green: 0, yellow: 0, red: 0, late: 0,
      };
      rows.set(k, r);
    }
    r.cells.push(c);
    const y = periodYear(c.period);
    (r.byYear[y] ||= []).push(c);
    r[c.light]++;
    if (c.late) r.late++;
  }
  return [...rows.values()];
}

/** The years the cells cover, in order (2021 … 2025, 2026 for the last school year). */
export function yearsOf(items) {
  const ys = new Set();
  for (const c of items) ys.add(periodYear(c.period));
  return [...ys].sort((a, b) => a - b);
}

export function tally(items) {
  const t = { green: 0, yellow: 0, red: 0, grey: 0, late: 0 };
  for (const c of items) {
    t[c.light]++;
    if (c.late) t.late++;
  }
  return t;
}

// ---- reads ----

const plain = q => Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== null && v !== ''));

export const readMatrix = (q = {}) => get(`/plans/${DEFAULT_PLAN}/compliance`, plain(q));
export const readSummary = (q = {}) => get(`/plans/${DEFAULT_PLAN}/compliance/summary`, plain(q));
export const readDue = (unit, asOf) => get(`/units/${encodeURIComponent(unit)}/obligations-due`, plain({ as_of: asOf, plan: DEFAULT_PLAN }));

/** The last day of the month holding ymd: every period ends on a month's last day. */
export function monthEnd(ymd) {
  const [y, m] = ymd.split('-').map(Number);
  const d = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The as_of of a page: the address's ?as_of= when it is a date, else today. */
export function asOfFrom(q) {
  return typeof q.as_of === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(q.as_of) ? q.as_of : todayYmd();
}

/** Days between two YYYY-MM-DD dates (b − a). */
export function daysBetween(a, b) {
  const t = s => Date.UTC(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10)));
  return Math.round((t(b) - t(a)) / 86400000);
}

/** The caller's own unit id (unit users). */
export const ownUnit = () => session.me?.unit?.id ?? null;

/** Score as text: 83.3 分, or — when no period has closed. */
export const scoreText = s => (s === null || s === undefined ? '—' : `${Number(s).toFixed(1)}`);

/** A colour for a score 0-100 (red → yellow → green), grey when none. */
export function scoreColor(s) {
  if (s === null || s === undefined) return '#c0c4cc';
  if (s >= 90) return '#1f8a4c';
  if (s >= 75) return '#67b26f';
  if (s >= 60) return '#e6a23c';
  if (s >= 40) return '#e9783f';
  return '#d9433b';
}
/** Whether a score's colour wants white text (the dark green and the reds). */
export const scoreDark = s => s !== null && s !== undefined && (s >= 90 || s < 60);
export const SCORE_BANDS = [
  { min: 90, label: '90分及以上', color: '#1f8a4c' },
  { min: 75, label: '75—89.9分', color: '#67b26f' },
  { min: 60, label: '60—74.9分', color: '#e6a23c' },
  { min: 40, label: '40—59.9分', color: '#e9783f' },
  { min: 0, label: '40分以下', color: '#d9433b' },
  { min: null, label: '暂无得分', color: '#c0c4cc' },
];
