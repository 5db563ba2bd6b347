// inbox.test.mjs - 待办 and 待阅 apart in the browser (issue 19), at 390 px, on the demo history:
// demo.xcb finds the nine 「会议纪要已印发」 under 待阅, not under 待办; the header's badge does
// not count them and its tooltip says so; 标为已读 on one lowers the 待阅 count by one and leaves
// the badge as it was; 全部标为已读 empties the tab, which then says there is nothing to read.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startConsole, uiLogin, shot, PHONE, noOverflow } from './lib.mjs';
import { cli } from '../api/lib.mjs';

let env;
before(async () => {
  env = await startConsole('inbox');
  const h = cli(env.srv, ['demo', '--history']);
  assert.equal(h.code, 0, h.err);
});
after(async () => { await env?.close(); });

const count = async loc => Number(await loc.getAttribute('data-count'));

test('demo.xcb reads the issued minutes under 待阅, marks one and then all read (390 px)', async () => {
  const page = await env.page(PHONE);
  await uiLogin(page, env.base, 'demo.xcb');
  const badge = page.getByTestId('inbox-badge');
  // the badge counts 待办 only, and its tooltip says the 待阅 are apart
  await page.waitForFunction(() => /另有待阅 9 项/.test(document.querySelector('[data-testid="inbox-badge"]')?.title || ''));
  assert.match(await badge.getAttribute('title'), /^我的待办：.*（角标只计待办；另有待阅 9 项）$/);
  const todoCount = await count(badge);

  await badge.click();
  await page.getByRole('heading', { name: '我的待办' }).waitFor();
  const todoTab = page.getByTestId('inbox-tab-todo'), readTab = page.getByTestId('inbox-tab-toread');
  await page.waitForFunction(() => document.querySelector('[data-testid="inbox-tab-toread"]')?.dataset.count === '9');
  assert.equal(await count(todoTab), todoCount, 'the 待办 tab counts what the badge counts');
  assert.match(await readTab.innerText(), /待阅\s*9/);
  // under 待办: no minutes
  await page.getByRole('tab', { name: /待办/ }).getByText('待办').waitFor();
  assert.equal(await page.getByTestId('inbox-item').filter({ hasText: '会议纪要已印发' }).count(), 0, 'no minutes among the 待办');
  if (!todoCount) await page.getByTestId('inbox-empty').getByText('没有待办事项').waitFor();

  // under 待阅: the nine, with the server's label and 标为已读
  await page.getByRole('tab', { name: /待阅/ }).click();
  await page.waitForURL(/\/inbox\?class=toread$/);
  const minutes = page.getByTestId('inbox-item').filter({ hasText: '会议纪要已印发' });
  await minutes.first().waitFor();
  assert.equal(await minutes.count(), 9);
  assert.equal(await page.getByTestId('inbox-item').count(), 9);
  assert.equal(await minutes.first().getAttribute('data-class'), 'toread');
  await page.getByTestId('inbox-counts').getByText(/会议纪要已印发\s*9/).waitFor();
  await noOverflow(page);
  await shot(page, 'inbox-toread-390');

  const first = minutes.first();
  const title = (await first.locator('.item-title').innerText()).trim();
  await first.getByRole('button', { name: `标为已读：${title}` }).click();
  await page.getByText('已标为已读', { exact: false }).first().waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="inbox-tab-toread"]')?.dataset.count === '8');
  assert.equal(await minutes.count(), 8);
  assert.match(await readTab.innerText(), /待阅\s*8/);
  await page.waitForFunction(() => /另有待阅 8 项/.test(document.querySelector('[data-testid="inbox-badge"]')?.title || ''));
  assert.equal(await count(badge), todoCount, 'reading changes no 待办 count');

  // 全部标为已读
  await page.getByTestId('inbox-read-all').click();
  const box = page.getByRole('dialog', { name: '全部标为已读', exact: true });
  await box.getByText(/将 8 项待阅全部标为已读/).waitFor();
  await box.getByRole('button', { name: '全部标为已读', exact: true }).click();
  await page.getByTestId('inbox-empty').getByText(/没有待阅事项/).waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="inbox-tab-toread"]')?.dataset.count === '0');
  assert.equal(await page.getByTestId('inbox-read-all').count(), 0, 'nothing left to read: no button');
  assert.equal(await count(badge), todoCount);
  await noOverflow(page);
  await shot(page, 'inbox-toread-empty-390');

  // and they stay read after a reload
  await page.reload();
  await page.getByTestId('inbox-empty').getByText(/没有待阅事项/).waitFor();
  assert.equal(await count(page.getByTestId('inbox-tab-toread')), 0);
  await page.done();
});
