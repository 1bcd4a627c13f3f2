// Browser tests in real Chromium (Debian's, driven by playwright-core): a visitor
// registers, uploads a PDF and a DOCX on the upload page (one transfer bar and one
// conversion bar per file), reads the document page (page images, numbered page texts, the
// rest-locked message), comments (150 characters accepted with the counter at 150/150,
// 151 refused in the page and by the server), logs out and finds page N+1's image, text
// and the original refused. Another visitor buys a priced document (需 N 积分 → the confirm
// step → the download) and checks in (签到) on /me. Screenshots of the home, document,
// upload and buy pages are saved to $ARTIFACTS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { BASE, pdfFixture, docxFixture, uniqueName, newUser, upload, waitReady } from './lib.mjs';

const ARTIFACTS = process.env.ARTIFACTS;
let browser;
let page;

before(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: 'zh-CN' });
  page = await context.newPage();
  page.setDefaultTimeout(30000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !/40[1-4]|Failed to load resource/.test(m.text())) errors.push(m.text()); });
  page.errors = errors;
});

after(async () => { await browser?.close(); });

test('register, upload two files with progress bars, read, comment, log out', { timeout: 240000 }, async () => {
  // Register through the form.
  await page.goto(`${BASE}/register`);
  const name = uniqueName('读者');
  await page.fill('#register-form input[name=name]', name);
  await page.fill('#register-form input[name=password]', 'a fine password');
  await page.click('#register-form button[type=submit]');
  await page.waitForURL(`${BASE}/upload`);
  assert.equal(await page.textContent('#nav-user'), name);

  // Upload a PDF and a DOCX: each gets its own fields and two bars.
  await page.setInputFiles('#file-input', [pdfFixture(), docxFixture()]);
  const items = page.locator('.upload-item');
  assert.equal(await items.count(), 2);
  assert.equal(await items.nth(0).locator('input[name=title]').inputValue(), '复习资料');
  await items.nth(0).locator('select[name=category]').selectOption('education');
  await items.nth(1).locator('input[name=title]').fill('期末复习提纲');
  await page.screenshot({ path: `${ARTIFACTS}/upload.png`, fullPage: true });
  await page.click('#upload-start');
  for (let i = 0; i < 2; i += 1) {
    await items.nth(i).locator('.doc-link:not([hidden])').waitFor({ timeout: 180000 });
    assert.equal(await items.nth(i).getAttribute('data-state'), 'ready');
    const transfer = items.nth(i).locator('progress.transfer');
    assert.equal(await transfer.evaluate((p) => p.value === p.max && p.max > 0), true);
    const convert = items.nth(i).locator('progress.convert');
    assert.equal(await convert.evaluate((p) => p.value === p.max), true);
  }
  await page.screenshot({ path: `${ARTIFACTS}/upload-done.png`, fullPage: true });
  const pdfHref = await items.nth(0).locator('.doc-link').getAttribute('href');
  const docxHref = await items.nth(1).locator('.doc-link').getAttribute('href');

  // The DOCX was converted: its page shows its own text.
  await page.goto(BASE + docxHref);
  assert.match(await page.textContent('.page-text'), /^1、期末复习提纲：端到端测试文档/);
  assert.equal(await page.textContent('h1.doc-title'), '期末复习提纲');

  // The PDF's page: images, numbered texts, the rest-locked message.
  await page.goto(BASE + pdfHref);
  await page.locator('.preview img.page-image').first().evaluate((img) => img.decode());
  await page.screenshot({ path: `${ARTIFACTS}/document.png`, fullPage: false });
  const api = await (await page.request.get(`${BASE}/api/v1${pdfHref.replace('/d/', '/documents/')}`)).json();
  const n = api.preview_pages;
  assert.ok(api.page_count > n);
  assert.equal(await page.locator('.preview img.page-image').count(), n);
  const texts = await page.locator('.preview .page-text').allTextContents();
  assert.equal(texts.length, n);
  texts.forEach((t, i) => assert.ok(t.startsWith(`${i + 1}、`), t.slice(0, 20)));
  assert.ok(texts[0].includes('第1节'));
  const firstImage = page.locator('.preview img.page-image').first();
  assert.equal(await firstImage.evaluate((img) => img.complete && img.naturalWidth > 0), true);
  assert.equal((await page.textContent('.preview-end')).trim(), `免费预览已结束，剩余 ${api.page_count - n} 页可下载查看`);
  assert.equal((await page.textContent('#download')).trim(), '下载本文档');

  // Comments: 150 characters accepted, counter 150/150.
  assert.equal(await page.textContent('#comment-counter'), '0/150');
  const ok150 = '评'.repeat(149) + '!';
  await page.fill('#comment-text', ok150);
  assert.equal(await page.textContent('#comment-counter'), '150/150');
  await page.locator('#comments').screenshot({ path: `${ARTIFACTS}/comments.png` });
  await Promise.all([page.waitForNavigation(), page.click('#comment-submit')]);
  assert.equal((await page.locator('.comment-text').first().textContent()), ok150);

  // 151 characters: the page refuses it (counter, message, no submission) …
  const before151 = await page.locator('.comment').count();
  await page.fill('#comment-text', '评'.repeat(151));
  assert.equal(await page.textContent('#comment-counter'), '151/150');
  assert.equal(await page.textContent('#comment-error'), '评论最多 150 字');
  await page.click('#comment-submit');
  await page.waitForTimeout(300);
  assert.equal(await page.locator('.comment').count(), before151);
  // … and so does the server, when the page's check is bypassed.
  const csrf = await page.getAttribute('#comment-form input[name=csrf]', 'value');
  const refused = await page.request.post(`${BASE}${pdfHref}/comments`, {
    form: { csrf, text: '评'.repeat(151) }, maxRedirects: 0,
  });
  assert.equal(refused.status(), 400);
  assert.match(await refused.text(), /评论最多 150 字/);

  await page.goto(BASE + '/');
  await page.screenshot({ path: `${ARTIFACTS}/home.png`, fullPage: false });
  assert.ok((await page.locator('.latest .doc-item-title').allTextContents()).includes('复习资料'));

  // Search from the home page's box: the hits, the words marked, the pages named.
  await page.fill('.hero-search input[name=q]', '端到端测试');
  await page.click('.hero-search button');
  await page.waitForURL(/\/search\?q=/);
  const titles = await page.locator('.search-hit .hit-title').allTextContents();
  assert.ok(titles.includes('复习资料'), titles.join(' | '));
  assert.ok((await page.locator('.search-hit .snippet mark').count()) > 0);
  const hitPages = await page.locator('.search-hit .hit-pages').allTextContents();
  assert.ok(hitPages.some((t) => /^第 1、2、/.test(t)), hitPages.join(' | '));
  await page.screenshot({ path: `${ARTIFACTS}/search.png`, fullPage: false });
  // A filter link keeps the query.
  await page.click('.filter-group a[href*="format=pdf"]');
  assert.match(page.url(), /q=%E7%AB%AF%E5%88%B0%E7%AB%AF%E6%B5%8B%E8%AF%95&format=pdf/);
  assert.deepEqual(await page.locator('.search-hit .hit-title').allTextContents(), ['复习资料']);

  // Log out: page N+1's image, text and the original are refused.
  await page.click('#logout-form button');
  await page.waitForURL(`${BASE}/`);
  assert.equal(await page.locator('#nav-login').count(), 1);
  const image = await page.request.get(`${BASE}${pdfHref}/pages/${n + 1}.webp`);
  assert.equal(image.status(), 403);
  const asAnon = await (await page.request.get(`${BASE}/api/v1${pdfHref.replace('/d/', '/documents/')}`)).json();
  assert.equal(asAnon.pages.length, n);
  await page.goto(`${BASE}${pdfHref}?from=${n + 1}`);
  assert.equal(await page.locator('.preview .page-text').count(), n);
  const original = await page.request.get(`${BASE}${pdfHref}/download`, { maxRedirects: 0 });
  assert.equal(original.status(), 303);
  assert.match(original.headers().location, /^\/login/);
  assert.deepEqual(page.errors, []);
});

test('a reader buys a priced document on its page, downloads it, and checks in on /me', { timeout: 120000 }, async () => {
  const seller = await newUser('卖家');
  const id = await upload(seller, pdfFixture(), { title: '付费的复习资料', price: '5' });
  await waitReady(seller, id);

  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
  const p = await context.newPage();
  p.setDefaultTimeout(30000);
  await p.goto(`${BASE}/register`);
  await p.fill('#register-form input[name=name]', uniqueName('买家'));
  await p.fill('#register-form input[name=password]', 'a fine password');
  await p.click('#register-form button[type=submit]');
  await p.waitForURL(`${BASE}/upload`);

  await p.goto(`${BASE}/d/${id}`);
  assert.equal((await p.textContent('#download')).trim(), '下载本文档 · 需 5 积分');
  await p.click('#download');
  await p.waitForURL(`${BASE}/d/${id}/buy`);
  assert.equal(await p.textContent('#buy-price'), '5');
  assert.equal(await p.textContent('#buy-balance'), '20');
  assert.equal(await p.textContent('#buy-after'), '15');
  await p.screenshot({ path: `${ARTIFACTS}/buy.png`, fullPage: true });
  await p.click('#buy-form button[type=submit]');
  await p.waitForURL(`${BASE}/d/${id}`);
  assert.equal((await p.textContent('#download')).trim(), '下载本文档');
  const [download] = await Promise.all([p.waitForEvent('download'), p.click('#download')]);
  const saved = await download.path();
  assert.deepEqual(readFileSync(saved), readFileSync(pdfFixture()));

  await p.goto(`${BASE}/me`);
  assert.equal(await p.textContent('#me-balance'), '15');
  await p.click('#checkin-form button[type=submit]');
  await p.waitForURL(`${BASE}/me`);
  assert.equal(await p.textContent('#me-balance'), '20');
  assert.equal(await p.locator('#checkin-done').count(), 1);
  await context.close();
});
