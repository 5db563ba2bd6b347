// meetingtodo.js - what the caller's unit must do for a joint meeting (联席会议, 附件2), read from
// the meeting as GET /api/v1/meetings/{id} answers it: the unit's role (member, convener, the
// host 市生态环境局), the stage, each step's deadline and the units that have not acted. The
// server decides who may act; this only says what is waiting for whom. The office (which may
// act for any unit) gets the host's steps.
import { todayYmd } from './format.js';

const step = (m, name) => (m.steps || []).find(s => s.step === name) || {};

/** The caller's roles in a meeting: {member, convener, host, entry} (entry: the meeting's units[] row). */
export function meetingRoles(m, unitId) {
  const entry = (m.units || []).find(u => u.unit.id === unitId) || null;
  const host = !!(entry?.host || (m.host && m.host.id === unitId));
  return { member: !!entry, convener: entry?.role === 'convener', host, entry };
}

/**
 * The to-do items of a unit for a meeting: [{key, text, deadline, status}] in the order of
 * the chain. office: the caller is the office (the host's steps and 登记召开 are its too).
 */
export function meetingTodos(m, unitId, { office = false } = {}) {
  const out = [];
  const r = meetingRoles(m, unitId);
  const host = r.host || office;
  const stage = m.stage;
  const add = (key, text, s) => out.push({ key, text, deadline: s?.deadline || null, status: s?.status || 'due' });

  if (stage === 'planned' && host) add('notice', '发出会议通知', step(m, 'notice'));
  if (stage === 'notified') {
    if (r.member && !r.host && r.entry) {
      if (!r.entry.confirmed_date) add('receipt', '确认收到会议通知', step(m, 'receipt'));
      if (!r.entry.topics_date && !r.entry.no_topics) add('topics', '提交议题（或反馈无议题）', step(m, 'topics'));
    }
    const sel = step(m, 'selection');
    const pendingTopics = (m.topics || []).filter(t => t.selection === 'pending').length;
    if (host && pendingTopics) add('selection', `筛选中心议题（${pendingTopics} 个待筛选）`, sel);
    if ((r.convener || office) && !pendingTopics && (m.topics || []).some(t => t.selection === 'selected'))
      add('agenda', '告知参会单位中心议题', step(m, 'agenda'));
  }
  if (stage === 'agenda_sent' && host && m.meeting_date <= todayYmd()) add('held', '登记会议召开情况', step(m, 'held'));
  if (stage === 'held' && host) add('minutes', '起草会议纪要', step(m, 'minutes'));
  if (stage === 'minutes') {
    const cs = step(m, 'countersign');
    if (cs.change_requested && host) add('minutes', '按修改意见修改会议纪要', cs);
    const mine = r.entry?.countersign;
    if (r.member && !r.host && mine && mine.action === 'none' && !cs.change_requested) add('countersign', `会签会议纪要（第 ${mine.version} 稿）`, cs);
    if (host && !cs.change_requested && !(cs.pending_units || []).length) add('issue', '印发会议纪要', step(m, 'issue'));
  }
  for (const f of m.follow_ups || [])
    if (f.unit?.id === unitId && f.status !== 'done')
      out.push({ key: `followup-${f.id}`, text: `落实议定事项：${f.text}`, deadline: f.due_date, status: f.overdue ? 'overdue' : 'due', link: `/follow-ups/${f.id}` });
  return out;
}
