// facility.test.mjs - the portal's facility pages (issue 15 §6) at 390×844 in chromium, on the
// demo's 鸡冠石污水处理厂 and its weekly sessions: 林青 (13700137003) finds it by district and
// category, books the second session with a companion, reads a refusal in the server's words
// (a minimum age), sees her bookings with the signed QR code of a held one, and cancels; labels,
// 44 px targets and no horizontal scrolling on each page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql, residentId } from '../api/lib.mjs';
import { startConsole, shot, PHONE, portalLogin, noOverflow, phoneAccessible } from './lib.mjs';

let env;
before(async () => { env = await startConsole('facility'); });
after(async () => { await env?.close(); });

test('a citizen finds a facility by district and category, books with a companion, reads a refusal, shows the QR code and cancels', async () => {
  const one = q => sql(env.srv, q).trim().split('\n')[0];
  const fac = Number(one("SELECT id FROM fac_facilities WHERE name = '鸡冠石污水处理厂'"));
  const sessions = sql(env.srv, `SELECT id FROM fac_sessions WHERE facility_id = ${fac} ORDER BY starts_at`).trim().split('\n').map(Number);
  const lin = Number(one(`SELECT citizen_id FROM fac_bookings WHERE session_id = ${sessions[0]}`));
  const page = await env.page(PHONE);
  await portalLogin(page, env.base, '13700137003');
  await page.getByTestId('home-fac').click();
  await page.getByTestId('fac-list').waitFor();
  await page.getByLabel('区县').selectOption({ label: '渝中区' });
  await page.getByLabel('设施类别').selectOption({ label: '城市污水处理设施' });
  await page.getByRole('button', { name: '查找设施' }).click();
  const list = page.getByTestId('fac-list');
  await list.getByText('鸡冠石污水处理厂').waitFor();
  assert.match(await list.innerText(), /城市污水处理设施 · 重庆市南岸区鸡冠石镇 · 最近开放：/);
  await phoneAccessible(page, 'find');
  await noOverflow(page, 'find');
  await shot(page, 'facility-find');
  await page.getByLabel('设施类别').selectOption({ label: '环境监测设施' });
  await page.getByRole('button', { name: '查找设施' }).click();
  await page.getByText('没有符合条件的开放设施').waitFor();

  // book the second session with a companion
  await page.goto(env.base + `/m/fac/${fac}`);
  await page.getByRole('heading', { name: '鸡冠石污水处理厂' }).waitFor();
  await page.getByText('参观要求：年满8周岁').waitFor();
  const second = page.getByTestId(`session-${sessions[1]}`);
  await second.getByRole('button', { name: '预约', exact: true }).click();
  await second.getByRole('button', { name: '添加同行人' }).click();
  await second.getByLabel('同行人1姓名').fill('林小妹');
  await second.getByLabel('同行人1身份证号').fill(residentId('50010319950505002'));
  await phoneAccessible(page, 'facility');
  await noOverflow(page, 'facility');
  await shot(page, 'facility-book');
  await second.getByTestId('fac-book').click();
  await page.locator('.van-toast__text', { hasText: '预约成功' }).waitFor();
  await page.getByTestId('fac-list').or(page.getByRole('button', { name: '查找开放设施' })).first().waitFor();
  assert.equal(one(`SELECT headcount FROM fac_bookings WHERE citizen_id = ${lin} AND session_id = ${sessions[1]}`), '2');

  // a refusal in the server's words: the facility now asks for an age she lacks
  sql(env.srv, `UPDATE fac_facilities SET min_age = 18 WHERE id = ${fac}`);
  sql(env.srv, `UPDATE citizens SET birth_date = '2015-01-01' WHERE id = ${lin}`);
  await page.goto(env.base + `/m/fac/${fac}`);
  const third = page.getByTestId(`session-${sessions[2]}`);
  await third.getByRole('button', { name: '预约', exact: true }).click();
  await third.getByTestId('fac-book').click();
  await page.getByTestId('fac-error').getByText('本设施不接待18周岁以下的参观者').waitFor();
  assert.equal(one(`SELECT COUNT(*) FROM fac_bookings WHERE session_id = ${sessions[2]}`), '0');

  // my bookings: the QR code of a held one, then cancel it
  await page.goto(env.base + '/m/fac/mine');
  const b = page.getByTestId(`booking-${one(`SELECT id FROM fac_bookings WHERE citizen_id = ${lin} AND session_id = ${sessions[1]}`)}`);
  await b.getByText('已预约').waitFor();
  await b.getByRole('button', { name: '出示入场码' }).click();
  await b.getByTestId('fac-qr').waitFor();
  const ok = await b.getByTestId('fac-qr').evaluate(img => img.complete && img.naturalWidth > 0);
  assert.ok(ok, 'the QR code renders');
  await phoneAccessible(page, 'mine');
  await noOverflow(page, 'mine');
  await shot(page, 'facility-mine');
  await b.getByRole('button', { name: '取消预约' }).click();
  await page.locator('.van-dialog').getByRole('button', { name: '取消预约' }).click();
  await page.locator('.van-toast__text', { hasText: '已取消预约' }).waitFor();
  await b.getByText('已取消').waitFor();
});

test('a page whose first read fails says so and reads again on 重试 (the portal\'s one PageState)', async () => {
  const page = await env.page(PHONE);
  await portalLogin(page, env.base, '13700137003');
  let refused = 0;
  await page.route('**/api/v1/citizen/fac/bookings', route => {
    if (refused++ === 0) return route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message: '服务暂时不可用' } }) });
    return route.continue();
  });
  await page.goto(env.base + '/m/fac/mine');
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /读取失败/);
  await page.getByRole('button', { name: '重试' }).click();
  await page.getByRole('button', { name: '查找开放设施' }).waitFor();
  assert.equal(await page.getByRole('alert').count(), 0, 'the failure is gone once the read succeeds');
  assert.equal(refused, 2, '重试 read the bookings again');
});
