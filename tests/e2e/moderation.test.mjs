// Moderation end to end (issue 12), on a server of its own so that a moderator can be made
// with the CLI beside it (`wenku user add NAME --role moderator`):
//   - a priced text document is uploaded and bought; another user reports it with the
//     report form (举报); a moderator takes it down through the API; then the page, page
//     images, the download and the API answer 451, it is gone from search results, the
//     sitemap, the home page and its category, the buyer has their points back, and
//     `wenku ledger check` passes;
//   - a claim (认领) accepted through the API moves the document to the claimant (the API's
//     owner) with the uploader's pending earnings from it;
//   - a moderator edits a ready document's title through the admin API and search finds the
//     new title; /admin/stats draws its charts; the document is deleted;
//   - in Chromium, a moderator opens /admin, finds the reported document's case, chooses
//     下架 with a note, and a visitor then gets the 451 page. A screenshot of /admin goes to
//     $ARTIFACTS.
import { test, before, after } from 'node:test';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { Client, newUser, makeApiToken, upload, waitReady, startServer, uniqueName, launchChromium, logInPage, sitemapLocs } from './lib.mjs';

const run = promisify(execFile);
const ARTIFACTS = process.env.ARTIFACTS;
const WORK = mkdtempSync(path.join(tmpdir(), 'wenku-moderation-'));
const MOD_PASSWORD = 'moderator pass 1';

let server;
let moderator;  // a Client logged in through the API (Bearer)

const wenku = (...args) => run(process.env.WENKU_BIN, ['--data', server.data, ...args]);

async function api(client, pathname, { method = 'GET', body, headers = {} } = {}) {
  const h = { ...headers };
  if (client?.apiToken) h.authorization = `Bearer ${client.apiToken}`;
  if (body !== undefined) h['content-type'] = 'application/json';
  const res = await (client ?? new Client(server.url)).fetch(pathname, {
    method, headers: h, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed = null;
  try { parsed = text ? JSON.parse(text) : null; } catch { parsed = text; }
  return { status: res.status, body: parsed };
}
const pointsOf = async (c) => (await api(c, '/api/v1/me')).body.points;

// A text document of its own words (so search finds it alone), ready.
async function textDocument(owner, words, params) {
  const file = path.join(WORK, `${uniqueName('doc')}.txt`);
  writeFileSync(file, `${words}\n审核测试文档：${words} moderation end-to-end test.\n`);
  const id = await upload(owner, file, params);
  return waitReady(owner, id, 60000);
}

async function newModerator(name) {
  await wenku('user', 'add', name, '--role', 'moderator', '--password', MOD_PASSWORD);
  const c = new Client(server.url);
  c.name = name;
  const res = await c.postJson('/api/v1/session', { name, password: MOD_PASSWORD });
  assert.equal(res.status, 200, await res.clone().text());
  c.apiToken = await makeApiToken(c, (await res.json()).csrf);
  return c;
}

// Reports `id` through the HTML form as `client` would in a browser; returns the case id.
async function reportByForm(client, id, fields) {
  const { res, html } = await client.page(`/d/${id}/report`);
  assert.equal(res.status, 200);
  const csrf = html.match(/name="csrf" value="([0-9a-f]{128})"/)[1];
  const post = await client.postForm(`/d/${id}/report`, { csrf, ...fields });
  const text = await post.text();
  assert.equal(post.status, 200, text);
  return Number(text.match(/#(\d+)/)[1]);
}

before(async () => {
  server = await startServer({
    WENKU_WEB_REGISTRATIONS_PER_HOUR: '1000', WENKU_INGEST_WORKERS: '2', WENKU_OFFICE_WARM: '0',
    WENKU_OFFICE_PROCESSES: '1',
  });
  moderator = await newModerator(uniqueName('mod'));
});

after(async () => {
  await server?.stop();
  rmSync(WORK, { recursive: true, force: true });
});

test('report → take down: 451 everywhere, gone from listings, the buyer refunded, the ledger holds', { timeout: 180000 }, async () => {
  const uploader = await newUser('uploader', server.url);
  const words = `盗版样书${process.pid}`;
  const doc = await textDocument(uploader, words, { title: `待审文档${process.pid}`, price: '5', category: 'education' });
  const buyer = await newUser('buyer', server.url);
  const bought = await api(buyer, `/api/v1/documents/${doc.id}/purchase`, { method: 'POST', headers: { 'idempotency-key': 'mod-1' } });
  assert.equal(bought.status, 200, JSON.stringify(bought.body));
  assert.equal((await pointsOf(buyer)).balance, 15);

  const anon = new Client(server.url);
  const search = `/search?q=${encodeURIComponent(words)}`;
  const link = new RegExp(`href="/d/${doc.id}"`);
  assert.match((await anon.page(search)).html, link);
  assert.match(await sitemapLocs(anon), new RegExp(`/d/${doc.id}\n`));
  assert.match((await anon.page('/c/education')).html, link);
  assert.match((await anon.page('/')).html, link);

  // Another user reports it with the form; an anonymous report needs an e-mail address.
  const reporter = await newUser('reporter', server.url);
  const bad = await anon.page(`/d/${doc.id}/report`);
  const csrf = bad.html.match(/name="csrf" value="([0-9a-f]{128})"/)[1];
  const refused = await anon.postForm(`/d/${doc.id}/report`, { csrf, reason: 'spam' });
  assert.equal(refused.status, 400);
  assert.match(await refused.text(), /id="contact-error">请填写有效的联系邮箱/);
  const caseId = await reportByForm(reporter, doc.id, {
    reason: 'copyright', work: '《某某样书》', rights_holder: '某出版社', detail: '整本照搬',
  });
  const open = await api(moderator, '/api/v1/admin/cases?state=open&type=report');
  const mine = open.body.cases.find((c) => c.id === caseId);
  assert.ok(mine, JSON.stringify(open.body));
  assert.equal(mine.document_id, doc.id);
  assert.equal(mine.reporter, reporter.name);
  assert.equal(mine.work, '《某某样书》');
  assert.equal((await api(reporter, '/api/v1/admin/cases')).status, 403);

  const decided = await api(moderator, `/api/v1/admin/cases/${caseId}`, { method: 'POST', body: { action: 'take_down', note: '侵权属实' } });
  assert.equal(decided.status, 200, JSON.stringify(decided.body));
  assert.equal(decided.body.state, 'taken_down');

  for (const c of [anon, buyer, uploader]) {
    const page = await c.page(`/d/${doc.id}`);
    assert.equal(page.res.status, 451);
    assert.match(page.html, /该文档因版权投诉已被下架/);
    assert.equal((await c.fetch(`/d/${doc.id}/pages/1.webp`)).status, 451);
  }
  assert.equal((await buyer.fetch(`/d/${doc.id}/download`)).status, 451);
  assert.equal((await api(buyer, `/api/v1/documents/${doc.id}`)).status, 451);
  assert.equal((await api(null, `/api/v1/documents/${doc.id}`)).status, 451);
  assert.doesNotMatch((await anon.page(search)).html, link);
  assert.doesNotMatch(await sitemapLocs(anon), new RegExp(`/d/${doc.id}\n`));
  assert.doesNotMatch((await anon.page('/c/education')).html, link);
  assert.doesNotMatch((await anon.page('/')).html, link);
  const apiSearch = await api(null, `/api/v1/search?q=${encodeURIComponent(words)}`);
  assert.equal(apiSearch.status, 200);
  assert.ok(!JSON.stringify(apiSearch.body).includes(doc.title), JSON.stringify(apiSearch.body));

  assert.equal((await pointsOf(buyer)).balance, 20);  // refunded
  const audit = await api(moderator, `/api/v1/admin/documents/${doc.id}/audit`);
  assert.deepEqual(audit.body.entries.map((e) => e.action), ['report', 'take_down']);
  assert.equal((await api(moderator, `/d/${doc.id}`)).status, 200);  // moderators still see it
  await wenku('ledger', 'check');  // rejects on a non-zero exit
});

test('an accepted claim moves the document and its pending earnings to the claimant', { timeout: 180000 }, async () => {
  const uploader = await newUser('copier', server.url);
  const doc = await textDocument(uploader, `认领样文${process.pid}`, { title: '被认领的文档', price: '10' });
  const buyer = await newUser('claimbuyer', server.url);
  assert.equal((await api(buyer, `/api/v1/documents/${doc.id}/purchase`, { method: 'POST', headers: { 'idempotency-key': 'c-1' } })).status, 200);
  const share = (await pointsOf(uploader)).pending;
  assert.equal(share, 8);  // 10 less the 20 % commission

  const author = await newUser('author', server.url);
  const own = await api(uploader, `/api/v1/documents/${doc.id}/claims`, { method: 'POST', body: { work: 'x', proof: 'y', contact: 'z' } });
  assert.equal(own.status, 403);
  const claim = await api(author, `/api/v1/documents/${doc.id}/claims`, {
    method: 'POST', body: { work: '《我的文章》', proof: '首发于我的博客，附底稿', contact: 'author@example.cn' },
  });
  assert.equal(claim.status, 201, JSON.stringify(claim.body));
  const accepted = await api(moderator, `/api/v1/admin/cases/${claim.body.id}`, { method: 'POST', body: { action: 'accept_claim', note: '权属证明充分' } });
  assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
  assert.equal(accepted.body.state, 'accepted');

  assert.equal((await api(null, `/api/v1/documents/${doc.id}`)).body.owner, author.name);
  assert.equal((await pointsOf(author)).pending, share);
  assert.equal((await pointsOf(uploader)).pending, 0);
  await wenku('ledger', 'check');
});

test('admin documents: an edit by a moderator is what search finds; /admin/stats draws its charts', { timeout: 180000 }, async () => {
  const uploader = await newUser('uploader', server.url);
  const words = `管理编辑${process.pid}`;
  const doc = await textDocument(uploader, words, { title: `原标题${process.pid}`, price: '0' });
  const listed = await api(moderator, `/api/v1/admin/documents?q=${encodeURIComponent(doc.title)}`);
  assert.deepEqual(listed.body.documents.map((d) => d.id), [doc.id]);
  const newTitle = `新标题甲乙${process.pid}`;
  const tooLong = await api(moderator, `/api/v1/admin/documents/${doc.id}`, { method: 'POST', body: { action: 'edit', title: 'x'.repeat(201), price: 0 } });
  assert.equal(tooLong.status, 400);
  const edited = await api(moderator, `/api/v1/admin/documents/${doc.id}`, { method: 'POST', body: { action: 'edit', title: newTitle, category: 'other', price: 0, note: '改标题' } });
  assert.equal(edited.status, 200, JSON.stringify(edited.body));
  const found = await api(null, `/api/v1/search?q=${encodeURIComponent(newTitle)}`);
  assert.ok(JSON.stringify(found.body).includes(newTitle), JSON.stringify(found.body));  // re-indexed
  assert.equal((await api(uploader, `/admin/documents`)).status, 403);
  const stats = await api(moderator, '/admin/stats');
  assert.equal(stats.status, 200);
  assert.match(stats.body, /<svg[^>]*class="stats-chart stats-uploads"/);
  const deleted = await api(moderator, `/api/v1/admin/documents/${doc.id}`, { method: 'POST', body: { action: 'delete', note: '测试清理' } });
  assert.equal(deleted.status, 200);
  assert.equal((await api(null, `/api/v1/documents/${doc.id}`)).status, 404);
});

test('browser: a moderator takes a reported document down from /admin', { timeout: 180000 }, async () => {
  const uploader = await newUser('browserup', server.url);
  const doc = await textDocument(uploader, `浏览器审核${process.pid}`, { title: `浏览器审核文档${process.pid}`, price: '0' });
  const reporter = await newUser('browserrep', server.url);
  const caseId = await reportByForm(reporter, doc.id, { reason: 'spam', detail: '全是广告链接' });

  const browser = await launchChromium();
  try {
    const page = await logInPage(browser, server.url, moderator.name, MOD_PASSWORD, '/admin');
    assert.equal(await page.locator('#nav-admin').count(), 1);
    const item = page.locator(`#case-${caseId}`);
    await item.waitFor();
    assert.match(await item.textContent(), /全是广告链接/);
    assert.equal(await item.locator('.case-doc-link').getAttribute('href'), `/d/${doc.id}`);
    await page.screenshot({ path: `${ARTIFACTS}/admin.png`, fullPage: true });
    await item.locator('select[name=action]').selectOption('take_down');
    assert.equal(await item.locator('select[name=action] option:checked').textContent(), '下架');
    await item.locator('textarea[name=note]').fill('广告垃圾，下架');
    await item.locator('button[type=submit]').click();
    await page.waitForURL(/\/admin\?/);
    assert.equal(await page.locator(`#case-${caseId}`).count(), 0);  // no longer open

    const visitor = await browser.newContext({ locale: 'zh-CN' });
    const vp = await visitor.newPage();
    const res = await vp.goto(`${server.url}/d/${doc.id}`);
    assert.equal(res.status(), 451);
    assert.match(await vp.textContent('main'), /该文档因属于广告垃圾已被下架/);
  } finally {
    await browser.close();
  }
});
