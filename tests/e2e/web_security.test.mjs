// Request-level defences a browser or an attacker meets (issue 16):
//  - CSRF tokens masked afresh in every answer (BREACH finds nothing stable to guess in
//    gzipped pages that also reflect the visitor's input) and bound to the session (a token
//    shown to one session is refused in another, even with the same CSRF cookie);
//  - the language link repeats only the parameters the page reads;
//  - absolute links never come from the Host header;
//  - behind a TLS proxy (a real one here: node's https module with a certificate made by
//    openssl for the test, in front of a second server whose web.public_url is https) the
//    cookies are `__Host-` with Secure and Path=/ and no Domain, answers carry HSTS, and a
//    real Chromium keeps the cookies and logs in through it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BASE, Client, newUser, startServer, launchChromium, uniqueName, waitReady, rawGet } from './lib.mjs';

const TOKEN = /name="csrf" value="([0-9a-f]{128})"/g;

async function postComment(client, id, csrf, text) {
  return client.postForm(`/d/${id}/comments`, { text, csrf });
}

// A ready document to comment on: the user's own upload through the API, a little text.
async function someDocument(user) {
  const res = await user.fetch('/api/v1/documents?' + new URLSearchParams({ filename: 'csrf.txt', title: 'CSRF 测试', category: 'education' }), {
    method: 'POST',
    headers: { authorization: `Bearer ${user.apiToken}` },
    body: '跨站请求伪造令牌测试。\n'.repeat(20),
  });
  assert.equal(res.status, 202, await res.clone().text());
  const { id } = await res.json();
  await waitReady(user, id);
  return id;
}

test('CSRF tokens differ in every answer, each works, and none is the cookie secret', async () => {
  const user = await newUser('mask');
  const id = await someDocument(user);
  const first = await user.page('/me');
  const second = await user.page('/me');
  const a = [...first.html.matchAll(TOKEN)].map((m) => m[1]);
  const b = [...second.html.matchAll(TOKEN)].map((m) => m[1]);
  assert.ok(a.length >= 1 && b.length >= 1, 'the pages carry tokens');
  assert.notEqual(a[0], b[0], 'a fresh mask per answer');
  const secret = user.cookies.get('wenku_csrf');
  assert.match(secret, /^[0-9a-f]{64}$/);
  assert.ok(!first.html.includes(secret) && !second.html.includes(secret), 'the secret itself is never shown');
  // The search page reflects the query next to the log-out form's token: still no secret.
  const search = await user.page(`/search?q=${secret.slice(0, 8)}`);
  assert.ok(!search.html.includes(secret));
  assert.equal((await postComment(user, id, a[0], '第一个令牌')).status, 303);
  assert.equal((await postComment(user, id, b[0], '第二个令牌')).status, 303);
});

test('a token shown to one session is refused in another, even with the same CSRF cookie', async () => {
  const victim = await newUser('victim');
  const id = await someDocument(victim);
  await victim.page('/me');
  const secret = victim.cookies.get('wenku_csrf');
  // The attacker plants the victim's CSRF cookie in their own logged-in browser and takes
  // a token from their own page.
  const attacker = await newUser('attacker');
  attacker.cookies.set('wenku_csrf', secret);
  const { html } = await attacker.page('/me');
  const foreign = [...html.matchAll(TOKEN)][0][1];
  assert.equal((await postComment(attacker, id, foreign, '攻击者自己的请求')).status, 303, 'good for its own session');
  assert.equal((await postComment(victim, id, foreign, '伪造的评论')).status, 403, 'refused in the victim’s');
  // Logging out ends the tokens of the session.
  const mine = [...(await victim.page('/me')).html.matchAll(TOKEN)][0][1];
  assert.equal((await victim.postForm('/logout', { csrf: mine })).status, 303);
  const anon = await victim.postForm('/login', { name: victim.name, password: 'wrong password!!', csrf: mine });
  assert.equal(anon.status, 403, 'a logged-in page’s token does not serve the logged-out visitor');
});

test('the language link repeats only the parameters the page reads', async () => {
  const c = new Client();
  const { html } = await c.page('/search?q=%E5%90%88%E5%90%8C&evil=%3Cx%3E&csrf=guess&page=1');
  const href = html.match(/class="lang-switch" href="([^"]+)"/);
  assert.ok(href, 'the page has a language link');
  const link = href[1].replaceAll('&amp;', '&');
  const params = new URL(link, BASE).searchParams;
  assert.equal(params.get('q'), '合同');
  assert.equal(params.get('page'), '1');
  assert.ok(params.get('lang'));
  assert.equal(params.get('evil'), null);
  assert.equal(params.get('csrf'), null);
});

test('absolute links never come from the Host header', async () => {
  const owner = await newUser('hosts');
  const id = await someDocument(owner);
  const sitemap = await rawGet(BASE, '/sitemap.xml', { host: 'evil.example' });
  assert.equal(sitemap.status, 200);
  assert.ok(!sitemap.body.includes('evil.example'), sitemap.body);
  assert.ok(sitemap.body.includes(`<loc>${BASE}/sitemaps/`), 'the server’s own address');
  const page = await rawGet(BASE, `/d/${id}`, { host: 'evil.example' });
  assert.ok(!page.body.includes('evil.example'));
});

// A TLS-terminating reverse proxy on a free loopback port: forwards to `target()` with
// X-Forwarded-For and X-Forwarded-Proto, as nginx would.
async function startTlsProxy(target) {
  const dir = mkdtempSync(path.join(tmpdir(), 'wenku-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`], { stdio: 'ignore' });
  const server = https.createServer({ key: readFileSync(`${dir}/key.pem`), cert: readFileSync(`${dir}/cert.pem`) }, (req, res) => {
    const up = new URL(target());
    const headers = { ...req.headers, 'x-forwarded-for': req.socket.remoteAddress.replace(/^::ffff:/, ''), 'x-forwarded-proto': 'https' };
    const forward = http.request({ host: up.hostname, port: up.port, path: req.url, method: req.method, headers }, (upRes) => {
      res.writeHead(upRes.statusCode, upRes.rawHeaders);
      upRes.pipe(res);
    });
    forward.on('error', () => { res.writeHead(502); res.end(); });
    req.pipe(forward);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `https://127.0.0.1:${server.address().port}`,
    async stop() { await new Promise((r) => server.close(r)); rmSync(dir, { recursive: true, force: true }); },
  };
}

test('over a TLS proxy: __Host- cookies with Secure, HSTS, and a real browser logs in', async () => {
  let upstream = '';
  const proxy = await startTlsProxy(() => upstream);
  const server = await startServer({
    WENKU_WEB_PUBLIC_URL: proxy.url,
    WENKU_WEB_TRUSTED_PROXIES: '127.0.0.1',
    WENKU_WEB_REGISTRATIONS_PER_HOUR: '100',
  });
  upstream = server.url;
  const browser = await launchChromium();
  try {
    const ctx = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'zh-CN' });
    const page = await ctx.newPage();
    const res = await page.goto(`${proxy.url}/register`);
    assert.equal(res.status(), 200);
    const headers = await res.allHeaders();
    assert.match(headers['strict-transport-security'] || '', /max-age=\d{7,}/);
    const setCookie = headers['set-cookie'] || '';
    assert.match(setCookie, /^__Host-wenku_csrf=[0-9a-f]{64}; Path=\/;/m);
    assert.match(setCookie, /; Secure/);
    assert.doesNotMatch(setCookie, /Domain=/i);
    const name = uniqueName('tls');
    await page.fill('#register-form input[name=name]', name);
    await page.fill('#register-form input[name=password]', 'correct horse 1');
    await page.click('#register-form button[type=submit]');
    await page.waitForLoadState('load');
    const cookies = await ctx.cookies(proxy.url);
    const session = cookies.find((c) => c.name === '__Host-wenku_session');
    assert.ok(session, `the browser keeps the session cookie: ${JSON.stringify(cookies.map((c) => c.name))}`);
    assert.equal(session.secure, true);
    assert.equal(session.httpOnly, true);
    assert.equal(session.path, '/');
    assert.ok(!cookies.some((c) => c.name === 'wenku_session'));
    const me = await page.goto(`${proxy.url}/me`);
    assert.equal(me.status(), 200);
    assert.ok((await page.content()).includes(name), 'logged in through the proxy');
    // A bare wenku_session cookie (what a plain-HTTP page or a sibling subdomain could plant)
    // is not read: the same token under the bare name is no log-in.
    const bare = await new Promise((resolve, reject) => {
      const u = new URL(`${proxy.url}/me`);
      https.get({ host: u.hostname, port: u.port, path: '/me', rejectUnauthorized: false,
        headers: { cookie: `wenku_session=${session.value}` } }, (r) => { r.resume(); resolve(r.statusCode); }).on('error', reject);
    });
    assert.notEqual(bare, 200);
    // The sitemap names the public https address.
    const sm = await page.goto(`${proxy.url}/sitemap.xml`);
    assert.ok((await sm.text()).includes(`<loc>${proxy.url}/sitemaps/`));
  } finally {
    await browser.close();
    await server.stop();
    await proxy.stop();
  }
});
