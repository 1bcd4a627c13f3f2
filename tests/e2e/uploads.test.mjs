// Uploads hardened (issue 16), each on a server of its own with small limits so that every
// case takes seconds:
// - slow uploads: clients trickling bytes hold every upload place (another user gets 503)
//   only until the minimum average rate, after a short grace, cuts them; then another user
//   uploads. A client fast enough for the rate is still cut at the absolute deadline.
// - credentials before the body: a made-up session cookie or Bearer token, or a browser
//   upload from another site's page, is answered at once while the client still holds its
//   body back; nothing is left in the data folder's tmp/.
// - uploads at once per account and per address: the one past each limit gets 429 with the
//   words saying which; a finished upload frees its place.
// - the quota: the upload past the day's documents is refused, as JSON (429 "quota") from
//   the API and next to the file field on the upload form.
// - the archive budget: an archive nesting an archive with more files than the budget
//   queues only the budget; the inner archive's page says how many were left out and why.
// Test archives are made here (python3's zipfile).
import { test, after } from 'node:test';
import net from 'node:net';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, newUser, startServer, waitReady } from './lib.mjs';

const servers = [];
after(async () => {
  for (const s of servers) await s.stop();
});

async function server(env) {
  const s = await startServer({
    WENKU_WEB_MAX_CONNECTIONS_PER_IP: '0',
    WENKU_WEB_REGISTRATIONS_PER_HOUR: '1000',
    WENKU_INGEST_WORKERS: '1',
    ...env,
  });
  servers.push(s);
  return s;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A raw connection that sends `head` at once; `socket.answer` resolves with everything the
// server sent once it closes (or after `ms`): { data, closed, at } (`at`: ms since opened).
function open(url, head, ms = 15000) {
  const { hostname, port } = new URL(url);
  const started = Date.now();
  const socket = net.connect({ host: hostname, port: Number(port) });
  socket.on('error', () => {});
  socket.answer = new Promise((resolve) => {
    let data = '';
    const timer = setTimeout(() => resolve({ data, closed: false, at: Date.now() - started }), ms);
    socket.on('data', (chunk) => { data += chunk; });
    socket.once('close', () => {
      clearTimeout(timer);
      resolve({ data, closed: true, at: Date.now() - started });
    });
  });
  socket.write(head);
  return socket;
}

// The head of an API upload of `length` bytes (the body follows separately).
function apiHead(token, length, extra = '') {
  return `POST /api/v1/documents?filename=slow.txt HTTP/1.1\r\nHost: localhost\r\n` +
    `Authorization: Bearer ${token}\r\nContent-Length: ${length}\r\nConnection: close\r\n${extra}\r\n`;
}

// Sends `bytes` bytes every `every` ms until the socket closes.
function trickle(socket, bytes, every) {
  const timer = setInterval(() => {
    if (socket.destroyed) { clearInterval(timer); return; }
    socket.write('x'.repeat(bytes));
  }, every);
  socket.once('close', () => clearInterval(timer));
  return timer;
}

async function apiUpload(client, name, text) {
  return client.fetch(`/api/v1/documents?filename=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${client.apiToken}`, 'accept-language': 'zh-CN' },
    body: text,
  });
}

function multipart(csrf, filename, text) {
  const boundary = '----wenkutest' + Math.random().toString(16).slice(2);
  const body = `--${boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${csrf}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
    `Content-Type: text/plain\r\n\r\n${text}\r\n--${boundary}--\r\n`;
  return { body, type: `multipart/form-data; boundary=${boundary}` };
}

test('tricklers holding every upload place are cut by the minimum rate; then another user uploads', { timeout: 60000 }, async () => {
  const s = await server({
    WENKU_UPLOAD_MAX_CONCURRENT: '3',
    WENKU_UPLOAD_GRACE_SECONDS: '1',
    WENKU_UPLOAD_MIN_BYTES_PER_SECOND: '2000',
    WENKU_UPLOAD_MAX_SECONDS: '4',
    WENKU_UPLOAD_PER_ACCOUNT: '100',
    WENKU_UPLOAD_PER_ADDRESS: '100',
  });
  const trickler = await newUser('slow', s.url);
  const honest = await newUser('fair', s.url);
  // Three uploads announcing 100 kB that send a byte every 200 ms hold the three places.
  const tricklers = [];
  for (let i = 0; i < 3; i += 1) {
    const socket = open(s.url, apiHead(trickler.apiToken, 100000));
    trickle(socket, 1, 200);
    tricklers.push(socket);
  }
  await sleep(400);
  const busy = await apiUpload(honest, 'fair.txt', '第一份 fair upload while the places are held');
  assert.equal(busy.status, 503, 'every upload place is held by the tricklers');
  await busy.text();

  // Past the 1 s grace their average (a few bytes a second) is under 2000 B/s: cut.
  const answers = await Promise.all(tricklers.map((t) => t.answer));
  for (const a of answers) {
    assert.equal(a.closed, true, 'a trickler is cut');
    assert.ok(a.at < 3500, `cut after ${a.at} ms, well before the 4 s deadline`);
    assert.doesNotMatch(a.data, /^HTTP\/1\.1 2/, 'and nothing of it was accepted');
  }
  // A client above the minimum rate (3000 B/s) is still cut at the 4 s absolute deadline;
  // meanwhile another user uploads.
  const steady = open(s.url, apiHead(trickler.apiToken, 1000000));
  trickle(steady, 300, 100);
  await sleep(500);
  const ok = await apiUpload(honest, 'fair.txt', '第二份 fair upload after the tricklers are gone');
  assert.equal(ok.status, 202, await ok.clone().text());
  const cut = await steady.answer;
  assert.equal(cut.closed, true);
  assert.ok(cut.at >= 3500 && cut.at < 7000, `cut at the deadline, after ${cut.at} ms`);
  await waitReady(honest, (await ok.json()).id);
  assert.deepEqual(readdirSync(path.join(s.data, 'tmp')), [], 'no partial upload is kept');
});

test('a made-up cookie or token, or another site, is answered before the body is sent', { timeout: 60000 }, async () => {
  const s = await server({});
  const fakeSession = 'f'.repeat(64);
  const csrf = 'a'.repeat(64);
  // The form's upload: 50 MB announced; only the head and a few bytes of the body are sent.
  const form = open(s.url,
    'POST /upload HTTP/1.1\r\nHost: localhost\r\nAccept-Language: zh-CN\r\n' +
    `Cookie: wenku_session=${fakeSession}; wenku_csrf=${csrf}\r\n` +
    'Content-Type: multipart/form-data; boundary=xyz\r\nContent-Length: 52428800\r\n\r\n--xyz\r\n');
  const formAnswer = await form.answer;
  assert.equal(formAnswer.closed, true, 'the connection closes: the body is never read');
  assert.ok(formAnswer.at < 5000, `answered after ${formAnswer.at} ms`);
  assert.match(formAnswer.data, /^HTTP\/1\.1 401/);
  assert.match(formAnswer.data, /请先登录/);
  assert.match(formAnswer.data, /文件没有被接收/);

  const api = open(s.url, apiHead('not-a-token', 52428800) + 'xxxx');
  const apiAnswer = await api.answer;
  assert.equal(apiAnswer.closed, true);
  assert.match(apiAnswer.data, /^HTTP\/1\.1 401/);
  assert.match(apiAnswer.data, /"code":"unauthenticated"/);

  // A real session, but the upload comes from another site's page.
  const user = await newUser('cross', s.url);
  const cross = open(s.url,
    'POST /upload HTTP/1.1\r\nHost: localhost\r\nAccept-Language: zh-CN\r\n' +
    `Cookie: ${user.cookieHeader()}\r\nOrigin: https://evil.example\r\n` +
    'Content-Type: multipart/form-data; boundary=xyz\r\nContent-Length: 52428800\r\n\r\n--xyz\r\n');
  const crossAnswer = await cross.answer;
  assert.equal(crossAnswer.closed, true);
  assert.match(crossAnswer.data, /^HTTP\/1\.1 403/);
  assert.match(crossAnswer.data, /上传只能从本站的页面发起/);
  assert.deepEqual(readdirSync(path.join(s.data, 'tmp')), [], 'nothing of any body is on disk');

  // The same user from the site's own page (Origin: the site) uploads.
  const own = await user.csrf();
  const { body, type } = multipart(own, 'own.txt', '本站页面上传 an upload from our own page');
  const res = await user.fetch('/upload', {
    method: 'POST', headers: { 'content-type': type, origin: s.url }, body,
  });
  assert.match(String(res.status), /^30[23]$/, await res.clone().text());
});

test('uploads at once: two per account, three per address; a finished one frees its place', { timeout: 60000 }, async () => {
  const s = await server({
    WENKU_UPLOAD_PER_ACCOUNT: '2',
    WENKU_UPLOAD_PER_ADDRESS: '3',
    WENKU_UPLOAD_MIN_BYTES_PER_SECOND: '0',
  });
  const a = await newUser('conc', s.url);
  const b = await newUser('conc', s.url);
  const held = [open(s.url, apiHead(a.apiToken, 1000) + 'x'), open(s.url, apiHead(a.apiToken, 1000) + 'x')];
  await sleep(300);
  const third = await apiUpload(a, 'a3.txt', 'third upload of a at once');
  assert.equal(third.status, 429);
  const thirdBody = await third.json();
  assert.equal(thirdBody.error.code, 'too_many_uploads');
  assert.match(thirdBody.error.message, /你的账号已有 2 个上传正在进行/);

  held.push(open(s.url, apiHead(b.apiToken, 1000) + 'x'));
  await sleep(300);
  const fourth = await apiUpload(b, 'b2.txt', 'second upload of b, fourth of the address');
  assert.equal(fourth.status, 429);
  assert.match((await fourth.json()).error.message, /你的网络地址已有 3 个上传正在进行/);

  // The browser's form gets a page saying so.
  const csrf = await a.csrf();
  const { body, type } = multipart(csrf, 'form.txt', 'a form upload while two are held');
  const page = await a.fetch('/upload', {
    method: 'POST', headers: { 'content-type': type, 'accept-language': 'zh-CN', origin: s.url }, body,
  });
  assert.equal(page.status, 429);
  assert.match(await page.text(), /你的账号已有 2 个上传正在进行，请等它们完成后再试/);

  // One of a's uploads finishes (its body is sent): a may upload again.
  held[0].write('y'.repeat(999));
  const done = await held[0].answer;
  assert.match(done.data, /^HTTP\/1\.1 202/);
  const again = await apiUpload(a, 'a4.txt', 'a again, after one finished');
  assert.equal(again.status, 202, await again.clone().text());
  for (const h of held) h.destroy();
});

test('the quota: the upload past the day\'s documents is refused with the reason', { timeout: 60000 }, async () => {
  const s = await server({ WENKU_UPLOAD_DOCUMENTS_PER_DAY: '2' });
  const u = await newUser('quota', s.url);
  for (let i = 1; i <= 2; i += 1) {
    const res = await apiUpload(u, `q${i}.txt`, `第${i}份 document number ${i} of the day`);
    assert.equal(res.status, 202, await res.clone().text());
  }
  const refused = await apiUpload(u, 'q3.txt', 'the third document of the day');
  assert.equal(refused.status, 429);
  const j = await refused.json();
  assert.equal(j.error.code, 'quota');
  assert.match(j.error.message, /24 小时内最多可上传 2 个文档/);
  // Told before the file is sent: a 50 MB body held back still gets its answer.
  const early = open(s.url, apiHead(u.apiToken, 52428800) + 'xxxx');
  const earlyAnswer = await early.answer;
  assert.equal(earlyAnswer.closed, true);
  assert.match(earlyAnswer.data, /^HTTP\/1\.1 429/);
  assert.match(earlyAnswer.data, /"quota"/);
  assert.ok(earlyAnswer.at < 5000, `answered in ${earlyAnswer.at} ms`);

  const csrf = await u.csrf();
  const { body, type } = multipart(csrf, 'form.txt', 'the third document, by the form');
  const page = await u.fetch('/upload', {
    method: 'POST', headers: { 'content-type': type, 'accept-language': 'zh-CN', origin: s.url }, body,
  });
  assert.equal(page.status, 429);
  const html = await page.text();
  const fileError = html.match(/<p class="field-error" id="file-error">([^<]*)<\/p>/);
  assert.ok(fileError, 'the reason is next to the file field');
  assert.match(fileError[1], /form\.txt: 24 小时内最多可上传 2 个文档/);
});

test('an archive nesting an archive queues only its budget; the page says how many were left out', { timeout: 180000 }, async () => {
  const s = await server({ WENKU_ARCHIVE_MAX_DOCUMENTS: '3', WENKU_ARCHIVE_MAX_NESTING: '2' });
  const u = await newUser('arch', s.url);
  const dir = mkdtempSync(path.join(tmpdir(), 'wenku-archive-'));
  try {
    const script = `
import zipfile, io, sys
inner = io.BytesIO()
with zipfile.ZipFile(inner, 'w') as z:
    for i in range(1, 5):
        z.writestr(f'inner{i}.txt', f'内层文件 {i}：压缩包预算测试的文字。Inner file {i} of the budget test.\\n' * 20)
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    z.writestr('a_inner.zip', inner.getvalue())
    z.writestr('b.txt', '外层文件 B：压缩包预算测试。Outer file B of the budget test.\\n' * 20)
`;
    const zipPath = path.join(dir, 'outer.zip');
    writeFileSync(path.join(dir, 'make.py'), script);
    execFileSync('python3', [path.join(dir, 'make.py'), zipPath]);
    const { readFileSync } = await import('node:fs');
    const res = await u.fetch('/api/v1/documents?filename=outer.zip', {
      method: 'POST', headers: { authorization: `Bearer ${u.apiToken}` }, body: readFileSync(zipPath),
    });
    assert.equal(res.status, 202, await res.clone().text());
    const outer = (await res.json()).id;
    await waitReady(u, outer);
    const c = new Client(s.url);
    c.cookies = u.cookies;
    // The outer page's grid links its two members (to their owner, whatever their state);
    // the inner archive is one of them.
    let { html } = await c.page(`/d/${outer}?lang=zh`);
    const innerLink = html.match(/<a class="member-link" href="\/d\/(\d+)">.*?<span class="member-title">a_inner<\/span><\/a>/);
    assert.ok(innerLink, 'the inner archive is a document');
    assert.doesNotMatch(html, /个文件未收录/);
    await waitReady(u, Number(innerLink[1]));
    ({ html } = await c.page(`/d/${innerLink[1]}?lang=zh`));
    // Budget 3: the inner archive and b.txt, then one of the inner archive's four files.
    assert.match(html, /3 个文件未收录：一个上传的压缩包（连同其中的压缩包）最多收录 3 个文档/);
    const linked = [...html.matchAll(/<a class="member-link" href="\/d\/\d+">.*?<span class="member-title">inner\d<\/span><\/a>/g)];
    assert.equal(linked.length, 1, 'one inner file is a document');
    assert.equal([...html.matchAll(/left out:/g)].length, 3, 'the three others are listed as left out');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
