// Log-in throttling and look-alike names (issue 16), on a server of its own that believes
// X-Forwarded-For from 127.0.0.1 (web.trusted_proxies), so that one test poses as many
// addresses, with small delays (login.first_delay_ms = 2000, login.max_delay_seconds = 4,
// 5 failures per address) so that it stays quick:
//   - after the free failures an attempt is told how long to wait (429 + Retry-After; the
//     form's message, the API's retry_after) — never a lock: after the wait the right
//     password works;
//   - a stranger's failures from other addresses do not hold up the owner at an address they
//     logged in from; from a new address the owner waits at most the capped delay;
//   - addresses in one IPv6 /64 count as one address;
//   - a name that looks like an existing one is refused: the form says so next to the name
//     field, the API with a JSON error, `wenku user add` on stderr.
import { test, before, after } from 'node:test';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import assert from 'node:assert/strict';
import { Client, startServer } from './lib.mjs';

const run = promisify(execFile);
const PASSWORD = 'correct horse 1';
let server;

before(async () => {
  server = await startServer({
    WENKU_WEB_TRUSTED_PROXIES: '127.0.0.1',
    WENKU_LOGIN_FIRST_DELAY_MS: '2000',
    WENKU_LOGIN_MAX_DELAY_SECONDS: '4',
    WENKU_LOGIN_ADDRESS_FAILURES: '5',
    WENKU_WEB_REGISTRATIONS_PER_HOUR: '1000',
    WENKU_INGEST_WORKERS: '1',
  });
});

after(async () => {
  await server?.stop();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A client of the test server that poses as `address`.
function from(address) {
  const c = new Client(server.url);
  const fetch = c.fetch.bind(c);
  c.fetch = (path, options = {}) =>
    fetch(path, { ...options, headers: { ...(options.headers || {}), 'x-forwarded-for': address } });
  return c;
}

const apiLogIn = (address, name, password) =>
  from(address).postJson('/api/v1/session', { name, password });

async function register(address, name) {
  const res = await from(address).postJson('/api/v1/users', { name, password: PASSWORD });
  assert.equal(res.status, 201, await res.clone().text());
}

test('after the free failures an attempt is told how long to wait, and after it the password works', async () => {
  await register('10.1.0.1', 'waiter');
  const attacker = '203.0.113.5';
  for (let i = 0; i < 3; i += 1) {
    const r = await apiLogIn(attacker, 'waiter', 'wrong password');
    assert.equal(r.status, 401);
    assert.equal((await r.json()).error.message, '用户名或密码错误');
  }
  // The API: 429, how long, in words, in seconds and in Retry-After.
  const api = await apiLogIn(attacker, 'waiter', PASSWORD);
  assert.equal(api.status, 429);
  assert.equal(api.headers.get('retry-after'), '2');
  const body = await api.json();
  assert.equal(body.error.code, 'rate_limited');
  assert.equal(body.error.retry_after, 2);
  assert.equal(body.error.message, '登录尝试过多，请 2 秒后再试');
  // The form: the same words above the form.
  const c = from(attacker);
  const csrf = await c.csrf();
  const form = await c.postForm('/login', { name: 'waiter', password: PASSWORD, csrf, next: '/' });
  assert.equal(form.status, 429);
  assert.equal(form.headers.get('retry-after'), '2');
  assert.match(await form.text(), /<p class="form-error" role="alert">登录尝试过多，请 2 秒后再试<\/p>/);
  // Not a lock: once the wait is over, the right password opens the account.
  await sleep(2050);
  const ok = await apiLogIn(attacker, 'waiter', PASSWORD);
  assert.equal(ok.status, 200, await ok.clone().text());
  // An unknown name is answered exactly like a wrong password, and throttled alike.
  for (let i = 0; i < 3; i += 1) assert.equal((await apiLogIn('203.0.113.6', 'nobody-here', 'x')).status, 401);
  assert.equal((await apiLogIn('203.0.113.6', 'nobody-here', 'x')).status, 429);
});

test('a stranger\'s failures do not lock the owner out', async () => {
  const home = '10.2.0.1';
  await register(home, 'owner');
  assert.equal((await apiLogIn(home, 'owner', PASSWORD)).status, 200);  // home is familiar now
  // A stranger guesses from several addresses until the account makes everyone wait.
  for (let i = 1; i <= 3; i += 1) {
    assert.equal((await apiLogIn(`198.51.100.${i}`, 'owner', 'guess ' + i)).status, 401);
  }
  const stranger = await apiLogIn('198.51.100.9', 'owner', 'guess 9');
  assert.equal(stranger.status, 429);
  // The owner at home is let in at once.
  const owner = await apiLogIn(home, 'owner', PASSWORD);
  assert.equal(owner.status, 200, await owner.clone().text());
  // From a new address the owner waits the bounded delay, then gets in.
  const away = await apiLogIn('10.3.0.1', 'owner', PASSWORD);
  assert.equal(away.status, 429);
  const wait = Number(away.headers.get('retry-after'));
  assert.ok(wait >= 1 && wait <= 4, `waits ${wait} s, at most login.max_delay_seconds`);
  await sleep(wait * 1000 + 100);
  assert.equal((await apiLogIn('10.3.0.1', 'owner', PASSWORD)).status, 200);
});

test('addresses in one IPv6 /64 count as one address', async () => {
  // Five failures (login.address_failures) from five addresses of one /64, each on another
  // name (so no account delay is involved)…
  for (let i = 1; i <= 5; i += 1) {
    assert.equal((await apiLogIn(`2001:db8:aa:bb::${i}`, `guess${i}`, 'x')).status, 401);
  }
  // …and a sixth address in that /64 waits, while the next /64 does not.
  const same = await apiLogIn('2001:db8:aa:bb:ffff:ffff:ffff:fffe', 'guess6', 'x');
  assert.equal(same.status, 429);
  assert.equal((await same.json()).error.code, 'rate_limited');
  assert.equal((await apiLogIn('2001:db8:aa:bc::1', 'guess7', 'x')).status, 401);
});

test('a name that looks like an existing one is refused', async () => {
  await register('10.4.0.1', 'paypal');
  // The form: next to the name field.
  const c = from('10.4.0.2');
  const csrf = await c.csrf();
  const digit = await c.postForm('/register', { name: 'paypa1', password: PASSWORD, csrf });
  assert.equal(digit.status, 409);
  assert.match(await digit.text(), /id="name-error">该用户名与已有用户名过于相似/);
  const mixed = await c.postForm('/register', { name: 'p\u0430yp\u0430l-x', password: PASSWORD, csrf });
  assert.equal(mixed.status, 400);
  assert.match(await mixed.text(), /id="name-error">用户名不能混用容易混淆的文字/);
  // The API: a JSON error (capitals; a name all in Cyrillic letters that look Latin).
  await register('10.4.0.1', 'cope');
  for (const name of ['PayPal', '\u0441\u043e\u0440\u0435']) {
    const res = await from('10.4.0.3').postJson('/api/v1/users', { name, password: PASSWORD });
    assert.equal(res.status, 409, name);
    const { error } = await res.json();
    assert.equal(error.code, 'conflict');
    assert.equal(error.message, '该用户名与已有用户名过于相似（容易被看成同一个人），请换一个');
  }
  // The operator's command.
  await assert.rejects(
    run(process.env.WENKU_BIN, ['--data', server.data, 'user', 'add', 'PAYPAL', '--password', PASSWORD]),
    (e) => /looks like the existing user paypal/.test(e.stderr),
  );
  // The one who owns the name still logs in.
  assert.equal((await apiLogIn('10.4.0.1', 'paypal', PASSWORD)).status, 200);
});
