// The cap on open connections per address (issue 16: web.max_connections_per_ip), on a
// server of its own with a cap of 3: three idle keep-alive connections from 127.0.0.1 are
// held; a fourth is closed by the server before it answers anything; once one of the three
// goes away, a request is answered again.
import { test, before, after } from 'node:test';
import net from 'node:net';
import assert from 'node:assert/strict';
import { startServer } from './lib.mjs';

let server;

before(async () => {
  server = await startServer({ WENKU_WEB_MAX_CONNECTIONS_PER_IP: '3', WENKU_INGEST_WORKERS: '1' });
});

after(async () => {
  await server?.stop();
});

// A raw connection, open once `connect` fired.
function connect(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: hostname, port: Number(port) }, () => resolve(s));
    s.once('error', reject);
  });
}

// What the server sends on `socket` after `request` until it closes or `ms` pass:
// { data, closed }.
function exchange(socket, request, ms) {
  return new Promise((resolve) => {
    let data = '';
    const timer = setTimeout(() => resolve({ data, closed: false }), ms);
    socket.on('data', (chunk) => { data += chunk; });
    const done = () => { clearTimeout(timer); resolve({ data, closed: true }); };
    socket.once('close', done);
    socket.once('error', () => {});
    socket.write(request);
  });
}

test('a fourth connection from one address is closed unanswered; a freed slot serves again', { timeout: 60000 }, async () => {
  const request = 'GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n';
  const held = [await connect(server.url), await connect(server.url), await connect(server.url)];
  // The three are served (and stay open: keep-alive).
  const first = await exchange(held[0], request, 3000);
  assert.match(first.data, /^HTTP\/1\.1 (200|503)/);
  assert.equal(first.closed, false);

  const fourth = await connect(server.url);
  const refused = await exchange(fourth, request, 5000);
  assert.equal(refused.closed, true, 'the server closed the connection over the cap');
  assert.equal(refused.data, '', 'and answered nothing on it');

  held[2].destroy();
  // The server sees the close when its read of that connection fails; then the slot is free.
  let answered = null;
  for (let i = 0; i < 50 && !answered; i += 1) {
    await new Promise((r) => setTimeout(r, 100));
    const again = await connect(server.url);
    const got = await exchange(again, 'GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n', 2000);
    if (got.data.startsWith('HTTP/1.1')) answered = got.data;
    again.destroy();
  }
  assert.ok(answered, 'a request is answered once a slot is free');
  for (const s of held) s.destroy();
});
