// router.js - the portal's pages under /m/ and the guard: pages marked auth need a public
// session (else log-in, then back); log-in and sign-up send a logged-in person home. The
// server gives m/index.html for every /m/… path (src/http/static.c).
import { createRouter, createWebHistory } from 'vue-router';
import { onSessionEvents } from '../src/api.js';
import { session, loadMe, forget } from './session.js';

const routes = [
  { path: '/', name: 'home', component: () => import('./views/HomeView.vue'), meta: { title: '公众服务', tab: 'home' } },
  { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { title: '登录', guest: true } },
  { path: '/signup', name: 'signup', component: () => import('./views/SignupView.vue'), meta: { title: '注册', guest: true } },
  { path: '/reset', name: 'reset', component: () => import('./views/ResetView.vue'), meta: { title: '找回密码' } },
  { path: '/privacy', name: 'privacy', component: () => import('./views/PrivacyView.vue'), meta: { title: '隐私政策' } },
  { path: '/open', name: 'open', component: () => import('./views/OpenView.vue'), meta: { title: '公开信息' } },
  { path: '/messages', name: 'messages', component: () => import('./views/MessagesView.vue'), meta: { title: '我的消息', auth: true, tab: 'messages' } },
  { path: '/me', name: 'me', component: () => import('./views/MeView.vue'), meta: { title: '我的', auth: true, tab: 'me' } },
  { path: '/me/realname', name: 'realname', component: () => import('./views/RealnameView.vue'), meta: { title: '实名认证', auth: true } },
  { path: '/me/wards', name: 'wards', component: () => import('./views/WardsView.vue'), meta: { title: '监护人同意', auth: true } },
  { path: '/me/consents', name: 'consents', component: () => import('./views/ConsentsView.vue'), meta: { title: '授权与同意', auth: true } },
  { path: '/me/qr', name: 'qr', component: () => import('./views/QrView.vue'), meta: { title: '我的二维码', auth: true } },
  { path: '/me/orgs', name: 'orgs', component: () => import('./views/OrgsView.vue'), meta: { title: '我的组织', auth: true } },
  { path: '/me/orgs/new', name: 'org-new', component: () => import('./views/OrgFormView.vue'), meta: { title: '登记组织', auth: true } },
  { path: '/me/orgs/:id(\\d+)', name: 'org', component: () => import('./views/OrgView.vue'), meta: { title: '组织', auth: true } },
  { path: '/me/orgs/:id(\\d+)/edit', name: 'org-edit', component: () => import('./views/OrgFormView.vue'), meta: { title: '修改登记', auth: true } },
  { path: '/vol', name: 'vol', component: () => import('./views/VolFindView.vue'), meta: { title: '志愿活动', auth: true } },
  { path: '/vol/activities/:id(\\d+)', name: 'vol-activity', component: () => import('./views/VolActivityView.vue'), meta: { title: '志愿活动', auth: true } },
  { path: '/vol/mine', name: 'vol-mine', component: () => import('./views/VolMineView.vue'), meta: { title: '我的报名', auth: true } },
  { path: '/fac', name: 'fac', component: () => import('./views/FacFindView.vue'), meta: { title: '环保设施开放', auth: true } },
  { path: '/fac/:id(\\d+)', name: 'fac-facility', component: () => import('./views/FacView.vue'), meta: { title: '环保设施开放', auth: true } },
  { path: '/fac/mine', name: 'fac-mine', component: () => import('./views/FacMineView.vue'), meta: { title: '我的预约', auth: true } },
  { path: '/me/data', name: 'data', component: () => import('./views/DataView.vue'), meta: { title: '我的数据', auth: true } },
  { path: '/settings', name: 'settings', component: () => import('./views/SettingsView.vue'), meta: { title: '设置', auth: true } },
  { path: '/settings/phone', name: 'phone', component: () => import('./views/PhoneView.vue'), meta: { title: '更换手机号', auth: true } },
  { path: '/settings/password', name: 'password', component: () => import('./views/PasswordView.vue'), meta: { title: '修改密码', auth: true } },
  { path: '/settings/delete', name: 'delete', component: () => import('./views/DeleteView.vue'), meta: { title: '注销账号', auth: true } },
  { path: '/:rest(.*)*', name: 'notfound', component: () => import('./views/NotFoundView.vue'), meta: { title: '页面不存在' } },
];

export const router = createRouter({
  history: createWebHistory('/m/'),
  routes,
  scrollBehavior: () => ({ top: 0 }),
});

/** Only a path inside the portal (no scheme, no //host) is followed after log-in. */
export function safeRedirect(r) {
  return typeof r === 'string' && r.startsWith('/') && !r.startsWith('//') && !r.includes('\\') ? r : '/';
}

onSessionEvents({
  unauthorized() {
    if (!session.me) return;
    forget('登录已过期，请重新登录');
    const here = router.currentRoute.value;
    if (here.meta.auth) router.replace({ name: 'login', query: { redirect: here.fullPath } });
  },
  passwordChange: null,
});

router.beforeEach(async to => {
  if (!session.checked) {
    try { await loadMe(); } catch { /* the page says it cannot reach the server */ }
  }
  if (to.meta.auth && !session.me) return { name: 'login', query: { redirect: to.fullPath } };
  if (to.meta.guest && session.me) return { name: 'home' };
  return true;
});

router.afterEach(to => {
  document.title = `${to.meta.title || '公众服务'} · 美丽中国，我是行动者`;
});
