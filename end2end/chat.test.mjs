// Live chat in a real browser with two contexts: the customer starts a chat and sees the queue
// position, the agent sees it arrive without a reload and accepts it, messages go both ways over
// the WebSocket (typing indicator and read receipt included), the customer reloads mid-chat and
// the history is intact, then ends and rates the chat. And the same conversation with
// JavaScript off, through plain forms.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { serverAndBrowser, newPage, open, hydrated, signIn, SCREENSHOTS } from './harness.mjs';

const env = serverAndBrowser();

async function startChat(page, javaScript, type, first) {
  await open(page, `${env.server.base}/my/chat`, javaScript);
  await page.getByLabel('문의 유형').selectOption(type);
  await page.getByLabel('먼저 남길 말 (선택)').fill(first);
  await page.getByRole('button', { name: '채팅 시작' }).click();
  await page.locator('.chat-room').waitFor();
  if (javaScript) await hydrated(page);
}

describe('live chat', () => {
  test('queue position, live accept, messages both ways, a reload keeps the history, end and rate', async () => {
    const agent = await newPage(env.browser, { javaScript: true });
    await signIn(agent, env.server.base, 'agent2@example.com', true);
    await open(agent, `${env.server.base}/agent/chats`, true);
    await agent.getByRole('heading', { name: '대기 중인 채팅' }).waitFor();
    await agent.evaluate(() => { window.__noReload = true; });

    const customer = await newPage(env.browser, { javaScript: true });
    await signIn(customer, env.server.base, 'customer12@example.com', true);
    await startChat(customer, true, 'delivery', '주문한 책이 일주일째 안 와요');
    await customer.locator('.chat-state', { hasText: '대기 순서 1번' }).waitFor();
    await customer.locator('.chat-room[data-connected="yes"]').waitFor();
    // the first message is in the transcript already
    await customer.locator('.chat-msg.from-me .msg-body', { hasText: '주문한 책이 일주일째 안 와요' }).waitFor();
    await customer.screenshot({ path: join(SCREENSHOTS, 'chat-waiting.png'), fullPage: true });

    // the waiting chat appears on the desk without a reload
    const waiting = agent.locator('.chat-waiting li', { hasText: '주문한 책이 일주일째 안 와요' });
    await waiting.waitFor({ timeout: 20_000 });
    assert.equal(await agent.evaluate(() => window.__noReload), true, 'the desk was not reloaded');
    await waiting.getByRole('button', { name: '수락' }).click();
    await agent.waitForURL(/\/agent\/chats/);
    await hydrated(agent);
    await agent.locator('.chat-card .chat-room[data-connected="yes"]').first().waitFor();
    // the 360° panel is one click away
    await agent.locator('.chat-360 summary').first().click();
    await agent.getByRole('complementary', { name: '고객 정보 (360°)' }).getByRole('heading', { name: '최근 주문' }).waitFor();

    // the customer learns at once who is answering
    await customer.locator('.chat-state', { hasText: 'Grace Lee 상담원과 대화 중입니다.' }).waitFor({ timeout: 10_000 });

    // agent → customer, with the customer's typing shown to the agent first
    await customer.getByLabel('메시지').pressSequentially('네', { delay: 30 });
    await agent.locator('.chat-typing', { hasText: '고객이 입력 중입니다' }).waitFor({ timeout: 10_000 });
    await customer.getByLabel('메시지').fill('');
    await agent.locator('.chat-card').getByLabel('메시지').fill('확인해 보니 오늘 출고되었습니다. 내일 도착 예정이에요.');
    await agent.locator('.chat-card').getByRole('button', { name: '보내기' }).click();
    await customer.locator('.chat-msg.from-them .msg-body', { hasText: '오늘 출고되었습니다' }).waitFor({ timeout: 10_000 });
    // the customer's page had the message on screen: the agent sees it read
    await agent.locator('.chat-msg.from-me .receipt', { hasText: '읽음' }).waitFor({ timeout: 10_000 });

    // customer → agent (Enter sends)
    await customer.getByLabel('메시지').fill('감사합니다! 기다릴게요.');
    await customer.getByLabel('메시지').press('Enter');
    await customer.locator('.chat-msg.from-me:not(.pending) .msg-body', { hasText: '감사합니다! 기다릴게요.' }).waitFor();
    await agent.locator('.chat-msg.from-them .msg-body', { hasText: '감사합니다! 기다릴게요.' }).waitFor({ timeout: 10_000 });
    assert.equal(await customer.getByLabel('메시지').inputValue(), '', 'the box is empty for the next message');
    await agent.screenshot({ path: join(SCREENSHOTS, 'chat-agent-desk.png'), fullPage: true });
    await customer.screenshot({ path: join(SCREENSHOTS, 'chat-customer.png'), fullPage: true });

    // a reload mid-chat: the whole conversation is still there, in order, once
    await customer.reload();
    await hydrated(customer);
    const bodies = await customer.locator('.chat-log .msg-body').allTextContents();
    const mine = bodies.filter((b) => b === '감사합니다! 기다릴게요.');
    assert.equal(mine.length, 1, `once: ${JSON.stringify(bodies)}`);
    assert.ok(bodies.indexOf('주문한 책이 일주일째 안 와요') < bodies.indexOf('확인해 보니 오늘 출고되었습니다. 내일 도착 예정이에요.'));
    assert.ok(bodies.indexOf('확인해 보니 오늘 출고되었습니다. 내일 도착 예정이에요.') < bodies.indexOf('감사합니다! 기다릴게요.'));
    await customer.locator('.chat-room[data-connected="yes"]').waitFor();
    // and it is still live after the reload
    await agent.locator('.chat-card').getByLabel('메시지').fill('좋은 하루 보내세요.');
    await agent.locator('.chat-card').getByRole('button', { name: '보내기' }).click();
    await customer.locator('.chat-msg.from-them .msg-body', { hasText: '좋은 하루 보내세요.' }).waitFor({ timeout: 10_000 });

    // the server is killed (-9) and started again: both rooms reconnect by themselves, nothing
    // acknowledged is lost, and the conversation goes on without a reload
    await agent.evaluate(() => { window.__noReload = 'restart'; });
    await env.server.restart();
    await customer.locator('.chat-room[data-connected="yes"]').waitFor({ timeout: 30_000 });
    await agent.locator('.chat-card .chat-room[data-connected="yes"]').first().waitFor({ timeout: 30_000 });
    await customer.getByLabel('메시지').fill('서버가 다시 켜져도 대화가 이어지네요.');
    await customer.getByRole('button', { name: '보내기' }).click();
    await agent.locator('.chat-msg.from-them .msg-body', { hasText: '서버가 다시 켜져도 대화가 이어지네요.' }).waitFor({ timeout: 10_000 });
    assert.equal(await agent.evaluate(() => window.__noReload), 'restart', 'the desk was not reloaded');
    assert.equal(await agent.locator('.chat-card .chat-log .msg-body', { hasText: '좋은 하루 보내세요.' }).count(), 1);

    // the customer ends the chat; the agent's room says so; the customer rates it
    await customer.getByRole('button', { name: '채팅 종료' }).click();
    await customer.waitForURL(/\/my\/chats\/\d+$/);
    await agent.locator('.chat-state', { hasText: '채팅이 종료되었습니다.' }).waitFor({ timeout: 10_000 });
    await customer.getByRole('heading', { name: /채팅 상담 #\d+/ }).waitFor();
    await customer.getByLabel('5', { exact: true }).check();
    await customer.getByRole('button', { name: '평가 보내기' }).click();
    await customer.getByText('평가해 주셔서 감사합니다: 5점').waitFor();
    // the transcript is in the contact history
    await open(customer, `${env.server.base}/my/history?kind=chat`, true);
    await customer.getByRole('link', { name: /채팅 상담 #\d+/ }).first().waitFor();
    assert.deepEqual(agent.errors, []);
    assert.deepEqual(customer.errors, []);
    await agent.context().close();
    await customer.context().close();
  });

  test('without JavaScript the chat works through plain forms', async () => {
    const customer = await newPage(env.browser, { javaScript: false });
    await signIn(customer, env.server.base, 'customer13@example.com', false);
    await startChat(customer, false, 'payment', '결제가 두 번 되었어요');
    await customer.locator('.chat-state', { hasText: /대기 순서 \d+번/ }).waitFor();
    await customer.getByLabel('메시지').fill('카드사 문자도 두 번 왔습니다.');
    await customer.getByRole('button', { name: '보내기' }).click();
    await customer.waitForURL(/\/my\/chat$/);
    await customer.locator('.chat-msg .msg-body', { hasText: '카드사 문자도 두 번 왔습니다.' }).waitFor();

    const agent = await newPage(env.browser, { javaScript: false });
    await signIn(agent, env.server.base, 'agent1@example.com', false);
    await open(agent, `${env.server.base}/agent/chats`, false);
    await agent.locator('.chat-waiting li', { hasText: '결제가 두 번 되었어요' }).getByRole('button', { name: '수락' }).click();
    await agent.waitForURL(/\/agent\/chats/);
    const card = agent.locator('.chat-card', { hasText: '카드사 문자도 두 번 왔습니다.' });
    await card.getByLabel('메시지').fill('중복 승인은 3~5일 안에 취소됩니다.');
    await card.getByRole('button', { name: '보내기' }).click();
    await agent.waitForURL(/\/agent\/chats/);
    await agent.locator('.chat-msg .msg-body', { hasText: '중복 승인은 3~5일 안에 취소됩니다.' }).waitFor();

    await customer.reload();
    await customer.locator('.chat-msg .msg-body', { hasText: '중복 승인은 3~5일 안에 취소됩니다.' }).waitFor();
    await customer.locator('.chat-state', { hasText: '상담원과 대화 중입니다.' }).waitFor();
    // an over-long message is refused with a reason, and nothing is stored
    await customer.getByLabel('메시지').fill('가'.repeat(2001));
    await customer.getByRole('button', { name: '보내기' }).click();
    await customer.getByRole('alert').filter({ hasText: '2000자 이하로 입력해 주세요.' }).waitFor();
    assert.equal(await customer.locator('.chat-msg .msg-body', { hasText: '가'.repeat(50) }).count(), 0);
    assert.deepEqual(customer.errors, []);
    assert.deepEqual(agent.errors, []);
    await agent.context().close();
    await customer.context().close();
  });

  test('a chat room whose session ends elsewhere closes and says so', async () => {
    const customer = await newPage(env.browser, { javaScript: true });
    await signIn(customer, env.server.base, 'customer17@example.com', true);
    await startChat(customer, true, 'delivery', '세션 종료 확인용 문의입니다');
    await customer.locator('.chat-room[data-connected="yes"]').waitFor();
    // the same account signs out (another tab; the request shares this browser's cookies)
    const res = await customer.request.post(`${env.server.base}/api/logout`, { headers: { origin: env.server.base } });
    assert.equal(res.status(), 200);
    // the server closes the socket at once; the room tries once more, is refused, and says so
    await customer.getByRole('alert').filter({ hasText: '이 대화에 더 이상 접근할 수 없습니다' }).waitFor({ timeout: 10_000 });
    await customer.locator('.chat-room[data-connected="no"]').waitFor();
    assert.equal(await customer.locator('.chat-conn', { hasText: '다시 연결하는 중' }).isVisible(), false, 'not "reconnecting" forever');
    assert.equal(await customer.getByLabel('메시지').isVisible(), false, 'no box to write into a chat that is gone');
    await customer.screenshot({ path: join(SCREENSHOTS, 'chat-access-ended.png'), fullPage: true });
    assert.deepEqual(customer.errors, []);
    await customer.context().close();
  });
});
