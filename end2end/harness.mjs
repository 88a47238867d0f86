// Starts the release server on a fresh temporary SQLite database with demo data, and Debian's
// Chromium through playwright-core. Used by every browser test file.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import { chromium } from 'playwright-core';
import { before, after } from 'node:test';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SCREENSHOTS = join(ROOT, 'end2end', 'screenshots');
export const DEMO_PASSWORD = 'cybercenter-demo';
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/lib/chromium/chromium';

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

// `semantic: true` starts the server with the e5 model (the semantic FAQ head answers unsure
// inquiries moments after submission); other tests keep matching lexical so what they file stays
// with the agents as they expect.
export async function startServer({ semantic = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'cybercenter-e2e-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const spawnServer = async () => {
    const child = spawn(join(ROOT, 'target', 'release', 'cybercenter'), [], {
      cwd: ROOT,
      env: {
        ...process.env,
        LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
        LEPTOS_SITE_ROOT: join(ROOT, 'target', 'site'),
        DATABASE_URL: `sqlite://${join(dir, 'e2e.db')}`,
        CYBERCENTER_OUTBOX_DIR: join(dir, 'outbox'),
        CYBERCENTER_DEMO_DATA: '1',
        CYBERCENTER_E5_MODEL: semantic ? join(ROOT, 'data', 'models', 'e5-small-q4.bin') : 'off',
        RUST_LOG: process.env.RUST_LOG || 'warn',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.resume();
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
      try {
        const res = await fetch(`${base}/healthz`);
        if (res.ok) break;
      } catch { /* not up yet */ }
      if (Date.now() > deadline) throw new Error('server did not become healthy in 60 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    return child;
  };
  const exited = (c) => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', r)));
  let child = await spawnServer();
  return {
    base,
    outbox: join(dir, 'outbox'),
    // kill -9 and start again on the same port and database (nothing acknowledged may be lost)
    async restart() {
      child.kill('SIGKILL');
      await exited(child);
      child = await spawnServer();
    },
    async stop() {
      child.kill('SIGTERM');
      await exited(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// One release server and one browser for a test file: registers the file's before/after hooks;
// `env.server` and `env.browser` are set once they have run.
export function serverAndBrowser() {
  const env = {};
  before(async () => {
    env.server = await startServer();
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

export async function launchBrowser() {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

// A page that records console errors and uncaught exceptions, so tests can assert none.
export async function newPage(browser, { javaScript, locale = 'ko-KR', viewport } = {}) {
  const context = await browser.newContext({
    javaScriptEnabled: javaScript,
    locale,
    viewport: viewport || { width: 1280, height: 800 },
  });
  const page = await context.newPage();
  page.errors = [];
  page.on('console', (msg) => {
    // Chromium logs every 4xx fetch; a 422 for a rejected form is the app working, not failing.
    const expected4xx = /Failed to load resource: the server responded with a status of 4\d\d/.test(msg.text());
    // a server restart (chat tests): refused connections while it is down, which the app retries
    const serverDown = /WebSocket connection to .* failed|Failed to load resource: net::ERR_CONNECTION_(REFUSED|RESET)/.test(msg.text());
    if (msg.type() === 'error' && !expected4xx && !serverDown) page.errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => page.errors.push(`pageerror: ${err.message}`));
  return page;
}

// Navigates and, with JavaScript on, waits until the WASM has hydrated the page.
export async function open(page, url, javaScript) {
  await page.goto(url);
  if (javaScript) await hydrated(page);
}

// Waits for the WASM to hydrate the current page; on failure says what the page reported.
export async function hydrated(page) {
  try {
    // every island hydrated; a page without islands loads no WASM and is ready once loaded
    await page.waitForFunction(
      () => document.body?.dataset.hydrated === 'true' || (document.readyState !== 'loading' && !document.querySelector('leptos-island')),
      null,
      { timeout: 30_000 },
    );
  } catch (err) {
    await page.screenshot({ path: join(SCREENSHOTS, 'hydration-timeout.png'), fullPage: true }).catch(() => {});
    throw new Error(`page ${page.url()} did not hydrate in 30 s; page errors: ${JSON.stringify(page.errors)}`);
  }
}

// Signs in through the login form (works hydrated and without JavaScript).
export async function signIn(page, base, email, javaScript, password = DEMO_PASSWORD) {
  await open(page, `${base}/login`, javaScript);
  await page.getByLabel(/^(이메일|Email)$/).fill(email);
  await page.getByLabel(/^(비밀번호|Password)$/).fill(password);
  await page.getByRole('button', { name: /^(로그인|Log in)$/ }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  if (javaScript) await hydrated(page);
}

// Files an inquiry through the customer's form (hydrated, or without JavaScript as a plain form
// post) and waits for its page; returns its id.
export async function fileInquiry(page, base, type, subject, body, javaScript = true) {
  await open(page, `${base}/my/inquiries/new`, javaScript);
  await page.getByLabel('문의 유형').selectOption(type);
  await page.getByLabel('제목').fill(subject);
  await page.getByLabel('문의 내용').fill(body);
  await page.getByRole('button', { name: '보내기', exact: true }).click();
  await page.waitForURL(/\/my\/inquiries\/\d+$/);
  await page.getByRole('heading', { name: subject }).waitFor();
  return Number(/\/my\/inquiries\/(\d+)$/.exec(page.url())[1]);
}

// Signs in over HTTP without a browser: the session cookie, as Playwright's `addCookies` takes
// it (`name`, `value`, `url`) and as a request's `Cookie` header (`header`).
export async function sessionCookie(base, email, password = DEMO_PASSWORD) {
  const res = await fetch(`${base}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base },
    body: new URLSearchParams({ email, password }),
    redirect: 'manual',
  });
  const set = res.headers.getSetCookie().find((c) => c.startsWith('cc_session='));
  if (!set) throw new Error(`sign-in of ${email} failed: ${res.status}`);
  const header = set.split(';')[0];
  const [name, value] = header.split('=');
  return { name, value, url: base, header };
}

// The text part of a MIME message (as the server writes them: multipart/alternative, each part
// base64, quoted-printable, 7bit or 8bit), decoded.
function textPart(raw) {
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(raw)?.[1];
  const parts = boundary ? raw.split(`--${boundary}`) : [raw];
  for (const part of parts) {
    const split = part.search(/\r?\n\r?\n/);
    if (split < 0) continue;
    const headers = part.slice(0, split);
    if (!/content-type:\s*text\/plain/i.test(headers)) continue;
    const body = part.slice(split).trim();
    const encoding = /content-transfer-encoding:\s*([\w-]+)/i.exec(headers)?.[1]?.toLowerCase();
    if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    if (encoding === 'quoted-printable') {
      const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16)));
      return Buffer.from(bytes, 'latin1').toString('utf8');
    }
    return body;
  }
  throw new Error('no text part in mail');
}

// Waits (up to 10 s) for the newest mail of `template` (e.g. registration_link) to `to` in the
// server's outbox; returns its decoded text and the link in it.
export async function mailTo(server, to, template) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    let names = [];
    try {
      names = readdirSync(server.outbox).filter((n) => n.endsWith(`-${template}.eml`)).sort();
    } catch { /* no mail yet */ }
    for (const name of names.reverse()) {
      const raw = readFileSync(join(server.outbox, name), 'utf8');
      const toLine = /^To: (.*)$/im.exec(raw)?.[1] ?? '';
      if (toLine.toLowerCase().includes(to.toLowerCase())) {
        const text = textPart(raw);
        return { raw, text, link: /https?:\/\/\S+\?token=[0-9a-f]+/.exec(text)?.[0] };
      }
    }
    if (Date.now() > deadline) throw new Error(`no ${template} mail to ${to} in ${server.outbox}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Debian's dovecot on loopback with a throwaway configuration, one user and a maildir (the real
// IMAP server the mail import reads; installed by scripts/install-tools.sh). As root the mail
// belongs to `nobody` (dovecot refuses to serve mail as root).
export async function startDovecot() {
  const { writeFileSync, renameSync, chownSync, chmodSync } = await import('node:fs');
  const { execFileSync } = await import('node:child_process');
  const dir = mkdtempSync(join(tmpdir(), 'cybercenter-imap-'));
  const maildir = join(dir, 'Maildir');
  for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(maildir, sub), { recursive: true });
  mkdirSync(join(dir, 'run', 'state'), { recursive: true });
  const port = await freePort();
  const root = process.getuid() === 0;
  const id = (flag) => execFileSync('id', [flag], { encoding: 'utf8' }).trim();
  const [uid, gid] = root ? [65534, 65534] : [Number(id('-u')), Number(id('-g'))];
  const users = root ? '' : `default_login_user = ${id('-un')}\ndefault_internal_user = ${id('-un')}\ndefault_internal_group = ${id('-gn')}\n`;
  writeFileSync(join(dir, 'dovecot.conf'), `base_dir = ${dir}/run\nstate_dir = ${dir}/run/state\nlog_path = ${dir}/run/log\n${users}`
    + `protocols = imap\nlisten = 127.0.0.1\nssl = no\ndisable_plaintext_auth = no\nauth_mechanisms = plain login\nfirst_valid_uid = 1\n`
    + `mail_location = maildir:${maildir}\n`
    + `passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u ${dir}/users\n}\n`
    + `userdb {\n  driver = static\n  args = uid=${uid} gid=${gid} home=${dir}\n}\n`
    + `service imap-login {\n  inet_listener imap {\n    address = 127.0.0.1\n    port = ${port}\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}\n`);
  const user = 'support@example.com';
  const password = 'imap secret';
  writeFileSync(join(dir, 'users'), `${user}:{PLAIN}${password}\n`);
  const own = (path) => { if (root) chownSync(path, uid, gid); };
  if (root) {
    chmodSync(dir, 0o755);
    for (const p of [maildir, ...['cur', 'new', 'tmp'].map((s) => join(maildir, s))]) own(p);
  }
  const child = spawn(process.env.CYBERCENTER_TEST_DOVECOT || '/usr/sbin/dovecot', ['-F', '-c', join(dir, 'dovecot.conf')], { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.end(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (up) break;
    if (Date.now() > deadline) throw new Error(`dovecot did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  let n = 0;
  return {
    url: `imap://127.0.0.1:${port}?tls=none`,
    user,
    password,
    // a mail server's delivery: written to tmp/, renamed into new/
    deliver(raw) {
      const name = `${Date.now()}.${n++}.e2e`;
      writeFileSync(join(maildir, 'tmp', name), raw);
      own(join(maildir, 'tmp', name));
      renameSync(join(maildir, 'tmp', name), join(maildir, 'new', name));
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
