// volunteer.test.mjs - the portal's volunteer pages (issue 13 §7) at 390×844 in chromium, on the
// demo's 市级总队 and its two open activities: 林青 (13700137003, a registered volunteer) finds
// them by district and theme, signs up for one, sees a refusal in the server's words (an age the
// activity asks for), confirms a waitlist offer from 我的报名, and cancels; labels, 44 px targets
// and no horizontal scrolling on each page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from '../api/lib.mjs';
import { startConsole, shot, PHONE, portalLogin, noOverflow, phoneAccessible } from './lib.mjs';

let env;
before(async () => { env = await startConsole('volunteer'); });
after(async () => { await env?.close(); });

test('a volunteer finds activities by district and theme, signs up, reads a refusal, confirms a waitlist offer and cancels', async () => {
  const one = q => sql(env.srv, q).trim().split('\n')[0];
  const lin = Number(one("SELECT citizen_id FROM vol_volunteers WHERE number LIKE 'ZY%' ORDER BY citizen_id DESC"));
  const ling = Number(one("SELECT id FROM vol_activities WHERE title = '鹅岭公园捡拾垃圾'"));
  const jfb = Number(one("SELECT id FROM vol_activities WHERE title = '解放碑垃圾分类宣传'"));
  const pm = Number(one(`SELECT id FROM vol_shifts WHERE activity_id = ${jfb} ORDER BY starts_at DESC`));
  const page = await env.page(PHONE);
  await portalLogin(page, env.base, '13700137003');
  await page.getByTestId('home-vol').click();
  await page.getByTestId('vol-activities').waitFor();
  await page.getByLabel('区县').selectOption({ label: '渝中区' });
  await page.getByLabel('主题').selectOption({ label: '垃圾分类' });
  await page.getByRole('button', { name: '查找活动' }).click();
  const list = page.getByTestId('vol-activities');
  await list.getByText('鹅岭公园捡拾垃圾').waitFor();
  await list.getByText('解放碑垃圾分类宣传').waitFor();
  assert.match(await list.innerText(), /\d{4}年\d{1,2}月\d{1,2}日 · 鹅岭公园 · 垃圾分类/);
  await phoneAccessible(page, 'find');
  await noOverflow(page, 'find');
  await shot(page, 'volunteer-find');
  await page.getByLabel('主题').selectOption({ label: '美丽乡村' });
  await page.getByRole('button', { name: '查找活动' }).click();
  await page.getByText('没有符合条件的招募中活动').waitFor();

  // sign up for 鹅岭
  await page.goto(env.base + `/m/vol/activities/${ling}`);
  await page.getByRole('heading', { name: '鹅岭公园捡拾垃圾' }).waitFor();
  await page.getByText('取消报名截止：').waitFor();
  await page.getByRole('button', { name: '报名', exact: true }).click();
  await page.locator('.van-toast__text', { hasText: '报名成功' }).waitFor();
  await page.getByText('我的状态：已报名').waitFor();
  assert.equal(one(`SELECT state FROM vol_signups WHERE citizen_id = ${lin} AND shift_id IN (SELECT id FROM vol_shifts WHERE activity_id = ${ling})`), 'held');
  await phoneAccessible(page, 'activity');
  await noOverflow(page, 'activity');
  await shot(page, 'volunteer-activity');

  // a refusal in the server's words: the afternoon of 解放碑 now asks for an age she lacks
  sql(env.srv, `UPDATE vol_activities SET min_age = 99 WHERE id = ${jfb}`);
  await page.goto(env.base + `/m/vol/activities/${jfb}`);
  await page.getByText('年龄要求：年满99周岁').waitFor();
  await page.getByTestId(`shift-${pm}`).getByRole('button', { name: '报名', exact: true }).click();
  await page.getByTestId('vol-error').getByText('本活动要求年满99周岁').waitFor();
  assert.equal(one(`SELECT COUNT(*) FROM vol_signups WHERE shift_id = ${pm}`), '0');

  // a waitlist offer made to her (a place freed by someone else): confirmed from 我的报名
  const until = Math.floor(Date.now() / 1000) + 3600;
  sql(env.srv, `INSERT INTO vol_signups(shift_id, citizen_id, state, offer_until, created_at, updated_at) VALUES (${pm}, ${lin}, 'offered', ${until}, 0, 0)`);
  sql(env.srv, `UPDATE vol_shifts SET taken = taken + 1 WHERE id = ${pm}`);
  await page.goto(env.base + '/m/vol/mine');
  const mine = page.getByTestId('vol-mine');
  await mine.getByText('候补待确认').waitFor();
  assert.match(await mine.innerText(), /请在\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d前确认/);
  await phoneAccessible(page, 'mine');
  await noOverflow(page, 'mine');
  await shot(page, 'volunteer-mine');
  await mine.getByText('解放碑垃圾分类宣传 · 下午班').click();
  await page.getByRole('button', { name: '确认候补名额' }).click();
  await page.locator('.van-toast__text', { hasText: '已确认候补名额' }).waitFor();
  await page.getByTestId(`shift-${pm}`).getByText('我的状态：已报名').waitFor();
  assert.equal(one(`SELECT state FROM vol_signups WHERE shift_id = ${pm} AND citizen_id = ${lin}`), 'held');

  // and cancels it before the deadline: the place is free again
  await page.getByTestId(`shift-${pm}`).getByRole('button', { name: '取消报名' }).click();
  const dlg = page.locator('.van-dialog');
  await dlg.getByText('确定取消这个班次的报名？').waitFor();
  await dlg.getByRole('button', { name: '取消报名', exact: true }).click();
  await page.locator('.van-toast__text', { hasText: '已取消报名' }).waitFor();
  await page.getByTestId(`shift-${pm}`).getByText('我的状态：已取消').waitFor();
  assert.equal(one(`SELECT taken FROM vol_shifts WHERE id = ${pm}`), '0');
  await page.done();
});
