// guard.test.mjs - the connection guard (src/http/guard.c) as a client notices it: bodies over the
// route's limit are refused before they are sent (uploads beyond the JSON limit only for a signed-in
// caller), heads and bodies have total deadlines, one address may hold only so many connections,
// and everyone else keeps being served. Raw sockets come from their own loopback addresses
// (127.0.0.x) so that each test's connections are counted apart from the others'.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { startServer, assertError, Client } from './lib.mjs';

const CAP = 8;
let srv;
before(async () => {
  srv = await startServer({
    name: 'guard',
    args: ['--header-timeout', '2', '--body-timeout', '2', '--max-conns-per-ip', String(CAP)],
    // a small quarantine, so that memory the sanitizer holds back does not read as buffered bodies
    env: { ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=0:quarantine_size_mb=4' },
  });
});
after(async () => { await srv.stop(); });

const sleep = ms => new Promise(r => setTimeout(r, ms));
const rssKb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${srv.proc.pid}/status`, 'utf8'))[1]);

/** A raw connection from localAddress: what arrived so far, and whether the server closed. */
async function raw(localAddress) {
  const { port } = new URL(srv.base);
  const c = { data: '', ended: false };
  c.sock = net.connect({ port: Number(port), host: '127.0.0.1', localAddress });
  c.sock.on('data', d => { c.data += d; });
  c.sock.on('error', () => {});
  c.closed = new Promise(res => c.sock.on('close', () => { c.ended = true; res(); }));
  await new Promise((res, rej) => { c.sock.once('connect', res); c.sock.once('error', rej); });
  c.waitFor = async (re, ms) => {
    for (const t0 = Date.now(); !re.test(c.data); await sleep(20))
      if (Date.now() - t0 > ms) throw new Error(`no ${re} within ${ms} ms; got: ${JSON.stringify(c.data.slice(0, 300))}`);
    return c.data;
  };
  c.waitClosed = async ms => {
    const t = await Promise.race([c.closed.then(() => 'closed'), sleep(ms).then(() => 'open')]);
    return t === 'closed';
  };
  return c;
}

const statusOf = text => Number(/^HTTP\/1\.1 (\d{3}) /.exec(text)?.[1]);
const bodyOf = text => JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4));

function writeAll(sock, buf, times) {
  return new Promise(res => {
    let i = 0;
    const more = () => {
      while (i < times) {
        if (sock.destroyed) return res();
        i++;
        if (!sock.write(buf)) return sock.once('drain', more);
      }
      res();
    };
    sock.once('close', res);
    more();
  });
}

test('a JSON body declared over 1 MiB is refused at once, before it is sent, and is not buffered', async () => {
  const rss0 = rssKb();
  const conns = [];
  for (let i = 0; i < 6; i++) {
    const c = await raw('127.0.0.11');
    c.sock.write(`POST /api/v1/units HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${5 << 20}\r\n\r\n`);
    conns.push(c);
  }
  for (const c of conns) {
    const text = await c.waitFor(/\}\}$/, 2000); // the answer comes without a byte of the body
    assert.equal(statusOf(text), 413, text);
    assert.match(text, /\r\nConnection: close\r\n/i);
    assert.match(text, /\r\nContent-Type: application\/json/i);
    const e = bodyOf(text).error;
    assert.equal(e.code, 'too_large');
    assert.match(e.request_id, /^[0-9a-f]{16}$/);
    assert.match(e.message, /1048576/);
  }
  const rss1 = rssKb();
  // the clients send their 5 MiB anyway: the server drops them rather than keeping them
  const mib = Buffer.alloc(1 << 20, 0x78);
  await Promise.all(conns.map(c => writeAll(c.sock, mib, 5)));
  await sleep(300);
  const rss2 = rssKb();
  assert.ok(rss1 - rss0 < 4 * 1024, `RSS grew by ${rss1 - rss0} kB with the heads`);
  assert.ok(rss2 - rss0 < 12 * 1024, `RSS grew by ${rss2 - rss0} kB after 30 MiB were sent`);
  for (const c of conns) c.sock.destroy();
  assert.equal((await srv.client().get('/healthz')).status, 200);
});

test('an upload beyond 1 MiB: refused before the body when not signed in, read when signed in', async () => {
  const path = '/api/v1/reports/999999/evidence/a.pdf';
  for (const extra of ['', 'Cookie: ecoact_session=not-a-session\r\n', 'Authorization: Bearer not-a-token\r\n']) {
    const c = await raw('127.0.0.12');
    c.sock.write(`PUT ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/pdf\r\n${extra}Content-Length: ${5 << 20}\r\n\r\n`);
    const text = await c.waitFor(/\}\}$/, 2000);
    assert.equal(statusOf(text), 401, `${extra}: ${text}`);
    assert.equal(bodyOf(text).error.code, 'unauthorized');
    c.sock.destroy();
  }
  // within the JSON limit the guard does not ask: the route's own answer (401, not signed in)
  const c = srv.client();
  assertError(await c.req('PUT', path, { body: Buffer.alloc(1000, 1), headers: { 'Content-Type': 'application/pdf' } }), 401, 'unauthorized');

  const yz = await srv.login('demo.yuzhong');
  const five = await yz.req('PUT', path, { body: Buffer.alloc(5 << 20, 1), headers: { 'Content-Type': 'application/pdf' } });
  assertError(five, 404, 'not_found'); // reached the route: there is no such report
  // the upload limit still holds for a signed-in caller, and JSON routes keep the JSON limit
  for (const [p, m, len, type] of [[path, 'PUT', 21 << 20, 'application/pdf'], ['/api/v1/units', 'POST', 2 << 20, 'application/json']]) {
    const r = await raw('127.0.0.12');
    r.sock.write(`${m} ${p} HTTP/1.1\r\nHost: x\r\nCookie: ${yz.cookie}\r\nContent-Type: ${type}\r\nContent-Length: ${len}\r\n\r\n`);
    const text = await r.waitFor(/\}\}$/, 2000);
    assert.equal(statusOf(text), 413, text);
    r.sock.destroy();
  }
});

test('an upload beyond 1 MiB with a bearer token: a write token is let through, a read token is not', async () => {
  const yz = await srv.login('demo.yuzhong');
  const path = '/api/v1/reports/999999/evidence/b.pdf';
  const tokens = {};
  for (const scope of ['read', 'write']) {
    const made = await yz.post('/api/v1/tokens', { name: `guard ${scope}`, scopes: [scope] });
    assert.equal(made.status, 201, made.text);
    tokens[scope] = made.json.token;
  }
  const bearer = new Client(srv.base);
  const put = scope => bearer.req('PUT', path, { origin: null, body: Buffer.alloc(3 << 20, 2), headers: { 'Content-Type': 'application/pdf', Authorization: `Bearer ${tokens[scope]}` } });
  assertError(await put('write'), 404, 'not_found');
  const c = await raw('127.0.0.12');
  c.sock.write(`PUT ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${tokens.read}\r\nContent-Type: application/pdf\r\nContent-Length: ${3 << 20}\r\n\r\n`);
  assert.equal(statusOf(await c.waitFor(/\}\}$/, 2000)), 401);
  c.sock.destroy();
});

test('a head sent one byte a second is cut at the head deadline (2 s here), and the server goes on', async () => {
  const c = await raw('127.0.0.13');
  const head = 'GET /healthz HTTP/1.1\r\nHost: x\r\nUser-Agent: slow\r\n\r\n';
  const t0 = Date.now();
  let i = 0;
  const tick = setInterval(() => { if (!c.ended) c.sock.write(head[i++]); }, 1000);
  c.sock.write(head[i++]);
  const closed = await c.waitClosed(6000);
  clearInterval(tick);
  const dt = Date.now() - t0;
  assert.ok(closed, `still open after ${dt} ms`);
  assert.ok(dt > 1500 && dt < 4500, `cut after ${dt} ms`);
  assert.equal(statusOf(c.data), 408, c.data);
  assert.equal(bodyOf(c.data).error.code, 'request_timeout');
  assert.equal((await srv.client().get('/healthz')).status, 200);
});

test('a body sent one byte a second is cut at the body deadline', async () => {
  const c = await raw('127.0.0.14');
  const t0 = Date.now();
  c.sock.write('POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{');
  const tick = setInterval(() => { if (!c.ended) c.sock.write(' '); }, 1000);
  const closed = await c.waitClosed(6000);
  clearInterval(tick);
  const dt = Date.now() - t0;
  assert.ok(closed, `still open after ${dt} ms`);
  assert.ok(dt > 1500 && dt < 4500, `cut after ${dt} ms`);
  assert.equal(statusOf(c.data), 408, c.data);
  assert.equal((await srv.client().get('/healthz')).status, 200);
});

test('past the per-address cap a connection is refused; open ones, other addresses and later ones are served', async () => {
  const get = 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n';
  const held = [];
  for (let i = 0; i < CAP; i++) {
    const c = await raw('127.0.0.15');
    c.sock.write(get);
    await c.waitFor(/ok\n$/, 2000);
    held.push(c);
  }
  const over = await raw('127.0.0.15');
  assert.ok(await over.waitClosed(3000), 'the connection over the cap stays open');
  assert.equal(statusOf(over.data), 503, over.data);
  assert.equal(bodyOf(over.data).error.code, 'too_many_connections');
  assert.match(over.data, /\r\nRetry-After: \d+\r\n/);

  held[0].sock.write(get); // a second request on a connection already open
  await held[0].waitFor(/ok\n[\s\S]*ok\n$/, 2000);
  assert.equal((await srv.client().get('/healthz')).status, 200); // another address

  for (const c of held.slice(1)) c.sock.destroy();
  await sleep(300);
  const later = await raw('127.0.0.15');
  later.sock.write(get);
  assert.equal(statusOf(await later.waitFor(/ok\n$/, 2000)), 200);
  held[0].sock.destroy();
  later.sock.destroy();
});

test('chunked request bodies are refused with 411', async () => {
  const c = await raw('127.0.0.16');
  c.sock.write('POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n');
  const text = await c.waitFor(/\}\}$/, 2000);
  assert.equal(statusOf(text), 411, text);
  assert.equal(bodyOf(text).error.code, 'length_required');
  c.sock.destroy();
});

test('pipelined and keep-alive requests are answered in order; Connection: close answers arrive whole', async () => {
  const c = await raw('127.0.0.17');
  const login = JSON.stringify({ username: 'nobody.here', password: 'wrong-password-1' });
  c.sock.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'
    + `POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(login)}\r\n\r\n${login}`
    + '\r\nGET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.ok(await c.waitClosed(3000), 'not closed after Connection: close');
  const statuses = [...c.data.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map(m => Number(m[1]));
  assert.deepEqual(statuses, [200, 401, 200], c.data);
  assert.match(c.data, /"status":"ready"\}$/);
});

test('Expect: 100-continue on a kept-alive connection: 100, then the answer, then the next request', async () => {
  const c = await raw('127.0.0.17');
  c.sock.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
  await c.waitFor(/ok\n$/, 2000);
  const login = JSON.stringify({ username: 'nobody.here', password: 'wrong-password-1' });
  c.sock.write(`POST /api/v1/session HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(login)}\r\n\r\n`);
  await c.waitFor(/HTTP\/1\.1 100 Continue\r\n\r\n$/, 2000);
  c.sock.write(login);
  await c.waitFor(/"code":"unauthorized"[^}]*\}\}$/, 2000);
  c.sock.write('GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.ok(await c.waitClosed(3000));
  const statuses = [...c.data.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map(m => Number(m[1]));
  assert.deepEqual(statuses, [200, 100, 401, 200], c.data);
});

test('a body on a GET is read as evhttp reads it: the request after it is its own', async () => {
  const c = await raw('127.0.0.17');
  const body = 'GET /api/v1/units HTTP/1.1\r\nX:'; // looks like a request, but is a body
  c.sock.write(`GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n${body}`
    + 'GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.ok(await c.waitClosed(3000), 'not closed after Connection: close');
  const statuses = [...c.data.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map(m => Number(m[1]));
  assert.deepEqual(statuses, [200, 200], c.data); // those bytes were the GET's body, not a request
  assert.match(c.data, /"status":"ready"\}$/);
});

test('behind --trust-proxy the proxy on loopback is not capped', async () => {
  const p = await startServer({ name: 'guard-proxy', demo: false, args: ['--trust-proxy', '--max-conns-per-ip', '2'] });
  try {
    const { port } = new URL(p.base);
    const conns = [];
    for (let i = 0; i < 5; i++) {
      const s = net.connect({ port: Number(port), host: '127.0.0.1', localAddress: '127.0.0.19' });
      await new Promise(res => s.once('connect', res));
      conns.push(s);
    }
    for (const s of conns) {
      const got = new Promise(res => { let d = ''; s.on('data', x => { d += x; if (/ok\n$/.test(d)) res(d); }); });
      s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
      assert.equal(statusOf(await got), 200);
    }
    for (const s of conns) s.destroy();
  } finally {
    await p.stop();
  }
});

test('a head without an end within 32 KiB is refused with 431', async () => {
  const c = await raw('127.0.0.18');
  c.sock.write(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Long: ${'a'.repeat(40 * 1024)}`);
  const text = await c.waitFor(/\}\}$/, 2000);
  assert.equal(statusOf(text), 431, text);
  c.sock.destroy();
});
