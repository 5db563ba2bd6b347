// router.js - console routes (history mode: the server answers index.html for any path without
// a file extension) and the guard that keeps the order of things: not logged in → 登录;
// must_change_password → 修改密码 before anything else; a 401 from any call → 登录 with
// 会话已过期，请重新登录.
import { createRouter, createWebHistory } from 'vue-router';
import { onSessionEvents } from './api.js';
import { session, loadMeta, loadMe, forget } from './session.js';
import AppLayout from './components/AppLayout.vue';
import LoginView from './views/LoginView.vue';
import { canManageNotices } from './catalog.js';

const routes = [
  { path: '/login', name: 'login', component: LoginView, meta: { public: true, title: '登录' } },
  {
    path: '/',
    component: AppLayout,
    children: [
      { path: '', name: 'home', component: () => import('./views/HomeView.vue'), meta: { nav: '/', title: '首页' } },
      { path: 'password', name: 'password', component: () => import('./views/PasswordView.vue'), meta: { nav: '/password', title: '修改密码' } },
      { path: 'users', name: 'users', component: () => import('./views/UsersView.vue'), meta: { nav: '/users', title: '账号管理' } },
      { path: 'roles', name: 'roles', component: () => import('./views/RolesView.vue'), meta: { nav: '/roles', title: '角色授权' } },
      { path: 'units', name: 'units', component: () => import('./views/UnitsView.vue'), meta: { nav: '/units', title: '单位' } },
      { path: 'orgs', name: 'orgs', component: () => import('./views/OrgsView.vue'), meta: { nav: '/orgs', title: '社会组织' } },
      { path: 'audit', name: 'audit', component: () => import('./views/AuditView.vue'), meta: { nav: '/audit', title: '审计日志' } },
      { path: 'security-policy', name: 'security-policy', component: () => import('./views/SecurityPolicyView.vue'), meta: { nav: '/security-policy', title: '安全策略' } },
      // 工作计划
      { path: 'plans', name: 'plans', component: () => import('./views/PlansView.vue'), meta: { nav: '/plans', title: '行动计划' } },
      { path: 'plans/:code', name: 'plan', component: () => import('./views/PlanView.vue'), meta: { nav: '/plans', title: '行动计划' } },
      { path: 'plans/:code/tasks/:no(\\d+)', name: 'task', component: () => import('./views/TaskView.vue'), meta: { nav: '/plans', title: '重点任务' } },
      // 工作台账
      { path: 'reports', name: 'reports', component: () => import('./views/ReportsView.vue'), meta: { nav: '/reports', title: '台账查询' } },
      { path: 'reports/new', name: 'report-new', component: () => import('./views/ReportFormView.vue'), meta: { nav: '/reports/new', title: '填报台账' } },
      { path: 'reports/review', name: 'review', component: () => import('./views/ReviewView.vue'), meta: { nav: '/reports/review', title: '台账审核' } },
      { path: 'reports/import', name: 'report-import', component: () => import('./views/ReportImportView.vue'), meta: { nav: '/reports/import', title: '批量导入' } },
      { path: 'reports/:id(\\d+)', name: 'report', component: () => import('./views/ReportView.vue'), meta: { nav: '/reports', title: '台账详情' } },
      { path: 'reports/:id(\\d+)/edit', name: 'report-edit', component: () => import('./views/ReportFormView.vue'), meta: { nav: '/reports', allowNav: '/reports/new', title: '修改台账' } },
      // 待办
      { path: 'inbox', name: 'inbox', component: () => import('./views/InboxView.vue'), meta: { nav: '/inbox', title: '我的待办' } },
      // 督办考核
      { path: 'notices', name: 'notices', component: () => import('./views/NoticesView.vue'), meta: { nav: '/notices', title: '督办单' } },
      { path: 'notices/settings', name: 'notice-settings', component: () => import('./views/NoticeSettingsView.vue'), meta: { nav: '/notices', allow: canManageNotices, title: '督办设置' } },
      { path: 'notices/new', name: 'notice-new', component: () => import('./views/NoticeFormView.vue'), meta: { nav: '/notices', allow: canManageNotices, title: '新建督办单' } },
      { path: 'notices/:id(\\d+)', name: 'notice', component: () => import('./views/NoticeView.vue'), meta: { nav: '/notices', title: '督办单' } },
      { path: 'notices/:id(\\d+)/edit', name: 'notice-edit', component: () => import('./views/NoticeFormView.vue'), meta: { nav: '/notices', allow: canManageNotices, title: '修改督办单' } },
      // 联席会议
      { path: 'meetings', name: 'meetings', component: () => import('./views/MeetingsView.vue'), meta: { nav: '/meetings', title: '联席会议' } },
      { path: 'meetings/:id(\\d+)', name: 'meeting', component: () => import('./views/MeetingView.vue'), meta: { nav: '/meetings', title: '联席会议' } },
      { path: 'follow-ups', name: 'follow-ups', component: () => import('./views/FollowUpsView.vue'), meta: { nav: '/follow-ups', title: '议定事项' } },
      { path: 'follow-ups/:id(\\d+)', name: 'follow-up', component: () => import('./views/FollowUpsView.vue'), meta: { nav: '/follow-ups', title: '议定事项' } },
      { path: 'calendars', name: 'calendars', component: () => import('./views/CalendarsView.vue'), meta: { nav: '/calendars', title: '节假日安排' } },
      // 督办考核: compliance (the lights, a unit's page, calendar feeds)
      { path: 'compliance', name: 'compliance', component: () => import('./views/ComplianceView.vue'), meta: { nav: '/compliance', title: '合规矩阵' } },
      { path: 'compliance/units', name: 'compliance-units', component: () => import('./views/ComplianceUnitsView.vue'), meta: { nav: '/compliance/units', title: '单位履职' } },
      { path: 'compliance/units/:id', name: 'compliance-unit', component: () => import('./views/ComplianceUnitView.vue'), meta: { nav: '/compliance/units', title: '单位履职' } },
      { path: 'calendar-feeds', name: 'calendar-feeds', component: () => import('./views/CalendarFeedsView.vue'), meta: { nav: '/calendar-feeds', title: '日历订阅' } },
      // 评估: the annual evaluation
      { path: 'evaluations', name: 'evaluations', component: () => import('./views/EvaluationsView.vue'), meta: { nav: '/evaluations', title: '年度考评' } },
      { path: 'evaluations/rubric', name: 'rubric', component: () => import('./views/RubricView.vue'), meta: { nav: '/evaluations/rubric', title: '评分细则' } },
      { path: 'evaluations/:year(\\d{4})/units/:unit', name: 'evaluation-unit', component: () => import('./views/EvaluationUnitView.vue'), meta: { nav: '/evaluations', title: '年度考评' } },
      { path: 'tokens', name: 'tokens', component: () => import('./views/TokensView.vue'), meta: { nav: '/tokens', title: '我的 API 令牌' } },
      { path: ':rest(.*)*', name: 'notfound', component: () => import('./views/NotFoundView.vue'), meta: { title: '页面不存在' } },
    ],
  },
];

export const router = createRouter({ history: createWebHistory('/'), routes });

/** Only paths of this console, never another site (no open redirect). */
export function safeRedirect(r) {
  return typeof r === 'string' && r.startsWith('/') && !r.startsWith('//') && !r.startsWith('/login') ? r : '/';
}

router.beforeEach(async to => {
  if (!session.meta) await loadMeta();
  if (!session.checked) {
    try {
      await loadMe();
    } catch (e) {
      session.checked = true;
      session.notice = e.display || e.message;
    }
  }
  const me = session.me;
  if (to.meta.public) {
    if (me && to.name === 'login') return me.must_change_password ? { name: 'password' } : safeRedirect(to.query.redirect);
    return true;
  }
  if (!me) return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} };
  if (me.must_change_password && to.name !== 'password') return { name: 'password' };
  return true;
});

router.afterEach(to => {
  const title = session.meta?.title || '';
  document.title = to.meta.title ? `${to.meta.title} - ${title}` : title;
});

onSessionEvents({
  unauthorized() {
    const here = router.currentRoute.value;
    forget('会话已过期，请重新登录');
    if (here.name !== 'login') {
      router.push({ name: 'login', query: here.fullPath !== '/' ? { redirect: here.fullPath } : {} });
    }
  },
  passwordChange() {
    if (session.me) session.me.must_change_password = true;
    router.push({ name: 'password' });
  },
});
