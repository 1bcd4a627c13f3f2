// wenku-cad: a DWG or DXF drawing as SVG pages with their text, for the ingest pipeline.
//
//   node --disable-wasm-trap-handler render.mjs IN OUT_DIR FORMAT MAX_ENTITIES
//
// FORMAT is "dwg" or "dxf" (ASCII or binary). DWG is read by LibreDWG (the WebAssembly build
// @mlightcad/libredwg-web); DXF by @mlightcad/dxf-json (that LibreDWG build leaves its DXF
// reader out). Both give the same kind of entity records, which one renderer draws.
//
// Writes into OUT_DIR:
//   page-N.svg     one per page: model space first, then every paper-space layout with
//                  content of its own; each fitted to its drawing's extents (pt units)
//   drawing.json   {"version", "entities", "layers": [...], "title_block": [[tag, value]…],
//                   "pages": [{"name", "svg", "width_pt", "height_pt", "text"}]}
// and speaks the converter protocol of src/ingest/tool_runner.hpp on stdout: "progress D T"
// lines, and "error CODE MESSAGE" with exit status 2 when the drawing itself is the problem.
//
// Drawing rules: colours by entity, block (colour 0) or layer (256); colour 7 and colours too
// pale for white paper are drawn dark; layers that are off or frozen and "Defpoints" are not
// drawn; line weights become stroke widths with a floor that stays visible at preview size;
// curves are flattened to polylines in page coordinates (so nested block scales and
// rotations need no SVG transforms); TEXT/MTEXT/ATTRIB are drawn with their formatting codes
// stripped and are the page's text. Infinite lines (RAY, XLINE) and 3D solids are left out.
// Every string from the drawing is escaped before it reaches the SVG.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
let maxEntities = 500000;
const PAGE_LONG_SIDE = 1190; // pt: an A3 sheet's long side
const MARGIN = 0.03;         // of the long side, around the drawing
const MIN_STROKE = 1.0;      // pt: about one pixel at preview size (1000 px a page)
const EM = 1.4;              // font size / CAD text height (which is the capitals' height)
const LINE_SPACING = 1.67;   // MTEXT's default line spacing, in text heights

function fail(code, message) {
  process.stdout.write(`error ${code} ${message.replace(/\s+/g, ' ')}\n`);
  process.exit(2);
}
function progress(done, total) { process.stdout.write(`progress ${done} ${total}\n`); }


// ---------------------------------------------------------------- reading

// DWG versions by the six bytes every DWG starts with.
const DWG_VERSIONS = {
  'MC0.0': 'R1.0', 'AC1.2': 'R1.2', 'AC1.40': 'R1.4', 'AC1.50': 'R2.0', 'AC2.10': 'R2.10',
  AC1001: 'R2.22', AC1002: 'R2.5', AC1003: 'R2.6', AC1004: 'R9', AC1006: 'R10',
  AC1009: 'R11/R12', AC1012: 'R13', AC1014: 'R14', AC1015: 'AutoCAD 2000',
  AC1018: 'AutoCAD 2004', AC1021: 'AutoCAD 2007', AC1024: 'AutoCAD 2010',
  AC1027: 'AutoCAD 2013', AC1032: 'AutoCAD 2018',
};
// LibreDWG's error bits (dwg.h); 128 and above are critical.
const DWG_ERRORS = [
  [1, 'wrong handle'], [2, 'not yet supported'], [4, 'unhandled class'], [8, 'invalid type'],
  [16, 'invalid handle reference'], [32, 'invalid EED'], [64, 'value out of bounds'],
  [128, 'class not found'], [256, 'section not found'], [512, 'page not found'],
  [1024, 'internal error'], [2048, 'invalid DWG'], [4096, 'I/O error'], [8192, 'out of memory'],
];

// The code pages of pre-2007 drawings, as TextDecoder labels.
function codePageEncoding(name) {
  const cp = String(name ?? '').toUpperCase();
  const table = {
    ANSI_936: 'gbk', GB2312: 'gbk', ANSI_950: 'big5', BIG5: 'big5', ANSI_932: 'shift_jis',
    DOS932: 'shift_jis', ANSI_949: 'euc-kr', ANSI_874: 'windows-874',
  };
  if (table[cp]) return table[cp];
  const m = cp.match(/^ANSI_(125\d)$/);
  return m ? `windows-${m[1]}` : 'windows-1252';
}

async function readDwg(bytes) {
  const head = bytes.subarray(0, 6).toString('latin1');
  const versionName = DWG_VERSIONS[head] ?? DWG_VERSIONS[head.slice(0, 5)];
  if (!versionName) fail('corrupt', 'This file is not a DWG drawing that can be read (no DWG version in its first bytes).');
  if (!/^AC10(1[2-9]|2\d|3\d)$/.test(head)) {
    fail('unsupported_type', `DWG version ${versionName} (${head.trim()}) is not supported by LibreDWG; save the drawing as DWG 2000 or newer, DXF or PDF.`);
  }
  const { Dwg_File_Type, LibreDwg } = await import('@mlightcad/libredwg-web');
  const lib = await LibreDwg.create(path.join(here, 'node_modules/@mlightcad/libredwg-web/wasm'));
  // Its warnings go to the console; keep stdout for the protocol.
  const warn = console.warn; const log = console.log;
  let errorCode = 0;
  console.warn = console.log = (...a) => {
    const m = String(a.join(' ')).match(/error code:?\s*(\d+)/);
    if (m) errorCode = Number(m[1]);
    process.stderr.write(a.join(' ') + '\n');
  };
  let dwg;
  try {
    dwg = lib.dwg_read_data(bytes, Dwg_File_Type.DWG);
  } catch (e) {
    fail('resource_limit', `This drawing is too large to read (${e.message}).`);
  } finally {
    console.warn = warn; console.log = log;
  }
  const reason = () => DWG_ERRORS.filter(([bit]) => errorCode & bit).map(([, w]) => w).join(', ');
  if (!dwg) fail('corrupt', `This drawing cannot be read (LibreDWG error ${errorCode}${errorCode ? ': ' + reason() : ''}).`);
  const db = lib.convert(dwg);
  lib.dwg_free(dwg);
  const blocks = new Map();
  let model = [];
  const paper = [];
  for (const b of db.tables?.BLOCK_RECORD?.entries ?? []) {
    const name = String(b.name ?? '');
    const block = { base: b.basePoint ?? { x: 0, y: 0 }, entities: b.entities ?? [] };
    blocks.set(name, block);
    if (/^\*model_space$/i.test(name)) model = block.entities;
    else if (/^\*paper_space/i.test(name)) paper.push({ name, entities: block.entities });
  }
  return {
    radians: true, lwIndex: true, version: versionName, errorCode, errorText: errorCode ? reason() : '',
    critical: errorCode >= 128, header: db.header ?? {}, layers: db.tables?.LAYER?.entries ?? [],
    blocks, model, paper,
  };
}

function readDxf(bytes, DxfParser) {
  const binary = bytes.subarray(0, 18).toString('latin1') === 'AutoCAD Binary DXF';
  // Text before AutoCAD 2007 is in the drawing's code page; find it before decoding.
  const head = bytes.subarray(0, 1 << 16).toString('latin1');
  const ver = (head.match(/\$ACADVER[\s\S]{0,40}?(AC\d{4})/) ?? [])[1] ?? '';
  const cp = (head.match(/\$DWGCODEPAGE[\s\S]{0,40}?(ANSI_\d+|DOS\d+|GB2312|BIG5)/i) ?? [])[1];
  const utf8 = !ver || ver >= 'AC1021';
  const encoding = utf8 ? 'utf-8' : codePageEncoding(cp);
  let db;
  try {
    db = new DxfParser({ encoding }).parseBuffer(bytes);
  } catch (e) {
    fail('corrupt', `This DXF drawing cannot be read (${String(e.message).split('\n')[0].slice(0, 160)}).`);
  }
  if (!db || (!db.entities?.length && !Object.keys(db.blocks ?? {}).length)) {
    fail('corrupt', 'This DXF file holds no drawing (no entities).');
  }
  const blocks = new Map();
  for (const [name, b] of Object.entries(db.blocks ?? {})) {
    blocks.set(name, { base: b.position ?? { x: 0, y: 0 }, entities: b.entities ?? [] });
  }
  const model = [], inPaper = [];
  for (const e of db.entities ?? []) (e.isInPaperSpace || e.inPaperSpace ? inPaper : model).push(e);
  const paper = [{ name: '*Paper_Space', entities: inPaper }];
  for (const [name, b] of blocks) {
    if (/^\*paper_space./i.test(name)) paper.push({ name, entities: b.entities });
  }
  const header = {};
  for (const [k, v] of Object.entries(db.header ?? {})) header[k.replace(/^\$/, '')] = v;
  return {
    radians: false, version: DWG_VERSIONS[ver] ? `DXF ${DWG_VERSIONS[ver]}` : 'DXF',
    errorCode: 0, critical: false, header, layers: db.tables?.LAYER?.entries ?? [], blocks,
    model, paper, binary,
  };
}

// ---------------------------------------------------------------- colours and text

const LW_TABLE = [0, 5, 9, 13, 15, 18, 20, 25, 30, 35, 40, 50, 53, 60, 70, 80, 90, 100, 106, 120,
  140, 158, 200, 211];
const ACI = [0x000000, 0xff0000, 0xffff00, 0x00ff00, 0x00ffff, 0x0000ff, 0xff00ff, 0x000000,
  0x808080, 0xc0c0c0];
function aciColour(i) {
  if (i >= 1 && i <= 9) return ACI[i];
  if (i >= 250 && i <= 255) return [0x333333, 0x505050, 0x696969, 0x828282, 0xbebebe, 0xffffff][i - 250];
  if (i >= 10 && i <= 249) {
    // The AutoCAD palette: 24 hues of 10 shades (full / half saturation × 5 values).
    const hue = Math.floor((i - 10) / 10) * 15;
    const k = (i - 10) % 10;
    const value = [1, 1, 0.8, 0.8, 0.6, 0.6, 0.5, 0.5, 0.3, 0.3][k];
    const sat = k % 2 === 0 ? 1 : 0.5;
    return hsv(hue, sat, value);
  }
  return 0;
}
function hsv(h, s, v) {
  const f = (n) => { const k = (n + h / 60) % 6; return v - v * s * Math.max(0, Math.min(k, 4 - k, 1)); };
  return (Math.round(f(5) * 255) << 16) | (Math.round(f(3) * 255) << 8) | Math.round(f(1) * 255);
}
// Paper is white: white (colour 7) is black and pale colours are darkened until they show.
function onPaper(rgb) {
  let r = (rgb >> 16) & 255, g = (rgb >> 8) & 255, b = rgb & 255;
  const lum = (0.299 * r + 0.587 * g + 0.114 * b) / 255;
  if (lum > 0.92) return '#000000';
  if (lum > 0.6) { const k = 0.6 / lum; r = Math.round(r * k * 0.8); g = Math.round(g * k * 0.8); b = Math.round(b * k * 0.8); }
  return '#' + ((1 << 24) | (r << 16) | (g << 8) | b).toString(16).slice(1);
}
function escapeXml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c])
    // characters XML 1.0 forbids
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');
}
const MBCS = { 1: 'shift_jis', 2: 'big5', 3: 'euc-kr', 4: 'euc-kr', 5: 'gbk' };
// TEXT and MTEXT strings without their formatting codes, one entry per line.
export function plainText(raw, mtext) {
  let s = String(raw ?? '');
  s = s.replace(/\\U\+([0-9A-Fa-f]{4})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
  s = s.replace(/\\M\+([1-5])([0-9A-Fa-f]{4})/g, (_, n, h) => {
    try { return new TextDecoder(MBCS[n]).decode(Uint8Array.from([parseInt(h.slice(0, 2), 16), parseInt(h.slice(2), 16)])); } catch { return ''; }
  });
  s = s.replace(/%%[dD]/g, '°').replace(/%%[pP]/g, '±').replace(/%%[cC]/g, 'Ø').replace(/%%%/g, '%')
    .replace(/%%[uUoOkK]/g, '').replace(/%%(\d{3})/g, (_, d) => String.fromCharCode(Number(d)));
  if (mtext) {
    s = s.replace(/\\P/g, '\n').replace(/\\~/g, '\u00a0')
      .replace(/\\S([^;]*?)[\^#/]([^;]*?);/g, '$1/$2')
      .replace(/\\[fF][^;]*;/g, '').replace(/\\[HhWwQqTtAaCcpP][^;\\]*;/g, '')
      .replace(/\\[cC]\d+;?/g, '')
      .replace(/\\[LlOoKkNnX]/g, '')
      .replace(/\\\\/g, '\u0001').replace(/\\\{/g, '\u0002').replace(/\\\}/g, '\u0003')
      .replace(/[{}]/g, '').replace(/\u0002/g, '{').replace(/\u0003/g, '}').replace(/\u0001/g, '\\');
  }
  return s.split('\n').map((l) => l.replace(/\s+$/, '')).filter((l) => l.trim() !== '');
}

// ---------------------------------------------------------------- geometry

const I = [1, 0, 0, 1, 0, 0]; // [a b c d e f]: x' = a x + c y + e, y' = b x + d y + f
function mul(m, n) { // m after n
  return [m[0] * n[0] + m[2] * n[1], m[1] * n[0] + m[3] * n[1], m[0] * n[2] + m[2] * n[3],
    m[1] * n[2] + m[3] * n[3], m[0] * n[4] + m[2] * n[5] + m[4], m[1] * n[4] + m[3] * n[5] + m[5]];
}
function apply(m, p) { return [m[0] * p.x + m[2] * p.y + m[4], m[1] * p.x + m[3] * p.y + m[5]]; }
function scaleOf(m) { return Math.sqrt(Math.abs(m[0] * m[3] - m[1] * m[2])) || 1; }
const finite = (p) => p && Number.isFinite(p.x) && Number.isFinite(p.y);

function arcPoints(cx, cy, rx, ry, rot, a0, a1, segs) {
  const out = [];
  const cr = Math.cos(rot), sr = Math.sin(rot);
  for (let i = 0; i <= segs; i++) {
    const t = a0 + ((a1 - a0) * i) / segs;
    const x = rx * Math.cos(t), y = ry * Math.sin(t);
    out.push({ x: cx + x * cr - y * sr, y: cy + x * sr + y * cr });
  }
  return out;
}
function segmentsFor(angle) { return Math.max(4, Math.min(96, Math.ceil(Math.abs(angle) / (Math.PI / 24)))); }
// A polyline's vertices with its bulges (arc segments) expanded.
function bulgePoints(vs, closed) {
  const out = [];
  const n = vs.length;
  for (let i = 0; i < n; i++) {
    const p = vs[i];
    out.push({ x: p.x, y: p.y });
    const last = i === n - 1;
    if (last && !closed) break;
    const q = vs[(i + 1) % n];
    const b = p.bulge ?? 0;
    if (b && Number.isFinite(b)) {
      const theta = 4 * Math.atan(b);
      const dx = q.x - p.x, dy = q.y - p.y, chord = Math.hypot(dx, dy);
      if (chord > 0) {
        const r = chord / (2 * Math.sin(theta / 2));
        const mx = (p.x + q.x) / 2, my = (p.y + q.y) / 2;
        const h = r * Math.cos(theta / 2);
        const cx = mx - (h * dy) / chord, cy = my + (h * dx) / chord;
        const a0 = Math.atan2(p.y - cy, p.x - cx);
        const segs = segmentsFor(theta);
        const pts = arcPoints(cx, cy, Math.abs(r), Math.abs(r), 0, a0, a0 + theta, segs);
        out.push(...pts.slice(1, -1));
      }
    }
  }
  if (closed && n > 1) out.push({ x: vs[0].x, y: vs[0].y });
  return out;
}
// De Boor's algorithm, sampled evenly over the knot range.
function splinePoints(e) {
  const cps = e.controlPoints ?? [];
  const degree = e.degree ?? 3;
  if (cps.length < 2) return (e.fitPoints ?? []).map((p) => ({ x: p.x, y: p.y }));
  let knots = e.knots ?? e.knotValues ?? [];
  if (knots.length !== cps.length + degree + 1) {
    knots = [];
    for (let i = 0; i < cps.length + degree + 1; i++) knots.push(Math.max(0, Math.min(i - degree, cps.length - degree)));
  }
  const w = e.weights?.length === cps.length ? e.weights : null;
  const lo = knots[degree], hi = knots[cps.length];
  const samples = Math.min(400, Math.max(8, cps.length * 8));
  const out = [];
  for (let s = 0; s <= samples; s++) {
    const t = lo + ((hi - lo) * s) / samples;
    let k = degree;
    while (k < cps.length - 1 && t >= knots[k + 1]) k++;
    const d = [];
    for (let j = 0; j <= degree; j++) {
      const p = cps[k - degree + j], wt = w ? w[k - degree + j] : 1;
      d.push([p.x * wt, p.y * wt, wt]);
    }
    for (let r = 1; r <= degree; r++) {
      for (let j = degree; j >= r; j--) {
        const i = k - degree + j;
        const den = knots[i + degree + 1 - r] - knots[i];
        const a = den === 0 ? 0 : (t - knots[i]) / den;
        for (let c = 0; c < 3; c++) d[j][c] = (1 - a) * d[j - 1][c] + a * d[j][c];
      }
    }
    const q = d[degree];
    if (q[2]) out.push({ x: q[0] / q[2], y: q[1] / q[2] });
  }
  return out;
}

// ---------------------------------------------------------------- drawing

class Page {
  constructor() {
    this.items = []; this.texts = []; this.count = 0;
    this.minX = Infinity; this.minY = Infinity; this.maxX = -Infinity; this.maxY = -Infinity;
    this.clips = [];   // viewport rectangles (page coordinates)
    this.clip = null;  // the one being drawn into
  }
  // A paper-space viewport: what is drawn until popClip is cut to `corners`, and only the
  // viewport's own rectangle counts towards the page's extents.
  pushClip(corners) {
    for (const [x, y] of corners) this.grow(x, y);
    this.clips.push(corners);
    this.clip = this.clips.length - 1;
  }
  popClip() { this.clip = null; }
  grow(x, y) {
    if (this.clip != null) return;
    if (!Number.isFinite(x) || !Number.isFinite(y) || Math.abs(x) > 1e12 || Math.abs(y) > 1e12) return;
    if (x < this.minX) this.minX = x; if (x > this.maxX) this.maxX = x;
    if (y < this.minY) this.minY = y; if (y > this.maxY) this.maxY = y;
  }
  line(points, style, closed = false, fill = false) {
    const pts = [];
    for (const p of points) { if (p) { pts.push(p); this.grow(p[0], p[1]); } }
    if (pts.length < 2 && !(pts.length === 1 && style.dot)) return;
    this.items.push({ kind: 'path', pts, style, closed, fill, clip: this.clip });
    this.count++;
  }
  text(lines, at, height, angle, anchor, style, widthFactor = 1) {
    if (!lines.length || !(height > 0) || !Number.isFinite(at[0])) return;
    this.items.push({ kind: 'text', lines, at, height, angle, anchor, style, widthFactor, clip: this.clip });
    // Extents: the box the glyphs take (CAD text height is the capitals' height; a CJK
    // character is about one em, a Latin one about half), so a drawing of text only fits.
    const widthOf = (l) => [...l].reduce((w, ch) => w + (ch.codePointAt(0) >= 0x2e80 ? 1.4 : 0.75), 0);
    const w = Math.max(...lines.map(widthOf)) * height * widthFactor;
    const dx = Math.cos(angle), dy = Math.sin(angle);
    const below = -0.3 * height - LINE_SPACING * height * (lines.length - 1);
    for (const [u, v] of [[0, height], [w, height], [w, below], [0, below]]) {
      const ox = anchor === 'middle' ? -w / 2 : anchor === 'end' ? -w : 0;
      this.grow(at[0] + (u + ox) * dx - v * dy, at[1] + (u + ox) * dy + v * dx);
    }
    this.texts.push({ y: at[1], x: at[0], lines });
    this.count++;
  }
}

class Renderer {
  constructor(d) {
    this.d = d;
    this.layers = new Map();
    for (const l of d.layers) this.layers.set(String(l.name), l);
    this.entities = 0;
    this.titleBlock = [];
    this.depth = 0;
  }
  angle(a) { return (a ?? 0) * (this.d.radians ? 1 : Math.PI / 180); }
  hidden(e, layerName) {
    if (e.isVisible === false || e.visible === false) return true;
    const l = this.layers.get(layerName);
    if (!l) return false;
    if (/^defpoints$/i.test(layerName)) return true;
    if ((l.colorIndex ?? 1) < 0 || l.off === true || l.isOn === false) return true;
    const flags = l.standardFlag ?? l.flag ?? l.flags ?? 0;
    return (flags & 1) !== 0 || l.frozen === true;
  }
  // LibreDWG gives DWG line weights as indices into AutoCAD's table; DXF in 1/100 mm.
  lineweight(v) {
    if (v == null) return -1;
    if (!this.d.lwIndex) return v;
    if (v >= 0 && v < LW_TABLE.length) return LW_TABLE[v];
    return v === 29 ? -1 : v === 30 ? -2 : -3;
  }
  // An entity's or layer's colour: ACI 1-255, else its true colour (LibreDWG also gives the
  // resolved RGB of an indexed colour in `color`, so the index wins).
  colourOf(o) {
    const ci = o.colorIndex;
    if (ci >= 1 && ci <= 255) return aciColour(ci);
    if (typeof o.trueColor === 'number') return o.trueColor;
    if (typeof o.color === 'number' && ci !== 0 && ci !== 256) return o.color;
    return null;
  }
  style(e, inherited) {
    const layerName = String(e.layer ?? '0') === '0' && inherited ? inherited.layer : String(e.layer ?? '0');
    const layer = this.layers.get(layerName);
    const ci = e.colorIndex;
    const byLayer = () => (layer ? this.colourOf(layer) ?? 0 : 0);
    let colour;
    if (ci === 0) colour = inherited ? inherited.rgb : 0;                     // by block
    else if (ci === 256) colour = byLayer();
    else if (ci == null) colour = typeof e.color === 'number' ? e.color : byLayer();  // DXF 420
    else colour = this.colourOf(e) ?? 0;
    let lw = this.lineweight(e.lineweight ?? e.lineWeight);
    if (lw === -2) lw = inherited ? inherited.lw : -3;  // by block
    if (lw === -1) lw = this.lineweight(layer?.lineweight ?? -3);
    if (lw < 0 || lw > 211) lw = 25;                    // default: 0.25 mm
    return { layer: layerName, rgb: colour, css: onPaper(colour), lw };
  }

  // Draws entities under matrix m; `inherited` is the INSERT's style (for BYBLOCK).
  draw(page, entities, m, inherited) {
    for (const e of entities) {
      if (++this.entities > maxEntities) {
        fail('resource_limit', `This drawing has more than ${maxEntities} entities, the most a drawing may have here (cad.max_entities).`);
      }
      if (this.entities % 20000 === 0) progress(this.entities, 0);
      const style = this.style(e, inherited);
      if (this.hidden(e, style.layer)) continue;
      try { this.entity(page, e, m, style); } catch (err) { process.stderr.write(`skipped ${e.type}: ${err.message}\n`); }
    }
  }

  entity(page, e, m, st) {
    const P = (p) => (finite(p) ? apply(m, p) : null);
    const s = scaleOf(m);
    switch (e.type) {
      case 'LINE': page.line([P(e.startPoint), P(e.endPoint)], st); break;
      case 'LWPOLYLINE': {
        const closed = !!((e.flag ?? 0) & 1) || !!((e.flag ?? 0) & 512) || e.closed === true;
        page.line(bulgePoints(e.vertices ?? [], closed).map(P), st, closed);
        break;
      }
      case 'POLYLINE': {
        const vs = (e.vertices ?? []).filter((v) => finite(v.point ?? v));
        const pts = vs.map((v) => ({ x: (v.point ?? v).x, y: (v.point ?? v).y, bulge: v.bulge }));
        const closed = !!((e.flag ?? 0) & 1);
        if (((e.flag ?? 0) & (16 | 64)) === 0) page.line(bulgePoints(pts, closed).map(P), st, closed);
        break;
      }
      case 'CIRCLE': {
        const c = e.center; const r = e.radius;
        page.line(arcPoints(c.x, c.y, r, r, 0, 0, 2 * Math.PI, 72).map(P), st, true);
        break;
      }
      case 'ARC': {
        const c = e.center; const r = e.radius;
        let a0 = this.angle(e.startAngle), a1 = this.angle(e.endAngle);
        while (a1 <= a0) a1 += 2 * Math.PI;
        page.line(arcPoints(c.x, c.y, r, r, 0, a0, a1, segmentsFor(a1 - a0)).map(P), st);
        break;
      }
      case 'ELLIPSE': {
        const c = e.center, mj = e.majorAxisEndPoint;
        const rx = Math.hypot(mj.x, mj.y), ry = rx * (e.axisRatio ?? 1);
        let a0 = e.startAngle ?? 0, a1 = e.endAngle ?? 2 * Math.PI;
        while (a1 <= a0) a1 += 2 * Math.PI;
        let pts = arcPoints(c.x, c.y, rx, ry, Math.atan2(mj.y, mj.x), a0, a1, segmentsFor(a1 - a0));
        if ((e.extrusionDirection?.z ?? 1) < 0) pts = pts.map((p) => ({ x: 2 * c.x - p.x, y: p.y }));
        page.line(pts.map(P), st);
        break;
      }
      case 'SPLINE': page.line(splinePoints(e).map(P), st); break;
      case 'LEADER': page.line((e.vertices ?? []).map(P), st); break;
      case 'POINT': {
        const p = P(e.position ?? e.point ?? e.location);
        if (p) page.line([p, [p[0] + 0.01, p[1]]], { ...st, dot: true });
        break;
      }
      case 'SOLID': case 'TRACE': case '3DFACE': {
        const c = [e.firstCorner ?? e.corner1 ?? e.points?.[0], e.secondCorner ?? e.corner2 ?? e.points?.[1],
          e.fourthCorner ?? e.corner4 ?? e.points?.[3], e.thirdCorner ?? e.corner3 ?? e.points?.[2]].filter(finite);
        page.line(c.map(P), st, true, e.type !== '3DFACE');
        break;
      }
      case 'HATCH': this.hatch(page, e, P, st); break;
      case 'TEXT': case 'ATTRIB': case 'ATTDEF': {
        if (e.type === 'ATTDEF' && this.depth > 0) break;  // a block's attribute definitions show through its ATTRIBs
        if (((e.attributeFlag ?? e.flags ?? 0) & 1) && e.type !== 'TEXT') break;  // invisible attribute
        const lines = plainText(e.text, false);
        const h = (e.textHeight ?? e.height ?? 1) * s;
        const aligned = (e.halign ?? e.horizontalJustification ?? 0) !== 0 || (e.valign ?? e.verticalJustification ?? 0) !== 0;
        const at = P(aligned && finite(e.endPoint ?? e.alignmentPoint) ? (e.endPoint ?? e.alignmentPoint) : e.startPoint ?? e.insertionPoint);
        const halign = e.halign ?? e.horizontalJustification ?? 0;
        const anchor = halign === 1 || halign === 4 ? 'middle' : halign === 2 ? 'end' : 'start';
        const rot = this.angle(e.rotation) + Math.atan2(m[1], m[0]);
        page.text(lines, at, h, rot, anchor, st, e.xScale ?? e.widthFactor ?? 1);
        if (e.type === 'ATTRIB' && e.tag) this.titleBlock.push([String(e.tag), lines.join(' ')]);
        break;
      }
      case 'MTEXT': {
        const lines = plainText(e.text, true);
        const h = (e.textHeight ?? e.height ?? 1) * s;
        const ap = e.attachmentPoint ?? 1;
        const anchor = [2, 5, 8].includes(ap) ? 'middle' : [3, 6, 9].includes(ap) ? 'end' : 'start';
        let rot = e.rotation != null ? this.angle(e.rotation) : 0;
        const dir = e.direction ?? e.xAxisDirection;
        if (finite(dir) && (dir.x || dir.y)) rot = Math.atan2(dir.y, dir.x);
        rot += Math.atan2(m[1], m[0]);
        // Top-attached text hangs below its point: its first baseline is one height down.
        const base = P(e.insertionPoint);
        if (!base) break;
        const total = h + LINE_SPACING * h * (lines.length - 1);
        const up = ap <= 3 ? -h : ap <= 6 ? total / 2 - h : total - h;
        const at = [base[0] - Math.sin(rot) * up, base[1] + Math.cos(rot) * up];
        page.text(lines, at, h, rot, anchor, st);
        break;
      }
      case 'INSERT': case 'DIMENSION': this.insert(page, e, m, st); break;
      case 'VIEWPORT': this.viewport(page, e); break;
      default: break;  // RAY, XLINE (infinite), 3D solids, images
    }
  }

  hatch(page, e, P, st) {
    const paths = [];
    for (const bp of e.boundaryPaths ?? []) {
      if (bp.vertices?.length) {
        paths.push(bulgePoints(bp.vertices, true).map(P));
      } else if (bp.edges?.length) {
        const pts = [];
        for (const ed of bp.edges) {
          const t = ed.type ?? ed.edgeType;
          if ((t === 1 || t === 'LINE') && finite(ed.start ?? ed.startPoint)) {
            pts.push(ed.start ?? ed.startPoint, ed.end ?? ed.endPoint);
          } else if ((t === 2 || t === 'ARC') && finite(ed.center)) {
            let a0 = this.angle(ed.startAngle), a1 = this.angle(ed.endAngle);
            const ccw = ed.isCCW ?? ed.counterClockwise ?? ed.isCounterClockwise ?? true;
            if (!ccw) { a0 = -a0; a1 = -a1; }
            while (a1 <= a0) a1 += 2 * Math.PI;
            pts.push(...arcPoints(ed.center.x, ed.center.y, ed.radius, ed.radius, 0, a0, a1, segmentsFor(a1 - a0)));
          } else if ((t === 3 || t === 'ELLIPSE') && finite(ed.center)) {
            const mj = ed.end ?? ed.majorAxisEndPoint; const rx = Math.hypot(mj.x, mj.y);
            let a0 = this.angle(ed.startAngle), a1 = this.angle(ed.endAngle);
            while (a1 <= a0) a1 += 2 * Math.PI;
            pts.push(...arcPoints(ed.center.x, ed.center.y, rx, rx * (ed.lengthOfMinorAxis ?? ed.axisRatio ?? 1), Math.atan2(mj.y, mj.x), a0, a1, segmentsFor(a1 - a0)));
          } else if (t === 4 || t === 'SPLINE') {
            pts.push(...splinePoints(ed));
          }
        }
        paths.push(pts.map(P));
      }
    }
    const solid = e.solidFill === 1 || /^solid$/i.test(e.patternName ?? '');
    for (const p of paths) page.line(p, solid ? st : { ...st, pattern: true }, true, true);
  }

  // A paper-space viewport shows model space, scaled and cut to its rectangle. Viewport 1 is
  // the sheet itself; twisted and 3D views are drawn as plan views.
  viewport(page, e) {
    if (this.inViewport || this.depth > 0 || (e.viewportId ?? 0) <= 1) return;
    if ((e.statusBitFlags ?? e.statusFlag ?? 0) & 0x20000) return;  // switched off
    const c = e.viewportCenter ?? e.center, vc = e.displayCenter ?? e.viewCenter;
    const w = e.width, h = e.height, vh = e.viewHeight;
    if (!finite(c) || !finite(vc) || !(w > 0) || !(h > 0) || !(vh > 0)) return;
    const k = h / vh;
    page.pushClip([[c.x - w / 2, c.y - h / 2], [c.x + w / 2, c.y - h / 2], [c.x + w / 2, c.y + h / 2], [c.x - w / 2, c.y + h / 2]]);
    this.inViewport = true;
    this.draw(page, this.d.model, [k, 0, 0, k, c.x - k * vc.x, c.y - k * vc.y], null);
    this.inViewport = false;
    page.popClip();
  }

  insert(page, e, m, st) {
    const block = this.d.blocks.get(String(e.name ?? e.blockName ?? ''));
    if (!block || this.depth > 16) return;
    const ip = e.insertionPoint ?? { x: 0, y: 0 };
    const sx = e.xScale ?? e.scale?.x ?? 1, sy = e.yScale ?? e.scale?.y ?? 1;
    const rot = e.type === 'DIMENSION' ? 0 : this.angle(e.rotation);
    const cols = Math.max(1, Math.min(e.columnCount ?? 1, 1000)), rows = Math.max(1, Math.min(e.rowCount ?? 1, 1000));
    const base = block.base ?? { x: 0, y: 0 };
    this.depth++;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const ox = c * (e.columnSpacing ?? 0), oy = r * (e.rowSpacing ?? 0);
        const cr = Math.cos(rot), sr = Math.sin(rot);
        const tx = ip.x + ox * cr - oy * sr, ty = ip.y + ox * sr + oy * cr;
        const local = e.type === 'DIMENSION' ? I : [cr * sx, sr * sx, -sr * sy, cr * sy, tx - (cr * sx * base.x - sr * sy * base.y), ty - (sr * sx * base.x + cr * sy * base.y)];
        this.draw(page, block.entities, mul(m, local), st);
      }
    }
    this.depth--;
    for (const a of e.attribs ?? e.attributes ?? []) this.entity(page, { ...a, type: 'ATTRIB' }, m, this.style(a, st));
  }
}

// ---------------------------------------------------------------- output

function fmt(v) { return Math.abs(v) < 1e-9 ? '0' : v.toFixed(1).replace(/\.0$/, ''); }

function toSvg(page) {
  let w = page.maxX - page.minX, h = page.maxY - page.minY;
  if (!(w > 0)) w = h > 0 ? h : 1;
  if (!(h > 0)) h = w;
  // A thin drawing still gets a page a reader can see (at most 8:1).
  const long = Math.max(w, h);
  w = Math.max(w, long / 8); h = Math.max(h, long / 8);
  const cx = (page.minX + page.maxX) / 2, cy = (page.minY + page.maxY) / 2;
  const inner = PAGE_LONG_SIDE * (1 - 2 * MARGIN);
  const k = inner / Math.max(w, h);
  const pw = Math.round(w * k + PAGE_LONG_SIDE * 2 * MARGIN), ph = Math.round(h * k + PAGE_LONG_SIDE * 2 * MARGIN);
  const X = (x) => (x - cx) * k + pw / 2, Y = (y) => ph / 2 - (y - cy) * k;
  const out = [`<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="${pw}pt" height="${ph}pt" viewBox="0 0 ${pw} ${ph}">`,
    `<rect width="${pw}" height="${ph}" fill="#ffffff"/>`,
    `<g fill="none" stroke-linecap="round" stroke-linejoin="round" font-family="Noto Sans CJK SC, WenQuanYi Zen Hei, DejaVu Sans, sans-serif">`];
  // Paths of one style together, fills first so lines stay on top.
  const groups = new Map();
  const texts = [];
  for (const it of page.items) {
    if (it.kind === 'text') { texts.push(it); continue; }
    const width = Math.max(MIN_STROKE, (it.style.lw / 100) * 2.835 * 1.5);
    const key = `${it.fill ? (it.style.pattern ? 'p' : 'f') : 's'}|${it.style.css}|${fmt(width)}|${it.clip ?? ''}`;
    if (!groups.has(key)) groups.set(key, []);
    let d = '';
    it.pts.forEach((p, i) => { d += (i ? 'L' : 'M') + fmt(X(p[0])) + ' ' + fmt(Y(p[1])); });
    if (it.closed) d += 'Z';
    groups.get(key).push(d);
  }
  page.clips.forEach((corners, i) => {
    out.push(`<clipPath id="vp${i}"><path d="${corners.map(([x, y], j) => (j ? 'L' : 'M') + fmt(X(x)) + ' ' + fmt(Y(y))).join('')}Z"/></clipPath>`);
  });
  const clipAttr = (c) => (c === '' || c == null ? '' : ` clip-path="url(#vp${c})"`);
  const keys = [...groups.keys()].sort((a, b) => (a[0] === 's') - (b[0] === 's'));
  for (const key of keys) {
    const [kind, css, width, clip] = key.split('|');
    const attrs = kind === 's' ? `stroke="${css}" stroke-width="${width}"`
      : kind === 'f' ? `fill="${css}" fill-rule="evenodd" stroke="${css}" stroke-width="${MIN_STROKE}"`
        : `fill="${css}" fill-opacity="0.25" fill-rule="evenodd" stroke="none"`;
    out.push(`<path${clipAttr(clip)} ${attrs} d="${groups.get(key).join('')}"/>`);
  }
  for (const t of texts) {
    const size = t.height * k * EM;
    if (size < 0.3) continue; // too small to draw; still in the page's text
    const x = X(t.at[0]), y = Y(t.at[1]);
    const deg = (-t.angle * 180) / Math.PI;
    const tf = `translate(${fmt(x)} ${fmt(y)})${Math.abs(deg) > 0.01 ? ` rotate(${deg.toFixed(2)})` : ''}${Math.abs(t.widthFactor - 1) > 0.01 && t.widthFactor > 0 ? ` scale(${t.widthFactor.toFixed(3)} 1)` : ''}`;
    const lines = t.lines.map((l, i) => `<tspan x="0" y="${fmt(i * t.height * k * LINE_SPACING)}">${escapeXml(l)}</tspan>`).join('');
    out.push(`${t.clip != null ? `<g${clipAttr(t.clip)}>` : ''}<text transform="${tf}" font-size="${size.toFixed(2)}" fill="${t.style.css}" text-anchor="${t.anchor}" stroke="none" xml:space="preserve">${lines}</text>${t.clip != null ? '</g>' : ''}`);
  }
  out.push('</g></svg>\n');
  return { svg: out.join('\n'), width: pw, height: ph };
}

// Reading order: top to bottom, then left to right, rows of about one text height.
function pageText(page) {
  const items = [...page.texts].sort((a, b) => b.y - a.y || a.x - b.x);
  const seen = new Set();
  const out = [];
  for (const t of items) {
    const s = t.lines.join('\n');
    if (seen.has(s)) continue;
    seen.add(s);
    out.push(s);
  }
  return out.join('\n');
}

async function main() {
  const [input, outDir, format, maxEntitiesArg] = process.argv.slice(2);
  if (!input || !outDir || (format !== 'dwg' && format !== 'dxf')) {
    process.stderr.write('usage: render.mjs IN OUT_DIR dwg|dxf [MAX_ENTITIES]\n');
    process.exit(64);
  }
  if (maxEntitiesArg) maxEntities = Number(maxEntitiesArg);
  const bytes = readFileSync(input);
  let d;
  if (format === 'dwg') d = await readDwg(bytes);
  else d = readDxf(bytes, (await import('@mlightcad/dxf-json')).DxfParser);
  progress(1, 3);
  const r = new Renderer(d);
  const pages = [];
  const model = new Page();
  r.draw(model, d.model, I, null);
  // A page needs something drawn within finite extents.
  const drawn = (p) => p.count > 0 && Number.isFinite(p.minX) && Number.isFinite(p.maxY);
  if (drawn(model)) pages.push({ name: 'Model', page: model });
  for (const layout of d.paper) {
    const p = new Page();
    r.draw(p, layout.entities, I, null);
    if (drawn(p)) pages.push({ name: layout.name, page: p });
  }
  progress(2, 3);
  if (!pages.length) {
    if (d.critical) fail('corrupt', `This drawing cannot be read (LibreDWG error ${d.errorCode}: ${d.errorText}).`);
    fail('corrupt', 'This drawing is empty: it has nothing to draw.');
  }
  const out = [];
  pages.forEach(({ name, page }, i) => {
    const { svg, width, height } = toSvg(page);
    const file = `page-${i + 1}.svg`;
    writeFileSync(path.join(outDir, file), svg);
    out.push({ name: name.replace(/^\*/, ''), svg: file, width_pt: width, height_pt: height, text: pageText(page) });
  });
  const layers = d.layers.map((l) => String(l.name)).filter((n) => n && n !== '0' && !/^defpoints$/i.test(n));
  writeFileSync(path.join(outDir, 'drawing.json'), JSON.stringify({
    version: d.version, entities: r.entities, layers, title_block: r.titleBlock.slice(0, 40),
    warning: d.errorCode ? `LibreDWG error ${d.errorCode}: ${d.errorText}` : '', pages: out,
  }));
  progress(3, 3);
}

// The pieces the unit tests (tests/cad) check.
export { aciColour, onPaper, escapeXml, bulgePoints, splinePoints, codePageEncoding };

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main().catch((e) => {
  const message = String(e?.message ?? e).split('\n')[0].slice(0, 120);
  if (e instanceof RangeError || /out of (wasm )?memory|cannot allocate|allocation failed/i.test(message)) {
    fail('resource_limit', `This drawing is too large to draw (${message}).`);
  }
  if (e instanceof WebAssembly.RuntimeError) {  // LibreDWG itself stopped on this file
    fail('corrupt', `This drawing cannot be read (LibreDWG stopped: ${message}).`);
  }
  process.stderr.write(String(e.stack ?? e) + '\n');
  process.exit(3);
});
