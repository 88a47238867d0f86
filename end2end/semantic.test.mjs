// The semantic FAQ head in a real browser (issue 20), on a server with the e5 model: a colloquial
// question the words alone do not settle is answered moments after filing, and the customer's
// page shows the answer by itself (no script: it looks again while the answer may still come);
// an agent working an inquiry sees resolved inquiries that asked the same by meaning, with the
// answers that resolved them, and puts one into the reply box; the customer search takes a question;
// an admin's question mining groups the questions no template answered and drafts the template.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launchBrowser, newPage, open, signIn, fileInquiry as fileInquiryWith, SCREENSHOTS } from './harness.mjs';

const env = {};
before(async () => {
  env.server = await startServer({ semantic: true });
  env.browser = await launchBrowser();
  // the encoder loads and the blend trains in the background after start-up
  const deadline = Date.now() + 180_000;
  for (;;) {
    const health = await (await fetch(`${env.server.base}/healthz`)).text();
    if (health.includes('"faq":"semantic"')) break;
    if (Date.now() > deadline) throw new Error(`the semantic FAQ head was not ready in 180 s: ${health}`);
    await new Promise((r) => setTimeout(r, 250));
  }
});
after(async () => {
  await env.browser?.close();
  await env.server?.stop();
});

// Files an inquiry through the form without JavaScript (a plain form post); its id.
const fileInquiry = (page, type, subject, body) => fileInquiryWith(page, env.server.base, type, subject, body, false);

describe('semantic FAQ head', () => {
  test('a colloquial question is answered moments after filing, and the page shows it by itself', async () => {
    const customer = await newPage(env.browser, { javaScript: false });
    await signIn(customer, env.server.base, 'customer7@example.com', false);
    await fileInquiry(customer, 'delivery', '문의', '택배 언제와요 ㅠㅠ 주말에 써야되는데');
    // either already answered when the page first rendered, or the page says it is looking and
    // comes back with the answer
    const deciding = await customer.locator('.deciding').count();
    await customer.locator('.msg-bot').waitFor({ timeout: 20_000 });
    await customer.getByRole('heading', { name: '자동 답변으로 해결되었나요?' }).waitFor();
    assert.equal(await customer.locator('.deciding').count(), 0, 'no longer looking once answered');
    console.log(`answered ${deciding ? 'after the page looked again' : 'before the page rendered'}`);
    assert.deepEqual(customer.errors, []);
    await customer.context().close();
  });

  test('similar past inquiries with the answers that resolved them, one into the reply box', async () => {
    const answer = '불편을 드려 죄송합니다. 화면 불량은 교환 대상입니다. 회수 기사님이 내일 방문합니다.';
    const first = await newPage(env.browser, { javaScript: false });
    await signIn(first, env.server.base, 'customer5@example.com', false);
    const past = await fileInquiry(first, 'complaint', '노트북 화면 불량', '받은 노트북 화면에 세로줄이 생겼어요. 교환이나 수리가 가능한가요?');

    // agent3 (general group: complaints) resolves it with a reply
    const agent = await newPage(env.browser, { javaScript: true, viewport: { width: 1440, height: 900 } });
    await signIn(agent, env.server.base, 'agent3@example.com', true);
    await open(agent, `${env.server.base}/agent/inquiries/${past}`, true);
    await agent.locator('#field-body').fill(answer);
    await agent.locator('#field-next-status').selectOption('resolved');
    await agent.locator('#send').click();
    await agent.locator('.msg-agent', { hasText: '회수 기사님' }).waitFor();

    // another customer asks the same in other words
    const second = await newPage(env.browser, { javaScript: false });
    await signIn(second, env.server.base, 'customer6@example.com', false);
    const now = await fileInquiry(second, 'complaint', '액정 줄', '노트북 액정에 줄이 보이는데 교환 되나요?');

    // embedded in the background a moment later: the workspace lists the resolved one
    const similar = agent.locator('.ws-similar');
    const deadline = Date.now() + 30_000;
    for (;;) {
      await open(agent, `${env.server.base}/agent/inquiries/${now}`, true);
      if (await similar.count()) break;
      assert.ok(Date.now() < deadline, 'similar past inquiries never appeared');
      await new Promise((r) => setTimeout(r, 500));
    }
    await similar.getByRole('heading', { name: '비슷한 지난 문의' }).waitFor();
    const item = similar.locator('li', { hasText: '노트북 화면 불량' });
    await item.waitFor();
    assert.match(await item.locator('.badge').innerText(), /^유사도 \d+%$/);
    await agent.screenshot({ path: join(SCREENSHOTS, 'agent-similar-inquiries.png'), fullPage: true });
    await item.getByRole('button', { name: '이 답변 사용' }).or(item.getByRole('link', { name: '이 답변 사용' })).click();
    await agent.waitForURL(new RegExp(`/agent/inquiries/${now}\\?reuse=${past}`));
    await agent.waitForFunction((a) => document.getElementById('field-body')?.value === a, answer);

    // the customer search takes a question: the inquiries that asked it
    await open(agent, `${env.server.base}/agent/customers`, true);
    await agent.getByLabel('검색', { exact: true }).fill('노트북 화면에 줄 생기면 교환해주나요');
    await agent.getByRole('button', { name: '검색', exact: true }).click();
    const hits = agent.locator('.question-hits');
    await hits.getByRole('heading', { name: '이 질문과 비슷한 문의' }).waitFor();
    await hits.getByRole('link', { name: '노트북 화면 불량' }).waitFor();
    await hits.getByRole('link', { name: '액정 줄' }).waitFor();
    await agent.screenshot({ path: join(SCREENSHOTS, 'agent-question-search.png'), fullPage: true });

    // on a phone the list stays readable
    const phone = await newPage(env.browser, { javaScript: true, viewport: { width: 375, height: 812 } });
    await signIn(phone, env.server.base, 'agent3@example.com', true);
    await open(phone, `${env.server.base}/agent/inquiries/${now}`, true);
    await phone.locator('.ws-similar').waitFor();
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 375, `no sideways scrolling at 375 px (${width})`);
    await phone.screenshot({ path: join(SCREENSHOTS, 'agent-similar-inquiries-375.png'), fullPage: true });
    assert.deepEqual(agent.errors, []);
    for (const p of [first, second, agent, phone]) await p.context().close();
  });

  test('question mining proposes the missing templates and drafts one', async () => {
    const admin = await newPage(env.browser, { javaScript: true, locale: 'en-US', viewport: { width: 1440, height: 900 } });
    await signIn(admin, env.server.base, 'admin@example.com', true);
    // the background job reads the demo history for meaning first
    const deadline = Date.now() + 240_000;
    for (;;) {
      await open(admin, `${env.server.base}/admin/faq/mining?weeks=8`, true);
      const toEnglish = admin.getByRole('button', { name: 'English', exact: true });
      if (await toEnglish.count()) {
        await toEnglish.click();
        await admin.getByRole('heading', { name: 'Question mining', level: 1 }).waitFor();
      }
      if (!(await admin.getByText(/still being read for meaning/).count())) break;
      assert.ok(Date.now() < deadline, 'the demo history was never read for meaning');
      await new Promise((r) => setTimeout(r, 1000));
    }
    await admin.getByRole('heading', { name: 'Question mining', level: 1 }).waitFor();
    await admin.getByRole('heading', { name: 'Template coverage by type' }).waitFor();
    await admin.getByRole('img', { name: /most frequent 20% of the questions were \d+% of the inquiries/ }).waitFor();
    const card = admin.locator('.mined > li', { hasText: /smart watch/ }).first();
    await card.waitFor();
    await card.getByText('works with Android 8 and later', { exact: false }).waitFor();
    await admin.screenshot({ path: join(SCREENSHOTS, 'admin-question-mining.png'), fullPage: true });
    await card.getByRole('link', { name: 'Draft a template' }).click();
    await admin.waitForURL(/\/admin\/faq\/new\?from=[\d,]+$/);
    await admin.getByText(/A draft from \d+ inquiries found by question mining/).waitFor();
    assert.match(await admin.locator('#field-question').inputValue(), /smart watch/i);
    assert.match(await admin.locator('#field-answer').inputValue(), /^Yes: the smart watch works with Android/);
    assert.ok((await admin.locator('#field-phrasings').inputValue()).split('\n').length >= 1);
    assert.equal(await admin.locator('#field-type_code').inputValue(), 'product');
    assert.equal(await admin.locator('#field-language').inputValue(), 'en');
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.waitForURL(/\/admin\/faq\/\d+\?saved=1$/);
    await admin.getByText('Saved. The next inquiry is answered with the new content.').waitFor();
    assert.deepEqual(admin.errors, []);

    // the same page on a phone, without sideways scrolling
    const phone = await newPage(env.browser, { javaScript: true, viewport: { width: 375, height: 812 } });
    await signIn(phone, env.server.base, 'admin@example.com', true);
    await open(phone, `${env.server.base}/admin/faq/mining?weeks=8`, true);
    // in the language the admin chose above
    await phone.getByRole('heading', { name: /^(질문 발굴|Question mining)$/, level: 1 }).waitFor();
    await phone.locator('.mined > li').first().waitFor();
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 375, `no sideways scrolling at 375 px (${width})`);
    await phone.screenshot({ path: join(SCREENSHOTS, 'admin-question-mining-375.png'), fullPage: true });
    for (const p of [admin, phone]) await p.context().close();
  });
});
