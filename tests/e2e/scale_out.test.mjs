// Two web nodes and two workers on loopback, sharing nothing but the network services a
// scaled-out site runs on: PostgreSQL (scripts/start-postgres.sh), an S3 store (Ceph RGW,
// scripts/start-s3.sh) and the search service (xapian-tcpsrv, scripts/start-xapian.sh),
// each started here by the project's own script and stopped by PID at the end. Every
// process has a data folder of its own (logs and scratch only).
//
// What a user of such a site sees: an upload on node A is converted by a worker and can be
// read, searched and bought on node B; a log-out on B ends the session on A; a worker killed
// (-9) in the middle of a conversion leaves the document to the other, which finishes it
// exactly once (one upload reward, one search hit); node A restarted on an empty data folder
// still serves everything. When a service cannot start, the test fails with the reason.
import { test, before, after } from 'node:test';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { Client, newUser, upload, waitReady, pdfFixture, docxFixture, startServer } from './lib.mjs';

const HERE = path.dirname(new URL(import.meta.url).pathname);
const ROOT = path.resolve(HERE, '../..');
const WORK = mkdtempSync(path.join(tmpdir(), 'wenku-scale-'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Runs a start script; its `key=value` lines (or plain lines) as an object / array.
function startService(script, args) {
  let out;
  try {
    out = execFileSync('bash', [path.join(ROOT, 'scripts', script), ...args], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120000,
    });
  } catch (e) {
    throw new Error(`${script} could not start its service: ${e.stderr || e.message}`);
  }
  const fields = {};
  for (const line of out.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) fields[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return { out, fields };
}

const services = { pg: null, s3: null, xapian: null };
let shared;  // the settings every node and worker gets (WENKU_* variables)
const workers = [];
let nodeA;
let nodeB;

function startWorker(name) {
  const data = mkdtempSync(path.join(WORK, `${name}-`));
  const child = spawn(process.env.WENKU_BIN, ['worker', '--data', data], {
    env: { ...process.env, ...shared, WENKU_INGEST_WORKERS: '1' },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const w = { name, child, data, exited: new Promise((r) => child.once('exit', r)) };
  workers.push(w);
  return w;
}

async function stopWorker(w, signal = 'SIGTERM') {
  if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill(signal);
  await w.exited;
}

before(async () => {
  // A folder of its own (/tmp/wenku-pg.*): the postgres user must be able to reach it.
  const pg = startService('start-postgres.sh', []);
  const [url, folder] = pg.out.trim().split('\n');
  services.pg = folder;
  const s3 = startService('start-s3.sh', [path.join(WORK, 's3')]);
  services.s3 = path.join(WORK, 's3');
  const xapian = startService('start-xapian.sh', [path.join(WORK, 'xapian')]);
  services.xapian = path.join(WORK, 'xapian');
  shared = {
    WENKU_DATABASE: url,
    WENKU_BLOBS: `s3://wenku-scale?endpoint=${s3.fields.endpoint}&region=${s3.fields.region}`,
    WENKU_S3_ACCESS_KEY: s3.fields.access_key,
    WENKU_S3_SECRET_KEY: s3.fields.secret_key,
    WENKU_SEARCH_REMOTE: xapian.fields.url,
    WENKU_INGEST_LEASE_SECONDS: '3',
    WENKU_OFFICE_PROCESSES: '1',
  };
  nodeA = await startServer(shared, ['--no-workers']);
  nodeB = await startServer(shared, ['--no-workers']);
  startWorker('worker1');
  startWorker('worker2');
});

after(async () => {
  for (const w of workers) await stopWorker(w);
  if (nodeA) await nodeA.stop();
  if (nodeB) await nodeB.stop();
  if (services.xapian) execFileSync('bash', [path.join(ROOT, 'scripts/start-xapian.sh'), '--stop', services.xapian]);
  if (services.s3) execFileSync('bash', [path.join(ROOT, 'scripts/start-s3.sh'), '--stop', services.s3]);
  if (services.pg) execFileSync('bash', [path.join(ROOT, 'scripts/stop-postgres.sh'), services.pg]);
  rmSync(WORK, { recursive: true, force: true });
});

const api = async (c, p, options = {}) => {
  const res = await c.fetch(p, { ...options, headers: { authorization: `Bearer ${c.apiToken}`, ...(options.headers || {}) } });
  return { status: res.status, body: await res.json() };
};

// The same account and credentials, talking to another node.
function onNode(c, base) {
  const other = new Client(base);
  Object.assign(other, { name: c.name, id: c.id, csrfToken: c.csrfToken, apiToken: c.apiToken });
  for (const [k, v] of c.cookies) other.cookies.set(k, v);
  return other;
}

const isWebp = (buf) => buf.length > 12 && buf.subarray(8, 12).toString() === 'WEBP';

async function searchIds(base, q) {
  const res = await fetch(`${base}/api/v1/search?q=${encodeURIComponent(q)}`);
  assert.equal(res.status, 200, `search on ${base}`);
  return (await res.json()).hits.map((h) => h.id);
}

let seller;
let doc;  // uploaded on A, price 3

test('an upload on node A is converted by a worker, then read, searched and bought on node B', async () => {
  seller = await newUser('scaleseller', nodeA.url);
  const id = await upload(seller, pdfFixture(), { title: '分布式复习资料', price: '3' });
  doc = await waitReady(onNode(seller, nodeB.url), id, 120000);  // asked on B
  assert.ok(doc.page_count > doc.preview_pages);

  const health = await fetch(`${nodeB.url}/healthz`);
  assert.equal(health.status, 200);
  assert.equal(await health.text(), 'ok\ndatabase: ok\nblob store: ok\nsearch index: ok\nconverter sandbox: ok\n',
    'B checks PostgreSQL, the bucket and the search service');

  const page = await new Client(nodeB.url).page(`/d/${id}`);
  assert.equal(page.res.status, 200);
  assert.match(page.html, /分布式复习资料/);
  const img = await new Client(nodeB.url).fetch(`/d/${id}/pages/1.webp`);
  assert.equal(img.status, 200);
  assert.ok(isWebp(Buffer.from(await img.arrayBuffer())), 'page 1 comes from the shared store as WebP');
  const cover = await new Client(nodeB.url).fetch(`/d/${id}/cover.webp`);
  assert.equal(cover.status, 200);

  assert.ok((await searchIds(nodeB.url, '分布式复习资料')).includes(id), 'B finds what a worker indexed');

  const buyer = await newUser('scalebuyer', nodeB.url);
  const last = doc.page_count;
  assert.equal((await buyer.fetch(`/d/${id}/pages/${last}.webp`)).status, 403, 'past the preview before buying');
  const bought = await api(buyer, `/api/v1/documents/${id}/purchase`, { method: 'POST', headers: { 'idempotency-key': 'scale-buy-1' } });
  assert.equal(bought.status, 200, JSON.stringify(bought.body));
  assert.equal(bought.body.purchased, true);
  const onA = onNode(buyer, nodeA.url);
  assert.equal((await api(onA, `/api/v1/documents/${id}`)).body.entitled, true, 'A knows of the purchase made on B');
  const dl = await onA.fetch(`/d/${id}/download`);
  assert.equal(dl.status, 200);
  assert.equal(Buffer.from(await dl.arrayBuffer()).subarray(0, 5).toString(), '%PDF-', 'the original, from the store');
  const far = await onA.fetch(`/d/${id}/pages/${last}.webp`);
  assert.equal(far.status, 200, 'a page past the preview is drawn for the buyer on A');
  assert.ok(isWebp(Buffer.from(await far.arrayBuffer())));
});

test('a log-out on node B ends the session on node A', async () => {
  const user = await newUser('scalesession', nodeA.url);
  const onB = new Client(nodeB.url);
  const login = await onB.postJson('/api/v1/session', { name: user.name, password: 'correct horse 1' });
  assert.equal(login.status, 200);
  const csrf = (await login.json()).csrf;
  const onA = new Client(nodeA.url);
  for (const [k, v] of onB.cookies) onA.cookies.set(k, v);
  assert.equal((await onA.fetch('/api/v1/me')).status, 200, 'the session made on B works on A');
  const out = await onB.fetch('/api/v1/session', { method: 'DELETE', headers: { 'x-csrf-token': csrf } });
  assert.ok(out.status < 300, `log-out on B: ${out.status}`);
  assert.equal((await onA.fetch('/api/v1/me')).status, 401, 'gone on A too');
});

test('a worker killed in the middle of a conversion: the other finishes it, exactly once', async () => {
  const uploader = await newUser('scalekill', nodeA.url);
  const before = (await api(uploader, '/api/v1/me')).body.points;
  // One worker only, so we know who holds the job; the other waits to be started.
  await stopWorker(workers[1]);
  const victim = workers[0];
  const id = await upload(uploader, docxFixture(), { title: '断点续转测试文档' });
  let state = 'queued';
  for (let i = 0; i < 600 && state === 'queued'; i += 1) {
    state = (await api(uploader, `/api/v1/documents/${id}`)).body.state;
    if (state === 'queued') await sleep(50);
  }
  assert.equal(state, 'processing', 'the worker took the job');
  await stopWorker(victim, 'SIGKILL');
  assert.equal((await api(uploader, `/api/v1/documents/${id}`)).body.state, 'processing', 'killed mid-conversion');
  startWorker('worker3');
  const ready = await waitReady(uploader, id, 120000);
  assert.ok(ready.page_count >= 1);
  assert.deepEqual(await searchIds(nodeB.url, '断点续转测试文档'), [id], 'indexed once');
  // The upload reward (10 points, pending until settled) is paid once.
  let after;
  for (let i = 0; i < 40; i += 1) {
    after = (await api(uploader, '/api/v1/me')).body.points;
    if (after.balance + after.pending - (before.balance + before.pending) >= 10) break;
    await sleep(250);
  }
  assert.equal(after.balance + after.pending - (before.balance + before.pending), 10, 'one reward');
  startWorker('worker4');  // two workers again
});

test('node A restarted on an empty data folder loses nothing', async () => {
  const cookieOwner = await newUser('scalerestart', nodeA.url);
  await nodeA.stop();  // its data folder is removed with it
  nodeA = await startServer(shared, ['--no-workers']);
  const again = onNode(cookieOwner, nodeA.url);
  assert.equal((await again.fetch('/api/v1/me')).status, 200, 'the session outlives the node');
  const page = await new Client(nodeA.url).page(`/d/${doc.id}`);
  assert.equal(page.res.status, 200);
  assert.match(page.html, /分布式复习资料/);
  const img = await new Client(nodeA.url).fetch(`/d/${doc.id}/pages/1.webp`);
  assert.equal(img.status, 200);
  assert.ok(isWebp(Buffer.from(await img.arrayBuffer())));
  assert.ok((await searchIds(nodeA.url, '分布式复习资料')).includes(doc.id));
});
