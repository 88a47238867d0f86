// Notices in a real browser: an admin publishes a notice and mails it to the customers who agreed
// to email (the form says how many); the notice is on a customer's My page; a customer who did not
// agree gets no mail. Without JavaScript, as a plain form.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { serverAndBrowser, newPage, open, signIn, SCREENSHOTS } from './harness.mjs';

const env = serverAndBrowser();

describe('notices', () => {
  test('published to My page, mailed only with consent', async () => {
    const admin = await newPage(env.browser, { javaScript: false, viewport: { width: 1440, height: 900 } });
    await signIn(admin, env.server.base, 'admin@example.com', false);
    await open(admin, `${env.server.base}/admin/notices`, false);
    await admin.getByRole('heading', { name: '공지', level: 1 }).waitFor();
    // refused: no Korean text, with the reason beside the field
    await admin.getByLabel('제목 (한국어)').fill('설 연휴 상담 안내');
    await admin.getByRole('button', { name: '게시' }).click();
    await admin.locator('.field-error', { hasText: '필수 입력 항목입니다.' }).first().waitFor();
    const label = await admin.locator('label.check').textContent();
    const subscribers = Number(label.match(/고객 ([\d,]+)명/)[1].replace(/,/g, ''));
    assert.ok(subscribers > 0, label);
    await admin.getByLabel('제목 (한국어)').fill('설 연휴 상담 안내');
    await admin.getByLabel('내용 (한국어)').fill('설 연휴(2월 16~18일)에는 채팅 상담을 쉽니다.\n문의는 평소처럼 남겨 주세요.');
    await admin.getByLabel(/메일로도 보내기/).check();
    await admin.getByRole('button', { name: '게시' }).click();
    await admin.getByRole('status').filter({ hasText: `메일 ${subscribers}통을 보냅니다` }).waitFor();
    await admin.getByRole('cell', { name: '설 연휴 상담 안내' }).waitFor();
    await admin.screenshot({ path: join(SCREENSHOTS, 'admin-notices.png'), fullPage: true });

    const customer = await newPage(env.browser, { javaScript: false, viewport: { width: 375, height: 800 } });
    await signIn(customer, env.server.base, 'customer1@example.com', false);
    await open(customer, `${env.server.base}/my`, false);
    await customer.getByText('설 연휴 상담 안내').first().waitFor();
    await customer.screenshot({ path: join(SCREENSHOTS, 'my-page-notice-375.png'), fullPage: true });
    assert.deepEqual(admin.errors, []);
    await admin.context().close();
    await customer.context().close();
  });
});
