// The admin area end to end (issue 12), on a server of its own with an admin made by the CLI
// beside it. In Chromium the admin changes settings on /admin/settings (a sensitive word and
// the free preview) and they apply at once, without a restart: a comment holding the word is
// held (its author sees it, a visitor does not), the case on /admin shows it, and "审核通过并公开"
// publishes it; the preview shrinks on the document's API answer. On /admin/users the admin
// grants points (the user's balance moves by exactly that) and disables the account (its token
// stops working, its document is gone for visitors); /admin/documents finds the document and
// /admin/stats draws its charts. Screenshots of each page go to $ARTIFACTS.
import { test, before, after } from 'node:test';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { Client, newUser, upload, waitReady, startServer, uniqueName, launchChromium, logInPage } from './lib.mjs';

const run = promisify(execFile);
const ARTIFACTS = process.env.ARTIFACTS;
const WORK = mkdtempSync(path.join(tmpdir(), 'wenku-admin-area-'));
const PASSWORD = 'admin pass 12345';
let server;

before(async () => {
  server = await startServer({ WENKU_INGEST_WORKERS: '1', WENKU_OFFICE_WARM: '0', WENKU_OFFICE_PROCESSES: '1' });
});

after(async () => {
  await server?.stop();
});

async function api(client, pathname, { method = 'GET', body } = {}) {
  const headers = {};
  if (client?.apiToken) headers.authorization = `Bearer ${client.apiToken}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await (client ?? new Client(server.url)).fetch(pathname, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed = null;
  try { parsed = text ? JSON.parse(text) : null; } catch { parsed = text; }
  return { status: res.status, body: parsed };
}

test('an admin runs the site from /admin: settings, a held comment, users, documents, stats', { timeout: 180000 }, async () => {
  const admin = uniqueName('root');
  await run(process.env.WENKU_BIN, ['--data', server.data, 'user', 'add', admin, '--role', 'admin', '--password', PASSWORD]);
  const uploader = await newUser('up', server.url);
  const commenter = await newUser('cm', server.url);
  const file = path.join(WORK, 'notes.txt');
  const pages = Array.from({ length: 6 }, (_, i) => `第${i + 1}章 管理后台端到端测试 chapter ${i + 1}\n`.repeat(60)).join('\f');
  writeFileSync(file, pages);
  const id = await upload(uploader, file, { title: '管理后台测试文档' });
  const doc = await waitReady(uploader, id, 90000);
  assert.ok(doc.page_count >= 3, `a document of several pages (${doc.page_count})`);

  const browser = await launchChromium();
  try {
    const page = await logInPage(browser, server.url, admin, PASSWORD, '/admin');

    // Settings: a sensitive word and a shorter free preview, in effect at once.
    await page.click('.admin-nav a[href="/admin/settings"]');
    await page.waitForURL(`${server.url}/admin/settings`);
    await page.fill('[name="moderation.sensitive_words"]', '刷单\n代写论文');
    await page.fill('[name="preview.pages"]', '2');
    await page.click('#settings-form button[type=submit]');
    await page.locator('.notice').waitFor();
    assert.equal(await page.locator('[data-key="preview.pages"] .setting-source-name').getAttribute('data-source'), 'database');
    await page.screenshot({ path: `${ARTIFACTS}/admin_settings.png`, fullPage: false });
    const visitorView = await api(null, `/api/v1/documents/${id}`);
    assert.equal(visitorView.status, 200);
    assert.equal(visitorView.body.preview_pages, 2);
    assert.equal(visitorView.body.pages.length, 2, 'the free preview follows the setting without a restart');

    // A comment holding the word is held: its author sees it, a visitor does not.
    const posted = await api(commenter, `/api/v1/documents/${id}/comments`, { method: 'POST', body: { text: '加我刷单，日结' } });
    assert.equal(posted.status, 201, JSON.stringify(posted.body));
    assert.equal(posted.body.held, true);
    assert.equal((await api(null, `/api/v1/documents/${id}/comments`)).body.comments.length, 0);
    assert.equal((await api(commenter, `/api/v1/documents/${id}/comments`)).body.comments.length, 1);
    await page.goto(`${server.url}/admin`);
    const held = page.locator('.case', { hasText: '加我刷单' });
    await held.waitFor();
    assert.match(await held.locator('.case-reason').textContent(), /敏感词/);
    await held.locator('select[name=action]').selectOption('dismiss');
    await held.locator('textarea[name=note]').fill('正常讨论，予以公开');
    await held.locator('button[type=submit]').click();
    await page.waitForURL(/\/admin/);
    const shown = (await api(null, `/api/v1/documents/${id}/comments`)).body.comments;
    assert.equal(shown.length, 1);
    assert.equal(shown[0].held, false);

    // Documents: the moderators' search finds it.
    await page.click('.admin-nav a[href="/admin/documents"]');
    await page.waitForURL(`${server.url}/admin/documents`);
    await page.fill('#document-filter input[name=q]', '管理后台测试');
    await page.press('#document-filter input[name=q]', 'Enter');
    await page.waitForURL(/\/admin\/documents\?/);
    assert.match(await page.textContent('main'), /管理后台测试文档/);
    await page.screenshot({ path: `${ARTIFACTS}/admin_documents.png`, fullPage: false });

    // Users: a grant moves the balance by exactly its amount; disabling ends the session.
    const before = (await api(uploader, '/api/v1/me')).body.points.balance;
    await page.goto(`${server.url}/admin/users?q=${encodeURIComponent(uploader.name)}`);
    const row = page.locator(`#user-${uploader.id}`);
    await row.waitFor();
    await row.locator('.grant-form input[name=amount]').fill('37');
    await row.locator('.grant-form input[name=note]').fill('优质上传奖励');
    await row.locator('.grant-form button[type=submit]').click();
    await page.waitForURL(/\/admin\/users/);
    assert.equal((await api(uploader, '/api/v1/me')).body.points.balance, before + 37);
    await page.screenshot({ path: `${ARTIFACTS}/admin_users.png`, fullPage: false });
    await page.locator(`#user-${uploader.id} .status-form input[name=note]`).fill('发布违规内容');
    await page.locator(`#user-${uploader.id} .status-form button[type=submit]`).click();
    await page.waitForURL(/\/admin\/users/);
    assert.equal((await api(uploader, '/api/v1/me')).status, 401, 'a disabled account\'s API token stops working');
    assert.equal((await api(null, `/api/v1/documents/${id}`)).status, 404, 'its documents are hidden');

    // Stats: today's upload is counted, the charts are drawn on the server.
    await page.click('.admin-nav a[href="/admin/stats"]');
    await page.waitForURL(`${server.url}/admin/stats`);
    assert.ok(await page.locator('.stats-figure svg').count() >= 4);
    await page.screenshot({ path: `${ARTIFACTS}/admin_stats.png`, fullPage: false });
  } finally {
    await browser.close();
  }
});
