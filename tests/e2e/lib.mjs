// Helpers for the HTTP tests: a client with its own cookie jar (fetch, no redirects
// followed), registering users, uploading and waiting for conversion.
import { existsSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

export const BASE = process.env.WENKU_URL;
export const FIXTURES = process.env.FIXTURES;
if (!BASE) throw new Error('WENKU_URL is not set: run tests/e2e/run.sh');

let counter = 0;
export function uniqueName(prefix) {
  counter += 1;
  return `${prefix}${process.pid % 10000}x${counter}`;
}

// `base`: the server's URL (default: the one run.sh started; another from startServer).
export class Client {
  constructor(base = BASE) { this.base = base; this.cookies = new Map(); this.token = null; }
  cookieHeader() { return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '); }
  async fetch(path, options = {}) {
    const headers = { ...(options.headers || {}) };
    if (this.cookies.size) headers.cookie = this.cookieHeader();
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const res = await fetch(this.base + path, { ...options, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === '' || /Max-Age=0/.test(c)) this.cookies.delete(name); else this.cookies.set(name, value);
    }
    return res;
  }
  async page(path) {
    const res = await this.fetch(path);
    return { res, html: await res.text() };
  }
  // The CSRF token the site's forms carry (taken from a page, as a browser would).
  async csrf() {
    const { html } = await this.page('/login');
    const m = html.match(/name="csrf" value="([0-9a-f]{128})"/);
    assert.ok(m, 'a form carries the CSRF token');
    return m[1];
  }
  async postForm(path, fields) {
    return this.fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }
  async postJson(path, body, headers = {}) {
    return this.fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  }
}

// An API token for `client`, logged in by its session cookie (registration or POST
// /api/v1/session, whose answer carries `csrf`), made as a program does: POST /api/v1/tokens
// with the cookie and X-CSRF-Token. The session's own token is never a Bearer token.
export async function makeApiToken(client, csrf, name = 'e2e') {
  const res = await client.postJson('/api/v1/tokens', { name }, { 'x-csrf-token': csrf });
  assert.equal(res.status, 201, await res.clone().text());
  const body = await res.json();
  assert.match(body.token, /^wk_[0-9a-f]{64}$/);
  return body.token;
}

// A registered, logged-in user (API registration: the session cookie, its CSRF token in
// `csrfToken`, and an API token in `apiToken` for Bearer calls) of the server at `base`.
export async function newUser(prefix = 'u', base = BASE) {
  const c = new Client(base);
  c.name = uniqueName(prefix);
  const res = await c.postJson('/api/v1/users', { name: c.name, password: 'correct horse 1' });
  assert.equal(res.status, 201, await res.clone().text());
  const body = await res.json();
  assert.equal(body.token, undefined, 'the session token stays in its HttpOnly cookie');
  c.id = body.id;
  c.csrfToken = body.csrf;
  c.apiToken = await makeApiToken(c, body.csrf);
  return c;
}

// Every page of document `id` that `client` may read, following the API's `pages_next` from
// one window of pages to the next (at most 50 windows).
export async function allPages(client, id, limit) {
  const pages = [];
  let next = `/api/v1/documents/${id}` + (limit ? `?pages_limit=${limit}` : '');
  for (let i = 0; next && i < 50; i += 1) {
    const res = await client.fetch(next, { headers: { authorization: `Bearer ${client.apiToken}` } });
    assert.equal(res.status, 200);
    const body = await res.json();
    pages.push(...body.pages);
    next = body.pages_next;
  }
  assert.equal(next, null, 'the last window says there is no next one');
  return pages;
}

export async function upload(client, file, params = {}) {
  const q = new URLSearchParams({ filename: file.split('/').pop(), ...params });
  const res = await client.fetch('/api/v1/documents?' + q, {
    method: 'POST',
    headers: { authorization: `Bearer ${client.apiToken}` },
    body: readFileSync(file),
  });
  const body = await res.json();
  assert.equal(res.status, 202, JSON.stringify(body));
  return body.id;
}

export async function waitReady(client, id, timeoutMs = 120000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const res = await client.fetch(`/api/v1/documents/${id}`, {
      headers: { authorization: `Bearer ${client.apiToken}` },
    });
    const d = await res.json();
    if (d.state === 'ready') return d;
    if (d.state === 'failed') throw new Error(`document ${id} failed: ${d.failure_reason}`);
    if (Date.now() > end) throw new Error(`document ${id} not ready after ${timeoutMs} ms (${d.state})`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

export function pdfFixture() { return `${FIXTURES}/复习资料.pdf`; }
export function docxFixture() { return `${FIXTURES}/期末提纲.docx`; }

// The shared test corpus as the C++ tests find it (tests/support CorpusDir): $WENKU_CORPUS,
// else ../shared/corpus beside the repository; null when it is absent (the caller skips, saying
// so). Its files are read where they are, never copied.
export function corpusDir() {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const dir = process.env.WENKU_CORPUS || path.join(root, '..', 'shared', 'corpus');
  return existsSync(path.join(dir, 'MANIFEST.tsv')) ? dir : null;
}

// A second `wenku serve` (WENKU_BIN) with settings of its own (`env`, as WENKU_* variables),
// a fresh data folder (`data`, for the CLI beside it) and a free loopback port; `stop()` ends
// it by its PID and removes the folder.
// `args`: more flags for `wenku serve` (e.g. ['--no-workers']).
export async function startServer(env, args = []) {
  const data = mkdtempSync(path.join(tmpdir(), 'wenku-e2e-server-'));
  const child = spawn(process.env.WENKU_BIN, ['serve', '--data', data, '--listen', '127.0.0.1:0', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('the second server did not start')), 30000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/^wenku: serving (http\S+)\/$/m);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`the second server exited (${code})`)); });
  });
  return {
    url,
    data,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(data, { recursive: true, force: true });
    },
  };
}

// Headless Chromium as every browser test runs it (the caller closes it).
export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

// A page of a new Chinese-speaking 1200×900 browser context, logged in as `name` through the
// log-in form and sent on to `next` (whose URL it waits for).
export async function logInPage(browser, base, name, password, next = '/') {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  page.setDefaultTimeout(30000);
  await page.goto(`${base}/login?next=${encodeURIComponent(next)}`);
  await page.fill('#login-form input[name=name]', name);
  await page.fill('#login-form input[name=password]', password);
  await page.click('#login-form button[type=submit]');
  await page.waitForURL(`${base}${next}`);
  return page;
}

// Every URL the site's sitemaps name: /sitemap.xml is an index of parts; each part is read.
export async function sitemapLocs(client) {
  const { res, html } = await client.page('/sitemap.xml');
  assert.equal(res.status, 200);
  assert.match(html, /<sitemapindex /);
  const locs = [];
  for (const [, part] of html.matchAll(/<loc>([^<]+)<\/loc>/g)) {
    const { res: pr, html: body } = await client.page(new URL(part).pathname);
    assert.equal(pr.status, 200, part);
    for (const [, loc] of body.matchAll(/<loc>([^<]+)<\/loc>/g)) locs.push(loc);
  }
  return locs.join('\n') + '\n';
}

// GET `pathname` from the server at `base` with `headers` as given — fetch will not send a
// Host header of our choosing.
export function rawGet(base, pathname, headers) {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: pathname, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
