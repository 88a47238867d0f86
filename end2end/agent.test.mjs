// The cyber customer center in a real browser: a customer's inquiry appears in the agent's queue
// without a reload; the agent takes it, sees the customer's orders, writes an internal note and a
// reply; the customer sees the reply and never the note. And the FAQ automation: a frequent
// question is answered at once, "I still need a person" puts it in the agents' queue.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { serverAndBrowser, newPage, open, hydrated, signIn, fileInquiry as fileInquiryWith, SCREENSHOTS } from './harness.mjs';

const env = serverAndBrowser();

const fileInquiry = (page, type, subject, body) => fileInquiryWith(page, env.server.base, type, subject, body);

describe('agent console', () => {
  test('a delivery inquiry reaches agent1 live; note stays internal, the reply reaches the customer', async () => {
    const agent = await newPage(env.browser, { javaScript: true });
    await signIn(agent, env.server.base, 'agent1@example.com', true);
    await open(agent, `${env.server.base}/agent`, true);
    await agent.getByRole('heading', { name: '상담 콘솔' }).waitFor();
    // a marker that a reload would wipe out
    await agent.evaluate(() => { window.__noReload = true; });

    const customer = await newPage(env.browser, { javaScript: true });
    await signIn(customer, env.server.base, 'customer9@example.com', true);
    const subject = `문 앞 택배가 비에 젖었어요 ${Date.now()}`;
    await fileInquiry(customer, 'delivery', subject, '기사님이 경비실이 아니라 문 앞에 두고 가셔서 상자가 다 젖었습니다. 제품 상태를 확인해 주세요.');
    assert.equal(await customer.locator('.msg-bot').count(), 0, 'not a frequent question: no automatic answer');

    // appears in the Payments & delivery queue without a reload
    const link = agent.getByRole('link', { name: subject });
    await link.waitFor({ timeout: 20_000 });
    assert.equal(await agent.evaluate(() => window.__noReload), true, 'the page was not reloaded');
    await agent.screenshot({ path: join(SCREENSHOTS, 'agent-queue.png'), fullPage: true });

    await link.click();
    await agent.waitForURL(/\/agent\/inquiries\/\d+$/);
    await hydrated(agent);
    await agent.getByRole('heading', { name: subject }).waitFor();
    // the 360° panel shows the customer's orders
    const panel = agent.getByRole('complementary', { name: '고객 정보 (360°)' });
    await panel.getByRole('heading', { name: '최근 주문' }).waitFor();
    assert.ok((await panel.locator('.orders-360 li').count()) >= 1, 'orders in the 360° panel');
    // the customer's message carries the customer's name ("나"/"You" is the customer's own view)
    const author = (await agent.locator('.msg-customer .msg-head strong').first().textContent()).trim();
    assert.notEqual(author, '나');
    assert.ok(author.length > 0 && (await panel.textContent()).includes(author), `the thread names the customer as the 360° panel does: ${author}`);
    // only suggestions worth reading: none at 0 %
    for (const badge of await agent.locator('.suggestions .badge').allTextContents()) {
      const percent = Number(/(\d+)\s*%/.exec(badge)?.[1]);
      assert.ok(percent >= 5, `a suggestion shown at ${badge}`);
    }

    await agent.getByRole('button', { name: '이 문의 맡기' }).click();
    await agent.getByText('담당: ').waitFor();
    // one composer: an internal note first (the status stays as it is) ...
    await agent.locator('#composer').getByLabel('내부 메모', { exact: true }).check();
    await agent.getByLabel('내용', { exact: true }).fill('내부용: 같은 주소 재발 여부 확인');
    await agent.getByRole('button', { name: '보내기', exact: true }).click();
    await agent.locator('.msg.internal .msg-body', { hasText: '내부용: 같은 주소 재발 여부 확인' }).waitFor();
    assert.equal(await agent.locator('.ws-head .lead .badge').first().textContent(), '처리 중', 'a note leaves the status');
    // ... then the reply, which by default waits for the customer
    assert.ok(await agent.locator('#composer').getByLabel('고객에게 답변', { exact: true }).isChecked(), 'reply is the default');
    await agent.getByLabel('내용', { exact: true }).fill('불편을 드려 죄송합니다. 새 상품으로 바로 교환해 드리겠습니다.');
    await agent.getByRole('button', { name: '보내기', exact: true }).click();
    await agent.locator('.msg-agent:not(.internal) .msg-body', { hasText: '새 상품으로 바로 교환해 드리겠습니다' }).waitFor();
    assert.equal(await agent.locator('.ws-head .lead .badge').first().textContent(), '고객 답변 대기');
    // the agent files it as a complaint (voice of customer) and moves nothing else: one line
    await agent.getByLabel('고객의 소리(VOC)').selectOption('complaint');
    await agent.getByRole('button', { name: '속성 저장' }).click();
    await agent.locator('.msg.internal', { hasText: "고객의 소리를 '불만'(으)로 분류" }).waitFor();
    assert.equal(await agent.locator('.msg-system').count(), 1, 'only what changed is recorded');

    await customer.reload();
    await customer.locator('.msg-body', { hasText: '새 상품으로 바로 교환해 드리겠습니다' }).waitFor();
    // the customer sees the agent's public name, never the login handle
    const agentName = (await customer.locator('.msg-agent .msg-head strong').first().textContent()).trim();
    assert.equal(agentName, '한상담');
    assert.equal(await customer.getByText('내부용: 같은 주소 재발 여부 확인').count(), 0, 'the note never reaches the customer');

    // the customer answers; the agent, still on the inquiry, is told without a reload
    await hydrated(agent);
    await hydrated(customer);
    await customer.getByLabel('답글 내용').fill('감사합니다. 교환 부탁드려요.');
    await customer.getByRole('button', { name: '보내기', exact: true }).click();
    await customer.locator('.msg-body', { hasText: '감사합니다. 교환 부탁드려요.' }).waitFor();
    await agent.getByRole('status').filter({ hasText: '이 문의에 새 활동이 있습니다.' }).waitFor({ timeout: 25_000 });
    await agent.getByRole('link', { name: '새로 보기' }).click();
    await agent.locator('.msg-customer .msg-body', { hasText: '감사합니다. 교환 부탁드려요.' }).waitFor();
    assert.deepEqual(agent.errors, []);
    assert.deepEqual(customer.errors, []);
    await agent.context().close();
    await customer.context().close();
  });

  test('the workspace at 1440 × 900: properties, thread and composer, and the customer side by side without scrolling', async () => {
    const agent = await newPage(env.browser, { javaScript: true, viewport: { width: 1440, height: 900 } });
    await signIn(agent, env.server.base, 'agent1@example.com', true);
    await open(agent, `${env.server.base}/agent`, true);
    await agent.getByRole('button', { name: '다음 문의 받기' }).first().click();
    await agent.waitForURL(/\/agent\/inquiries\/\d+$/);
    await agent.locator('.ws').waitFor();
    const box = async (sel) => {
      const b = await agent.locator(sel).first().boundingBox();
      assert.ok(b, `${sel} is laid out`);
      return b;
    };
    const props = await box('.ws-properties');
    const composer = await box('#field-body');
    const send = await box('#send');
    const customer = await box('.customer-360');
    const orders = await box('.customer-360 .orders-360, .customer-360 h3');
    // left | middle | right, each beside the other, all in the first screen
    assert.ok(props.x + props.width <= composer.x, `properties (${props.x}+${props.width}) left of the composer (${composer.x})`);
    assert.ok(composer.x + composer.width <= customer.x, `composer (${composer.x}+${composer.width}) left of the customer (${customer.x})`);
    for (const [name, b] of [['properties', props], ['message box', composer], ['send', send], ['customer', customer], ['orders', orders]]) {
      assert.ok(b.y >= 0 && b.y + Math.min(b.height, 40) <= 900, `${name} visible without scrolling (y ${Math.round(b.y)})`);
    }
    assert.ok(customer.x + customer.width <= 1440 && customer.x + customer.width > 1300, 'the panes use the width of the screen');
    // the contact history filters by kind without a round trip (radio buttons)
    const kinds = agent.locator('.kind-filter label');
    if ((await kinds.count()) > 2) {
      const label = kinds.nth(1);
      const kind = await agent.locator('.kind-filter input').nth(1).getAttribute('value');
      await label.click();
      const shown = await agent.locator('.contacts-360 li').evaluateAll((lis) => lis.filter((l) => l.offsetParent !== null).map((l) => l.className));
      assert.ok(shown.length >= 1 && shown.every((c) => c === `kind-${kind}`), `only ${kind} entries: ${shown}`);
    }
    const height = await agent.evaluate(() => document.documentElement.scrollHeight);
    console.log(`workspace at 1440 × 900: page ${height} px tall`);
    await agent.screenshot({ path: join(SCREENSHOTS, 'agent-workspace-desktop.png') });
    // narrower: tabs, one pane at a time
    await agent.setViewportSize({ width: 900, height: 900 });
    assert.ok(await agent.locator('#field-body').isVisible(), 'the conversation first');
    assert.ok(!(await agent.locator('.customer-360').isVisible()), 'the customer behind its tab');
    await agent.locator('label[for="ws-tab-customer"]').click();
    assert.ok(await agent.locator('.customer-360').isVisible());
    assert.ok(!(await agent.locator('#field-body').isVisible()));
    assert.deepEqual(agent.errors, []);
    await agent.context().close();
  });

  test('the keyboard: ? lists the keys, n/r switch the composer, / inserts a saved reply, Ctrl+Enter sends, j moves on', async () => {
    const customer = await newPage(env.browser, { javaScript: true });
    await signIn(customer, env.server.base, 'customer9@example.com', true);
    const subject = `배송 조회가 안 돼요 ${Date.now()}`;
    await fileInquiry(customer, 'delivery', subject, '송장 번호로 조회해도 아무 정보가 나오지 않습니다. 확인 부탁드립니다.');
    const id = /\/my\/inquiries\/(\d+)$/.exec(customer.url())[1];

    const agent = await newPage(env.browser, { javaScript: true, viewport: { width: 1440, height: 900 } });
    await signIn(agent, env.server.base, 'agent1@example.com', true);
    await open(agent, `${env.server.base}/agent/inquiries/${id}`, true);
    await agent.locator('.ws-keys').waitFor();
    const body = agent.locator('#field-body');

    await agent.keyboard.press('?');
    const help = agent.getByRole('dialog', { name: '단축키' });
    await help.waitFor();
    assert.ok((await help.textContent()).includes('Ctrl + Enter'));
    await agent.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });

    await agent.keyboard.press('n');
    assert.ok(await agent.locator('#composer').getByLabel('내부 메모', { exact: true }).isChecked(), 'n: note');
    assert.equal(await agent.evaluate(() => document.activeElement?.id), 'field-body');
    // keys typed in the box are text, not shortcuts
    await agent.keyboard.type('tjk?');
    assert.equal(await body.inputValue(), 'tjk?');
    assert.ok(agent.url().endsWith(`/agent/inquiries/${id}`), 'no shortcut fired from the text field');
    assert.equal(await agent.getByRole('dialog').count(), 0);
    await agent.keyboard.press('Escape');
    await body.fill('');
    await agent.keyboard.press('Escape');
    await agent.keyboard.press('r');
    assert.ok(await agent.locator('#composer').getByLabel('고객에게 답변', { exact: true }).isChecked(), 'r: reply');

    // "/" searches the answers library; Enter puts the saved reply in place of the search
    await agent.keyboard.type('안녕하세요. /배송 지연');
    const option = agent.getByRole('option', { name: /배송 지연 사과/ });
    await option.waitFor();
    assert.equal(await agent.locator('#answer-library [role=option][aria-selected=true]').count(), 1);
    await agent.keyboard.press('Enter');
    await agent.locator('#answer-library').waitFor({ state: 'hidden' });
    const text = await body.inputValue();
    assert.ok(text.startsWith('안녕하세요. 기다리게 해 드려 죄송합니다.'), text);
    assert.ok(!text.includes('/배송'), text);
    await agent.keyboard.type(' 감사합니다.');
    await agent.keyboard.press('Control+Enter');
    await agent.locator('.msg-agent:not(.internal) .msg-body', { hasText: '기다리게 해 드려 죄송합니다.' }).waitFor();
    assert.ok((await agent.locator('.msg-agent:not(.internal) .msg-body').last().textContent()).endsWith('감사합니다.'));
    await hydrated(agent);

    // a suggestion goes into the box without a reload
    if ((await agent.locator('.ws-suggestions .button').count()) > 0) {
      await agent.evaluate(() => { window.__noReload = true; });
      await agent.keyboard.press('s');
      assert.equal(await agent.evaluate(() => document.activeElement?.classList.contains('button')), true, 's: the suggestions');
      await agent.keyboard.press('Enter');
      await agent.waitForFunction(() => document.getElementById('field-body').value.length > 0);
      assert.equal(await agent.evaluate(() => window.__noReload), true);
      assert.match(await agent.locator('#composer input[name=template_id]').inputValue(), /^\d+$/);
      await body.fill('');
      await agent.keyboard.press('Escape');
    }
    // j: the next inquiry of the queue
    const next = await agent.locator('#queue-next').getAttribute('href');
    await agent.keyboard.press('j');
    await agent.waitForURL((u) => u.pathname === next);
    assert.deepEqual(agent.errors, []);
    await agent.context().close();
    await customer.context().close();
  });

  for (const javaScript of [false, true]) {
    test(`saved replies are kept, refused with a reason, and deleted (${javaScript ? 'hydrated' : 'no-js'})`, async () => {
      const page = await newPage(env.browser, { javaScript, viewport: { width: 1440, height: 900 } });
      await signIn(page, env.server.base, 'agent2@example.com', javaScript);
      await open(page, `${env.server.base}/agent/replies`, javaScript);
      const form = page.locator('section[aria-labelledby=new-reply-title]');
      const title = `환불 일정 안내 ${javaScript ? 'js' : 'html'}`;
      // an empty text is refused on its field, nothing saved
      await form.getByLabel('제목').fill(title);
      await form.getByRole('button', { name: '저장', exact: true }).click();
      await page.locator('[role=alert]', { hasText: /답변 내용|입력/ }).first().waitFor();
      assert.equal(await page.locator('.saved-replies li', { hasText: title }).count(), 0);
      await form.getByLabel('제목').fill(title);
      await form.getByLabel('답변 내용').fill('환불은 카드사 사정에 따라 영업일 기준 3~5일이 걸립니다.');
      await form.getByRole('button', { name: '저장', exact: true }).click();
      const item = page.locator('.saved-replies li', { hasText: title });
      await item.waitFor();
      // the same title again in the same group and language: a specific error
      await open(page, `${env.server.base}/agent/replies`, javaScript);
      await form.getByLabel('제목').fill(title);
      await form.getByLabel('답변 내용').fill('다른 내용');
      await form.getByRole('button', { name: '저장', exact: true }).click();
      await page.getByText('이 그룹과 언어에 같은 제목의 저장된 답변이 있습니다.').first().waitFor();
      assert.equal(await page.locator('.saved-replies li', { hasText: title }).count(), 1);
      // deleted from its own entry
      await open(page, `${env.server.base}/agent/replies`, javaScript);
      await item.locator('summary').click();
      await item.getByRole('button', { name: '삭제' }).click();
      await page.getByText('저장된 답변을 삭제했습니다.').waitFor();
      assert.equal(await page.locator('.saved-replies li', { hasText: title }).count(), 0);
      assert.deepEqual(page.errors, []);
      await page.context().close();
    });
  }

  test('properties change together in one submit; the reply box works without JavaScript', async () => {
    const agent = await newPage(env.browser, { javaScript: false, viewport: { width: 1440, height: 900 } });
    await signIn(agent, env.server.base, 'agent4@example.com', false);
    await open(agent, `${env.server.base}/agent`, false);
    await agent.getByRole('button', { name: '다음 문의 받기' }).first().click();
    await agent.waitForURL(/\/agent\/inquiries\/\d+$/);
    const url = agent.url();
    await agent.getByLabel('고객의 소리(VOC)').selectOption('suggestion');
    await agent.getByLabel('상태', { exact: true }).selectOption('resolved');
    await agent.getByRole('button', { name: '속성 저장' }).click();
    await agent.waitForURL(url);
    await agent.locator('.msg-system', { hasText: "고객의 소리를 '제안'(으)로 분류" }).waitFor();
    await agent.locator('.msg-system', { hasText: "상태를 '해결'(으)로 바꿈" }).waitFor();
    assert.equal(await agent.locator('.ws-head .lead .badge').first().textContent(), '해결');
    // an empty message is refused with a specific error, nothing saved
    const before = await agent.locator('.thread > li').count();
    await agent.getByRole('button', { name: '보내기', exact: true }).click();
    await agent.getByRole('alert').waitFor();
    assert.equal(await agent.locator('.thread > li').count(), before);
    await agent.context().close();
  });

  test('a frequent question is answered at once; "I still need a person" sends it to the queue', async () => {
    const customer = await newPage(env.browser, { javaScript: true });
    await signIn(customer, env.server.base, 'customer10@example.com', true);
    const subject = `비밀번호가 기억 안 나요 ${Date.now()}`;
    // typing shows the matching FAQ answer, computed in the browser: no request while typing
    await open(customer, `${env.server.base}/my/inquiries/new`, true);
    await customer.locator('.faq-suggest[data-ready="true"]').waitFor({ state: 'attached' });
    const requests = [];
    customer.on('request', (r) => requests.push(r.url()));
    await customer.getByLabel('문의 유형').selectOption('account');
    await customer.getByLabel('제목').pressSequentially(subject);
    await customer.getByLabel('문의 내용').pressSequentially('비밀번호를 잊어버렸는데 재설정은 어떻게 하나요? 로그인이 안 돼요');
    await customer.locator('.faq-suggest summary', { hasText: '비밀번호를 잊어버렸어요.' }).waitFor();
    assert.deepEqual(requests, [], 'typing sent requests');
    await customer.screenshot({ path: join(SCREENSHOTS, 'faq-suggestions.png'), fullPage: true });
    await customer.getByRole('button', { name: '보내기', exact: true }).click();
    await customer.waitForURL(/\/my\/inquiries\/\d+$/);
    await customer.locator('.msg-bot .msg-body', { hasText: '비밀번호 찾기' }).waitFor();
    await customer.getByRole('heading', { name: '자동 답변으로 해결되었나요?' }).waitFor();
    await customer.screenshot({ path: join(SCREENSHOTS, 'auto-answer.png'), fullPage: true });
    await hydrated(customer);
    await customer.getByRole('button', { name: '상담원 연결이 필요해요' }).click();
    await customer.locator('.msg-system .msg-body', { hasText: '상담원에게 연결했습니다' }).waitFor();
    // the bot's answer stays in the thread
    assert.equal(await customer.locator('.msg-bot').count(), 1);

    const agent = await newPage(env.browser, { javaScript: true });
    await signIn(agent, env.server.base, 'agent3@example.com', true);
    await open(agent, `${env.server.base}/agent?type=account`, true);
    await agent.getByRole('link', { name: subject }).waitFor();
    assert.deepEqual(customer.errors, []);
    assert.deepEqual(agent.errors, []);
    await agent.context().close();
    await customer.context().close();
  });
});

describe('admin FAQ editor', () => {
  test('an edited answer is used for the next matching inquiry', async () => {
    const admin = await newPage(env.browser, { javaScript: true });
    await signIn(admin, env.server.base, 'admin@example.com', true);
    await open(admin, `${env.server.base}/admin/faq?q=${encodeURIComponent('배송비')}`, true);
    await admin.getByRole('link', { name: '배송비는 얼마인가요?' }).click();
    await admin.waitForURL(/\/admin\/faq\/\d+$/);
    await hydrated(admin);
    const answer = `12월 한 달 동안은 모든 주문이 무료 배송입니다. (${Date.now()})`;
    await admin.getByLabel('답변').fill(answer);
    await admin.getByRole('button', { name: '저장', exact: true }).click();
    await admin.getByRole('status').filter({ hasText: '저장했습니다' }).waitFor();
    await admin.getByText('수정판 2').first().waitFor();
    await admin.screenshot({ path: join(SCREENSHOTS, 'admin-faq-edit.png'), fullPage: true });

    const customer = await newPage(env.browser, { javaScript: true });
    await signIn(customer, env.server.base, 'customer14@example.com', true);
    await fileInquiry(customer, 'delivery', '배송비 얼마예요?', '택배비가 얼마인지 궁금해요. 무료 배송 조건도 알려 주세요.');
    await customer.locator('.msg-bot .msg-body', { hasText: answer }).waitFor();
    assert.deepEqual(admin.errors, []);
    assert.deepEqual(customer.errors, []);
    await admin.context().close();
    await customer.context().close();
  });
});

describe('admin setup pages', () => {
  for (const javaScript of [true, false]) {
    test(`every admin page renders and works as a form (${javaScript ? 'hydrated' : 'no-js'})`, async () => {
      const page = await newPage(env.browser, { javaScript });
      await signIn(page, env.server.base, 'admin@example.com', javaScript);
      for (const [path, heading] of [
        ['/admin/types', '문의 유형과 라우팅'],
        ['/admin/grades', '고객 등급'],
        ['/admin/agents', '상담원과 그룹'],
        ['/admin/audit', '감사 로그'],
        ['/admin/mail', '메일'],
        ['/admin/notices', '공지'],
        ['/admin/faq', 'FAQ 템플릿'],
        ['/admin/faq/proposals', '상담원 제안'],
        ['/admin/staffing', '인력 계획'],
        ['/agent/customers?q=' + encodeURIComponent('김'), '고객 검색'],
      ]) {
        await open(page, `${env.server.base}${path}`, javaScript);
        await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      }
      // recompute grades from the grades page
      await open(page, `${env.server.base}/admin/grades`, javaScript);
      await page.getByRole('button', { name: '지금 다시 계산' }).click();
      await page.getByRole('status').filter({ hasText: '등급이 바뀌었습니다' }).waitFor();
      await page.screenshot({ path: join(SCREENSHOTS, `admin-grades-${javaScript ? 'hydrated' : 'no-js'}.png`), fullPage: true });
      assert.deepEqual(page.errors, []);
      await page.context().close();
    });
  }
});

describe('staffing what-if', () => {
  test('moving the automation slider changes the plan without a request', async () => {
    const page = await newPage(env.browser, { javaScript: true });
    await signIn(page, env.server.base, 'admin@example.com', true);
    await open(page, `${env.server.base}/admin/staffing`, true);
    await page.locator('#wi-saved').waitFor();
    // a fixed hour: 30 arrivals, 10 minutes each, so the figures do not depend on the demo data
    await page.getByLabel('시간당 문의 수').fill('30');
    await page.getByLabel('평균 처리 시간(분)').fill('10');
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    const slider = page.locator('#wi-automation');
    await slider.fill('0');
    const none = await page.locator('#wi-saved').textContent();
    assert.match(none, /자동화 전 (\d+)명 → 자동화 후 \1명/, none);
    await slider.fill('80');
    await page.locator('#wi-saved').filter({ hasNotText: none }).waitFor();
    const [, before, after] = (await page.locator('#wi-saved').textContent()).match(/(\d+)명 → 자동화 후 (\d+)명/);
    assert.ok(Number(after) < Number(before), `${after} < ${before}`);
    assert.deepEqual(requests, [], 'the what-if sent requests');
    // the CSV link carries the assumptions on screen
    assert.match(await page.locator('#plan-csv').getAttribute('href'), /^\/admin\/staffing\.csv\?web_aht_min=10&.*automation_pct=80&/);
    // the forecast says how it was made, and how the same rule did last week, day by day
    await page.getByRole('heading', { name: '예측과 지난주 실제' }).waitFor();
    await page.getByText(/최근 4주 같은 요일·시간대 평균 × 추세 \d\.\d\d/).waitFor();
    assert.equal(await page.locator('table.forecast-check tbody tr').count(), 7);
    const actual = await page.locator('table.forecast-check tbody td:nth-child(3)').allTextContents();
    assert.ok(actual.map(Number).reduce((a, b) => a + b, 0) > 0, `last week had inquiries: ${actual}`);
    await page.getByRole('img', { name: '지난주 요일별 예측과 실제' }).waitFor();
    assert.ok((await page.locator('#forecast-chart rect.bar').count()) >= 14, 'forecast and actual bars for the week');
    await page.screenshot({ path: join(SCREENSHOTS, 'staffing-what-if.png'), fullPage: true });
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('the roster admins edit marks the hours it does not cover', async () => {
    const page = await newPage(env.browser, { javaScript: true });
    await signIn(page, env.server.base, 'admin@example.com', true);
    // Sunday: nobody on the demo roster, so every hour with work is short
    await open(page, `${env.server.base}/admin/staffing`, true);
    await page.locator('#wi-saved').waitFor();
    await page.locator('#wi-day').selectOption('6');
    await page.getByRole('heading', { name: '일요일 시간대별 필요 인원' }).waitFor();
    assert.equal(await page.locator('table.staffing-day tbody tr').count(), 24);
    await page.locator('#wi-hour').selectOption('12');
    await page.getByLabel('시간당 문의 수').fill('20');
    await page.locator('#wi-roster', { hasText: '근무표 0명' }).waitFor();
    assert.ok(await page.locator('#wi-roster').evaluate((e) => e.classList.contains('short')), 'marked short');
    const noon = page.locator('table.staffing-day tr[data-hour="12"]');
    assert.ok(await noon.evaluate((e) => e.classList.contains('short')), 'the noon row is marked');
    assert.ok((await page.locator('#plan-chart rect.short').count()) >= 1, 'and its bar in the chart');
    await page.locator('#plan-chart').screenshot({ path: join(SCREENSHOTS, 'staffing-plan-chart.png') });

    // a shift that is not one says which part; a real one is saved in canonical form
    await open(page, `${env.server.base}/admin/agents`, true);
    const agent3 = page.locator('li', { hasText: 'agent3@example.com' });
    await agent3.getByLabel('근무 시간').fill('평일 9-18, 일요일 정오');
    await agent3.getByRole('button', { name: '저장', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: '“일요일 정오”을(를) 근무 시간으로 읽을 수 없습니다' }).waitFor();
    await agent3.getByLabel('근무 시간').fill('평일 9-18; 일 10-16');
    await agent3.getByRole('button', { name: '저장', exact: true }).click();
    await page.waitForFunction(() => [...document.querySelectorAll('input[name=shifts]')].some((i) => i.value === 'mon-fri 09-18, sun 10-16'));

    await open(page, `${env.server.base}/admin/staffing`, true);
    await page.locator('#wi-saved').waitFor();
    await page.locator('#wi-day').selectOption('6');
    await page.getByRole('heading', { name: '일요일 시간대별 필요 인원' }).waitFor();
    assert.equal(await page.locator('table.staffing-day tr[data-hour="12"] td:nth-child(6)').textContent(), '1', 'agent3 is on the Sunday roster now');
    assert.equal(await page.locator('table.staffing-day tr[data-hour="9"] td:nth-child(6)').textContent(), '0');
    await page.screenshot({ path: join(SCREENSHOTS, 'staffing-roster.png'), fullPage: true });
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});
