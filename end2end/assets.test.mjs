// The browser files of the release build as a browser gets them: content-hashed names linked by
// the page, cached for a year, brotli or gzip by content negotiation with Vary, and the sizes
// of what is sent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, sessionCookie } from './harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

// A raw GET (node's fetch would negotiate and decompress by itself).
function get(url, acceptEncoding) {
  return new Promise((resolve, reject) => {
    const headers = acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding };
    http.get(url, { headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

test('pages link content-hashed files that are cached for good and sent compressed', async () => {
  // the FAQ search results are an island: the page links the main JS and WASM
  const page = await get(`${server.base}/faq?q=password`);
  const html = page.body.toString('utf8');
  const css = /href="(\/pkg\/cybercenter\.[\w-]+\.css)"/.exec(html)?.[1];
  const js = /href="(\/pkg\/cybercenter\.[\w-]+\.js)"/.exec(html)?.[1];
  const wasm = /href="(\/pkg\/cybercenter\.[\w-]+\.wasm)"/.exec(html)?.[1];
  assert.ok(css && js && wasm, `hashed names in the page: ${css} ${js} ${wasm}`);
  assert.match(page.headers['cache-control'], /no-store|no-cache/, 'the HTML itself is revalidated');

  for (const path of [css, js, wasm]) {
    const plain = await get(`${server.base}${path}`, '');
    const br = await get(`${server.base}${path}`, 'gzip, deflate, br');
    const gz = await get(`${server.base}${path}`, 'gzip');
    for (const res of [plain, br, gz]) {
      assert.equal(res.status, 200, path);
      assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable', path);
      assert.match(res.headers.vary ?? '', /accept-encoding/i, path);
    }
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(br.headers['content-encoding'], 'br', path);
    assert.equal(gz.headers['content-encoding'], 'gzip', path);
    assert.ok(br.body.length < plain.body.length / 2, `${path}: brotli ${br.body.length} of ${plain.body.length}`);
    assert.ok(gz.body.length < plain.body.length / 2, `${path}: gzip ${gz.body.length} of ${plain.body.length}`);
    console.log(`${path}: ${plain.body.length} B plain, ${gz.body.length} B gzip, ${br.body.length} B brotli`);
  }
  // an old name (a page from before a deploy) is a 404, never another build's file
  assert.equal((await get(`${server.base}/pkg/cybercenter.wasm`)).status, 404);
});

test("a lazy island's chunks are preloaded by the page that shows it (Link headers), and only there", async () => {
  const { header } = await sessionCookie(server.base, 'agent1@example.com');
  const res = await fetch(`${server.base}/agent`, { headers: { cookie: header } });
  const html = await res.text();
  // one Link value per chunk: `</pkg/chunk_3.<hash>.wasm>; rel=preload; as=fetch; …`
  const values = (res.headers.get('link') ?? '').split(/,\s*(?=<)/).filter(Boolean);
  const param = (v, name) => new RegExp(`;\\s*${name}=("?)([^";]*)\\1`).exec(v)?.[2];
  const chunks = values
    .filter((v) => param(v, 'rel') === 'preload')
    .map((v) => {
      // the chunk loader fetch()es in CORS mode: a preload without it would be downloaded twice
      assert.equal(param(v, 'crossorigin'), 'anonymous', v);
      assert.equal(param(v, 'as'), 'fetch', v);
      assert.equal(param(v, 'type'), 'application/wasm', v);
      return /^<([^>]+)>/.exec(v)?.[1];
    });
  assert.ok(chunks.length > 0, 'the agent queue preloads its live queue chunks');
  assert.ok(chunks.every((c) => /^\/pkg\/(chunk|split)_[\w.-]+\.wasm$/.test(c)), chunks.join(' '));
  assert.equal(new Set(chunks).size, chunks.length, 'a chunk two islands share is preloaded once');
  const links = [...html.matchAll(/<link [^>]*>/g)].map((m) => m[0]);
  const attr = (tag, name) => new RegExp(`${name}="([^"]*)"`).exec(tag)?.[1];
  assert.ok(links.some((l) => attr(l, 'rel') === 'modulepreload' && /^\/pkg\/__wasm_split\.[\w-]+\.js$/.test(attr(l, 'href') ?? '')), 'and the chunk loader');
  for (const path of chunks) {
    const res = await get(`${server.base}${path}`, 'br');
    assert.equal(res.status, 200, path);
    assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable', path);
  }
  // a page without lazy islands preloads no chunk
  const login = await get(`${server.base}/login`);
  assert.doesNotMatch(login.body.toString('utf8'), /__wasm_split|chunk_\d+/);
  assert.equal(login.headers.link, undefined);
});

test('a page without islands links no JavaScript and no WASM; a page with islands links each once, the bootstrap with the nonce', async () => {
  const plain = (await get(`${server.base}/login`)).body.toString('utf8');
  assert.doesNotMatch(plain, /\.wasm|\/pkg\/[\w.-]+\.js|type="module"|modulepreload/, 'the login page loads no JavaScript module and no WASM');
  assert.doesNotMatch(plain, /<leptos-island/);
  const res = await get(`${server.base}/faq?q=password`);
  const html = res.body.toString('utf8');
  assert.match(html, /<leptos-island/);
  const links = [...html.matchAll(/<link [^>]*>/g)].map((m) => m[0]);
  const attr = (tag, name) => new RegExp(`${name}="([^"]*)"`).exec(tag)?.[1];
  const linked = (rel, re) => links.filter((l) => attr(l, 'rel') === rel && re.test(attr(l, 'href') ?? '')).length;
  assert.equal(linked('modulepreload', /^\/pkg\/cybercenter\.[\w-]+\.js$/), 1, 'the main JS once');
  assert.equal(linked('preload', /^\/pkg\/cybercenter\.[\w-]+\.wasm$/), 1, 'the main WASM once');
  const head = html.slice(0, html.indexOf('</head>'));
  const nonce = /'nonce-([^']+)'/.exec(res.headers['content-security-policy'] ?? '')?.[1];
  assert.ok(nonce, 'the page has a CSP nonce');
  const bootstrap = [...head.matchAll(/<script [^>]*>/g)].map((m) => m[0]).filter((t) => attr(t, 'type') === 'module');
  assert.equal(bootstrap.length, 1, 'the bootstrap sits in the head');
  assert.equal(attr(bootstrap[0], 'nonce'), nonce, 'and carries the nonce');
});
