// catalog.js - what the plan and ledger pages share: who may do what (asked of the server: the
// permissions in /me's "can" and the "actions" an object carries; the console keeps no copy of
// the role table), and reads that many pages need and that rarely change (units, activity kinds, the
// published plans and their tasks), kept for a few minutes so moving between pages is quick.
import { get, getAll } from './api.js';
import { session, can } from './session.js';

// ---- permissions (GET /api/v1/me "can": the server's role table, src/org/perm.c) ----
export const canReadPlan = () => !!can('plan_read');
export const canEditPlan = () => !!can('plan_edit');
export const canReadReports = () => !!can('report_read');
export const canWriteReports = () => !!can('report_write');
export const canReview = () => !!can('report_review');

// Dispatch notices (督办单): notice read / manage / handle.
export const canReadNotices = () => !!can('notice_read');
export const canManageNotices = () => !!can('notice_manage');
export const canHandleNotices = () => !!can('notice_handle');

// The joint meeting (联席会议): meeting read / act / manage.
export const canReadMeetings = () => !!can('meeting_read');
export const canActMeetings = () => !!can('meeting_act');
export const canManageMeetings = () => !!can('meeting_manage');

/** A unit-scoped user: none of its permissions reaches every unit (the server's roles_scope). */
export function unitScoped() {
  return !!session.me && !Object.values(session.me.can || {}).includes('all');
}

/** Whether the object lists the action for this caller now (the server's "actions"). */
export function mayDo(obj, name) {
  return !!obj?.actions?.some(a => a.name === name);
}

/** Whether the caller may review this report: the server says so in its actions. */
export const mayReview = report => mayDo(report, 'review');

/** The plan reports default to: the server's, from /me (src/work/work.h WORK_DEFAULT_PLAN). */
export { DEFAULT_PLAN } from './session.js';

// ---- cached reads ----
const TTL = 5 * 60 * 1000;
const cache = new Map();

function cached(key, load) {
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < TTL) return hit.promise;
  const promise = load().catch(e => {
    cache.delete(key);
    throw e;
  });
  cache.set(key, { at: Date.now(), promise });
  return promise;
}

/** Forgets cached reads (after the office edits a plan, say); a prefix forgets some. */
export function forget(prefix = '') {
  for (const k of [...cache.keys()]) if (k.startsWith(prefix)) cache.delete(k);
}

/** The joint meeting's names and labels (stages, kinds, levels, ranks, categories, follow-up
 * statuses), the server's: GET /meeting-vocabulary. */
export const meetingVocabulary = () => cached('meeting-vocabulary', () => get('/meeting-vocabulary'));

/** Dispatch notices' names and labels (the stages the caller may see, levels, subjects, history
 * entries), the server's: GET /notice-vocabulary. */
export const noticeVocabulary = () => cached('notice-vocabulary', () => get('/notice-vocabulary'));

/** Every unit (the directory is small: about a hundred). */
export const allUnits = () => cached('units', () => getAll('/units'));

/** The units the caller may file for: its own and its children; the office any. */
export async function reportingUnits() {
  if (!unitScoped()) return allUnits();
  const own = session.me.unit;
  const children = await cached(`units:children:${own.id}`, () => getAll('/units', { parent: own.id }));
  return [own, ...children];
}

/** Activity kinds [{code, name, metrics}], those a plan lists when plan is given. */
export const activityKinds = (plan = null) =>
  cached(`kinds:${plan || ''}`, () => getAll('/activity-kinds', plan ? { plan } : {}));

/** Published plan versions, oldest first. */
export const publishedPlans = () => cached('plans:published', () => getAll('/plans', { status: 'published' }));

/** One plan (a code alone: its latest published version). */
export const planInfo = code => cached(`plan:${code}`, () => get(`/plans/${encodeURIComponent(code)}`));

/** A published plan's tasks, in order. */
export const planTasks = code => cached(`tasks:${code}`, () => getAll(`/plans/${encodeURIComponent(code)}/tasks`));

/** The task numbers a unit leads or cooperates on in a plan. */
export const unitTaskNos = (code, unit) =>
  cached(`tasks:${code}:unit:${unit}`, async () =>
    new Set((await getAll(`/plans/${encodeURIComponent(code)}/tasks`, { unit })).map(t => t.no)));

/** The joint meeting's member units today: [{id, unit, role, host, active, …}]. */
export const meetingMembers = () => cached('meeting-members', () => getAll('/meeting-members'));

/** The caller's unit's membership of the joint meeting today (null when not a member). */
export async function myMembership() {
  const unit = session.me?.unit?.id;
  if (!unit || !canReadMeetings()) return null;
  const all = await meetingMembers();
  return all.find(m => m.active && m.unit.id === unit) || null;
}

/** "第17项 做好新闻发布" */
export function taskLabel(t) {
  return `第${t.no}项 ${t.content}`;
}
