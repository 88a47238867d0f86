// Accounts in a real browser, run twice: hydrated (WASM) and with JavaScript disabled, so
// progressive enhancement cannot silently break.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { serverAndBrowser, newPage, open, hydrated, mailTo, DEMO_PASSWORD, SCREENSHOTS } from './harness.mjs';

const env = serverAndBrowser();

for (const javaScript of [true, false]) {
  const mode = javaScript ? 'hydrated' : 'no-js';

  describe(`accounts (${mode})`, () => {
    test('register, confirm by mail, log out, log in, and see My page', async () => {
      const page = await newPage(env.browser, { javaScript });
      const email = `e2e-${mode}-${Date.now()}@example.com`;
      await open(page, `${env.server.base}/register`, javaScript);
      await page.getByLabel('이름').fill('테스트 고객');
      await page.getByLabel('이메일').fill(email);
      await page.getByLabel('비밀번호', { exact: true }).fill('e2e password 123');
      await page.getByLabel('비밀번호 확인').fill('e2e password 123');
      await page.getByRole('button', { name: '가입하기' }).click();
      await page.getByRole('status').filter({ hasText: '메일을 확인해 주세요' }).waitFor();
      assert.equal(await page.getByRole('button', { name: '가입하기' }).isVisible(), false, 'the form is put away');
      if (javaScript) {
        await page.screenshot({ path: join(SCREENSHOTS, 'register-sent.png'), fullPage: true });
      }

      // the mail's link opens a page that finishes the registration with one button
      const mail = await mailTo(env.server, email, 'registration_link');
      assert.match(mail.text, /테스트 고객님, 안녕하세요\./);
      const link = new URL(mail.link);
      await open(page, `${env.server.base}${link.pathname}${link.search}`, javaScript);
      await page.getByText(`${email} 주소로 가입을 마무리합니다.`).waitFor();
      await page.getByRole('button', { name: '가입 마무리하기' }).click();
      await page.waitForURL(`${env.server.base}/my`);
      await page.getByRole('heading', { name: '마이페이지' }).waitFor();
      assert.ok(await page.getByText('테스트 고객님, 안녕하세요.').isVisible());

      if (javaScript) await hydrated(page);
      await page.locator('.account-menu summary').click();
      await page.getByRole('button', { name: '로그아웃' }).click();
      await page.waitForURL(`${env.server.base}/`);
      await page.getByRole('link', { name: '로그인', exact: true }).first().waitFor();

      await open(page, `${env.server.base}/login`, javaScript);
      await page.getByLabel('이메일').fill(email);
      await page.getByLabel('비밀번호').fill('e2e password 123');
      await page.getByRole('button', { name: '로그인' }).click();
      await page.waitForURL(`${env.server.base}/my`);
      await page.getByRole('heading', { name: '마이페이지' }).waitFor();
      assert.deepEqual(page.errors, []);
      await page.context().close();
    });

    test('a used or unknown registration link says so', async () => {
      const page = await newPage(env.browser, { javaScript });
      await open(page, `${env.server.base}/register/confirm?token=${'0'.repeat(64)}`, javaScript);
      await page.getByRole('alert').filter({ hasText: '이 링크는 쓸 수 없습니다.' }).waitFor();
      assert.ok(await page.getByRole('link', { name: '다시 가입하기' }).isVisible());
      assert.deepEqual(page.errors, []);
      await page.context().close();
    });

    test('registration errors are shown beside the fields', async () => {
      const page = await newPage(env.browser, { javaScript });
      await open(page, `${env.server.base}/register`, javaScript);
      await page.getByLabel('이름').fill('Kim');
      await page.getByLabel('이메일').fill('customer1@example.com');
      await page.getByLabel('비밀번호', { exact: true }).fill('short');
      await page.getByLabel('비밀번호 확인').fill('short');
      await page.getByRole('button', { name: '가입하기' }).click();
      await page.locator('#field-password-error', { hasText: '10자 이상 입력해 주세요.' }).waitFor();
      assert.equal(await page.getByLabel('비밀번호', { exact: true }).getAttribute('aria-invalid'), 'true');
      assert.ok(page.url().startsWith(`${env.server.base}/register`));
      await page.context().close();
    });

    test('a wrong password shows the error and no account hint', async () => {
      const page = await newPage(env.browser, { javaScript });
      await open(page, `${env.server.base}/login`, javaScript);
      await page.getByLabel('이메일').fill('customer1@example.com');
      await page.getByLabel('비밀번호').fill('not the password');
      await page.getByRole('button', { name: '로그인' }).click();
      const alert = page.getByRole('alert').filter({ hasText: '이메일 또는 비밀번호가 올바르지 않습니다.' });
      await alert.waitFor();
      if (javaScript) {
        await page.screenshot({ path: join(SCREENSHOTS, 'login-error.png'), fullPage: true });
      }
      await page.context().close();
    });

    test('a customer opening /admin sees "not allowed", not the content', async () => {
      const page = await newPage(env.browser, { javaScript });
      await open(page, `${env.server.base}/login?next=/admin`, javaScript);
      await page.getByLabel('이메일').fill('customer3@example.com');
      await page.getByLabel('비밀번호').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: '로그인' }).click();
      await page.waitForURL(`${env.server.base}/admin`);
      await page.getByRole('heading', { name: '접근 권한이 없습니다' }).waitFor();
      assert.equal(await page.getByText('미해결 문의').count(), 0);
      await page.context().close();
    });

    test('the language switch changes the page to English and back to Korean', async () => {
      const page = await newPage(env.browser, { javaScript });
      await open(page, `${env.server.base}/login`, javaScript);
      await page.getByRole('heading', { name: '로그인' }).waitFor();
      // the button's name is its visible word; its title says what it does
      const toEnglish = page.getByRole('button', { name: 'English', exact: true });
      assert.equal(await toEnglish.getAttribute('title'), 'Switch to English');
      await toEnglish.click();
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      assert.ok(await page.getByLabel('Email').isVisible());
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      // remembered across a reload
      await open(page, `${env.server.base}/login`, javaScript);
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      await page.getByRole('button', { name: '한국어', exact: true }).click();
      await page.getByRole('heading', { name: '로그인' }).waitFor();
      assert.equal(await page.locator('html').getAttribute('lang'), 'ko');
      assert.deepEqual(page.errors, []);
      await page.context().close();
    });
  });
}

describe('pages (hydrated)', () => {
  test('My page and login hydrate without console errors; screenshots for review', async () => {
    const page = await newPage(env.browser, { javaScript: true });
    await open(page, `${env.server.base}/login`, true);
    await page.screenshot({ path: join(SCREENSHOTS, 'login.png'), fullPage: true });
    await page.getByLabel('이메일').fill('customer1@example.com');
    await page.getByLabel('비밀번호').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '로그인' }).click();
    await page.waitForURL(`${env.server.base}/my`);
    await hydrated(page);
    await page.getByRole('heading', { name: '최근 주문' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'my-page.png'), fullPage: true });
    await page.setViewportSize({ width: 375, height: 800 });
    await page.screenshot({ path: join(SCREENSHOTS, 'my-page-phone.png'), fullPage: true });
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('agent and admin land in their own areas', async () => {
    for (const [email, path, heading] of [
      ['agent1@example.com', '/agent', '상담 콘솔'],
      ['admin@example.com', '/admin', '관리 개요'],
    ]) {
      const page = await newPage(env.browser, { javaScript: true });
      await open(page, `${env.server.base}/login`, true);
      await page.getByLabel('이메일').fill(email);
      await page.getByLabel('비밀번호').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: '로그인' }).click();
      await page.waitForURL(`${env.server.base}${path}`);
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
      await hydrated(page);
      await page.screenshot({ path: join(SCREENSHOTS, `${path.slice(1)}.png`), fullPage: true });
      assert.deepEqual(page.errors, []);
      await page.context().close();
    }
  });
});
