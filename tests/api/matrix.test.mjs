// matrix.test.mjs - the generated role × route test: every route of `ecoact routes --rules` is
// driven by every role (a demo account of each; the unit-scoped ones belong to 渝中区; and one
// account of 渝中区 that is both leader and unit_reporter), by a read
// and a write API token of each, and anonymously, with the ids of objects that belong to
// another unit (万州区) or another account. It fails on any 2xx the route's declared rule does not
// allow: a role that does not hold the route's permission, a unit-scoped role on another unit's
// object, anybody on another account's object, a read token on a write, a token on a route only a
// session may use. A new route is covered without a line here; a new kind of path parameter on
// an owned route makes the test ask for a fixture below.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, sql, cli, Client, BIN } from './lib.mjs';

const ACCOUNTS = {
  sysadmin: 'demo.sysadmin', secadmin: 'demo.secadmin', auditor: 'demo.auditor', office: 'demo.office',
  leader: 'demo.leader', unit_admin: 'demo.yuzhong.admin', unit_reporter: 'demo.yuzhong', evaluator: 'demo.evaluator',
  gateway: 'demo.gateway',
};
const PLAN = 'cq-2021-2025';
const RULES = execFileSync(BIN, ['routes', '--rules'], { encoding: 'utf8' }).trim().split('\n').map(l => JSON.parse(l));
const SKIP = new Set(['DELETE /api/v1/session', 'DELETE /api/v1/citizen/session']); // end the caller's own session: roles.test.mjs tries them last

let srv, office, wz;
const fx = {}; // fixtures: ids of 万州区's objects and of demo.wanzhou's
const principals = []; // {name, role, kind: 'session' | 'read' | 'write', client, headers}

before(async () => {
  srv = await startServer({ name: 'matrix' });
  const h = cli(srv, ['demo', '--history']); // follow-ups, meetings, published evaluations
  assert.equal(h.code, 0, h.err);
  office = await srv.login('demo.office');
  wz = await srv.login('demo.wanzhou');
  const one = q => sql(srv, q).trim().split('\n')[0];
  fx.wzUnit = Number(one("SELECT id FROM units WHERE code = '500101'"));
  fx.yzUnit = Number(one("SELECT id FROM units WHERE code = '500103'"));
  fx.wzUser = Number(one("SELECT id FROM users WHERE username = 'demo.wanzhou'"));
  // a report of 万州区 with evidence
  const rep = await office.post('/api/v1/reports', { unit: '500101', kind: 'seminar', activity_date: '2025-06-10', title: '万州区研讨会', tasks: [5] });
  assert.equal(rep.status, 201, rep.text);
  fx.report = rep.json.id;
  const ev = await office.put(`/api/v1/reports/${fx.report}/evidence/matrix.txt`, undefined, { body: Buffer.from('佐证'), headers: { 'Content-Type': 'text/plain' } });
  assert.equal(ev.status, 201, ev.text);
  // a notice to 万州区, signed, with evidence
  const n = await office.post('/api/v1/notices', { unit: '500101', task: 17, title: '万州区督办', requirements: '请按季度召开新闻发布会。', deadline: '2027-03-01', issue: true });
  assert.equal(n.status, 201, n.text);
  fx.notice = n.json.id;
  assert.equal((await wz.post(`/api/v1/notices/${fx.notice}/sign`, {})).status, 200);
  assert.equal((await wz.put(`/api/v1/notices/${fx.notice}/evidence/matrix.txt`, undefined, { body: Buffer.from('材料'), headers: { 'Content-Type': 'text/plain' } })).status, 201);
  // demo.wanzhou's own: a token, a calendar feed, an inbox item
  fx.token = (await wz.post('/api/v1/tokens', { name: 'wz', scopes: ['read'] })).json.id;
  fx.feed = (await wz.post('/api/v1/calendar-feeds', {})).json.id;
  fx.inbox = Number(one(`SELECT id FROM inbox_items WHERE unit_id = ${fx.wzUnit} OR user_id = ${fx.wzUser} ORDER BY id DESC`));
  fx.meeting = Number(one('SELECT id FROM meetings ORDER BY id'));
  // a decision of that meeting for 万州区 to carry out (the demo history records none)
  fx.followup = Number(one(`INSERT INTO meeting_followups(meeting_id, seq, text, unit_id, due_date, created_at, updated_at)
    VALUES (${fx.meeting}, 900, '万州区落实议定事项', ${fx.wzUnit}, '2027-03-01', 0, 0) RETURNING id`));
  // public accounts (the demo's): 万州区's organisation waiting for review, of which the matrix's
  // citizen is no member, and a child whose guardian is another citizen
  fx.org = Number(one(`SELECT id FROM organisations WHERE unit_id = ${fx.wzUnit} ORDER BY id`));
  fx.ward = Number(one("SELECT child_id FROM citizen_guardians ORDER BY child_id"));
  fx.orgMember = Number(one(`SELECT citizen_id FROM org_members WHERE org_id = ${fx.org}`));
  // another citizen's in-app message (the demo child's: her guardian consented); the matrix's
  // citizen has none, so the id names another account's message only
  fx.citizenMsg = Number(one("SELECT id FROM citizen_inbox WHERE citizen_id = (SELECT child_id FROM citizen_guardians ORDER BY child_id LIMIT 1) ORDER BY id"));
  // a volunteer team of 万州区 (a 市级总队 awaiting review) run by that organisation's member, with
  // a project, an activity in review and a shift: the matrix's citizen administers none of them
  fx.volTeam = Number(one(`INSERT INTO vol_teams(level, name, unit_id, org_id, filed_by, created_at, updated_at)
    VALUES ('city', '万州区志愿服务总队', ${fx.wzUnit}, ${fx.org}, ${fx.orgMember}, 0, 0) RETURNING id`));
  sql(srv, `INSERT INTO vol_team_admins(team_id, citizen_id, added_at) VALUES (${fx.volTeam}, ${fx.orgMember}, 0)`);
  fx.volProject = Number(one(`INSERT INTO vol_projects(team_id, theme, service_type, title, created_by, created_at)
    VALUES (${fx.volTeam}, 'city', 'theory', '万州区项目', ${fx.orgMember}, 0) RETURNING id`));
  fx.volActivity = Number(one(`INSERT INTO vol_activities(project_id, team_id, title, day, place, unit_id, signup_opens, signup_closes, cancel_by, status, filed_by, created_at, updated_at)
    VALUES (${fx.volProject}, ${fx.volTeam}, '万州区活动', '2033-05-01', '万州', ${fx.wzUnit}, 0, 1999999999, 1999999999, 'review', ${fx.orgMember}, 0, 0) RETURNING id`));
  fx.volShift = Number(one(`INSERT INTO vol_shifts(activity_id, label, starts_at, ends_at, places)
    VALUES (${fx.volActivity}, '上午', 2000000000, 2000003600, 5) RETURNING id`));
  // a facility of 万州区 awaiting review, run by that organisation, with a session and a booking of
  // another citizen: the matrix's citizen operates none of them
  fx.facility = Number(one(`INSERT INTO fac_facilities(category, name, org_id, unit_id, address, lat_e6, lng_e6, safety_limit, filed_by, created_at, updated_at)
    VALUES ('sewage', '万州区污水处理厂', ${fx.org}, ${fx.wzUnit}, '万州区', 30800000, 108400000, 50, ${fx.orgMember}, 0, 0) RETURNING id`));
  fx.facSession = Number(one(`INSERT INTO fac_sessions(facility_id, day, starts_at, ends_at, capacity, ind_quota, grp_quota, safety_limit, booking_opens, booking_closes, cancel_by, created_by, created_at)
    VALUES (${fx.facility}, '2033-05-01', 1998000000, 1998003600, 10, 10, 0, 50, 0, 1997990000, 1997990000, ${fx.orgMember}, 0) RETURNING id`));
  fx.facBooking = Number(one(`INSERT INTO fac_bookings(session_id, citizen_id, kind, headcount, state, created_at, updated_at)
    VALUES (${fx.facSession}, ${fx.orgMember}, 'individual', 1, 'held', 0, 0) RETURNING id`));
  for (const v of Object.values(fx)) assert.ok(Number.isInteger(v) && v > 0, JSON.stringify(fx));
  // an account of 渝中区 holding a wide reading role and a unit-scoped writing one: each
  // permission reaches as far as the role that grants it, never further
  const sys = await srv.login('demo.sysadmin'), sec = await srv.login('demo.secadmin');
  const u = (await sys.post('/api/v1/users', { username: 'matrix.both', display_name: '兼任', unit_id: fx.yzUnit })).json;
  assert.equal((await sec.put(`/api/v1/users/${u.id}/roles`, { roles: ['leader', 'unit_reporter'] })).status, 200);
  const both = new Client(srv.base);
  await both.login('matrix.both', u.one_time_password);
  assert.equal((await both.put('/api/v1/me/password', { old_password: u.one_time_password, new_password: 'Matrix-Both-2026' })).status, 200);
  const accounts = Object.entries(ACCOUNTS).map(([role, user]) => [role, [role], user]);
  accounts.push(['leader+unit_reporter', ['leader', 'unit_reporter'], 'matrix.both']);
  for (const [role, roles, user] of accounts) {
    const c = user === 'matrix.both' ? await srv.login(user, 'Matrix-Both-2026') : await srv.login(user);
    principals.push({ name: role, roles, kind: 'session', client: c, headers: {} });
    for (const scope of ['read', 'write']) {
      const t = await c.post('/api/v1/tokens', { name: `matrix ${scope}`, scopes: scope === 'write' ? ['read', 'write'] : ['read'] });
      assert.equal(t.status, 201, t.text);
      principals.push({ name: `${role} ${scope} token`, roles, kind: scope, client: new Client(srv.base), headers: { Authorization: `Bearer ${t.json.token}` } });
    }
  }
  // a citizen (public account): no guardian of the ward, no member of the organisation
  const pub = new Client(srv.base);
  assert.equal((await pub.post('/api/v1/citizen/session', { phone: '13700137005', password: 'Ecoact-Demo-2025' })).status, 200);
  principals.push({ name: 'citizen', roles: [], kind: 'session', citizen: true, client: pub, headers: {} });
});
after(async () => { await srv.stop(); });

/** A concrete path for a pattern: owned objects are 万州区's or demo.wanzhou's; writes to plans
 * name a plan that does not exist, so nothing published is touched. */
function concrete(rule) {
  const p = rule.pattern, write = rule.method !== 'GET';
  const value = {
    '/api/v1/users/{id}': fx.wzUser, '/api/v1/reports/{id}': fx.report, '/api/v1/notices/{id}': fx.notice,
    '/api/v1/tokens/{id}': fx.token, '/api/v1/calendar-feeds/{id}': fx.feed, '/api/v1/inbox/{id}': fx.inbox,
    '/api/v1/follow-ups/{id}': fx.followup, '/api/v1/units/{id}': '500101', '/api/v1/meetings/{id}': fx.meeting,
    '/api/v1/orgs/{id}': fx.org, '/api/v1/citizen/orgs/{id}': fx.org, '/api/v1/citizen/wards/{id}': fx.ward,
    '/api/v1/citizen/inbox/{id}': fx.citizenMsg,
    '/members/{cid}': fx.orgMember,
    '/api/v1/citizen/vol/teams/{id}': fx.volTeam, '/api/v1/citizen/vol/projects/{id}': fx.volProject,
    '/api/v1/citizen/vol/activities/{id}': fx.volActivity, '/api/v1/citizen/vol/shifts/{id}': fx.volShift,
    '/api/v1/vol/teams/{id}': fx.volTeam, '/api/v1/vol/activities/{id}': fx.volActivity,
    '/api/v1/citizen/fac/facilities/{id}': fx.facility, '/api/v1/citizen/fac/sessions/{id}': fx.facSession,
    '/api/v1/citizen/fac/bookings/{id}': fx.facBooking, '/api/v1/fac/facilities/{id}': fx.facility,
  };
  const missing = [];
  const path = p.replace(/\{(\w+)\}/g, (m, name, off) => {
    const prefix = p.slice(0, off) + m;
    const key = Object.keys(value).find(k => prefix.endsWith(k));
    if (key) return value[key];
    switch (name) {
      case 'code': return write ? 'no-such-plan' : PLAN;
      case 'unit': return '500101';
      case 'year': return '2024';
      case 'no': return '1';
      case 'key': return 't16-press-month';
      case 'name': return 'matrix.txt';
      case 'file': return p.includes('/calendar/') ? 'unknown.ics' : 'notice.pdf';
      case 'tid': return '1';
      default: missing.push(name); return '999999';
    }
  });
  if (rule.owner && missing.length) assert.fail(`${rule.method} ${p}: add a fixture of another unit or account for {${missing.join('}, {')}} in matrix.test.mjs`);
  return path;
}

/** Whether the route's declared rule lets this principal have a 2xx on another unit's or account's object. */
function allowed(rule, pr) {
  if (rule.public) return true;
  if (!pr) return false; // anonymous
  if (rule.citizen || pr.citizen) return Boolean(rule.citizen && pr.citizen) && rule.owner !== 'user'; // public and officials' sessions never cross
  const reaches = pr.roles.map(r => rule.roles[r]).filter(Boolean);
  if (!reaches.length) return false;
  const reach = reaches.includes('all') ? 'all' : 'unit';
  if (pr.kind === 'read' && rule.method !== 'GET') return false;
  if (pr.kind !== 'session' && rule.session_only) return false;
  if (rule.owner === 'user') return false;
  if (rule.owner === 'unit' && reach === 'unit') return false;
  return true;
}

test('every route declares a rule the test can read', () => {
  assert.ok(RULES.length > 100);
  for (const r of RULES) {
    assert.ok(r.public || r.citizen || Object.keys(r.roles).length > 0, `${r.method} ${r.pattern}: no role may use it`);
    assert.ok(r.owner === null || r.owner === 'unit' || r.owner === 'user');
  }
  const owned = RULES.filter(r => r.owner).map(r => `${r.method} ${r.pattern}`);
  for (const must of ['GET /api/v1/reports/{id}', 'GET /api/v1/notices/{id}', 'POST /api/v1/users/{id}/password-reset', 'DELETE /api/v1/tokens/{id}'])
    assert.ok(owned.includes(must), `${must} declares whose object it names`);
});

test('no route answers 2xx to a caller its declared rule does not allow, with another unit\'s and another account\'s ids', async () => {
  const wrong = [];
  let tried = 0;
  for (const rule of RULES) {
    const key = `${rule.method} ${rule.pattern}`;
    if (SKIP.has(key) || rule.public) continue;
    const path = concrete(rule);
    const opts = h => {
      const o = { headers: { ...h } };
      if (rule.body === 'json') o.json = {};
      if (rule.body === 'raw') { o.body = Buffer.from('matrix'); o.headers['Content-Type'] = 'text/plain'; }
      return o;
    };
    const anon = await srv.client().req(rule.method, path, opts({}));
    tried++;
    if (anon.status < 300) wrong.push(`${key} anonymous got ${anon.status}`);
    for (const pr of principals) {
      const r = await pr.client.req(rule.method, path, opts(pr.headers));
      tried++;
      if (r.status >= 200 && r.status < 300 && !allowed(rule, pr)) wrong.push(`${key} ${pr.name} got ${r.status}: ${r.text.slice(0, 160)}`);
    }
  }
  assert.ok(tried > 2000, `tried ${tried}`);
  assert.deepEqual(wrong, []);
});
