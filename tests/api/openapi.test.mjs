// openapi.test.mjs - every route the binary serves is documented in docs/openapi.yaml.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ROOT } from './lib.mjs';

test('docs/openapi.yaml lists every route with its method', () => {
  const routes = execFileSync(BIN, ['routes'], { encoding: 'utf8' }).trim().split('\n');
  assert.ok(routes.length > 20);
  const doc = readFileSync(join(ROOT, 'docs/openapi.yaml'), 'utf8');
  // paths are top-level keys under `paths:` indented by two spaces; methods by four
  const paths = {};
  let current = null;
  for (const line of doc.split('\n')) {
    let m;
    if ((m = /^  (\/\S*):\s*$/.exec(line))) { current = m[1]; paths[current] = new Set(); }
    else if (current && (m = /^    (get|post|put|patch|delete):/.exec(line))) paths[current].add(m[1].toUpperCase());
    else if (/^\S/.test(line)) current = line.startsWith('paths:') ? current : null;
  }
  const missing = routes.filter(r => { const [method, path] = r.split(' '); return !paths[path]?.has(method); });
  assert.deepEqual(missing, [], `routes missing from docs/openapi.yaml: ${missing.join(', ')}`);
});
