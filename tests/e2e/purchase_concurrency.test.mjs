// Purchases under concurrency (issue 11). On a server of its own: 4 uploaders with 20 priced
// documents, 50 buyers with different balances (the sign-up bonus plus `wenku points grant`),
// then 1,000 purchases fired at once over HTTP (POST /api/v1/documents/{id}/purchase with an
// Idempotency-Key) — among them the same (buyer, document) twice at once under different keys,
// the same request twice at once under the same key, and many beyond the buyer's balance.
// It proves, from the API and `wenku ledger check`:
//   - every answer is 200 {purchased: true|false} or 402 insufficient_points;
//   - the same request twice is answered twice as the one purchase; two keys for one
//     (buyer, document) buy it at most once (the other is told "already yours" or both 402);
//   - a buyer is charged at most once per document (one purchase line per document in their
//     ledger) and no wallet is below zero;
//   - each buyer's balance is their starting balance less the prices of the documents they
//     are entitled to, and those are exactly the ones answered {purchased: true};
//   - every 402 was deserved: the buyer cannot afford that document even now;
//   - each uploader's pending earnings are their sales less commission, per sale
//     price − ⌊price × 20 / 100⌋;
//   - the ledger's invariants hold (`wenku ledger check` exits 0, run while the server runs).
import { test, before, after } from 'node:test';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { newUser, upload, waitReady, startServer } from './lib.mjs';

const run = promisify(execFile);
const WORK = mkdtempSync(path.join(tmpdir(), 'wenku-purchase-'));

const COMMISSION_PERCENT = 20;  // economy.commission_percent, set for the server below
const SIGNUP_BONUS = 20;
const UPLOADERS = 4;
const BUYERS = 50;
const PURCHASES = 1000;
// 20 documents, 5 an uploader. Prices 1–4 leave no commission (⌊price × 20 / 100⌋ = 0).
const PRICES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17, 19, 23, 29, 31];
// Extra points granted to buyer i: GRANTS[i % 5] (so balances 20, 35, 60, 110, 420). Each buyer
// asks for about 16 documents (~190 points): all but the richest run out.
const GRANTS = [0, 15, 40, 90, 400];
const SAME_KEY_PAIRS = 100;       // (buyer, document) asked twice at once with one key
const DIFFERENT_KEY_PAIRS = 100;  // … and twice at once with two keys

// A small seeded PRNG (mulberry32), so a failure can be replayed with the same seed.
const SEED = Number(process.env.PURCHASE_SEED || 20261111);
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function shuffle(list, random) {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

async function api(client, pathname, { method = 'GET', headers = {} } = {}) {
  const res = await client.fetch(pathname, { method, headers: { authorization: `Bearer ${client.apiToken}`, ...headers } });
  const text = await res.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch { body = text; }
  return { status: res.status, body };
}
const wenku = (...args) => run(process.env.WENKU_BIN, ['--data', server.data, ...args]);

// Every line of a user's ledger (GET /api/v1/me/ledger, page by page).
async function ledgerOf(client) {
  const all = [];
  for (let page = 1; ; page++) {
    const { status, body } = await api(client, `/api/v1/me/ledger?page=${page}`);
    assert.equal(status, 200);
    if (body.entries.length === 0) return all;
    all.push(...body.entries);
  }
}

let server;
let uploaders;  // Client (newUser)
let docs;       // { id, price, owner, i } by position in PRICES
let buyers;     // Client, with .start (the balance before the purchases) and later .entitled
let requests;   // { buyer, doc, key, pair, group, answer: { status, body } }

before(async () => {
  server = await startServer({
    WENKU_WEB_REGISTRATIONS_PER_HOUR: '1000', WENKU_INGEST_WORKERS: '2', WENKU_OFFICE_WARM: '0',
    WENKU_OFFICE_PROCESSES: '1', WENKU_ECONOMY_SIGNUP_BONUS: String(SIGNUP_BONUS),
    WENKU_ECONOMY_COMMISSION_PERCENT: String(COMMISSION_PERCENT),
    // Four uploaders, one upload each at a time, all from 127.0.0.1: an upload's slot is
    // released once its answer is written, so the next can arrive a moment before — over
    // the default 4 per address (upload limits have tests of their own in uploads.test.mjs).
    WENKU_UPLOAD_PER_ADDRESS: '16',
  });
  // The uploaders and their documents (small text files, each different; an uploader's one
  // after another, as the server takes at most 16 uploads at once).
  uploaders = await Promise.all(Array.from({ length: UPLOADERS }, () => newUser('seller', server.url)));
  docs = PRICES.map((price, i) => ({ price, owner: uploaders[i % UPLOADERS], i }));
  await Promise.all(uploaders.map(async (owner) => {
    for (const d of docs.filter((x) => x.owner === owner)) {
      const file = path.join(WORK, `doc-${d.i}.txt`);
      writeFileSync(file, `并发购买测试文档 ${d.i}\nConcurrent purchase test document ${d.i}, price ${d.price}.\n`);
      d.id = await upload(owner, file, { title: `并发购买 ${d.i}`, price: String(d.price) });
    }
  }));
  const ready = await Promise.all(docs.map((d) => waitReady(d.owner, d.id, 40000)));
  ready.forEach((r, i) => assert.equal(r.price, PRICES[i]));

  // The buyers, then their extra points from the CLI (beside the running server).
  buyers = await Promise.all(Array.from({ length: BUYERS }, () => newUser('buyer', server.url)));
  const granted = buyers.map((b, i) => ({ b, n: GRANTS[i % GRANTS.length] })).filter((g) => g.n > 0);
  for (let i = 0; i < granted.length; i += 2) {  // two at a time: the machine has 2 cores
    await Promise.all(granted.slice(i, i + 2).map(({ b, n }) => wenku('points', 'grant', b.name, String(n))));
  }
  for (const [i, b] of buyers.entries()) {
    const me = await api(b, '/api/v1/me');
    b.start = me.body.points.balance;
    assert.equal(b.start, SIGNUP_BONUS + GRANTS[i % GRANTS.length]);
  }

  // 1,000 requests over 800 distinct (buyer, document) pairs: 100 asked twice with one key,
  // 100 twice with two keys, 600 once; in a random order.
  const random = prng(SEED);
  const pairs = shuffle(buyers.flatMap((buyer) => docs.map((doc) => ({ buyer, doc }))), random)
    .slice(0, PURCHASES - SAME_KEY_PAIRS - DIFFERENT_KEY_PAIRS);
  requests = [];
  pairs.forEach(({ buyer, doc }, i) => {
    const key = `conc-${SEED}-${i}`;
    const group = i < SAME_KEY_PAIRS ? 'same-key' : i < SAME_KEY_PAIRS + DIFFERENT_KEY_PAIRS ? 'different-keys' : 'once';
    requests.push({ buyer, doc, key, pair: i, group });
    if (group === 'same-key') requests.push({ buyer, doc, key, pair: i, group });
    if (group === 'different-keys') requests.push({ buyer, doc, key: `${key}-b`, pair: i, group });
  });
  assert.equal(requests.length, PURCHASES);
  shuffle(requests, random);
}, { timeout: 50000 });

after(async () => {
  if (server) await server.stop();
  rmSync(WORK, { recursive: true, force: true });
});

test('1,000 purchases at once: only 200 (purchased true/false) or 402 insufficient_points', { timeout: 20000 }, async (t) => {
  const started = Date.now();
  await Promise.all(requests.map(async (r) => {
    r.answer = await api(r.buyer, `/api/v1/documents/${r.doc.id}/purchase`, {
      method: 'POST', headers: { 'idempotency-key': r.key },
    });
  }));
  const counts = {};
  for (const r of requests) {
    const { status, body } = r.answer;
    const what = status === 200 ? `200 purchased:${body.purchased}` : `${status} ${body?.error?.code}`;
    counts[what] = (counts[what] || 0) + 1;
    if (status === 200 && body.purchased === true) {
      assert.ok(Number.isInteger(body.balance) && body.balance >= 0, `a balance after a purchase: ${JSON.stringify(body)}`);
    } else if (status === 200) {
      assert.deepEqual(body, { purchased: false });
    } else {
      assert.equal(status, 402, `only 200 or 402: ${status} ${JSON.stringify(body)}`);
      assert.equal(body.error.code, 'insufficient_points');
    }
  }
  t.diagnostic(`${requests.length} purchases in ${Date.now() - started} ms (seed ${SEED}): ${JSON.stringify(counts)}`);
  // Both kinds of answer happened: some bought, some ran out of points.
  assert.ok(counts['200 purchased:true'] > 0 && counts['402 insufficient_points'] > 0);

  // The same pair twice at once.
  const byPair = new Map();
  for (const r of requests) byPair.set(r.pair, [...(byPair.get(r.pair) || []), r]);
  const outcome = (r) => (r.answer.status === 402 ? '402' : String(r.answer.body.purchased));
  for (const group of byPair.values()) {
    if (group[0].group === 'once') continue;
    assert.equal(group.length, 2);
    const seen = group.map(outcome).sort().join(',');
    if (group[0].group === 'same-key') {
      // One purchase, answered twice as itself (or refused twice).
      assert.ok(seen === 'true,true' || seen === '402,402', `same key twice: ${seen}`);
    } else {
      // Bought once; the other key is told it is already theirs (or both refused).
      assert.ok(seen === 'false,true' || seen === '402,402', `two keys at once: ${seen}`);
    }
  }
});

test('charged at most once per document; balances, entitlements and the ledger agree', { timeout: 20000 }, async () => {
  for (const b of buyers) {
    const me = await api(b, '/api/v1/me');
    assert.equal(me.status, 200);
    const { balance, pending } = me.body.points;
    assert.ok(balance >= 0, `${b.name}'s wallet is ${balance}`);
    assert.equal(pending, 0);

    const shown = await Promise.all(docs.map((d) => api(b, `/api/v1/documents/${d.id}`)));
    shown.forEach((s) => assert.equal(s.status, 200));
    const entitled = docs.filter((d, i) => shown[i].body.entitled === true);
    const spent = entitled.reduce((s, d) => s + d.price, 0);
    assert.equal(balance, b.start - spent, `${b.name}: ${b.start} − ${spent}`);

    // The ledger: one purchase line per document bought, for its price, nothing else.
    const purchases = (await ledgerOf(b)).filter((e) => e.kind === 'purchase');
    const ids = purchases.map((e) => e.document_id);
    assert.equal(new Set(ids).size, ids.length, `${b.name} was charged twice for one document`);
    assert.deepEqual(ids.sort((x, y) => x - y), entitled.map((d) => d.id).sort((x, y) => x - y));
    for (const e of purchases) {
      assert.equal(e.account, 'wallet');
      assert.equal(e.amount, -docs.find((d) => d.id === e.document_id).price);
    }

    // What the answers said: entitled exactly where a purchase answered true; a 402 for a
    // document the buyer cannot afford even now.
    const mine = requests.filter((r) => r.buyer === b);
    const bought = new Set(mine.filter((r) => r.answer.status === 200 && r.answer.body.purchased).map((r) => r.doc.id));
    assert.deepEqual([...bought].sort((x, y) => x - y), entitled.map((d) => d.id).sort((x, y) => x - y));
    for (const r of mine.filter((x) => x.answer.status === 402)) {
      assert.ok(!bought.has(r.doc.id), `${b.name} was both refused and sold document ${r.doc.id}`);
      assert.ok(balance < r.doc.price, `${b.name} was refused a ${r.doc.price}-point document but has ${balance}`);
    }
    b.entitled = entitled;
  }

  // Each uploader's pending earnings: their sales less the commission, sale by sale.
  for (const u of uploaders) {
    let expected = 0;
    let sales = 0;
    for (const b of buyers) {
      for (const d of b.entitled.filter((x) => x.owner === u)) {
        expected += d.price - Math.floor((d.price * COMMISSION_PERCENT) / 100);
        sales += 1;
      }
    }
    const me = await api(u, '/api/v1/me');
    assert.equal(me.body.points.pending, expected, `${u.name}'s pending earnings from ${sales} sales`);
    const credits = (await ledgerOf(u)).filter((e) => e.kind === 'purchase' && e.account === 'pending');
    assert.equal(credits.length, sales);
  }
});

test('wenku ledger check passes on the server\'s data folder, every purchase in it once', { timeout: 20000 }, async () => {
  const { stdout } = await wenku('ledger', 'check');  // rejects on a non-zero exit
  const m = stdout.match(/^ledger ok: (\d+) transactions, (\d+) entries/m);
  assert.ok(m, stdout);
  // Sign-up bonuses, grants, upload rewards, and one transaction per purchase (entitlement).
  const purchases = buyers.reduce((n, b) => n + b.entitled.length, 0);
  const grants = buyers.filter((b, i) => GRANTS[i % GRANTS.length] > 0).length;
  assert.equal(Number(m[1]), UPLOADERS + BUYERS + grants + docs.length + purchases);
});
