// format.js - how values are shown: dates as 2025年6月5日 in the Asia/Shanghai calendar (the
// API gives unix seconds), unit tiers and audit actions in Chinese.

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

export const TIERS = {
  city_department: '市级部门',
  district: '区',
  county: '县',
  zone: '管理区',
  group: '分组',
  department: '区县部门',
  school: '学校',
  enterprise: '企业',
  social_org: '社会组织',
  facility_operator: '设施运营单位',
  media: '媒体',
  volunteer_team: '志愿服务队',
  evaluator_org: '评估机构',
};

/** Tiers a sysadmin may add under a district-level unit. */
export const CHILD_TIERS = ['department', 'school', 'enterprise', 'social_org', 'facility_operator', 'media', 'volunteer_team'];

export const tierLabel = t => TIERS[t] || t;

export const AUDIT_ACTIONS = {
  'session.create': '登录',
  'session.delete': '退出登录',
  'user.password_change': '修改密码',
  'user.create': '创建账号',
  'user.update': '编辑账号',
  'user.lock': '停用账号',
  'user.unlock': '启用账号',
  'user.password_reset': '重置密码',
  'user.roles': '设置角色',
  'user.permissions': '设置权限',
  'pii.unmask': '查看完整个人信息',
  'api_token.create': '创建 API 令牌',
  'api_token.revoke': '吊销 API 令牌',
  'unit.create': '添加单位',
  'unit.update': '修改单位',
  'demo.load': '加载演示数据',
  'request.denied': '越权请求被拒绝',
};

export const actionLabel = a => AUDIT_ACTIONS[a] || a;

export const AUDIT_RESULTS = { ok: '成功', failure: '失败', denied: '拒绝' };

export const JOINT_MEETING = { convener: '牵头单位', member: '成员单位' };

/** A business date 'YYYY-MM-DD' (Asia/Shanghai calendar, as the API gives it) as 2025年6月5日. */
export function fmtYmd(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || '');
  if (!m) return s ? String(s) : '—';
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
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

export const PLAN_STATUS = { draft: '草稿', published: '已发布' };

/** How often a duty recurs (obligation "per"). */
export const PER_LABELS = {
  month: '每月',
  two_months: '每两个月',
  quarter: '每季度',
  half_year: '每半年',
  year: '每年',
  school_year: '每学年（9月至次年8月）',
  once: '一次性（限期完成）',
};
export const perLabel = p => PER_LABELS[p] || p;

/** Kinds of 任务时限: a date (“2022年6月前”), standing (“长期坚持”), none (tasks 23 and 45). */
export const DEADLINE_KINDS = { date: '限期完成', standing: '长期坚持', none: '无时限' };
export const deadlineKindLabel = k => DEADLINE_KINDS[k] || k;

export const ACTION_KINDS = { action: '行动', safeguard: '保障措施' };

const CN_NUM = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
/** 1 → 一, 11 → 十一, 23 → 二十三 (action numbers as the plan writes them). */
export function cnNumber(n) {
  if (n <= 10) return CN_NUM[n] || String(n);
  if (n < 20) return '十' + CN_NUM[n - 10];
  if (n < 100) return CN_NUM[Math.floor(n / 10)] + '十' + (n % 10 ? CN_NUM[n % 10] : '');
  return String(n);
}

export const OBLIGATION_RULES = { all_schools: '全部学校达标（学校总数 = 达标学校数）' };

// ---- the ledger ----

/** Chinese labels of report metrics; mirrors src/work/work_rules.c (metric_labels). */
export const METRIC_LABELS = {
  participants: '参与人数',
  media_outlets: '媒体数',
  reports: '报道数',
  sessions: '场次',
  views: '浏览量',
  articles: '稿件数',
  products: '产品数',
  cases: '案例数',
  schools_total: '学校总数',
  schools_met: '达标学校数',
  class_hours: '课时数',
  volunteer_hours: '志愿服务时长',
  candidates: '候选人数',
  selected: '入选人数',
  respondents: '受访人数',
  venues: '场馆数',
  area_m2: '面积（平方米）',
  outputs: '成果数',
  placements: '投放点位数',
  works: '作品数',
  schools: '学校数',
  organisations: '社会组织数',
  member_organisations: '成员单位数',
  terminals: '终端数',
  topics: '议题数',
};
export const metricLabel = m => METRIC_LABELS[m] || m;

export const REPORT_STATUS = {
  submitted: { label: '待审核', type: 'warning' },
  accepted: { label: '已通过', type: 'success' },
  returned: { label: '已退回', type: 'danger' },
};

export const REPORT_ACTIONS = {
  submit: '提交报送',
  update: '修改',
  resubmit: '修改并重新提交',
  accept: '审核通过',
  return: '退回',
  evidence_add: '添加佐证材料',
  evidence_replace: '替换佐证材料',
  evidence_remove: '删除佐证材料',
};
export const reportActionLabel = a => REPORT_ACTIONS[a] || a;

export const REPORT_FIELDS = {
  unit: '报送单位',
  plan: '所属方案',
  kind: '活动类型',
  activity_date: '活动日期',
  title: '标题',
  summary: '摘要',
  place: '地点',
  tasks: '服务任务',
  metrics: '指标',
  links: '相关链接',
  accepted_date: '通过日期',
  status: '状态',
};

export const REPORT_SOURCES = { api: '在线填报', import: '批量导入' };

// ---- the inbox (待办) ----

/** Kinds of inbox items; mirrors src/supervise/supervise_rules.c (the server also sends kind_label). */
export const INBOX_KINDS = {
  notice_sign: '待签收督办单',
  notice_due: '督办单即将到期',
  notice_returned: '督办反馈被退回',
  notice_review: '督办反馈待复核',
  notice_escalated: '督办单已升级',
  report_returned: '报送被退回',
  meeting_notice: '联席会议通知',
  meeting_due: '联席会议事项即将到期',
  meeting_agenda: '联席会议议题通知',
  meeting_minutes_due: '待制作会议纪要',
  meeting_countersign: '待会签会议纪要',
  meeting_change: '纪要修改意见',
  meeting_issued: '会议纪要已印发',
  meeting_followup: '会议议定事项',
};
export const inboxKindLabel = k => INBOX_KINDS[k] || k;
/** A tag colour per kind: what needs the person's hand is warning/danger. */
export const INBOX_KIND_TYPE = {
  notice_sign: 'warning', notice_due: 'danger', notice_returned: 'danger', notice_review: 'warning',
  notice_escalated: 'danger', report_returned: 'danger', meeting_notice: 'primary', meeting_due: 'danger',
  meeting_agenda: 'primary', meeting_minutes_due: 'warning', meeting_countersign: 'warning',
  meeting_change: 'warning', meeting_issued: 'success', meeting_followup: 'primary',
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
