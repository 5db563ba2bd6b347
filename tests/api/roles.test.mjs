// roles.test.mjs - the role × route matrix: every route the binary serves is listed here with the
// roles that may use it; each demo account (one per role) and an anonymous client are tried on
// every route, and each gets exactly what it may: denied is 403 (401 anonymous), allowed is never.
// Requests that are allowed are made harmless (ids that do not exist, bodies that fail validation).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, BIN } from './lib.mjs';

const STAFF = ['sysadmin', 'secadmin', 'auditor', 'office', 'leader', 'unit_admin', 'unit_reporter', 'evaluator'];
const ALL = [...STAFF, 'gateway']; // gateway: the SMS gateway's machine account
const BUSINESS = ['office', 'leader', 'unit_admin', 'unit_reporter', 'evaluator'];
const accounts = {
  sysadmin: 'demo.sysadmin', secadmin: 'demo.secadmin', auditor: 'demo.auditor', office: 'demo.office',
  leader: 'demo.leader', unit_admin: 'demo.yuzhong.admin', unit_reporter: 'demo.yuzhong', evaluator: 'demo.evaluator',
  gateway: 'demo.gateway',
};
const NONE = 999999;
const REPORT_WRITERS = ['office', 'unit_admin', 'unit_reporter'];
const CITIZEN = ['citizen']; // a public account's session (the demo's 13700137005): only the public routes
const ORG_READERS = ['office', 'leader', 'unit_admin', 'unit_reporter'];
// "METHOD pattern": [allowed roles or 'public', concrete path, body]
export const MATRIX = {
  'GET /healthz': ['public', '/healthz'],
  'GET /readyz': ['public', '/readyz'],
  'GET /metrics': ['public', '/metrics'], // served only on --metrics-listen: here, on the main listener, 404
  'GET /api/v1/meta': ['public', '/api/v1/meta'],
  'POST /api/v1/session': ['public', '/api/v1/session', {}],
  'DELETE /api/v1/session': [ALL, null], // tried last, separately
  'GET /api/v1/me': [ALL, '/api/v1/me'],
  'PUT /api/v1/me/password': [ALL, '/api/v1/me/password', {}],
  'GET /api/v1/tokens': [ALL, '/api/v1/tokens'],
  'POST /api/v1/tokens': [ALL, '/api/v1/tokens', {}],
  'DELETE /api/v1/tokens/{id}': [ALL, `/api/v1/tokens/${NONE}`],
  'GET /api/v1/roles': [ALL, '/api/v1/roles'],
  'GET /api/v1/users': [['sysadmin', 'secadmin', 'unit_admin'], '/api/v1/users'],
  'POST /api/v1/users': [['sysadmin', 'unit_admin'], '/api/v1/users', {}],
  'GET /api/v1/users/{id}': [['sysadmin', 'secadmin', 'unit_admin'], `/api/v1/users/${NONE}`],
  'PATCH /api/v1/users/{id}': [['sysadmin', 'unit_admin'], `/api/v1/users/${NONE}`, {}],
  'POST /api/v1/users/{id}/lock': [['sysadmin', 'unit_admin'], `/api/v1/users/${NONE}/lock`],
  'POST /api/v1/users/{id}/unlock': [['sysadmin', 'unit_admin'], `/api/v1/users/${NONE}/unlock`],
  'POST /api/v1/users/{id}/password-reset': [['sysadmin', 'unit_admin'], `/api/v1/users/${NONE}/password-reset`],
  'PUT /api/v1/users/{id}/roles': [['secadmin'], `/api/v1/users/${NONE}/roles`, {}],
  'PUT /api/v1/users/{id}/permissions': [['secadmin'], `/api/v1/users/${NONE}/permissions`, {}],
  'GET /api/v1/users/{id}/personal-data': [['office', 'gateway'], `/api/v1/users/${NONE}/personal-data`], // demo.office and demo.gateway hold unmask_pii
  'GET /api/v1/units': [STAFF, '/api/v1/units'],
  'POST /api/v1/units': [['sysadmin'], '/api/v1/units', {}],
  'GET /api/v1/units/{id}': [STAFF, '/api/v1/units/500103'],
  'PATCH /api/v1/units/{id}': [['sysadmin'], `/api/v1/units/${NONE}`, {}],
  'GET /api/v1/audit': [['auditor'], '/api/v1/audit'],
  'GET /api/v1/security-policy': [['secadmin'], '/api/v1/security-policy'],
  'PUT /api/v1/security-policy': [['secadmin'], '/api/v1/security-policy', { colour: 1 }],
  'GET /api/v1/audit/verification': [['auditor'], '/api/v1/audit/verification'],
  'GET /api/v1/reports': [BUSINESS, '/api/v1/reports'],
  'POST /api/v1/reports': [REPORT_WRITERS, '/api/v1/reports', {}],
  'GET /api/v1/reports/review-queue': [['office', 'unit_admin'], '/api/v1/reports/review-queue'],
  'GET /api/v1/reports/export.xlsx': [BUSINESS, `/api/v1/reports/export.xlsx?unit=${NONE}`],
  'POST /api/v1/reports/import': [REPORT_WRITERS, '/api/v1/reports/import', {}], // a JSON body: 415
  'GET /api/v1/reports/{id}': [BUSINESS, `/api/v1/reports/${NONE}`],
  'PUT /api/v1/reports/{id}': [REPORT_WRITERS, `/api/v1/reports/${NONE}`, {}],
  'POST /api/v1/reports/{id}/review': [['office', 'unit_admin'], `/api/v1/reports/${NONE}/review`, {}],
  'GET /api/v1/reports/{id}/evidence/{name}': [BUSINESS, `/api/v1/reports/${NONE}/evidence/a.pdf`],
  'PUT /api/v1/reports/{id}/evidence/{name}': [REPORT_WRITERS, `/api/v1/reports/${NONE}/evidence/a.pdf`, {}],
  'DELETE /api/v1/reports/{id}/evidence/{name}': [REPORT_WRITERS, `/api/v1/reports/${NONE}/evidence/a.pdf`],
  'GET /api/v1/plans': [BUSINESS, '/api/v1/plans'],
  'POST /api/v1/plans/import': [['office'], '/api/v1/plans/import', {}],
  'GET /api/v1/plans/{code}': [BUSINESS, '/api/v1/plans/cq-2021-2025'],
  'PATCH /api/v1/plans/{code}': [['office'], '/api/v1/plans/no-such-plan', {}],
  'DELETE /api/v1/plans/{code}': [['office'], '/api/v1/plans/no-such-plan'],
  'POST /api/v1/plans/{code}/drafts': [['office'], '/api/v1/plans/no-such-plan/drafts', {}],
  'POST /api/v1/plans/{code}/publish': [['office'], '/api/v1/plans/no-such-plan/publish'],
  'GET /api/v1/plans/{code}/export.json': [BUSINESS, '/api/v1/plans/cq-2021-2025/export.json'],
  'GET /api/v1/plans/{code}/export.xlsx': [BUSINESS, '/api/v1/plans/cq-2021-2025/export.xlsx'],
  'GET /api/v1/plans/{code}/actions': [BUSINESS, '/api/v1/plans/cq-2021-2025/actions'],
  'POST /api/v1/plans/{code}/actions': [['office'], '/api/v1/plans/no-such-plan/actions', {}],
  'GET /api/v1/plans/{code}/actions/{no}': [BUSINESS, '/api/v1/plans/cq-2021-2025/actions/1'],
  'PATCH /api/v1/plans/{code}/actions/{no}': [['office'], '/api/v1/plans/no-such-plan/actions/1', {}],
  'DELETE /api/v1/plans/{code}/actions/{no}': [['office'], '/api/v1/plans/no-such-plan/actions/1'],
  'GET /api/v1/plans/{code}/tasks': [BUSINESS, '/api/v1/plans/cq-2021-2025/tasks'],
  'POST /api/v1/plans/{code}/tasks': [['office'], '/api/v1/plans/no-such-plan/tasks', {}],
  'POST /api/v1/plans/{code}/tasks/import': [['office'], '/api/v1/plans/no-such-plan/tasks/import', {}],
  'GET /api/v1/plans/{code}/tasks/{no}': [BUSINESS, '/api/v1/plans/cq-2021-2025/tasks/17'],
  'PATCH /api/v1/plans/{code}/tasks/{no}': [['office'], '/api/v1/plans/no-such-plan/tasks/1', {}],
  'DELETE /api/v1/plans/{code}/tasks/{no}': [['office'], '/api/v1/plans/no-such-plan/tasks/1'],
  'GET /api/v1/plans/{code}/obligations': [BUSINESS, '/api/v1/plans/cq-2021-2025/obligations'],
  'POST /api/v1/plans/{code}/obligations': [['office'], '/api/v1/plans/no-such-plan/obligations', {}],
  'GET /api/v1/plans/{code}/obligations/{key}': [BUSINESS, '/api/v1/plans/cq-2021-2025/obligations/t16-press-month'],
  'PATCH /api/v1/plans/{code}/obligations/{key}': [['office'], '/api/v1/plans/no-such-plan/obligations/x', {}],
  'DELETE /api/v1/plans/{code}/obligations/{key}': [['office'], '/api/v1/plans/no-such-plan/obligations/x'],
  'GET /api/v1/activity-kinds': [BUSINESS, '/api/v1/activity-kinds'],
  'GET /api/v1/notice-vocabulary': [BUSINESS, '/api/v1/notice-vocabulary'],
  'GET /api/v1/notices': [BUSINESS, '/api/v1/notices'],
  'POST /api/v1/notices': [['office'], '/api/v1/notices', {}],
  'GET /api/v1/notices/{id}': [BUSINESS, `/api/v1/notices/${NONE}`],
  'PATCH /api/v1/notices/{id}': [['office'], `/api/v1/notices/${NONE}`, {}],
  'DELETE /api/v1/notices/{id}': [['office'], `/api/v1/notices/${NONE}`],
  'POST /api/v1/notices/{id}/issue': [['office'], `/api/v1/notices/${NONE}/issue`, {}],
  'POST /api/v1/notices/{id}/sign': [['unit_admin', 'unit_reporter'], `/api/v1/notices/${NONE}/sign`, {}],
  'POST /api/v1/notices/{id}/answer': [['unit_admin', 'unit_reporter'], `/api/v1/notices/${NONE}/answer`, {}],
  'POST /api/v1/notices/{id}/review': [['office'], `/api/v1/notices/${NONE}/review`, {}],
  'POST /api/v1/notices/{id}/escalate': [['office'], `/api/v1/notices/${NONE}/escalate`, {}],
  'POST /api/v1/notices/{id}/urge': [['office'], `/api/v1/notices/${NONE}/urge`, {}],
  'POST /api/v1/notices/{id}/signoff-request': [['office'], `/api/v1/notices/${NONE}/signoff-request`, {}],
  'POST /api/v1/notices/{id}/signoff': [['leader'], `/api/v1/notices/${NONE}/signoff`, {}],
  'POST /api/v1/notices/{id}/signoff-return': [['leader'], `/api/v1/notices/${NONE}/signoff-return`, {}],
  'GET /api/v1/notices/{id}/evidence/{name}': [BUSINESS, `/api/v1/notices/${NONE}/evidence/a.pdf`],
  'PUT /api/v1/notices/{id}/evidence/{name}': [['unit_admin', 'unit_reporter'], `/api/v1/notices/${NONE}/evidence/a.pdf`, {}],
  'DELETE /api/v1/notices/{id}/evidence/{name}': [['unit_admin', 'unit_reporter'], `/api/v1/notices/${NONE}/evidence/a.pdf`],
  'GET /api/v1/inbox': [ALL, '/api/v1/inbox'],
  'POST /api/v1/inbox/{id}/done': [ALL, `/api/v1/inbox/${NONE}/done`],
  'POST /api/v1/inbox/read-all': [ALL, '/api/v1/inbox/read-all'],
  'POST /api/v1/outbox/claim': [['gateway'], '/api/v1/outbox/claim', { limit: 0 }],
  'POST /api/v1/outbox/{id}/result': [['gateway'], `/api/v1/outbox/${NONE}/result`, {}],
  // dead letters (webhook.test.mjs): an operator's task, the system administrator's
  'GET /api/v1/outbox/dead': [['sysadmin'], '/api/v1/outbox/dead'],
  'POST /api/v1/outbox/{id}/retry': [['sysadmin'], `/api/v1/outbox/${NONE}/retry`],
  'GET /api/v1/me/notification-prefs': [ALL, '/api/v1/me/notification-prefs'],
  'PUT /api/v1/me/notification-prefs': [ALL, '/api/v1/me/notification-prefs', { colour: 1 }],
  // signed QR codes (qr.test.mjs): everyone has an own code; the staff who run activities scan
  'GET /api/v1/qr/public-key': ['public', '/api/v1/qr/public-key'],
  'GET /api/v1/me/qr': [ALL, '/api/v1/me/qr'],
  'GET /api/v1/me/qr.png': [ALL, '/api/v1/me/qr.png'],
  'GET /api/v1/me/qr.svg': [ALL, '/api/v1/me/qr.svg'],
  'POST /api/v1/qr/scan': [REPORT_WRITERS, '/api/v1/qr/scan', { code: 'x' }],
  'POST /api/v1/qr/verify': [REPORT_WRITERS, '/api/v1/qr/verify', { code: 'x' }],
  'GET /api/v1/plans/{code}/compliance': [BUSINESS, '/api/v1/plans/cq-2021-2025/compliance?obligation=t17-press-district'],
  'GET /api/v1/plans/{code}/compliance/summary': [BUSINESS, '/api/v1/plans/cq-2021-2025/compliance/summary'],
  'GET /api/v1/units/{id}/obligations-due': [BUSINESS, '/api/v1/units/500103/obligations-due'],
  'GET /api/v1/calendar-feeds': [ALL, '/api/v1/calendar-feeds'], // one's own feeds, even after losing the roles that made them
  'POST /api/v1/calendar-feeds': [BUSINESS, '/api/v1/calendar-feeds', { plan: 'no-such-plan' }],
  'DELETE /api/v1/calendar-feeds/{id}': [ALL, `/api/v1/calendar-feeds/${NONE}`],
  'GET /api/v1/calendar/{file}': ['public', '/api/v1/calendar/unknown.ics'],
  // the joint meeting (meeting.test.mjs): the office plans, unit staff act for their unit, all business roles read
  'GET /api/v1/meeting-members': [BUSINESS, '/api/v1/meeting-members'],
  'POST /api/v1/meeting-members': [['office'], '/api/v1/meeting-members', {}],
  'PATCH /api/v1/meeting-members/{id}': [['office'], `/api/v1/meeting-members/${NONE}`, {}],
  'GET /api/v1/meetings': [BUSINESS, '/api/v1/meetings'],
  'POST /api/v1/meetings': [['office'], '/api/v1/meetings', {}],
  'GET /api/v1/meetings/{id}': [BUSINESS, `/api/v1/meetings/${NONE}`],
  'PATCH /api/v1/meetings/{id}': [['office'], `/api/v1/meetings/${NONE}`, {}],
  'POST /api/v1/meetings/{id}/notice': [REPORT_WRITERS, `/api/v1/meetings/${NONE}/notice`, {}],
  'POST /api/v1/meetings/{id}/receipts': [REPORT_WRITERS, `/api/v1/meetings/${NONE}/receipts`, {}],
  'GET /api/v1/meetings/{id}/topics': [BUSINESS, `/api/v1/meetings/${NONE}/topics`],
  'POST /api/v1/meetings/{id}/topics': [REPORT_WRITERS, `/api/v1/meetings/${NONE}/topics`, {}],
  'POST /api/v1/meetings/{id}/topics/{tid}/selection': [REPORT_WRITERS, `/api/v1/meetings/${NONE}/topics/1/selection`, {}],
  'GET /api/v1/meetings/{id}/topics/{tid}/attachments/{name}': [BUSINESS, `/api/v1/meetings/${NONE}/topics/1/attachments/a.pdf`],
  'PUT /api/v1/meetings/{id}/topics/{tid}/attachments/{name}': [REPORT_WRITERS, `/api/v1/meetings/${NONE}/topics/1/attachments/a.pdf`, {}],
  'POST /api/v1/meetings/{id}/agenda': [REPORT_WRITERS, `/api/v1/meetings/${NONE}/agenda`, {}],
  'POST /api/v1/meetings/{id}/held': [REPORT_WRITERS, `/api/v1/meetings/${NONE}/held`, {}],
  'POST /api/v1/meetings/{id}/minutes': [REPORT_WRITERS, `/api/v1/meetings/${NONE}/minutes`, {}],
  'POST /api/v1/meetings/{id}/countersigns': [REPORT_WRITERS, `/api/v1/meetings/${NONE}/countersigns`, {}],
  'POST /api/v1/meetings/{id}/minutes/issue': [REPORT_WRITERS, `/api/v1/meetings/${NONE}/minutes/issue`, {}],
  'GET /api/v1/meetings/{id}/documents/{file}': [BUSINESS, `/api/v1/meetings/${NONE}/documents/notice.pdf`],
  'GET /api/v1/follow-ups': [BUSINESS, '/api/v1/follow-ups'],
  'GET /api/v1/follow-ups/{id}': [BUSINESS, `/api/v1/follow-ups/${NONE}`],
  'PATCH /api/v1/follow-ups/{id}': [REPORT_WRITERS, `/api/v1/follow-ups/${NONE}`, {}],
  'GET /api/v1/meeting-vocabulary': [BUSINESS, '/api/v1/meeting-vocabulary'],
  'GET /api/v1/meeting-deadlines': [['office'], '/api/v1/meeting-deadlines?date=2030-06-20'],
  'GET /api/v1/calendars': [BUSINESS, '/api/v1/calendars'],
  'GET /api/v1/calendars/{year}': [BUSINESS, '/api/v1/calendars/2025'],
  'PUT /api/v1/calendars/{year}': [['office'], '/api/v1/calendars/2021', {}], // a past year: 422
  'POST /api/v1/meeting-reminders': [['office'], '/api/v1/meeting-reminders', {}],
  // the annual evaluation (evaluate.test.mjs): business roles read (unit roles their own unit), the evaluator scores, the office edits and publishes
  'GET /api/v1/plans/{code}/evaluations': [BUSINESS, '/api/v1/plans/cq-2021-2025/evaluations'],
  'GET /api/v1/plans/{code}/evaluations/final': [BUSINESS, '/api/v1/plans/no-such-plan/evaluations/final'],
  'GET /api/v1/plans/{code}/evaluations/final.xlsx': [BUSINESS, '/api/v1/plans/no-such-plan/evaluations/final.xlsx'],
  'GET /api/v1/plans/{code}/evaluations/{year}': [BUSINESS, '/api/v1/plans/cq-2021-2025/evaluations/2030'],
  'GET /api/v1/plans/{code}/evaluations/{year}/units/{unit}': [BUSINESS, '/api/v1/plans/cq-2021-2025/evaluations/2030/units/500103'],
  'PUT /api/v1/plans/{code}/evaluations/{year}/scores/{unit}': [['evaluator'], '/api/v1/plans/cq-2021-2025/evaluations/2023/scores/500103', {}],
  'GET /api/v1/plans/{code}/evaluations/{year}/progress': [['evaluator'], '/api/v1/plans/cq-2021-2025/evaluations/2030/progress'],
  'GET /api/v1/plans/{code}/evaluations/{year}/scores-template.xlsx': [['evaluator'], '/api/v1/plans/cq-2021-2025/evaluations/2030/scores-template.xlsx'],
  'POST /api/v1/plans/{code}/evaluations/{year}/scores/import': [['evaluator'], '/api/v1/plans/cq-2021-2025/evaluations/2030/scores/import', {}],
  'GET /api/v1/plans/{code}/evaluations/{year}/signoff': [BUSINESS, '/api/v1/plans/cq-2021-2025/evaluations/2030/signoff'],
  'POST /api/v1/plans/{code}/evaluations/{year}/signoff/request': [['office'], '/api/v1/plans/no-such-plan/evaluations/2023/signoff/request'],
  'POST /api/v1/plans/{code}/evaluations/{year}/signoff/approve': [['leader'], '/api/v1/plans/no-such-plan/evaluations/2023/signoff/approve', {}],
  'POST /api/v1/plans/{code}/evaluations/{year}/signoff/return': [['leader'], '/api/v1/plans/no-such-plan/evaluations/2023/signoff/return', {}],
  'GET /api/v1/evaluation-settings': [BUSINESS, '/api/v1/evaluation-settings'],
  'PUT /api/v1/evaluation-settings': [['office'], '/api/v1/evaluation-settings', {}],
  'POST /api/v1/plans/{code}/evaluations/{year}/publish': [['office'], '/api/v1/plans/no-such-plan/evaluations/2023/publish'],
  'GET /api/v1/plans/{code}/rubric': [BUSINESS, '/api/v1/plans/cq-2021-2025/rubric'],
  'PUT /api/v1/plans/{code}/rubric': [['office'], '/api/v1/plans/cq-2021-2025/rubric', {}],
  'POST /api/v1/notices/drafts-from-red': [['office'], '/api/v1/notices/drafts-from-red', { max: 0 }],
  // SMS to a phone number with no official's account (a citizen's one-time code)
  'POST /api/v1/outbox/direct/claim': [['gateway'], '/api/v1/outbox/direct/claim', { limit: 0 }],
  'POST /api/v1/outbox/direct/{id}/result': [['gateway'], `/api/v1/outbox/direct/${NONE}/result`, {}],
  // public accounts (citizen.test.mjs): a citizen's session reaches only these, no official's does;
  // sensitive steps get a password of the wrong type (400), so no failure is counted
  'GET /api/v1/citizen/privacy': ['public', '/api/v1/citizen/privacy'],
  'POST /api/v1/citizen/otp': ['public', '/api/v1/citizen/otp', {}],
  'POST /api/v1/citizen/register': ['public', '/api/v1/citizen/register', {}],
  'POST /api/v1/citizen/session': ['public', '/api/v1/citizen/session', {}],
  'POST /api/v1/citizen/password-reset': ['public', '/api/v1/citizen/password-reset', {}],
  'DELETE /api/v1/citizen/session': [CITIZEN, null], // tried last, separately
  'GET /api/v1/citizen/me': [CITIZEN, '/api/v1/citizen/me'],
  'GET /api/v1/citizen/me/qr': [CITIZEN, '/api/v1/citizen/me/qr'],
  'GET /api/v1/citizen/me/qr.png': [CITIZEN, '/api/v1/citizen/me/qr.png'],
  'GET /api/v1/citizen/me/qr.svg': [CITIZEN, '/api/v1/citizen/me/qr.svg'],
  'PATCH /api/v1/citizen/me': [CITIZEN, '/api/v1/citizen/me', { nickname: 1 }],
  'DELETE /api/v1/citizen/me': [CITIZEN, '/api/v1/citizen/me', { password: 1 }],
  'POST /api/v1/citizen/me/export': [CITIZEN, '/api/v1/citizen/me/export', { password: 1 }],
  'POST /api/v1/citizen/me/phone': [CITIZEN, '/api/v1/citizen/me/phone', { password: 1 }],
  'POST /api/v1/citizen/me/password': [CITIZEN, '/api/v1/citizen/me/password', { password: 1 }],
  'POST /api/v1/citizen/me/realname': [CITIZEN, '/api/v1/citizen/me/realname', {}],
  'POST /api/v1/citizen/me/guardian': [CITIZEN, '/api/v1/citizen/me/guardian', {}],
  'POST /api/v1/citizen/me/consents/{kind}/withdraw': [CITIZEN, '/api/v1/citizen/me/consents/none/withdraw'],
  'POST /api/v1/citizen/wards/{id}/consent': [CITIZEN, `/api/v1/citizen/wards/${NONE}/consent`, {}],
  'POST /api/v1/citizen/wards/{id}/withdraw': [CITIZEN, `/api/v1/citizen/wards/${NONE}/withdraw`],
  'GET /api/v1/citizen/inbox': [CITIZEN, '/api/v1/citizen/inbox'],
  'POST /api/v1/citizen/inbox/{id}/read': [CITIZEN, `/api/v1/citizen/inbox/${NONE}/read`],
  'POST /api/v1/citizen/orgs': [CITIZEN, '/api/v1/citizen/orgs', {}],
  'GET /api/v1/citizen/orgs': [CITIZEN, '/api/v1/citizen/orgs'],
  'POST /api/v1/citizen/orgs/{id}/members': [CITIZEN, `/api/v1/citizen/orgs/${NONE}/members`, {}],
  'GET /api/v1/citizen/org-options': [CITIZEN, '/api/v1/citizen/org-options'],
  'GET /api/v1/citizen/orgs/{id}': [CITIZEN, `/api/v1/citizen/orgs/${NONE}`],
  'PUT /api/v1/citizen/orgs/{id}': [CITIZEN, `/api/v1/citizen/orgs/${NONE}`, {}],
  // green points (green.test.mjs): the office manages the catalogue, versions, channels and corrections; a citizen reads only its own
  // account; ingest takes a channel credential only (no session or role reaches it: 401)
  'GET /api/v1/green/behaviours': [['office'], '/api/v1/green/behaviours'],
  'GET /api/v1/green/versions': [['office'], '/api/v1/green/versions'],
  'GET /api/v1/green/versions/{id}': [['office'], `/api/v1/green/versions/${NONE}`],
  'POST /api/v1/green/versions': [['office'], '/api/v1/green/versions', {}],
  'POST /api/v1/green/versions/{id}/publish': [['office'], `/api/v1/green/versions/${NONE}/publish`],
  'GET /api/v1/green/channels': [['office'], '/api/v1/green/channels'],
  'POST /api/v1/green/channels': [['office'], '/api/v1/green/channels', {}],
  'POST /api/v1/green/channels/{id}/revoke': [['office'], `/api/v1/green/channels/${NONE}/revoke`],
  'POST /api/v1/green/entries/{id}/reverse': [['office'], `/api/v1/green/entries/${NONE}/reverse`, {}],
  'POST /api/v1/green/ingest': ['channel', '/api/v1/green/ingest', {}],
  'GET /api/v1/citizen/green': [CITIZEN, '/api/v1/citizen/green'],
  'GET /api/v1/citizen/green/entries': [CITIZEN, '/api/v1/citizen/green/entries'],
  // public-opinion rules (opinion.test.mjs): the office only
  'GET /api/v1/opinion/rules': [['office'], '/api/v1/opinion/rules'],
  'POST /api/v1/opinion/rules': [['office'], '/api/v1/opinion/rules', {}],
  'GET /api/v1/opinion/rules/{id}': [['office'], `/api/v1/opinion/rules/${NONE}`],
  'PUT /api/v1/opinion/rules/{id}': [['office'], `/api/v1/opinion/rules/${NONE}`, {}],
  'POST /api/v1/opinion/rules/{id}/publish': [['office'], `/api/v1/opinion/rules/${NONE}/publish`],
  'POST /api/v1/opinion/rules/{id}/retire': [['office'], `/api/v1/opinion/rules/${NONE}/retire`],
  'POST /api/v1/opinion/rules/{id}/examples': [['office'], `/api/v1/opinion/rules/${NONE}/examples`, {}],
  'DELETE /api/v1/opinion/rules/{id}/examples/{eid}': [['office'], `/api/v1/opinion/rules/${NONE}/examples/${NONE}`],
  'POST /api/v1/opinion/bench': [['office'], '/api/v1/opinion/bench', {}],
  // public-opinion items (opinion-items.test.mjs): the office; the vendor's ingest takes a channel credential only
  'GET /api/v1/opinion/channels': [['office'], '/api/v1/opinion/channels'],
  'POST /api/v1/opinion/channels': [['office'], '/api/v1/opinion/channels', {}],
  'POST /api/v1/opinion/channels/{id}/revoke': [['office'], `/api/v1/opinion/channels/${NONE}/revoke`],
  'POST /api/v1/opinion/ingest': ['channel', '/api/v1/opinion/ingest', {}],
  'GET /api/v1/opinion/items': [['office'], '/api/v1/opinion/items'],
  'POST /api/v1/opinion/items': [['office'], '/api/v1/opinion/items', {}],
  'GET /api/v1/opinion/items/{id}': [['office'], `/api/v1/opinion/items/${NONE}`],
  'GET /api/v1/opinion/events': [['office'], '/api/v1/opinion/events'],
  'GET /api/v1/opinion/places': [['office'], '/api/v1/opinion/places'],
  'POST /api/v1/opinion/places': [['office'], '/api/v1/opinion/places', {}],
  'DELETE /api/v1/opinion/places/{id}': [['office'], `/api/v1/opinion/places/${NONE}`],
  // handling: the office assesses, assigns and closes; the assigned unit's accounts respond and release; 市委宣传部's sign off (opinion_handle)
  'POST /api/v1/opinion/items/{id}/assess': [['office'], `/api/v1/opinion/items/${NONE}/assess`, {}],
  'POST /api/v1/opinion/items/{id}/assign': [['office'], `/api/v1/opinion/items/${NONE}/assign`, {}],
  'POST /api/v1/opinion/items/{id}/respond': [['unit_admin', 'unit_reporter'], `/api/v1/opinion/items/${NONE}/respond`, {}],
  'POST /api/v1/opinion/items/{id}/signoff': [['unit_admin', 'unit_reporter'], `/api/v1/opinion/items/${NONE}/signoff`],
  'POST /api/v1/opinion/items/{id}/release': [['unit_admin', 'unit_reporter'], `/api/v1/opinion/items/${NONE}/release`],
  'POST /api/v1/opinion/items/{id}/close': [['office'], `/api/v1/opinion/items/${NONE}/close`],
  'GET /api/v1/opinion/settings': [['office'], '/api/v1/opinion/settings'],
  'PUT /api/v1/opinion/settings': [['office'], '/api/v1/opinion/settings', {}],
  // surveys (survey.test.mjs): the office manages questionnaires and waves; a citizen answers only its own response
  'GET /api/v1/survey/questionnaires': [['office'], '/api/v1/survey/questionnaires'],
  'GET /api/v1/survey/questionnaires/{id}': [['office'], `/api/v1/survey/questionnaires/${NONE}`],
  'POST /api/v1/survey/questionnaires': [['office'], '/api/v1/survey/questionnaires', {}],
  'POST /api/v1/survey/questionnaires/{id}/publish': [['office'], `/api/v1/survey/questionnaires/${NONE}/publish`],
  'POST /api/v1/survey/questionnaires/{id}/close': [['office'], `/api/v1/survey/questionnaires/${NONE}/close`],
  'GET /api/v1/survey/waves': [['office'], '/api/v1/survey/waves'],
  'GET /api/v1/survey/waves/{id}': [['office'], `/api/v1/survey/waves/${NONE}`],
  'POST /api/v1/survey/waves': [['office'], '/api/v1/survey/waves', {}],
  'POST /api/v1/survey/waves/{id}/close': [['office'], `/api/v1/survey/waves/${NONE}/close`],
  'GET /api/v1/survey/margins': [['office'], '/api/v1/survey/margins'],
  'PUT /api/v1/survey/margins': [['office'], '/api/v1/survey/margins', {}],
  'GET /api/v1/survey/waves/{id}/analysis': [['office'], `/api/v1/survey/waves/${NONE}/analysis`],
  'GET /api/v1/citizen/surveys': [CITIZEN, '/api/v1/citizen/surveys'],
  'GET /api/v1/citizen/surveys/{id}': [CITIZEN, `/api/v1/citizen/surveys/${NONE}`],
  'PUT /api/v1/citizen/surveys/{id}/response': [CITIZEN, `/api/v1/citizen/surveys/${NONE}/response`, {}],
  'POST /api/v1/citizen/surveys/{id}/submit': [CITIZEN, `/api/v1/citizen/surveys/${NONE}/submit`, {}],
  // organisations as officials see them: read by business roles (unit roles their own unit's), reviewed by the office and unit admins
  'GET /api/v1/orgs': [ORG_READERS, '/api/v1/orgs'],
  'GET /api/v1/orgs/export.xlsx': [ORG_READERS, '/api/v1/orgs/export.xlsx'],
  'GET /api/v1/orgs/{id}': [ORG_READERS, `/api/v1/orgs/${NONE}`],
  'POST /api/v1/orgs/{id}/review': [['office', 'unit_admin'], `/api/v1/orgs/${NONE}/review`, {}],
  'GET /api/v1/orgs/{id}/members/{cid}/personal-data': [['office'], `/api/v1/orgs/${NONE}/members/${NONE}/personal-data`], // demo.office holds unmask_pii
  // -- the .xlsx exports of lists and the import template (issue 19, audit helper); a unit that does not exist: 422 --
  'GET /api/v1/audit/export.xlsx': [['auditor'], `/api/v1/audit/export.xlsx?unit=${NONE}`],
  'GET /api/v1/users/export.xlsx': [['sysadmin', 'secadmin', 'unit_admin'], `/api/v1/users/export.xlsx?unit=${NONE}`],
  'GET /api/v1/units/export.xlsx': [STAFF, `/api/v1/units/export.xlsx?parent=${NONE}`],
  'GET /api/v1/notices/export.xlsx': [BUSINESS, `/api/v1/notices/export.xlsx?unit=${NONE}`],
  'GET /api/v1/notices/open-for-item': [BUSINESS, `/api/v1/notices/open-for-item?unit=${NONE}`],
  'GET /api/v1/plans/{code}/compliance/export.xlsx': [BUSINESS, `/api/v1/plans/cq-2021-2025/compliance/export.xlsx?unit=${NONE}`],
  'GET /api/v1/plans/{code}/compliance/export.csv': [BUSINESS, `/api/v1/plans/cq-2021-2025/compliance/export.csv?unit=${NONE}`],
  'GET /api/v1/plans/{code}/compliance/units.xlsx': [BUSINESS, `/api/v1/plans/cq-2021-2025/compliance/units.xlsx?unit=${NONE}`],
  'GET /api/v1/reports/import-template.xlsx': [REPORT_WRITERS, '/api/v1/reports/import-template.xlsx'],
  // -- end of the .xlsx exports --
  // the report form's check before filing (issue 19, ux): report writers; unit roles their own unit (another's: api/work-filing.test.mjs)
  'GET /api/v1/units/{id}/filing-check': [REPORT_WRITERS, '/api/v1/units/500103/filing-check?activity_date=2024-11-20&kind=press_conference'],
  // issue 19 §6 and §8 (lists.test.mjs, print.test.mjs): batch work and printable documents
  'POST /api/v1/reports/review-batch': [['office', 'unit_admin'], '/api/v1/reports/review-batch', { ids: [NONE], decision: 'accept' }],
  'POST /api/v1/notices/issue-batch': [['office'], '/api/v1/notices/issue-batch', { ids: [NONE] }],
  'GET /api/v1/notices/{id}/document.pdf': [BUSINESS, `/api/v1/notices/${NONE}/document.pdf`],
  'GET /api/v1/notices/{id}/document.html': [BUSINESS, `/api/v1/notices/${NONE}/document.html`],
  'GET /api/v1/notice-settings': [BUSINESS, '/api/v1/notice-settings'],
  'PUT /api/v1/notice-settings': [['office'], '/api/v1/notice-settings', { doc_prefix: '' }],
  'GET /api/v1/reports/{id}/document.pdf': [BUSINESS, `/api/v1/reports/${NONE}/document.pdf`],
  'GET /api/v1/reports/{id}/document.html': [BUSINESS, `/api/v1/reports/${NONE}/document.html`],
  'GET /api/v1/plans/{code}/evaluations/{year}/units/{unit}/scorecard.pdf': [BUSINESS, '/api/v1/plans/cq-2021-2025/evaluations/2030/units/500103/scorecard.pdf'],
  'GET /api/v1/plans/{code}/evaluations/{year}/units/{unit}/scorecard.html': [BUSINESS, '/api/v1/plans/cq-2021-2025/evaluations/2030/units/500103/scorecard.html'],
  // volunteers (issue 13 §1-§3): citizens on the portal; officials (office, unit_admin) review 市级总队 and their activities
  'GET /api/v1/citizen/vol/options': [CITIZEN, '/api/v1/citizen/vol/options'],
  'POST /api/v1/citizen/vol/me': [CITIZEN, '/api/v1/citizen/vol/me', { skills: 1 }],
  'PUT /api/v1/citizen/vol/me': [CITIZEN, '/api/v1/citizen/vol/me', { skills: 1 }],
  'GET /api/v1/citizen/vol/me': [CITIZEN, '/api/v1/citizen/vol/me'],
  'GET /api/v1/citizen/vol/me/signups': [CITIZEN, '/api/v1/citizen/vol/me/signups'],
  'POST /api/v1/citizen/vol/teams': [CITIZEN, '/api/v1/citizen/vol/teams', {}],
  'GET /api/v1/citizen/vol/teams': [CITIZEN, '/api/v1/citizen/vol/teams'],
  'GET /api/v1/citizen/vol/teams/{id}': [CITIZEN, `/api/v1/citizen/vol/teams/${NONE}`],
  'POST /api/v1/citizen/vol/teams/{id}/review': [CITIZEN, `/api/v1/citizen/vol/teams/${NONE}/review`, {}],
  'POST /api/v1/citizen/vol/teams/{id}/move': [CITIZEN, `/api/v1/citizen/vol/teams/${NONE}/move`, {}],
  'POST /api/v1/citizen/vol/teams/{id}/admins': [CITIZEN, `/api/v1/citizen/vol/teams/${NONE}/admins`, {}],
  'POST /api/v1/citizen/vol/teams/{id}/join': [CITIZEN, `/api/v1/citizen/vol/teams/${NONE}/join`, {}],
  'POST /api/v1/citizen/vol/teams/{id}/members/{cid}/decide': [CITIZEN, `/api/v1/citizen/vol/teams/${NONE}/members/${NONE}/decide`, {}],
  'POST /api/v1/citizen/vol/teams/{id}/projects': [CITIZEN, `/api/v1/citizen/vol/teams/${NONE}/projects`, {}],
  'POST /api/v1/citizen/vol/projects/{id}/activities': [CITIZEN, `/api/v1/citizen/vol/projects/${NONE}/activities`, {}],
  'GET /api/v1/citizen/vol/activities': [CITIZEN, '/api/v1/citizen/vol/activities'],
  'GET /api/v1/citizen/vol/activities/{id}': [CITIZEN, `/api/v1/citizen/vol/activities/${NONE}`],
  'POST /api/v1/citizen/vol/activities/{id}/steps': [CITIZEN, `/api/v1/citizen/vol/activities/${NONE}/steps`, {}],
  'POST /api/v1/citizen/vol/shifts/{id}/signup': [CITIZEN, `/api/v1/citizen/vol/shifts/${NONE}/signup`, {}],
  'POST /api/v1/citizen/vol/shifts/{id}/group': [CITIZEN, `/api/v1/citizen/vol/shifts/${NONE}/group`, {}],
  'POST /api/v1/citizen/vol/shifts/{id}/cancel': [CITIZEN, `/api/v1/citizen/vol/shifts/${NONE}/cancel`, {}],
  'POST /api/v1/citizen/vol/shifts/{id}/confirm': [CITIZEN, `/api/v1/citizen/vol/shifts/${NONE}/confirm`, {}],
  'POST /api/v1/citizen/vol/shifts/{id}/absent': [CITIZEN, `/api/v1/citizen/vol/shifts/${NONE}/absent`, {}],
  'GET /api/v1/citizen/vol/shifts/{id}/waitlist': [CITIZEN, `/api/v1/citizen/vol/shifts/${NONE}/waitlist`],
  'GET /api/v1/vol/teams': [['office', 'unit_admin'], '/api/v1/vol/teams'],
  'GET /api/v1/vol/teams/{id}': [['office', 'unit_admin'], `/api/v1/vol/teams/${NONE}`],
  'POST /api/v1/vol/teams/{id}/review': [['office', 'unit_admin'], `/api/v1/vol/teams/${NONE}/review`, {}],
  'GET /api/v1/vol/activities': [['office', 'unit_admin'], '/api/v1/vol/activities'],
  'GET /api/v1/vol/activities/{id}': [['office', 'unit_admin'], `/api/v1/vol/activities/${NONE}`],
  'POST /api/v1/vol/activities/{id}/review': [['office', 'unit_admin'], `/api/v1/vol/activities/${NONE}/review`, {}],
  // facilities open to the public (issue 15 §1-§5, facility.test.mjs): citizens and operators on the portal; officials (office, unit_admin) review the registry
  'GET /api/v1/citizen/fac/options': [CITIZEN, '/api/v1/citizen/fac/options'],
  'GET /api/v1/citizen/fac/facilities': [CITIZEN, '/api/v1/citizen/fac/facilities'],
  'POST /api/v1/citizen/fac/facilities': [CITIZEN, '/api/v1/citizen/fac/facilities', {}],
  'GET /api/v1/citizen/fac/operated': [CITIZEN, '/api/v1/citizen/fac/operated'],
  'GET /api/v1/citizen/fac/facilities/{id}': [CITIZEN, `/api/v1/citizen/fac/facilities/${NONE}`],
  'PUT /api/v1/citizen/fac/facilities/{id}': [CITIZEN, `/api/v1/citizen/fac/facilities/${NONE}`, {}],
  'POST /api/v1/citizen/fac/facilities/{id}/sessions': [CITIZEN, `/api/v1/citizen/fac/facilities/${NONE}/sessions`, {}],
  'GET /api/v1/citizen/fac/sessions/{id}': [CITIZEN, `/api/v1/citizen/fac/sessions/${NONE}`],
  'GET /api/v1/citizen/fac/sessions/{id}/roster': [CITIZEN, `/api/v1/citizen/fac/sessions/${NONE}/roster`],
  'POST /api/v1/citizen/fac/sessions/{id}/cancel': [CITIZEN, `/api/v1/citizen/fac/sessions/${NONE}/cancel`, {}],
  'POST /api/v1/citizen/fac/sessions/{id}/held': [CITIZEN, `/api/v1/citizen/fac/sessions/${NONE}/held`, {}],
  'POST /api/v1/citizen/fac/sessions/{id}/checkin': [CITIZEN, `/api/v1/citizen/fac/sessions/${NONE}/checkin`, {}],
  'POST /api/v1/citizen/fac/sessions/{id}/walkin': [CITIZEN, `/api/v1/citizen/fac/sessions/${NONE}/walkin`, {}],
  'POST /api/v1/citizen/fac/sessions/{id}/leave': [CITIZEN, `/api/v1/citizen/fac/sessions/${NONE}/leave`, {}],
  'POST /api/v1/citizen/fac/sessions/{id}/book': [CITIZEN, `/api/v1/citizen/fac/sessions/${NONE}/book`, {}],
  'GET /api/v1/citizen/fac/bookings': [CITIZEN, '/api/v1/citizen/fac/bookings'],
  'GET /api/v1/citizen/fac/bookings/{id}/qr': [CITIZEN, `/api/v1/citizen/fac/bookings/${NONE}/qr`],
  'POST /api/v1/citizen/fac/bookings/{id}/cancel': [CITIZEN, `/api/v1/citizen/fac/bookings/${NONE}/cancel`, {}],
  'POST /api/v1/citizen/fac/bookings/{id}/confirm': [CITIZEN, `/api/v1/citizen/fac/bookings/${NONE}/confirm`, {}],
  'POST /api/v1/citizen/fac/bookings/{id}/feedback': [CITIZEN, `/api/v1/citizen/fac/bookings/${NONE}/feedback`, {}],
  'GET /api/v1/fac/facilities': [['office', 'unit_admin'], '/api/v1/fac/facilities'],
  'GET /api/v1/fac/facilities/{id}': [['office', 'unit_admin'], `/api/v1/fac/facilities/${NONE}`],
  'POST /api/v1/fac/facilities/{id}/review': [['office', 'unit_admin'], `/api/v1/fac/facilities/${NONE}/review`, {}],
  'GET /api/v1/fac/lights': [['office', 'unit_admin'], '/api/v1/fac/lights'],
  'GET /api/v1/fac/key-dates': [['office', 'unit_admin'], '/api/v1/fac/key-dates'],
};
export { ALL, BUSINESS };

let srv;
const clients = {};
before(async () => {
  srv = await startServer({ name: 'roles' });
  for (const [role, user] of Object.entries(accounts)) clients[role] = await srv.login(user);
  clients.citizen = await citizenLogin();
});

async function citizenLogin() {
  const c = srv.client();
  const r = await c.post('/api/v1/citizen/session', { phone: '13700137005', password: 'Ecoact-Demo-2025' });
  assert.equal(r.status, 200, r.text);
  return c;
}
after(async () => { await srv.stop(); });

test('the matrix lists every route the binary serves', () => {
  const routes = execFileSync(BIN, ['routes'], { encoding: 'utf8' }).trim().split('\n');
  const missing = routes.filter(r => !(r in MATRIX));
  assert.deepEqual(missing, [], `add these routes to the matrix in tests/api/roles.test.mjs: ${missing.join(', ')}`);
});

test('each role gets exactly what it may on every route', async () => {
  const wrong = [];
  for (const [key, [allow, path, body]] of Object.entries(MATRIX)) {
    if (!path) continue;
    const method = key.split(' ')[0];
    const anon = await srv.client().req(method, path, body !== undefined ? { json: body } : {});
    if (allow === 'channel') { // a partner's channel credential only: everyone else 401
      for (const role of [...ALL, 'citizen']) {
        const r = await clients[role].req(method, path, body !== undefined ? { json: body } : {});
        if (r.status !== 401) wrong.push(`${key} ${role} got ${r.status}, want 401`);
      }
      if (anon.status !== 401) wrong.push(`${key} anonymous got ${anon.status}, want 401`);
      continue;
    }
    if (allow === 'public') { if (anon.status === 401 || anon.status === 403) wrong.push(`${key} anonymous got ${anon.status}`); continue; }
    if (anon.status !== 401) wrong.push(`${key} anonymous got ${anon.status}, want 401`);
    for (const role of [...ALL, 'citizen']) {
      const r = await clients[role].req(method, path, body !== undefined ? { json: body } : {});
      const may = allow.includes(role);
      if (may && (r.status === 401 || r.status === 403)) wrong.push(`${key} ${role} got ${r.status}: ${r.text}`);
      if (!may && r.status !== 403) wrong.push(`${key} ${role} got ${r.status}, want 403`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('every denied request leaves an audit row', async () => {
  // counted from the newest denial before: the matrix above leaves more than a page of them
  const top = (await clients.auditor.get('/api/v1/audit?result=denied&limit=1')).json.items[0].id;
  await clients.unit_reporter.get('/api/v1/users');
  await clients.office.post('/api/v1/units', {});
  const after = (await clients.auditor.get('/api/v1/audit?result=denied&limit=10')).json.items.filter(i => i.id > top);
  assert.equal(after.length, 2);
  assert.equal(after[0].username, 'demo.office');
  assert.equal(after[0].action, 'request.denied');
  assert.equal(after[0].object, 'POST /api/v1/units');
});

test('every role may log out', async () => {
  for (const role of ALL) {
    const c = await srv.login(accounts[role]);
    assert.equal((await c.del('/api/v1/session')).status, 200, role);
  }
});

test('a citizen logs out of the public session only; an official cannot use the public log-out', async () => {
  const c = await citizenLogin();
  assert.equal((await c.del('/api/v1/session')).status, 403, 'the officials\' log-out is no public route');
  assert.equal((await clients.office.del('/api/v1/citizen/session')).status, 403);
  assert.equal((await c.del('/api/v1/citizen/session')).status, 200);
  assert.equal((await c.get('/api/v1/citizen/me')).status, 401);
});
