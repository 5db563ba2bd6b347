// meetingtodo.js - what the caller must do for a joint meeting (联席会议, 附件2), read from the
// meeting as GET /api/v1/meetings/{id} answers it: the steps the server lists in its "actions"
// for this caller (each with the server's label and deadline, worked out by the checks the step
// routes make), and the follow-up items of the caller's unit still open. The console keeps no
// copy of the chain's rules; this only turns the server's answer into a to-do list.

const STEP_OF = { receipt: 'receipt', topic: 'topics', no_topics: 'topics', select: 'selection', merge: 'selection', decline: 'selection', reset: 'selection' };
const stepOf = (m, name) => (m.steps || []).find(s => s.step === (STEP_OF[name] || name)) || {};

/**
 * The to-do items of the caller for a meeting: [{key, text, deadline, status, status_label,
 * link?}] (the labels the server's: the step's, or the follow-up's), the
 * meeting's own steps first (edit and topic attachments are no to-dos), then follow-ups.
 */
export function meetingTodos(m, unitId) {
  const out = [];
  const seen = new Set(['edit']);
  const actions = m.actions || [];
  const noTopics = actions.find(a => a.name === 'no_topics');
  // a unit that has replied on topics may add another, but nothing waits for it
  if ((m.units || []).find(u => u.unit.id === unitId)?.topics_date) seen.add('topic');
  for (const a of actions) {
    if (seen.has(a.name)) continue;
    seen.add(a.name);
    let text = a.label;
    if (a.name === 'topic' && noTopics) {
      text = `${a.label}（或${noTopics.label}）`;
      seen.add('no_topics');
    }
    const s = stepOf(m, a.name);
    out.push({ key: a.name, text, deadline: a.deadline || null, status: s.status || 'due', status_label: s.status_label || '' });
  }
  for (const t of m.topics || []) {
    if (!(t.actions || []).some(a => a.name !== 'attach') || seen.has('selection')) continue;
    seen.add('selection');
    const s = stepOf(m, 'select');
    const pending = s.pending_topics ? `（${s.pending_topics} 个待筛选）` : '';
    out.push({ key: 'selection', text: `${s.label || '筛选中心议题'}${pending}`, deadline: s.deadline || null, status: s.status || 'due', status_label: s.status_label || '' });
  }
  for (const f of m.follow_ups || [])
    if (f.unit?.id === unitId && f.status !== 'done')
      out.push({ key: `followup-${f.id}`, text: `落实议定事项：${f.text}`, deadline: f.due_date, status: f.overdue ? 'overdue' : 'due', status_label: f.status_label, link: `/follow-ups/${f.id}` });
  return out;
}
