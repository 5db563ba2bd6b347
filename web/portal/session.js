// session.js - who is logged in to the portal (GET /api/v1/citizen/me with the public cookie
// ecoact_pub), the privacy notice (its version is what sign-up, real name and a guardian's
// consent name: asked of the server, never written here) and the product meta (demo banner).
import { reactive } from 'vue';
import { get, post, del, newIdempotencyKey } from '../src/api.js';

export const session = reactive({ me: null, checked: false, privacy: null, meta: null, notice: null, unread: 0 });

/** The person, or null when nobody is logged in (a 401 is no error here). */
export async function loadMe() {
  try {
    session.me = await get('/citizen/me', null, { quiet401: true });
  } catch (e) {
    if (e.status !== 401 && e.status !== 403) throw e;
    session.me = null;
  }
  session.checked = true;
  return session.me;
}

/** The count of unread messages (GET /api/v1/citizen/inbox), for the tab bar's badge; 0 when
 * nobody is logged in. A failure keeps the last count: the badge is a hint, the page the truth. */
export async function loadUnread() {
  if (!session.me) { session.unread = 0; return 0; }
  try {
    session.unread = (await get('/citizen/inbox', { limit: 1 }, { quiet401: true })).counts.unread;
  } catch { /* kept */ }
  return session.unread;
}

export async function loadPrivacy() {
  if (!session.privacy) session.privacy = await get('/citizen/privacy');
  return session.privacy;
}

export async function loadMeta() {
  if (!session.meta) {
    try { session.meta = await get('/meta'); } catch { session.meta = { demo: false }; }
  }
  return session.meta;
}

export async function login(phone, password) {
  const me = await post('/citizen/session', { phone, password }, { quiet401: true, idempotencyKey: newIdempotencyKey() });
  session.me = me;
  session.checked = true;
  session.notice = null;
  return me;
}

export async function logout() {
  try { await del('/citizen/session', { quiet401: true }); } catch { /* gone already */ }
  forget();
}

/** Drops what the portal knows of the person (after log-out, deletion, an ended session). */
export function forget(notice = null) {
  session.me = null;
  session.checked = true;
  session.notice = notice;
  session.unread = 0;
}
