// API tokens and paged pages[] against the real server (run.sh's): a token made from a log-in
// session, listed without its secret, used, revoked and then refused; the session's cookie
// value refused as a Bearer token; another user's token not revocable; the /me section in
// a browser (made once, shown once, revoked); and a document's text coming a window of
// pages at a time with the locked pages still locked.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, newUser, upload, waitReady, allPages, launchChromium, logInPage, BASE } from './lib.mjs';

const WORK = mkdtempSync(path.join(tmpdir(), 'wenku-tokens-'));
after(() => rmSync(WORK, { recursive: true, force: true }));

const json = { 'content-type': 'application/json' };

test('a token is made from the session, listed without its secret, and refused once revoked', async () => {
  const user = await newUser('tok');
  const made = await user.postJson('/api/v1/tokens', { name: '同步脚本' }, { 'x-csrf-token': user.csrfToken });
  assert.equal(made.status, 201);
  assert.equal(made.headers.get('cache-control'), 'no-store');
  const { id, token, name } = await made.json();
  assert.equal(name, '同步脚本');
  const bearer = new Client();
  bearer.token = token;
  const me = await bearer.fetch('/api/v1/me');
  assert.equal(me.status, 200);
  assert.equal((await me.json()).name, user.name);

  const listRes = await bearer.fetch('/api/v1/tokens');
  const listText = await listRes.text();
  assert.ok(!listText.includes(token.slice(3)), 'the list never holds a secret');
  const list = JSON.parse(listText).tokens;
  assert.deepEqual(list.map((t) => t.name).sort(), ['e2e', '同步脚本'].sort());
  assert.ok(list.every((t) => !('token' in t)));

  // Without the CSRF header the cookie session cannot make one; a token cannot either.
  assert.equal((await user.postJson('/api/v1/tokens', { name: 'x' })).status, 403);
  const minted = await bearer.fetch('/api/v1/tokens', { method: 'POST', headers: json, body: '{"name":"child"}' });
  assert.equal(minted.status, 403);

  const revoke = await user.fetch(`/api/v1/tokens/${id}`, { method: 'DELETE', headers: { 'x-csrf-token': user.csrfToken } });
  assert.equal(revoke.status, 204);
  const refused = await bearer.fetch('/api/v1/me');
  assert.equal(refused.status, 401);
  assert.equal((await refused.json()).error.code, 'unauthenticated');
  assert.equal((await bearer.fetch('/api/v1/documents')).status, 401, 'not taken as anonymous either');
});

test('the session cookie value is refused as a Bearer token', async () => {
  const user = await newUser('sess');
  const session = user.cookies.get('wenku_session');
  assert.match(session, /^[0-9a-f]{64}$/);
  const asCookie = await user.fetch('/api/v1/me');
  assert.equal(asCookie.status, 200);
  const asBearer = await fetch(`${BASE}/api/v1/me`, { headers: { authorization: `Bearer ${session}` } });
  assert.equal(asBearer.status, 401);
  const upload = await fetch(`${BASE}/api/v1/documents?filename=a.txt`, {
    method: 'POST', headers: { authorization: `Bearer ${session}` }, body: 'text',
  });
  assert.equal(upload.status, 401);
});

test("another user's token cannot be revoked", async () => {
  const alice = await newUser('alice');
  const bob = await newUser('bob');
  const aliceTokens = await (await alice.fetch('/api/v1/tokens', { headers: { authorization: `Bearer ${alice.apiToken}` } })).json();
  const id = aliceTokens.tokens[0].id;
  const byBob = await bob.fetch(`/api/v1/tokens/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${bob.apiToken}` } });
  assert.equal(byBob.status, 404);
  const byBobCookie = await bob.fetch(`/api/v1/tokens/${id}`, { method: 'DELETE', headers: { 'x-csrf-token': bob.csrfToken } });
  assert.equal(byBobCookie.status, 404);
  const still = await fetch(`${BASE}/api/v1/me`, { headers: { authorization: `Bearer ${alice.apiToken}` } });
  assert.equal(still.status, 200);
});

test('on /me a token is made, shown once with a warning, and revoked', async () => {
  const user = await newUser('meTok');
  const browser = await launchChromium();
  try {
    const page = await logInPage(browser, BASE, user.name, 'correct horse 1', '/me');
    await page.fill('#token-form input[name=name]', '笔记本电脑');
    await page.click('#token-form button[type=submit]');
    const secret = (await page.locator('#new-token-value').textContent()).trim();
    assert.match(secret, /^wk_[0-9a-f]{64}$/);
    assert.match(await page.locator('#new-token').textContent(), /只显示这一次/);
    const ok = await fetch(`${BASE}/api/v1/me`, { headers: { authorization: `Bearer ${secret}` } });
    assert.equal(ok.status, 200);

    await page.goto(`${BASE}/me`);
    assert.equal(await page.locator('#new-token-value').count(), 0, 'shown once only');
    assert.ok(!(await page.content()).includes(secret.slice(3)));
    const row = page.locator('.token-row', { hasText: '笔记本电脑' });
    assert.equal(await row.count(), 1);
    await row.locator('.token-revoke button').click();
    await page.waitForURL(`${BASE}/me#api-tokens`);
    assert.equal(await page.locator('.token-row', { hasText: '笔记本电脑' }).count(), 0);
    const gone = await fetch(`${BASE}/api/v1/me`, { headers: { authorization: `Bearer ${secret}` } });
    assert.equal(gone.status, 401);
  } finally {
    await browser.close();
  }
});

test("a document's pages come a window at a time; locked pages stay locked", async () => {
  const owner = await newUser('pager');
  // A text of 8 pages (form feeds), each page's words its own.
  const file = path.join(WORK, 'paged.txt');
  writeFileSync(file, Array.from({ length: 8 }, (_, i) => `分页第${i + 1}页 paging page ${i + 1}\n`.repeat(40)).join('\f'));
  const doc = await waitReady(owner, await upload(owner, file, { title: '分页测试' }), 90000);
  assert.ok(doc.page_count > doc.preview_pages, 'a document longer than its free preview');
  assert.ok(doc.page_count >= 3);
  // The owner, in windows of 2: every page once, in order.
  const all = await allPages(owner, doc.id, 2);
  assert.deepEqual(all.map((p) => p.n), Array.from({ length: doc.page_count }, (_, i) => i + 1));
  assert.match(all[all.length - 1].text, /paging page 8/);
  const first = await (await owner.fetch(`/api/v1/documents/${doc.id}?pages_limit=2`, {
    headers: { authorization: `Bearer ${owner.apiToken}` },
  })).json();
  assert.equal(first.pages.length, 2);
  assert.equal(first.pages_next, `/api/v1/documents/${doc.id}?pages_from=3&pages_limit=2`);

  // A visitor: the free preview only, however the window is asked for.
  const anon = new Client();
  const preview = await (await anon.fetch(`/api/v1/documents/${doc.id}?pages_limit=50`)).json();
  assert.equal(preview.pages.length, doc.preview_pages);
  assert.equal(preview.pages_next, null);
  const past = await (await anon.fetch(`/api/v1/documents/${doc.id}?pages_from=${doc.preview_pages + 1}`)).json();
  assert.deepEqual(past.pages, []);
  assert.equal(past.pages_next, null);
  assert.equal((await anon.fetch(`/api/v1/documents/${doc.id}?pages_from=0`)).status, 400);
  assert.equal((await anon.fetch(`/api/v1/documents/${doc.id}?pages_limit=abc`)).status, 400);
});
