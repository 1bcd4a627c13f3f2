// Fail closed, as a visitor and an operator see it: a server whose converter sandbox cannot
// be made (sandbox.bwrap names no program) converts nothing. /healthz answers 503 and says
// why; an upload is accepted and waits in the queue — its page says conversion is paused —
// and never fails for it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { newUser, pdfFixture, startServer } from './lib.mjs';
import { readFileSync } from 'node:fs';
import path from 'node:path';

test('without a working sandbox nothing is converted, and the site says why', async () => {
  const server = await startServer({
    WENKU_SANDBOX_BWRAP: '/nonexistent/bwrap', WENKU_INGEST_WORKERS: '1', WENKU_OFFICE_WARM: '0',
    WENKU_WEB_REGISTRATIONS_PER_HOUR: '1000',
  });
  try {
    const health = await fetch(`${server.url}/healthz`);
    assert.equal(health.status, 503);
    const said = await health.text();
    assert.match(said, /^unavailable: converter sandbox\n/, 'the first line names the failing backend');
    assert.match(said, /^converter sandbox: unavailable: .*bwrap.* is missing/m);
    assert.match(said, /^database: ok$/m);

    const token = (await newUser('sandboxowner', server.url)).apiToken;
    const auth = { authorization: `Bearer ${token}` };
    const q = new URLSearchParams({ filename: path.basename(pdfFixture()), title: '等待沙箱' });
    const up = await fetch(`${server.url}/api/v1/documents?${q}`, {
      method: 'POST', headers: auth, body: readFileSync(pdfFixture()),
    });
    assert.equal(up.status, 202);
    const { id } = await up.json();
    // Several worker polls later it is still waiting: not converted, not failed.
    await sleep(3000);
    const doc = await (await fetch(`${server.url}/api/v1/documents/${id}`, { headers: auth })).json();
    assert.equal(doc.state, 'queued');
    assert.equal(doc.failure_reason ?? null, null);
    const page = await fetch(`${server.url}/d/${id}`, { headers: auth });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /转换已暂停：服务器的文档转换沙箱暂不可用/);
  } finally {
    await server.stop();
  }
});
