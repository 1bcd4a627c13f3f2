// The authorization crawler (issue 16). A server of its own holds one document of every
// kind — queued, failed, ready free, ready priced, an archive and one of its members,
// deleted, taken down, held for review — and every kind of visitor asks for it: anonymous,
// a logged-in stranger, its owner, a buyer (of the priced one), a moderator and an admin.
// Every route of the route table (read from `wenku routes --json`, so a route added without
// a row in EXPECT below fails this test) is requested for each pair — page images 0…N+1,
// text through the API, search in the document, downloads with and without Range, HEAD —
// and each answer is compared with what the access rules (library/access.hpp, written out
// here independently) say that visitor may get.
//
// Writes a visitor may not make are sent with a complete, valid body (VALID below): they
// must still be refused (401, 403, 404, 429, 451 or sent to log in). Writes a visitor may
// make are sent with an empty body: they must get past the gate (a 400 for the missing
// fields, never a refusal), and change nothing. A few writes would change the fixture for the
// rest of the crawl when allowed (delete, buy, log out, save settings): for allowed visitors
// those are not sent — DESTRUCTIVE lists them; their refusals still are.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, startServer, uniqueName } from './lib.mjs';

const run = promisify(execFile);
const WORK = mkdtempSync(path.join(tmpdir(), 'wenku-crawler-'));
const PASSWORD = 'crawler password 1';
const PREVIEW = 2;
const HELD_WORD = '违禁测试词';

let server;
const docs = {};      // kind → { id, pages }
const visitors = {};  // kind → Client (anonymous: a Client without cookies)
const comments = {};  // document kind → id of a comment by its owner
let caseId = 0;

const wenku = (...args) => run(process.env.WENKU_BIN, ['--data', server.data, ...args]);

// A logged-in browser-like client: session cookie + the CSRF token its pages would carry.
async function logIn(name) {
  const c = new Client(server.url);
  const res = await c.postJson('/api/v1/session', { name, password: PASSWORD });
  assert.equal(res.status, 200, await res.clone().text());
  c.csrfToken = (await res.json()).csrf;
  c.name = name;
  return c;
}

async function register(prefix) {
  const c = new Client(server.url);
  c.name = uniqueName(prefix);
  const res = await c.postJson('/api/v1/users', { name: c.name, password: PASSWORD });
  assert.equal(res.status, 201, await res.clone().text());
  const body = await res.json();
  c.csrfToken = body.csrf;
  c.id = body.id;
  return c;
}

async function staff(prefix, role) {
  const name = uniqueName(prefix);
  await wenku('user', 'add', name, '--role', role, '--password', PASSWORD);
  return logIn(name);
}

// An API call with the cookie session and its X-CSRF-Token.
async function api(client, method, pathname, body, more = {}) {
  const headers = { 'x-csrf-token': client.csrfToken ?? '', ...more };
  let payload;
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await client.fetch(pathname, { method, headers, body: payload });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, json, text };
}

async function uploadAs(client, filename, bytes, params = {}) {
  const q = new URLSearchParams({ filename, category: 'education', ...params });
  const res = await client.fetch(`/api/v1/documents?${q}`, {
    method: 'POST', headers: { 'x-csrf-token': client.csrfToken }, body: bytes,
  });
  const body = await res.json();
  assert.equal(res.status, 202, JSON.stringify(body));
  return body.id;
}

async function waitState(client, id, states, timeoutMs = 180000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const { json } = await api(client, 'GET', `/api/v1/documents/${id}`);
    if (json && states.includes(json.state)) return json;
    if (Date.now() > end) throw new Error(`document ${id}: ${JSON.stringify(json)?.slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

// A PDF of `sections` pages of its own words (make-sample-pdf lays a text file out).
function samplePdf(tag, sections) {
  const txt = path.join(WORK, `${tag}.txt`);
  let text = '';
  for (let i = 1; i <= sections; i += 1) {
    text += `${tag} 第${i}节 权限爬虫测试 section ${i}\n`;
    for (let j = 1; j <= 45; j += 1) text += `${tag}-${i}-${j}：权限检查的测试文字，每一行都不同 ${tag} line ${j} of ${i}.\n`;
  }
  writeFileSync(txt, text);
  const pdf = path.join(WORK, `${tag}.pdf`);
  const maker = path.join(path.dirname(process.env.WENKU_BIN), 'make-sample-pdf');
  return run(maker, [txt, pdf]).then(() => readFileSync(pdf));
}

function zipOf(files) {
  const out = path.join(WORK, `${uniqueName('zip')}.zip`);
  const script = 'import sys, zipfile, json\nz = zipfile.ZipFile(sys.argv[1], "w")\n' +
    'for name, text in json.loads(sys.argv[2]).items(): z.writestr(name, text)\nz.close()\n';
  return run('python3', ['-c', script, out, JSON.stringify(files)]).then(() => readFileSync(out));
}

before(async () => {
  server = await startServer({
    WENKU_PREVIEW_PAGES: String(PREVIEW),
    WENKU_SEARCH_PER_MINUTE: '100000',
    WENKU_WEB_REGISTRATIONS_PER_HOUR: '1000',
    WENKU_MODERATION_SENSITIVE_WORDS: HELD_WORD,
    WENKU_RENDER_PER_VISITOR: '8',
  }, ['--no-workers']);
  const owner = await register('owner');
  visitors.anonymous = new Client(server.url);
  visitors.anonymous.csrfToken = (await visitors.anonymous.page('/login')).html.match(/name="csrf" value="([0-9a-f]+)"/)[1];
  visitors.stranger = await register('stranger');
  visitors.owner = owner;
  visitors.buyer = await register('buyer');
  visitors.moderator = await staff('mod', 'moderator');
  visitors.admin = await staff('admin', 'admin');

  const ids = {};
  ids.free = await uploadAs(owner, 'free.pdf', await samplePdf('free', 4), { title: '免费文档', price: '0' });
  ids.priced = await uploadAs(owner, 'priced.pdf', await samplePdf('priced', 4), { title: '付费文档', price: '3' });
  ids.failed = await uploadAs(owner, 'broken.pdf', Buffer.from('%PDF-1.4 this is not really a PDF'), { title: '坏文件' });
  ids.archive = await uploadAs(owner, 'bundle.zip', await zipOf({ 'a.txt': '压缩包成员一：权限爬虫。\n'.repeat(30), 'b.txt': '压缩包成员二：另一个文件。\n'.repeat(30) }), { title: '压缩包' });
  ids.deleted = await uploadAs(owner, 'deleted.pdf', await samplePdf('deleted', 3), { title: '将被删除' });
  ids.taken_down = await uploadAs(owner, 'taken.pdf', await samplePdf('taken', 3), { title: '将被下架' });
  ids.held = await uploadAs(owner, 'held.pdf', await samplePdf('held', 3), { title: `含${HELD_WORD}的文档` });

  // The ingest workers, in a process of their own, until everything above has an answer.
  const worker = spawn(process.env.WENKU_BIN, ['--data', server.data, 'worker'], { stdio: 'ignore' });
  try {
    for (const kind of ['free', 'priced', 'archive', 'deleted', 'taken_down', 'held']) {
      docs[kind] = await waitState(owner, ids[kind], ['ready']);
    }
    docs.failed = await waitState(owner, ids.failed, ['failed']);
    const memberId = docs.archive.members.find((m) => m.document_id).document_id;
    docs.member = await waitState(owner, memberId, ['ready']);
    for (const m of docs.archive.members) if (m.document_id) await waitState(owner, m.document_id, ['ready', 'failed']);
  } finally {
    const exited = new Promise((r) => worker.once('exit', r));
    worker.kill('SIGTERM');
    await exited;
  }
  // With no worker running, this one stays queued.
  ids.queued = await uploadAs(owner, 'queued.pdf', await samplePdf('queued', 2), { title: '排队中' });
  docs.queued = await waitState(owner, ids.queued, ['queued']);

  // The buyer buys the priced one (points from an admin's grant).
  await wenku('points', 'grant', visitors.buyer.name, '50');
  const bought = await api(visitors.buyer, 'POST', `/api/v1/documents/${docs.priced.id}/purchase`, undefined,
    { 'idempotency-key': 'crawler-buys-1' });
  assert.equal(bought.status, 200, bought.text);
  // Comments by the owner on what may be commented on (before anything is removed).
  for (const kind of ['free', 'priced', 'archive', 'taken_down', 'deleted']) {  // 5 a minute at most
    const r = await api(owner, 'POST', `/api/v1/documents/${docs[kind].id}/comments`, { text: `${kind} 的评论` });
    assert.equal(r.status, 201, r.text);
    comments[kind] = r.json.id ?? r.json.comment?.id;
  }
  // A report makes a case (for the case routes).
  const report = await api(visitors.stranger, 'POST', `/api/v1/documents/${docs.free.id}/reports`, { reason: 'spam', detail: '爬虫测试举报' });
  assert.ok([201, 202].includes(report.status), report.text);
  const cases = await api(visitors.moderator, 'GET', '/api/v1/admin/cases');
  caseId = cases.json.cases[0].id;
  // Deleted by its owner; taken down by a moderator.
  assert.equal((await api(owner, 'DELETE', `/api/v1/documents/${docs.deleted.id}`)).status, 204);
  const down = await api(visitors.moderator, 'POST', `/api/v1/admin/documents/${docs.taken_down.id}`,
    { action: 'take_down', reason: 'copyright', note: '爬虫测试' });
  assert.equal(down.status, 200, down.text);
});

after(async () => {
  if (server) await server.stop();
  rmSync(WORK, { recursive: true, force: true });
});

// ---- What each visitor may get: the rules of library/access.hpp, written out. ----

const READY = new Set(['free', 'priced', 'archive', 'member']);
const isStaff = (v) => v === 'moderator' || v === 'admin';
const loggedIn = (v) => v !== 'anonymous';

// The document page's answer: 200, 404 (not there for this visitor) or 451 (taken down).
function view(kind, v) {
  if (READY.has(kind)) return 200;
  if (kind === 'taken_down') return isStaff(v) ? 200 : 451;
  if (kind === 'deleted') return 404;
  // queued, failed, held: their owner and moderators.
  return v === 'owner' || isStaff(v) ? 200 : 404;
}
// Whether the document's own actions (buy, search in it, report, claim) are open to `v`: a
// ready document (held ones are ready) the visitor may see.
const actionable = (kind, v) => view(kind, v) === 200 && (READY.has(kind) || kind === 'held');
// How many pages this visitor may read (0 unless the document is ready: taken down, queued
// and failed ones show none, to moderators neither).
function visiblePages(kind, v) {
  const doc = docs[kind];
  if (!actionable(kind, v)) return 0;
  const count = doc.page_count;
  const all = v === 'owner' || isStaff(v) || (kind === 'priced' ? v === 'buyer' : loggedIn(v));
  return all ? count : Math.min(PREVIEW, count);
}
function mayDownload(kind, v) {
  const seen = view(kind, v);
  if (seen !== 200) return seen;
  if (kind === 'taken_down') return [404, 451];  // moderators see its page, not its file
  if (!loggedIn(v)) return 'login';
  if (!actionable(kind, v)) return 404;
  if (kind === 'priced' && !['owner', 'buyer', 'moderator', 'admin'].includes(v)) return 'buy';
  return 200;
}

const REFUSED = new Set([401, 403, 404, 429, 451]);
// `expect`: a status, 'refused' (any of REFUSED or sent to log in), 'login' (303 to /login or
// 401), 'passes' (past the gate: neither refused nor a server error), or a list of statuses.
function judge(expect, res) {
  const s = res.status;
  const toLogin = (s === 303 || s === 302) && /\/login/.test(res.headers.get('location') ?? '');
  if (expect === 'login') return toLogin || s === 401 || s === 403 || s === 0;
  if (expect === 'refused') return REFUSED.has(s) || toLogin || s === 0;
  if (expect === 'passes') return (s === 429 || !REFUSED.has(s)) && !toLogin && s < 500;
  if (expect === 'answers') return s < 500;
  if (Array.isArray(expect)) return expect.includes(s);
  return s === expect;
}

// The answer a route gated by `who` gives a visitor without the role, or null when they
// pass the gate.
function gate(route, v) {
  if (route.who === 'anyone') return null;
  // The operators' routes (/metrics): this crawler asks from 127.0.0.1 with no forwarding
  // header, so every visitor is local (a proxied or remote stranger gets 403: site tests).
  if (route.who === 'local-or-admin') return null;
  if (!loggedIn(v)) return 'login';
  if (route.who === 'moderator' && !isStaff(v)) return 403;
  if (route.who === 'admin' && v !== 'admin') return 403;
  return null;
}

// Document routes: kind × visitor → expectation. `kindless` routes: visitor → expectation.
const docPage = (kind, v) => view(kind, v);
const writeOnDoc = (kind, v) => (actionable(kind, v) ? 'passes' : 'refused');
const docAction = (kind, v) => (actionable(kind, v) ? 200 : view(kind, v) === 200 ? 'refused' : view(kind, v));
const onlyManagers = (kind, v) => (view(kind, v) !== 200 ? 'refused' : (v === 'owner' || isStaff(v) ? 'passes' : 'refused'));
const EXPECT = {
  'GET /d/{id}': docPage,
  'GET /d/{id}/pages/{n}.webp': 'pages',
  'GET /d/{id}/cover.webp': (kind, v) => (view(kind, v) !== 200 ? view(kind, v) : (READY.has(kind) && kind !== 'archive' ? 200 : [200, 404])),
  'GET /d/{id}/download': 'download',
  'GET /d/{id}/buy': (kind, v) => (!loggedIn(v) ? 'login' : !actionable(kind, v) ? 'refused' : 'passes'),
  'POST /d/{id}/buy': (kind, v) => (!loggedIn(v) ? 'login' : !actionable(kind, v) ? 'refused' : (kind === 'priced' && ['stranger'].includes(v) ? 'destructive' : 'passes')),
  'GET /d/{id}/search': docAction,
  'POST /d/{id}/delete': (kind, v) => (onlyManagers(kind, v) === 'passes' ? 'destructive' : 'refused'),
  'GET /d/{id}/report': docAction,
  'POST /d/{id}/report': writeOnDoc,
  'GET /d/{id}/claim': (kind, v) => (!loggedIn(v) ? 'login' : v === 'owner' ? 'refused' : docAction(kind, v)),
  'POST /d/{id}/claim': (kind, v) => (!loggedIn(v) ? 'login' : v === 'owner' ? 'refused' : writeOnDoc(kind, v)),
  'POST /d/{id}/comments': (kind, v) => (!loggedIn(v) ? 'login' : writeOnDoc(kind, v)),
  'POST /d/{id}/comments/{comment}/delete': (kind, v) => (v === 'owner' || onlyManagers(kind, v) === 'passes' ? 'destructive' : 'refused'),  // the owner wrote the comments
  'GET /api/v1/documents/{id}': 'api-document',
  'DELETE /api/v1/documents/{id}': (kind, v) => (onlyManagers(kind, v) === 'passes' ? 'destructive' : 'refused'),
  'GET /api/v1/documents/{id}/search': docAction,
  'GET /api/v1/documents/{id}/comments': docPage,
  'POST /api/v1/documents/{id}/comments': (kind, v) => (!loggedIn(v) ? 'login' : writeOnDoc(kind, v)),
  'POST /api/v1/documents/{id}/purchase': (kind, v) => (!loggedIn(v) ? 'login' : !actionable(kind, v) ? 'refused' : (kind === 'priced' && v === 'stranger' ? 'destructive' : 'passes-or-409')),
  'POST /api/v1/documents/{id}/reports': writeOnDoc,
  'POST /api/v1/documents/{id}/claims': (kind, v) => (!loggedIn(v) ? 'login' : v === 'owner' ? 'refused' : writeOnDoc(kind, v)),
  'POST /admin/documents/{id}': 'gate',
  'POST /api/v1/admin/documents/{id}': 'gate',
  'GET /api/v1/admin/documents/{id}/audit': 'gate',
  // Routes about no document: the role gate decides (`gate`), or a note why not.
  'GET /': 'gate', 'GET /c/{slug}': 'gate', 'GET /u/{name}': 'gate', 'GET /search': 'gate',
  'GET /login': 'gate', 'POST /login': 'answers', 'GET /register': 'gate', 'POST /register': 'gate',
  'POST /logout': 'destructive-when-logged-in',  // anonymous: nothing to end
  'GET /me': 'gate', 'POST /me/checkin': 'gate', 'GET /me/password': 'gate', 'POST /me/password': 'gate',
  'POST /me/tokens': 'gate', 'POST /me/tokens/{id}/revoke': 'gate-or-404',  // {id}: no token of theirs
  'POST /api/v1/tokens': 'gate', 'GET /api/v1/tokens': 'gate', 'DELETE /api/v1/tokens/{id}': 'gate-or-404',
  'GET /upload': 'gate', 'POST /upload': 'gate', 'GET /copyright': 'gate',
  'GET /admin': 'gate', 'POST /admin/cases/{id}': 'gate', 'GET /admin/cases/{id}/proof': 'gate-or-404',  // the case has no proof file
  'GET /admin/documents': 'gate', 'GET /admin/categories': 'gate', 'POST /admin/categories': 'gate',
  'POST /admin/categories/{slug}': 'gate', 'GET /admin/users': 'gate', 'POST /admin/users/{id}/role': 'gate',
  'POST /admin/users/{id}/disable': 'gate', 'POST /admin/users/{id}/enable': 'gate',
  'POST /admin/users/{id}/grant': 'gate', 'GET /admin/stats': 'gate', 'GET /admin/settings': 'gate',
  'POST /admin/settings': 'gate-destructive',
  'GET /sitemap.xml': 'gate', 'GET /sitemaps/{part}.xml': 'gate', 'GET /robots.txt': 'gate',
  'GET /healthz': 'gate', 'GET /metrics': 'gate', 'GET /static/{path*}': 'gate',
  'POST /api/v1/users': 'gate', 'POST /api/v1/session': 'answers', 'DELETE /api/v1/session': 'destructive-when-logged-in',
  'POST /api/v1/documents': 'gate', 'GET /api/v1/documents': 'gate', 'GET /api/v1/me': 'gate',
  'POST /api/v1/me/checkin': 'gate', 'POST /api/v1/me/password': 'gate', 'GET /api/v1/me/ledger': 'gate',
  'GET /api/v1/me/notifications': 'gate', 'POST /api/v1/me/notifications/read': 'gate',
  'GET /api/v1/search': 'gate', 'GET /api/v1/categories': 'gate',
  'GET /api/v1/admin/cases': 'gate', 'POST /api/v1/admin/cases/{id}': 'gate', 'GET /api/v1/admin/documents': 'gate',
  'POST /api/v1/admin/categories': 'gate', 'POST /api/v1/admin/categories/{slug}': 'gate',
  'GET /api/v1/admin/users': 'gate', 'POST /api/v1/admin/users/{id}': 'gate',
  'GET /api/v1/admin/settings': 'gate', 'POST /api/v1/admin/settings': 'gate-destructive',
};

// A complete request body for the writes that take one (so a refusal is the rule's, not
// the form's).
const REPORT = { reason: 'spam', detail: '爬虫：完整的举报', contact: 'crawler@example.org' };
const CLAIM = { work: '爬虫的作品', proof: '我是作者，这是完整的认领说明。', contact: 'crawler@example.org' };
const VALID = {
  'POST /d/{id}/comments': { text: '爬虫的完整评论' },
  'POST /api/v1/documents/{id}/comments': { text: '爬虫的完整评论' },
  'POST /d/{id}/report': REPORT,
  'POST /api/v1/documents/{id}/reports': REPORT,
  'POST /d/{id}/claim': CLAIM,
  'POST /api/v1/documents/{id}/claims': CLAIM,
  'POST /d/{id}/buy': { key: 'crawler-form-key' },
};

const KINDS = ['queued', 'failed', 'free', 'priced', 'archive', 'member', 'deleted', 'taken_down', 'held'];
const VISITORS = ['anonymous', 'stranger', 'owner', 'buyer', 'moderator', 'admin'];
const isDocRoute = (r) => /^\/(d|api\/v1\/documents)\/\{id\}/.test(r.pattern) || r.pattern === '/admin/documents/{id}' || r.pattern.startsWith('/api/v1/admin/documents/{id}');

// Sends `route` (path already filled) as `v` with an empty body of the route's kind.
async function send(route, v, pathname, extraHeaders = {}, fields = {}) {
  const c = visitors[v];
  const headers = { ...extraHeaders };
  let body;
  if (route.body === 'form') {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams({ csrf: c.csrfToken ?? '', ...fields }).toString();
  } else if (route.body === 'multipart') {
    const form = new FormData();
    form.append('csrf', c.csrfToken ?? '');
    for (const [k, val] of Object.entries(fields)) form.append(k, val);
    body = form;
  } else if (route.body === 'json') {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(fields);
  } else if (route.body === 'raw') {
    body = '';
  }
  if (route.method !== 'GET' && c.csrfToken) headers['x-csrf-token'] = c.csrfToken;
  for (let attempt = 0; ; attempt += 1) {
    let res;
    try {
      res = await c.fetch(pathname, { method: route.method, headers, body });
    } catch {
      // The server answered without reading the body and closed (an upload without
      // credentials): a refusal, seen by fetch as a failed request.
      return { status: 0, headers: new Headers(), arrayBuffer: async () => null, text: async () => '' };
    }
    if (res.status === 503 && attempt < 20) {  // a page image still being drawn: ask again
      await res.arrayBuffer();
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    return res;
  }
}

function fill(pattern, kind) {
  const doc = kind ? docs[kind] : docs.free;
  return pattern
    .replace('{id}', String(pattern.includes('/cases/') ? caseId : pattern.includes('/users/') ? visitors.stranger.id : doc.id))
    .replace('{comment}', String(comments[kind] ?? 1))
    .replace('{slug}', 'education')
    .replace('{name}', encodeURIComponent(visitors.owner.name))
    .replace('{part}', '0')
    .replace('{path*}', 'css/site.css');
}

test('every route × every kind of document × every kind of visitor gets what the rules say', { timeout: 600000 }, async () => {
  const { stdout } = await run(process.env.WENKU_BIN, ['routes', '--json']);
  const routes = JSON.parse(stdout);
  assert.ok(routes.length > 50, 'the route table');
  const missing = routes.map((r) => `${r.method} ${r.pattern}`).filter((k) => !(k in EXPECT));
  assert.deepEqual(missing, [], 'every route has a row in EXPECT');

  const failures = [];
  let requests = 0;
  const check = (what, expect, res) => {
    requests += 1;
    if (!judge(expect, res)) failures.push(`${what}: expected ${JSON.stringify(expect)}, got ${res.status}`);
  };
  for (const route of routes) {
    const key = `${route.method} ${route.pattern}`;
    const rule = EXPECT[key];
    for (const v of VISITORS) {
      if (!isDocRoute(route)) {
        const g = gate(route, v);
        let expect = g ?? 'passes';
        if (rule === 'destructive-when-logged-in' && loggedIn(v)) continue;
        if (rule === 'destructive-when-logged-in') expect = 'answers';
        if (rule === 'gate-destructive' && g === null) continue;
        if (rule === 'answers') expect = 'answers';
        if (rule === 'gate-or-404' && g === null) expect = [200, 303, 404];
        let pathname = fill(route.pattern);
        if (route.pattern === '/search' || route.pattern === '/api/v1/search') pathname += '?q=%E6%9D%83%E9%99%90';
        const res = await send(route, v, pathname);
        await res.arrayBuffer();
        check(`${v} ${route.method} ${pathname}`, expect, res);
        continue;
      }
      for (const kind of KINDS) {
        const pathname = fill(route.pattern, kind);
        const what = `${v} ${route.method} ${pathname} (${kind})`;
        if (rule === 'gate') {
          const res = await send(route, v, pathname);
          await res.arrayBuffer();
          check(what, gate(route, v) ?? 'passes', res);
        } else if (rule === 'pages') {
          const count = docs[kind].page_count ?? 0;
          const visible = visiblePages(kind, v);
          for (let n = 0; n <= Math.max(count, 1) + 1; n += 1) {
            const p = route.pattern.replace('{id}', String(docs[kind].id)).replace('{n}', String(n));
            const res = await send(route, v, p);
            await res.arrayBuffer();
            const seen = view(kind, v);
            let expect;
            if (n < 1 || n > count) expect = seen === 200 ? 404 : [404, seen];  // no such page
            else if (seen !== 200) expect = seen;
            else if (n <= visible) expect = 200;
            else expect = actionable(kind, v) ? 403 : [403, 404];  // locked; none of an unready one
            check(`${v} GET ${p} (${kind}, ${visible} of ${count} visible)`, expect, res);
          }
        } else if (rule === 'download') {
          const may = mayDownload(kind, v);
          const expectFull = may === 'login' ? 'login' : may === 'buy' ? [303, 402, 403] : may;
          for (const [label, headers, method] of [['', {}, 'GET'], [' Range', { range: 'bytes=0-9' }, 'GET'], [' HEAD', {}, 'HEAD']]) {
            const res = await send({ ...route, method }, v, pathname, headers);
            await res.arrayBuffer();
            let expect = expectFull;
            if (label === ' Range' && may === 200) expect = 206;
            check(`${what}${label}`, expect, res);
            if (may !== 200 && res.status >= 200 && res.status < 300) failures.push(`${what}${label}: the original was served`);
          }
        } else if (rule === 'api-document') {
          const res = await send(route, v, pathname);
          const body = await res.text();
          const seen = view(kind, v);
          check(what, seen, res);
          if (res.status === 200) {
            const j = JSON.parse(body);
            const visible = visiblePages(kind, v);
            const withText = (j.pages ?? []).filter((p) => p.text !== undefined && p.text !== null);
            const over = withText.filter((p) => p.n > visible);
            if (over.length) failures.push(`${what}: text of locked pages ${over.map((p) => p.n)} (visible ${visible})`);
          }
        } else {
          let expect = rule(kind, v);
          if (expect === 'destructive') continue;
          if (expect === 'passes-or-409') expect = 'passes';
          const refused = expect === 'refused' || expect === 'login' || typeof expect === 'number';
          const fields = refused ? (VALID[key] ?? {}) : {};
          const more = refused && key.endsWith('/purchase') ? { 'idempotency-key': `crawler-${v}-${kind}` } : {};
          const res = await send(route, v, pathname, more, fields);
          await res.arrayBuffer();
          check(what, expect, res);
        }
      }
    }
  }
  assert.ok(requests > 1500, `${requests} requests`);
  assert.deepEqual(failures, [], `${failures.length} of ${requests} answers differ from the rules:\n${failures.join('\n')}`);
});
