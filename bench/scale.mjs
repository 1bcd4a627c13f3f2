// bench/scale.mjs — what one Wenku web node pays for the network backends, in the same run:
// the same library, the same requests, against
//   local:   wenku serve on SQLite + the local data folder + the local search index
//   network: wenku serve --no-workers on PostgreSQL + Ceph RGW (S3) + xapian-tcpsrv, with a
//            `wenku worker` converting (all on loopback, started by the project's scripts)
// Measured per setup (CONCURRENCY clients for DURATION_MS each):
//   doc page (anonymous)  GET /d/{id} as a visitor: mostly the page cache (1 s)
//   doc page (logged in)  GET /d/{id} with a session: database round trips every time
//   page image            GET /d/{id}/pages/1.webp: the file, or the object from S3
//   search                GET /api/v1/search?q=…: the local index, or the search service
//   purchase              POST /api/v1/documents/{id}/purchase, each a new (buyer, document)
// Prints req/s, p50 and p99 of each, and the network/local ratios.
// Run by bench/scale (which checks the build); env: DURATION_MS (5000), CONCURRENCY (16),
// DOCS (40), BUYERS (60), WENKU (build/wenku), KEEP=1.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const WENKU = process.env.WENKU || path.join(ROOT, 'build/wenku');
const DURATION = Number(process.env.DURATION_MS || 5000);
const CONCURRENCY = Number(process.env.CONCURRENCY || 16);
const DOCS = Number(process.env.DOCS || 40);
const BUYERS = Number(process.env.BUYERS || 60);
const WORK = mkdtempSync(path.join(tmpdir(), 'wenku-bench-scale-'));
const children = [];
const stops = [];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function script(name, args) {
  return execFileSync('bash', [path.join(ROOT, 'scripts', name), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}
function fields(out) {
  const f = {};
  for (const line of out.split('\n')) { const eq = line.indexOf('='); if (eq > 0) f[line.slice(0, eq)] = line.slice(eq + 1); }
  return f;
}

async function serve(name, env, args) {
  const data = path.join(WORK, name);
  const child = spawn(WENKU, ['serve', '--data', data, '--listen', '127.0.0.1:0', ...args], {
    env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let err = '';
  child.stderr.on('data', (c) => { err = (err + c).slice(-2000); });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start`)), 60000);
    child.stdout.on('data', (c) => {
      out += c;
      const m = out.match(/^wenku: serving (http\S+)\/$/m);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => reject(new Error(`${name} exited (${code}): ${err}`)));
  });
}

function worker(name, env) {
  const child = spawn(WENKU, ['worker', '--data', path.join(WORK, name)], { env: { ...process.env, ...env }, stdio: 'ignore' });
  children.push(child);
}

class Client {
  constructor(base) { this.base = base; this.cookie = ''; this.token = null; }
  async fetch(p, o = {}) {
    const headers = { ...(o.headers || {}) };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const res = await fetch(this.base + p, { ...o, headers, redirect: 'manual' });
    const set = res.headers.getSetCookie().map((c) => c.split(';')[0]).filter((c) => !c.endsWith('='));
    if (set.length) this.cookie = set.join('; ');
    return res;
  }
}

let userCounter = 0;
async function newUser(base) {
  const c = new Client(base);
  const name = `b${process.pid % 1000}u${userCounter += 1}`;
  const res = await c.fetch('/api/v1/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password: 'correct horse 1' }) });
  if (res.status !== 201) throw new Error(`register: ${res.status} ${await res.text()}`);
  const csrf = (await res.json()).csrf;
  const t = await c.fetch('/api/v1/tokens', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: '{"name":"bench"}' });
  c.apiToken = (await t.json()).token;
  return c;
}

// The library: DOCS small PDFs (made by make-sample-pdf from generated text), price 1 each,
// uploaded by one user; returns their ids once all are ready.
async function library(base) {
  const owner = await newUser(base);
  owner.token = owner.apiToken;
  const ids = [];
  for (let i = 0; i < DOCS; i += 1) {
    const txt = path.join(WORK, `doc${i}.txt`);
    const lines = [`扩展测试文档 第${i}号 分布式检索 scale benchmark ${i}`];
    for (let j = 0; j < 60; j += 1) lines.push(`第${i}号文档第${j}行：网络后端的代价，页面、图片、搜索与购买。Line ${j}.`);
    writeFileSync(txt, lines.join('\n'));
    const pdf = path.join(WORK, `doc${i}.pdf`);
    execFileSync(path.join(ROOT, 'build/make-sample-pdf'), [txt, pdf], { stdio: 'ignore' });
    const res = await owner.fetch(`/api/v1/documents?filename=doc${i}.pdf&price=1&title=${encodeURIComponent(`扩展测试文档${i}`)}`, { method: 'POST', body: readFileSync(pdf) });
    if (res.status !== 202) throw new Error(`upload: ${res.status} ${await res.text()}`);
    ids.push((await res.json()).id);
  }
  for (const id of ids) {
    for (let t = 0; ; t += 1) {
      const d = await (await owner.fetch(`/api/v1/documents/${id}`)).json();
      if (d.state === 'ready') break;
      if (d.state === 'failed' || t > 1200) throw new Error(`document ${id}: ${d.state} ${d.failure_reason}`);
      await sleep(100);
    }
  }
  owner.token = null;
  return { owner, ids };
}

// CONCURRENCY loops, each calling next() until DURATION is over (or `count` requests).
async function load(next, count = Infinity) {
  const lat = [];
  let done = 0;
  let errors = 0;
  const end = Date.now() + DURATION;
  const loops = [];
  for (let c = 0; c < CONCURRENCY; c += 1) {
    loops.push((async () => {
      while (Date.now() < end && done < count) {
        const i = done; done += 1;
        const t0 = process.hrtime.bigint();
        const ok = await next(i, c);
        lat.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (!ok) errors += 1;
      }
    })());
  }
  const t0 = Date.now();
  await Promise.all(loops);
  const secs = (Date.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  const q = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] || 0;
  return { rps: lat.length / secs, p50: q(0.5), p99: q(0.99), n: lat.length, errors };
}

async function measure(base, lib) {
  const out = {};
  const anon = new Client(base);
  const reader = await newUser(base);  // a session cookie: never the page cache
  const ids = lib.ids;
  const ok = async (res, want = 200) => { await res.arrayBuffer(); return res.status === want; };
  for (const id of ids) await ok(await anon.fetch(`/d/${id}/pages/1.webp`));  // warm
  out['doc page (anonymous)'] = await load((i) => anon.fetch(`/d/${ids[i % ids.length]}`).then((r) => ok(r)));
  out['doc page (logged in)'] = await load((i) => reader.fetch(`/d/${ids[i % ids.length]}`).then((r) => ok(r)));
  out['page image'] = await load((i) => anon.fetch(`/d/${ids[i % ids.length]}/pages/1.webp`).then((r) => ok(r)));
  const words = ['分布式检索', '网络后端', '页面图片', '购买', 'benchmark', '扩展测试文档'];
  out.search = await load((i) => anon.fetch(`/api/v1/search?q=${encodeURIComponent(words[i % words.length])}&page=${1 + (i % 3)}`).then((r) => ok(r)));
  const buyers = [];
  for (let b = 0; b < BUYERS; b += 1) { const u = await newUser(base); u.token = u.apiToken; buyers.push(u); }
  const pairs = BUYERS * ids.length;
  out.purchase = await load((i) => {
    const buyer = buyers[i % BUYERS];
    const id = ids[Math.floor(i / BUYERS) % ids.length];
    return buyer.fetch(`/api/v1/documents/${id}/purchase`, { method: 'POST', headers: { 'idempotency-key': `p-${i}` } }).then((r) => ok(r));
  }, pairs);
  return out;
}

function table(local, network) {
  const rows = [['', 'local req/s', 'local p50 ms', 'local p99 ms', 'network req/s', 'network p50 ms', 'network p99 ms', 'req/s ratio', 'p99 ratio', 'errors']];
  for (const k of Object.keys(local)) {
    const a = local[k]; const b = network[k];
    rows.push([k, a.rps.toFixed(0), a.p50.toFixed(1), a.p99.toFixed(1), b.rps.toFixed(0), b.p50.toFixed(1), b.p99.toFixed(1),
      (b.rps / a.rps).toFixed(2), (b.p99 / a.p99).toFixed(2), `${a.errors}/${b.errors}`]);
  }
  return rows.map((r) => `| ${r.join(' | ')} |`).join('\n').replace(/^(\|[^\n]*\n)/, (m) => `${m}|${'---|'.repeat(rows[0].length)}\n`);
}

const common = {
  WENKU_WEB_MAX_CONNECTIONS_PER_IP: '0', WENKU_WEB_REGISTRATIONS_PER_HOUR: '100000',
  WENKU_SEARCH_PER_MINUTE: '100000', WENKU_ECONOMY_SIGNUP_BONUS: '1000',
};
try {
  console.log(`machine: ${execFileSync('nproc', { encoding: 'utf8' }).trim()} CPUs, load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}; ${CONCURRENCY} clients, ${DURATION} ms per measurement, ${DOCS} documents, ${BUYERS} buyers`);
  const localUrl = await serve('local', common, []);
  const localLib = await library(localUrl);
  const local = await measure(localUrl, localLib);

  const t0 = Date.now();
  const [pgUrl, pgDir] = script('start-postgres.sh', []).trim().split('\n');
  stops.push(() => script('stop-postgres.sh', [pgDir]));
  const s3 = fields(script('start-s3.sh', [path.join(WORK, 's3')]));
  stops.push(() => script('start-s3.sh', ['--stop', path.join(WORK, 's3')]));
  const xa = fields(script('start-xapian.sh', [path.join(WORK, 'xapian')]));
  stops.push(() => script('start-xapian.sh', ['--stop', path.join(WORK, 'xapian')]));
  console.log(`network backends up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const net = {
    ...common, WENKU_DATABASE: pgUrl,
    WENKU_BLOBS: `s3://wenku-bench?endpoint=${s3.endpoint}&region=${s3.region}`,
    WENKU_S3_ACCESS_KEY: s3.access_key, WENKU_S3_SECRET_KEY: s3.secret_key, WENKU_SEARCH_REMOTE: xa.url,
  };
  const netUrl = await serve('network', net, ['--no-workers']);
  worker('worker', net);
  const netLib = await library(netUrl);
  const network = await measure(netUrl, netLib);
  console.log(table(local, network));
} finally {
  for (const c of children) { if (c.exitCode === null) c.kill('SIGTERM'); }
  await sleep(1500);
  for (const s of stops.reverse()) { try { s(); } catch (e) { console.error(String(e)); } }
  if (process.env.KEEP === '1') console.error(`kept ${WORK}`); else rmSync(WORK, { recursive: true, force: true });
}
