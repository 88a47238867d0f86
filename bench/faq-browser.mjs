// The FAQ pack in Chromium (DESIGN 7: index build for 1,000 templates ≤ 200 ms in the browser):
// the public FAQ page of the release server loads the pack, decodes it and builds its BM25
// index in WASM. Timed from the end of the pack's download to the moment the search island
// says it is ready, for the 1,000-template pack that `cybercenter bench-faq --pack-out` writes
// (served in place of /faq/pack) and, as the baseline in the same run, the demo's own pack.
// Usage: node bench/faq-browser.mjs PACK_FILE [ROUNDS]
import { readFileSync } from 'node:fs';
import { startServer, launchBrowser } from '../end2end/harness.mjs';

const packFile = process.argv[2];
const rounds = Number(process.argv[3] || 5);
if (!packFile) {
  console.error('usage: node bench/faq-browser.mjs PACK_FILE [ROUNDS]');
  process.exit(2);
}
const big = readFileSync(packFile);

// performance.now() when the search form's data-ready turns "true"
const watchReady = () => {
  new MutationObserver((_, obs) => {
    const form = document.querySelector('form[data-ready="true"]');
    if (form && window.__readyAt === undefined) {
      window.__readyAt = performance.now();
      obs.disconnect();
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready'] });
};

async function loadOnce(browser, base, pack) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(watchReady);
  if (pack) {
    await page.route('**/faq/pack', (route) => route.fulfill({ status: 200, contentType: 'application/octet-stream', body: pack }));
  }
  // a query that matches nothing: the timing is the decoding and the index, not rendering lists
  await page.goto(`${base}/faq?q=zzqqxx`);
  await page.waitForFunction(() => window.__readyAt !== undefined, null, { timeout: 60_000 });
  const ms = await page.evaluate(() => {
    const entry = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/faq/pack'));
    return window.__readyAt - (entry ? entry.responseEnd : 0);
  });
  await context.close();
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const server = await startServer();
const browser = await launchBrowser();
try {
  const demo = [];
  const large = [];
  for (let i = 0; i < rounds; i++) {
    demo.push(await loadOnce(browser, server.base, null));
    large.push(await loadOnce(browser, server.base, big));
  }
  const d = median(demo);
  const l = median(large);
  console.log(`demo pack (32 templates): median ${d.toFixed(1)} ms from download to ready (${demo.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(`1,000-template pack (${(big.length / 1024).toFixed(0)} KB): median ${l.toFixed(1)} ms (${large.map((x) => x.toFixed(0)).join(', ')}); ${(l / d).toFixed(1)}x the demo pack; budget 200 ms`);
  console.log(`browser_pack_load_ms=${l.toFixed(1)} demo_pack_load_ms=${d.toFixed(1)}`);
} finally {
  await browser.close();
  await server.stop();
}
