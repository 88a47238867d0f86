// Accessibility: axe-core (WCAG 2.0/2.1 A and AA rules) on every page of every role, in Korean and
// in English. No violation of impact "serious" or "critical" is allowed; the rest are listed.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { serverAndBrowser, open, signIn } from './harness.mjs';

const env = serverAndBrowser();
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// A page in a context that lets the test inject axe (the app's CSP would refuse the script).
async function axePage(javaScript = true) {
  const context = await env.browser.newContext({ bypassCSP: true, locale: 'ko-KR', viewport: { width: 1280, height: 800 }, javaScriptEnabled: javaScript });
  return context.newPage();
}

async function audit(page) {
  await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, where: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
}

async function firstHref(page, base, path, selector) {
  await open(page, `${base}${path}`, true);
  const href = await page.locator(selector).first().getAttribute('href');
  assert.ok(href, `a link ${selector} on ${path}`);
  return href;
}

async function switchLanguage(page, lang) {
  await page.locator('form.lang-switch button').click();
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
}

// Runs axe on each path in both languages (the saved language switched in between) and returns
// the findings that are not serious or critical; fails on any that are.
async function auditAll(page, base, paths, who) {
  const minor = [];
  const serious = [];
  for (const lang of ['ko', 'en']) {
    if (lang === 'en') {
      await open(page, `${base}${paths[0]}`, true);
      await switchLanguage(page, 'en');
    }
    for (const path of paths) {
      await open(page, `${base}${path}`, true);
      for (const v of await audit(page)) {
        const line = `${who} ${lang} ${path}: ${v.id} (${v.impact}, ${v.nodes}) ${v.where.join(' | ')}`;
        (v.impact === 'serious' || v.impact === 'critical' ? serious : minor).push(line);
      }
    }
  }
  // back to Korean: the demo account keeps its saved language for the next test
  await switchLanguage(page, 'ko');
  console.log(`axe ${who}: ${paths.length * 2} page views, ${serious.length} serious/critical, ${minor.length} other${minor.length ? `\n  ${minor.join('\n  ')}` : ''}`);
  assert.deepEqual(serious, [], `serious or critical axe violations for ${who}`);
}

describe('axe-core on every page, both languages', () => {
  test('visitor pages', async () => {
    const page = await axePage();
    const base = env.server.base;
    const paths = ['/', '/faq', '/faq?q=%EB%B0%B0%EC%86%A1', '/login', '/register', '/no-such-page'];
    await auditAll(page, base, paths, 'visitor');
    await page.context().close();
  });

  test('customer pages', async () => {
    const page = await axePage();
    const base = env.server.base;
    await signIn(page, base, 'customer1@example.com', true);
    const order = await firstHref(page, base, '/my/orders', 'a[href^="/my/orders/"]');
    const inquiry = await firstHref(page, base, '/my/inquiries', 'a[href^="/my/inquiries/"]:not([href$="/new"])');
    const paths = ['/my', '/my/orders', order, '/my/inquiries', '/my/inquiries/new', inquiry, '/my/chat', '/my/history', '/my/profile', '/account/password'];
    await auditAll(page, base, paths, 'customer');
    await page.context().close();
  });

  test('agent pages', async () => {
    const page = await axePage();
    const base = env.server.base;
    await signIn(page, base, 'agent1@example.com', true);
    const inquiry = await firstHref(page, base, '/agent', 'a[href^="/agent/inquiries/"]');
    const customer = await firstHref(page, base, `${inquiry}`, 'a[href^="/agent/customers?q="]');
    const paths = ['/agent', inquiry, '/agent/chats', '/agent/customers', customer, '/agent/summary', '/account/password'];
    await auditAll(page, base, paths, 'agent');
    await page.context().close();
  });

  test('admin pages', async () => {
    const page = await axePage();
    const base = env.server.base;
    await signIn(page, base, 'admin@example.com', true);
    const template = await firstHref(page, base, '/admin/faq', 'a[href^="/admin/faq/"]:not([href$="/new"]):not([href$="/proposals"])');
    const paths = ['/admin', '/admin/faq', template, '/admin/faq/new', '/admin/faq/proposals', '/admin/types', '/admin/grades', '/admin/agents', '/admin/audit', '/admin/mail', '/admin/notices', '/admin/analytics', '/admin/staffing'];
    await auditAll(page, base, paths, 'admin');
    await page.context().close();
  });
});
