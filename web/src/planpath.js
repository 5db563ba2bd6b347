// planpath.js - names the place a plan document's JSON path points at, for import errors:
// "tasks[12].lead" → "第13项任务的牵头单位". The server's message carries the path; this says
// which task, action or duty that is, as the office knows them.

const FIELD_NAMES = {
  lead: '牵头单位', coop: '配合单位', lead_text: '牵头单位原文', coop_text: '配合单位原文', content: '重点内容',
  text: '具体任务', deadline: '任务时限', no: '序号', action: '所属行动', measure: '所属措施', title: '标题',
  minimum: '最少次数', per: '周期', due: '完成期限', who: '承担主体', kind: '类型', key: '编码', metric: '指标',
  measures: '措施', start: '起始日', end: '截止日', code: '编码', name: '名称', metrics: '指标', year: '年度',
};

/** A readable place for a path in doc, or '' when it names nothing we can describe. */
export function describePath(doc, path) {
  if (!path || !doc || typeof doc !== 'object') return '';
  const m = /^(\w+)\[(\d+)\](?:\.(\w+)(?:\[(\d+)\])?)?/.exec(path);
  if (!m) return FIELD_NAMES[path] ? `方案的${FIELD_NAMES[path]}` : '';
  const [, list, idxS, field, sub] = m;
  const item = Array.isArray(doc[list]) ? doc[list][Number(idxS)] : null;
  const f = field ? FIELD_NAMES[field] || field : '';
  let where;
  if (list === 'tasks') where = item?.no !== undefined ? `第${item.no}项任务` : `第${Number(idxS) + 1}个任务`;
  else if (list === 'actions') {
    where = item?.no !== undefined ? `行动${item.no}` : `第${Number(idxS) + 1}个行动`;
    if (field === 'measures' && sub !== undefined) {
      const ms = item?.measures?.[Number(sub)];
      return `${where}的措施${ms?.no ?? Number(sub) + 1}`;
    }
  } else if (list === 'obligations') where = item?.key ? `义务 ${item.key}` : `第${Number(idxS) + 1}项义务`;
  else if (list === 'activity_kinds') where = item?.code ? `活动类型 ${item.code}` : `第${Number(idxS) + 1}个活动类型`;
  else if (list === 'year_themes') where = item?.year ? `${item.year}年度主题` : `第${Number(idxS) + 1}个年度主题`;
  else return '';
  return f ? `${where}的${f}` : where;
}
