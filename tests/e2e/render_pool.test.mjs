// Page images drawn on request go through the render pool, off the request threads: while
// readers wait for expensive pages, the site answers everyone else at once; a reader past
// their limit is told to come back (503 + Retry-After) and then gets the page; and with no
// free preview the cover shows no page at all. The expensive PDF is made by
// make_heavy_pdf.py: cheap preview pages, then pages that draw one large image many times.
import { test, before, after } from 'node:test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { Client, newUser, upload, waitReady, pdfFixture, startServer } from './lib.mjs';

const HERE = path.dirname(new URL(import.meta.url).pathname);
const WORK = mkdtempSync(path.join(tmpdir(), 'wenku-render-'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function makePdf(name, args) {
  const file = path.join(WORK, name);
  execFileSync('python3', [path.join(HERE, 'make_heavy_pdf.py'), file, ...args]);
  return file;
}

const isWebp = (buf) => buf.length > 12 && buf.subarray(0, 4).toString() === 'RIFF' &&
  buf.subarray(8, 12).toString() === 'WEBP';

// GET a page image as `client`, answering 503 + Retry-After by waiting and asking again.
async function fetchPage(client, id, n, log) {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const res = await client.fetch(`/d/${id}/pages/${n}.webp`);
    const body = Buffer.from(await res.arrayBuffer());
    log.push({ n, status: res.status, retryAfter: res.headers.get('retry-after'), at: Date.now() });
    if (res.status !== 503) return { res, body };
    const wait = Number(res.headers.get('retry-after'));
    assert.ok(wait >= 1, `a 503 says when to come back (Retry-After: ${wait})`);
    await sleep(wait * 1000);
  }
  throw new Error(`page ${n} of ${id} never arrived`);
}

// Milliseconds a fresh anonymous GET /login takes (not cacheable: it sets the CSRF cookie, so
// it is answered by a handler thread, the ones a blocking render would hold).
async function loginLatency() {
  const start = process.hrtime.bigint();
  const res = await new Client().fetch('/login');
  await res.text();
  assert.equal(res.status, 200);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

let owner;
let heavy;  // a ready free document: pages 1-5 cheap (the preview), 6-9 expensive

before(async () => {
  owner = await newUser('renderowner');
  const id = await upload(owner, makePdf('heavy.pdf', ['--cheap', '5', '--heavy', '4']), { title: 'Heavy pages' });
  heavy = await waitReady(owner, id);
  assert.equal(heavy.preview_pages, 5, 'the server runs with a 5-page preview');
  assert.equal(heavy.page_count, 9);
});

after(() => rmSync(WORK, { recursive: true, force: true }));

test('while four readers wait for expensive pages, /login still answers in under 200 ms', async (t) => {
  const readers = await Promise.all([1, 2, 3, 4].map(() => newUser('reader')));
  // Logged-in users may see every page of a free document (library/access.cpp).
  const log = [];
  const start = Date.now();
  const pages = readers.map((r, i) => fetchPage(r, heavy.id, 6 + i, log).then((p) => ({ ...p, done: Date.now() })));

  await sleep(300);  // the drawings have started
  const latencies = [];
  for (let i = 0; i < 10; i += 1) {
    latencies.push(await loginLatency());
    await sleep(100);
  }
  const measuredUntil = Date.now();

  const results = await Promise.all(pages);
  const firstDone = Math.min(...results.map((r) => r.done));
  t.diagnostic(`/login during renders (ms): ${latencies.map((x) => x.toFixed(1)).join(' ')}`);
  t.diagnostic(`pages arrived after (ms): ${results.map((r) => r.done - start).join(' ')}; ` +
    `answers: ${log.map((l) => `${l.n}:${l.status}`).join(' ')}`);
  assert.ok(measuredUntil < firstDone,
    `the measurements ran while pages were still being drawn (${measuredUntil - start} ms < ${firstDone - start} ms)`);
  for (const ms of latencies) assert.ok(ms < 200, `/login took ${ms.toFixed(1)} ms during renders`);

  const bodies = new Set();
  for (const { res, body } of results) {
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/webp');
    assert.match(res.headers.get('cache-control'), /private/);  // not a free-preview page
    assert.ok(isWebp(body), 'a WebP image');
    bodies.add(body.toString('base64'));
  }
  assert.equal(bodies.size, 4, 'four different pages');

  // Drawn once, kept: asking again is answered from the derived folder at once.
  const again = Date.now();
  const { res } = await fetchPage(readers[0], heavy.id, 6, []);
  assert.equal(res.status, 200);
  assert.ok(Date.now() - again < 1000, 'a drawn page comes straight from the cache');
});

test('a reader asking for more pages at once than allowed gets 503 + Retry-After, then the page', async (t) => {
  const id = await upload(owner, makePdf('heavy2.pdf', ['--cheap', '5', '--heavy', '3', '--label', 'Second']), { title: 'Heavy again' });
  await waitReady(owner, id);
  const reader = await newUser('greedy');
  // render.per_visitor is 2 (run.sh): three pages at once, one of them is refused for now.
  const first = await Promise.all([6, 7, 8].map((n) => reader.fetch(`/d/${id}/pages/${n}.webp`)
    .then(async (res) => ({ n, res, body: Buffer.from(await res.arrayBuffer()) }))));
  t.diagnostic(`answers: ${first.map((f) => `${f.n}:${f.res.status}`).join(' ')}`);
  const refused = first.filter((f) => f.res.status === 503);
  assert.equal(refused.length, 1, 'exactly one page over the limit');
  assert.ok(Number(refused[0].res.headers.get('retry-after')) >= 1, 'Retry-After is set');
  assert.match(refused[0].body.toString(), /请几秒后再试|try again in a few seconds/);
  for (const f of first.filter((x) => x.res.status !== 503)) {
    assert.equal(f.res.status, 200);
    assert.ok(isWebp(f.body));
  }
  const { res, body } = await fetchPage(reader, id, refused[0].n, []);
  assert.equal(res.status, 200);
  assert.ok(isWebp(body));
});

async function api(base, token, pathname, options = {}) {
  const headers = { ...(options.headers || {}) };
  if (token) headers.authorization = `Bearer ${token}`;
  return fetch(base + pathname, { ...options, headers, redirect: 'manual' });
}

async function uploadTo(base, token, file, title) {
  const q = new URLSearchParams({ filename: path.basename(file), title });
  const res = await api(base, token, `/api/v1/documents?${q}`, { method: 'POST', body: execFileSync('cat', [file]) });
  const body = await res.json();
  assert.equal(res.status, 202, JSON.stringify(body));
  for (let i = 0; i < 400; i += 1) {
    const d = await (await api(base, token, `/api/v1/documents/${body.id}`)).json();
    if (d.state === 'ready') return d;
    assert.notEqual(d.state, 'failed', d.failure_reason);
    await sleep(300);
  }
  throw new Error(`document ${body.id} not ready`);
}

async function cover(base, id) {
  const res = await fetch(`${base}/d/${id}/cover.webp`);
  assert.equal(res.status, 200, `cover of ${id}`);
  const body = Buffer.from(await res.arrayBuffer());
  assert.ok(isWebp(body));
  return body.toString('base64');
}

test('with no free preview the cover shows the format and title, never page 1', async () => {
  const other = makePdf('other.pdf', ['--cheap', '3', '--heavy', '0', '--label', 'Another first page']);
  // A second server with `preview.pages = 0` (the setting is global; each document keeps the
  // preview it was converted with), reached through plain fetch and a Bearer token.
  const server = await startServer({
    WENKU_PREVIEW_PAGES: '0', WENKU_INGEST_WORKERS: '1', WENKU_OFFICE_WARM: '0',
    WENKU_OFFICE_PROCESSES: '1', WENKU_WEB_REGISTRATIONS_PER_HOUR: '1000',
  });
  try {
    const token = (await newUser('coverowner', server.url)).apiToken;
    const a = await uploadTo(server.url, token, pdfFixture(), 'Same title');
    const b = await uploadTo(server.url, token, other, 'Same title');
    // (The same bytes from the same uploader are the same document: a third file.)
    const third = makePdf('third.pdf', ['--cheap', '2', '--heavy', '0', '--label', 'A third first page']);
    const c = await uploadTo(server.url, token, third, 'A different title');
    assert.equal(a.preview_pages, 0);
    // Two documents whose first pages differ, with the same format and title: the same
    // cover. It is drawn from the format and title, not from any page.
    assert.notEqual(a.id, b.id);
    assert.equal(await cover(server.url, a.id), await cover(server.url, b.id));
    // Since pages do not matter, a different cover here comes from the different title.
    assert.notEqual(await cover(server.url, b.id), await cover(server.url, c.id));
    // And page 1 itself is locked for an anonymous visitor.
    assert.equal((await fetch(`${server.url}/d/${a.id}/pages/1.webp`)).status, 403);
  } finally {
    await server.stop();
  }
  // On the main server (a 5-page preview) the same two files have covers drawn from their
  // first pages, which differ: what made the covers above equal is that no page was used.
  const ma = await waitReady(owner, await upload(owner, pdfFixture(), { title: 'Same title' }));
  const mb = await waitReady(owner, await upload(owner, other, { title: 'Same title' }));
  const base = process.env.WENKU_URL;
  assert.notEqual(await cover(base, ma.id), await cover(base, mb.id));
});
