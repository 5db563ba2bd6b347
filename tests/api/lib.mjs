// lib.mjs - test harness for the API tests: starts the real ecoact binary (the sanitizer build)
// on loopback against a fresh database, SQLite or PostgreSQL (ECOACT_TEST_BACKEND), and gives a
// small HTTP client that keeps a session cookie and sends a same-origin Origin header.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import assert from 'node:assert/strict';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = process.env.ECOACT_BIN || join(ROOT, 'build/debug/ecoact');
export const BACKEND = process.env.ECOACT_TEST_BACKEND || 'sqlite';
export const DEMO_PASSWORD = 'Ecoact-Demo-2025';
const OUT = join(ROOT, 'test-output', 'api', BACKEND);

/** A free TCP port on loopback. */
export async function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); });
    s.on('error', rej);
  });
}

let dbSeq = 0;
function newDatabase(dir) {
  if (BACKEND === 'sqlite') return { url: `sqlite:${join(dir, 'ecoact.db')}`, file: join(dir, 'ecoact.db') };
  const base = process.env.ECOACT_TEST_PG;
  if (!base) throw new Error('ECOACT_TEST_PG is not set: run the API tests through scripts/test-all');
  const name = `t_${process.pid}_${Date.now()}_${dbSeq++}`;
  return { url: createPgDatabase(name), name };
}

/**
 * A new PostgreSQL database on the test server: its URL. With $ECOACT_TEST_PG_DIALECT (the
 * dialect suite of scripts/test-all) nothing may lean on PostgreSQL's defaults: the tables live
 * in a schema of their own, and backslashes in string literals are escapes, as in older engines.
 * A restoreTarget gets the settings but not the schema, which the backup brings.
 */
export function createPgDatabase(name, { restoreTarget = false } = {}) {
  const base = process.env.ECOACT_TEST_PG;
  execFileSync('psql', [`${base}/postgres`, '-q', '-c', `CREATE DATABASE ${name}`]);
  if (process.env.ECOACT_TEST_PG_DIALECT) {
    // a restore target gets the setting; the schema comes with the backup
    for (const q of [...(restoreTarget ? [] : ['CREATE SCHEMA app']), `ALTER DATABASE ${name} SET search_path = app`,
      `ALTER DATABASE ${name} SET standard_conforming_strings = off`, `ALTER DATABASE ${name} SET escape_string_warning = off`])
      execFileSync('psql', [`${base}/${name}`, '-q', '-c', q]);
  }
  return `${base}/${name}`;
}

/**
 * Runs an ecoact CLI command against the server's database and key; returns {code, out, err}.
 * With srv.clock (e.g. '-400d') it runs under faketime, as if that long ago.
 */
export function cli(srv, args, input) {
  const argv = [...args, '--db', srv.dbUrl, '--data-key', srv.keyFile];
  // ASan wants to be the first library loaded; faketime's preload is harmless beside it
  const env = srv.clock ? { ...sanEnv(), ASAN_OPTIONS: `${sanEnv().ASAN_OPTIONS}:verify_asan_link_order=0` } : sanEnv();
  try {
    const out = execFileSync(srv.clock ? 'faketime' : BIN, srv.clock ? ['-f', srv.clock, BIN, ...argv] : argv,
      { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], env });
    return { code: 0, out, err: '' };
  } catch (e) {
    return { code: e.status, out: e.stdout?.toString() ?? '', err: e.stderr?.toString() ?? '' };
  }
}

function sanEnv() {
  return { ...process.env, ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=0', UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1' };
}

/** SQL straight into the test database (for tampering and inspection). */
export function sql(srv, statement) {
  if (BACKEND === 'sqlite') return execFileSync('sqlite3', [srv.db.file, statement], { encoding: 'utf8' });
  return execFileSync('psql', [srv.dbUrl, '-At', '-q', '-c', statement], { encoding: 'utf8' });
}

/**
 * Starts a server on a fresh database: init (admins' one-time passwords kept in srv.otps) and
 * demo accounts unless opts.demo === false; opts.clock runs init and demo under faketime (see
 * cli). Call srv.stop() at the end: it checks the process exits cleanly with no sanitizer report.
 */
export async function startServer(opts = {}) {
  mkdirSync(OUT, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'ecoact-test-'));
  const db = newDatabase(dir);
  const srv = { dir, db, dbUrl: db.url, keyFile: join(dir, 'ecoact.key'), clock: opts.clock };
  const init = cli(srv, ['init']);
  assert.equal(init.code, 0, `ecoact init failed: ${init.err}`);
  srv.otps = Object.fromEntries([...init.out.matchAll(/^\s+(sysadmin|secadmin|auditor)\s+(\S+)$/gm)].map(m => [m[1], m[2]]));
  if (opts.demo !== false) {
    const demo = cli(srv, ['demo']);
    assert.equal(demo.code, 0, `ecoact demo failed: ${demo.err}`);
  }
  delete srv.clock;
  await serve(srv, opts, srv);
  return srv;
}

/**
 * One serving process on srv's database (srv from startServer): its base URL, client(), login()
 * and stop(), which checks a clean exit with no sanitizer report. startServer starts the first;
 * call it again for another app server on the same database, as behind a load balancer. Fills p.
 */
export async function serve(srv, opts = {}, p = {}) {
  const port = await freePort();
  p.base = `http://127.0.0.1:${port}`;
  p.stderr = '';
  const args = ['serve', '--listen', `127.0.0.1:${port}`, '--db', srv.dbUrl, '--data-key', srv.keyFile,
    '--threads', String(opts.threads ?? 2), ...(opts.args ?? [])];
  if (!(opts.args ?? []).some(a => a.startsWith('--login-limit'))) args.push('--login-limit', '1000/1');
  const logName = join(OUT, `${opts.name ?? 'server'}-${port}.log`);
  p.logFile = logName;
  p.proc = spawn(BIN, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...sanEnv(), ...(opts.env ?? {}) } });
  p.proc.stderr.on('data', d => { p.stderr += d; });
  p.exited = new Promise(res => p.proc.on('exit', (code, sig) => res({ code, sig })));
  for (let i = 0; ; i++) {
    try { const r = await fetch(`${p.base}/healthz`); if (r.ok) break; } catch { /* not yet */ }
    if (i > 200) throw new Error(`server did not start:\n${p.stderr}`);
    await new Promise(r => setTimeout(r, 50));
  }
  p.client = () => new Client(p.base);
  p.login = async (username, password = DEMO_PASSWORD) => {
    const c = new Client(p.base);
    const r = await c.login(username, password);
    assert.equal(r.status, 200, `login ${username}: ${r.text}`);
    return c;
  };
  p.stop = async () => {
    p.proc.kill('SIGTERM');
    const { code, sig } = await p.exited;
    writeFileSync(logName, p.stderr);
    assert.doesNotMatch(p.stderr, /AddressSanitizer|LeakSanitizer|runtime error:/, `sanitizer report in ${logName}`);
    assert.equal(code, 0, `server exit code ${code} signal ${sig}, log in ${logName}`);
  };
  return p;
}

export class Client {
  constructor(base) { this.base = base; this.cookie = null; this.origin = base; }
  async req(method, path, { json, body, headers = {}, origin } = {}) {
    const h = { ...headers };
    const jar = [this.cookie, this.pubCookie].filter(Boolean); // officials' and public session
    if (jar.length) h.Cookie = jar.join('; ');
    if (origin !== null && method !== 'GET' && method !== 'HEAD') h.Origin = origin ?? this.origin;
    let payload = body;
    if (json !== undefined) { payload = JSON.stringify(json); h['Content-Type'] ??= 'application/json'; }
    const res = await fetch(this.base + path, { method, headers: h, body: payload, redirect: 'manual' });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      const m = /ecoact_session=([^;]*)/.exec(setCookie);
      if (m) this.cookie = m[1] ? `ecoact_session=${m[1]}` : null;
      const p = /ecoact_pub=([^;]*)/.exec(setCookie);
      if (p) this.pubCookie = p[1] ? `ecoact_pub=${p[1]}` : null;
    }
    const buf = Buffer.from(await res.arrayBuffer());
    const text = buf.toString('utf8');
    let data = null;
    if ((res.headers.get('content-type') || '').startsWith('application/json')) data = JSON.parse(text);
    return { status: res.status, headers: res.headers, json: data, text, buf };
  }
  get(p, o) { return this.req('GET', p, o); }
  post(p, json, o = {}) { return this.req('POST', p, { json, ...o }); }
  put(p, json, o = {}) { return this.req('PUT', p, { json, ...o }); }
  patch(p, json, o = {}) { return this.req('PATCH', p, { json, ...o }); }
  del(p, o) { return this.req('DELETE', p, o); }
  async login(username, password) { return this.post('/api/v1/session', { username, password }); }
}

/** Asserts an error envelope: status, code and (optionally) the field at fault. */
export function assertError(r, status, code, field) {
  assert.equal(r.status, status, `expected ${status}, got ${r.status}: ${r.text}`);
  assert.ok(r.json?.error, `no error envelope: ${r.text}`);
  if (code) assert.equal(r.json.error.code, code, r.text);
  if (field !== undefined) assert.equal(r.json.error.field, field, r.text);
  assert.match(r.json.error.request_id, /^[0-9a-f]{16}$/);
  assert.ok(r.json.error.message.length > 0);
}

/** A valid resident ID number (GB 11643) from 17 digits. */
export function residentId(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, c, i) => s + Number(c) * w[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

export function readFile(p) { return existsSync(p) ? readFileSync(p) : Buffer.alloc(0); }
