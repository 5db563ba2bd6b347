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
