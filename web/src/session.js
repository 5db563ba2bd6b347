// session.js - who is logged in (GET /api/v1/me), the product meta (title, demo flag) and the
// role labels, kept in one reactive object that every page reads. The server decides what a
// user may do; the console only hides what the user's roles cannot use.
import { reactive } from 'vue';
import { get, post, del } from './api.js';

export const DEFAULT_TITLE = '生态文明宣传教育工作平台';

export const session = reactive({
  meta: null, // {product, title, demo}
  me: null, // the User document, or null when logged out
  roles: [], // [{name, label, admin}] from GET /roles
  checked: false, // /me asked at least once
  notice: '', // shown on the login page (e.g. session expired)
});

const META_KEY = 'ecoact.meta';

export async function loadMeta() {
  try {
    session.meta = await get('/meta', undefined, { quiet401: true, quietPwChange: true });
    try { sessionStorage.setItem(META_KEY, JSON.stringify(session.meta)); } catch { /* storage off */ }
  } catch {
    // The server may refuse even this public call (e.g. while a password change is due):
    // keep what this tab saw last, else the defaults. /me also says whether demo data is loaded.
    let cached = null;
    try { cached = JSON.parse(sessionStorage.getItem(META_KEY) || 'null'); } catch { cached = null; }
    session.meta = cached || { title: DEFAULT_TITLE, demo: false };
  }
  document.title = session.meta.title || DEFAULT_TITLE;
}

/** Whether demo data is loaded: from /meta, or from /me when /meta could not be read. */
export function isDemo() {
  return !!(session.meta?.demo || session.me?.demo);
}

async function loadRoles() {
  try {
    session.roles = (await get('/roles')).items;
  } catch {
    session.roles = []; // labels fall back to role names; pages still work
  }
}

/** Asks the server who we are; 401 means nobody. Other errors propagate. */
export async function loadMe() {
  try {
    session.me = await get('/me', undefined, { quiet401: true });
    remember(session.me);
  } catch (e) {
    if (e.status !== 401) throw e;
    session.me = null;
  }
  session.checked = true;
  if (session.me && !session.me.must_change_password && !session.roles.length) await loadRoles();
  return session.me;
}

export async function login(username, password) {
  const me = await post('/session', { username, password }, { quiet401: true });
  session.me = me;
  remember(me);
  session.checked = true;
  session.notice = '';
  if (!me.must_change_password) await loadRoles();
  return me;
}

export async function logout() {
  try {
    await del('/session', { quiet401: true });
  } finally {
    forget();
  }
}

export function forget(notice = '') {
  session.me = null;
  session.roles = [];
  session.notice = notice;
}

/** After a password change the server answers with the user; roles can now be read. */
export async function passwordChanged(me) {
  session.me = me;
  remember(me);
  if (!session.roles.length) await loadRoles();
}

/** The caller's permissions with their reach, from /me: {report_write: 'unit', report_read: 'all', …}. */
export function can(p) {
  return session.me?.can?.[p] || null;
}

/** The policy values the server sends with /me (password minimum, grace days, default plan). */
export function policy() {
  return session.me?.policy || {};
}

/** The plan pages and requests default to: the server's (src/work/work.h), sent in /me. A live
 * binding: set whenever /me is read. */
export let DEFAULT_PLAN = '';
function remember(me) {
  if (me?.policy?.default_plan) DEFAULT_PLAN = me.policy.default_plan;
}

export function hasPermission(p) {
  return (session.me?.permissions || []).includes(p);
}

export function roleLabel(name) {
  return session.roles.find(r => r.name === name)?.label || name;
}
