// HTTP-level tests against a real `wenku serve` (started by run.sh): what a browser or API
// client sees — statuses, headers, escaping, CSRF, who may see and delete what, the free
// preview limit, downloads, comments, limits.
import { test, before } from 'node:test';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { Client, newUser, makeApiToken, allPages, upload, waitReady, pdfFixture, BASE, sitemapLocs, rawGet } from './lib.mjs';

let owner;  // uploads the shared document
let doc;    // its API JSON once ready

before(async () => {
  owner = await newUser('owner');
  const id = await upload(owner, pdfFixture(), { title: '复习资料 <b>粗体</b>', category: 'education' });
  doc = await waitReady(owner, id);
  assert.ok(doc.page_count > doc.preview_pages, `the fixture has more pages (${doc.page_count}) than the preview (${doc.preview_pages})`);
});

test('healthz answers 200 and every response carries the security headers', async () => {
  const c = new Client();
  for (const path of ['/healthz', '/', '/no-such-page', '/static/css/site.css']) {
    const res = await c.fetch(path);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
    assert.match(res.headers.get('content-security-policy'), /frame-ancestors 'none'/, path);
    assert.doesNotMatch(res.headers.get('content-security-policy'), /unsafe-inline/, path);
    assert.ok(res.headers.get('referrer-policy'), path);
  }
  const health = await c.fetch('/healthz');
  assert.equal(health.status, 200);
  assert.equal(await health.text(), 'ok\ndatabase: ok\nblob store: ok\nsearch index: ok\nconverter sandbox: ok\n');
});

test('an unknown page is a friendly 404 in Chinese, and in English with ?lang=en', async () => {
  const c = new Client();
  const zh = await c.page('/d/999999');
  assert.equal(zh.res.status, 404);
  assert.match(zh.html, /页面不存在/);
  const en = await c.page('/nowhere?lang=en');
  assert.equal(en.res.status, 404);
  assert.match(en.html, /Page not found/);
  const accept = await new Client().fetch('/', { headers: { 'accept-language': 'en-US,en;q=0.9' } });
  assert.match(await accept.text(), /Latest documents/);
});

test('a title with markup is shown escaped on the document page and the home page', async () => {
  const c = new Client();
  const { res, html } = await c.page(`/d/${doc.id}`);
  assert.equal(res.status, 200);
  assert.match(html, /复习资料 &lt;b&gt;粗体&lt;\/b&gt;/);
  assert.doesNotMatch(html, /<b>粗体<\/b>/);
  const home = await c.page('/');
  assert.doesNotMatch(home.html, /<b>粗体<\/b>/);
});

test('the document page shows the preview pages, numbered texts and the rest-locked message', async () => {
  const { html } = await new Client().page(`/d/${doc.id}`);
  const images = [...html.matchAll(/<img class="page-image" src="\/d\/(\d+)\/pages\/(\d+)\.webp"/g)];
  assert.equal(images.length, doc.preview_pages);
  assert.match(html, /<div class="page-text">1、/);
  assert.match(html, new RegExp(`<div class="page-text">${doc.preview_pages}、`));
  assert.doesNotMatch(html, new RegExp(`<div class="page-text">${doc.preview_pages + 1}、`));
  assert.match(html, new RegExp(`免费预览已结束，剩余 ${doc.page_count - doc.preview_pages} 页可下载查看`));
  for (const word of ['下载本文档', '版权说明', '举报', '认领', '温馨提示', '最新文档', '评论', '文档简介']) {
    assert.ok(html.includes(word), word);
  }
  assert.match(html, /<meta name="description" content="[^"]*第1节/);
  assert.match(html, /<meta property="og:image" content="http:\/\/[^"]+\/d\/\d+\/cover\.webp">/);
});

test('the free preview is enforced by the server for anonymous visitors', async () => {
  const anon = new Client();
  const next = doc.preview_pages + 1;
  assert.equal((await anon.fetch(`/d/${doc.id}/pages/1.webp`)).status, 200);
  const img = await anon.fetch(`/d/${doc.id}/pages/${next}.webp`);
  assert.equal(img.status, 403);
  const api = await (await anon.fetch(`/api/v1/documents/${doc.id}`)).json();
  assert.equal(api.pages.length, doc.preview_pages);
  assert.ok(api.pages.every((p) => p.n <= doc.preview_pages));
  const more = await anon.page(`/d/${doc.id}?from=${next}`);
  assert.doesNotMatch(more.html, new RegExp(`<div class="page-text">${next}、`));
  const dl = await anon.fetch(`/d/${doc.id}/download`);
  assert.equal(dl.status, 303);
  assert.match(dl.headers.get('location'), /^\/login\?next=/);
  // The owner may read on.
  const ownerImg = await owner.fetch(`/d/${doc.id}/pages/${next}.webp`);
  assert.equal(ownerImg.status, 200);
  assert.equal(ownerImg.headers.get('content-type'), 'image/webp');
});

test('download: the original bytes, a UTF-8 file name, Range, and the counter', async () => {
  const reader = await newUser('reader');
  const full = await reader.fetch(`/d/${doc.id}/download`);
  assert.equal(full.status, 200);
  const bytes = Buffer.from(await full.arrayBuffer());
  assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
  assert.equal(bytes.length, doc.size);
  assert.match(full.headers.get('content-disposition'), /filename\*=UTF-8''%E5%A4%8D%E4%B9%A0%E8%B5%84%E6%96%99\.pdf/);
  const part = await reader.fetch(`/d/${doc.id}/download`, { headers: { range: 'bytes=5-14' } });
  assert.equal(part.status, 206);
  assert.equal(part.headers.get('content-range'), `bytes 5-14/${doc.size}`);
  assert.deepEqual(Buffer.from(await part.arrayBuffer()), bytes.subarray(5, 15));
  const bad = await reader.fetch(`/d/${doc.id}/download`, { headers: { range: `bytes=${doc.size + 10}-` } });
  assert.equal(bad.status, 416);
  const after = await (await reader.fetch(`/api/v1/documents/${doc.id}`)).json();
  assert.ok(after.downloads >= 1);
});

test('a priced document is downloaded after buying it (the confirm step); its owner downloads it free', async () => {
  const seller = await newUser('seller');
  const id = await upload(seller, pdfFixture(), { title: '付费文档', price: '5' });
  await waitReady(seller, id);
  const buyer = await newUser('buyer');
  const res = await buyer.fetch(`/d/${id}/download`);
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), `/d/${id}/buy`);
  const { html } = await buyer.page(`/d/${id}`);
  assert.match(html, new RegExp(`<a id="download"[^>]*href="/d/${id}/buy"[^>]*>下载本文档 · <span class="download-price">需 5 积分</span>`));
  assert.equal((await seller.fetch(`/d/${id}/download`)).status, 200);
  const own = await seller.page(`/d/${id}`);
  assert.match(own.html, new RegExp(`<a id="download"[^>]*href="/d/${id}/download"`));
});

test('a form post without its CSRF token is refused', async () => {
  const user = await newUser('csrf');
  const without = await user.postForm(`/d/${doc.id}/comments`, { text: '没有令牌' });
  assert.equal(without.status, 403);
  const wrong = await user.postForm(`/d/${doc.id}/comments`, { text: '错误令牌', csrf: 'f'.repeat(128) });
  assert.equal(wrong.status, 403);
  const csrf = await user.csrf();
  const ok = await user.postForm(`/d/${doc.id}/comments`, { text: '有令牌的评论', csrf });
  assert.equal(ok.status, 303);
  // A cookie-authenticated API call needs X-CSRF-Token too; a Bearer token does not.
  const api = await user.postJson(`/api/v1/documents/${doc.id}/comments`, { text: 'cookie only' });
  assert.equal(api.status, 403);
  const apiOk = await user.postJson(`/api/v1/documents/${doc.id}/comments`, { text: 'with header' },
    { 'x-csrf-token': csrf });
  assert.equal(apiOk.status, 201);
});

test('comments: 150 code points after NFC are accepted, 151 refused, markup escaped', async () => {
  const user = await newUser('talker');
  const bearer = { authorization: `Bearer ${user.apiToken}` };
  const c = new Client();
  c.token = user.apiToken;
  const ok = await c.postJson(`/api/v1/documents/${doc.id}/comments`, { text: '好'.repeat(150) });
  assert.equal(ok.status, 201);
  const long = await c.postJson(`/api/v1/documents/${doc.id}/comments`, { text: '好'.repeat(151) });
  assert.equal(long.status, 400);
  assert.equal((await long.json()).error.code, 'invalid_input');
  // 'e' + combining acute is one character after NFC.
  const nfc = await c.postJson(`/api/v1/documents/${doc.id}/comments`, { text: 'e\u0301'.repeat(150) });
  assert.equal(nfc.status, 201);
  const empty = await c.postJson(`/api/v1/documents/${doc.id}/comments`, { text: '   ' });
  assert.equal(empty.status, 400);
  const xss = await c.postJson(`/api/v1/documents/${doc.id}/comments`, { text: '<script>alert(1)</script>' });
  assert.equal(xss.status, 201);
  const { html } = await new Client().page(`/d/${doc.id}`);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.doesNotMatch(html, /<script>alert/);
  const list = await (await c.fetch(`/api/v1/documents/${doc.id}/comments`, { headers: bearer })).json();
  assert.ok(list.comments.length >= 3);
  // Rate limit: at most 5 a minute per user.
  let limited = false;
  for (let i = 0; i < 5 && !limited; i += 1) {
    const r = await c.postJson(`/api/v1/documents/${doc.id}/comments`, { text: `第${i}条` });
    limited = r.status === 429;
  }
  assert.ok(limited, 'the sixth comment within a minute is refused');
});

test('another user cannot delete your document or your comment', async () => {
  const alice = await newUser('alice');
  const id = await upload(alice, pdfFixture(), { title: '爱丽丝的文档' });
  await waitReady(alice, id);
  const acsrf = await alice.csrf();
  assert.equal((await alice.postForm(`/d/${id}/comments`, { text: '我的评论', csrf: acsrf })).status, 303);
  const comments = await (await alice.fetch(`/api/v1/documents/${id}/comments`)).json();
  const commentId = comments.comments[0].id;

  const mallory = await newUser('mallory');
  const mcsrf = await mallory.csrf();
  assert.equal((await mallory.postForm(`/d/${id}/delete`, { csrf: mcsrf })).status, 403);
  assert.equal((await mallory.postForm(`/d/${id}/comments/${commentId}/delete`, { csrf: mcsrf })).status, 403);
  const m = new Client();
  m.token = mallory.apiToken;
  assert.equal((await m.fetch(`/api/v1/documents/${id}`, { method: 'DELETE' })).status, 403);
  assert.equal((await new Client().page(`/d/${id}`)).res.status, 200);
  assert.match((await new Client().page(`/d/${id}`)).html, /我的评论/);

  // The owner can.
  assert.equal((await alice.postForm(`/d/${id}/comments/${commentId}/delete`, { csrf: acsrf })).status, 303);
  assert.doesNotMatch((await new Client().page(`/d/${id}`)).html, /我的评论/);
  assert.equal((await alice.postForm(`/d/${id}/delete`, { csrf: acsrf })).status, 200);
  assert.equal((await new Client().page(`/d/${id}`)).res.status, 404);
});

test('register and log in through the forms; wrong input is named next to the field', async () => {
  const c = new Client();
  const csrf = await c.csrf();
  const bad = await c.postForm('/register', { name: 'x', password: 'short', csrf });
  assert.equal(bad.status, 400);
  const html = await bad.text();
  assert.match(html, /id="name-error">用户名须为/);
  assert.match(html, /id="password-error">密码须为/);
  const name = `表单用户${process.pid % 1000}`;
  const ok = await c.postForm('/register', { name, password: 'a good password', csrf });
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get('location'), '/upload');
  const session = ok.headers.getSetCookie().find((s) => s.startsWith('wenku_session='));
  assert.match(session, /HttpOnly/);
  assert.match(session, /SameSite=Lax/);
  const home = await c.page('/');
  assert.ok(home.html.includes(`id="nav-user" href="/u/${encodeURIComponent(name)}">${name}</a>`));
  const taken = await new Client().postJson('/api/v1/users', { name, password: 'a good password' });
  assert.equal(taken.status, 409);
});

test('log-in attempts to one account wait longer after three failures', async () => {
  // login.free_failures = 3, then 1 s, 2 s, … (login.test.mjs covers the rest).
  const user = await newUser('target');
  const c = new Client();
  for (let i = 0; i < 3; i += 1) {
    const r = await c.postJson('/api/v1/session', { name: user.name, password: 'wrong password' });
    assert.equal(r.status, 401);
  }
  const blocked = await c.postJson('/api/v1/session', { name: user.name, password: 'correct horse 1' });
  assert.equal(blocked.status, 429);
  assert.equal(blocked.headers.get('retry-after'), '1');
  assert.equal((await blocked.json()).error.message, '登录尝试过多，请 1 秒后再试');
});

test('API: log in, make a token, call with it; errors are JSON; logout leaves the token', async () => {
  const user = await newUser('api');
  const c = new Client();
  const login = await c.postJson('/api/v1/session', { name: user.name, password: 'correct horse 1' });
  assert.equal(login.status, 200);
  const body = await login.json();
  assert.equal(body.token, undefined);  // the session is in the HttpOnly cookie only
  assert.equal(body.user.name, user.name);
  const token = await makeApiToken(c, body.csrf, 'http test');
  const t = new Client();
  t.token = token;
  const list = await (await t.fetch('/api/v1/documents?sort=popular')).json();
  assert.ok(Array.isArray(list.documents));
  const bad = await t.fetch('/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).error.code, 'invalid_input');
  const noFile = await t.fetch('/api/v1/documents', { method: 'POST', body: 'x' });
  assert.equal(noFile.status, 400);
  assert.match((await noFile.json()).error.message, /filename/);
  const badPrice = await t.fetch('/api/v1/documents?filename=a.txt&price=-3', { method: 'POST', body: 'x' });
  assert.equal(badPrice.status, 400);
  assert.ok((await badPrice.json()).error.fields.price);
  // The rules of library::Submit, the same as `wenku import` and archive members.
  const tooDear = await t.fetch('/api/v1/documents?filename=a.txt&price=100001', { method: 'POST', body: 'x' });
  assert.equal(tooDear.status, 400);
  assert.ok((await tooDear.json()).error.fields.price);
  const badCategory = await t.fetch('/api/v1/documents?filename=a.txt&category=nope', { method: 'POST', body: 'x' });
  assert.equal(badCategory.status, 400);
  assert.ok((await badCategory.json()).error.fields.category);
  const empty = await t.fetch('/api/v1/documents?filename=a.txt', { method: 'POST', body: '' });
  assert.equal(empty.status, 400);
  assert.equal((await empty.json()).error.code, 'empty_file');
  // Logging the cookie session out ends it; the API token is revoked on its own.
  const out = await c.fetch('/api/v1/session', { method: 'DELETE', headers: { 'x-csrf-token': body.csrf } });
  assert.equal(out.status, 204);
  assert.equal((await c.fetch('/api/v1/me')).status, 401);
  assert.equal((await t.fetch('/api/v1/me')).status, 200);
});

test('uploads over the size limit are refused with 413 before they are stored', async () => {
  const user = await newUser('big');
  const res = await fetch(`${BASE}/api/v1/documents?filename=big.bin`, {
    method: 'POST',
    headers: { authorization: `Bearer ${user.apiToken}` },
    body: Buffer.alloc(6 * 1024 * 1024, 1),
  }).catch((e) => ({ status: 'closed', e }));
  // The server answers 413 as soon as it sees the Content-Length (the client may see the
  // connection close while it is still sending).
  assert.ok(res.status === 413 || res.status === 'closed', String(res.status));
});

test('pages and static text are gzip-compressed for clients that accept it', async () => {
  const page = await fetch(`${BASE}/d/${doc.id}`, { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(page.headers.get('content-encoding'), 'gzip');
  assert.match(await page.text(), /免费预览已结束/);  // fetch inflates it
  const css = await fetch(`${BASE}/static/css/site.css`, { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(css.headers.get('content-encoding'), 'gzip');
  const plain = await fetch(`${BASE}/static/css/site.css`, { headers: { 'accept-encoding': 'identity' } });
  assert.equal(plain.headers.get('content-encoding'), null);
  assert.notEqual(plain.headers.get('etag'), css.headers.get('etag'));
  const image = await fetch(`${BASE}/d/${doc.id}/pages/1.webp`, { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(image.headers.get('content-encoding'), null);
});

test('the upload form works without JavaScript (multipart), with field errors next to the field', async () => {
  const user = await newUser('nojs');
  const csrf = await user.csrf();
  const form = (fields, withFile = true) => {
    const f = new FormData();
    for (const [k, v] of Object.entries(fields)) f.append(k, v);
    if (withFile) f.append('file', new Blob([readFileSync(pdfFixture())], { type: 'application/pdf' }), '表单上传.pdf');
    return f;
  };
  const bad = await user.fetch('/upload', { method: 'POST', body: form({ csrf, title: '', price: '-1', category: 'education' }) });
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /id="price-error">价格须为/);
  const noFile = await user.fetch('/upload', { method: 'POST', body: form({ csrf, price: '0' }, false) });
  assert.equal(noFile.status, 400);
  assert.match(await noFile.text(), /id="file-error">请选择要上传的文件/);
  const noToken = await user.fetch('/upload', { method: 'POST', body: form({ title: 'x', price: '0' }) });
  assert.equal(noToken.status, 403);
  const ok = await user.fetch('/upload', { method: 'POST', body: form({ csrf, title: '无脚本上传', price: '0', category: 'law' }) });
  assert.equal(ok.status, 303);
  const id = Number(ok.headers.get('location').replace('/d/', ''));
  const d = await waitReady(user, id);
  assert.equal(d.title, '无脚本上传');
  assert.equal(d.filename, '表单上传.pdf');
  assert.equal(d.category, 'law');
  // While it converted, its page showed the progress bar to its owner only.
  const html = (await user.page(`/d/${id}`)).html;
  assert.match(html, /<h1 class="doc-title">无脚本上传<\/h1>/);
});

test('HEAD answers like GET without a body; unknown methods get 405', async () => {
  const head = await fetch(`${BASE}/d/${doc.id}`, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(await head.text(), '');
  const put = await fetch(`${BASE}/d/${doc.id}`, { method: 'PUT' });
  assert.equal(put.status, 405);
});

test('sitemap, robots, category and uploader pages, static files with ETags', async () => {
  const c = new Client();
  // An index of parts of 10,000 document ids, each part read by a primary-key range.
  const locs = await sitemapLocs(c);
  assert.match(locs, new RegExp(`/d/${doc.id}\n`));
  assert.match(locs, /\/c\/education\n/);
  const beyond = await c.page('/sitemaps/99999.xml');
  assert.equal(beyond.res.status, 200);
  assert.doesNotMatch(beyond.html, /<url>/);
  assert.equal((await c.fetch('/sitemaps/../../etc.xml')).status, 404);
  assert.equal((await c.fetch('/sitemaps/1e9.xml')).status, 404);
  assert.equal((await c.fetch('/sitemaps/99999999999999999999.xml')).status, 404);
  const robots = await c.page('/robots.txt');
  assert.match(robots.html, /Sitemap: http/);
  const cat = await c.page('/c/education');
  assert.match(cat.html, /复习资料 &lt;b&gt;/);
  assert.equal((await c.fetch('/c/no-such-category')).status, 404);
  const up = await c.page(`/u/${encodeURIComponent(owner.name)}`);
  assert.match(up.html, /复习资料/);
  const css = await c.fetch('/static/css/site.css');
  const etag = css.headers.get('etag');
  assert.ok(etag);
  assert.equal((await c.fetch('/static/css/site.css', { headers: { 'if-none-match': etag } })).status, 304);
  assert.equal((await c.fetch('/static/../wenku.db')).status, 404);
  assert.equal((await c.fetch('/static/%2e%2e/%2e%2e/data/wenku.db')).status, 404);
});

test('a forged Host header never makes the links, nor reaches other visitors through the page cache', async () => {
  const forged = await rawGet(BASE, `/d/${doc.id}?from=1&junk=1`, { host: 'evil.example' });
  assert.equal(forged.status, 200);
  assert.ok(forged.body.includes(`og:image" content="${BASE}/d/${doc.id}/cover.webp"`), 'the server’s own address');
  assert.doesNotMatch(forged.body, /evil\.example/);
  const honest = await new Client().page(`/d/${doc.id}?from=1`);
  assert.doesNotMatch(honest.html, /evil\.example/);
});

test('an upload without credentials is refused with 401 before its body is stored', async () => {
  const res = await fetch(`${BASE}/api/v1/documents?filename=a.txt`, {
    method: 'POST',
    body: Buffer.alloc(64 * 1024, 65),
  }).catch((e) => ({ status: 'closed', e }));
  assert.ok(res.status === 401 || res.status === 'closed', String(res.status));
  if (res.status === 401) assert.equal((await res.json()).error.code, 'unauthenticated');
});

test('after log-in, `next` leads only to pages on this site', async () => {
  const user = await newUser('next');
  for (const [next, expected] of [['/d/1', '/d/1'], ['/\t/evil.example', '/'], ['//evil.example', '/'],
    ['/\\evil.example', '/'], ['https://evil.example/', '/']]) {
    const c = new Client();
    const csrf = await c.csrf();
    const res = await c.postForm('/login', { name: user.name, password: 'correct horse 1', csrf, next });
    assert.equal(res.status, 303, next);
    assert.equal(res.headers.get('location'), expected, JSON.stringify(next));
  }
});

// The page (beyond the free preview) holding `marker`, from the owner's full view.
async function pageHolding(marker) {
  const page = (await allPages(owner, doc.id)).find((p) => p.text.includes(marker));
  assert.ok(page, `a page holds ${marker}`);
  return page.n;
}

test('search: hits with marked words and their pages; snippets never from locked pages', async () => {
  const { res, html } = await new Client().page(`/search?q=${encodeURIComponent('端到端测试')}`);
  assert.equal(res.status, 200);
  assert.ok(html.includes(`<a class="hit-title" href="/d/${doc.id}">复习资料 &lt;b&gt;粗体&lt;/b&gt;</a>`));
  assert.match(html, /<p class="snippet">[^<]*<mark>端到端测试<\/mark>/);
  assert.match(html, new RegExp(`<p class="hit-pages"><a href="/d/${doc.id}/search\\?q=%E7%AB%AF%E5%88%B0%E7%AB%AF%E6%B5%8B%E8%AF%95">第 1、2、`));
  // Words found only past the free preview: the document is found, but neither the page
  // nor its text is shown (search_privacy.test.mjs has the rest).
  const locked = await pageHolding('第9节第40行');
  assert.ok(locked > doc.preview_pages);
  const anon = await new Client().page(`/search?q=${encodeURIComponent('第9节第40行')}`);
  assert.ok(anon.html.includes(`href="/d/${doc.id}"`));
  assert.ok(!anon.html.includes(`第 ${locked} 页`));
  assert.ok(anon.html.includes('完整文档中还有更多匹配'));
  assert.doesNotMatch(anon.html, /class="snippet"/);
  const mine = await owner.page(`/search?q=${encodeURIComponent('第9节第40行')}`);
  assert.match(mine.html, /<p class="snippet">.*<mark>第9节第40行<\/mark>/);
  assert.ok(mine.html.includes(`">第 ${locked} 页</a></p>`));
  // Markup in the query comes back escaped.
  const xss = await new Client().page(`/search?q=${encodeURIComponent('<script>alert(1)</script>')}`);
  assert.equal(xss.res.status, 200);
  assert.doesNotMatch(xss.html, /<script>alert/);
});

test('search API: DESIGN §4 shape, filters, and every hostile query answered', async () => {
  const c = new Client();
  const r = await (await c.fetch(`/api/v1/search?q=${encodeURIComponent('端到端测试')}`)).json();
  assert.ok(r.total >= 1);
  const hit = r.hits.find((h) => h.id === doc.id);
  assert.ok(hit, JSON.stringify(r));
  assert.equal(hit.title, '复习资料 <b>粗体</b>');
  assert.match(hit.snippet, /<mark>端到端测试<\/mark>/);
  assert.ok(hit.pages.includes(1));
  const medicine = await (await c.fetch(`/api/v1/search?q=${encodeURIComponent('端到端测试')}&category=medicine`)).json();
  assert.equal(medicine.total, 0);
  const edu = await (await c.fetch(`/api/v1/search?q=${encodeURIComponent('端到端测试')}&category=education`)).json();
  assert.ok(edu.hits.some((h) => h.id === doc.id));
  const traditional = await (await c.fetch(`/api/v1/search?q=${encodeURIComponent('權限檢查')}`)).json();
  assert.ok(traditional.hits.some((h) => h.id === doc.id), 'traditional 權限檢查 finds 权限检查');
  for (const q of ['"', '-', 'OR', '\\', '%', '-"x', '"""', 'a'.repeat(3000), '\u0000', '💥']) {
    const res = await c.fetch(`/api/v1/search?q=${encodeURIComponent(q)}&page=999999&sort=x&pages=zz`);
    assert.equal(res.status, 200, q);
    assert.ok(Array.isArray((await res.json()).hits));
  }
});

test('searching inside a document: readable pages with their text, locked ones only as a flag', async () => {
  const locked = await pageHolding('第9节第40行');
  const anon = await new Client().page(`/d/${doc.id}/search?q=${encodeURIComponent('第9节第40行')}`);
  assert.equal(anon.res.status, 200);
  assert.ok(!anon.html.includes(`第 ${locked} 页`));
  assert.ok(anon.html.includes('<p class="hit-more">完整文档中还有更多匹配</p>'));
  assert.doesNotMatch(anon.html, /<mark>/);
  const open = await new Client().page(`/d/${doc.id}/search?q=${encodeURIComponent('第1节第2行')}`);
  assert.match(open.html, /<a href="\/d\/\d+#p1">第 1 页<\/a>/);
  assert.match(open.html, /<mark>第1节第2行<\/mark>/);
  const api = await (await new Client().fetch(`/api/v1/documents/${doc.id}/search?q=${encodeURIComponent('第9节第40行')}`)).json();
  assert.deepEqual(api.pages, []);
  assert.equal(api.more_in_full_document, true);
  const ownerApi = await (await owner.fetch(`/api/v1/documents/${doc.id}/search?q=${encodeURIComponent('第9节第40行')}`)).json();
  assert.equal(ownerApi.pages[0].n, locked);
  assert.match(ownerApi.pages[0].snippet, /<mark>第9节第40行<\/mark>/);
  assert.equal(ownerApi.more_in_full_document, false);
  const page = await new Client().page(`/d/${doc.id}`);
  assert.ok(page.html.includes(`<form class="doc-search" action="/d/${doc.id}/search" method="get"`));
  assert.equal((await new Client().fetch('/d/999999/search?q=x')).status, 404);
});
