// The FAQ in a real browser: the public page groups answers by type and searches instantly
// (from the FAQ pack, no request per keystroke) and without JavaScript; a suggestion shown while
// typing a new inquiry can answer it ("that answered it": counted, nothing sent).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { serverAndBrowser, newPage, open, signIn, SCREENSHOTS } from './harness.mjs';

const env = serverAndBrowser();

describe('public FAQ', () => {
  test('answers grouped by type; instant search sends no request; formatting is rendered safely', async () => {
    const page = await newPage(env.browser, { javaScript: true });
    await open(page, `${env.server.base}/faq`, true);
    await page.getByRole('heading', { name: '반품·교환' }).waitFor();
    await page.locator('form.search[data-ready="true"]').waitFor();
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.getByLabel('자주 묻는 질문 검색').pressSequentially('환불 언제 돼요');
    const first = page.locator('.faq-results li').first();
    await first.locator('summary', { hasText: '환불은 언제 되나요?' }).waitFor();
    assert.deepEqual(requests, [], 'searching sent requests');
    // the grouped view is gone while a query is typed: ranked results have no type headings
    assert.equal(await page.getByRole('heading', { name: '반품·교환' }).count(), 0);
    await first.locator('summary').click();
    await page.screenshot({ path: join(SCREENSHOTS, 'faq-search.png'), fullPage: true });
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('without JavaScript the search is a form and English visitors get English answers', async () => {
    const page = await newPage(env.browser, { javaScript: false, locale: 'en-US' });
    await page.goto(`${env.server.base}/faq?q=${encodeURIComponent('forgot password')}`);
    await page.locator('.faq-results summary', { hasText: /password/i }).first().waitFor();
    assert.equal(await page.locator('.faq-results summary', { hasText: /[가-힣]/ }).count(), 0);
    await page.goto(`${env.server.base}/faq?q=${encodeURIComponent('zzqx qqvw')}`);
    await page.getByText('No question matches').waitFor();
    await page.context().close();
  });
});

describe('suggestions while typing', () => {
  test('"That answered it" records a deflection and files no inquiry', async () => {
    const page = await newPage(env.browser, { javaScript: true });
    await signIn(page, env.server.base, 'customer12@example.com', true);
    await open(page, `${env.server.base}/my/inquiries`, true);
    const before = await page.locator('ul.item-list > li').count();
    await open(page, `${env.server.base}/my/inquiries/new`, true);
    await page.locator('.faq-suggest[data-ready="true"]').waitFor({ state: 'attached' });
    assert.equal(await page.locator('.faq-suggest').isVisible(), false, 'nothing typed, nothing suggested');
    const sent = [];
    page.on('request', (r) => sent.push(r.url()));
    await page.getByLabel('문의 내용').pressSequentially('반품 보냈는데 환불이 아직 안 들어왔어요');
    const item = page.locator('.faq-suggest li', { hasText: '환불은 언제 되나요?' });
    await item.locator('summary').click();
    const recorded = page.waitForResponse((r) => r.url().includes('/api/record_deflection'));
    await item.getByRole('button', { name: '이 답변으로 해결됐어요' }).click();
    assert.equal((await recorded).status(), 200);
    await page.getByRole('status').filter({ hasText: '문의는 보내지 않았어요' }).waitFor();
    assert.match(page.url(), /\/my\/inquiries\/new$/);
    assert.deepEqual(sent.filter((u) => !u.includes('/api/record_deflection')), [], 'only the deflection was sent');
    await open(page, `${env.server.base}/my/inquiries`, true);
    assert.equal(await page.locator('ul.item-list > li').count(), before);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('full-width and upper-case typing is matched like plain text (NFKC and lower case by the browser)', async () => {
    const page = await newPage(env.browser, { javaScript: true });
    await signIn(page, env.server.base, 'customer12@example.com', true);
    await open(page, `${env.server.base}/my/inquiries/new`, true);
    await page.locator('.faq-suggest[data-ready="true"]').waitFor({ state: 'attached' });
    await page.getByLabel('문의 내용').pressSequentially('I FORGOT MY ＰＡＳＳＷＯＲＤ');
    await page.locator('.faq-suggest summary', { hasText: 'I forgot my password.' }).waitFor();
    // the counter counts what the field holds, full-width letters as one character each
    assert.match(await page.locator('#field-body-count').textContent(), /^20\D/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});
