// Categories end to end (issue 12), on a server of its own so that an admin can be made with
// the CLI beside it (`wenku user add NAME --role admin`): in Chromium the admin opens
// /admin/categories from the admin navigation, adds a category, finds it offered on the
// upload form and listed at /c/{slug}, moves it up, hides it — then an anonymous visitor gets
// 404 there and GET /api/v1/categories no longer lists it. A screenshot of the page goes to
// $ARTIFACTS.
import { test, before, after } from 'node:test';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import assert from 'node:assert/strict';
import { startServer, uniqueName, launchChromium, logInPage } from './lib.mjs';

const run = promisify(execFile);
const ARTIFACTS = process.env.ARTIFACTS;
const PASSWORD = 'admin pass 12345';
let server;

before(async () => {
  server = await startServer({ WENKU_INGEST_WORKERS: '1', WENKU_OFFICE_WARM: '0', WENKU_OFFICE_PROCESSES: '1' });
});

after(async () => {
  await server?.stop();
});

test('an admin adds, moves and hides a category in the browser', { timeout: 120000 }, async () => {
  const admin = uniqueName('root');
  await run(process.env.WENKU_BIN, ['--data', server.data, 'user', 'add', admin, '--role', 'admin', '--password', PASSWORD]);
  const slug = `e2e-${process.pid}`;
  const browser = await launchChromium();
  try {
    const page = await logInPage(browser, server.url, admin, PASSWORD, '/admin');
    await page.click('.admin-nav a[href="/admin/categories"]');
    await page.waitForURL(`${server.url}/admin/categories`);
    assert.equal(await page.locator('.category-row').count(), 10);  // migration 8's list

    await page.fill('#category-add input[name=slug]', slug);
    await page.fill('#category-add input[name=name_zh]', '端到端分类');
    await page.fill('#category-add input[name=name_en]', 'End to end');
    await page.click('#category-add button[type=submit]');
    await page.waitForURL(`${server.url}/admin/categories`);
    const row = page.locator(`#category-${slug}`);
    await row.waitFor();
    assert.equal(await page.locator('.category-row').last().getAttribute('data-slug'), slug);
    await page.screenshot({ path: `${ARTIFACTS}/admin_categories.png`, fullPage: true });

    await page.goto(`${server.url}/upload`);
    assert.equal(await page.locator(`select[name=category] option[value="${slug}"]`).first().textContent(), '端到端分类');
    const visitor = await browser.newContext({ locale: 'zh-CN' });
    const vp = await visitor.newPage();
    const listed = await vp.goto(`${server.url}/c/${slug}`);
    assert.equal(listed.status(), 200);
    assert.match(await vp.textContent('main'), /端到端分类/);

    await page.goto(`${server.url}/admin/categories`);
    await page.locator(`#category-${slug} button`, { hasText: '上移' }).click();
    await page.waitForURL(/\/admin\/categories/);
    const slugs = await page.locator('.category-row').evaluateAll((rows) => rows.map((r) => r.dataset.slug));
    assert.equal(slugs.indexOf(slug), slugs.length - 2);  // now before "other"

    await page.locator(`#category-${slug} button`, { hasText: '隐藏' }).click();
    await page.waitForURL(/\/admin\/categories/);
    assert.equal(await page.locator(`#category-${slug}`).getAttribute('data-hidden'), 'true');
    const hidden = await vp.goto(`${server.url}/c/${slug}`);
    assert.equal(hidden.status(), 404);
    const api = await (await fetch(`${server.url}/api/v1/categories`)).json();
    assert.ok(!api.categories.some((c) => c.slug === slug));
    await page.goto(`${server.url}/upload`);
    assert.equal(await page.locator(`select[name=category] option[value="${slug}"]`).count(), 0);
  } finally {
    await browser.close();
  }
});
