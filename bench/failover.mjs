// failover.mjs - the failover drill (issue 18 §3; `make failover-drill`, also run by `make soak`):
// a PostgreSQL primary with a synchronous streaming standby (scripts/pg-temp), two ecoact servers
// on a multi-host URL with target_session_attrs=read-write, write load through both, the primary
// killed with SIGKILL, the standby promoted with pg_ctl promote. It reports the acknowledged
// writes missing afterwards (must be 0), any write done twice, the time until writes succeed
// again, and the audit chain and green ledger checks on the promoted server; exits 1 when a
// write is lost or doubled or a check fails. Writes are calendar feeds, each sent with its own
// Idempotency-Key and retried with it until answered.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, cli, freePort, Client } from '../tests/api/lib.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pgTemp = (...args) => execFileSync(join(ROOT, 'scripts/pg-temp'), args, { encoding: 'utf8' }).trim();
const psql = (url, q) => execFileSync('psql', [url, '-At', '-q', '-c', q], { encoding: 'utf8' }).trim();
const sleep = ms => new Promise(r => setTimeout(r, ms));
const WORKERS = Number(process.env.DRILL_WORKERS ?? 8);
const BEFORE_MS = Number(process.env.DRILL_BEFORE_MS ?? 5000), AFTER_MS = Number(process.env.DRILL_AFTER_MS ?? 5000);

const dir = mkdtempSync(join(tmpdir(), 'ecoact-failover-'));
chmodSync(dir, 0o755); // the PostgreSQL servers run as the postgres user when we are root
const p1 = await freePort(), p2 = await freePort();
const servers = [];
const started = Date.now();
let failed = false;
try {
  const primary = pgTemp('start', join(dir, 'primary'), String(p1));
  psql(`${primary}/postgres`, 'CREATE DATABASE ecoact');
  pgTemp('standby', join(dir, 'standby'), String(p2), String(p1));
  const sync = psql(`${primary}/postgres`, 'SHOW synchronous_standby_names') + ' / synchronous_commit=' +
    psql(`${primary}/postgres`, 'SHOW synchronous_commit');
  const url = `postgresql://ecoact@127.0.0.1:${p1},127.0.0.1:${p2}/ecoact?target_session_attrs=read-write&connect_timeout=2`;
  const srv = { dir, dbUrl: url, keyFile: join(dir, 'ecoact.key') };
  for (const cmd of [['init'], ['demo']]) {
    const t = Date.now();
    const r = cli(srv, cmd);
    if (r.code !== 0) throw new Error(`ecoact ${cmd[0]}: ${r.err}`);
    console.log(`failover drill: ecoact ${cmd[0]} took ${Date.now() - t} ms`);
  }
  const opts = name => ({ name, args: ['--write-limit', '1000000/1'] }); // the load is one account's
  servers.push(await serve(srv, opts('failover-a')), await serve(srv, opts('failover-b')));
  const login = await servers[0].login('demo.yuzhong');

  const acked = new Map(); // key → {id, at}
  let killedAt = 0, recoveredAt = 0, stop = false, errors = 0, seq = 0;
  async function worker(w) {
    while (!stop) {
      const key = `drill-${w}-${seq++}`;
      for (let attempt = 0; ; attempt++) {
        const c = new Client(servers[(w + attempt) % servers.length].base);
        c.cookie = login.cookie;
        const sentAt = Date.now();
        let r;
        try { r = await c.post('/api/v1/calendar-feeds', {}, { headers: { 'Idempotency-Key': key } }); } catch { r = { status: 0 }; }
        if (r.status === 201 || r.status === 200) {
          acked.set(key, { id: r.json.id, at: Date.now() });
          if (killedAt && !recoveredAt && sentAt > killedAt) recoveredAt = Date.now();
          break;
        }
        errors++;
        await sleep(100);
      }
    }
  }
  const t0 = Date.now();
  console.log(`failover drill: set up in ${t0 - started} ms; load for ${BEFORE_MS} ms, kill, ${AFTER_MS} ms more`);
  const load = Array.from({ length: WORKERS }, (_, w) => worker(w));
  await sleep(BEFORE_MS);
  const ackedBeforeKill = [...acked.values()];
  pgTemp('kill', join(dir, 'primary'));
  killedAt = Date.now();
  pgTemp('promote', join(dir, 'standby'));
  const promotedAt = Date.now();
  while (!recoveredAt && Date.now() - killedAt < 60000) await sleep(50);
  await sleep(AFTER_MS);
  stop = true;
  await Promise.all(load);
  const afterKill = [...acked.values()].filter(a => a.at > killedAt).length;

  const promoted = `postgresql://ecoact@127.0.0.1:${p2}/ecoact`;
  const stored = new Set(psql(promoted, 'SELECT id FROM calendar_feeds').split('\n').filter(Boolean).map(Number));
  const missingBefore = ackedBeforeKill.filter(a => !stored.has(a.id)).length;
  const missingAll = [...acked.values()].filter(a => !stored.has(a.id)).length;
  const doubled = stored.size - new Set([...acked.values()].map(a => a.id)).size;
  const target = { ...srv, dbUrl: promoted };
  const audit = cli(target, ['verify', 'audit']), green = cli(target, ['verify', 'green']);
  const rows = [
    ['synchronous replication', sync],
    ['writes acknowledged before the kill', ackedBeforeKill.length],
    ['  of them missing after the failover', missingBefore],
    ['writes acknowledged in all', acked.size],
    ['  after the kill', `${afterKill} (in ${AFTER_MS} ms after recovery)`],
    ['  missing', missingAll],
    ['  stored twice', doubled],
    ['failed attempts (retried with their key)', errors],
    ['promote took (ms)', promotedAt - killedAt],
    ['writes succeed again after the kill (ms)', recoveredAt ? recoveredAt - killedAt : 'never'],
    ['verify audit', audit.code === 0 ? audit.out.trim().split('\n').pop() : `FAILED ${audit.out}${audit.err}`],
    ['verify green', green.code === 0 ? green.out.trim().split('\n').pop() : `FAILED ${green.out}${green.err}`],
  ];
  console.log('failover drill: primary killed with SIGKILL, standby promoted with pg_ctl promote');
  for (const [k, v] of rows) console.log(`  ${k.padEnd(44)} ${v}`);
  failed = missingAll > 0 || doubled !== 0 || !recoveredAt || audit.code !== 0 || green.code !== 0;
  console.log(failed ? 'failover drill: FAILED' : 'failover drill: passed');
} catch (e) {
  console.error(`failover drill: ${e.stack ?? e}`);
  failed = true;
} finally {
  const stopping = Date.now();
  for (const s of servers) { try { await s.stop(); } catch (e) { console.error(`server stop: ${e.message}`); failed = true; } }
  pgTemp('stop', join(dir, 'standby'));
  // the primary is gone unless the drill failed before the kill
  try { execFileSync(join(ROOT, 'scripts/pg-temp'), ['stop', join(dir, 'primary')], { stdio: 'ignore' }); } catch { /* killed */ }
  console.log(`failover drill: servers and PostgreSQL stopped in ${Date.now() - stopping} ms`);
  if (!failed) rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
