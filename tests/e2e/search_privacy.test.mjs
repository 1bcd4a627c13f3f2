// Locked pages stay locked (issue 10), over HTTP as visitors see it: the library search and
// the search inside a document — pages and API — never name a page past what the visitor
// may read (anonymous visitors and other users of a priced document: the free preview),
// say 完整文档中还有更多匹配 / "more_in_full_document" instead, and still give the owner
// every page. And searches are rate-limited per account or per IP: past
// search.per_minute, 429 with Retry-After. run.sh sets the limit high enough that no other
// test file (they all search anonymously from 127.0.0.1) reaches it; the limit is hit
// here with an account of its own, whose count is apart from the address's.
import { test, before } from 'node:test';
import { writeFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { Client, newUser, upload, waitReady, FIXTURES } from './lib.mjs';

const LIMIT = Number(process.env.WENKU_SEARCH_PER_MINUTE || 30);
const PAGES = 10;
const LOCKED_PAGE = 8;  // past the free preview
const SECRET = '锁定答案甲乙丙丁戊';     // only on page 8 of the priced document
const FREE_ONLY = '独有词汇子丑寅卯';    // only on page 8 of the free document
const EVERYWHERE = '隐私检查资料';        // on every page of both
const MORE_ZH = '完整文档中还有更多匹配';
const MORE_EN = 'More matches in the full document';

let owner, other, priced, free;

// A text file laid out as one page per "\f"-separated part.
function textFixture(name, lockedWords) {
  const parts = [];
  for (let n = 1; n <= PAGES; n++) {
    let text = `第${n}页 ${EVERYWHERE} 公开段落 ${name}`;
    if (n === LOCKED_PAGE) text += `\n参考${lockedWords}`;
    parts.push(text);
  }
  const path = `${FIXTURES}/${name}.txt`;
  writeFileSync(path, parts.join('\n\f'));
  return path;
}

const q = (s) => encodeURIComponent(s);
async function json(client, path) {
  const res = await client.fetch(path);
  assert.equal(res.status, 200, path);
  return res.json();
}
const hitFor = (body, id) => body.hits.find((h) => h.id === id);

before(async () => {
  owner = await newUser('spowner');
  other = await newUser('spother');
  const pricedId = await upload(owner, textFixture('隐私付费', SECRET), { title: '隐私测试付费', category: 'education', price: '5' });
  const freeId = await upload(owner, textFixture('隐私免费', FREE_ONLY), { title: '隐私测试免费', category: 'education' });
  priced = await waitReady(owner, pricedId);
  free = await waitReady(owner, freeId);
  for (const d of [priced, free]) {
    assert.equal(d.page_count, PAGES);
    assert.ok(d.preview_pages < LOCKED_PAGE, `preview ${d.preview_pages} pages`);
  }
  assert.equal(priced.price, 5);
});

test('library search API: locked page numbers never reach anonymous visitors or other users', async () => {
  for (const [who, client] of [['anonymous', new Client()], ['another user', other]]) {
    const body = await json(client, `/api/v1/search?q=${q(SECRET)}`);
    const hit = hitFor(body, priced.id);
    assert.ok(hit, `${who}: the document matches on its whole text`);
    assert.deepEqual(hit.pages, [], who);
    assert.equal(hit.more_in_full_document, true, who);
    assert.ok(hit.snippet_page <= priced.preview_pages, who);
    assert.doesNotMatch(hit.snippet, /锁定/, who);
    // Words on every page: the readable ones are named, the rest are one flag.
    const all = hitFor(await json(client, `/api/v1/search?q=${q(EVERYWHERE)}`), priced.id);
    assert.deepEqual(all.pages, Array.from({ length: priced.preview_pages }, (_, i) => i + 1), who);
    assert.equal(all.more_in_full_document, true, who);
  }
  const mine = hitFor(await json(owner, `/api/v1/search?q=${q(SECRET)}`), priced.id);
  assert.deepEqual(mine.pages, [LOCKED_PAGE]);
  assert.equal(mine.more_in_full_document, false);
  assert.equal(mine.snippet_page, LOCKED_PAGE);
  assert.match(mine.snippet, /<mark>锁定答案甲乙丙丁戊<\/mark>/);
});

test('library search page: the sentence instead of the page, in Chinese and English; the owner sees 第 8 页', async () => {
  for (const [who, client] of [['anonymous', new Client()], ['another user', other]]) {
    const { res, html } = await client.page(`/search?q=${q(SECRET)}`);
    assert.equal(res.status, 200, who);
    assert.ok(html.includes(`<a class="hit-title" href="/d/${priced.id}">`), who);
    assert.ok(html.includes(`<p class="hit-more">${MORE_ZH}</p>`), who);
    assert.doesNotMatch(html, /class="hit-pages"/, who);
    assert.doesNotMatch(html, new RegExp(`第 ${LOCKED_PAGE} 页`), who);
    assert.doesNotMatch(html, /<mark>锁定/, who);
  }
  const en = await new Client().page(`/search?q=${q(SECRET)}&lang=en`);
  assert.ok(en.html.includes(`<p class="hit-more">${MORE_EN}</p>`));
  const mine = await owner.page(`/search?q=${q(SECRET)}`);
  assert.ok(mine.html.includes(`">第 ${LOCKED_PAGE} 页</a></p>`));
  assert.ok(!mine.html.includes(MORE_ZH));
});

test('searching inside a document: only readable pages, the flag for the rest, every page for the owner', async () => {
  const path = `/api/v1/documents/${priced.id}/search?q=${q(SECRET)}`;
  for (const [who, client] of [['anonymous', new Client()], ['another user', other]]) {
    assert.deepEqual(await json(client, path), { id: priced.id, pages: [], more_in_full_document: true }, who);
    const { res, html } = await client.page(`/d/${priced.id}/search?q=${q(SECRET)}`);
    assert.equal(res.status, 200, who);
    assert.ok(html.includes(`<p class="hit-more">${MORE_ZH}</p>`), who);
    assert.doesNotMatch(html, /class="page-hit"/, who);
    assert.doesNotMatch(html, new RegExp(`第 ${LOCKED_PAGE} 页`), who);
    assert.ok(!html.includes('本文档中没有找到这些词'), `${who}: not told the words are absent`);
    const everywhere = await json(client, `/api/v1/documents/${priced.id}/search?q=${q(EVERYWHERE)}`);
    assert.deepEqual(everywhere.pages.map((p) => p.n), Array.from({ length: priced.preview_pages }, (_, i) => i + 1), who);
    assert.ok(everywhere.pages.every((p) => /<mark>/.test(p.snippet)), who);
    assert.equal(everywhere.more_in_full_document, true, who);
  }
  const mine = await json(owner, path);
  assert.equal(mine.more_in_full_document, false);
  assert.equal(mine.pages.length, 1);
  assert.equal(mine.pages[0].n, LOCKED_PAGE);
  assert.match(mine.pages[0].snippet, /<mark>锁定答案甲乙丙丁戊<\/mark>/);
  const page = await owner.page(`/d/${priced.id}/search?q=${q(SECRET)}`);
  assert.ok(page.html.includes(`?from=${LOCKED_PAGE}#p${LOCKED_PAGE}">第 ${LOCKED_PAGE} 页</a>`));
  assert.ok(!page.html.includes(MORE_ZH));
  const en = await new Client().page(`/d/${priced.id}/search?q=${q(SECRET)}&lang=en`);
  assert.ok(en.html.includes(MORE_EN));
});

test('a free document: words only past the preview stay hidden from anonymous visitors; logged-in users may read it all', async () => {
  const anon = hitFor(await json(new Client(), `/api/v1/search?q=${q(FREE_ONLY)}`), free.id);
  assert.deepEqual(anon.pages, []);
  assert.equal(anon.more_in_full_document, true);
  assert.deepEqual(await json(new Client(), `/api/v1/documents/${free.id}/search?q=${q(FREE_ONLY)}`),
    { id: free.id, pages: [], more_in_full_document: true });
  const anonPage = await new Client().page(`/d/${free.id}/search?q=${q(FREE_ONLY)}`);
  assert.doesNotMatch(anonPage.html, new RegExp(`第 ${LOCKED_PAGE} 页`));
  assert.ok(anonPage.html.includes(MORE_ZH));
  // Any logged-in user may read (and download) a free document whole: nothing is locked.
  const reader = hitFor(await json(other, `/api/v1/search?q=${q(FREE_ONLY)}`), free.id);
  assert.deepEqual(reader.pages, [LOCKED_PAGE]);
  assert.equal(reader.more_in_full_document, false);
});

test('searches past search.per_minute: 429 with Retry-After for that account only', async () => {
  assert.ok(LIMIT >= 1 && LIMIT <= 500, `WENKU_SEARCH_PER_MINUTE=${LIMIT}`);
  const greedy = await newUser('spgreedy');  // logged in by its session cookie
  // A page without a query searches nothing and is not counted.
  assert.equal((await greedy.fetch('/search')).status, 200);
  const statuses = [];
  for (let i = 0; i < LIMIT; i += 20) {
    const batch = [];
    for (let j = i; j < Math.min(i + 20, LIMIT); j++) {
      batch.push(greedy.fetch(`/api/v1/search?q=${q(`${EVERYWHERE}${j}`)}`).then((r) => r.status));
    }
    statuses.push(...await Promise.all(batch));
  }
  assert.deepEqual([...new Set(statuses)], [200], `the first ${LIMIT} searches are answered`);

  const api = await greedy.fetch(`/api/v1/search?q=${q(EVERYWHERE)}`);
  assert.equal(api.status, 429);
  const retry = Number(api.headers.get('retry-after'));
  assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 60, `Retry-After: ${api.headers.get('retry-after')}`);
  const body = await api.json();
  assert.equal(body.error.code, 'rate_limited');
  assert.match(body.error.message, /搜索太频繁，请 \d+ 秒后再试/);

  const inDoc = await greedy.fetch(`/api/v1/documents/${priced.id}/search?q=${q(SECRET)}`);
  assert.equal(inDoc.status, 429);
  assert.ok(Number(inDoc.headers.get('retry-after')) >= 1);
  assert.equal((await inDoc.json()).error.code, 'rate_limited');

  // The pages (the same session): a page with the catalog's message.
  for (const path of [`/search?q=${q(EVERYWHERE)}`, `/d/${priced.id}/search?q=${q(EVERYWHERE)}`,
    `/search?q=${q(EVERYWHERE)}&lang=en`]) {
    const { res, html } = await greedy.page(path);
    assert.equal(res.status, 429, path);
    assert.ok(Number(res.headers.get('retry-after')) >= 1, path);
    assert.match(res.headers.get('content-type'), /text\/html/, path);
    assert.match(html, path.includes('lang=en') ? /Too many searches; try again in \d+ seconds/ : /搜索太频繁，请 \d+ 秒后再试/, path);
    assert.match(res.headers.get('cache-control'), /no-cache|no-store/, path);
  }

  // Other visitors are counted apart: another account and the anonymous address still search.
  assert.equal((await other.fetch(`/api/v1/search?q=${q(EVERYWHERE)}`)).status, 200);
  assert.equal((await new Client().fetch(`/api/v1/search?q=${q(EVERYWHERE)}`)).status, 200);
  assert.equal((await new Client().fetch(`/search?q=${q(EVERYWHERE)}`)).status, 200);
});
