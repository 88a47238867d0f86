// The portal on a phone (375 px): every customer page lays out inside its cards (nothing wider
// than its container, nothing scrolled sideways), tables turn into stacked cards, and the header's
// menu is one line that opens without JavaScript.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { serverAndBrowser, newPage, open, signIn, SCREENSHOTS } from './harness.mjs';

const env = serverAndBrowser();
const PHONE = { width: 375, height: 740 };

// Every element laid out inside the screen, and no box whose content is wider than the box (a
// card scrolling a table sideways counts: its content does not fit).
async function overflowing(page) {
  return page.evaluate(() => {
    const out = [];
    const skip = new Set(['INPUT', 'TEXTAREA', 'SELECT', 'OPTION', 'SCRIPT', 'STYLE', 'TEMPLATE']);
    for (const el of document.querySelectorAll('header *, main *')) {
      if (skip.has(el.tagName) || el.closest('svg, .visually-hidden, .skip-link, table.stack thead')) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}`;
      if (r.left < -1 || r.right > window.innerWidth + 1) out.push(`${name} spans ${Math.round(r.left)}–${Math.round(r.right)} px`);
      else if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0 && getComputedStyle(el).display !== 'inline') {
        out.push(`${name} holds ${el.scrollWidth} px in ${el.clientWidth} px`);
      }
    }
    return out.slice(0, 10);
  });
}

describe('customer pages at 375 px', () => {
  test('every customer page fits its cards, in Korean and English', async () => {
    const page = await newPage(env.browser, { javaScript: true, viewport: PHONE });
    await signIn(page, env.server.base, 'customer1@example.com', true);
    const base = env.server.base;
    await open(page, `${base}/my/orders`, true);
    const order = await page.locator('a[href^="/my/orders/"]').first().getAttribute('href');
    await open(page, `${base}/my/inquiries`, true);
    const inquiry = await page.locator('a[href^="/my/inquiries/"]:not([href$="/new"])').first().getAttribute('href');
    const paths = ['/my', '/my/orders', order, '/my/inquiries', '/my/inquiries/new', inquiry, '/my/chat', '/my/history', '/my/profile', '/account/password', '/faq', '/'];
    for (const lang of ['ko', 'en']) {
      if (lang === 'en') {
        await page.locator('label.menu-button').click();
        await page.locator('form.lang-switch button').click();
        await page.waitForFunction(() => document.documentElement.lang === 'en');
      }
      for (const path of paths) {
        await open(page, `${base}${path}`, true);
        const bad = await overflowing(page);
        assert.deepEqual(bad, [], `${lang} ${path}`);
        const header = await page.locator('header.site-header').boundingBox();
        assert.ok(header.height <= 80, `${lang} ${path}: the header is one line (${header.height} px)`);
      }
    }
    // the orders table is a stack of cards: every cell says what it is
    await open(page, `${base}/my/orders`, true);
    const label = await page.locator('table.stack tbody td').last().evaluate((td) => getComputedStyle(td, '::before').content);
    assert.notEqual(label, 'none');
    await open(page, `${base}/my`, true);
    await page.screenshot({ path: join(SCREENSHOTS, 'my-page-phone.png'), fullPage: true });
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    console.log(`My page at 375 px: ${height} px tall`);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('the menu opens without JavaScript and its targets are 44 px tall', async () => {
    const page = await newPage(env.browser, { javaScript: false, viewport: PHONE });
    await signIn(page, env.server.base, 'customer1@example.com', false);
    await open(page, `${env.server.base}/my`, false);
    const orders = page.locator('header nav a[href="/my/orders"]');
    assert.ok(!(await orders.isVisible()), 'folded at first');
    await page.locator('label.menu-button').click();
    await orders.waitFor();
    const box = await orders.boundingBox();
    assert.ok(box.height >= 44, `a 44 px target (${box.height})`);
    // and the account's links: open the name, sign out (customer1 kept English from the test above)
    await page.locator('.account-menu summary').click();
    await page.getByRole('button', { name: /^(로그아웃|Log out)$/ }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/my'));
    await page.context().close();
  });
});
