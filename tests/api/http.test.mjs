// http.test.mjs - the HTTP layer as a client sees it: error envelope and statuses, limits,
// security headers, health and metrics (on --metrics-listen), idempotent retries, static files without traversal.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { startServer, assertError, freePort } from './lib.mjs';

let srv, admin, opsBase;
before(async () => {
  // a tiny console to serve, beside a file that must never be served
  const top = mkdtempSync(join(tmpdir(), 'ecoact-web-'));
  const web = join(top, 'web');
  mkdirSync(join(web, 'assets'), { recursive: true });
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>ecoact</title>');
  writeFileSync(join(web, 'assets', 'app-abc123.js'), 'console.log(1)');
  mkdirSync(join(web, 'm'));
  writeFileSync(join(web, 'm', 'index.html'), '<!doctype html><title>portal</title>');
  writeFileSync(join(top, 'secret.txt'), 'do not serve');
  const ops = await freePort();
  opsBase = `http://127.0.0.1:${ops}`;
  srv = await startServer({ name: 'http', args: ['--web', web, '--metrics-listen', `127.0.0.1:${ops}`] });
  admin = await srv.login('demo.sysadmin');
});
after(async () => { await srv.stop(); });

test('unknown API route: 404 with the JSON envelope and a request id', async () => {
  const r = await srv.client().get('/api/v1/nothing-here');
  assertError(r, 404, 'not_found');
  assert.equal(r.headers.get('x-request-id'), r.json.error.request_id);
});

test('wrong method: 405 with Allow', async () => {
  const r = await admin.req('PUT', '/api/v1/units');
  assertError(r, 405, 'method_not_allowed');
  assert.match(r.headers.get('allow'), /GET/);
  assert.match(r.headers.get('allow'), /POST/);
});

test('a JSON route refuses another content type (415) and changes nothing', async () => {
  const r = await admin.req('POST', '/api/v1/units', { body: 'name=x', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assertError(r, 415, 'unsupported_media_type');
});

test('a body over 1 MiB is refused with 413 (by the connection guard, before it is read)', async () => {
  const big = JSON.stringify({ name: 'x'.repeat(1100 * 1024), tier: 'group' });
  const r = await admin.req('POST', '/api/v1/units', { body: big, headers: { 'Content-Type': 'application/json' } });
  assertError(r, 413, 'too_large');
});

test('malformed JSON, wrong types, unknown fields and deep nesting are 400 naming the problem', async () => {
  const bad = await admin.req('POST', '/api/v1/units', { body: '{"name": ', headers: { 'Content-Type': 'application/json' } });
  assertError(bad, 400, 'bad_request');
  assert.match(bad.json.error.message, /JSON/);
  assertError(await admin.post('/api/v1/units', { name: 5, tier: 'group' }), 400, 'bad_request', 'name');
  assertError(await admin.post('/api/v1/units', { name: 'x', tier: 'group', colour: 'red' }), 400, 'bad_request', 'colour');
  let deep = '1';
  for (let i = 0; i < 100; i++) deep = `[${deep}]`;
  const d = await admin.req('POST', '/api/v1/units', { body: `{"name":${deep}}`, headers: { 'Content-Type': 'application/json' } });
  assertError(d, 400, 'bad_request');
  assert.match(d.json.error.message, /嵌套/);
  assertError(await admin.post('/api/v1/units', [1, 2]), 400, 'bad_request');
});

test('a rule broken by well-formed input is 422 with the field', async () => {
  assertError(await admin.post('/api/v1/units', { name: '某学校', tier: 'school' }), 422, 'rule_violation', 'parent_id');
  assertError(await admin.post('/api/v1/units', { name: '某单位', tier: 'planet' }), 422, 'rule_violation', 'tier');
  assertError(await admin.get('/api/v1/units?limit=0'), 422, 'rule_violation', 'limit');
  assertError(await admin.get('/api/v1/units?limit=abc'), 400, 'bad_request', 'limit');
  assertError(await admin.get('/api/v1/units?cursor=xyz'), 400, 'bad_request', 'cursor');
});

test('API answers carry the security headers and no-store', async () => {
  const r = await admin.get('/api/v1/me');
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(r.headers.get('x-frame-options'), 'DENY');
  assert.equal(r.headers.get('cache-control'), 'no-store');
  assert.match(r.headers.get('content-security-policy'), /default-src 'none'/);
  assert.ok(r.headers.get('referrer-policy'));
});

test('healthz and readyz; /metrics only on --metrics-listen, in Prometheus text', async () => {
  const c = srv.client();
  const h = await c.get('/healthz');
  assert.equal(h.status, 200);
  assert.equal(h.text, 'ok\n');
  const rd = await c.get('/readyz');
  assert.equal(rd.status, 200);
  assert.equal(rd.json.status, 'ready');
  await c.get('/api/v1/nothing');
  assertError(await c.get('/metrics'), 404, 'not_found'); // not on the main listener
  const m = await fetch(`${opsBase}/metrics`);
  assert.equal(m.status, 200);
  assert.match(m.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  const text = await m.text();
  assert.match(text, /ecoact_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
  assert.match(text, /ecoact_http_requests_total\{method="",route="unmatched",status="404"\} \d+/);
  assert.match(text, /ecoact_http_request_duration_seconds_bucket\{le="\+Inf"\} \d+/);
  assert.match(text, /ecoact_db_errors_total \d+/);
  assert.match(text, /ecoact_http_refused_total\{reason="too_large"\} \d+/);
  assert.equal((await fetch(`${opsBase}/healthz`)).status, 200);
  assert.equal((await fetch(`${opsBase}/readyz`)).status, 200);
  assert.equal((await fetch(`${opsBase}/api/v1/meta`)).status, 404); // the API is not served there
  assert.equal((await fetch(`${opsBase}/`)).status, 404);
});

test('the console: index.html for console routes, long caching for hashed assets, ETag revalidation', async () => {
  const c = srv.client();
  const root = await c.get('/');
  assert.equal(root.status, 200);
  assert.match(root.headers.get('content-type'), /text\/html/);
  assert.match(root.headers.get('content-security-policy'), /default-src 'self'/);
  const deep = await c.get('/plans/cq-2021-2025/tasks');
  assert.equal(deep.status, 200);
  assert.equal(deep.text, root.text);
  const js = await c.get('/assets/app-abc123.js');
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type'), /javascript/);
  assert.match(js.headers.get('cache-control'), /immutable/);
  const again = await c.get('/assets/app-abc123.js', { headers: { 'If-None-Match': js.headers.get('etag') } });
  assert.equal(again.status, 304);
  assert.equal((await c.get('/assets/missing.js')).status, 404);
});

test('the portal: its own index.html for /m and every /m/ route; the console keeps its own', async () => {
  const c = srv.client();
  const console_ = (await c.get('/login')).text;
  for (const p of ['/m', '/m/', '/m/login', '/m/me/data', '/m/public/privacy']) {
    const r = await c.get(p);
    assert.equal(r.status, 200, p);
    assert.match(r.text, /<title>portal<\/title>/, p);
    assert.match(r.headers.get('content-type'), /text\/html/);
    assert.match(r.headers.get('content-security-policy'), /default-src 'self'/);
    assert.equal(r.headers.get('cache-control'), 'no-cache');
  }
  assert.match(console_, /<title>ecoact<\/title>/);
  assert.match((await c.get('/mine')).text, /<title>ecoact<\/title>/, '/mine is no portal route');
  assert.equal((await c.get('/m/missing.js')).status, 404, 'a missing file under /m/ is no route');
});

test('no path traversal out of the console folder', async () => {
  for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/../../secret.txt', '/.hidden', '/assets/..%2f..%2fsecret.txt']) {
    const r = await rawGet(srv.base, p);
    assert.doesNotMatch(r, /do not serve/, `served ${p}`);
  }
});

async function rawGet(base, path) {
  const { hostname, port } = new URL(base);
  return new Promise((res, rej) => {
    const s = net.connect(Number(port), hostname, () => s.end(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
    let data = '';
    s.on('data', d => { data += d; });
    s.on('end', () => res(data));
    s.on('error', rej);
  });
}

test('Idempotency-Key: a retry returns the first answer and does the work once; another body is 409', async () => {
  const body = { username: 'idem.user', display_name: '幂等', unit_id: 2 };
  const h = { 'Idempotency-Key': 'create-idem-user-1' };
  const a = await admin.post('/api/v1/users', body, { headers: h });
  assert.equal(a.status, 201, a.text);
  const b = await admin.post('/api/v1/users', body, { headers: h });
  assert.equal(b.status, 201);
  assert.equal(b.headers.get('idempotent-replayed'), 'true');
  assert.equal(b.json.id, a.json.id);
  // the one-time password was shown once: the stored answer never holds it (finding 4)
  assert.match(a.json.one_time_password, /^\S{12,}$/);
  assert.equal(b.json.one_time_password, undefined);
  assert.equal(b.json.secret_shown_once, true);
  const list = await admin.get('/api/v1/users?q=idem.user');
  assert.equal(list.json.items.length, 1);
  assertError(await admin.post('/api/v1/users', { ...body, display_name: '另一个' }, { headers: h }), 409, 'conflict', 'Idempotency-Key');
  assertError(await admin.post('/api/v1/users', body, { headers: { 'Idempotency-Key': 'x'.repeat(200) } }), 400, 'bad_request', 'Idempotency-Key');
});

test('concurrent retries with one Idempotency-Key create one record', async () => {
  const body = { username: 'idem.race', display_name: '并发', unit_id: 2 };
  const h = { 'Idempotency-Key': 'race-1' };
  const rs = await Promise.all(Array.from({ length: 6 }, () => admin.post('/api/v1/users', body, { headers: h })));
  const ids = new Set(rs.filter(r => r.status === 201).map(r => r.json.id));
  assert.equal(ids.size, 1, rs.map(r => `${r.status} ${r.text}`).join('\n'));
  const list = await admin.get('/api/v1/users?q=idem.race');
  assert.equal(list.json.items.length, 1);
});

test('units can be searched by name or code', async () => {
  const r = await admin.get('/api/v1/units?q=渝中');
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.items.map(u => u.code), ['500103']);
  const byCode = await admin.get('/api/v1/units?q=500229');
  assert.equal(byCode.json.items[0].name, '城口县');
  assert.equal((await admin.get('/api/v1/units?q=不存在的单位')).json.items.length, 0);
  assertError(await admin.get(`/api/v1/units?q=${'x'.repeat(80)}`), 422, 'rule_violation', 'q');
});

test('public routes answer an account that must still change its password', async () => {
  const u = await admin.post('/api/v1/users', { username: 'pw.pending', display_name: '待改密', unit_id: 2 });
  const c = srv.client();
  await c.login('pw.pending', u.json.one_time_password);
  assert.equal((await c.get('/api/v1/meta')).status, 200);
  assert.equal((await c.get('/api/v1/roles')).status, 200);
  assertError(await c.get('/api/v1/units'), 403, 'password_change_required');
});
