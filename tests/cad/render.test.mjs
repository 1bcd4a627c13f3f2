// The CAD renderer (tools/cad/render.mjs) on its own: its text clean-up, colours, escaping
// and geometry as functions, and as the converter child on drawings made here — hostile text
// stays text in the SVG, the entity limit and unreadable files end with the protocol's
// "error CODE MESSAGE" and exit status 2. (The corpus drawings go through the whole
// pipeline in tests/integration/corpus_cad_test.cpp.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const renderer = path.join(here, '../../tools/cad/render.mjs');
const { plainText, aciColour, onPaper, escapeXml, bulgePoints, codePageEncoding } = await import(renderer);

test('MTEXT loses its formatting codes and keeps its lines', () => {
  assert.deepEqual(plainText('{\\fSimSun|b0|i0|c134;一层平面图}\\P\\H2.5x;第二行', true), ['一层平面图', '第二行']);
  assert.deepEqual(plainText('\\U+4E2D\\U+6587 \\M+5D6D0', false), ['中文 中']);
  assert.deepEqual(plainText('%%c100 %%p0.5 45%%d', false), ['Ø100 ±0.5 45°']);
  assert.deepEqual(plainText('\\A1;\\S1^2; in {\\C1;red}', true), ['1/2 in red']);
  assert.deepEqual(plainText('a\\\\b \\{x\\}', true), ['a\\b {x}']);
});

test('colours: the AutoCAD palette, white drawn black, pale colours darkened', () => {
  assert.equal(aciColour(1), 0xff0000);
  assert.equal(aciColour(5), 0x0000ff);
  assert.equal(onPaper(aciColour(7)), '#000000');
  assert.equal(onPaper(0xffffff), '#000000');
  const yellow = onPaper(aciColour(2));
  assert.notEqual(yellow, '#ffff00');
  assert.ok(parseInt(yellow.slice(1, 3), 16) < 0xd0, yellow);
  assert.equal(codePageEncoding('ANSI_936'), 'gbk');
  assert.equal(codePageEncoding('ANSI_950'), 'big5');
});

test('escaping leaves no markup', () => {
  assert.equal(escapeXml('<image href="file:///etc/passwd"/>&\u0001'), '&lt;image href=&quot;file:///etc/passwd&quot;/&gt;&amp;');
});

test('a bulge of 1 is a half circle', () => {
  const pts = bulgePoints([{ x: 0, y: 0, bulge: 1 }, { x: 2, y: 0 }], false);
  assert.ok(pts.length > 4);
  for (const p of pts) assert.ok(Math.abs(Math.hypot(p.x - 1, p.y) - 1) < 1e-9, JSON.stringify(p));
  assert.ok(pts.some((p) => p.y < -0.9) || pts.some((p) => p.y > 0.9));
});

function dxf(entities) {
  const g = [];
  const add = (c, v) => g.push(String(c), String(v));
  add(0, 'SECTION'); add(2, 'HEADER'); add(9, '$ACADVER'); add(1, 'AC1032'); add(0, 'ENDSEC');
  add(0, 'SECTION'); add(2, 'ENTITIES');
  for (const e of entities) for (const [c, v] of e) add(c, v);
  add(0, 'ENDSEC'); add(0, 'EOF');
  return g.join('\n') + '\n';
}

// A folder of its own for `fn`, removed afterwards.
function withDir(fn) {
  const dir = mkdtempSync(path.join(tmpdir(), 'wenku-cad-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true });
  }
}

// The renderer on `file`; its output folder sits beside the file.
function run(file, format, max = 1000) {
  const out = mkdtempSync(path.join(path.dirname(file), 'out-'));
  const r = spawnSync(process.execPath, ['--disable-wasm-trap-handler', renderer, file, out, format, String(max)], { encoding: 'utf8' });
  return { ...r, out };
}

test('hostile text is drawn as text and is the page\'s text', () => withDir((dir) => {
  const hostile = '<image href="file:///etc/passwd"/> & </svg>';
  const file = path.join(dir, 'h.dxf');
  writeFileSync(file, dxf([
    [[0, 'LINE'], [8, '0'], [10, 0], [20, 0], [11, 100], [21, 50]],
    [[0, 'TEXT'], [8, '0'], [10, 5], [20, 60], [40, 5], [1, hostile]],
  ]));
  const r = run(file, 'dxf');
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const svg = readFileSync(path.join(r.out, 'page-1.svg'), 'utf8');
  assert.ok(!svg.includes('<image'), 'markup from the drawing reached the SVG');
  assert.ok(svg.includes('&lt;image href=&quot;file:///etc/passwd&quot;/&gt; &amp; &lt;/svg&gt;'));
  const drawing = JSON.parse(readFileSync(path.join(r.out, 'drawing.json'), 'utf8'));
  assert.equal(drawing.pages.length, 1);
  assert.equal(drawing.pages[0].text, hostile);
  assert.equal(drawing.entities, 2);
}));

test('limits and unreadable files end with a reason', () => withDir((dir) => {
  const many = path.join(dir, 'many.dxf');
  const lines = [];
  for (let i = 0; i < 50; i++) lines.push([[0, 'LINE'], [8, '0'], [10, i], [20, 0], [11, i], [21, 10]]);
  writeFileSync(many, dxf(lines));
  let r = run(many, 'dxf', 20);
  assert.equal(r.status, 2);
  assert.match(r.stdout, /^error resource_limit This drawing has more than 20 entities/m);

  const empty = path.join(dir, 'empty.dxf');
  writeFileSync(empty, dxf([]));
  r = run(empty, 'dxf');
  assert.equal(r.status, 2);
  assert.match(r.stdout, /^error corrupt .*no drawing|^error corrupt .*empty/m);

  const old = path.join(dir, 'old.dwg');
  writeFileSync(old, Buffer.concat([Buffer.from('AC1009'), Buffer.alloc(200, 7)]));
  r = run(old, 'dwg');
  assert.equal(r.status, 2);
  assert.match(r.stdout, /^error unsupported_type DWG version R11\/R12 \(AC1009\) is not supported by LibreDWG/m);

  const junk = path.join(dir, 'junk.dwg');
  writeFileSync(junk, Buffer.concat([Buffer.from('AC1015'), Buffer.alloc(4000, 0x5a)]));
  r = run(junk, 'dwg');
  assert.equal(r.status, 2, r.stdout + r.stderr);
  assert.match(r.stdout, /^error corrupt This drawing cannot be read \(LibreDWG error \d+/m);
}));

test('a drawing whose only entity lies beyond any sheet is empty, not a broken page', () => withDir((dir) => {
  const far = path.join(dir, 'far.dxf');
  writeFileSync(far, dxf([[[0, 'LINE'], [8, '0'], [10, 1e15], [20, 0], [11, 2e15], [21, 0]]]));
  const r = run(far, 'dxf');
  assert.equal(r.status, 2, r.stdout + r.stderr);
  assert.match(r.stdout, /^error corrupt This drawing is empty/m);
}));
