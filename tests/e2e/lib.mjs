// lib.mjs - browser test harness: the real ecoact server (tests/api/lib.mjs: sanitizer build,
// fresh database with demo accounts) serving the built console from web/dist, and Debian's
// chromium driven by playwright-core (no browser download). Each page records script errors
// and CSP violations, which fail the test; screenshots go to test-output/e2e/.
import { chromium } from 'playwright-core';
import { mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { startServer, ROOT, DEMO_PASSWORD } from '../api/lib.mjs';

export { DEMO_PASSWORD, ROOT };
export const WEB = join(ROOT, 'web', 'dist');
export const SHOTS = join(ROOT, 'test-output', 'e2e');
export const CHROMIUM = process.env.ECOACT_CHROMIUM || '/usr/bin/chromium';
export const DESKTOP = { width: 1366, height: 768 };
export const PHONE = { width: 390, height: 844 };

/** Starts the server with the console and a headless chromium; call env.close() at the end. */
export async function startConsole(name) {
  assert.ok(existsSync(join(WEB, 'index.html')), 'web/dist is not built: run scripts/build-web');
  mkdirSync(SHOTS, { recursive: true });
  const srv = await startServer({ name: `e2e-${name}`, args: ['--web', WEB] });
  let browser;
  try {
    // launch() gives every run a fresh temporary profile (user-data dir) of its own.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  } catch (e) {
    await srv.stop();
    throw e;
  }
  const env = {
    srv,
    browser,
    base: srv.base,
    /** A new browser context (own cookies) and page, watched for script errors. */
    async page(viewport = DESKTOP) {
      const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      const page = await context.newPage();
      page.setDefaultTimeout(15000);
      page.problems = [];
      page.on('pageerror', e => page.problems.push(`page error: ${e.message}`));
      page.on('console', m => {
        if (m.type() !== 'error') return;
        const t = m.text();
        // The browser logs every non-2xx answer; those are expected (401, 423 …) and checked
        // by the tests through what the page shows.
        if (/^Failed to load resource: the server responded with a status of/.test(t)) return;
        page.problems.push(`console error: ${t}`);
      });
      page.done = async () => {
        const problems = page.problems.slice();
        await context.close();
        assert.deepEqual(problems, [], 'no script errors or CSP violations');
      };
      return page;
    },
    async close() {
      await browser.close();
      await srv.stop();
    },
  };
  return env;
}

/** Logs in through the login form, as a keyboard user does: Tab between fields, Enter. */
export async function uiLogin(page, base, username, password = DEMO_PASSWORD) {
  await page.goto(base + '/login');
  await page.getByLabel('用户名').fill(username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  assert.equal(await page.getByLabel('密码', { exact: true }).inputValue(), password, 'Tab leads from 用户名 to 密码');
  await page.keyboard.press('Enter');
}

/** Logs a citizen in on the portal's login form (/m/login) with a phone number. */
export async function portalLogin(page, base, phone, password = DEMO_PASSWORD) {
  await page.goto(base + '/m/login');
  await page.getByLabel('手机号', { exact: true }).fill(phone);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
}

/** The page does not scroll sideways (what: the page's name, for the message). */
export async function noOverflow(page, what) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${what ? `${what}: ` : ''}no horizontal scrolling (overflow ${overflow} px)`);
}

/** A portal page's fields all have labels and its controls are touch targets of 44×44 px. */
export async function phoneAccessible(page, what) {
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll('main input, main select')]
    .filter(i => i.type !== 'hidden' && !(i.labels && i.labels.length) && !i.getAttribute('aria-label'))
    .map(i => i.id || i.outerHTML.slice(0, 80)));
  assert.deepEqual(unlabelled, [], `${what}: every field has a label`);
  const small = await page.evaluate(() => [...document.querySelectorAll('main button, main a, main select, main input, main .van-cell--clickable')]
    .filter(e => e.offsetParent !== null)
    .map(e => ({ t: (e.innerText || e.id || e.tagName).trim().slice(0, 20), r: e.getBoundingClientRect() }))
    .filter(({ r }) => r.height < 43.5 || r.width < 43.5)
    .map(({ t, r }) => `${t} ${Math.round(r.width)}×${Math.round(r.height)}`));
  assert.deepEqual(small, [], `${what}: touch targets of 44×44 px at least`);
}

/**
 * A screenshot into test-output/e2e/NAME.png after fonts and animations settle: the full page,
 * or with {fullPage: false} what the window shows (for dialogs, which cover the window only).
 */
export async function shot(page, name, { fullPage = true } = {}) {
  await page.evaluate(() => document.fonts.ready);
  // From the top: a full-page capture of a scrolled page repeats the sticky header mid-page.
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(350);
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

/** The side navigation's link texts. */
export async function navTitles(page) {
  return page.locator('nav.side-nav a').allInnerTexts().then(a => a.map(s => s.trim()));
}
