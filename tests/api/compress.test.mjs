// compress.test.mjs - the bytes on a county's network (issue 19): JSON answers and the
// console's assets go gzipped to a client that takes gzip, and the compliance matrix carries an
// ETag so that an unchanged matrix is answered 304 without a body, and a changed one is sent.
// Raw node:http here, since fetch would hide what went over the wire.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { gunzipSync, gzipSync } from 'node:zlib';
import { mkdirSync, writeFileSync, mkdtempSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from './lib.mjs';

const PLAN = 'cq-2021-2025';
const MATRIX = `/api/v1/plans/${PLAN}/compliance?as_of=2025-12-31`;
const BIG_JS = 'export const words = [' + Array.from({ length: 3000 }, (_, i) => `"w${i}"`).join(',') + '];\n';
const PORTAL_HTML = '<!doctype html><title>portal</title>' + '<!-- 公众服务 -->'.repeat(200);
let srv, office, admin;

before(async () => {
  const web = join(mkdtempSync(join(tmpdir(), 'ecoact-gz-')), 'web');
  mkdirSync(join(web, 'assets'), { recursive: true });
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>ecoact</title>');
  writeFileSync(join(web, 'assets', 'big-1a2b.js'), BIG_JS);
  writeFileSync(join(web, 'assets', 'big-1a2b.js.gz'), gzipSync(BIG_JS));
  writeFileSync(join(web, 'assets', 'stale-1a2b.js'), BIG_JS);
  writeFileSync(join(web, 'assets', 'stale-1a2b.js.gz'), gzipSync('old contents'));
  mkdirSync(join(web, 'm'));
  writeFileSync(join(web, 'm', 'index.html'), PORTAL_HTML);
  writeFileSync(join(web, 'm', 'index.html.gz'), gzipSync(PORTAL_HTML));
  const past = new Date(Date.now() - 3600e3);
  utimesSync(join(web, 'assets', 'stale-1a2b.js.gz'), past, past); // older than its file
  srv = await startServer({ name: 'compress', args: ['--web', web] });
  office = await srv.login('demo.office');
  admin = await srv.login('demo.sysadmin');
});
after(async () => { await srv.stop(); });

/** GET without any decoding: {status, headers, body (Buffer as sent)}. */
function raw(path, headers = {}, who = office) {
  return new Promise((resolve, reject) => {
    const h = { ...headers };
    if (who?.cookie) h.Cookie = who.cookie;
    http.get(srv.base + path, { headers: h }, (res) => {
      const parts = [];
      res.on('data', (d) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(parts) }));
    }).on('error', reject);
  });
}

test('a large JSON answer goes gzipped to a client that takes gzip, and plain to one that does not', async () => {
  const plain = await raw(MATRIX);
  assert.equal(plain.status, 200);
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.match(plain.headers.vary, /Accept-Encoding/);
  const gz = await raw(MATRIX, { 'Accept-Encoding': 'gzip, deflate, br' });
  assert.equal(gz.status, 200);
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.deepEqual(JSON.parse(gunzipSync(gz.body)), JSON.parse(plain.body));
  assert.ok(gz.body.length * 5 < plain.body.length, `gzip ${gz.body.length} B against ${plain.body.length} B`);
  const refused = await raw(MATRIX, { 'Accept-Encoding': 'gzip;q=0, identity' });
  assert.equal(refused.headers['content-encoding'], undefined);
  assert.equal(refused.body.length, plain.body.length);
});

test('a small answer is not worth compressing and goes as it is', async () => {
  const unit = await raw('/api/v1/units/500103', { 'Accept-Encoding': 'gzip' });
  assert.equal(unit.status, 200);
  assert.ok(unit.body.length < 1024, `${unit.body.length} bytes`);
  assert.equal(unit.headers['content-encoding'], undefined);
  assert.equal(JSON.parse(unit.body).code, '500103');
});

test('the matrix is revalidated by its ETag: unchanged is a 304 without a body, changed is sent again', async () => {
  const first = await raw(MATRIX, { 'Accept-Encoding': 'gzip' });
  const etag = first.headers.etag;
  assert.match(etag, /^"[0-9a-f]{32}"$/);
  assert.equal(first.headers['cache-control'], 'private, no-cache');
  const same = await raw(MATRIX, { 'Accept-Encoding': 'gzip', 'If-None-Match': etag });
  assert.equal(same.status, 304);
  assert.equal(same.body.length, 0);
  // a unit's new short name shows in the matrix, so the answer and its tag change
  const units = await office.get(`/api/v1/units?search=${encodeURIComponent('城口县')}`);
  const unit = units.json.items[0];
  const r = await admin.patch(`/api/v1/units/${unit.id}`, { short_name: '城口' });
  assert.equal(r.status, 200, r.text);
  const changed = await raw(MATRIX, { 'Accept-Encoding': 'gzip', 'If-None-Match': etag });
  assert.equal(changed.status, 200);
  assert.notEqual(changed.headers.etag, etag);
  assert.match(gunzipSync(changed.body).toString(), /"城口"/);
  // other API answers stay out of every cache
  assert.equal((await raw('/api/v1/me')).headers['cache-control'], 'no-store');
});

test('console assets: the .gz built beside a file is sent to a client that takes gzip, never a stale one', async () => {
  const gz = await raw('/assets/big-1a2b.js', { 'Accept-Encoding': 'gzip' }, null);
  assert.equal(gz.status, 200);
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.match(gz.headers['content-type'], /javascript/);
  assert.equal(gunzipSync(gz.body).toString(), BIG_JS);
  assert.match(gz.headers.vary, /Accept-Encoding/);
  const again = await raw('/assets/big-1a2b.js', { 'Accept-Encoding': 'gzip', 'If-None-Match': gz.headers.etag }, null);
  assert.equal(again.status, 304);
  const plain = await raw('/assets/big-1a2b.js', {}, null);
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.body.toString(), BIG_JS);
  assert.notEqual(plain.headers.etag, gz.headers.etag, 'the two encodings are two representations');
  const stale = await raw('/assets/stale-1a2b.js', { 'Accept-Encoding': 'gzip' }, null);
  assert.equal(stale.headers['content-encoding'], undefined);
  assert.equal(stale.body.toString(), BIG_JS);
});

test('the portal\'s shell: its index.html.gz for every /m/ route to a client that takes gzip', async () => {
  for (const p of ['/m/', '/m/signup']) {
    const gz = await raw(p, { 'Accept-Encoding': 'gzip' }, null);
    assert.equal(gz.status, 200, p);
    assert.equal(gz.headers['content-encoding'], 'gzip', p);
    assert.equal(gunzipSync(gz.body).toString(), PORTAL_HTML);
    const plain = await raw(p, {}, null);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.body.toString(), PORTAL_HTML);
  }
});
