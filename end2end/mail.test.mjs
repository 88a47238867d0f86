// The email channel in a real browser, against real mail: an admin connects a support mailbox
// (Debian's dovecot on loopback) at /admin/mail; a customer's mail becomes an inquiry in the agent
// console, with its original one click away; the agent's answer leaves as a mail threaded under
// the inquiry with the support address to reply to; the customer's reply by mail (quote and all)
// joins the same inquiry. Mails the import leaves out are listed for the admin with the reason.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { serverAndBrowser, newPage, open, hydrated, signIn, mailTo, startDovecot, SCREENSHOTS } from './harness.mjs';

const env = serverAndBrowser();
let imap;
before(async () => { imap = await startDovecot(); });
after(async () => { await imap?.stop(); });

function mail({ from, subject, id, headers = '', body }) {
  return `From: ${from}\r\nTo: help@example.com\r\nSubject: =?UTF-8?B?${Buffer.from(subject).toString('base64')}?=\r\n`
    + `Message-ID: ${id}\r\nDate: Wed, 02 Dec 2026 10:00:00 +0900\r\nMIME-Version: 1.0\r\n${headers}`
    + `Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${body}\r\n`;
}

// Reloads `path` until `locator(page)` shows (the mail import runs in the background).
async function eventually(page, url, javaScript, locator, seconds = 45) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    await open(page, url, javaScript);
    if (await locator(page).count()) return;
    if (Date.now() > deadline) throw new Error(`${url}: still not there after ${seconds} s`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

describe('email channel', () => {
  test('a mailbox is connected; a mail becomes an inquiry; the answer and the reply go by mail', async () => {
    const stamp = Date.now();
    const subject = `스탠드 조명이 깜빡여요 ${stamp}`;
    imap.deliver(mail({ from: '윤서연 <customer11@example.com>', subject, id: `<q-${stamp}@customer.example>`, body: '지난주에 산 스탠드 조명이 켤 때마다 깜빡거립니다. 교환이 되나요?' }));
    imap.deliver(mail({ from: 'customer11@example.com', subject: '부재중', id: `<ooo-${stamp}@customer.example>`, headers: 'Auto-Submitted: auto-replied\r\n', body: '휴가 중입니다.' }));

    const admin = await newPage(env.browser, { javaScript: true, viewport: { width: 1440, height: 900 } });
    await signIn(admin, env.server.base, 'admin@example.com', true);
    await open(admin, `${env.server.base}/admin/mail`, true);
    await admin.getByRole('heading', { name: '메일', level: 1 }).waitFor();
    const form = admin.locator('section.mailbox-form').last();
    await form.getByLabel('고객이 보내는 주소').fill('help@example.com');
    // plain text to another machine is refused, with the reason beside the field
    await form.getByLabel('IMAP 서버').fill('imap://mail.example.com?tls=none');
    await form.getByLabel('사용자 이름').fill(imap.user);
    await form.getByLabel('비밀번호').fill(imap.password);
    await form.getByLabel('새 문의의 유형').selectOption('delivery');
    await form.getByRole('button', { name: '연결' }).click();
    await form.getByText('암호화하지 않는 연결(?tls=none)은 이 서버와 같은 컴퓨터의 메일 서버에만').waitFor();
    // the form is a plain form post: the page comes back with the error and empty fields
    await form.getByLabel('고객이 보내는 주소').fill('help@example.com');
    await form.getByLabel('IMAP 서버').fill(imap.url);
    await form.getByLabel('사용자 이름').fill(imap.user);
    await form.getByLabel('비밀번호').fill(imap.password);
    await form.getByLabel('새 문의의 유형').selectOption('delivery');
    await form.getByRole('button', { name: '연결' }).click();
    await admin.getByRole('heading', { name: 'help@example.com', level: 3 }).waitFor();

    // the reader starts within 15 s of saving and reads both mails
    await eventually(admin, `${env.server.base}/admin/mail`, true, (p) => p.locator('.mailbox-status.ok'));
    await eventually(admin, `${env.server.base}/admin/mail`, true, (p) => p.locator('tr.inbound-ignored', { hasText: '부재중' }));
    assert.match(await admin.locator('tr.inbound-ignored').first().textContent(), /자동 발송 메일/);
    await admin.screenshot({ path: join(SCREENSHOTS, 'admin-mail-desktop.png'), fullPage: true });
    await admin.setViewportSize({ width: 375, height: 800 });
    await admin.screenshot({ path: join(SCREENSHOTS, 'admin-mail-phone.png'), fullPage: true });
    const overflow = await admin.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `nothing wider than a phone: ${overflow}px`);

    // the agent finds the mail in the queue as an email inquiry, with its original
    const agent = await newPage(env.browser, { javaScript: true, viewport: { width: 1440, height: 900 } });
    await signIn(agent, env.server.base, 'agent1@example.com', true);
    await eventually(agent, `${env.server.base}/agent`, true, (p) => p.getByRole('link', { name: subject }));
    await agent.getByRole('link', { name: subject }).click();
    await agent.waitForURL(/\/agent\/inquiries\/\d+$/);
    await hydrated(agent);
    const id = /\/agent\/inquiries\/(\d+)$/.exec(agent.url())[1];
    await agent.locator('.msg-customer .msg-body', { hasText: '켤 때마다 깜빡거립니다' }).waitFor();
    const original = agent.getByRole('link', { name: '메일 원본' });
    const res = await agent.request.get(new URL(await original.getAttribute('href'), env.server.base).href);
    assert.equal(res.status(), 200);
    assert.match(res.headers()['content-type'], /message\/rfc822/);
    assert.match(await res.text(), new RegExp(`<q-${stamp}@customer.example>`));

    // the answer goes out by mail: threaded under the inquiry, Reply-To the support mailbox
    await agent.getByLabel('내용', { exact: true }).fill('불편을 드려 죄송합니다. 새 제품으로 교환해 드리겠습니다.');
    await agent.getByRole('button', { name: '보내기', exact: true }).click();
    await agent.locator('.msg-agent .msg-body', { hasText: '새 제품으로 교환해 드리겠습니다' }).waitFor();
    const answer = await mailTo(env.server, 'customer11@example.com', 'inquiry_answered');
    assert.match(answer.raw, /^Reply-To: help@example\.com\r?$/m);
    assert.match(answer.raw, new RegExp(`^In-Reply-To: <inquiry-${id}\\.[0-9a-f]+@`, 'm'));
    assert.match(answer.text, /새 제품으로 교환해 드리겠습니다/);
    const answerId = /^Message-ID: (<[^>]+>)/m.exec(answer.raw)[1];

    // the customer answers from their mail client, above the quote
    imap.deliver(mail({
      from: 'customer11@example.com',
      subject: `Re: ${subject} [#Q-${id}]`,
      id: `<r-${stamp}@customer.example>`,
      headers: `In-Reply-To: ${answerId}\r\nReferences: ${answerId}\r\n`,
      body: '네, 교환 부탁드립니다. 주소는 그대로예요.\r\n\r\n2026년 12월 2일 (수) 오전 10:30, 고객센터 <no-reply@localhost>님이 작성:\r\n> 불편을 드려 죄송합니다.',
    }));
    await eventually(agent, agent.url(), true, (p) => p.locator('.msg-customer .msg-body', { hasText: '네, 교환 부탁드립니다.' }));
    assert.equal(await agent.locator('.msg-customer .msg-body', { hasText: '님이 작성' }).count(), 0, 'the quote is trimmed');
    assert.equal(await agent.getByRole('link', { name: '메일 원본' }).count(), 2, 'both mails can be opened');
    await agent.screenshot({ path: join(SCREENSHOTS, 'agent-email-inquiry.png'), fullPage: false });
    assert.deepEqual(admin.errors, []);
    assert.deepEqual(agent.errors, []);
    await admin.context().close();
    await agent.context().close();
  });

  test('without JavaScript the mailbox form explains a bad address', async () => {
    const page = await newPage(env.browser, { javaScript: false });
    await signIn(page, env.server.base, 'admin@example.com', false);
    await open(page, `${env.server.base}/admin/mail`, false);
    const form = page.locator('section.mailbox-form').last();
    // (an address that is not one is refused by the browser itself: type=email)
    await form.getByLabel('고객이 보내는 주소').fill('help2@example.com');
    await form.getByLabel('IMAP 서버').fill('pop3://mail.example.com');
    await form.getByRole('button', { name: '연결' }).click();
    await page.locator('section.mailbox-form').last().getByText('imap:// 또는 imaps://로 시작해야 합니다').waitFor();
    await page.locator('section.mailbox-form').last().getByText('필수 입력 항목입니다').first().waitFor();
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});
