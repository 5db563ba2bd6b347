// opengauss.test.mjs - openGauss's password methods (issue 18 §5, DOMAIN.md §10): stock libpq
// cannot answer them, and ecoact says what the operator should change instead of libpq's bare
// message. A small server here speaks the first steps of the PostgreSQL protocol as openGauss
// does: it declines SSL and GSS encryption, reads the startup message and asks for its SHA256
// method (request 10, which libpq reads as SASL) or its SM3 method (request 13).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BIN } from './lib.mjs';

/** `ecoact ARGS` run asynchronously (the fake server answers from this same process). */
async function ecoact(args) {
  try {
    const { stdout, stderr } = await promisify(execFile)(BIN, args, { env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=1' } });
    return { code: 0, out: stdout, err: stderr };
  } catch (e) {
    return { code: e.code, out: e.stdout ?? '', err: e.stderr ?? '' };
  }
}

/** A server that asks every client for authentication request `code` with `payload`. */
async function fakeServer(code, payload) {
  const server = createServer(sock => {
    let buf = Buffer.alloc(0);
    sock.on('data', d => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 8) {
        const len = buf.readInt32BE(0);
        if (buf.length < len) return;
        const kind = buf.readInt32BE(4);
        buf = buf.subarray(len);
        if (kind === 80877103 || kind === 80877104) { sock.write('N'); continue; } // SSL, GSS: no
        const body = Buffer.concat([Buffer.alloc(4), payload]);
        body.writeInt32BE(code, 0);
        const head = Buffer.alloc(5);
        head.write('R', 0);
        head.writeInt32BE(body.length + 4, 1);
        sock.write(Buffer.concat([head, body]));
      }
    });
    sock.on('error', () => {});
  });
  await new Promise(r => server.listen(0, '127.0.0.1', r));
  return server;
}

for (const [name, code, payload] of [
  ['SHA256 (request 10, read by libpq as SASL)', 10, Buffer.from('SHA256\0\0')],
  ['SM3 (request 13)', 13, Buffer.alloc(8)],
]) {
  test(`openGauss's ${name}: the refusal says what to change`, async () => {
    const server = await fakeServer(code, payload);
    try {
      const dir = mkdtempSync(join(tmpdir(), 'ecoact-og-'));
      const url = `postgresql://ecoact@127.0.0.1:${server.address().port}/ecoact?connect_timeout=5`;
      const r = await ecoact(['migrate', '--db', url, '--data-key', join(dir, 'k')]);
      assert.notEqual(r.code, 0);
      assert.match(r.err, /cannot connect to PostgreSQL: .*(SASL authentication mechanisms|authentication method 13)/);
      assert.match(r.err, /password_encryption_type = 1/);
      assert.match(r.err, /md5 in pg_hba\.conf/);
    } finally {
      server.close();
    }
  });
}
