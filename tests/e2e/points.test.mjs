// The points economy over HTTP (issue 11): the sign-up bonus, 签到 once a day, buying a
// priced document by API (Idempotency-Key) and by the page's confirm step, what a buyer may
// then read and download, and what is refused without a charge.
import { test, before } from 'node:test';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { newUser, upload, waitReady, pdfFixture } from './lib.mjs';

// An API call as an API client would make it (Bearer token: no CSRF header needed).
async function api(client, path, { method = 'GET', headers = {} } = {}) {
  const res = await client.fetch(path, { method, headers: { authorization: `Bearer ${client.apiToken}`, ...headers } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
const balanceOf = async (c) => (await api(c, '/api/v1/me')).body.points.balance;
const buy = (c, id, key) => api(c, `/api/v1/documents/${id}/purchase`, { method: 'POST', headers: { 'idempotency-key': key } });

let seller;  // uploads the priced document
let priced;  // its API JSON once ready (price 5)

before(async () => {
  seller = await newUser('seller');
  const id = await upload(seller, pdfFixture(), { title: '付费复习资料', price: '5' });
  priced = await waitReady(seller, id);
  assert.equal(priced.price, 5);
  assert.ok(priced.page_count > priced.preview_pages);
});

test('sign-up gives 20 points; GET /api/v1/me shows who and the balance', async () => {
  const u = await newUser('bonus');
  const me = await api(u, '/api/v1/me');
  assert.equal(me.status, 200);
  assert.equal(me.body.name, u.name);
  assert.equal(me.body.role, 'user');
  assert.deepEqual(me.body.points, { balance: 20, pending: 0 });
  assert.equal((await api(new (u.constructor)(), '/api/v1/me')).status, 401);
});

test('an upload earns 10 points once it is ready, once per document', async () => {
  // The reward is posted just after the document turns ready: wait for it briefly.
  let balance = 0;
  for (let i = 0; i < 50 && balance !== 30; i++) {
    balance = await balanceOf(seller);
    if (balance !== 30) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(balance, 30);  // 20 for signing up + 10 for the upload
  await upload(seller, pdfFixture(), { title: '付费复习资料', price: '5' });  // the same document
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await balanceOf(seller), 30);
});

test('签到 once a day: 200 with the award, again 409 already_checked_in; /me shows it done', async () => {
  const u = await newUser('checkin');
  const before = await u.page('/me');
  assert.match(before.html, /id="checkin-form"/);
  assert.match(before.html, /<span id="me-balance">20<\/span>/);
  const first = await api(u, '/api/v1/me/checkin', { method: 'POST' });
  assert.equal(first.status, 200);
  assert.deepEqual(first.body, { awarded: 5, balance: 25 });
  const second = await api(u, '/api/v1/me/checkin', { method: 'POST' });
  assert.equal(second.status, 409);
  assert.equal(second.body.error.code, 'already_checked_in');
  assert.equal(await balanceOf(u), 25);
  const after = await u.page('/me');
  assert.match(after.html, /id="checkin-done"/);
  assert.deepEqual([...after.html.matchAll(/<td class="ledger-kind">([^<]+)<\/td><td>[^<]+<\/td><td class="ledger-amount">([^<]+)</g)].map((m) => [m[1], m[2]]),
    [['签到', '+5'], ['注册奖励', '+20']]);
  const ledger = await api(u, '/api/v1/me/ledger');
  assert.equal(ledger.status, 200);
  assert.deepEqual(ledger.body.entries.map((e) => [e.kind, e.account, e.amount, e.balance_after, e.document_id]),
    [['checkin', 'wallet', 5, 25, null], ['signup_bonus', 'wallet', 20, 20, null]]);
  assert.deepEqual((await api(u, '/api/v1/me/ledger?page=2')).body.entries, []);
  assert.doesNotMatch(after.html, /id="checkin-form"/);
  // the form without its CSRF token is refused
  assert.equal((await u.postForm('/me/checkin', {})).status, 403);
});

test('buying by API: charged once per key and per document, download byte-exact, pages past the preview', async () => {
  const reader = await newUser('reader');
  const last = priced.page_count;
  assert.equal((await reader.fetch(`/d/${priced.id}/pages/${last}.webp`)).status, 403);
  assert.equal((await api(reader, `/api/v1/documents/${priced.id}`)).body.entitled, false);
  assert.equal((await api(reader, `/api/v1/documents/${priced.id}/purchase`, { method: 'POST' })).status, 400);  // no key

  const key = `k-${reader.name}`;
  const first = await buy(reader, priced.id, key);
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.deepEqual(first.body, { purchased: true, balance: 15 });
  const retried = await buy(reader, priced.id, key);  // the same request again
  assert.equal(retried.status, 200);
  assert.deepEqual(retried.body, { purchased: true, balance: 15 });  // answered as the first time
  assert.deepEqual((await buy(reader, priced.id, `${key}-other`)).body, { purchased: false });
  assert.equal(await balanceOf(reader), 15);

  const shown = await api(reader, `/api/v1/documents/${priced.id}`);
  assert.equal(shown.body.entitled, true);
  assert.equal(shown.body.visible_pages, priced.page_count);
  const dl = await reader.fetch(`/d/${priced.id}/download`);
  assert.equal(dl.status, 200);
  assert.deepEqual(Buffer.from(await dl.arrayBuffer()), readFileSync(pdfFixture()));
  assert.equal((await reader.fetch(`/d/${priced.id}/download`)).status, 200);  // again: free
  assert.equal(await balanceOf(reader), 15);
  const page = await reader.fetch(`/d/${priced.id}/pages/${last}.webp`);
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('content-type'), 'image/webp');

  const doc = await reader.page(`/d/${priced.id}`);
  assert.match(doc.html, new RegExp(`<a id="download"[^>]*href="/d/${priced.id}/download"`));

  // another user still sees the preview only; the uploader earns pending points
  const other = await newUser('other');
  assert.equal((await other.fetch(`/d/${priced.id}/pages/${last}.webp`)).status, 403);
  assert.equal((await other.fetch(`/d/${priced.id}/download`)).status, 303);
  assert.equal((await api(seller, '/api/v1/me')).body.points.pending, 4);  // 5 less 20 %
});

test('not enough points: 402 insufficient_points and no charge; the page shows how to earn', async () => {
  const poorSeller = await newUser('dear');
  const id = await upload(poorSeller, pdfFixture(), { title: '很贵的资料', price: '50' });
  await waitReady(poorSeller, id);
  const u = await newUser('poor');
  const res = await buy(u, id, 'poor-1');
  assert.equal(res.status, 402);
  assert.equal(res.body.error.code, 'insufficient_points');
  assert.equal(await balanceOf(u), 20);
  const { res: pageRes, html } = await u.page(`/d/${id}/buy`);
  assert.equal(pageRes.status, 402);
  assert.match(html, /<span id="buy-price">50<\/span>/);
  assert.match(html, /<span id="buy-balance">20<\/span>/);
  assert.match(html, /签到/);
  assert.doesNotMatch(html, /id="buy-form"/);
  assert.equal((await u.fetch(`/d/${id}/download`)).status, 303);
  assert.equal(await balanceOf(u), 20);
});

test('one\'s own document cannot be bought (403), a free one has nothing to buy (400)', async () => {
  const own = await buy(seller, priced.id, 'own-1');
  assert.equal(own.status, 403);
  assert.equal(own.body.error.code, 'forbidden');
  const giver = await newUser('giver');  // (the same bytes from the same uploader are one document)
  const freeId = await upload(giver, pdfFixture(), { title: '免费资料', price: '0' });
  await waitReady(giver, freeId);
  const u = await newUser('freebie');
  const free = await buy(u, freeId, 'free-1');
  assert.equal(free.status, 400);
  assert.equal(free.body.error.code, 'invalid_input');
  assert.equal((await api(u, `/api/v1/documents/${freeId}`)).body.entitled, true);
  assert.equal((await u.fetch(`/d/${freeId}/download`)).status, 200);
  assert.equal(await balanceOf(u), 20);
});

test('buying on the page: 需 N 积分 → the confirm step (balance before and after) → the document, once', async () => {
  const u = await newUser('pagebuyer');
  const { html: docHtml } = await u.page(`/d/${priced.id}`);
  assert.match(docHtml, /需 5 积分/);
  const { res, html } = await u.page(`/d/${priced.id}/buy`);
  assert.equal(res.status, 200);
  assert.match(html, /<span id="buy-price">5<\/span>/);
  assert.match(html, /<span id="buy-balance">20<\/span>/);
  assert.match(html, /<span id="buy-after">15<\/span>/);
  const csrf = html.match(/name="csrf" value="([0-9a-f]{128})"/)[1];
  const key = html.match(/name="key" value="([^"]+)"/)[1];
  assert.equal((await u.postForm(`/d/${priced.id}/buy`, { key })).status, 403);  // no CSRF token
  for (let i = 0; i < 2; i++) {  // a double click
    const post = await u.postForm(`/d/${priced.id}/buy`, { csrf, key });
    assert.equal(post.status, 303);
    assert.equal(post.headers.get('location'), `/d/${priced.id}`);
  }
  assert.equal(await balanceOf(u), 15);
  const again = await u.fetch(`/d/${priced.id}/buy`);  // nothing left to buy
  assert.equal(again.status, 303);
  const { html: after } = await u.page(`/d/${priced.id}`);
  assert.match(after, new RegExp(`<a id="download"[^>]*href="/d/${priced.id}/download"`));
  const { html: me } = await u.page('/me');
  assert.match(me, new RegExp(`<ul id="purchases">\\s*<li><a href="/d/${priced.id}">付费复习资料</a>`));
  assert.match(me, /<td class="ledger-kind">购买文档 <a href="\/d\/\d+">#\d+<\/a><\/td><td>积分余额<\/td><td class="ledger-amount">-5</);
  const anon = await new (u.constructor)().fetch(`/d/${priced.id}/buy`);
  assert.equal(anon.status, 303);
  assert.match(anon.headers.get('location'), /^\/login\?next=/);
});

test('the uploader\'s /me: the document with its sale and earnings, and a 30-day earnings chart', async () => {
  const author = await newUser('author');
  const { html: empty } = await author.page('/me');
  assert.match(empty, /你还没有上传文档/);
  assert.doesNotMatch(empty, /<svg/);

  const id = await upload(author, pdfFixture(), { title: '收益<测试> & 资料', price: '10' });
  await waitReady(author, id);
  const reader = await newUser('earnreader');
  assert.equal((await buy(reader, id, 'earn-1')).status, 200);
  const soldOn = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

  const { html } = await author.page('/me');
  const row = html.match(new RegExp(`<tr class="upload-row"><td><a href="/d/${id}">([^<]*)</a></td><td>([^<]*)</td><td>([^<]*)</td><td class="upload-sales num">([^<]*)</td><td class="upload-earnings num">([^<]*)</td></tr>`));
  assert.ok(row, 'the document is in my uploads');
  // title (escaped), state, price, 1 sale, 8 earned (10 less the 20 % commission)
  assert.deepEqual(row.slice(1), ['收益&lt;测试&gt; &amp; 资料', '已完成', '10 积分', '1', '8']);
  assert.match(html, /<span id="me-pending">8<\/span>/);

  const svg = html.match(/<figure class="earnings">\s*(<svg [^>]*class="earnings-chart"[^>]*role="img" aria-label="([^"]+)">[\s\S]*?<\/svg>)/);
  assert.ok(svg, 'an inline SVG chart');
  assert.equal(svg[2], '近 30 天每日收益（积分）：最高 8，合计 8');
  const bars = [...svg[1].matchAll(/<rect class="bar" [^>]*height="(\d+)"><title>([^<]+)<\/title><\/rect>/g)]
    .map((m) => [Number(m[1]), m[2]]);
  assert.equal(bars.length, 30);
  const sold = bars.filter(([h]) => h > 0);
  assert.deepEqual(sold, [[120, `${soldOn}: 8`]]);  // the day of the sale, full height
  assert.equal(bars[29][1].slice(0, 10), soldOn);  // today (in Asia/Shanghai) is the last bar
  assert.match(html, new RegExp(`<figcaption id="earnings-total">近 30 天收益合计 8 积分（\\d{4}-\\d\\d-\\d\\d 至 ${soldOn}）</figcaption>`));
  assert.doesNotMatch(svg[1], /<script|on[a-z]+=/);
  // The history dates the sale on the same (site) calendar as the chart.
  assert.match(html, new RegExp(`<tr class="ledger-row"><td>${soldOn}</td><td class="ledger-kind">购买文档 <a href="/d/${id}">#${id}</a></td><td>待结算收益</td><td class="ledger-amount">\\+8</td>`));

  // The reader bought; that is not earning: no uploads, no chart, the purchase listed.
  const { html: readerMe } = await reader.page('/me');
  assert.doesNotMatch(readerMe, /<svg/);
  assert.match(readerMe, new RegExp(`<ul id="purchases">\\s*<li><a href="/d/${id}">`));

  const { html: en } = await author.page('/me?lang=en');
  assert.match(en, /<th class="num">Sales<\/th><th class="num">Earnings \(points\)<\/th>/);
  assert.match(en, /Earned in the last 30 days: 8 points/);
});
