// nav.js - the console's pages, grouped as the side navigation shows them, with who may use
// each. A page appears only when the caller holds the permission it needs (/me "can", the
// server's role table src/org/perm.c; the console keeps no copy).
// Groups come in this order once their pages exist:
//   工作计划 (plan: tasks, duties)   工作台账 (ledger: reports)   督办考核 (dispatch notices,
//   compliance)   联席会议 (the joint meeting: meetings, follow-ups, holidays)
//   通知公告 (announcements)         评估 (evaluation)
// 我的待办 (the inbox) is for every account, beside 首页; the header shows its count.
// Pages under a path (/plans/:code, /reports/:id) name their entry in the route's meta.nav.
// A group with no page the user may use is not shown.
import { can } from './session.js';

const holds = p => () => !!can(p);

export const NAV = [
  {
    group: null,
    items: [
      { path: '/', title: '首页', icon: 'House', allow: () => true, desc: '你的账号、角色和可用的功能' },
      { path: '/inbox', title: '我的待办', icon: 'Bell', allow: () => true, desc: '待签收、待答复、待会签等需要你办理的事项' },
    ],
  },
  {
    group: '工作计划',
    items: [
      {
        path: '/plans', title: '行动计划', icon: 'Tickets', allow: holds('plan_read'),
        desc: '实施方案的十大行动、措施和86项重点任务，任务时限和工作义务',
      },
    ],
  },
  {
    group: '工作台账',
    items: [
      {
        path: '/reports/new', title: '填报台账', icon: 'EditPen', allow: holds('report_write'),
        desc: '报送已开展的工作，上传佐证材料',
      },
      {
        path: '/reports', title: '台账查询', icon: 'Files', allow: holds('report_read'),
        desc: '按单位、类型、任务、日期和状态查询台账，导出 Excel',
      },
      {
        path: '/reports/review', title: '台账审核', icon: 'Stamp', allow: holds('report_review'),
        desc: '审核待审核的报送：通过或退回修改',
      },
      {
        path: '/reports/import', title: '批量导入', icon: 'Upload', allow: holds('report_write'),
        desc: '从 Excel 或 CSV 文件批量导入台账',
      },
    ],
  },
  {
    group: '督办考核',
    items: [
      {
        path: '/notices', title: '督办单', icon: 'Flag', allow: holds('notice_read'),
        desc: '督办单的下发、签收、办理、反馈和复核，蓝橙红三级升级',
      },
      {
        path: '/compliance', title: '合规矩阵', icon: 'Warning', allow: holds('comply_read'),
        desc: '各单位每项工作义务在每个周期的预警灯（绿、黄、红），可回看任一天，导出 CSV',
      },
      {
        path: '/compliance/units', title: '单位履职', icon: 'View', allow: holds('comply_read'),
        desc: '各单位的履职得分、各行动预警灯、每项义务的周期时间线和未来 90 天应完成的工作',
      },
      {
        path: '/calendar-feeds', title: '日历订阅', icon: 'Clock', allow: holds('comply_read'),
        desc: '把单位未来 90 天应完成的工作订阅到手机或电脑日历（.ics）',
      },
    ],
  },
  {
    group: '联席会议',
    items: [
      {
        path: '/meetings', title: '联席会议', icon: 'ChatDotSquare', allow: holds('meeting_read'),
        desc: '会议通知、议题征集、告知议题、会议纪要会签和印发（附件2）',
      },
      {
        path: '/follow-ups', title: '议定事项', icon: 'Finished', allow: holds('meeting_read'),
        desc: '会议纪要确定的事项：责任单位、完成时限和落实情况',
      },
      {
        path: '/calendars', title: '节假日安排', icon: 'Calendar', allow: holds('meeting_read'),
        desc: '国务院办公厅公布的节假日和调休上班日，用于计算会议期限',
      },
    ],
  },
  {
    group: '评估',
    items: [
      {
        path: '/evaluations', title: '年度考评', icon: 'Stamp', allow: holds('eval_read'),
        desc: '各单位年度考评得分、同类排名和较上年变化，逐项明细，2021—2025 终期考评，导出 Excel',
      },
      {
        path: '/evaluations/rubric', title: '评分细则', icon: 'Document', allow: holds('eval_read'),
        desc: '考评评分项的权重和折算比例（联席会议办公室修改，按版本保存）',
      },
    ],
  },
  // ← later business groups (通知公告) go here as they are built.
  {
    group: '组织与账号',
    items: [
      {
        path: '/users', title: '账号管理', icon: 'User', allow: holds('users_write'),
        desc: '创建、编辑、停用账号，重置密码',
      },
      {
        path: '/roles', title: '角色授权', icon: 'Key', allow: holds('roles_grant'),
        desc: '为账号设置角色和查看个人信息的权限',
      },
      {
        path: '/units', title: '单位', icon: 'OfficeBuilding', allow: holds('units_read'),
        desc: '市级部门、区县和下级单位名录',
      },
      {
        path: '/orgs', title: '社会组织', icon: 'Connection', allow: holds('org_read'),
        desc: '公众端登记的志愿服务组织、设施运营单位、学校、企业和环保社会组织：审核、查询、导出 Excel',
      },
    ],
  },
  {
    group: '安全审计',
    items: [
      {
        path: '/audit', title: '审计日志', icon: 'Document', allow: holds('audit_read'),
        desc: '查询操作记录，校验日志哈希链',
      },
      // -- 安全策略 (issue 19): secadmin's, by the server's "policy" permission --
      {
        path: '/security-policy', title: '安全策略', icon: 'Lock', allow: holds('policy'),
        desc: '密码规则、登录失败锁定、会话超时和 API 令牌有效期',
      },
    ],
  },
  {
    group: '个人设置',
    items: [
      { path: '/tokens', title: '我的 API 令牌', icon: 'Connection', allow: () => true, desc: '供程序调用接口的令牌' },
      { path: '/password', title: '修改密码', icon: 'Lock', allow: () => true, desc: '定期修改登录密码' },
    ],
  },
];

/** The navigation the current user sees: groups with at least one allowed page. */
export function visibleNav() {
  return NAV.map(g => ({ ...g, items: g.items.filter(i => i.allow()) })).filter(g => g.items.length);
}

export function findNav(path) {
  for (const g of NAV) for (const i of g.items) if (i.path === path) return i;
  return null;
}
