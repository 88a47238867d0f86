// The customer portal in a real browser, hydrated and without JavaScript: profile and consent,
// My page arrangement, orders, inquiries and the contact history.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { serverAndBrowser, newPage, open, hydrated, signIn, mailTo, DEMO_PASSWORD, SCREENSHOTS } from './harness.mjs';

const env = serverAndBrowser();

async function panelOrder(page) {
  return page.locator('.panels [data-panel]').evaluateAll((els) => els.map((e) => e.dataset.panel));
}

for (const [javaScript, email] of [[true, 'customer13@example.com'], [false, 'customer12@example.com']]) {
  const mode = javaScript ? 'hydrated' : 'no-js';

  describe(`customer portal (${mode})`, () => {
    test('profile: a bad phone is refused beside the field, a good one is saved and shown', async () => {
      const page = await newPage(env.browser, { javaScript });
      await signIn(page, env.server.base, email, javaScript);
      await open(page, `${env.server.base}/my/profile`, javaScript);
      await page.getByLabel('휴대전화').fill('010-1234-567');
      await page.getByRole('button', { name: '저장' }).first().click();
      await page.locator('#field-phone-error', { hasText: '전화번호 형식이 올바르지 않습니다' }).waitFor();
      if (!javaScript) await page.getByLabel('휴대전화').waitFor();
      await page.getByLabel('휴대전화').fill('+82 10 9876 5432');
      await page.getByRole('button', { name: '저장' }).first().click();
      await page.getByRole('status').filter({ hasText: '저장했습니다.' }).or(page.getByLabel('휴대전화')).first().waitFor();
      await page.waitForTimeout(300);
      await open(page, `${env.server.base}/my/profile`, javaScript);
      assert.equal(await page.getByLabel('휴대전화').inputValue(), '010-9876-5432');
      assert.deepEqual(page.errors, []);
      await page.context().close();
    });

    test('email change: asked on the profile, done by the link mailed to the new address', async () => {
      const account = javaScript ? 'customer14@example.com' : 'customer16@example.com'; // Korean-speaking accounts
      const newEmail = `moved-${mode}@example.com`;
      const page = await newPage(env.browser, { javaScript });
      await signIn(page, env.server.base, account, javaScript);
      await open(page, `${env.server.base}/my/profile`, javaScript);
      const section = page.locator('section[aria-labelledby="email-title"]');
      await section.getByLabel('새 이메일').fill(newEmail);
      await section.getByLabel('비밀번호 확인').fill(DEMO_PASSWORD);
      await section.getByRole('button', { name: '저장' }).click();
      await page.getByRole('status').filter({ hasText: '새 주소로 확인 메일을 보냈습니다.' }).waitFor();
      // nothing changed yet
      assert.ok(await page.getByText(account).first().isVisible());

      const mail = await mailTo(env.server, newEmail, 'email_change_link');
      const link = new URL(mail.link);
      await open(page, `${env.server.base}${link.pathname}${link.search}`, javaScript);
      await page.getByText(`로그인 이메일을 ${newEmail}(으)로 바꿉니다.`).waitFor();
      if (javaScript) await page.screenshot({ path: join(SCREENSHOTS, 'email-change-confirm.png'), fullPage: true });
      await page.getByRole('button', { name: '이메일 바꾸기' }).click();
      await page.getByRole('status').filter({ hasText: '이메일을 변경했습니다.' }).waitFor();
      // this browser stays signed in, under the new address
      await page.getByRole('link', { name: '내 정보' }).last().click();
      await page.getByText(newEmail).first().waitFor();
      const notice = await mailTo(env.server, account, 'email_changed');
      assert.ok(notice.text.includes(newEmail), notice.text);
      assert.deepEqual(page.errors, []);
      await page.context().close();
    });

    test('consent: giving and withdrawing email consent shows when', async () => {
      const page = await newPage(env.browser, { javaScript });
      await signIn(page, env.server.base, email, javaScript);
      await open(page, `${env.server.base}/my/profile`, javaScript);
      const state = page.locator('[data-consent="email"]');
      const button = page.getByRole('button', { name: /^이메일 수신: / });
      if ((await button.textContent()).trim() === '철회') {
        await button.click();
        await state.filter({ hasText: '철회했습니다' }).waitFor();
      }
      await page.getByRole('button', { name: '이메일 수신: 동의' }).click();
      await state.filter({ hasText: /\d{4}-\d{2}-\d{2} \d{2}:\d{2}에 동의했습니다/ }).waitFor();
      await page.getByRole('button', { name: '이메일 수신: 철회' }).click();
      await state.filter({ hasText: /\d{4}-\d{2}-\d{2} \d{2}:\d{2}에 철회했습니다/ }).waitFor();
      assert.deepEqual(page.errors, []);
      await page.context().close();
    });

    test('My page: moved panels stay moved after logging out and in', async () => {
      const page = await newPage(env.browser, { javaScript });
      await signIn(page, env.server.base, email, javaScript);
      await open(page, `${env.server.base}/my`, javaScript);
      const before = await panelOrder(page);
      assert.deepEqual(before.slice(0, 2), ['orders', 'inquiries']);
      await page.locator('details.arrange summary').click();
      await page.getByRole('button', { name: '자주 묻는 질문: 위로' }).click();
      await page.waitForFunction(() => document.querySelectorAll('.panels [data-panel]')[1]?.dataset.panel === 'faq');
      await page.locator('.account-menu summary').click();
      await page.getByRole('button', { name: '로그아웃' }).click();
      await page.waitForURL(`${env.server.base}/`);
      await signIn(page, env.server.base, email, javaScript);
      await open(page, `${env.server.base}/my`, javaScript);
      assert.deepEqual((await panelOrder(page)).slice(0, 2), ['orders', 'faq']);
      await page.screenshot({ path: join(SCREENSHOTS, `my-page-${mode}.png`), fullPage: true });
      await page.context().close();
    });

    test('orders → timeline → inquiry about it → reply → list and history; markup stays text', async () => {
      const page = await newPage(env.browser, { javaScript });
      await signIn(page, env.server.base, email, javaScript);
      await open(page, `${env.server.base}/my/orders`, javaScript);
      const firstOrder = page.locator('table tbody tr td a').first();
      const orderNo = (await firstOrder.textContent()).trim();
      await firstOrder.click();
      await page.waitForURL(`${env.server.base}/my/orders/${orderNo}`);
      await page.getByRole('heading', { name: '진행 상황' }).waitFor();
      assert.ok((await page.locator('.timeline li').count()) >= 1);
      await page.screenshot({ path: join(SCREENSHOTS, `order-detail-${mode}.png`), fullPage: true });

      await page.getByRole('link', { name: '이 주문 문의하기' }).click();
      await page.waitForURL(/\/my\/inquiries\/new\?order=/);
      if (javaScript) await hydrated(page);
      assert.equal(await page.getByLabel('관련 주문 (선택)').inputValue(), orderNo, 'the order is preselected');
      await page.getByLabel('문의 유형').selectOption('delivery');
      const subject = `<script>alert("${mode}")</script> 배송 확인`;
      await page.getByLabel('제목').fill(subject);
      if (javaScript) {
        // the counter is an island: it counts as the customer types
        await page.locator('#field-subject-count', { hasText: `${[...subject].length} / 200자` }).waitFor();
      }
      await page.getByLabel('문의 내용').fill('언제 도착하나요?');
      await page.getByRole('button', { name: '보내기', exact: true }).click();
      await page.waitForURL(/\/my\/inquiries\/\d+$/);
      await page.getByRole('heading', { name: subject }).waitFor();
      assert.ok(await page.getByRole('link', { name: `주문 ${orderNo}` }).isVisible());

      if (javaScript) await hydrated(page);
      await page.getByLabel('답글 내용').fill('추가로, 문 앞에 놓아 주세요.');
      await page.getByRole('button', { name: '보내기', exact: true }).click();
      await page.locator('.msg-body', { hasText: '추가로, 문 앞에 놓아 주세요.' }).waitFor();
      assert.equal(await page.getByLabel('답글 내용').inputValue(), '', 'the reply box is empty again');
      await page.screenshot({ path: join(SCREENSHOTS, `inquiry-detail-${mode}.png`), fullPage: true });

      await open(page, `${env.server.base}/my/inquiries`, javaScript);
      await page.getByRole('link', { name: subject }).waitFor();
      await open(page, `${env.server.base}/my/history?kind=inquiry`, javaScript);
      await page.getByRole('link', { name: subject }).waitFor();
      assert.deepEqual(page.errors, [], 'no script ran and nothing failed');
      await page.context().close();
    });
  });
}

describe('English at phone width', () => {
  test('My page, orders and an order fit 375 px in English', async () => {
    const page = await newPage(env.browser, { javaScript: true, locale: 'en-US', viewport: { width: 375, height: 740 } });
    await signIn(page, env.server.base, 'customer4@example.com', true);
    for (const [path, heading] of [['/my', 'My page'], ['/my/orders', 'Orders'], ['/my/inquiries', 'Inquiries'], ['/my/history', 'Contact history'], ['/my/profile', 'Profile']]) {
      await open(page, `${env.server.base}${path}`, true);
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${path} overflows by ${overflow}px`);
    }
    await page.screenshot({ path: join(SCREENSHOTS, 'my-profile-phone-en.png'), fullPage: true });
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});
