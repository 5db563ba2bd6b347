// evaluate.js - what the evaluation pages share (年度考评: scorecards by year, a unit's drill-down,
// the final 2021-2025 evaluation, the rubric): who may do what (PERM_EVAL_* from /me's "can"),
// labels in Chinese, numbers and changes as the pages show them, and the reads
// of the evaluation routes (src/evaluate/api_evaluate.c).
import { get } from './api.js';
import { can, DEFAULT_PLAN } from './session.js';
import { tierLabel, serverWords } from './format.js';

export const canReadEval = () => !!can('eval_read');
export const canScore = () => !!can('eval_score');
export const canAdminEval = () => !!can('eval_admin');

// Paths under the server's default plan (known once /me is read): strings in a template literal.
export const BASE = { toString: () => `/plans/${DEFAULT_PLAN}` };
export const EVAL = { toString: () => `/plans/${DEFAULT_PLAN}/evaluations` };

// The tiers a ranking is kept for; their names are the server's (/me labels.tiers).
export const TIERS = ['district', 'county', 'zone', 'city_department'].map(value => ({ value, get label() { return tierLabel(value); } }));
export const tierName = t => TIERS.find(x => x.value === t)?.label || t;

// The components' names and what each counts: the server's words (eval_rules.c, /me "labels").
const componentWords = key => l => l?.eval_components
  && Object.fromEntries(Object.entries(l.eval_components).map(([k, v]) => [k, v[key]]));
export const COMPONENT_LABELS = serverWords(componentWords('label'));
export const COMPONENT_HINT = serverWords(componentWords('hint'));

export const OUTCOMES = {
  on_time: { label: '按期反馈', type: 'success' },
  late: { label: '逾期反馈', type: 'warning' },
  unanswered: { label: '逾期未反馈', type: 'danger' },
  pending: { label: '未到期', type: 'info' },
};

/** 98.68 → "98.68"; null → "—". */
export const pts = v => (v === null || v === undefined ? '—' : String(Math.round(Number(v) * 100) / 100));

/** Points against the year before: "+0.58", "−3.2", "0". */
export function pointsChange(v) {
  if (v === null || v === undefined) return '—';
  if (v > 0) return `+${pts(v)}`;
  if (v < 0) return `−${pts(-v)}`;
  return '0';
}

/** Rank change (previous − now; positive is up): "↑4", "↓1", "持平". */
export function rankChange(v) {
  if (v === null || v === undefined) return '—';
  if (v > 0) return `↑${v}`;
  if (v < 0) return `↓${-v}`;
  return '持平';
}

export const rankText = c => (c.rank ? `${c.rank} / ${c.rank_of}` : '—');

// ---- reads ----
export const readYears = () => get(EVAL);
export const readYear = (year, q = {}) => get(`${EVAL}/${year}`, q);
export const readCard = (year, unit, q = {}) => get(`${EVAL}/${year}/units/${encodeURIComponent(unit)}`, q);
export const readFinal = (q = {}) => get(`${EVAL}/final`, q);
export const readRubric = () => get(`${BASE}/rubric`);

/** The API's answer for a year without an evaluation (404 on the field "year"): 尚未开始, not a failure. */
export const noEvaluation = e => !!e && e.status === 404 && e.field === 'year';
