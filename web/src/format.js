// format.js - how values are shown: dates as 2025年6月5日 in the Asia/Shanghai calendar (the
// API gives unix seconds), sizes, Chinese numerals, and the server's words for unit tiers, period
// kinds, the plan's, the ledger's and the audit log's vocabularies (/me "labels", read when shown;
// only their tag colours are the console's).
import { session } from './session.js';

/**
 * A table of the server's words from /me "labels" (pick chooses it), read when shown: t[name] is
 * the label, and its names iterate in the server's order (v-for over it offers them all).
 */
export function serverWords(pick) {
  const table = () => pick(session.me?.labels) || {};
  return new Proxy({}, {
    get: (_, k) => table()[k],
    has: (_, k) => k in table(),
    ownKeys: () => Reflect.ownKeys(table()),
    getOwnPropertyDescriptor: (_, k) => (k in table() ? { value: table()[k], enumerable: true, configurable: true, writable: false } : undefined),
  });
}

const partsFmt = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric', day: 'numeric',
  hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
});

function parts(unix) {
  const o = {};
  for (const p of partsFmt.formatToParts(new Date(unix * 1000))) o[p.type] = p.value;
  return o;
}

/** 2025年6月5日 */
export function fmtDate(unix) {
  if (unix === null || unix === undefined || unix === '') return '—';
  const p = parts(Number(unix));
  return `${p.year}年${Number(p.month)}月${Number(p.day)}日`;
}

/** 2025年6月5日 14:03:05 */
export function fmtDateTime(unix) {
  if (unix === null || unix === undefined || unix === '') return '—';
  const p = parts(Number(unix));
  return `${p.year}年${Number(p.month)}月${Number(p.day)}日 ${p.hour}:${p.minute}:${p.second}`;
}

/** Unit tiers (org/units.c). */
export const TIERS = serverWords(l => l?.tiers);

/** Tiers that sit under a district-level unit (what a sysadmin may add there), and the tiers that
 * owe the plan's duties, in the server's order: its rules (org/units.c, eval_rules.c). */
export const childTiers = () => session.me?.labels?.unit_rules?.child_tiers || [];
export const dutyTiers = () => session.me?.labels?.unit_rules?.duty_tiers || [];

export const tierLabel = t => TIERS[t] || t;

/** Audit log actions (org/audit.c; an action without a label shows its name). */
export const AUDIT_ACTIONS = serverWords(l => l?.audit?.actions);

export const actionLabel = a => AUDIT_ACTIONS[a] || a;

export const AUDIT_RESULTS = serverWords(l => l?.audit?.results);

/** A unit's part in the joint meeting: convener, member (meeting_rules.c). */
export const JOINT_MEETING = serverWords(l => l?.joint_meeting);

/** A business date 'YYYY-MM-DD' (Asia/Shanghai calendar, as the API gives it) as 2025年6月5日. */
export function fmtYmd(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || '');
  if (!m) return s ? String(s) : '—';
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}

const CN_Q = ['', '一', '二', '三', '四'];
/** A period's label (the API's: 2023Q3, 2023H1, 2023, 2023-05, 2023-05~06, 2022-2023学年,
 * 2022-12-31前) in words, the one place the console spells periods: 2023年第三季度, 2023年上半年, 2023年, 2023年5月, 2022—2023学年, 2022年12月31日前. */
export function periodText(label) {
  let m;
  if (!label) return '—';
  if ((m = /^(\d{4})Q(\d)$/.exec(label))) return `${m[1]}年第${CN_Q[Number(m[2])]}季度`;
  if ((m = /^(\d{4})H([12])$/.exec(label))) return `${m[1]}年${m[2] === '1' ? '上' : '下'}半年`;
  if ((m = /^(\d{4})$/.exec(label))) return `${m[1]}年`;
  if ((m = /^(\d{4})-(\d{2})$/.exec(label))) return `${m[1]}年${Number(m[2])}月`;
  if ((m = /^(\d{4})-(\d{2})~(\d{2})$/.exec(label))) return `${m[1]}年${Number(m[2])}—${Number(m[3])}月`;
  if ((m = /^(\d{4})-(\d{4})学年$/.exec(label))) return `${m[1]}—${m[2]}学年`;
  if ((m = /^(\d{4}-\d{2}-\d{2})前$/.exec(label))) return `${fmtYmd(m[1])}前`;
  if (/^\d{4}-\d{2}-\d{2}$/.test(label)) return fmtYmd(label); // a day (the periods holding it)
  return label;
}

/** Today's date in the Asia/Shanghai calendar as 'YYYY-MM-DD'. */
export function todayYmd() {
  const p = parts(Math.floor(Date.now() / 1000));
  return `${p.year}-${p.month.padStart(2, '0')}-${p.day.padStart(2, '0')}`;
}

/** 1536 → "1.5 KB" */
export function fmtSize(n) {
  if (n === null || n === undefined) return '—';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

// ---- the plan ----

/** A plan as people name it: its title and version (its code is for the API and tooltips). */
export const planName = p => (p ? `${p.title || p.code} 第 ${p.version} 版` : '实施方案');
export const planCodeHint = p => (p ? `方案编码 ${p.code}` : undefined);

/** Plan statuses: draft, published (plan_rules.c). */
export const PLAN_STATUS = serverWords(l => l?.plans?.statuses);

/** How often a duty recurs (obligation "per"; base/period.c). */
export const PER_LABELS = serverWords(l => l?.periods);
export const perLabel = p => PER_LABELS[p] || p;

/** Kinds of 任务时限: a date (“2022年6月前”), standing (“长期坚持”), none (tasks 23 and 45); plan_rules.c. */
export const DEADLINE_KINDS = serverWords(l => l?.plans?.deadline_kinds);
export const deadlineKindLabel = k => DEADLINE_KINDS[k] || k;

/** Kinds of plan actions: action, safeguard (plan_rules.c). */
export const ACTION_KINDS = serverWords(l => l?.plans?.action_kinds);

const CN_NUM = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
/** 1 → 一, 11 → 十一, 23 → 二十三 (action numbers as the plan writes them). */
export function cnNumber(n) {
  if (n <= 10) return CN_NUM[n] || String(n);
  if (n < 20) return '十' + CN_NUM[n - 10];
  if (n < 100) return CN_NUM[Math.floor(n / 10)] + '十' + (n % 10 ? CN_NUM[n % 10] : '');
  return String(n);
}

/** Obligation counting rules: all_schools (plan_rules.c). */
export const OBLIGATION_RULES = serverWords(l => l?.plans?.rules);

// ---- the ledger ----

/** Report metrics (work_rules.c metric_labels). */
export const METRIC_LABELS = serverWords(l => l?.reports?.metrics);
export const metricLabel = m => METRIC_LABELS[m] || m;

// Report statuses: the tags' colours are the console's, the words the server's (work_rules.c).
const REPORT_STATUS_TYPE = { submitted: 'warning', accepted: 'success', returned: 'danger' };
const reportWords = serverWords(l => l?.reports?.statuses);
export const REPORT_STATUS = Object.fromEntries(Object.entries(REPORT_STATUS_TYPE).map(([s, type]) => [s, {
  type,
  get label() { return reportWords[s] || s; },
}]));

/** A report history row's action (work_rules.c). */
export const REPORT_ACTIONS = serverWords(l => l?.reports?.actions);
export const reportActionLabel = a => REPORT_ACTIONS[a] || a;

/** The fields a report history row's changes name (work_rules.c). */
export const REPORT_FIELDS = serverWords(l => l?.reports?.fields);

export const REPORT_SOURCES = serverWords(l => l?.reports?.sources);

// ---- the inbox (待办 and 待阅) ----

// Kinds' labels and classes are the server's: every item carries kind_label and class, every
// inbox page a "kinds" list with labels (notify_rules.c), and /me labels name the two classes.
/** The classes' names (待办, 待阅), the server's words. */
export const INBOX_CLASSES = serverWords(l => l?.inbox_classes);
/** A tag colour per kind: what needs the person's hand is warning/danger. */
export const INBOX_KIND_TYPE = {
  notice_sign: 'warning', notice_due: 'danger', notice_returned: 'danger', notice_review: 'warning',
  notice_escalated: 'danger', report_returned: 'danger', meeting_notice: 'primary', meeting_due: 'danger',
  meeting_agenda: 'primary', meeting_minutes_due: 'warning', meeting_countersign: 'warning',
  meeting_change: 'warning', meeting_issued: 'success', meeting_followup: 'primary',
  opinion_assigned: 'warning', opinion_overdue: 'danger',
};

// ---- dispatch notices (督办单) ----

// Labels of a notice's stages, levels, subjects and history entries are the server's
// (supervise_rules.c; GET /notice-vocabulary for forms and filters, the notice's "path" for its
// stage path); only the colours of their tags are the console's.
export const NOTICE_STAGE_TYPE = {
  drafted: 'info', issued: 'warning', signed: 'primary', in_progress: 'primary', answered: 'warning', closed: 'success',
};

// ---- the joint meeting (联席会议, 附件2) ----

// Labels of the meeting's stages, kinds, levels, ranks, categories and statuses are the server's
// (meeting_rules.c: stage_label, kind_label …; GET /meeting-vocabulary for forms and filters);
// only the colours of their tags are the console's.
export const MEETING_STAGE_TYPE = {
  planned: 'info', notified: 'warning', agenda_sent: 'primary', held: 'warning', minutes: 'warning', issued: 'success',
};
/** Tag colours of a meeting step's (or a unit's) status; the labels come with them (status_label). */
export const STEP_STATUS_TYPE = {
  waiting: 'info', due: 'primary', overdue: 'danger', on_time: 'success', late: 'warning', done: 'success',
  change_requested: 'warning', none: 'info',
};

/** Tag colours of a topic's selection and of a follow-up's status (the labels come with them). */
export const TOPIC_SELECTION_TYPE = { pending: 'info', selected: 'success', merged: 'primary', declined: 'danger' };
export const FOLLOWUP_STATUS_TYPE = { open: 'info', in_progress: 'primary', done: 'success' };

/** Adds n days to 'YYYY-MM-DD' (calendar days, no holidays). */
export function addDays(ymd, n) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd || '');
  if (!m) return '';
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + n));
  return d.toISOString().slice(0, 10);
}

/** A Date from a date picker's calendar cell as 'YYYY-MM-DD' (its local day). */
export function ymdOf(d) {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** 星期一 … of a 'YYYY-MM-DD'. */
export function weekdayOf(ymd) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd || '');
  if (!m) return '';
  return '星期' + '日一二三四五六'[new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).getUTCDay()];
}
