// First load on a slow phone, in Chromium through the DevTools protocol: 150 ms latency,
// 1.6 Mbit/s down, 750 kbit/s up, the CPU slowed 4×, an empty cache. For each page: time to
// first byte (Chromium's emulation holds back the body, not the headers: this is the server's
// answer time; "HTML" is when the whole document arrived through the slow link), first
// contentful paint, and the moment the page is interactive (body
// data-hydrated="true", set once every island on the page has hydrated, lazily loaded chunks
// included; a page without islands downloads no WASM and is interactive once parsed), with the WASM and JS the page downloaded (bytes as sent: Chromium asks for gzip on
// plain HTTP, brotli only over HTTPS). Medians of ROUNDS cold loads, each in a new context.
// Usage: node bench/first-load.mjs [ROUNDS]
import { startServer, launchBrowser, sessionCookie } from '../end2end/harness.mjs';

const rounds = Number(process.argv[2] || 3);
const PHONE = { latency: 150, downloadThroughput: (1.6e6 / 8), uploadThroughput: (750e3 / 8) };

// performance.now() when <body data-hydrated="true"> appears; on a page without islands (no
// JavaScript, no WASM) when the document has been parsed
const watchHydrated = () => {
  document.addEventListener('DOMContentLoaded', () => {
    if (!document.querySelector('leptos-island') && window.__hydratedAt === undefined) window.__hydratedAt = performance.now();
  });
  new MutationObserver((_, obs) => {
    if (document.body && document.body.dataset.hydrated === 'true' && window.__hydratedAt === undefined) {
      window.__hydratedAt = performance.now();
      obs.disconnect();
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-hydrated'] });
};

async function loadOnce(browser, base, path, cookie) {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, locale: 'ko-KR' });
  if (cookie) await context.addCookies([{ name: cookie.name, value: cookie.value, url: cookie.url }]);
  const page = await context.newPage();
  await page.addInitScript(watchHydrated);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, ...PHONE });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  const res = await page.goto(`${base}${path}`);
  if (!res || res.status() !== 200) throw new Error(`${path}: ${res && res.status()}`);
  await page.waitForFunction(() => window.__hydratedAt !== undefined, null, { timeout: 60_000 });
  const figures = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    const resources = performance.getEntriesByType('resource');
    const sum = (re) => resources.filter((e) => re.test(new URL(e.name).pathname)).reduce((n, e) => n + e.encodedBodySize, 0);
    return {
      ttfb: nav.responseStart,
      html: nav.responseEnd,
      fcp: fcp ? fcp.startTime : NaN,
      interactive: window.__hydratedAt,
      wasm: sum(/\.wasm$/),
      js: sum(/\.js$/),
      wasmFiles: resources.filter((e) => e.name.endsWith('.wasm')).map((e) => new URL(e.name).pathname.split('/').pop()),
    };
  });
  await context.close();
  return figures;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const server = await startServer();
const browser = await launchBrowser();
try {
  const customer = await sessionCookie(server.base, 'customer1@example.com');
  const agent = await sessionCookie(server.base, 'agent1@example.com');
  // customer1's latest inquiry, from the list page
  const list = await (await fetch(`${server.base}/my/inquiries`, { headers: { cookie: customer.header } })).text();
  const thread = /href="(\/my\/inquiries\/\d+)"/.exec(list)?.[1];
  if (!thread) throw new Error('customer1 has no inquiry to open');
  const pages = [
    ['public home', '/', null],
    ['FAQ search', `/faq?q=${encodeURIComponent('비밀번호')}`, null],
    ['My page', '/my', customer],
    ['new inquiry', '/my/inquiries/new', customer],
    ['inquiry thread', thread, customer],
    ['live chat', '/my/chat', customer],
    ['agent queue', '/agent', agent],
  ];
  console.log(`slow phone: ${PHONE.latency} ms latency, 1.6 Mbit/s down, CPU 4× slower, empty cache; median of ${rounds}`);
  console.log(`${'page'.padEnd(16)} ${'TTFB ms'.padStart(8)} ${'HTML ms'.padStart(8)} ${'FCP ms'.padStart(8)} ${'interactive ms'.padStart(15)} ${'WASM KB'.padStart(8)} ${'JS KB'.padStart(6)}  WASM files`);
  for (const [name, path, cookie] of pages) {
    const runs = [];
    for (let i = 0; i < rounds; i++) runs.push(await loadOnce(browser, server.base, path, cookie));
    const m = (k) => median(runs.map((r) => r[k]));
    console.log(
      `${name.padEnd(16)} ${m('ttfb').toFixed(0).padStart(8)} ${m('html').toFixed(0).padStart(8)} ${m('fcp').toFixed(0).padStart(8)} ${m('interactive').toFixed(0).padStart(15)} ` +
      `${(m('wasm') / 1024).toFixed(1).padStart(8)} ${(m('js') / 1024).toFixed(1).padStart(6)}  ${runs[0].wasmFiles.length}`,
    );
  }
} finally {
  await browser.close();
  await server.stop();
}
