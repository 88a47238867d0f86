// Attachments in a real browser, with and without JavaScript: a customer files an inquiry with a
// photo and a PDF (with JavaScript a progress bar per file, and files over the limits named before
// anything is sent; without it the plain multipart form), sees the photo as a thumbnail and the
// PDF as a download, a program renamed to .pdf is refused naming the file, and another customer
// gets "not found" for the same files.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { serverAndBrowser, newPage, open, hydrated, signIn, SCREENSHOTS } from './harness.mjs';

const env = serverAndBrowser();

// a real 2×2 PNG (red), so the thumbnail decodes
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n%\xc7\xec\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n', 'latin1');
const EXE = Buffer.concat([Buffer.from('MZ\x90\x00\x03', 'latin1'), Buffer.alloc(200, 1)]);

for (const javaScript of [false, true]) {
  const mode = javaScript ? 'js' : 'nojs';
  describe(`attachments (${javaScript ? 'with' : 'without'} JavaScript)`, () => {
    test('an inquiry with a photo and a PDF; a renamed program is refused; other customers get nothing', async () => {
      const page = await newPage(env.browser, { javaScript });
      await signIn(page, env.server.base, javaScript ? 'customer7@example.com' : 'customer6@example.com', javaScript);
      await open(page, `${env.server.base}/my/inquiries/new`, javaScript);
      if (javaScript) await hydrated(page);
      await page.getByLabel('문의 유형').selectOption('returns');
      await page.getByLabel('제목').fill(`포장 파손 사진 (${mode})`);
      await page.getByLabel('문의 내용').fill('상자가 찢어진 채로 왔습니다. 사진과 영수증을 첨부합니다.');
      const picker = page.getByLabel('파일 첨부 (선택)');

      // a program, whatever it is called, is refused and named; nothing is filed
      await picker.setInputFiles([{ name: '영수증.pdf', mimeType: 'application/pdf', buffer: EXE }]);
      await page.getByRole('button', { name: '보내기', exact: true }).click();
      await page.locator('#field-files-error', { hasText: '“영수증.pdf”은(는) 실행 파일' }).waitFor();
      assert.match(page.url(), /\/my\/inquiries\/new/);
      if (javaScript) {
        // refused by the server with JavaScript: the errors come to the page, the text stays
        assert.equal(await page.getByLabel('제목').inputValue(), `포장 파손 사진 (${mode})`);
      }

      if (javaScript) {
        // over the limit: named as soon as it is chosen, before anything is sent
        await picker.setInputFiles([{ name: 'huge.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(11 * 1024 * 1024, 0x25) }]);
        await page.locator('#field-files-error', { hasText: '“huge.pdf”: 파일 하나는 10MB까지' }).waitFor();
      }

      // the form lost its text on the round trip without JavaScript: fill it again there
      if (!javaScript) {
        await page.getByLabel('문의 유형').selectOption('returns');
        await page.getByLabel('제목').fill(`포장 파손 사진 (${mode})`);
        await page.getByLabel('문의 내용').fill('상자가 찢어진 채로 왔습니다. 사진과 영수증을 첨부합니다.');
      }
      await picker.setInputFiles([
        { name: 'box.png', mimeType: 'image/png', buffer: PNG },
        { name: '영수증.pdf', mimeType: 'application/pdf', buffer: PDF },
      ]);
      if (javaScript) {
        // one progress bar per chosen file
        assert.equal(await page.locator('.upload-progress progress').count(), 2);
        assert.equal(await page.locator('#field-files-error').textContent(), '', 'the earlier problem is gone');
      }
      await page.getByRole('button', { name: '보내기', exact: true }).click();
      await page.waitForURL(/\/my\/inquiries\/\d+$/);
      await page.getByRole('heading', { name: `포장 파손 사진 (${mode})` }).waitFor();
      const thumb = page.locator('.attachment.image img[alt="box.png"]');
      await thumb.waitFor();
      await page.waitForFunction((el) => el.complete && el.naturalWidth === 2, await thumb.elementHandle());
      const pdfLink = page.getByRole('link', { name: '영수증.pdf' });
      assert.ok(await pdfLink.isVisible());
      const href = await pdfLink.getAttribute('href');
      const own = await page.request.get(`${env.server.base}${href}`);
      assert.equal(own.status(), 200);
      assert.match(own.headers()['content-disposition'], /^attachment;/);
      assert.equal(own.headers()['x-content-type-options'], 'nosniff');

      // with JavaScript, a reply with a file keeps the page's flow (progress, then the thread)
      if (javaScript) {
        await page.getByLabel('답글 내용').fill('뒷면 사진도 보냅니다.');
        await page.locator('#field-files').setInputFiles([{ name: 'back.png', mimeType: 'image/png', buffer: PNG }]);
        await page.getByRole('button', { name: '보내기', exact: true }).click();
        await page.locator('.attachment.image img[alt="back.png"]').waitFor();
      }
      await page.screenshot({ path: join(SCREENSHOTS, `attachments-${mode}.png`), fullPage: true });

      // someone else's browser gets "not found" for the same files
      const other = await newPage(env.browser, { javaScript });
      await signIn(other, env.server.base, 'customer9@example.com', javaScript);
      const theirs = await other.request.get(`${env.server.base}${href}`);
      assert.equal(theirs.status(), 404);
      assert.deepEqual(page.errors, [], 'nothing failed in the page');
      await other.context().close();
      await page.context().close();
    });
  });
}

describe('attachments at phone width', () => {
  test('the form and a thread with files fit 375 px', async () => {
    const page = await newPage(env.browser, { javaScript: true, viewport: { width: 375, height: 800 } });
    await signIn(page, env.server.base, 'customer10@example.com', true);
    await open(page, `${env.server.base}/my/inquiries/new`, true);
    await page.getByLabel('문의 유형').selectOption('returns');
    await page.getByLabel('제목').fill('사진 첨부');
    await page.getByLabel('문의 내용').fill('사진을 확인해 주세요.');
    await page.getByLabel('파일 첨부 (선택)').setInputFiles([
      { name: 'a-very-long-file-name-from-a-phone-camera-20261202-101530.png', mimeType: 'image/png', buffer: PNG },
      { name: '견적서.pdf', mimeType: 'application/pdf', buffer: PDF },
    ]);
    await page.screenshot({ path: join(SCREENSHOTS, 'attachments-form-375.png'), fullPage: true });
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 375, `the form fits (${wide} px)`);
    await page.getByRole('button', { name: '보내기', exact: true }).click();
    await page.waitForURL(/\/my\/inquiries\/\d+$/);
    await page.locator('.attachment.image img').waitFor();
    const wideThread = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wideThread <= 375, `the thread fits (${wideThread} px)`);
    await page.screenshot({ path: join(SCREENSHOTS, 'attachments-thread-375.png'), fullPage: true });
    await page.context().close();
  });
});

describe('files in chat', () => {
  for (const javaScript of [true, false]) {
    test(`a photo sent in a waiting chat shows in the room (${javaScript ? 'live, the page stays' : 'plain form'})`, async () => {
      const page = await newPage(env.browser, { javaScript });
      await signIn(page, env.server.base, javaScript ? 'customer13@example.com' : 'customer12@example.com', javaScript);
      await open(page, `${env.server.base}/my/chat`, javaScript);
      await page.getByLabel('문의 유형').selectOption('delivery');
      await page.getByLabel('먼저 남길 말 (선택)').fill('송장 사진을 보낼게요');
      await page.getByRole('button', { name: '채팅 시작' }).click();
      await page.locator('.chat-room').waitFor();
      if (javaScript) {
        await hydrated(page);
        await page.locator('.chat-room[data-connected="yes"]').waitFor();
        await page.evaluate(() => { window.__stayed = true; });
      }
      await page.getByLabel('채팅에 파일 첨부').setInputFiles([{ name: 'label.png', mimeType: 'image/png', buffer: PNG }]);
      await page.getByRole('button', { name: '파일 올리기' }).click();
      const thumb = page.locator('.chat-msg.from-me .attachment.image img[alt="label.png"]');
      await thumb.waitFor({ timeout: 15_000 });
      await page.waitForFunction((el) => el.complete && el.naturalWidth === 2, await thumb.elementHandle());
      if (javaScript) {
        assert.equal(await page.evaluate(() => window.__stayed), true, 'the page was not reloaded');
        assert.equal(await page.getByLabel('채팅에 파일 첨부').inputValue(), '', 'the file form is ready for the next one');
      }
      await page.screenshot({ path: join(SCREENSHOTS, `chat-files-${javaScript ? 'js' : 'nojs'}.png`), fullPage: true });
      assert.deepEqual(page.errors, []);
      await page.context().close();
    });
  }
});
