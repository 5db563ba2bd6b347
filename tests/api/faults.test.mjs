// faults.test.mjs - storage faults injected under the sanitizer build (src/store/fault.c): while
// SQLite's writes fail, or its allocations fail, writes answer 503 with a request id and change
// nothing; reads that need no new memory keep working; once the fault clears the server serves
// as before and the database is intact.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { startServer, assertError, cli, BACKEND } from './lib.mjs';

const skip = BACKEND !== 'sqlite';
let srv, admin, faults;
before(async () => {
  if (skip) return;
  faults = mkdtempSync(join(tmpdir(), 'ecoact-faults-'));
  srv = await startServer({ name: 'faults', env: { ECOACT_TEST_FAULTS: faults } });
  admin = await srv.login('demo.sysadmin');
});
after(async () => { if (!skip) await srv.stop(); });

for (const kind of ['io', 'nomem']) {
  test(`SQLite ${kind === 'io' ? 'I/O errors' : 'allocation failures'}: 503 with a request id, nothing changed, service resumes`, { skip }, async () => {
    const before = await admin.get('/api/v1/units?tier=group&limit=1000');
    writeFileSync(join(faults, kind), '');
    let r;
    try {
      r = await admin.post('/api/v1/units', { name: `故障期间-${kind}`, tier: 'group' });
    } finally {
      rmSync(join(faults, kind));
    }
    assertError(r, 503, 'unavailable');
    assert.match(r.json.error.request_id, /^[0-9a-f]{16}$/);
    const ok = await admin.post('/api/v1/units', { name: `故障之后-${kind}`, tier: 'group' });
    assert.equal(ok.status, 201, ok.text);
    const after = await admin.get('/api/v1/units?tier=group&limit=1000');
    const names = after.json.items.map(u => u.name);
    assert.ok(!names.includes(`故障期间-${kind}`), 'the failed write left nothing');
    assert.equal(after.json.items.length, before.json.items.length + 1);
    assert.equal(execFileSync('sqlite3', [srv.db.file, 'PRAGMA integrity_check'], { encoding: 'utf8' }).trim(), 'ok');
    assert.equal(cli(srv, ['verify', 'audit']).code, 0);
  });
}
