// catalog.js - what the plan and ledger pages share: who may do what (mirrors the server's role
// permissions in src/org/perm.c; the server decides, the console only hides what would be
// refused), and reads that many pages need and that rarely change (units, activity kinds, the
// published plans and their tasks), kept for a few minutes so moving between pages is quick.
import { get, getAll } from './api.js';
import { session, hasRole } from './session.js';

// ---- roles ----
export const PLAN_READERS = ['office', 'leader', 'unit_admin', 'unit_reporter', 'evaluator'];
export const REPORT_READERS = PLAN_READERS;
export const REPORT_WRITERS = ['office', 'unit_admin', 'unit_reporter'];
export const REPORT_REVIEWERS = ['office', 'unit_admin'];

export const canReadPlan = () => hasRole(...PLAN_READERS);
export const canEditPlan = () => hasRole('office');
export const canReadReports = () => hasRole(...REPORT_READERS);
export const canWriteReports = () => hasRole(...REPORT_WRITERS);
export const canReview = () => hasRole(...REPORT_REVIEWERS);
export const isOffice = () => hasRole('office');

// Dispatch notices (督办单): notice read / manage / handle (src/org/perm.c).
export const NOTICE_READERS = ['office', 'leader', 'unit_admin', 'unit_reporter', 'evaluator'];
export const NOTICE_MANAGERS = ['office'];
export const NOTICE_HANDLERS = ['unit_admin', 'unit_reporter'];
export const canReadNotices = () => hasRole(...NOTICE_READERS);
export const canManageNotices = () => hasRole(...NOTICE_MANAGERS);
export const canHandleNotices = () => hasRole(...NOTICE_HANDLERS);

// The joint meeting (联席会议): meeting read / act / manage.
export const MEETING_READERS = ['office', 'leader', 'unit_admin', 'unit_reporter', 'evaluator'];
export const MEETING_ACTORS = ['office', 'unit_admin', 'unit_reporter'];
export const MEETING_MANAGERS = ['office'];
export const canReadMeetings = () => hasRole(...MEETING_READERS);
export const canActMeetings = () => hasRole(...MEETING_ACTORS);
export const canManageMeetings = () => hasRole(...MEETING_MANAGERS);

/** A unit-scoped user (unit_admin, unit_reporter): sees and files for its unit and children. */
export function unitScoped() {
  return !!session.me && !hasRole('sysadmin', 'secadmin', 'auditor', 'office', 'leader', 'evaluator');
}

/** Whether the caller may review this report: the office, or the parent unit's unit_admin. */
export function mayReview(report) {
  if (hasRole('office')) return true;
  return hasRole('unit_admin') && !!report.parent_unit_id && report.parent_unit_id === session.me?.unit?.id;
}

/** The plan reports default to (src/work/work.h WORK_DEFAULT_PLAN). */
export const DEFAULT_PLAN = 'cq-2021-2025';

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
