// inbox.js - the count of the caller's open to-do items (待办, class todo: 待阅 items are not
// counted) that the header's badge shows, and the count of 待阅 beside it for its tooltip: read
// from GET /api/v1/inbox?class=todo (its "classes"), again every 60 s while the tab is visible (not
// while it is hidden: a hidden tab asks nothing, and asks at once when it is shown again), and
// whenever a page settles something (refreshInbox() after an action).
import { reactive } from 'vue';
import { get } from './api.js';
import { session } from './session.js';

export const INBOX_POLL_MS = 60 * 1000;

export const inbox = reactive({ total: null, toread: null, counts: {}, error: null, at: 0 });

/** Takes the counts of an inbox page (any page: every one carries "classes"). */
export function takeCounts(r) {
  inbox.total = r.classes?.todo ?? 0;
  inbox.toread = r.classes?.toread ?? 0;
  inbox.error = null;
  inbox.at = Date.now();
}

let timer = null;
let running = false;
let seq = 0;

/** Asks the server for the count now (quietly: a failure keeps the last count). */
export async function refreshInbox() {
  if (!session.me || session.me.must_change_password) return;
  const mine = ++seq;
  try {
    const r = await get('/inbox', { class: 'todo', limit: 1 });
    if (mine !== seq) return;
    takeCounts(r);
    inbox.counts = r.counts || {};
  } catch (e) {
    if (mine === seq) inbox.error = e;
  }
}

function schedule() {
  clearTimeout(timer);
  timer = null;
  if (!running || document.visibilityState !== 'visible') return;
  timer = setTimeout(async () => {
    await refreshInbox();
    schedule();
  }, INBOX_POLL_MS);
}

function onVisibility() {
  if (!running) return;
  if (document.visibilityState === 'visible') {
    // Shown again: ask now when the last answer is older than the period, then every 60 s.
    if (Date.now() - inbox.at >= INBOX_POLL_MS) refreshInbox();
    schedule();
  } else {
    clearTimeout(timer);
    timer = null;
  }
}

/** Starts polling (the layout calls it once logged in); stopInboxPolling() ends it. */
export function startInboxPolling() {
  if (running) return;
  running = true;
  document.addEventListener('visibilitychange', onVisibility);
  refreshInbox();
  schedule();
}

export function stopInboxPolling() {
  running = false;
  clearTimeout(timer);
  timer = null;
  document.removeEventListener('visibilitychange', onVisibility);
  inbox.total = null;
  inbox.toread = null;
  inbox.counts = {};
}
