// cluster.test.mjs - several app servers on one PostgreSQL (store/cluster.h): what one server
// caches (sessions and the accounts behind them, units) is invalidated on the others before the
// answer to the write returns, with the servers called directly and behind nginx. SQLite serves
// from one process, so the file runs on PostgreSQL only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, serve, freePort, sql, Client, BACKEND } from './lib.mjs';

const pgOnly = { skip: BACKEND !== 'pg' && 'several app servers share PostgreSQL only' };
let a, b; // two app servers on one database
const haveNginx = spawnSync('sh', ['-c', 'command -v nginx || test -x /usr/sbin/nginx']).status === 0;
const withNginx = { skip: pgOnly.skip || (!haveNginx && 'nginx is not installed (scripts/install-deps installs nginx-light)') };
const id = {};

before(async () => {
  if (BACKEND !== 'pg') return;
  const quiet = { ECOACT_TICK_SECONDS: '0' }; // the periodic-work test starts servers that tick
  a = await startServer({ name: 'cluster-a', env: quiet });
  b = await serve(a, { name: 'cluster-b', env: quiet });
  const sys = await a.login('demo.sysadmin');
  for (const u of (await sys.get('/api/v1/users?limit=200')).json.items) id[u.username] = u.id;
});
after(async () => { if (b) await b.stop(); if (a) await a.stop(); });

/** The same signed-in session, used on another server. */
function on(server, c) {
  const o = new Client(server.base);
  o.cookie = c.cookie;
  return o;
}

test('both servers are listed as live while they serve, and a stopped one leaves', pgOnly, async () => {
  const rows = sql(a, 'SELECT COUNT(*) FROM cluster_servers').trim();
  assert.equal(rows, '2');
  const c = await serve(a, { name: 'cluster-c' });
  assert.equal(sql(a, 'SELECT COUNT(*) FROM cluster_servers').trim(), '3');
  await c.stop();
  assert.equal(sql(a, 'SELECT COUNT(*) FROM cluster_servers').trim(), '2');
});

test('a log-out on one server is refused by the other as soon as the log-out has answered', pgOnly, async () => {
  for (let round = 0; round < 5; round++) {
    const c = await a.login('demo.office');
    const there = on(b, c);
    assert.equal((await there.get('/api/v1/me')).status, 200); // the other server caches the session now
    assert.equal((await there.get('/api/v1/me')).status, 200);
    assert.equal((await c.del('/api/v1/session')).status, 200);
    const r = await there.get('/api/v1/me');
    assert.equal(r.status, 401, `round ${round}: the other server still let the session in: ${r.text}`);
  }
});

test('a lock and a role change on one server hold on the other at once', pgOnly, async () => {
  const sys = await a.login('demo.sysadmin');
  const sec = await a.login('demo.secadmin');
  const victim = await a.login('demo.wanzhou');
  const there = on(b, victim);
  assert.equal((await there.get('/api/v1/me')).status, 200);
  assert.equal((await sys.post(`/api/v1/users/${id['demo.wanzhou']}/lock`)).status, 200);
  assert.equal((await there.get('/api/v1/me')).status, 401, 'locked on one server, still in on the other');
  assert.equal((await sys.post(`/api/v1/users/${id['demo.wanzhou']}/unlock`)).status, 200);

  const holder = on(b, await a.login('demo.chengkou'));
  const before = await holder.get('/api/v1/me');
  assert.equal(before.status, 200);
  assert.ok(before.json.roles.length > 0);
  assert.equal((await sec.put(`/api/v1/users/${id['demo.chengkou']}/roles`, { roles: [] })).status, 200);
  const after = await holder.get('/api/v1/me');
  assert.deepEqual(after.status === 200 ? after.json.roles : [], [], `the other server kept the old roles: ${after.text}`);
});

test('a unit renamed on one server is listed under its new name by the other at once', pgOnly, async () => {
  const sys = await a.login('demo.sysadmin');
  const there = on(b, await a.login('demo.office'));
  const list = async () => (await there.get('/api/v1/units?limit=200')).json.items;
  const unit = (await list()).find(u => u.tier === 'district');
  assert.ok(unit, 'a district unit');
  const name = `${unit.name}（改）`;
  assert.equal((await sys.patch(`/api/v1/units/${unit.id}`, { name })).status, 200);
  assert.equal((await list()).find(u => u.id === unit.id).name, name);
  assert.equal((await sys.patch(`/api/v1/units/${unit.id}`, { name: unit.name })).status, 200);
});

const LEADS = 'periodic work: this server leads it now';
const sleep = ms => new Promise(r => setTimeout(r, ms));

test('the periodic work runs on one server; when it is killed, another takes the lead', pgOnly, async () => {
  const ticking = { env: { ECOACT_TICK_SECONDS: '1' } };
  const servers = [await serve(a, { name: 'cluster-t1', ...ticking }), await serve(a, { name: 'cluster-t2', ...ticking })];
  try {
    await sleep(3500); // three ticks each
    const leaders = servers.filter(s => s.stderr.includes(LEADS));
    assert.equal(leaders.length, 1, `exactly one server leads: ${servers.map(s => s.stderr.split(LEADS).length - 1)}`);
    assert.equal(leaders[0].stderr.split(LEADS).length - 1, 1, 'and it took the lead once');
    const [dead] = leaders;
    const other = servers.find(s => s !== dead);
    dead.proc.kill('SIGKILL');
    await dead.exited;
    servers.splice(servers.indexOf(dead), 1);
    for (let i = 0; !other.stderr.includes(LEADS); i++) {
      if (i > 50) assert.fail(`no server took the lead after the leader was killed:\n${other.stderr.slice(-800)}`);
      await sleep(100);
    }
  } finally {
    for (const s of servers) await s.stop();
  }
});

test('one server killed under write load behind nginx: clients retrying with their keys lose nothing and double nothing', withNginx, async () => {
  const opts = { args: ['--write-limit', '100000/1'] };
  const servers = [await serve(a, { name: 'cluster-w1', ...opts }), await serve(a, { name: 'cluster-w2', ...opts })];
  const front = await nginxFront(servers);
  try {
    const c = new Client(front.base);
    assert.equal((await c.login('demo.yuzhong', 'Ecoact-Demo-2025')).status, 200);
    const before = Number(sql(a, "SELECT COUNT(*) FROM calendar_feeds").trim());
    const N = 120, run = Date.now();
    let done = 0, retried = 0, killed = false;
    const ids = new Map();
    const write = async i => {
      const key = `kill-${run}-${i}`;
      for (let attempt = 0; ; attempt++) {
        if (attempt > 100) assert.fail(`write ${i} never succeeded`);
        let r;
        try { r = await c.post('/api/v1/calendar-feeds', {}, { headers: { 'Idempotency-Key': key } }); } catch { r = { status: 0 }; }
        if (r.status === 201) { ids.set(i, r.json.id); break; }
        assert.ok([0, 502, 503, 504].includes(r.status), `write ${i}: ${r.status} ${r.text}`);
        retried++;
        await sleep(50);
      }
      if (++done === N / 3 && !killed) { killed = true; servers[0].proc.kill('SIGKILL'); }
    };
    const queue = [...Array(N).keys()];
    await Promise.all([...Array(6)].map(async () => { while (queue.length) await write(queue.shift()); }));
    assert.ok(killed, 'a server was killed mid-load');
    console.log(`retries after the kill: ${retried}`);
    assert.equal(ids.size, N, 'every write was acknowledged');
    assert.equal(new Set(ids.values()).size, N, 'no two writes share an id');
    const after = Number(sql(a, "SELECT COUNT(*) FROM calendar_feeds").trim());
    assert.equal(after - before, N, `each acknowledged write is in the database once (${retried} retries)`);
  } finally {
    await front.stop();
    await servers[0].exited;
    await servers[1].stop();
  }
});


test('behind nginx, round robin over both servers: signed in everywhere, signed out everywhere, a retried write done once',
  withNginx, async () => {
    const front = await nginxFront([a, b]);
    try {
      const c = new Client(front.base);
      assert.equal((await c.login('demo.yuzhong', 'Ecoact-Demo-2025')).status, 200);
      for (let i = 0; i < 10; i++) assert.equal((await c.get('/api/v1/me')).status, 200, `request ${i}`);
      // a write retried with its key, whichever server each attempt reaches, is done once
      const key = `cluster-${Date.now()}`;
      const body = {};
      const first = await c.post('/api/v1/calendar-feeds', body, { headers: { 'Idempotency-Key': key } });
      const again = await c.post('/api/v1/calendar-feeds', body, { headers: { 'Idempotency-Key': key } });
      assert.equal(first.status, 201, first.text);
      assert.equal(again.status, 201, again.text);
      assert.equal(again.json.id, first.json.id, 'the retry answered with the first feed');
      const cookie = c.cookie;
      assert.equal((await c.del('/api/v1/session')).status, 200);
      c.cookie = cookie;
      for (let i = 0; i < 10; i++) assert.equal((await c.get('/api/v1/me')).status, 401, `request ${i} after log-out`);
      assert.ok(front.log().split('\n').length > 20, 'nginx carried the requests');
    } finally {
      await front.stop();
    }
  });

/** nginx on loopback balancing round robin over servers; a failed server is skipped for 10 s. */
async function nginxFront(servers) {
  const dir = mkdtempSync(join(tmpdir(), 'ecoact-nginx-'));
  const port = await freePort();
  const up = servers.map(s => `server ${s.base.replace('http://', '')} max_fails=1 fail_timeout=10s;`).join(' ');
  writeFileSync(join(dir, 'nginx.conf'), `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 256; }
http {
  access_log ${dir}/access.log;
  upstream ecoact { ${up} }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://ecoact;
      proxy_set_header Host $http_host;
      proxy_next_upstream off;
    }
  }
}
`);
  execFileSync(existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx', ['-c', join(dir, 'nginx.conf'), '-p', dir, '-e', join(dir, 'error.log')]);
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try { if ((await fetch(`${base}/healthz`)).ok) break; } catch { /* not yet */ }
    if (i > 100) throw new Error(`nginx did not start: ${readFileSync(join(dir, 'error.log'), 'utf8')}`);
    await sleep(50);
  }
  return {
    base,
    log: () => readFileSync(join(dir, 'access.log'), 'utf8'),
    stop: async () => {
      try { process.kill(Number(readFileSync(join(dir, 'nginx.pid'), 'utf8')), 'SIGTERM'); } catch { /* gone */ }
      await sleep(100);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
