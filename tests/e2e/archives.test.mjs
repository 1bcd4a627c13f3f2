// Archives show what they hold (issue 14), on a server of its own so that a moderator can be
// made with the CLI beside it (`wenku user add NAME --role moderator`). A zip made here
// (python3's zipfile) holds the corpus's AutoCAD 2010 drawing (dwg-2010.dwg, read where it is),
// a text file and a file that is not a document. Once its members are converted:
//   - the archive's page, to an anonymous visitor, shows a grid of the two member documents —
//     each with its cover (/d/<id>/cover.webp, which answers an image), its title, its page
//     count and a link — then, under 图纸预览, the drawing's first sheet
//     (/d/<id>/pages/1.webp, an image) large; the other file stays listed as text;
//   - in Chromium the covers and the drawing preview load (naturalWidth > 0); a screenshot of
//     the members' part of the page goes to $ARTIFACTS/archive.png;
//   - a moderator gives the text member a title of its own (shown, escaped), then takes it
//     down through the admin API: the archive's page no longer shows its cover, title or
//     link to an anonymous visitor (only its path, with a neutral note), and its cover
//     answers 451; the moderator still sees it, said to be taken down.
// Skips, saying so, when the corpus (../shared/corpus) is absent.
import { test, before, after } from 'node:test';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { Client, corpusDir, launchChromium, makeApiToken, newUser, startServer, uniqueName, waitReady } from './lib.mjs';

const run = promisify(execFile);
const ARTIFACTS = process.env.ARTIFACTS;
const CORPUS = corpusDir();
const skip = CORPUS ? false : 'the corpus (../shared/corpus) is absent: the archive tests are skipped';
const WORK = mkdtempSync(path.join(tmpdir(), 'wenku-archives-'));

let server;
let owner;
let archive;  // the archive's id
let drawing;  // { id, title } of the DWG member
let text;     // { id, title, category } of the text member

const escapeHtml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const coverImg = (id) => `<img class="member-cover" src="/d/${id}/cover.webp"`;
const titleSpan = (title) => `<span class="member-title">${escapeHtml(title)}</span>`;

async function anonymousPage(pathname) {
  const { res, html } = await new Client(server.url).page(pathname);
  assert.equal(res.status, 200, pathname);
  return html;
}

async function assertWebp(pathname) {
  const res = await new Client(server.url).fetch(pathname);
  assert.equal(res.status, 200, pathname);
  assert.equal(res.headers.get('content-type'), 'image/webp', pathname);
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.equal(bytes.subarray(0, 4).toString('latin1'), 'RIFF', pathname);
  assert.equal(bytes.subarray(8, 12).toString('latin1'), 'WEBP', pathname);
}

before(async () => {
  if (skip) return;
  server = await startServer({
    WENKU_WEB_MAX_CONNECTIONS_PER_IP: '0', WENKU_WEB_REGISTRATIONS_PER_HOUR: '1000',
    WENKU_INGEST_WORKERS: '2', WENKU_OFFICE_PROCESSES: '1',
  });
  owner = await newUser('arc', server.url);
  const zipPath = path.join(WORK, '图纸资料.zip');
  writeFileSync(path.join(WORK, 'make.py'), `
import zipfile, sys
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    z.write(sys.argv[2], 'drawings/plan.dwg')
    z.writestr('notes/施工说明.txt', '施工说明：图纸与说明一起打包。Construction notes packed with the drawing.\\n' * 30)
    z.writestr('data.bin', bytes(range(256)) * 8)
`);
  execFileSync('python3', [path.join(WORK, 'make.py'), zipPath, path.join(CORPUS, 'dwg-2010.dwg')]);
  const res = await owner.fetch(`/api/v1/documents?filename=${encodeURIComponent('图纸资料.zip')}`, {
    method: 'POST', headers: { authorization: `Bearer ${owner.apiToken}` }, body: readFileSync(zipPath),
  });
  assert.equal(res.status, 202, await res.clone().text());
  archive = (await res.json()).id;
  const doc = await waitReady(owner, archive);
  const byPath = Object.fromEntries(doc.members.map((m) => [m.path, m]));
  assert.ok(byPath['drawings/plan.dwg']?.document_id, JSON.stringify(doc.members));
  assert.ok(byPath['notes/施工说明.txt']?.document_id, JSON.stringify(doc.members));
  assert.equal(byPath['data.bin']?.document_id, null);
  const d = await waitReady(owner, byPath['drawings/plan.dwg'].document_id, 180000);
  const t = await waitReady(owner, byPath['notes/施工说明.txt'].document_id);
  assert.equal(d.format, 'dwg');
  drawing = { id: d.id, title: d.title };
  text = { id: t.id, title: t.title, category: t.category };
});

after(async () => {
  if (server) await server.stop();
  rmSync(WORK, { recursive: true, force: true });
});

test('the archive page shows its members as a grid of covers and previews its drawing', { skip, timeout: 60000 }, async () => {
  const html = await anonymousPage(`/d/${archive}?lang=zh`);
  assert.match(html, /<h3>压缩包内共 3 个文件<\/h3>/);
  const start = html.indexOf('<ul class="member-grid">');
  assert.ok(start >= 0, 'the page has the grid');
  const grid = html.slice(start, html.indexOf('</ul>', start));
  for (const m of [drawing, text]) {
    assert.ok(grid.includes(coverImg(m.id)), `the grid shows the cover of ${m.title}`);
    assert.ok(grid.includes(titleSpan(m.title)), `the grid shows the title ${m.title}`);
    assert.ok(grid.includes(`<a class="member-link" href="/d/${m.id}">`), `the grid links ${m.title}`);
  }
  assert.match(grid, /<span class="fmt">DWG<\/span> \d+ 页/);
  assert.match(grid, /<span class="fmt">TXT<\/span> \d+ 页/);
  // The drawing's first sheet, large, under 图纸预览; the text member is not previewed.
  assert.match(html, /<h3>图纸预览<\/h3>/);
  assert.ok(html.includes(`<img class="drawing-image" src="/d/${drawing.id}/pages/1.webp"`), 'the drawing preview');
  assert.ok(!html.includes(`src="/d/${text.id}/pages/1.webp"`), 'only drawings are previewed');
  // The file that is not a document stays a line of text.
  assert.match(html, /<li>data\.bin <span class="note">not a document<\/span><\/li>/);
  // The archive's own first page is still its text listing.
  assert.ok(html.includes(`<img class="page-image" src="/d/${archive}/pages/1.webp"`));
  await assertWebp(`/d/${drawing.id}/cover.webp`);
  await assertWebp(`/d/${text.id}/cover.webp`);
  await assertWebp(`/d/${drawing.id}/pages/1.webp`);
  // In English too.
  assert.match(await anonymousPage(`/d/${archive}?lang=en`), /<h3>Drawing preview<\/h3>/);
});

test('in a browser the member covers and the drawing preview load', { skip, timeout: 90000 }, async () => {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    page.setDefaultTimeout(30000);
    await page.goto(`${server.url}/d/${archive}`);
    const covers = page.locator('.member-grid img.member-cover');
    assert.equal(await covers.count(), 2);
    const images = [covers.nth(0), covers.nth(1), page.locator('img.drawing-image')];
    assert.equal(await images[2].count(), 1);
    for (const img of images) {
      await img.scrollIntoViewIfNeeded();  // they load lazily
      await img.evaluate((el) => (el.complete && el.naturalWidth > 0) || new Promise((resolve, reject) => {
        el.addEventListener('load', resolve, { once: true });
        el.addEventListener('error', () => reject(new Error(`${el.src} did not load`)), { once: true });
      }));
      assert.ok(await img.evaluate((el) => el.naturalWidth > 0), await img.getAttribute('src'));
    }
    // The grid lays covers out side by side at about 120px.
    const boxes = await Promise.all([covers.nth(0).boundingBox(), covers.nth(1).boundingBox()]);
    for (const b of boxes) assert.ok(b.width >= 100 && b.width <= 130, `a cover is ${b.width}px wide`);
    assert.equal(Math.round(boxes[0].y), Math.round(boxes[1].y), 'the two covers share a row');
    await page.locator('#members').screenshot({ path: `${ARTIFACTS}/archive.png` });
  } finally {
    await browser.close();
  }
});

test('a member taken down leaves the grid for anonymous visitors: no cover, title or link', { skip, timeout: 60000 }, async () => {
  const name = uniqueName('mod');
  const password = 'moderator pass 1';
  await run(process.env.WENKU_BIN, ['--data', server.data, 'user', 'add', name, '--role', 'moderator', '--password', password]);
  const moderator = new Client(server.url);
  const session = await moderator.postJson('/api/v1/session', { name, password });
  assert.equal(session.status, 200, await session.clone().text());
  moderator.apiToken = await makeApiToken(moderator, (await session.json()).csrf);
  const admin = (body) => moderator.fetch(`/api/v1/admin/documents/${text.id}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${moderator.apiToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  // A title of its own (not a part of the member's path), so that its absence means something.
  const title = '施工说明 <第二版> & 附图';
  const edited = await admin({ action: 'edit', title, category: text.category, price: 0, note: '改标题' });
  assert.equal(edited.status, 200, await edited.text());
  let html = await anonymousPage(`/d/${archive}?lang=zh`);
  assert.ok(html.includes(titleSpan(title)), 'the grid shows the new title, escaped');
  assert.ok(html.includes(coverImg(text.id)));

  const down = await admin({ action: 'take_down', reason: 'copyright', note: '压缩包成员下架测试' });
  assert.equal(down.status, 200, await down.text());
  html = await anonymousPage(`/d/${archive}?lang=zh`);
  assert.ok(!html.includes(`/d/${text.id}/cover.webp`), 'no cover of the member taken down');
  assert.ok(!html.includes(`href="/d/${text.id}"`), 'no link to it');
  assert.ok(!html.includes(escapeHtml(title)) && !html.includes('第二版'), 'no title of it');
  assert.match(html, /<li>notes\/施工说明\.txt <span class="note">暂不可查看<\/span><\/li>/);
  assert.ok(html.includes(coverImg(drawing.id)), 'the drawing stays in the grid');
  assert.equal((await new Client(server.url).fetch(`/d/${text.id}/cover.webp`)).status, 451);
  // The moderator still finds it on the archive's page, said to be taken down.
  const { html: seen } = await moderator.page(`/d/${archive}?lang=zh`);
  assert.ok(seen.includes(titleSpan(title)));
  assert.match(seen, /<span class="state">已下架<\/span>/);
});
