// xlsx.mjs - reads the cells of an .xlsx the API answers (unzip -p of the sheet's XML, shared or
// inline strings), for the tests of the exports.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

function unzip(buf, part) {
  const dir = mkdtempSync(join(tmpdir(), 'ecoact-xlsx-'));
  const f = join(dir, 'book.xlsx');
  writeFileSync(f, buf);
  return execFileSync('unzip', ['-p', f, part], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}
/** The cells of an .xlsx's sheet as text, row by row, each at its column ('' when blank). */
export function sheetRows(buf, sheet = 'sheet1') {
  let shared = '';
  try { shared = unzip(buf, 'xl/sharedStrings.xml'); } catch { /* constant memory: inline strings */ }
  const text = x => [...x.matchAll(/<t[^>]*>([^<]*)<\/t>/g)].map(t => t[1]).join('')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  const strings = [...shared.matchAll(/<si>(.*?)<\/si>/gs)].map(m => text(m[1]));
  const xml = unzip(buf, `xl/worksheets/${sheet}.xml`);
  const col = letters => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  return [...xml.matchAll(/<row [^>]*>(.*?)<\/row>/gs)].map(r => {
    const cells = [];
    for (const c of r[1].matchAll(/<c r="([A-Z]+)\d+"([^>]*?)(?:\/>|>(.*?)<\/c>)/gs)) {
      const v = /<v>([^<]*)<\/v>/.exec(c[3] || '');
      const value = /t="inlineStr"/.test(c[2]) ? text(c[3] || '') : !v ? '' : /t="s"/.test(c[2]) ? strings[Number(v[1])] : v[1];
      cells[col(c[1])] = value;
    }
    return Array.from(cells, x => x ?? ''); // a blank cell is ''
  });
}
