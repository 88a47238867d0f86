// Analytics in a real browser: the admin's volume page draws the weekday × hour heatmap and the
// charts from the demo's eight weeks of inquiries, with tables beside them, the service figures
// (first response, resolution, target attainment, satisfaction, VOC over time), and the CSV links
// download the same figures. Works the same without JavaScript (the charts are server-drawn SVG).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { serverAndBrowser, newPage, open, signIn, SCREENSHOTS } from './harness.mjs';

const env = serverAndBrowser();

describe('analytics', () => {
  for (const javaScript of [true, false]) {
    test(`the heatmap and charts render with data, and the CSV matches (${javaScript ? 'hydrated' : 'no-js'})`, async () => {
      const page = await newPage(env.browser, { javaScript, locale: 'en-US' });
      await signIn(page, env.server.base, 'admin@example.com', javaScript);
      await open(page, `${env.server.base}/admin/analytics`, javaScript);
      await page.getByRole('heading', { name: /문의 통계|Inquiry analytics/ }).waitFor();
      const heatmap = page.getByRole('img', { name: /요일 × 시간대별 문의량|Inquiries by weekday and hour/ });
      await heatmap.waitFor();
      const values = await page.locator('#heatmap rect.cell').evaluateAll((cells) => cells.map((c) => Number(c.dataset.value)));
      assert.equal(values.length, 7 * 24);
      const total = values.reduce((a, b) => a + b, 0);
      assert.ok(total > 100, `the demo's inquiries are on the map: ${total}`);
      // busy weekday mornings beat the small hours
      const at = (day, hour) => values[day * 24 + hour];
      assert.ok(at(0, 10) + at(1, 10) + at(2, 10) > at(0, 3) + at(1, 3) + at(2, 3));
      for (const name of [/^(시간대별 문의량|By hour of the day)$/, /^(요일별 문의량|By weekday)$/, /^(월별 문의량|By month)$/]) {
        await page.getByRole('img', { name }).waitFor();
      }
      await page.screenshot({ path: join(SCREENSHOTS, `analytics-${javaScript ? 'hydrated' : 'no-js'}.png`), fullPage: true });
      await page.locator('#heatmap').screenshot({ path: join(SCREENSHOTS, `analytics-heatmap-${javaScript ? 'hydrated' : 'no-js'}.png`) });

      // the CSV: the same total as the heatmap
      const download = async (name) => {
        const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
        return readFileSync(await d.path(), 'utf8').trim().split(/\r?\n/);
      };
      const csv = await download(/^(CSV 내려받기|Download CSV)$/);
      assert.equal(csv[0], 'date,weekday,hour,inquiry_type,channel,arrivals,auto_answered');
      const csvTotal = csv.slice(1).reduce((sum, line) => sum + Number(line.split(',')[5]), 0);
      assert.equal(csvTotal, total);

      // service figures: first response and resolution times, target attainment, satisfaction
      await page.getByRole('heading', { name: /^(서비스 품질|Service)$/ }).waitFor();
      const all = page.locator('table.service tr.all');
      assert.match(await all.locator('td.frt').textContent(), /\d+(\.\d)? (s|min|h|d) \/ \d+(\.\d)? (s|min|h|d) \(\d+\)/);
      assert.match(await all.locator('td.sla').textContent(), /^\d+\.\d% \(\d+\/\d+\)$/);
      assert.match(await all.locator('td.csat').textContent(), /^[1-5]\.\d\d \(\d+\)$/);
      assert.ok((await page.locator('table.service tr.type').count()) >= 3, 'a row per inquiry type');
      await page.getByRole('img', { name: /^(만족도 분포|Satisfaction ratings)$/ }).waitFor();
      await page.getByRole('img', { name: /^(고객의 소리\(VOC\) 추이|Voice of customer over time)$/ }).waitFor();
      assert.ok((await page.locator('#voc rect.bar').count()) > 0, 'VOC bars');
      const answered = Number((await all.locator('td.frt small').textContent()).replace(/[()]/g, ''));
      const service = await download(/^(서비스 품질 CSV 내려받기|Download service CSV)$/);
      assert.match(service[0], /^inquiry_type,first_responses,/);
      assert.equal(Number(service[1].split(',')[1]), answered, 'the CSV counts the first responses the page shows');
      const voc = await download(/^(CSV 내려받기 \(VOC\)|Download CSV \(VOC\))$/);
      assert.equal(voc[0], 'week_of,complaint,question,compliment,suggestion');
      const vocTotal = voc.slice(1).reduce((s, l) => s + l.split(',').slice(1).reduce((a, b) => a + Number(b), 0), 0);
      const vocBars = await page.locator('#voc table td.num').evaluateAll((cells) => cells.reduce((s, c) => s + Number(c.textContent.replace(/,/g, '')), 0));
      assert.equal(vocTotal, vocBars, 'the VOC CSV adds up to the chart');

      // a bad range says why
      await open(page, `${env.server.base}/admin/analytics?from=2026-12-31&to=2026-01-01`, javaScript);
      await page.getByText(/끝 날짜가 시작 날짜보다 빠릅니다|The end date is before the start date/).first().waitFor();
      assert.deepEqual(page.errors, []);
      await page.context().close();
    });
  }

  test('agents see the read-only summary', async () => {
    const page = await newPage(env.browser, { javaScript: true });
    await signIn(page, env.server.base, 'agent3@example.com', true);
    await open(page, `${env.server.base}/agent/summary`, true);
    await page.getByRole('heading', { name: '문의 현황' }).waitFor();
    await page.getByRole('img', { name: '요일 × 시간대별 문의량' }).waitFor();
    const total = await page.locator('#heatmap rect.cell').evaluateAll((cells) => cells.reduce((s, c) => s + Number(c.dataset.value), 0));
    assert.ok(total > 0, 'the last four weeks are on the map');
    assert.equal(await page.getByRole('link', { name: 'CSV 내려받기' }).count(), 0, 'no export for agents');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});
