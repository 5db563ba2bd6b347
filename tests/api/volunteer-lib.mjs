// volunteer-lib.mjs - what the volunteer tests share: verified public accounts written straight
// into the test database (a real registration costs an Argon2id hash and an SMS code each, too
// slow for a herd of 2,000), each with a public session whose stored hash is the server's
// (BLAKE2b-256 of the cookie value, base/crypto.c), and an HTTP client that keeps many
// requests in flight over a bounded pool of kept-alive sockets (the server caps connections per
// address at 64).
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { sql, Client } from './lib.mjs';
import { blake2bHex } from './blake2b.mjs';

let nextId = 500000;

/** n verified citizens born on birth ('YYYY-MM-DD'), signed in: [{id, client}]. */
export function people(srv, n, { birth = '1990-05-01', volunteer = false } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const out = [], cit = [], ses = [], vol = [];
  for (let i = 0; i < n; i++) {
    const id = ++nextId;
    const token = `${id}.${randomBytes(24).toString('hex')}`;
    cit.push(`(${id}, 'active', 'verified', '${birth}', '志*', '138****${String(id % 10000).padStart(4, '0')}', ${now}, ${now})`);
    ses.push(`(${id}, '${blake2bHex(token)}', ${now}, ${now}, ${now + 86400})`);
    if (volunteer) vol.push(`(${id}, 'ZY2026${String(id).padStart(8, '0')}', ${now}, ${now})`);
    const c = new Client(srv.base);
    c.pubCookie = `ecoact_pub=${token}`;
    out.push({ id, client: c, token });
  }
  for (let i = 0; i < n; i += 500) {
    sql(srv, `INSERT INTO citizens(id, status, realname, birth_date, name_mask, phone_mask, created_at, updated_at) VALUES ${cit.slice(i, i + 500).join(',')}`);
    sql(srv, `INSERT INTO citizen_sessions(citizen_id, token_hash, created_at, last_seen, expires_at) VALUES ${ses.slice(i, i + 500).join(',')}`);
    if (volunteer) sql(srv, `INSERT INTO vol_volunteers(citizen_id, number, joined_at, updated_at) VALUES ${vol.slice(i, i + 500).join(',')}`);
  }
  return out;
}

let nextOrg = 0;
/** An accepted organisation of the unit with the citizen as its org_admin: its id. */
export function orgOf(srv, citizenId, unitId) {
  const now = Math.floor(Date.now() / 1000);
  const code = `91500000VOL${String(++nextOrg).padStart(6, '0')}${citizenId}`.slice(0, 18);
  const id = Number(sql(srv, `INSERT INTO organisations(kind, name, uscc, responsible_id, unit_id, filed_by, status, created_at, updated_at)
    VALUES ('volunteer_org', '环保志愿者协会${nextOrg}', '${code}', ${citizenId}, ${unitId}, ${citizenId}, 'accepted', ${now}, ${now}) RETURNING id`).trim().split('\n')[0]);
  sql(srv, `INSERT INTO org_members(citizen_id, org_id, role, added_at) VALUES (${citizenId}, ${id}, 'org_admin', ${now})`);
  return id;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 48 });
/** POST JSON with a public cookie over the bounded pool: {status, json}. */
export function pooledPost(base, path, token, body = {}) {
  const u = new URL(base + path);
  const data = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent,
      headers: { 'Content-Type': 'application/json', 'Content-Length': data.length, Cookie: `ecoact_pub=${token}`, Origin: base },
    }, res => {
      const chunks = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json = null;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, json, text });
      });
    });
    req.on('error', reject);
    req.end(data);
  });
}
export function closePool() { agent.destroy(); }

/** Times (unix seconds) of an activity opening now: sign-up closes in 5 days, shifts in 7. */
export function schedule(nshifts = 1, { places = 10, cancelBy } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const day0 = now + 7 * 86400;
  const shifts = [];
  for (let i = 0; i < nshifts; i++) shifts.push({ label: `第${i + 1}班`, starts_at: day0 + i * 7200, ends_at: day0 + i * 7200 + 3600, places });
  return {
    signup_opens: now - 3600, signup_closes: now + 5 * 86400, cancel_by: cancelBy ?? now + 6 * 86400, shifts,
    day: new Date(day0 * 1000 + 8 * 3600e3).toISOString().slice(0, 10),
  };
}
